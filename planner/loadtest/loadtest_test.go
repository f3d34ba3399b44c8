package loadtest

import (
	"os"
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/shopspring/decimal"
)

func readBenchFile(t *testing.T, name string) File {
	t.Helper()
	data, err := os.ReadFile("../../testdata/bench/" + name)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Read(name, data)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func importOne(t *testing.T, name string, o Options) Fit {
	t.Helper()
	if o.Target.Phase == 0 && o.Target.Variant == "" {
		o.Target.Phase = -1
	}
	b, err := Import([]File{readBenchFile(t, name)}, o)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// AIPerf's documented example export: 200 requests in 15.196591969 s at
// concurrency 100.
func TestImportBenchReadsAIPerfsDocumentedExample(t *testing.T) {
	t.Parallel()
	b := importOne(t, "profile_export_aiperf.json", Options{})
	f := b.Files[0]
	if f.Tool != ToolAIPerf || f.RunDate != "2025-10-17" {
		t.Fatalf("tool %q, run date %q; want AIPerf, 2025-10-17", f.Tool, f.RunDate)
	}
	// 200 requests ÷ 15.196591969 s = 13.1608 req/s; the file's avg is used as written.
	if !b.NodeRPS.Equal(dec("13.16084556379392")) || b.NodeRPS.Round(6).String() != "13.160846" {
		t.Errorf("node_rps %s, want 13.16084556379392 (13.160846)", b.NodeRPS)
	}
	r := b.Runs[0]
	if got := r.P99Ms.Val.Round(2).String(); got != "9381.63" {
		t.Errorf("p99 %s ms, want 9381.63 (the file's unit is ms)", got)
	}
	// The server held 13.16084556379392 × 6550.356151749999 ÷ 1000 =
	// 86.2082… calls (by hand, 40 digits): under 90 of the client's 100, so
	// the server's 86 are its slots, not the client's concurrency.
	if b.Slots != 86 || !strings.Contains(b.SlotsFrom, "under 90 % of the client's concurrency 100") {
		t.Errorf("slots %d (%s), want the 86 calls the server held", b.Slots, b.SlotsFrom)
	}
	// 86 × 1000 ÷ 13.16084556379392 = 6534.53454667000124… (by hand, 40 digits)
	if !b.ServiceMs.Equal(dec("6534.534547")) {
		t.Errorf("service_ms %s, want 6534.534547", b.ServiceMs)
	}
	// 1171.13614778278 ÷ 6550.356151749999 = 0.17878969…
	if !b.ServiceCV.Equal(dec("0.17879")) {
		t.Errorf("service_cv %s, want 0.178790", b.ServiceCV)
	}
	// Without a plan: fixed 0, no goodput, and the one run is at capacity.
	if !b.FixedMs.IsZero() || b.GoodputRPS.Valid || b.MAPEPct.Valid || !r.Saturated {
		t.Errorf("fixed %s, goodput %v, MAPE %v, saturated %v; want 0, none, none, true", b.FixedMs, b.GoodputRPS, b.MAPEPct, r.Saturated)
	}
}

// A synchronous benchmark and three constant rates: node_rps is the highest
// mean rate, the synchronous run gives the service time, and the goodput is
// the highest rate whose p99 meets the target.
func TestImportBenchGuideLLMSweep(t *testing.T) {
	t.Parallel()
	p := loadSeed(t)
	var err error
	for _, kv := range [][2]string{{"p99_ms", "700"}, {"network_ms", "0"}, {"preprocess_ms", "0"}, {"postprocess_ms", "0"}} {
		if p, err = planner.SetInput(p, planner.PlanDefault, kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	b := importOne(t, "guidellm-benchmarks.json", Options{Plan: &p})
	if b.Files[0].Tool != ToolGuideLLM || len(b.Runs) != 4 {
		t.Fatalf("%s with %d runs, want GuideLLM with 4", b.Files[0].Tool, len(b.Runs))
	}
	// Seconds in the file, milliseconds here.
	if !b.Runs[0].MeanMs.Val.Equal(dec("250")) || !b.Runs[3].P99Ms.Val.Equal(dec("1450")) {
		t.Errorf("synchronous mean %s ms, top p99 %s ms; want 250 and 1450", b.Runs[0].MeanMs.Val, b.Runs[3].P99Ms.Val)
	}
	// node_rps 32; the constant runs state no concurrency, so slots come
	// from Little's law at the synchronous run: 32 × 0.250 = 8; service_ms
	// 8 × 1000 ÷ 32 = 250, the synchronous run's; CV 0.21 ÷ 0.42.
	if !b.NodeRPS.Equal(dec("32")) || b.Slots != 8 || !b.ServiceMs.Equal(dec("250")) || !b.ServiceCV.Equal(dec("0.5")) {
		t.Errorf("node_rps %s, slots %d, service_ms %s, cv %s; want 32, 8, 250, 0.5", b.NodeRPS, b.Slots, b.ServiceMs, b.ServiceCV)
	}
	// p99s 380, 420, 610 and 1450 ms against 700: 19.95 is the highest that meets it.
	if !b.GoodputRPS.Valid || !b.GoodputRPS.Val.Equal(dec("19.95")) {
		t.Errorf("goodput %v, want 19.95", b.GoodputRPS)
	}
	if !b.ServiceMsLowLoad.Valid || !b.ServiceMsLowLoad.Val.Equal(dec("250")) {
		t.Errorf("service_ms_low_load %v, want 250", b.ServiceMsLowLoad)
	}
}

// The seed's distilled variant as the repository's simulator measures its
// queue (simulate/benchfixture_test.go): the calibration finds the model
// within a few per cent of it, and the derived inputs are the variant's.
func TestImportBenchCalibratesAgainstTheSimulator(t *testing.T) {
	t.Parallel()
	p := loadSeed(t)
	b := importOne(t, "seed-distilled-guidellm.json", Options{Plan: &p, Target: Target{Variant: "distilled", Phase: -1}})
	if !b.NodeRPS.Equal(dec("62.5")) || b.Slots != 1 || !b.ServiceMs.Equal(dec("16")) || !b.ServiceCV.Equal(dec("0.5")) {
		t.Fatalf("node_rps %s, slots %d, service_ms %s, cv %s; want the variant's 62.5, 1, 16, 0.5", b.NodeRPS, b.Slots, b.ServiceMs, b.ServiceCV)
	}
	if !b.FixedMs.Equal(dec("25")) {
		t.Errorf("fixed %s ms, want the seed's 15 + 5 + 5", b.FixedMs)
	}
	if !b.MAPEPct.Valid || b.MAPEPct.Val > 10 || b.Warning != "" {
		t.Errorf("MAPE %v (warning %q); the model should be within 10 %% of a simulation of its own queue", b.MAPEPct, b.Warning)
	}
	counted := 0
	for _, r := range b.Runs {
		if r.ErrorShare.Valid {
			counted++
		}
	}
	if counted != 3 {
		t.Errorf("%d runs calibrated, want the three below capacity", counted)
	}
}

// A server the model does not describe (latency flat until a cliff) is
// called out, with the goodput as the cap.
func TestImportBenchWarnsWhenTheModelDoesNotFit(t *testing.T) {
	t.Parallel()
	p := loadSeed(t)
	b := importOne(t, "guidellm-benchmarks.json", Options{Plan: &p})
	if !b.MAPEPct.Valid || b.MAPEPct.Val <= MAPELimitPct || !strings.Contains(b.Warning, "does not fit") {
		t.Fatalf("MAPE %v, warning %q; want a warning over %d %%", b.MAPEPct, b.Warning, MAPELimitPct)
	}
}

func TestImportBenchLLMPerfAndGenAIPerfUnits(t *testing.T) {
	t.Parallel()
	b := importOne(t, "llmperf_summary.json", Options{})
	// 213 requests a minute ÷ 60 = 3.55 req/s; seconds to ms; 8 × 1000 ÷ 3.55 = 2253.5211267…
	if b.Files[0].Tool != ToolLLMPerf || !b.NodeRPS.Equal(dec("3.55")) || b.Slots != 8 || !b.ServiceMs.Equal(dec("2253.521127")) {
		t.Errorf("%s: node_rps %s, slots %d, service_ms %s; want LLMPerf, 3.55, 8, 2253.521127", b.Files[0].Tool, b.NodeRPS, b.Slots, b.ServiceMs)
	}
	if !b.Runs[0].P99Ms.Val.Equal(dec("3600")) || !b.ServiceCV.Equal(dec("0.2")) {
		t.Errorf("p99 %s ms, cv %s; want 3600 and 0.45 ÷ 2.25 = 0.2", b.Runs[0].P99Ms.Val, b.ServiceCV)
	}
	g := importOne(t, "profile_export_genai_perf.json", Options{})
	if g.Files[0].Tool != ToolGenAIPerf || g.Slots != 1 || !g.NodeRPS.Equal(dec("2.87")) {
		t.Errorf("%s: slots %d, node_rps %s; want GenAI-Perf, 1, 2.87", g.Files[0].Tool, g.Slots, g.NodeRPS)
	}
	// The same run in seconds and in nanoseconds reads the same.
	for unit, scale := range map[string]string{"s": "0.001", "ns": "1000000"} {
		doc := `{"request_throughput": {"unit": "requests/sec", "avg": 2.87}, "request_latency": {"unit": "` + unit + `", "avg": ` +
			dec("348").Mul(dec(scale)).String() + `, "p99": ` + dec("362.27").Mul(dec(scale)).String() + `}}`
		f, err := Read("x.json", []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		if r := f.Runs[0]; !r.MeanMs.Val.Equal(dec("348")) || !r.P99Ms.Val.Equal(dec("362.27")) {
			t.Errorf("unit %s: mean %s, p99 %s ms; want 348 and 362.27", unit, r.MeanMs.Val, r.P99Ms.Val)
		}
	}
}

// With only p50 and p99, the CV is a lognormal's through them, and the
// words say so: p99/p50 = e^(2.3263·σ) with σ = 0.5 is 3.2003, CV √(e^0.25 − 1) = 0.53294.
func TestImportBenchCVFromQuantilesSaysWhatItAssumed(t *testing.T) {
	t.Parallel()
	doc := `{"results_num_completed_requests_per_min": 600, "num_concurrent_requests": 4,
		"results_end_to_end_latency_s_quantiles_p50": 0.3, "results_end_to_end_latency_s_quantiles_p99": 0.9600222023828886}`
	f, err := Read("s_summary.json", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Import([]File{f}, Options{Target: Target{Phase: -1}})
	if err != nil {
		t.Fatal(err)
	}
	if got := b.ServiceCV.InexactFloat64(); got < 0.53293 || got > 0.53295 || !strings.Contains(b.CVFrom, "lognormal") {
		t.Errorf("cv %v (%q), want 0.53294, assumed lognormal", got, b.CVFrom)
	}
}

func TestImportBenchSplitsATestOverItsNodes(t *testing.T) {
	t.Parallel()
	b := importOne(t, "profile_export_aiperf.json", Options{NodesInTest: 4})
	// 13.16084556379392 ÷ 4, and the 86.2082 calls the server held ÷ 4
	// nodes = 21.55, so 22; 22 × 1000 ÷ 3.29021139094848 = 6686.50046636… (by hand).
	if !b.NodeRPS.Equal(dec("3.29021139094848")) || b.Slots != 22 || !b.ServiceMs.Equal(dec("6686.500466")) {
		t.Errorf("node_rps %s, slots %d, service_ms %s; want 3.29021139094848, 22, 6686.500466", b.NodeRPS, b.Slots, b.ServiceMs)
	}
}

func TestReadBenchRefusesWhatItCannotRead(t *testing.T) {
	t.Parallel()
	for doc, want := range map[string]string{
		`{"hello": 1}`:       "not a load-test summary scaleplan reads",
		`[1, 2]`:             "a JSON object, this file holds a list of 2",
		`{"benchmarks"`:      "not JSON",
		``:                   "not JSON",
		`{"benchmarks": 3}`:  "benchmarks: must be a list",
		`{"benchmarks": []}`: "no completed run",
		`{"request_throughput": {"avg": -1}, "request_latency": {"unit": "ms"}}`:                                                                                                           "request_throughput.avg: must be a number from 0",
		`{"request_throughput": {"avg": 2}, "request_latency": {"unit": "fortnights", "avg": 1}}`:                                                                                          `a latency unit scaleplan does not know: "fortnights"`,
		`{"request_throughput": {"avg": 2}, "request_latency": {"unit": "ms", "avg": "fast"}}`:                                                                                             `request_latency.avg: must be a number, got "fast"`,
		`{"results_num_completed_requests_per_min": 60, "num_concurrent_requests": 2.5}`:                                                                                                   "num_concurrent_requests: a client concurrency must be a whole number",
		`{"benchmarks": [{"metrics": {"requests_per_second": {"successful": {"mean": 0}}}}]}`:                                                                                              "benchmarks[0]: no request completed",
		`{"benchmarks": [{"duration": 10, "request_totals": {"successful": 5}, "metrics": {"request_latency": {"successful": {"mean": 0.2, "percentiles": {"p50": 0.3, "p99": 0.25}}}}}]}`: "benchmarks[0]: the p99 latency, 250 ms, is below the p50, 300 ms",
		`{"benchmarks": [{"duration": 10, "request_totals": {"successful": 5}, "start_time": -5, "metrics": {"request_latency": {"successful": {"mean": 0.2}}}}]}`:                         "benchmarks[0].start_time: must be a Unix time in seconds, got -5",
		`{"request_throughput": {"avg": 2}, "request_latency": {"unit": "ms", "avg": 0}}`:                                                                                                  "the run: a mean latency of 0 ms: a request takes some time",
		`{"request_throughput": {"avg": 2}, "request_latency": {"unit": "ms", "avg": 5}, "start_time": "9999-99-99T99:99"}`:                                                                `start_time: must be a date and time such as 2025-10-03T13:13:39, got "9999-99-99T99:99"`,
		`{"records": {"request_throughput": {"avg": 2}, "request_count": {"avg": 0}, "request_latency": {"unit": "ms", "avg": 5}}}`:                                                        "the run: no request completed",
	} {
		_, err := Read("dir/odd.json", []byte(doc))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "odd.json: ") {
			t.Errorf("%s: got %v, want an error naming odd.json and %q", doc, err, want)
		}
	}
}

func TestApplyBenchSetsTheTargetWithProvenance(t *testing.T) {
	t.Parallel()
	p := loadSeed(t)
	b := importOne(t, "profile_export_aiperf.json", Options{Plan: &p, Target: Target{Phase: 1}})
	q, err := Apply(p, &b, Target{Phase: 1}, planner.NewDate(2026, 11, 26))
	if err != nil {
		t.Fatal(err)
	}
	a := q.Effective(1)
	if !a.NodeRPS.Equal(dec("13.16084556379392")) || a.Slots != 86 || !a.ServiceMs.Equal(b.ServiceMs) || !q.Phases[1].Overrides.Has("service_cv") {
		t.Errorf("phase 2 runs node_rps %s, slots %d, service_ms %s; want the measured inputs as its overrides", a.NodeRPS, a.Slots, a.ServiceMs)
	}
	if q.Effective(0).NodeRPS.Equal(a.NodeRPS) || !q.Assumptions.NodeRPS.Equal(p.Assumptions.NodeRPS) {
		t.Error("the measured inputs leaked beyond phase 2")
	}
	for _, s := range []string{"AIPerf profile_export_aiperf.json", b.Files[0].SHA256, "run 2025-10-17", "phases[" + p.Phases[1].Name + "]"} {
		if !strings.Contains(q.Notes, s) {
			t.Errorf("notes lack %q", s)
		}
	}
	if !strings.HasPrefix(q.Notes, p.Notes) {
		t.Error("the plan's own notes were not kept")
	}
	// Defaults, and a refused target that leaves the plan as it was.
	d, err := Apply(p, &b, Target{Phase: -1}, planner.NewDate(2026, 11, 26))
	if err != nil || !d.Assumptions.NodeRPS.Equal(b.NodeRPS) {
		t.Errorf("defaults: node_rps %s, %v", d.Assumptions.NodeRPS, err)
	}
	if _, err := Apply(p, &b, Target{Variant: "nope", Phase: -1}, planner.NewDate(2026, 11, 26)); err == nil || !strings.Contains(err.Error(), `no variant is named "nope"`) {
		t.Errorf("unknown variant: %v", err)
	}
	if _, err := Import(b.Files, Options{Plan: &p, Target: Target{Variant: "nope", Phase: -1}}); err == nil {
		t.Error("an import for a variant the plan lacks was accepted")
	}
}

// BenchmarkImportBench reads the simulated GuideLLM sweep and derives and
// calibrates its inputs against the seed: what File → Import load test
// does on the UI goroutine, and so must take well under a frame.
func BenchmarkImportBench(b *testing.B) {
	data, err := os.ReadFile("../../testdata/bench/seed-distilled-guidellm.json")
	if err != nil {
		b.Fatal(err)
	}
	p := loadSeed(b)
	b.ReportAllocs()
	for b.Loop() {
		f, err := Read("seed-distilled-guidellm.json", data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Import([]File{f}, Options{Plan: &p, Target: Target{Variant: "distilled", Phase: -1}}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestImportBenchWithAPlanWithoutATarget(t *testing.T) {
	t.Parallel()
	p := loadSeed(t)
	p.SLO.P99Ms = planner.Opt[decimal.Decimal]{}
	b := importOne(t, "guidellm-benchmarks.json", Options{Plan: &p})
	if !b.HasPlan || b.GoodputRPS.Valid || b.TargetP99Ms.Valid {
		t.Errorf("has plan %v, goodput %v, target %v", b.HasPlan, b.GoodputRPS, b.TargetP99Ms)
	}
}

// FuzzReadBench: whatever a load-test file holds, reading and importing it
// either works or says what is wrong, and never panics; what it derives
// obeys the plan's own rules.
func FuzzReadBench(f *testing.F) {
	for _, name := range []string{"profile_export_aiperf.json", "guidellm-benchmarks.json", "llmperf_summary.json", "profile_export_genai_perf.json", "seed-distilled-guidellm.json"} {
		data, err := os.ReadFile("../../testdata/bench/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, int64(1))
	}
	f.Add([]byte(`{"results_num_completed_requests_per_min": 1e-30}`), int64(1))
	f.Add([]byte(`{"request_throughput": {"avg": 1e15}, "request_latency": {"unit": "ms", "avg": 1, "std": 1e15}}`), int64(3))
	p := loadSeed(f)
	f.Fuzz(func(t *testing.T, data []byte, nodes int64) {
		file, err := Read("fuzz.json", data)
		if err != nil {
			return
		}
		b, err := Import([]File{file}, Options{NodesInTest: nodes, Plan: &p, Target: Target{Phase: -1}})
		if err != nil {
			return
		}
		if q, err := Apply(p, &b, Target{Phase: -1}, planner.NewDate(2026, 11, 26)); err == nil {
			if planner.Validate(q) != nil {
				t.Fatalf("applied inputs made an invalid plan")
			}
		}
	})
}
