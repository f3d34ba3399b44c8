package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/planner"
)

const benchDir = "../testdata/bench/"

func TestImportBenchJSONHasTheDerivedInputsUnrounded(t *testing.T) {
	code, out, errs := run("import-bench", benchDir+"profile_export_aiperf.json", "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got map[string]any
	d := json.NewDecoder(strings.NewReader(out))
	d.UseNumber()
	if err := d.Decode(&got); err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"node_rps": "13.16084556379392", "slots": "86", "service_ms": "6534.534547", "service_cv": "0.17879"} {
		if s, _ := got[k].(string); s != want { // the decimal text written to a plan, as a string
			t.Errorf("%s = %#v, want the string %q", k, got[k], want)
		}
	}
	for _, k := range []string{"goodput_rps", "mape_pct"} {
		if v, ok := got[k]; !ok || v != nil {
			t.Errorf("%s = %v, want null without a plan", k, v)
		}
	}
	runs, _ := got["runs"].([]any)
	if len(runs) != 1 {
		t.Fatalf("runs %v", got["runs"])
	}
	r := runs[0].(map[string]any)
	if r["p99_ms"] != json.Number("9381.629") || r["saturated"] != true || r["p99_predicted_ms"] != nil {
		t.Errorf("run %v: want p99 9381.629 ms measured, saturated, no prediction", r)
	}
}

// Writing a fixture made from the seed's distilled variant into the seed
// changes its notes and nothing the model computes.
func TestImportBenchWriteReproducesCompute(t *testing.T) {
	_, plan, _ := seedCopy(t)
	code, _, errs := run("import-bench", benchDir+"seed-distilled-guidellm.json", "--write", plan, "--variant", "distilled")
	if code != ExitOK || !strings.Contains(errs, "wrote node_rps, slots, service_ms and service_cv of variants[distilled]") {
		t.Fatalf("exit %d: %s", code, errs)
	}
	_, before, _ := run("compute", "--json", seed)
	_, after, _ := run("compute", "--json", plan)
	if before != after || before == "" {
		t.Error("compute changed after importing the seed's own inputs")
	}
	written, _ := os.ReadFile(plan)
	if !strings.Contains(string(written), "Measured on ") || !strings.Contains(string(written), "seed-distilled-guidellm.json (SHA-256 ") {
		t.Error("the plan's notes lack the measurement's provenance")
	}
}

func TestImportBenchRefusesAndChangesNothing(t *testing.T) {
	dir, plan, data := seedCopy(t)
	odd := filepath.Join(dir, "odd.json")
	os.WriteFile(odd, []byte(`{"hello": 1}`), 0o644)
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{odd, "--write", plan}, ExitInvalid, "odd.json: not a load-test summary scaleplan reads"},
		{[]string{filepath.Join(dir, "missing.json")}, ExitInvalid, "missing.json: no such file"},
		{[]string{}, ExitUsage, "give one or more load-test files"},
		{[]string{benchDir + "llmperf_summary.json", "--variant", "distilled"}, ExitUsage, "--variant and --phase need a plan"},
		{[]string{benchDir + "llmperf_summary.json", "--write", plan, "--variant", "nope"}, ExitUsage, `the plan has no variant "nope"`},
		{[]string{benchDir + "llmperf_summary.json", "--write", plan, "--phase", "9"}, ExitUsage, `no phase "9"`},
		{[]string{benchDir + "llmperf_summary.json", "--nodes-in-test", "0"}, ExitUsage, "--nodes-in-test must be a whole number from 1"},
		{[]string{benchDir + "llmperf_summary.json", "--plan", plan, "--write", plan}, ExitUsage, "give --plan or --write, not both"},
	} {
		code, _, errs := run(append([]string{"import-bench"}, c.args...)...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", c.args, code, errs, c.code, c.want)
		}
	}
	if after, _ := os.ReadFile(plan); string(after) != string(data) {
		t.Error("a refused import changed the plan file")
	}
}

func TestImportBenchPlanGivesGoodputWithoutWriting(t *testing.T) {
	_, plan, data := seedCopy(t)
	code, out, errs := run("import-bench", benchDir+"seed-distilled-guidellm.json", "--plan", plan, "--variant", "distilled")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// p99s 89, 128 and 256 ms against the seed's 200 ms: 35 calls/s is the goodput.
	if !strings.Contains(out, "goodput              35.000 req/s a node") || !strings.Contains(out, "% MAPE") {
		t.Errorf("output lacks the goodput or the calibration:\n%s", out)
	}
	if after, _ := os.ReadFile(plan); string(after) != string(data) {
		t.Error("--plan changed the plan file")
	}
}

// compute --json carries the token, API and memory figures; a plan
// without them carries none of their keys.
func TestComputeJSONHasTokensAndMemory(t *testing.T) {
	_, out, _ := run("compute", "--json", "../testdata/every-input-set.json")
	var got struct {
		Phases []map[string]any `json:"phases"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	launch := got.Phases[1]
	// 2 × 28 layers × 2 KV heads × 128 × 2 bytes = 28,672; 64,000 tokens/s ÷ 800 tokens.
	if launch["kv_bytes_per_token"] != 28672.0 || launch["node_rps_from_tokens"] != true || launch["input_tokens"] != 600.0 {
		t.Errorf("launch: kv %v, from tokens %v, input %v", launch["kv_bytes_per_token"], launch["node_rps_from_tokens"], launch["input_tokens"])
	}
	if n, ok := launch["max_concurrent_calls"].(float64); !ok || n != float64(int64(n)) || n <= 0 {
		t.Errorf("max_concurrent_calls %v, want a whole number", launch["max_concurrent_calls"])
	}
	buy, _ := launch["buy"].(map[string]any)
	// 600 × €0.15 + 200 × €0.60 per million tokens.
	if buy == nil || buy["api_cost_per_call"] != "0.00021" {
		t.Errorf("buy %v", launch["buy"])
	}
	if v, _ := launch["variants"].(map[string]any); v == nil || v["buy"] == nil {
		t.Error("the API did not join the variant comparison")
	}
	_, seedOut, _ := run("compute", "--json", seed)
	// The seed's variants give their architecture (so estimate can work
	// from it) but no GPU memory or tokens: a KV cache a token, 2 × 32
	// layers × 8 KV heads × 128 × 2 bytes = 131,072, and no memory fit.
	if !strings.Contains(seedOut, `"kv_bytes_per_token": 131072`) {
		t.Error("the seed's JSON lacks its 8B model's KV cache a token, 131,072 bytes")
	}
	for _, k := range []string{"max_concurrent_calls", "buy", "input_tokens"} {
		if strings.Contains(seedOut, `"`+k+`"`) {
			t.Errorf("the seed's JSON has %s", k)
		}
	}
}

// explain says the tokens, the memory fit and the API beside the variants:
// Launch bought would cost €29,146.48 − €7,299.07 of serving + €18,900.00 = €40,747.41.
func TestExplainSaysTokensMemoryAndBuy(t *testing.T) {
	_, out, _ := run("explain", "../testdata/every-input-set.json")
	for _, want := range []string{
		"Tokens: a call reads 600 and writes 200 tokens; at 64,000 tokens/s a node serves 64,000 ÷ 800 = 80.000 calls/s",
		"GPU memory: the KV cache takes 28,672 bytes a token",
		"Build or buy: buying from the API costs €0.000210 a call, €18,900.00 for the phase, against €7,299.07 of serving it yourself",
		"- buy, the API at €0.15 in and €0.60 out a million tokens: €40,747.41 for the phase with its other costs",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explain lacks %q", want)
		}
	}
}

// seedCopy writes the seed to plan.json in a new folder, for a test that
// writes to it; data is the seed's bytes, to compare with.
func seedCopy(t *testing.T) (dir, plan string, data []byte) {
	t.Helper()
	dir = t.TempDir()
	plan = filepath.Join(dir, "plan.json")
	data, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(plan, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, plan, data
}

// Files are pooled: an AIPerf run and a GenAI-Perf run read as two runs,
// the faster setting node_rps; --phase writes the phase's overrides only.
func TestImportBenchPoolsFilesAndWritesAPhase(t *testing.T) {
	_, plan, _ := seedCopy(t)
	code, out, errs := run("import-bench", benchDir+"profile_export_genai_perf.json", benchDir+"profile_export_aiperf.json", "--write", plan, "--phase", "Phase 1", "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		NodeRPS string `json:"node_rps"`
		Slots   string `json:"slots"`
		Target  string `json:"target"`
		Runs    []struct {
			File string      `json:"file"`
			Rate json.Number `json:"rate_rps"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	// 2.87 req/s (GenAI-Perf, concurrency 1) below 13.16 (AIPerf, concurrency 100, holding 86 calls).
	if len(got.Runs) != 2 || got.Runs[0].File != "profile_export_genai_perf.json" || got.NodeRPS != "13.16084556379392" || got.Slots != "86" || got.Target != "phases[Phase 1]" {
		t.Errorf("pooled import: %+v", got)
	}
	p, err := planner.Load(plan)
	if err != nil {
		t.Fatal(err)
	}
	if a := p.Effective(1); a.Slots != 86 || !p.Phases[1].Overrides.Has("node_rps") || p.Phases[0].Overrides.Has("node_rps") || p.Assumptions.NodeRPS.String() != "22.2" {
		t.Errorf("Phase 1 runs %d slots; overrides %v, Baseline's %v", a.Slots, p.Phases[1].Overrides.Keys(), p.Phases[0].Overrides.Keys())
	}
	for _, s := range []string{"GenAI-Perf profile_export_genai_perf.json", "AIPerf profile_export_aiperf.json (SHA-256 "} {
		if !strings.Contains(p.Notes, s) {
			t.Errorf("notes lack %q", s)
		}
	}
}

// A run's token latencies are in the table and the JSON: LLMPerf's Groq
// run, its seconds read as ms (0.22786034579 s → 227.86 ms; the README's
// Token latencies table).
func TestImportBenchShowsTokenLatencies(t *testing.T) {
	file := "../testdata/bench/real/llmperf-groq_70b.json"
	code, out, errs := run("import-bench", file)
	if code != ExitOK || !strings.Contains(out, "Token latencies (ms): TTFT") || !strings.Contains(out, "227.9      221.9     350.0     5.4       5.3      6.6") {
		t.Errorf("table (exit %d):\n%s%s", code, out, errs)
	}
	code, out, _ = run("import-bench", file, "--json")
	var got struct {
		Runs []struct {
			TTFT map[string]json.Number `json:"ttft_ms"`
			ITL  map[string]json.Number `json:"itl_ms"`
		} `json:"runs"`
	}
	if err := json.Unmarshal([]byte(out), &got); code != ExitOK || err != nil || len(got.Runs) != 1 || got.Runs[0].TTFT["p99"] != "350.027" || got.Runs[0].ITL["mean"] != "5.384" {
		t.Errorf("JSON (exit %d, %v): %+v", code, err, got)
	}
}
