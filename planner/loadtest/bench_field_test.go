package loadtest

import (
	"reflect"
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/planner"
)

// Rates in real files carry 16 to 20 decimal places (a float's
// 0.024999999999999994, requests a minute ÷ 60). What is written is what a
// plan holds, 15 places, and the write succeeds; the file's figure stays in
// the provenance. The file here is LLMPerf-shaped: 1.5 requests a minute
// is 0.025 req/s exactly, ÷ 60 taken to 20 places by the reader.
func TestImportWritesRatesRoundedToWhatAPlanHolds(t *testing.T) {
	t.Parallel()
	f, err := Read("x_summary.json", []byte(`{"results_num_completed_requests_per_min": 0.024999999999999994,
	  "num_concurrent_requests": 1, "results_end_to_end_latency_s_mean": 30, "results_end_to_end_latency_s_quantiles_p50": 29,
	  "results_end_to_end_latency_s_quantiles_p99": 41}`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Import([]File{f}, Options{Target: Target{Phase: -1}})
	if err != nil {
		t.Fatal(err)
	}
	// 0.024999999999999994 ÷ 60 = 0.0004166666666666665666…: 15 places
	// are written, the reader's 20 (…657) kept in the notes.
	if got := b.NodeRPS.String(); got != "0.000416666666667" {
		t.Errorf("node_rps written %s, want 0.000416666666667", got)
	}
	seed := loadSeed(t)
	q, err := Apply(seed, &b, Target{Phase: -1}, planner.NewDate(2027, 1, 1))
	if err != nil {
		t.Fatalf("--write refused: %v", err)
	}
	if !strings.Contains(q.Notes, "the file's 0.00041666666666666657") || !strings.Contains(q.Notes, "rounded to the 15 places a plan holds") {
		t.Errorf("provenance lacks the file's exact figure: %s", q.Notes)
	}
	// One run sets node_rps, so it is the node at full load: saturated by
	// what it is, never a calibration point (a 5.6 × 10¹¹ % error before).
	if !b.Runs[0].Saturated || b.MAPEPct.Valid {
		t.Errorf("the only run: saturated %v, MAPE %v; want saturated and no MAPE", b.Runs[0].Saturated, b.MAPEPct)
	}
}

// GuideLLM's benchmarks.yaml is read, to the same digits as its JSON twin
// (the corpus holds both for one run); YAML that is not a summary is
// refused in YAML's words, not JSON's.
func TestImportReadsYAMLAsItsJSONTwin(t *testing.T) {
	t.Parallel()
	y, j := readBenchFile(t, "real/guidellm-2025-07-sweep-synchronous.yaml"), readBenchFile(t, "real/guidellm-2025-07-sweep-synchronous.json")
	y.Name, y.SHA256, j.Name, j.SHA256 = "", "", "", ""
	if !reflect.DeepEqual(y, j) {
		t.Errorf("YAML read as %+v\nJSON read as %+v", y, j)
	}
	// 46 completed in 29.997201442718506 s (by hand: 1.5334763840500194…).
	if len(j.Runs) != 1 || j.Runs[0].RPS.Round(9).String() != "1.533476384" || j.Runs[0].Incomplete.Val != 1 || j.Model != "example_model" {
		t.Errorf("runs %+v, model %q", j.Runs, j.Model)
	}
	for _, c := range []struct{ name, data, want string }{
		{"benchmarks.yaml", "benchmarks:\n  - type_: synchronous\n", "benchmarks[0]: no request completed"},
		{"benchmarks.txt", "---\nbenchmarks: [\n", "not YAML a load-test tool writes"},
		{"out", "benchmarks:\n- x\n\t- y\n", "not YAML a load-test tool writes"},
	} {
		_, err := Read(c.name, []byte(c.data))
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "invalid character") {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}

// A short GuideLLM run: its mean of per-second rates under-reads; the rate
// is completed requests ÷ duration, and the disagreement is said.
func TestImportGuideLLMShortRunRateIsCompletedOverDuration(t *testing.T) {
	t.Parallel()
	f, err := Read("short.json", []byte(`{"benchmarks": [{"args": {"strategy": {"type_": "synchronous"}},
		"duration": 24.9, "request_totals": {"successful": 4, "errored": 0, "incomplete": 0, "total": 4},
		"metrics": {"requests_per_second": {"successful": {"mean": 0.1204}},
			"request_concurrency": {"successful": {"mean": 0.99}},
			"request_latency": {"successful": {"mean": 6.2, "std_dev": 0.3}}}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	// 4 ÷ 24.9 = 0.160642570281124…; the mean 0.1204 is 25.05 % below it;
	// 0.99 ÷ 6.2 = 0.159677… is 0.6 % off, within 5 %.
	if got := f.Runs[0].RPS.Round(6).String(); got != "0.160643" {
		t.Errorf("rate %s, want 0.160643", got)
	}
	if len(f.Notes) != 1 || !strings.Contains(f.Notes[0], "4 completed ÷ 24.9 s gives 0.1606 req/s, the file's mean rate gives 0.1204 req/s, 25.1 % apart") {
		t.Errorf("notes %q, want the mean rate's disagreement alone", f.Notes)
	}
	b, err := Import([]File{f}, Options{Target: Target{Phase: -1}})
	if err != nil || len(b.Notes) != 1 || !strings.HasPrefix(b.Notes[0], "short.json: benchmarks[0] (synchronous)") {
		t.Errorf("import notes %q (%v)", b.Notes, err)
	}
}

// Files of one model whose requests differ in length by over 10 % are
// different workloads.
func TestPoolProblemNamesTokenLengths(t *testing.T) {
	t.Parallel()
	mk := func(name string, in, out string) File {
		return File{Name: name, Model: "m", InputTokens: planner.Some(dec(in)), OutputTokens: planner.Some(dec(out))}
	}
	if p := poolProblem([]File{mk("a", "550", "150"), mk("b", "600", "160")}); p != "" { // 9.1 % and 6.7 % apart
		t.Errorf("within 10 %%: %q", p)
	}
	p := poolProblem([]File{mk("a", "550", "150"), mk("b", "550", "250")})
	if !strings.Contains(p, "output tokens a request more than 10 % apart: 150 (a), 250 (b)") || strings.Contains(p, "input") {
		t.Errorf("%q", p)
	}
}

// AIPerf's 2025 layout nests the metrics under "records"; 0.8 and after
// give the concurrency in input_config.phases[]. The run here had 4.
func TestImportReadsAIPerfLayouts(t *testing.T) {
	t.Parallel()
	f, err := Read("profile_export_aiperf.json", []byte(`{"records": {
	   "request_throughput": {"unit": "requests/sec", "avg": 2.5},
	   "request_latency": {"unit": "ms", "avg": 1500, "p50": 1400, "p99": 2900, "std": 300}},
	  "input_config": {"phases": [{"name": "warmup", "concurrency": 1}, {"name": "profiling", "concurrency": 4}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if f.Tool != ToolAIPerf || len(f.Runs) != 1 || f.Runs[0].RPS.String() != "2.5" || !f.Runs[0].Concurrency.Valid || f.Runs[0].Concurrency.Val != 4 || f.Runs[0].P99Ms.Val.String() != "2900" {
		t.Errorf("read %s %+v", f.Tool, f.Runs)
	}
}

// A typed number past the places a plan keeps is refused by that limit,
// not as "not a number > 0".
func TestTooManyPlacesNameTheLimit(t *testing.T) {
	t.Parallel()
	p := loadSeed(t)
	if _, err := planner.SetInput(p, planner.PlanDefault, "node_rps", "0.00041666666666666657"); err == nil || !strings.Contains(err.Error(), "assumptions.node_rps: must have at most 15 decimal places") {
		t.Errorf("plan default: %v", err)
	}
	if _, err := planner.SetVariant(p, "distilled", "node_rps", "0.00041666666666666657"); err == nil || !strings.Contains(err.Error(), "must have at most 15 decimal places") {
		t.Errorf("variant: %v", err)
	}
	if _, err := planner.SetInput(p, planner.PlanDefault, "node_rps", "fast"); err == nil || !strings.Contains(err.Error(), "must be a number > 0") {
		t.Errorf("not a number: %v", err)
	}
}
