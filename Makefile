# scaleplan — see README.md. `make run` opens the app on the seed plan;
# `make test` runs every test. Both install missing system packages first.

export LANG ?= en_US.UTF-8
GO      ?= go
PLAN    ?= testdata/seed-roadmap.json
BIN     := bin/scaleplan
# The test suite needs no cgo: Fyne's test driver with the `ci` tag is headless.
TESTENV := CGO_ENABLED=0
TAGS    := -tags ci

.PHONY: run build test test-go race fuzz bench-smoke vet fmt-check bench validate-latency robustness-table e2e browser screenshots package deps-test deps-gui clean

run: build
	./$(BIN) $(PLAN)

build: deps-gui
	CGO_ENABLED=1 $(GO) build -o $(BIN) ./cmd/scaleplan

test: deps-test vet fmt-check test-go race fuzz bench-smoke

test-go:
	$(TESTENV) $(GO) test $(TAGS) -count=1 ./...

# FyneApp.toml turns off Fyne's runtime thread checks (fyneDo = true), so a
# race run of the UI is what catches a UI update off the UI goroutine; the
# model's concurrency (each phase's break-even searches on every core, the
# shared latency cache, a risk run's workers) is raced on the tests that
# compute whole plans by hand and draw with several workers. The model's
# numbers themselves are checked by test-go, without the race detector's
# sixfold slowdown.
race:
	CGO_ENABLED=1 $(GO) test $(TAGS) -race -count=1 ./ui/
	CGO_ENABLED=1 $(GO) test $(TAGS) -race -count=1 -run 'ByHand|Timeline|Held|Cached' ./planner/
	CGO_ENABLED=1 $(GO) test $(TAGS) -race -count=1 -run 'IndependentOfCores|Degenerate|UncertainExample' ./planner/risk/

# A short fuzzing run of the plan loader and model on every test run. It is
# counted in runs, not seconds: a time-based -fuzztime trips a Go 1.26 flake
# ("context deadline exceeded" with no crasher) when minimization is cut off.
FUZZTIME ?= 150000x
fuzz:
	$(TESTENV) $(GO) test $(TAGS) -run '^$$' -fuzz FuzzParseCompute -fuzztime $(FUZZTIME) ./planner
	$(TESTENV) $(GO) test $(TAGS) -run '^$$' -fuzz FuzzReadBench -fuzztime 50000x ./planner/loadtest
	$(TESTENV) $(GO) test $(TAGS) -run '^$$' -fuzz FuzzReadActuals -fuzztime 30000x ./planner/actuals

# Every benchmark once, so none rots between the runs that measure them
# (docs/performance.md): about 20 s.
bench-smoke:
	@log=$$(mktemp); $(TESTENV) $(GO) test $(TAGS) -run '^$$' -bench . -benchtime 1x ./... > $$log 2>&1 \
		&& echo "bench-smoke: every benchmark ran once" || { cat $$log; rm -f $$log; exit 1; }; rm -f $$log

vet:
	$(TESTENV) $(GO) vet $(TAGS) ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

bench:
	$(TESTENV) $(GO) test $(TAGS) -run '^$$' -bench . -benchmem ./...

# The latency model against the simulator over the whole validation grid
# (a few minutes on 2 cores); rewrites the table in docs/model.md.
validate-latency:
	$(TESTENV) $(GO) run ./scripts/validate-latency -doc docs/model.md
	SCALEPLAN_TOKEN_GRID=1 $(TESTENV) $(GO) test $(TAGS) -count=1 -run ValidationGrid -v -timeout 60m ./simulate/llm \
		| grep -v '^=== \|^--- \|^PASS\|^ok' > docs/llm-validation-grid.txt
	/usr/bin/python3 scripts/llm-bands.py docs/llm-validation-grid.txt planner/llm/bands_table.go docs/model.md
	gofmt -w planner/llm/bands_table.go

# Re-measures the hostile and extreme inputs of docs/robustness.md ("Heavy
# commands, bounded"); prints the table. Several minutes.
robustness-table:
	CGO_ENABLED=0 $(GO) build -tags ci -o bin/scaleplan-ci ./cmd/scaleplan
	/usr/bin/python3 scripts/robustness-table.py bin/scaleplan-ci

# The real binary under a virtual X server, driven with real keys (xdotool)
# and checked through the files it writes (scripts/e2e.sh; about 30 s).
e2e: build
	@scripts/deps.sh screenshots
	scripts/e2e.sh

# The HTML report in a real browser: headless Chromium renders each example
# plan's page, axe-core (from npm, kept in AXE_DIR) checks its accessibility,
# and each section is saved as a screenshot in SHOTS for a person to look at.
AXE_DIR ?= $(HOME)/.cache/scaleplan-axe
AXE_VERSION := 4.14.1
SHOTS   ?= $(CURDIR)/bin/report-shots
browser:
	@scripts/deps.sh browser
	@[ -f $(AXE_DIR)/node_modules/axe-core/axe.min.js ] || npm install --no-audit --no-fund --prefix $(AXE_DIR) axe-core@$(AXE_VERSION)
	SCALEPLAN_AXE=$(AXE_DIR)/node_modules/axe-core/axe.min.js SCALEPLAN_SHOTS=$(SHOTS) $(TESTENV) $(GO) test -tags 'ci browser' -count=1 -run Browser -v ./report/page/

screenshots:
	scripts/deps.sh screenshots
	scripts/screenshot.sh

# A Linux archive (binary, .desktop file, icon) in dist/, with fyne.io/tools.
# fyne bumps Build in FyneApp.toml on every run; the file is restored.
package: build
	$(GO) install fyne.io/tools/cmd/fyne@v1.7.4
	cp FyneApp.toml .FyneApp.toml.keep
	"$$($(GO) env GOPATH)/bin/fyne" package --target linux --executable $(BIN) --name scaleplan; \
	  status=$$?; mv .FyneApp.toml.keep FyneApp.toml; exit $$status
	mkdir -p dist && mv scaleplan.tar.xz dist/

deps-test:
	@scripts/deps.sh test

deps-gui:
	@scripts/deps.sh gui

clean:
	rm -rf bin dist
