package planner

import (
	"strings"
	"testing"
)

// Rates in real files carry 16 to 20 decimal places (a float's
// 0.024999999999999994, requests a minute ÷ 60). What is written is what a
// plan holds, 15 places, and the write succeeds; the file's figure stays in
// the provenance. The file here is LLMPerf-shaped: 1.5 requests a minute
// is 0.025 req/s exactly, ÷ 60 taken to 20 places by the reader.
func TestImportWritesRatesRoundedToWhatAPlanHolds(t *testing.T) {
	f, err := ReadBench("x_summary.json", []byte(`{"results_num_completed_requests_per_min": 0.024999999999999994,
	  "num_concurrent_requests": 1, "results_end_to_end_latency_s_mean": 30, "results_end_to_end_latency_s_quantiles_p50": 29,
	  "results_end_to_end_latency_s_quantiles_p99": 41}`))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ImportBench([]BenchFile{f}, BenchOptions{Target: BenchTarget{Phase: -1}})
	if err != nil {
		t.Fatal(err)
	}
	// 0.024999999999999994 ÷ 60 = 0.0004166666666666665666…: 15 places
	// are written, the reader's 20 (…657) kept in the notes.
	if got := b.NodeRPS.String(); got != "0.000416666666667" {
		t.Errorf("node_rps written %s, want 0.000416666666667", got)
	}
	seed := loadSeed(t)
	q, err := ApplyBench(seed, &b, BenchTarget{Phase: -1}, NewDate(2027, 1, 1))
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

func TestImportRefusesYAMLInWords(t *testing.T) {
	for _, c := range []struct{ name, data string }{
		{"benchmarks.yaml", "benchmarks:\n  - type_: synchronous\n"},
		{"benchmarks.txt", "---\nbenchmarks: []\n"},
		{"out", "benchmarks:\n- x\n"},
	} {
		_, err := ReadBench(c.name, []byte(c.data))
		if err == nil || !strings.Contains(err.Error(), "a YAML file") || strings.Contains(err.Error(), "invalid character") {
			t.Errorf("%s: %v, want YAML named", c.name, err)
		}
	}
}

// AIPerf's 2025 layout nests the metrics under "records"; 0.8 and after
// give the concurrency in input_config.phases[]. The run here had 4.
func TestImportReadsAIPerfLayouts(t *testing.T) {
	f, err := ReadBench("profile_export_aiperf.json", []byte(`{"records": {
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
	p := loadSeed(t)
	if _, err := SetInput(p, PlanDefault, "node_rps", "0.00041666666666666657"); err == nil || !strings.Contains(err.Error(), "assumptions.node_rps: must have at most 15 decimal places") {
		t.Errorf("plan default: %v", err)
	}
	if _, err := setVariant(p, "distilled", "node_rps", "0.00041666666666666657"); err == nil || !strings.Contains(err.Error(), "must have at most 15 decimal places") {
		t.Errorf("variant: %v", err)
	}
	if _, err := SetInput(p, PlanDefault, "node_rps", "fast"); err == nil || !strings.Contains(err.Error(), "must be a number > 0") {
		t.Errorf("not a number: %v", err)
	}
}
