package planner

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
)

// GPU memory (docs/measured.md, "GPU memory"). A node holds a call's KV
// cache for as long as the call is served; when the phase needs more calls
// in service on a node than its memory holds, the fleet cannot carry its
// own concurrency, whatever its throughput says.
//
//	KV bytes a token = 2 × layers × kv_heads × head_dim × kv_bytes
//	                   (MLA: layers × (kv_lora_rank + qk_rope_head_dim) × kv_bytes)
//	KV budget        = TP × GiB × utilization − weights − TP × overhead, a replica
//	calls held       = replicas × ⌊⌊budget ÷ (KV a token × 16)⌋ ÷ ⌈tokens a call ÷ 16⌉⌋
//
// Memory is in GiB (2³⁰ bytes); the cache is allocated in blocks of 16
// tokens, as vLLM's paged attention does.

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
	budget := tpD.Mul(a.GPUMemoryGiB).Mul(a.GPUMemoryUtilization).Mul(gib).Sub(weights).Sub(tpD.Mul(a.GPUOverheadGiB).Mul(gib))
	out.KVBudgetGiB = Some(budget.DivRound(gib, divPlaces))
	out.Replicas = replicas
	blocks := KVBlocks(budget, kv)
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
	held := replicas * CallsHeld(blocks, t.Val)
	out.MaxConcurrentCalls = Some(held)
	return held, true
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

// memoryNeeds is, per hour, the fewest nodes whose KV caches hold the
// calls in service at that hour's load, or nil when no node holds a call.
func memoryNeeds(cpd int64, a *Assumptions, den decimal.Decimal, held int64) *[24]int64 {
	if held <= 0 || cpd == 0 {
		return nil
	}
	var need [24]int64
	per := den.Mul(decimal.NewFromInt(1000 * held))
	for h, n := range inService(cpd, a) {
		need[h] = nodesFor(n, per)
	}
	return &need
}

// serviceMsForMemory is how long a call holds its KV cache: service_ms,
// or, without one, slots ÷ node_rps (Little's law at full load).
func serviceMsForMemory(a *Assumptions) decimal.Decimal {
	if a.ServiceMs.Sign() > 0 {
		return a.ServiceMs
	}
	return decimal.NewFromInt(max(a.Slots, 1)*1000).DivRound(a.NodeRPS, divPlaces)
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
		if c := n.DivRound(den.Mul(decimal.NewFromInt(1000*nodes[h])), divPlaces); c.GreaterThan(best) {
			best = c
		}
	}
	return Some(best)
}

// memoryCheck is the phase's memory check, when its fit is known.
func (p *PhaseResult) memoryCheck() (Check, bool) {
	if !p.MaxConcurrentCalls.Valid {
		return Check{}, false
	}
	limit := decimal.NewFromInt(p.MaxConcurrentCalls.Val)
	c := Check{Name: CheckMemory, Limit: limit, mem: p}
	if p.PeakConcurrentPerNode.Valid {
		c.Value = p.PeakConcurrentPerNode.Val
		c.OK = c.Value.LessThanOrEqual(limit)
	}
	return c, true
}

func (c Check) memoryDetail() string {
	p := c.mem
	held := fmt.Sprintf("a node's KV cache holds %s calls of %s tokens (%s blocks of 16 tokens a replica, %s bytes a token)",
		format.Count(p.MaxConcurrentCalls.Val), format.Count(p.TokensPerCall.Val), format.Count(p.KVBlocks.Val), format.Trim(p.KVBytesPerToken.Val))
	if !p.PeakConcurrentPerNode.Valid {
		return "some hour has calls and no node; " + held
	}
	if c.OK {
		return fmt.Sprintf("at most %s calls are in service on a node, and %s", format.Decimal(c.Value, 1), held)
	}
	s := fmt.Sprintf("%s calls are in service on a node at the worst hour, but %s", format.Decimal(c.Value, 1), held)
	if p.MemoryNote != "" {
		s += ": " + p.MemoryNote
	}
	return s
}
