package planner

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner/gpu"
)

// GPU is the variant's architecture, as planner/gpu reads it.
func (v *Variant) GPU() gpu.Model {
	f := &v.Figures
	n := func(o Opt[decimal.Decimal]) decimal.NullDecimal {
		return decimal.NullDecimal{Decimal: o.Val, Valid: o.Valid}
	}
	return gpu.Model{ParamsB: n(f.ParamsB), WeightBytes: n(f.WeightBytes), Layers: n(f.Layers), KVHeads: n(f.KVHeads), HeadDim: n(f.HeadDim),
		KVBytes: n(f.KVBytes), KVLoraRank: n(f.KVLoraRank), QKRopeHeadDim: n(f.QKRopeHeadDim), SlidingWindow: n(f.SlidingWindow), SlidingWindowLayers: n(f.SlidingWindowLayers)}
}

// CheckMemory names the GPU memory check.
const CheckMemory = "memory"

// BoundMemory: the KV cache set the phase's required nodes.
const BoundMemory = "memory"

// memoryFit works out the phase's KV cache and what a node holds, into out.
// It returns the calls a node holds and whether that is known.
func memoryFit(out *PhaseResult, a *Assumptions) (int64, bool) {
	if a.arch == nil {
		return 0, false
	}
	arch := a.arch.GPU()
	kv, ok := arch.KVBytesPerToken()
	if !ok {
		return 0, false
	}
	out.KVBytesPerToken = Some(kv)
	if a.GPUsPerNode <= 0 || a.GPUMemoryGiB.Sign() <= 0 {
		return 0, false
	}
	weights, ok := arch.WeightsBytes()
	if !ok {
		out.MemoryNote = fmt.Sprintf("variant %s gives no params_b, so its weights and the KV budget are unknown", a.arch.Name)
		return 0, false
	}
	tp := max(a.TensorParallel, 1)
	replicas := a.GPUsPerNode / tp
	tpD := decimal.NewFromInt(tp)
	rankKV, _ := arch.KVRankBytesPerToken(tp)
	rankBudget := a.GPUMemoryGiB.Mul(a.GPUMemoryUtilization).Mul(gpu.GiB).Sub(weights.DivRound(tpD, DivPlaces)).Sub(a.GPUOverheadGiB.Mul(gpu.GiB))
	budget := rankBudget.Mul(tpD)
	out.KVBudgetGiB = Some(budget.DivRound(gpu.GiB, DivPlaces))
	out.Replicas = replicas
	blocks := gpu.KVBlocks(rankBudget, rankKV)
	out.KVBlocks = Some(blocks)
	switch {
	case replicas == 0:
		out.MemoryNote = fmt.Sprintf("a replica spans %d GPUs (tensor_parallel) and a node has %d", tp, a.GPUsPerNode)
	case budget.Sign() <= 0:
		out.MemoryNote = fmt.Sprintf("the weights (%s GiB) and overhead do not fit in %s × %s GiB × %s: no memory is left for the KV cache",
			format.Decimal(weights.DivRound(gpu.GiB, 2), 2), format.Count(tp), format.Trim(a.GPUMemoryGiB), format.Percent(a.GPUMemoryUtilization, 0))
	}
	t := a.TokensPerCall()
	if !t.Valid {
		if out.MemoryNote == "" {
			out.MemoryNote = "the phase gives no tokens a call, so the calls a node holds are unknown"
		}
		return 0, false
	}
	held := replicas * arch.CallsHeld(rankBudget, rankKV, t.Val)
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
