package planner

import (
	"github.com/shopspring/decimal"
)

// Break-even volume (docs/model.md, "Break-even"): the fewest whole calls a
// day at which phase i's margin is ≥ 0, with the fleet sized as the phase
// sizes it (an automatic ceiling resized, a given one kept, so a capped
// fleet overflows to batch), every other phase as planned and earlier
// phases' stored data carried in. It re-runs the phase's model rather than
// extrapolating.
//
// At x calls a day the margin is g·x − K − F(x): g is what one more call a
// day earns over the phase net of the costs proportional to volume (egress,
// the phase's own storage), K the costs that do not move (IOPS, fixed,
// one-time, data carried in), and F(x) = GPU + batch, which only grows with
// x (node steps, overflow). So x ≥ h(x) = (K + F(x))/g, with h
// non-decreasing, and iterating x ← ⌈h(x)⌉ from 0 climbs to the smallest
// such x without passing it. Between node steps F is convex and piecewise
// linear (overflow), so a secant through two points with the same node
// schedule stays below F and may be jumped to safely.

// breakEvenMaxFactor bounds the search: none if no volume up to this many
// times the planned one breaks even.
const breakEvenMaxFactor = 100

func breakEvenVolume(s *scratch, prof *profileInts, r *Result, ph *Phase, i int, slo SLO) Opt[int64] {
	base := &r.Phases[i]
	a := &base.Inputs
	days := decimal.NewFromInt(base.Days)
	own := r.ledger.ownStorage(i)
	egressPerCpd := days.Mul(decimal.NewFromInt(a.EgressBytesPerCall)).Shift(-9).Mul(a.EgressGB)
	g := days.Mul(a.RevenuePerCall).Sub(egressPerCpd).Sub(own)
	carried := base.Cost.Of(CostStorage).Sub(own.Mul(decimal.NewFromInt(base.CallsPerDay)))
	k := base.Cost.Of(CostIOPS).Add(base.Cost.Of(CostFixed)).Add(carried)
	// Components: those priced per call move g, those priced by the month
	// or once (and data carried in) are in K, those per node-hour in F.
	cpd := decimal.NewFromInt(base.CallsPerDay)
	perNodeHour := decimal.Zero
	for j, c := range r.plan.Components {
		kc := &base.Components[j]
		if !kc.Applies {
			continue
		}
		switch c.Driver {
		case DriverPerCall:
			g = g.Sub(days.Mul(c.Price))
		case DriverPer1kCalls:
			g = g.Sub(days.Mul(c.Price).Shift(-3))
		case DriverPerGBEgress:
			g = g.Sub(days.Mul(decimal.NewFromInt(c.BytesPerCall)).Shift(-9).Mul(c.Price))
		case DriverPerGBStored:
			ownC := r.stores[j].ownStorage(i)
			g = g.Sub(ownC)
			k = k.Add(kc.Cost.Sub(ownC.Mul(cpd)))
		case DriverPerNodeHour:
			perNodeHour = perNodeHour.Add(c.Price)
		default: // per_month, one_time
			k = k.Add(kc.Cost)
		}
	}
	if g.Sign() <= 0 {
		return Opt[int64]{} // each call costs at least what it earns
	}
	limit := min(breakEvenMaxFactor*base.CallsPerDay, MaxCallsPerDay)

	var tmp PhaseResult
	q := *ph
	costAt := func(x int64) (decimal.Decimal, [24]int64) {
		q.CallsPerDay = x
		computePhase(s, prof, &tmp, &q, *a, slo, latencyNone)
		r.billGPU(&tmp, i) // commitments: covered node-hours off on demand; the committed hours are fixed
		return servingCost(&tmp.Cost, tmp.NodeHours, perNodeHour), tmp.HourNodes
	}
	x := int64(0)
	var prevX int64 = -1
	var prevF decimal.Decimal
	var prevNodes [24]int64
	for iter := 0; iter < 10_000; iter++ {
		f, nodes := costAt(x)
		next := ceilDiv(k.Add(f), g)
		if next.Sign() <= 0 || next.LessThanOrEqual(decimal.NewFromInt(x)) {
			return Some(x)
		}
		nx := next.IntPart()
		// Same node schedule as the previous point: F is convex there, so
		// the secant's root is still no more than the answer.
		if prevX >= 0 && nodes == prevNodes && x > prevX {
			slope := f.Sub(prevF).Div(decimal.NewFromInt(x - prevX))
			if den := g.Sub(slope); den.Sign() > 0 {
				// g·y = K + f + slope·(y − x)
				// One short of the secant's root: the slope is rounded, and
				// the iteration confirms the last step exactly.
				y := ceilDiv(decimal.Max(decimal.Zero, k.Add(f).Sub(slope.Mul(decimal.NewFromInt(x)))), den).Sub(one)
				if y.GreaterThan(next) && y.LessThanOrEqual(decimal.NewFromInt(limit+1)) {
					nx = y.IntPart()
				}
			}
		}
		if nx > limit {
			return Opt[int64]{}
		}
		prevX, prevF, prevNodes = x, f, nodes
		x = nx
	}
	return Opt[int64]{}
}
