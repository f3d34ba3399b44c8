package planner

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
)

// GPU memory (docs/measured.md, "GPU memory"). A node holds a call's KV
// cache for as long as the call is served, so a node runs at most
// min(slots, the calls its KV caches hold) at once; the others wait
// (model.go sizes capacity with that effective figure).
//
// The cache is allocated as vLLM allocates it under tensor parallelism
// (TP): every rank of a replica keeps its share of every token.
//
//	KV heads a rank   = max(1, ⌊kv_heads ÷ TP⌋)   (replicated when TP > kv_heads)
//	KV bytes a token, a rank = 2 × layers × heads a rank × head_dim × kv_bytes
//	                  (MLA: layers × (kv_lora_rank + qk_rope_head_dim) × kv_bytes,
//	                   one latent every rank holds whole)
//	rank budget       = GiB × utilization − weights ÷ TP − overhead
//	blocks            = ⌊rank budget ÷ (16 × KV bytes a token, a rank)⌋
//	a call's blocks   = ⌈tokens ÷ 16⌉, or with sliding-window attention, per
//	                    layer: full layers ⌈tokens ÷ 16⌉, window layers
//	                    ⌈min(tokens, window) ÷ 16⌉, averaged over the layers
//	calls held        = (GPUs ÷ TP) × ⌊blocks × layers ÷ Σ a call's blocks a layer⌋
//
// Memory is in GiB (2³⁰ bytes); blocks hold 16 tokens, as vLLM's paged
// attention does.

// KVBlockTokens is how many tokens one block of the KV cache holds.
const KVBlockTokens = 16

var gib = decimal.NewFromInt(1 << 30)

// CheckMemory names the GPU memory check.
const CheckMemory = "memory"

// BoundMemory: the KV cache set the phase's required nodes.
const BoundMemory = "memory"

// KVBytesPerToken is the variant's KV cache a token, from its architecture;
// ok false when the variant does not give it.
func (v *Variant) KVBytesPerToken() (decimal.Decimal, bool) {
	f := &v.Figures
	kvBytes := decimal.NewFromInt(2)
	if f.KVBytes.Valid {
		kvBytes = f.KVBytes.Val
	}
	switch {
	case !f.Layers.Valid:
		return decimal.Zero, false
	case f.KVLoraRank.Valid:
		rope := decimal.Zero
		if f.QKRopeHeadDim.Valid {
			rope = f.QKRopeHeadDim.Val
		}
		return f.Layers.Val.Mul(f.KVLoraRank.Val.Add(rope)).Mul(kvBytes), true
	case f.KVHeads.Valid && f.HeadDim.Valid:
		return decimal.NewFromInt(2).Mul(f.Layers.Val).Mul(f.KVHeads.Val).Mul(f.HeadDim.Val).Mul(kvBytes), true
	}
	return decimal.Zero, false
}

// KVRankBytesPerToken is the KV cache one rank of a replica spanning tp
// GPUs keeps for a token, across all layers: its share of the KV heads
// (⌊kv_heads ÷ tp⌋, at least one: vLLM replicates heads when tp exceeds
// them), or, for multi-head latent attention, the whole latent.
func (v *Variant) KVRankBytesPerToken(tp int64) (decimal.Decimal, bool) {
	f := &v.Figures
	whole, ok := v.KVBytesPerToken()
	if !ok || f.KVLoraRank.Valid || tp <= 1 {
		return whole, ok
	}
	heads := f.KVHeads.Val.IntPart()
	if heads <= 0 {
		return whole, ok
	}
	perRank := max(1, heads/tp)
	return whole.Mul(decimal.NewFromInt(perRank)).Div(f.KVHeads.Val), true
}

// callBlockLayers is a call's KV cache in blocks of 16 tokens summed over
// the layers: ⌈tokens ÷ 16⌉ on every full-attention layer and
// ⌈min(tokens, window) ÷ 16⌉ on every sliding-window layer.
func (v *Variant) callBlockLayers(tokens int64) (blocks int64, layers int64) {
	f := &v.Figures
	layers = f.Layers.Val.IntPart()
	full := layers
	blocksOf := func(t int64) int64 { return (t + KVBlockTokens - 1) / KVBlockTokens }
	if f.SlidingWindow.Valid && f.SlidingWindowLayers.Valid {
		w := f.SlidingWindowLayers.Val.IntPart()
		full = layers - w
		blocks = w * blocksOf(min(tokens, f.SlidingWindow.Val.IntPart()))
	}
	return blocks + full*blocksOf(tokens), layers
}

// WeightsBytes is the variant's weights in memory: params_b × 10⁹ ×
// weight_bytes (2 when not given).
func (v *Variant) WeightsBytes() (decimal.Decimal, bool) {
	f := &v.Figures
	if !f.ParamsB.Valid {
		return decimal.Zero, false
	}
	wb := decimal.NewFromInt(2)
	if f.WeightBytes.Valid {
		wb = f.WeightBytes.Val
	}
	return f.ParamsB.Val.Shift(9).Mul(wb), true
}

// KVBlocks is how many blocks of 16 tokens a KV budget holds.
func KVBlocks(budgetBytes, kvBytesPerToken decimal.Decimal) int64 {
	if budgetBytes.Sign() <= 0 || kvBytesPerToken.Sign() <= 0 {
		return 0
	}
	return budgetBytes.Div(kvBytesPerToken.Mul(decimal.NewFromInt(KVBlockTokens))).Floor().IntPart()
}

// CallsHeld is how many calls of tokens each fit in blocks: whole calls, a
// call taking ⌈tokens ÷ 16⌉ blocks.
func CallsHeld(blocks, tokens int64) int64 {
	if tokens <= 0 {
		return 0
	}
	return blocks / ((tokens + KVBlockTokens - 1) / KVBlockTokens)
}

// memoryFit works out the phase's KV cache and what a node holds, into out.
// It returns the calls a node holds and whether that is known.
func memoryFit(out *PhaseResult, a *Assumptions) (int64, bool) {
	if a.arch == nil {
		return 0, false
	}
	kv, ok := a.arch.KVBytesPerToken()
	if !ok {
		return 0, false
	}
	out.KVBytesPerToken = Some(kv)
	if a.GPUsPerNode <= 0 || a.GPUMemoryGiB.Sign() <= 0 {
		return 0, false
	}
	weights, ok := a.arch.WeightsBytes()
	if !ok {
		out.MemoryNote = fmt.Sprintf("variant %s gives no params_b, so its weights and the KV budget are unknown", a.arch.Name)
		return 0, false
	}
	tp := max(a.TensorParallel, 1)
	replicas := a.GPUsPerNode / tp
	tpD := decimal.NewFromInt(tp)
	rankKV, _ := a.arch.KVRankBytesPerToken(tp)
	rankBudget := a.GPUMemoryGiB.Mul(a.GPUMemoryUtilization).Mul(gib).Sub(weights.DivRound(tpD, DivPlaces)).Sub(a.GPUOverheadGiB.Mul(gib))
	budget := rankBudget.Mul(tpD)
	out.KVBudgetGiB = Some(budget.DivRound(gib, DivPlaces))
	out.Replicas = replicas
	blocks := KVBlocks(rankBudget, rankKV)
	out.KVBlocks = Some(blocks)
	switch {
	case replicas == 0:
		out.MemoryNote = fmt.Sprintf("a replica spans %d GPUs (tensor_parallel) and a node has %d", tp, a.GPUsPerNode)
	case budget.Sign() <= 0:
		out.MemoryNote = fmt.Sprintf("the weights (%s GiB) and overhead do not fit in %s × %s GiB × %s: no memory is left for the KV cache",
			format.Decimal(weights.DivRound(gib, 2), 2), format.Count(tp), format.Trim(a.GPUMemoryGiB), format.Percent(a.GPUMemoryUtilization, 0))
	}
	t := a.TokensPerCall()
	if !t.Valid {
		if out.MemoryNote == "" {
			out.MemoryNote = "the phase gives no tokens a call, so the calls a node holds are unknown"
		}
		return 0, false
	}
	held := replicas * a.arch.callsHeld(rankBudget, rankKV, t.Val)
	out.MaxConcurrentCalls = Some(held)
	return held, true
}

// callsHeld is the calls of tokens each that one replica's KV cache holds,
// with a rank's budget and KV bytes a token: blocks are counted a layer, so
// that sliding-window layers, which keep at most the window, take less.
func (v *Variant) callsHeld(rankBudget, rankKV decimal.Decimal, tokens int64) int64 {
	if !v.Figures.SlidingWindow.Valid {
		return CallsHeld(KVBlocks(rankBudget, rankKV), tokens) // blocks span every layer, as vLLM counts them
	}
	need, layers := v.callBlockLayers(tokens)
	if tokens <= 0 || need <= 0 {
		return 0
	}
	// A block of one layer costs 16 × (bytes a token ÷ layers).
	return KVBlocks(rankBudget.Mul(decimal.NewFromInt(layers)), rankKV) / need
}

// inService is, per hour, the calls in service by Little's law (λ_h ×
// the time a call holds its KV cache) scaled by den × 1000, exact:
// cpd × 24 × w_h × service_ms.
func inService(cpd int64, a *Assumptions) [24]decimal.Decimal {
	svc := serviceMsForMemory(a)
	var n [24]decimal.Decimal
	for h := range n {
		n[h] = decimal.NewFromInt(cpd * 24).Mul(a.HourlyProfile[h]).Mul(svc)
	}
	return n
}

// serviceMsForMemory is how long a call holds its KV cache: service_ms,
// or, without one, slots ÷ node_rps (Little's law at full load).
func serviceMsForMemory(a *Assumptions) decimal.Decimal {
	if a.ServiceMs.Sign() > 0 {
		return a.ServiceMs
	}
	return decimal.NewFromInt(max(a.Slots, 1)*1000).DivRound(a.NodeRPS, DivPlaces)
}

// peakConcurrency is the most calls in service a node holds in any hour of
// the day the fleet runs, none when an hour has load and no node.
func peakConcurrency(cpd int64, a *Assumptions, den decimal.Decimal, nodes *[24]int64) Opt[decimal.Decimal] {
	best := decimal.Zero
	for h, n := range inService(cpd, a) {
		if n.Sign() == 0 {
			continue
		}
		if nodes[h] == 0 {
			return Opt[decimal.Decimal]{}
		}
		if c := n.DivRound(den.Mul(decimal.NewFromInt(1000*nodes[h])), DivPlaces); c.GreaterThan(best) {
			best = c
		}
	}
	return Some(best)
}

// memoryCheck is the phase's memory check, when its fit is known: it
// fails when a node's KV caches hold fewer calls than its slots, for then
// the node runs only what they hold and its capacity falls with it.
func (p *PhaseResult) memoryCheck() (Check, bool) {
	if !p.MaxConcurrentCalls.Valid {
		return Check{}, false
	}
	slots := max(p.Inputs.Slots, 1)
	c := Check{Name: CheckMemory, Value: decimal.NewFromInt(p.MaxConcurrentCalls.Val), Limit: decimal.NewFromInt(slots), Phase: p}
	c.OK = p.MaxConcurrentCalls.Val >= slots
	return c, true
}
