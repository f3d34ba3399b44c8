package planner

import (
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/planner/gpu"
	"github.com/shopspring/decimal"
)

// llmPlan is a one-phase plan for the token and memory tests: a flat day,
// no storage or network, a variant with the given figures.
func llmPlan(t *testing.T, assumptions, variant, phase string) Plan {
	t.Helper()
	base := func(own, defaults string) string {
		for _, kv := range strings.Split(defaults, ", ") {
			if !strings.Contains(own, strings.Split(kv, ":")[0]) {
				own = ", " + kv + own
			}
		}
		return strings.TrimPrefix(own, ", ")
	}
	doc := `{"format": 2, "name": "llm", "start_date": "2027-01-04",
	  "assumptions": {` + base(assumptions, `"node_hourly": 3.6, "node_rps": 10, "target_utilization": 1`) + `},
	  "variants": [{"name": "m", "accuracy": 0.9, ` + base(variant, `"node_rps": 10`) + `}],
	  "phases": [{"name": "P", "days": 30, "calls_per_day": 864000, "scaling": "fixed", "variant": "m"` + phase + `}]}`
	p, err := Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestKVBytesPerTokenFromPublishedArchitectures(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		f    VariantFigures
		want int64
	}{
		// Llama-3-8B: 32 layers, 8 KV heads, head_dim 128, bf16: 2 × 32 × 8 × 128 × 2.
		{"Llama-3-8B", VariantFigures{Layers: Some(dec("32")), KVHeads: Some(dec("8")), HeadDim: Some(dec("128")), KVBytes: Some(dec("2"))}, 131_072},
		// DeepSeek-V2, MLA: 60 layers × (512 + 64) × 2.
		{"DeepSeek-V2", VariantFigures{Layers: Some(dec("60")), KVLoraRank: Some(dec("512")), QKRopeHeadDim: Some(dec("64"))}, 69_120},
		// Qwen2-VL-7B: 28 layers, 4 KV heads, head_dim 128, bf16.
		{"Qwen2-VL-7B", VariantFigures{Layers: Some(dec("28")), KVHeads: Some(dec("4")), HeadDim: Some(dec("128"))}, 57_344},
	} {
		v := Variant{Name: c.name, Figures: c.f}
		got, ok := v.GPU().KVBytesPerToken()
		if !ok || !got.Equal(decimal.NewFromInt(c.want)) {
			t.Errorf("%s: %s bytes a token (%v), want %d", c.name, got, ok, c.want)
		}
	}
	if _, ok := (&Variant{Figures: VariantFigures{Layers: Some(dec("32"))}}).GPU().KVBytesPerToken(); ok {
		t.Error("layers alone gave a KV size")
	}
}

// A vLLM start-up log for Qwen2-VL-7B prints a 4.36 GiB KV budget, 5,102
// blocks (81,632 tokens) and a maximum concurrency of 9.96 for requests of
// 8,192 tokens.
func TestKVBlocksAsVLLMCountsThem(t *testing.T) {
	t.Parallel()
	budget := dec("4.36").Mul(gpu.GiB)
	blocks := gpu.KVBlocks(budget, dec("57344"))
	if blocks != 5_102 || blocks*gpu.KVBlockTokens != 81_632 {
		t.Fatalf("%d blocks, %d tokens; want 5,102 and 81,632", blocks, blocks*gpu.KVBlockTokens)
	}
	if got := float64(blocks*gpu.KVBlockTokens) / 8192; got < 9.955 || got >= 9.965 {
		t.Errorf("concurrency %.3f, want 9.96", got)
	}
	if held := gpu.CallsOf(blocks, 8192); held != 9 {
		t.Errorf("%d whole calls held, want 9", held)
	}
}

// The same node from its inputs: 23.67 GiB × 0.90 − 15.51 GiB of weights −
// 1.44 GiB (0.28 non-torch + 1.16 activations) = 4.353 GiB, which the log
// rounds up to 4.36; 4.353 × 2³⁰ ÷ (57,344 × 16) = 5,094.3 blocks.
func TestMemoryFitFromTheNodesInputs(t *testing.T) {
	t.Parallel()
	// 15.51 GiB of bf16 weights is 15.51 × 2³⁰ ÷ 2 = 8.32686784512 × 10⁹ parameters.
	p := llmPlan(t, `, "gpus_per_node": 1, "gpu_memory_gib": 23.67, "gpu_overhead_gib": 1.44`,
		`, "params_b": 8.32686784512, "layers": 28, "kv_heads": 4, "head_dim": 128`, `, "input_tokens": 8000, "output_tokens": 192`)
	r := Compute(p)
	ph := &r.Phases[0]
	if !ph.KVBudgetGiB.Valid || !ph.KVBudgetGiB.Val.Equal(dec("4.353")) {
		t.Errorf("KV budget %v GiB, want 4.353", ph.KVBudgetGiB)
	}
	if !ph.KVBlocks.Valid || ph.KVBlocks.Val != 5_094 {
		t.Errorf("%v blocks, want 5,094", ph.KVBlocks)
	}
	// 8,192 tokens take 512 blocks: ⌊5,094 ÷ 512⌋ = 9 calls.
	if !ph.MaxConcurrentCalls.Valid || ph.MaxConcurrentCalls.Val != 9 {
		t.Errorf("%v calls held, want 9", ph.MaxConcurrentCalls)
	}
}

// Memory binds: a node's KV cache holds 9 calls of 8,192 tokens, fewer
// than its 64 slots, so a node runs 9 at once: 9 × 1000 ÷ 20,000 ms =
// 0.45 calls/s, not 3.2. 10 calls/s then need ⌈10 ÷ 0.45⌉ = 23 nodes,
// where every slot usable would need ⌈10 ÷ 3.2⌉ = 4.
func findCheck(ph *PhaseResult, name string) *Check {
	for i := range ph.Checks {
		if ph.Checks[i].Name == name {
			return &ph.Checks[i]
		}
	}
	return nil
}

func TestModelThatDoesNotFitIsSaid(t *testing.T) {
	t.Parallel()
	// 70B parameters of bf16 weights (130 GiB) on one 80 GiB GPU.
	p := llmPlan(t, `, "gpus_per_node": 1, "gpu_memory_gib": 80`, `, "params_b": 70, "layers": 80, "kv_heads": 8, "head_dim": 128`, `, "input_tokens": 1000`)
	ph := Compute(p).Phases[0]
	if !ph.MaxConcurrentCalls.Valid || ph.MaxConcurrentCalls.Val != 0 || !strings.Contains(ph.MemoryNote, "no memory is left for the KV cache") {
		t.Errorf("held %v, note %q", ph.MaxConcurrentCalls, ph.MemoryNote)
	}
	if c := findCheck(&ph, CheckMemory); c == nil || c.OK {
		t.Errorf("memory check %+v, want a failure", c)
	}
	// Two GPUs of tensor parallelism on a two-GPU node: 2 × 80 × 0.9 − 130.39 = 13.6 GiB.
	p = llmPlan(t, `, "gpus_per_node": 2, "gpu_memory_gib": 80, "tensor_parallel": 2`, `, "params_b": 70, "layers": 80, "kv_heads": 8, "head_dim": 128`, `, "input_tokens": 1000`)
	ph = Compute(p).Phases[0]
	want := dec("144").Sub(dec("140").Shift(9).DivRound(gpu.GiB, 20)).Round(6)
	if ph.Replicas != 1 || !ph.KVBudgetGiB.Val.Round(6).Equal(want) {
		t.Errorf("%d replicas, budget %s GiB; want 1 and %s", ph.Replicas, ph.KVBudgetGiB.Val, want)
	}
}

// $6.88 an hour at 12,500 tokens a second: 6.88 × 10⁶ ÷ (12,500 × 3,600) = $0.152889 a million tokens.
func TestTokensPriceAMillionAndSetTheThroughput(t *testing.T) {
	t.Parallel()
	p := llmPlan(t, `, "node_hourly": 6.88, "tokens_per_s": 12500`, ``, `, "input_tokens": 1470`)
	r := Compute(p)
	ph := &r.Phases[0]
	if !ph.NodeCostPerMillionTokens.Valid || ph.NodeCostPerMillionTokens.Val.Round(4).String() != "0.1529" {
		t.Errorf("a node's million tokens %v, want $0.1529", ph.NodeCostPerMillionTokens)
	}
	// 12,500 ÷ 1,470 = 8.503401360544… calls a second, and the grid refuses a typed node_rps.
	if !ph.Inputs.NodeRPS.Equal(dec("8.503401360544")) || !ph.Inputs.NodeRPSFromTokens() {
		t.Errorf("node_rps %s, want 8.503401360544 from tokens", ph.Inputs.NodeRPS)
	}
	if _, err := SetInput(p, 0, "node_rps", "20"); err == nil || !strings.Contains(err.Error(), "tokens_per_s 12500 ÷ 1,470 tokens a call") {
		t.Errorf("typing node_rps over tokens: %v", err)
	}
	// Cost per million tokens is the phase's total over its tokens.
	want := ph.Cost.Total.Mul(dec("1000000")).DivRound(dec("864000").Mul(dec("30")).Mul(dec("1470")), 20)
	if !ph.CostPerMillionTokens.Val.Equal(want) {
		t.Errorf("cost per million tokens %s, want %s", ph.CostPerMillionTokens.Val, want)
	}
	// The phase's own tokens win over the variant's.
	p.Variants[0].Figures.InputTokens = Some(dec("3000"))
	if a := p.Effective(0); a.InputTokens().Val != 1470 {
		t.Errorf("input tokens %v, want the phase's 1,470", a.InputTokens())
	}
	p.Phases[0].InputTokens = Opt[int64]{}
	if a := p.Effective(0); a.InputTokens().Val != 3000 {
		t.Errorf("input tokens %v, want the variant's 3,000", a.InputTokens())
	}
}

// One node serves 10 calls/s, 864,000 a day, for $3.60 × 24 = $86.40; the
// API charges $0.10 a million input tokens, $0.0001 a call of 1,000. So
// self-hosting is cheaper from 86.40 ÷ 0.0001 = 864,000 calls a day — and
// only at whole nodes' worth: at k × 864,000 calls a day, k nodes cost
// 86.40·k = the API's bill; one call more needs another node. So up to
// the search's limit (100 × 100,000) the runs are the eleven volumes
// 864,000 × 1 … 11.
func TestTokenAndMemoryKeysRoundTripAsFormat2(t *testing.T) {
	t.Parallel()
	p := llmPlan(t, `, "tokens_per_s": 12500, "gpus_per_node": 8, "gpu_memory_gib": 80, "tensor_parallel": 2, "gpu_memory_utilization": 0.92, "gpu_overhead_gib": 1.5, "api_price_in": 0.15`,
		`, "params_b": 8, "layers": 32, "kv_heads": 8, "head_dim": 128, "kv_bytes": 1, "weight_bytes": 1, "input_tokens": 500`, `, "output_tokens": 120`)
	out := Marshal(p)
	q, err := Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(Marshal(q)) != string(out) || FormatOf(q) != 2 {
		t.Errorf("did not round-trip as format 2:\n%s", out)
	}
	for _, k := range []string{`"tokens_per_s": 12500`, `"gpu_memory_utilization": 0.92`, `"kv_bytes": 1`, `"output_tokens": 120`, `"input_tokens": 500`} {
		if !strings.Contains(string(out), k) {
			t.Errorf("saved plan lacks %s", k)
		}
	}
	// A plan without them stays format 1, the default utilization unwritten.
	seed := loadSeed(t)
	if FormatOf(seed) != 2 || strings.Contains(string(Marshal(seed)), "gpu_memory_utilization") {
		t.Error("the seed wrote a default it does not set")
	}
	for _, bad := range []struct{ doc, want string }{
		{`"assumptions": {"node_hourly": 1, "node_rps": 1, "target_utilization": 1, "gpu_memory_utilization": 1.5}`, "assumptions.gpu_memory_utilization: must be a number > 0 and ≤ 1, got 1.5"},
		{`"assumptions": {"node_hourly": 1, "node_rps": 1, "target_utilization": 1, "tensor_parallel": 0}`, "assumptions.tensor_parallel: must be a whole number from 1 to 1,024, got 0"},
		{`"assumptions": {"node_hourly": 1, "node_rps": 1, "target_utilization": 1}, "variants": [{"name": "v", "accuracy": 1, "node_rps": 1, "kv_bytes": 0}]`, "variants[0].kv_bytes: must be a number of bytes > 0 and ≤ 8, got 0"},
	} {
		_, err := Parse([]byte(`{"format": 2, "name": "x", "start_date": "2027-01-04", ` + bad.doc + `, "phases": [{"name": "P", "days": 1, "calls_per_day": 1, "scaling": "fixed", "input_tokens": 2.5}]}`))
		if err == nil || !strings.Contains(err.Error(), bad.want) || !strings.Contains(err.Error(), "phases[0].input_tokens: must be a whole number from 0 to 10,000,000, got 2.5") {
			t.Errorf("%s: %v", bad.want, err)
		}
	}
}

func TestIncompleteArchitectureIsRefusedByPath(t *testing.T) {
	t.Parallel()
	for shape, want := range map[string]string{
		`"layers": 32`:                                       "variants[0].layers: sizes the KV cache with kv_heads and head_dim, or with kv_lora_rank",
		`"layers": 32, "kv_heads": 8`:                        "variants[0]: needs both kv_heads and head_dim",
		`"kv_heads": 8, "head_dim": 128`:                     "variants[0]: gives its attention shape but not its layers",
		`"layers": 60, "qk_rope_head_dim": 64`:               "variants[0]: needs kv_lora_rank",
		`"layers": 60, "kv_lora_rank": 512, "head_dim": 128`: "variants[0]: gives both kv_heads/head_dim and kv_lora_rank",
	} {
		doc := `{"format": 2, "name": "x", "start_date": "2027-01-04", "assumptions": {"node_hourly": 1, "node_rps": 1, "target_utilization": 1},
		  "variants": [{"name": "v", "accuracy": 1, "node_rps": 1, ` + shape + `}], "phases": [{"name": "P", "days": 1, "calls_per_day": 1, "scaling": "fixed"}]}`
		if _, err := Parse([]byte(doc)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", shape, err, want)
		}
	}
	p := llmPlan(t, `, "gpus_per_node": 2, "gpu_memory_gib": 80`, ``, ``)
	if _, err := SetInput(p, PlanDefault, "tensor_parallel", "4"); err == nil || !strings.Contains(err.Error(), "assumptions.tensor_parallel: a model replica spans 4 GPUs (tensor_parallel) but a node has 2") {
		t.Errorf("tensor parallelism wider than the node: %v", err)
	}
}
