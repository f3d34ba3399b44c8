package planner

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner/llm"
)

// Units of the model (docs/model.md). A month is 365/12 days, as cloud
// calculators bill it; a GB is 10^9 bytes, as cloud price lists mean it.
var (
	secondsPerDay  = decimal.NewFromInt(86_400)
	secondsPerHour = decimal.NewFromInt(3_600)
	hoursPerDay    = decimal.NewFromInt(24)
	daysPerYear    = decimal.NewFromInt(365)
	monthsPerYear  = decimal.NewFromInt(12)
)

// DivPlaces is the precision of the model's few inexact divisions (by 365,
// by days, by calls): far below a cent at any volume the plan allows.
const DivPlaces = 20

// Compute runs the cost and capacity model over a valid plan. It never
// panics: a quantity that does not exist (cost per call with no calls) is an
// empty Opt, never NaN or a division by zero.
func Compute(p Plan) Result {
	return computePlan(p, latencyFull, new(Cache))
}

// How much of the latency model a computation works out.
type latencyDepth int

const (
	latencyNone  latencyDepth = iota // sizing only: the break-even search, which needs costs
	latencyWorst                     // each hour's p99: the what-ifs
	latencyFull                      // p50, p99 and the day's quantiles
	latencyPeak                      // the worst hour's p99 alone: a risk draw
)

// dayMode is the latency model's mode for a depth.
func (d latencyDepth) dayMode() dayMode {
	switch d {
	case latencyWorst:
		return dayHours
	case latencyPeak:
		return dayWorst
	}
	return dayFull
}

// ComputeDraw is the model to the depth a risk draw needs (latencyPeak,
// below): the totals, the peak nodes and the worst hour's p99.
func ComputeDraw(p Plan, c *Cache) Result { return computePlan(p, latencyPeak, c) }

// computePlan runs the model to depth: latencyFull is everything;
// latencyPeak, for a risk run's draws, works out the worst hour's p99 and
// the break-even day but not the other hours' quantiles, the day's nor the
// break-even volumes; latencyNone skips latency and break-even altogether.
func computePlan(p Plan, depth latencyDepth, c *Cache) Result {
	r := Result{
		Name:      p.Name,
		Currency:  p.Currency,
		StartDate: p.StartDate,
		SLO:       p.SLO,
		Phases:    make([]PhaseResult, len(p.Phases)),
		BreakEven: BreakEven{Phase: -1},
		Prices:    p.PriceRefs,
		plan:      &p,
		cache:     c,
	}
	defaultProfile := newProfileInts(&p.Assumptions.HourlyProfile)
	profiles := make([]*profileInts, len(p.Phases))
	effective := make([]Assumptions, len(p.Phases))
	for i := range p.Phases {
		effective[i] = p.Effective(i)
		profiles[i] = defaultProfile
		if p.Phases[i].Overrides.Has("hourly_profile") {
			profiles[i] = newProfileInts(&effective[i].HourlyProfile)
		}
	}
	// A phase's model reads only its own inputs: the phases run on every
	// core, each worker with its own scratch (the cache is shared and safe).
	eachPhase(len(p.Phases), func(s *scratch, i int) {
		computePhase(s, profiles[i], &r.Phases[i], &p.Phases[i], effective[i], p.SLO, depth)
	}, c)
	day := int64(1)
	for i := range p.Phases {
		ph := &r.Phases[i]
		p.priceComponents(ph, i)
		ph.VariantName = p.Phases[i].Variant
		ph.Index = i
		ph.FirstDay = day
		ph.StartDate = p.StartDate.AddDays(day - 1)
		ph.EndDate = ph.StartDate.AddDays(ph.Days - 1)
		day += ph.Days
	}
	r.Days = day - 1
	r.EndDate = p.StartDate.AddDays(r.Days - 1)
	// Commitments bill every hour of their terms (held.go).
	r.held = resolveHeld(&p, &r)
	for i := range r.Phases {
		r.billGPU(&r.Phases[i], i)
	}

	// Storage accrues across phases (storage.go), so it is settled once every
	// phase's writes are known.
	r.ledger = newLedger(r.Phases, planStore)
	r.stores = p.componentStores(r.Phases)
	for i := range r.Phases {
		ph := &r.Phases[i]
		ph.StoredGB, ph.Cost.Lines[CostStorage] = r.ledger.Phase(i)
		settleStored(ph, i, r.stores)
		finishPhase(ph, p.SLO, p.Currency)
	}
	if depth == latencyFull {
		// Each phase's volume searches re-price it dozens of times and only
		// read the rest of the result: they run on every core, each worker
		// with its own scratch, and their answers are set once all are done.
		type found struct{ be, bb []Region }
		out := make([]found, len(r.Phases))
		eachPhase(2*len(r.Phases), func(ws *scratch, k int) { // the two searches of a phase are two tasks
			i := k / 2
			if k%2 == 0 {
				out[i].be = breakEvenRegions(ws, profiles[i], &r, &p.Phases[i], i, p.SLO)
			} else {
				out[i].bb = buildVsBuyRegions(ws, profiles[i], &r, &p.Phases[i], i, p.SLO)
			}
		}, c)
		for i := range r.Phases {
			ph := &r.Phases[i]
			ph.BreakEvenRegions, ph.BuildVsBuyRegions = out[i].be, out[i].bb
			ph.BreakEvenCallsPerDay = firstFrom(ph.BreakEvenRegions)
			ph.BuildVsBuyCallsPerDay = firstFrom(ph.BuildVsBuyRegions)
		}
	}

	cumCost, cumRev := decimal.Zero, decimal.Zero
	t := &r.Totals
	t.Cost = zeroCosts()
	t.Revenue, t.OverflowCalls = decimal.Zero, decimal.Zero
	for i := range r.Phases {
		ph := &r.Phases[i]
		cumCost = cumCost.Add(ph.Cost.Total)
		cumRev = cumRev.Add(ph.Revenue)
		ph.CumCostEnd, ph.CumRevenueEnd = cumCost, cumRev
		t.Calls += ph.Calls
		t.Cost = t.Cost.plus(ph.Cost)
		t.Components = addComponents(t.Components, ph.Components)
		t.Revenue = t.Revenue.Add(ph.Revenue)
		t.NodeHours += ph.NodeHours
		t.OverflowCalls = t.OverflowCalls.Add(ph.OverflowCalls)
		t.PeakNodes = max(t.PeakNodes, ph.Nodes)
	}
	t.Margin = t.Revenue.Sub(t.Cost.Total)
	t.CostPerCall = perCall(t.Cost.Total, t.Calls)
	if depth != latencyNone {
		r.BreakEven = r.breakEvenDay()
	}
	return r
}

// eachPhase runs f for tasks 0 … n−1 on every core, a scratch a worker.
func eachPhase(n int, f func(s *scratch, i int), c *Cache) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := &scratch{cache: c}
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(s, i)
			}
		}()
	}
	wg.Wait()
}

func perCall(total decimal.Decimal, calls int64) Opt[decimal.Decimal] {
	if calls == 0 {
		return Opt[decimal.Decimal]{}
	}
	return Some(total.DivRound(decimal.NewFromInt(calls), DivPlaces))
}

// computePhase fills everything about one phase that does not depend on the
// phases around it: everything but storage and what follows from it.
func computePhase(s *scratch, prof *profileInts, out *PhaseResult, ph *Phase, a Assumptions, slo SLO, depth latencyDepth) {
	out.Name, out.Scaling, out.Days, out.Inputs, out.OneTime = ph.Name, ph.Scaling, ph.Days, a, ph.OneTime
	out.CallsPerDay = ph.CallsPerDay
	out.Calls = ph.CallsPerDay * ph.Days
	out.TokensPerCall = a.TokensPerCall()
	days := decimal.NewFromInt(ph.Days)
	cpd := decimal.NewFromInt(ph.CallsPerDay)

	// Load: λ_h = cpd/86400 × w_h·24/Σw. The day is walked over the common
	// denominator D = 86400·Σw (hourly.go), so only the figures shown to people
	// are divided out.
	sumW := decimal.NewFromBigInt(&prof.sum, prof.exp) // Σw, already summed once per profile
	den := secondsPerDay.Mul(sumW)
	out.loadDen = den
	peak := prof.peak
	out.AvgRPS = cpd.DivRound(secondsPerDay, DivPlaces)
	peakLoad := cpd.Mul(hoursPerDay).Mul(a.HourlyProfile[peak]) // λ_peak × D
	out.PeakRPS = peakLoad.DivRound(den, DivPlaces)
	out.PeakHour = peak

	// λ_h as floats for the queueing model (not money), from the short
	// inputs rather than the 20-place quotients, which convert slowly.
	var loadF [24]float64
	sumWF := sumW.InexactFloat64()
	for h := range loadF {
		loadF[h] = float64(ph.CallsPerDay) * 24 * a.HourlyProfile[h].InexactFloat64() / (86400 * sumWF)
	}

	// GPU memory (memory.go): a node runs at most the calls its KV caches
	// hold at once, min(slots, held); the others wait. Every use of a
	// node's capacity below (utilization sizing, the p99 queue and its
	// sizing, the day's overflow, the latency tab and the simulator) sees
	// that effective figure, through eff; out.Inputs keeps what was typed.
	held, memKnown := memoryFit(out, &a)
	eff := a
	out.EffectiveSlots, out.EffectiveNodeRPS = max(a.Slots, 1), a.NodeRPS
	memBinds := !a.TokenMode() && memKnown && held > 0 && held < max(a.Slots, 1)
	if memKnown && held <= 0 && out.MemoryNote == "" && out.TokensPerCall.Valid {
		out.MemoryNote = fmt.Sprintf("not one call of %s tokens fits in a node's KV cache", format.Count(out.TokensPerCall.Val))
	}
	if memBinds {
		eff.Slots = held
		eff.NodeRPS = decimal.NewFromInt(held*1000).DivRound(serviceMsForMemory(&a), DivPlaces)
		out.EffectiveSlots, out.EffectiveNodeRPS = held, eff.NodeRPS
	}

	if a.TokenMode() { // the serving rules give a node's capacity (serving.go)
		out.Tokens = s.token.serving(&a, held, memKnown)
		out.Tokens.Targets = tokenTargets(slo)
		eff.NodeRPS, out.EffectiveNodeRPS = out.Tokens.CapacityRPS, out.Tokens.CapacityRPS
		out.EffectiveSlots = out.Tokens.Batch * out.Tokens.Replicas
	}
	// Nodes: u = node_rps × target_utilization is what one node is planned to
	// carry at the peak.
	u := eff.NodeRPS.Mul(a.TargetUtilization)
	out.PlannedNodeRPS = u
	utilNeed := nodesFor(peakLoad, den.Mul(u))
	out.RequiredNodesUtilization = max(a.MinNodes, utilNeed)
	out.RequiredNodes, out.SizingBound = out.RequiredNodesUtilization, BoundUtilization
	if a.MinNodes > utilNeed {
		out.SizingBound = BoundMinNodes
	}
	// With a latency model and a p99 target every hour must also meet the
	// target: each hour needs the smallest pool whose p99 does at its load.
	// The inputs as typed must agree with each other first.
	lmTyped, latencyOn, why := newLatencyModel(&a, s.cache)
	latencyOn = latencyOn && out.Tokens == nil
	lm := lmTyped
	if latencyOn && memBinds {
		lm, _, _ = newLatencyModel(&eff, s.cache)
	}
	var p99Need *[24]int64
	if latencyOn && slo.P99Ms.Valid && ph.CallsPerDay > 0 {
		need, note := hourlyNeeds(&lm, s.cache, &loadF, slo.P99Ms.Val.InexactFloat64())
		if note != "" {
			out.SizingNote = note
		} else {
			p99Need = need
			out.HourP99Nodes = Some(*need)
			out.RequiredNodesP99 = Some(need[peak])
			if need[peak] > out.RequiredNodes {
				out.RequiredNodes, out.SizingBound = need[peak], BoundP99
			}
		}
	}
	// Memory set the size when every slot usable would have needed fewer
	// nodes: the same sizing with the slots as typed.
	if t := out.Tokens; t != nil && ph.CallsPerDay > 0 && t.Targets != (llm.Targets{}) {
		p99Need = sizeTokens(out, t, s.cache, &loadF, peak)
	}
	// Memory set the size when every slot (in token mode, max_batch)
	// usable would have needed fewer nodes: the same sizing at that figure.
	if (memBinds || (out.Tokens != nil && out.Tokens.MemoryBatch)) && ph.CallsPerDay > 0 {
		rps := a.NodeRPS
		if t := out.Tokens; t != nil {
			rps = tokenCapacity(&a, maxBatch(&a), t.Replicas)
		}
		full := max(a.MinNodes, nodesFor(peakLoad, den.Mul(rps.Mul(a.TargetUtilization))))
		switch {
		case out.Tokens != nil && p99Need != nil:
			full = max(full, tokenNeedFullBatch(out.Tokens, s.cache, &loadF, &a, peak))
		case latencyOn && p99Need != nil:
			if need, note := hourlyNeeds(&lmTyped, s.cache, &loadF, slo.P99Ms.Val.InexactFloat64()); note == "" {
				full = max(full, need[peak])
			}
		}
		out.RequiredNodesFullSlots, out.RequiredNodesMemory = Some(full), Some(out.RequiredNodes)
		if out.RequiredNodes > full {
			out.SizingBound = BoundMemory
		}
	}
	out.Nodes, out.NodesAuto = out.RequiredNodes, true
	if ph.Nodes.Valid {
		out.Nodes, out.NodesAuto = ph.Nodes.Val, false
	}
	day := s.simulateDay(prof, ph.CallsPerDay, &eff, out.Nodes, ph.Scaling, p99Need)
	if memKnown {
		out.PeakConcurrentPerNode = peakConcurrency(ph.CallsPerDay, &a, den, &day.nodes)
	}
	out.HourNodes = day.nodes
	out.NodeHours = day.nodeSum * ph.Days
	if day.nodeSum > 0 {
		out.AvgUtilization = Some(day.served.DivRound(day.capacity, DivPlaces))
	}
	if day.peakValid {
		out.PeakUtilization = Some(day.peakLoad.DivRound(day.peakCap, DivPlaces))
	}
	switch {
	case out.Tokens != nil && depth != latencyNone:
		out.Latency = tokenDay(out, s.cache, &loadF, slo)
	case !latencyOn:
		out.Latency = Latency{Why: why}
	case depth != latencyNone:
		out.Latency = latencyDay(&lm, s.cache, &a, &out.HourNodes, &loadF, slo.P99Ms, depth.dayMode())
	default:
		out.Latency = Latency{Why: "not evaluated for this what-if"}
	}
	// overflow_calls = days × 3600 × Σ_h (λ_h − capacity_h)⁺
	out.OverflowCalls = days.Mul(secondsPerHour).Mul(day.overflow).DivRound(den, DivPlaces)
	if out.Calls > 0 {
		out.OverflowShare = Some(out.OverflowCalls.DivRound(decimal.NewFromInt(out.Calls), DivPlaces))
	}

	// Costs but storage, which accrues across phases (storage.go).
	out.WrittenPerDay = decimal.NewFromInt(ph.CallsPerDay).Mul(decimal.NewFromInt(a.StoredBytesPerCall))
	out.EgressGB = decimal.NewFromInt(out.Calls).Mul(decimal.NewFromInt(a.EgressBytesPerCall)).Shift(-9) // bytes → GB (10^9)
	out.Cost = zeroCosts()
	for i := range CostLines {
		if l := &CostLines[i]; l.compute != nil {
			out.Cost.Lines[l.Key] = l.compute(out, &a, ph)
		}
	}
	out.Revenue = decimal.NewFromInt(out.Calls).Mul(a.RevenuePerCall)
}

// perMonth is a monthly amount over days: x × days / (365/12).
func perMonth(x, days decimal.Decimal) decimal.Decimal {
	return x.Mul(days).Mul(monthsPerYear).DivRound(daysPerYear, DivPlaces)
}

// finishPhase adds up a phase once its storage is known: the total, cost
// per call, margin, the daily accrual and the checks.
func finishPhase(out *PhaseResult, slo SLO, currency string) {
	c := &out.Cost
	c.Components = decimal.Zero
	for _, k := range out.Components {
		c.Components = c.Components.Add(k.Cost)
	}
	c.Total = c.sum()
	out.CostPerCall = perCall(c.Total, out.Calls)
	priceTokens(out, &out.Inputs)
	out.Margin = out.Revenue.Sub(c.Total)
	days := decimal.NewFromInt(out.Days)
	// A day's cost is its own storage plus an even share of the rest; the
	// first day also carries the one-time cost (storage.go has the days).
	out.DailyCost = c.Total.Sub(out.OneTime).Sub(c.Of(CostStorage)).Sub(out.componentsAccrued()).DivRound(days, DivPlaces)
	out.DailyRevenue = out.Revenue.DivRound(days, DivPlaces)
	out.Checks = checks(out, slo, currency)
}

// maxScheduled bounds any node count the model derives, so that an extreme
// plan that skipped validation still computes without overflowing int64.
const maxScheduled = 1 << 40

// nodesFor returns ceil(load / perNode): the nodes needed to carry a scaled
// load at the planned per-node rate.
func nodesFor(load, perNode decimal.Decimal) int64 {
	if load.Sign() <= 0 {
		return 0
	}
	n := ceilDiv(load, perNode)
	if n.GreaterThan(decimal.NewFromInt(maxScheduled)) {
		return maxScheduled
	}
	return n.IntPart()
}

// ceilDiv returns ceil(a / b) exactly, for a ≥ 0 and b > 0.
func ceilDiv(a, b decimal.Decimal) decimal.Decimal {
	q, rem := a.QuoRem(b, 0)
	if rem.Sign() > 0 {
		q = q.Add(one)
	}
	return q
}

func checks(p *PhaseResult, slo SLO, currency string) []Check {
	out := make([]Check, 0, 4)
	if c, ok := p.consistencyCheck(); ok && p.Tokens == nil {
		out = append(out, c)
	}
	if c, ok := p.tokenConsistency(); ok {
		out = append(out, c)
	}
	out = append(out, tokenChecks(p, slo, currency)...)
	if c, ok := p.memoryCheck(); ok {
		out = append(out, c)
	}
	if slo.MaxCostPerCall.Valid && p.CostPerCall.Valid {
		out = append(out, Check{Name: CheckCostCeiling, OK: p.CostPerCall.Val.LessThanOrEqual(slo.MaxCostPerCall.Val),
			Value: p.CostPerCall.Val, Limit: slo.MaxCostPerCall.Val, Currency: currency})
	}
	if slo.MinUtilization.Valid && p.AvgUtilization.Valid {
		out = append(out, Check{Name: CheckMinUtilization, OK: p.AvgUtilization.Val.GreaterThanOrEqual(slo.MinUtilization.Val),
			Value: p.AvgUtilization.Val, Limit: slo.MinUtilization.Val, Currency: currency})
	}
	if l := &p.Latency; l.Estimated && slo.P99Ms.Valid {
		c := Check{Name: CheckP99, OK: l.P99OK(slo.P99Ms.Val), Limit: slo.P99Ms.Val, Currency: currency, Latency: l, Phase: p}
		if !l.Saturated {
			c.Value = decimal.NewFromFloat(l.P99Ms)
		}
		out = append(out, c)
	}
	over := Check{Name: CheckOverflow, OK: p.OverflowCalls.Sign() == 0, Value: p.OverflowCalls, Limit: decimal.Zero,
		Cost: p.Cost.Of(CostBatch), Currency: currency}
	if p.OverflowShare.Valid {
		over.Share = p.OverflowShare.Val
	}
	return append(out, over)
}

// WhatIf is phase i of the plan computed as r has it, but with the phase
// q and assumptions a instead: everything else (the phases before it, the
// data they left in storage) as planned. It costs one phase, not a plan,
// so sweeps over long plans stay linear. Its latency is each hour's p99
// (Latency.Partial): what the what-ifs show.
func (r *Result) WhatIf(p *Plan, i int, q Phase, a Assumptions) PhaseResult {
	var out PhaseResult
	c := r.cache
	if c == nil { // a Result not made by Compute
		c = new(Cache)
	}
	computePhase(&scratch{cache: c}, newProfileInts(&a.HourlyProfile), &out, &q, a, p.SLO, latencyWorst)
	base := &r.Phases[i]
	out.Index, out.FirstDay, out.StartDate, out.VariantName = i, base.FirstDay, base.StartDate, q.Variant
	out.EndDate = out.StartDate.AddDays(out.Days - 1)
	r.billGPU(&out, i)
	// The plan's components, as r computed them, priced at the what-if's
	// volume and fleet (a what-if may hold a one-phase copy of the plan).
	r.plan.priceComponents(&out, i)
	l := r.ledger.replace(i, &out)
	out.StoredGB, out.Cost.Lines[CostStorage] = l.Phase(i)
	stores := make([]*ledger, len(r.stores))
	for j, s := range r.stores {
		if s != nil {
			stores[j] = s.replace(i, &out)
		}
	}
	settleStored(&out, i, stores)
	finishPhase(&out, p.SLO, p.Currency)
	return out
}
