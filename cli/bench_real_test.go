package cli

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/planner"
)

const realBenchDir = "../testdata/bench/real/"

// realFigures is the Figures table of testdata/bench/real/README.md: the
// inputs each real file gives the seed plan, derived by hand from the
// file's own fields.
type realFigure struct {
	file, flags                          string
	nodeRPS, slots, serviceMs, serviceCV string
}

func readRealFigures(t *testing.T) []realFigure {
	t.Helper()
	f, err := os.Open(realBenchDir + "README.md")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []realFigure
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(line, "| file | flags | node_rps |"):
			in = true
			continue
		case in && !strings.HasPrefix(line, "|"):
			in = false
		}
		if !in || strings.HasPrefix(line, "|---") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) != 6 {
			t.Fatalf("README figures row %q: %d cells, want 6", line, len(cells))
		}
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		out = append(out, realFigure{cells[0], cells[1], cells[2], cells[3], cells[4], cells[5]})
	}
	return out
}

// Every real file in the corpus imports, is written into a copy of the
// seed, loads back and recomputes, with the inputs the README derives by
// hand; the table names every file in the folder.
func TestRealLoadTestFilesImportWriteAndRecompute(t *testing.T) {
	rows := readRealFigures(t)
	entries, err := os.ReadDir(realBenchDir)
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, r := range rows {
		named[r.file] = true
	}
	files := 0
	for _, e := range entries {
		if e.Name() == "README.md" {
			continue
		}
		files++
		if !named[e.Name()] {
			t.Errorf("%s is in the corpus but not in the README's figures", e.Name())
		}
	}
	if files < 8 || len(rows) != files {
		t.Fatalf("%d files and %d figure rows; want at least 8, one row each", files, len(rows))
	}
	seed, err := os.ReadFile("../testdata/seed-roadmap.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		t.Run(r.file, func(t *testing.T) {
			plan := filepath.Join(t.TempDir(), "plan.json")
			if err := os.WriteFile(plan, seed, 0o644); err != nil {
				t.Fatal(err)
			}
			args := []string{"import-bench", realBenchDir + r.file, "--write", plan}
			if r.flags != "" {
				args = append(args, strings.Fields(r.flags)...)
			}
			code, out, errs := run(args...)
			if code != ExitOK {
				t.Fatalf("exit %d: %s", code, errs)
			}
			p, err := planner.Load(plan)
			if err != nil {
				t.Fatalf("the written plan does not load: %v", err)
			}
			a := p.Assumptions
			got := realFigure{nodeRPS: a.NodeRPS.String(), slots: strconv.FormatInt(a.Slots, 10), serviceMs: a.ServiceMs.String(), serviceCV: a.ServiceCV.String()}
			want := realFigure{nodeRPS: r.nodeRPS, slots: r.slots, serviceMs: r.serviceMs, serviceCV: r.serviceCV}
			if got != want {
				t.Errorf("written %+v, want the README's %+v", got, want)
			}
			// The table printed is the plan written, to the last place.
			if !strings.Contains(out, "node_rps             "+r.nodeRPS) {
				t.Errorf("the table does not show node_rps %s as written:\n%s", r.nodeRPS, out)
			}
			res := planner.Compute(p)
			if len(res.Phases) != len(p.Phases) {
				t.Fatalf("recomputed %d phases, want %d", len(res.Phases), len(p.Phases))
			}
			for i, ph := range res.Phases {
				if ph.RequiredNodes <= 0 {
					t.Errorf("phase %d needs %d nodes after the import", i+1, ph.RequiredNodes)
				}
			}
		})
	}
}

// A run with more than 1 % of its requests failed is left out, and a file
// whose every run is left out is not written unless asked.
func TestRealFilesWithFailedRequestsAreLeftOutUnlessAsked(t *testing.T) {
	for file, words := range map[string]string{
		"aiperf-records-gpt-oss-20b.json": "11 of 100 requests fail (0 errored, 11 cancelled: 11.0 %",
		"llmperf-bedrock_70b.json":        "49 of 150 requests fail (49 errored, 0 cancelled: 32.7 %",
	} {
		code, _, errs := run("import-bench", realBenchDir+file)
		if code == ExitOK || !strings.Contains(errs, "every run had more than 1 % of its requests errored or cancelled") {
			t.Errorf("%s: exit %d, %q; want refused, naming the failed requests", file, code, errs)
		}
		code, out, errs := run("import-bench", realBenchDir+file, "--include-failed")
		if code != ExitOK || !strings.Contains(out, words) || !strings.Contains(out, "fitted as asked") {
			t.Errorf("%s --include-failed: exit %d, %s%s; want fitted, saying %q", file, code, out, errs, words)
		}
	}
	// Pooled with a clean file, the failed run is shown and left out.
	code, out, errs := run("import-bench", realBenchDir+"llmperf-bedrock_70b.json", realBenchDir+"llmperf-groq_70b.json", "--json")
	if code != ExitOK || !strings.Contains(out, `"left_out": true`) || !strings.Contains(out, `"node_rps": "2.945649185900014"`) || !strings.Contains(out, `"errored": 49`) {
		t.Errorf("exit %d: %s%s; want Bedrock's run left out and Groq's rate as node_rps", code, out, errs)
	}
}

// Files that name different models are pooled only when asked.
func TestRealFilesOfDifferentModelsArePooledOnlyWhenAsked(t *testing.T) {
	seed, _ := os.ReadFile("../testdata/seed-roadmap.json")
	plan := filepath.Join(t.TempDir(), "plan.json")
	os.WriteFile(plan, seed, 0o644)
	a, b := realBenchDir+"llmperf-groq_70b.json", realBenchDir+"llmperf-together_70b.json"
	code, out, errs := run("import-bench", a, b, "--write", plan)
	if code == ExitOK || !strings.Contains(errs, "different models: llama2-70b-4096 (llmperf-groq_70b.json), together_ai/togethercomputer/llama-2-70b-chat (llmperf-together_70b.json)") ||
		!strings.Contains(errs, "--pool") || !strings.Contains(out, "Warning: the files measure different servers") {
		t.Errorf("exit %d: %s%s; want the write refused, naming both models", code, out, errs)
	}
	after, _ := os.ReadFile(plan)
	if string(after) != string(seed) {
		t.Error("the refused write changed the plan")
	}
	if code, _, errs := run("import-bench", a, b, "--write", plan, "--pool"); code != ExitOK {
		t.Errorf("--pool: exit %d: %s", code, errs)
	}
	// The same model, endpoint and token lengths pool without a word.
	g := realBenchDir + "guidellm-2025-06-sweep-synchronous.json"
	if code, out, _ := run("import-bench", g, realBenchDir+"guidellm-2025-07-sweep-synchronous.json"); code != ExitOK || strings.Contains(out, "different") {
		t.Errorf("two files of one server: exit %d, %s", code, out)
	}
}
