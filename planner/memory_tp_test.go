package planner

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/planner/gpu"
	"github.com/shopspring/decimal"
)

// Issue #16 §2: a node whose KV cache holds 8 calls of 8,192 tokens runs 8
// at once, not its 32 slots. Ten fixed nodes are then 80 servers of 1 s
// at 79 calls/s: 98.75 % busy, and a simulation of that pool gives a p99
// of 3,827 ± 138 ms (issue #16), over the 3,000 ms target.
const memoryFitPlan = `{"format": 2, "name": "memory fit", "start_date": "2027-01-01",
 "assumptions": {"node_hourly": 4, "node_rps": 32, "target_utilization": 0.7, "min_nodes": 0,
   "service_ms": 1000, "slots": 32, "service_cv": 0.5, "gpus_per_node": 1, "gpu_memory_gib": 25.5,
   "gpu_memory_utilization": 0.9},
 "slo": {"p99_ms": 3000},
 "variants": [{"name": "llama8b", "accuracy": 0.9, "node_rps": 32, "service_ms": 1000, "slots": 32,
   "params_b": 8, "weight_bytes": 2, "layers": 32, "kv_heads": 8, "head_dim": 128, "kv_bytes": 2}],
 "phases": [{"name": "A", "days": 1, "calls_per_day": 6825600, "scaling": "fixed", "nodes": 10, "variant": "llama8b",
   "input_tokens": 7692, "output_tokens": 500}]}`

func TestMemoryHoldingFewerCallsThanSlotsCutsCapacity(t *testing.T) {
	t.Parallel()
	p, err := Parse([]byte(memoryFitPlan))
	if err != nil {
		t.Fatal(err)
	}
	ph := Compute(p).Phases[0]
	// 25.5 × 0.9 = 22.95 GiB less 8 × 10⁹ × 2 bytes (14.90 GiB) of weights
	// leaves 8.05 GiB: ⌊8.05 GiB ÷ 2 MiB⌋ = 4,121 blocks of 16 tokens at
	// 131,072 bytes a token; a call of 8,192 tokens takes 512: 8 calls.
	if !ph.MaxConcurrentCalls.Valid || ph.MaxConcurrentCalls.Val != 8 {
		t.Fatalf("calls held %v, want 8", ph.MaxConcurrentCalls)
	}
	if ph.EffectiveSlots != 8 || !ph.EffectiveNodeRPS.Equal(decimal.NewFromInt(8)) {
		t.Errorf("effective %d slots, %s calls/s; want 8 and 8 × 1000 ÷ 1000 ms = 8", ph.EffectiveSlots, ph.EffectiveNodeRPS)
	}
	mem, p99 := findCheck(&ph, CheckMemory), findCheck(&ph, CheckP99)
	if mem == nil || mem.OK || p99 == nil || p99.OK {
		t.Fatalf("with 10 nodes: memory %+v, p99 %+v; want both failing", mem, p99)
	}
	// The pool the latency model judges is 10 nodes × 8 = 80 servers.
	if w := ph.Latency.Worst(); w.Servers != 80 || w.P99Ms < 3000 {
		t.Errorf("worst hour: %d servers, p99 %.1f ms; want 80 and over 3,000 (simulated 3,827 ± 138)", w.Servers, w.P99Ms)
	}
	// Sized automatically, the fleet grows until the p99 holds.
	p.Phases[0].Nodes = Opt[int64]{}
	ph = Compute(p).Phases[0]
	if p99 = findCheck(&ph, CheckP99); p99 == nil || !p99.OK || ph.Nodes <= 10 || ph.SizingBound != BoundMemory {
		t.Errorf("automatic: %d nodes (%s), p99 %+v; want more than 10, set by memory, p99 met", ph.Nodes, ph.SizingBound, p99)
	}
	// ⌈79 ÷ (8 × 0.7)⌉ = 15 for utilization; 32 slots would need ⌈79 ÷ 22.4⌉ = 4.
	if ph.RequiredNodesUtilization != 15 || !ph.RequiredNodesFullSlots.Valid || ph.RequiredNodesFullSlots.Val < 4 || ph.RequiredNodesFullSlots.Val >= ph.RequiredNodes {
		t.Errorf("utilization needs %d, every slot usable %v, required %d", ph.RequiredNodesUtilization, ph.RequiredNodesFullSlots, ph.RequiredNodes)
	}
}

// Tensor parallelism as vLLM allocates it, on 8 × 141 GiB at 0.9 with 2 GiB
// of overhead a GPU, for calls of 8,192 tokens (512 blocks):
//
//   - DeepSeek-V3 (671B, fp8 weights; MLA: 61 layers × (512 + 64) × 2 bytes
//     = 70,272 bytes a token, which every rank keeps whole): a rank has
//     126.9 − 671 × 10⁹ ÷ 8 bytes (78.11 GiB) − 2 = 46.79 GiB, ⌊46.79 GiB ÷
//     (16 × 70,272)⌋ = 44,679 blocks, 87 calls. Dividing the whole node's
//     budget by the whole model's bytes gave 698: 8× too many.
//   - Qwen3-235B (fp8 weights; 94 layers, 4 KV heads of 128): at TP 8 each
//     rank keeps max(1, ⌊4 ÷ 8⌋) = 1 head, 2 × 94 × 128 × 2 = 48,128 bytes
//     a token; 126.9 − 27.36 − 2 = 97.54 GiB, 136,011 blocks, 265 calls.
//     Four heads shared eight ways gave 531: 2× too many.
func TestTensorParallelAllocatesAsVLLM(t *testing.T) {
	t.Parallel()
	node := `, "gpus_per_node": 8, "tensor_parallel": 8, "gpu_memory_gib": 141, "gpu_memory_utilization": 0.9, "gpu_overhead_gib": 2`
	tokens := `, "input_tokens": 8000, "output_tokens": 192`
	for _, c := range []struct {
		name, arch string
		blocks     int64
		calls      int64
	}{
		{"DeepSeek-V3", `, "params_b": 671, "weight_bytes": 1, "layers": 61, "kv_lora_rank": 512, "qk_rope_head_dim": 64`, 44_679, 87},
		{"Qwen3-235B", `, "params_b": 235, "weight_bytes": 1, "layers": 94, "kv_heads": 4, "head_dim": 128`, 136_011, 265},
	} {
		ph := Compute(llmPlan(t, node, c.arch, tokens)).Phases[0]
		if !ph.KVBlocks.Valid || ph.KVBlocks.Val != c.blocks || !ph.MaxConcurrentCalls.Valid || ph.MaxConcurrentCalls.Val != c.calls {
			t.Errorf("%s at TP 8: %v blocks, %v calls; want %d and %d", c.name, ph.KVBlocks, ph.MaxConcurrentCalls, c.blocks, c.calls)
		}
	}
}

// Gemma-3-1B (26 layers, one KV head of 256; a 512-token window on 22
// layers, 4 global) at 32,768 tokens on a 24 GiB GPU at 0.9, 1 GiB of
// overhead: 18.74 GiB left after 2 GB of weights. A token costs 1,024
// bytes a layer, so the budget is ⌊18.74 GiB × 26 ÷ (16 × 26,624)⌋ =
// 1,227,971 layer-blocks; a call takes 4 × 2,048 + 22 × 32 = 8,896 of them:
// 138 calls. Counting every layer at full length gives 23.
func TestSlidingWindowLayersKeepOnlyTheWindow(t *testing.T) {
	t.Parallel()
	node := `, "gpus_per_node": 1, "gpu_memory_gib": 24, "gpu_memory_utilization": 0.9, "gpu_overhead_gib": 1`
	arch := `, "params_b": 1, "layers": 26, "kv_heads": 1, "head_dim": 256`
	tokens := `, "input_tokens": 32000, "output_tokens": 768`
	ph := Compute(llmPlan(t, node, arch, tokens)).Phases[0]
	if ph.MaxConcurrentCalls.Val != 23 {
		t.Errorf("without the window: %v calls, want 23", ph.MaxConcurrentCalls)
	}
	ph = Compute(llmPlan(t, node, arch+`, "sliding_window": 512, "sliding_window_layers": 22`, tokens)).Phases[0]
	if ph.MaxConcurrentCalls.Val != 138 {
		t.Errorf("with a 512-token window on 22 of 26 layers: %v calls, want 138", ph.MaxConcurrentCalls)
	}
	// A window as long as the call changes nothing.
	ph = Compute(llmPlan(t, node, arch+`, "sliding_window": 32768, "sliding_window_layers": 22`, tokens)).Phases[0]
	if ph.MaxConcurrentCalls.Val != 23 {
		t.Errorf("a window of the whole call: %v calls, want 23", ph.MaxConcurrentCalls)
	}
}

func TestSlidingWindowNeedsBothKeysAndFewerLayers(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ arch, want string }{
		{`"params_b": 1, "layers": 26, "kv_heads": 1, "head_dim": 256, "sliding_window": 512`, "needs both sliding_window"},
		{`"params_b": 1, "layers": 26, "kv_heads": 1, "head_dim": 256, "sliding_window": 512, "sliding_window_layers": 27`, "more than the variant's 26 layers"},
	} {
		doc := `{"format": 2, "name": "x", "start_date": "2027-01-01", "assumptions": {"node_hourly": 1, "node_rps": 1, "target_utilization": 1},
		  "variants": [{"name": "m", "accuracy": 0.9, "node_rps": 1, ` + c.arch + `}], "phases": [{"name": "P", "days": 1, "calls_per_day": 1}]}`
		if _, err := Parse([]byte(doc)); err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "variants[0]") {
			t.Errorf("%s: error %v, want %q by its path", c.arch, err, c.want)
		}
	}
}

// The engine's KV tokens against what vLLM printed at start-up in public
// issue reports (testdata/vllm/kv-cache-logs.json): from the memory vLLM
// said it had for the cache on a rank, the per-rank allocation must give
// the tokens vLLM allocated, within 2 %.
func TestKVTokensAgreeWithPublishedVLLMLogs(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../testdata/vllm/kv-cache-logs.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Logs []struct {
			Report, Model  string
			TensorParallel int64 `json:"tensor_parallel"`
			Architecture   struct {
				Layers  int64 `json:"layers"`
				KVHeads int64 `json:"kv_heads"`
				HeadDim int64 `json:"head_dim"`
				KVBytes int64 `json:"kv_bytes"`
			}
			AvailableKVGiB string `json:"available_kv_gib"`
			KVTokens       int64  `json:"kv_tokens"`
		}
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Logs) < 4 {
		t.Fatalf("%d logs, want at least 4", len(doc.Logs))
	}
	for _, l := range doc.Logs {
		a := l.Architecture
		v := Variant{Name: l.Model, Figures: VariantFigures{Layers: Some(decimal.NewFromInt(a.Layers)), KVHeads: Some(decimal.NewFromInt(a.KVHeads)),
			HeadDim: Some(decimal.NewFromInt(a.HeadDim)), KVBytes: Some(decimal.NewFromInt(a.KVBytes))}}
		rankKV, ok := v.GPU().KVRankBytesPerToken(l.TensorParallel)
		if !ok {
			t.Fatalf("%s: no KV bytes a token", l.Model)
		}
		budget := decimal.RequireFromString(l.AvailableKVGiB).Mul(gpu.GiB)
		got := gpu.KVBlocks(budget, rankKV) * gpu.KVBlockTokens
		if off := math.Abs(float64(got-l.KVTokens)) / float64(l.KVTokens); off > 0.02 {
			t.Errorf("%s (%s): engine %d tokens, vLLM %d (%.1f %% off)", l.Model, l.Report, got, l.KVTokens, 100*off)
		}
	}
}
