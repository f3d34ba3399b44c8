package planner

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
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

// divPlaces is the precision of the model's few inexact divisions (by 365,
// by days, by calls): far below a cent at any volume the plan allows.
const divPlaces = 20

// Compute runs the cost and capacity model over a valid plan. It never
// panics: a quantity that does not exist (cost per call with no calls) is an
// empty Opt, never NaN or a division by zero.
func Compute(p Plan) Result {
	r := Result{
		Name:      p.Name,
		Currency:  p.Currency,
		StartDate: p.StartDate,
		SLO:       p.SLO,
		Phases:    make([]PhaseResult, len(p.Phases)),
		BreakEven: BreakEven{Phase: -1},
	}
	s := new(scratch)
	defaultProfile := newProfileInts(&p.Assumptions.HourlyProfile)
	day := int64(1)
	cumCost, cumRev := decimal.Zero, decimal.Zero
	t := &r.Totals
	t.Cost = zeroCosts()
	t.Revenue, t.OverflowCalls = decimal.Zero, decimal.Zero
	for i := range p.Phases {
		ph := &r.Phases[i]
		a := p.Effective(i)
		prof := defaultProfile
		if p.Phases[i].Overrides.Has("hourly_profile") {
			prof = newProfileInts(&a.HourlyProfile)
		}
		computePhase(s, prof, ph, &p.Phases[i], a, p.SLO, p.Currency)
		ph.VariantName = p.Phases[i].Variant
		ph.Index = i
		ph.FirstDay = day
		ph.StartDate = p.StartDate.AddDays(day - 1)
		ph.EndDate = ph.StartDate.AddDays(ph.Days - 1)

		if !r.BreakEven.Day.Valid {
			if k, ok := breakEvenWithin(ph, cumCost, cumRev); ok {
				r.BreakEven = BreakEven{Day: Some(day + k - 1), Date: Some(ph.StartDate.AddDays(k - 1)), Phase: i}
			}
		}
		cumCost = cumCost.Add(ph.Cost.Total)
		cumRev = cumRev.Add(ph.Revenue)
		ph.CumCostEnd, ph.CumRevenueEnd = cumCost, cumRev
		day += ph.Days

		t.Calls += ph.Calls
		t.Cost = t.Cost.plus(ph.Cost)
		t.Revenue = t.Revenue.Add(ph.Revenue)
		t.NodeHours += ph.NodeHours
		t.OverflowCalls = t.OverflowCalls.Add(ph.OverflowCalls)
		t.PeakNodes = max(t.PeakNodes, ph.Nodes)
	}
	r.Days = day - 1
	r.EndDate = p.StartDate.AddDays(r.Days - 1)
	t.Margin = t.Revenue.Sub(t.Cost.Total)
	t.CostPerCall = perCall(t.Cost.Total, t.Calls)
	return r
}

func zeroCosts() Costs {
	z := decimal.Zero
	return Costs{z, z, z, z, z, z, z}
}

func (c Costs) plus(o Costs) Costs {
	return Costs{
		GPU: c.GPU.Add(o.GPU), Storage: c.Storage.Add(o.Storage), IOPS: c.IOPS.Add(o.IOPS),
		Network: c.Network.Add(o.Network), Batch: c.Batch.Add(o.Batch), Fixed: c.Fixed.Add(o.Fixed),
		Total: c.Total.Add(o.Total),
	}
}

func perCall(total decimal.Decimal, calls int64) Opt[decimal.Decimal] {
	if calls == 0 {
		return Opt[decimal.Decimal]{}
	}
	return Some(total.DivRound(decimal.NewFromInt(calls), divPlaces))
}

// computePhase fills everything about one phase that does not depend on the
// phases before it.
func computePhase(s *scratch, prof *profileInts, out *PhaseResult, ph *Phase, a Assumptions, slo SLO, currency string) {
	out.Name, out.Scaling, out.Days, out.Inputs, out.OneTime = ph.Name, ph.Scaling, ph.Days, a, ph.OneTime
	out.CallsPerDay = ph.CallsPerDay
	out.Calls = ph.CallsPerDay * ph.Days
	days := decimal.NewFromInt(ph.Days)
	cpd := decimal.NewFromInt(ph.CallsPerDay)
	calls := decimal.NewFromInt(out.Calls)

	// Load: λ_h = cpd/86400 × w_h·24/Σw. The day is walked over the common
	// denominator D = 86400·Σw (hourly.go), so only the figures shown to people
	// are divided out.
	sumW := decimal.NewFromBigInt(&prof.sum, prof.exp) // Σw, already summed once per profile
	den := secondsPerDay.Mul(sumW)
	out.loadDen = den
	peak := prof.peak
	out.AvgRPS = cpd.DivRound(secondsPerDay, divPlaces)
	peakLoad := cpd.Mul(hoursPerDay).Mul(a.HourlyProfile[peak]) // λ_peak × D
	out.PeakRPS = peakLoad.DivRound(den, divPlaces)
	out.PeakHour = peak

	// Nodes: u = node_rps × target_utilization is what one node is planned to
	// carry at the peak.
	u := a.NodeRPS.Mul(a.TargetUtilization)
	utilNeed := nodesFor(peakLoad, den.Mul(u))
	out.RequiredNodesUtilization = max(a.MinNodes, utilNeed)
	out.RequiredNodes, out.SizingBound = out.RequiredNodesUtilization, BoundUtilization
	if a.MinNodes > utilNeed {
		out.SizingBound = BoundMinNodes
	}
	// With a latency model and a p99 target, the busiest hour must also meet
	// the target: the smallest pool whose p99 does.
	lm, latencyOn := newLatencyModel(&a)
	// λ at the peak as a float for the queueing model (not money): from the
	// short inputs rather than the 20-place quotient, which converts slowly.
	peakF := float64(ph.CallsPerDay) * 24 * a.HourlyProfile[peak].InexactFloat64() / (86400 * sumW.InexactFloat64())
	if latencyOn && slo.P99Ms.Valid && ph.CallsPerDay > 0 {
		n, why := lm.nodesForP99(peakF, slo.P99Ms.Val.InexactFloat64())
		if why != "" {
			out.SizingNote = why
		} else {
			out.RequiredNodesP99 = Some(n)
			if n > out.RequiredNodes {
				out.RequiredNodes, out.SizingBound = n, BoundP99
			}
		}
	}
	out.Nodes, out.NodesAuto = out.RequiredNodes, true
	if ph.Nodes.Valid {
		out.Nodes, out.NodesAuto = ph.Nodes.Val, false
	}
	day := s.simulateDay(prof, ph.CallsPerDay, &a, out.Nodes, ph.Scaling)
	out.HourNodes = day.nodes
	out.NodeHours = day.nodeSum * ph.Days
	if day.nodeSum > 0 {
		out.AvgUtilization = Some(day.served.DivRound(day.capacity, divPlaces))
	}
	if day.peakValid {
		out.PeakUtilization = Some(day.peakLoad.DivRound(day.peakCap, divPlaces))
	}
	if latencyOn {
		out.Latency = lm.estimate(&a, out.HourNodes[peak], peakF, peak)
	}
	// overflow_calls = days × 3600 × Σ_h (λ_h − capacity_h)⁺
	out.OverflowCalls = days.Mul(secondsPerHour).Mul(day.overflow).DivRound(den, divPlaces)
	if out.Calls > 0 {
		out.OverflowShare = Some(out.OverflowCalls.DivRound(calls, divPlaces))
	}

	// Costs.
	c := &out.Cost
	perMonth := func(x decimal.Decimal) decimal.Decimal { // x × days / (365/12)
		return x.Mul(days).Mul(monthsPerYear).DivRound(daysPerYear, divPlaces)
	}
	c.GPU = decimal.NewFromInt(out.NodeHours).Mul(a.NodeHourly)
	out.StoredGB = cpd.Mul(decimal.NewFromInt(a.StoredBytesPerCall)).Mul(decimal.NewFromInt(a.RetentionDays)).Shift(-9) // bytes → GB (10^9)
	c.Storage = perMonth(out.StoredGB.Mul(a.StorageGBMonth))
	c.IOPS = perMonth(decimal.NewFromInt(a.ProvisionedIOPS).Mul(a.IOPSMonth))
	out.EgressGB = calls.Mul(decimal.NewFromInt(a.EgressBytesPerCall)).Shift(-9) // bytes → GB (10^9)
	c.Network = out.EgressGB.Mul(a.EgressGB)
	c.Batch = out.OverflowCalls.Mul(a.BatchCostPerCall)
	c.Fixed = perMonth(a.FixedMonthly).Add(ph.OneTime)
	c.Total = c.GPU.Add(c.Storage).Add(c.IOPS).Add(c.Network).Add(c.Batch).Add(c.Fixed)

	out.CostPerCall = perCall(c.Total, out.Calls)
	out.Revenue = calls.Mul(a.RevenuePerCall)
	out.Margin = out.Revenue.Sub(c.Total)

	// Break-even volume (cost-volume-profit): F / (price − v) with F the
	// costs that do not move with calls per day, v the cost per call of those
	// that do. GPU is fixed only when the fleet is. Written over a common
	// denominator, ceil(F/(p − v)) = ceil(fixedCosts·cpd / (revenue − variableCosts)).
	fixedCosts := c.Fixed.Add(c.IOPS)
	variableCosts := c.Storage.Add(c.Network).Add(c.Batch)
	if ph.Scaling == Fixed {
		fixedCosts = fixedCosts.Add(c.GPU)
	} else {
		variableCosts = variableCosts.Add(c.GPU)
	}
	if margin := out.Revenue.Sub(variableCosts); out.Calls > 0 && margin.Sign() > 0 {
		out.BreakEvenCallsPerDay = Some(ceilDiv(fixedCosts.Mul(cpd), margin).IntPart())
	}

	out.DailyCost = c.Total.Sub(ph.OneTime).DivRound(days, divPlaces)
	out.FirstDayCost = ph.OneTime.Add(out.DailyCost)
	out.DailyRevenue = out.Revenue.DivRound(days, divPlaces)

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

// breakEvenWithin finds the first day k (1-based within the phase) on which
// cumulative revenue reaches cumulative cost and is positive, given the
// cumulative figures before the phase. On day k:
//
//	cost    = C0 + one_time + k·(total − one_time)/days
//	revenue = R0 + k·revenue/days
//
// Multiplying by days keeps the comparison exact: k·M ≥ G with
// M = revenue − (total − one_time) and G = days·(C0 + one_time − R0).
func breakEvenWithin(ph *PhaseResult, c0, r0 decimal.Decimal) (int64, bool) {
	if r0.Sign() <= 0 && ph.Revenue.Sign() <= 0 {
		return 0, false // nothing earned yet: nothing to break even with
	}
	days := decimal.NewFromInt(ph.Days)
	m := ph.Revenue.Sub(ph.Cost.Total.Sub(ph.OneTime))
	g := days.Mul(c0.Add(ph.OneTime).Sub(r0))
	if m.GreaterThanOrEqual(g) { // day 1 already
		return 1, true
	}
	if m.Sign() <= 0 {
		return 0, false
	}
	k := ceilDiv(g, m)
	if k.GreaterThan(days) {
		return 0, false
	}
	return k.IntPart(), true
}

func checks(p *PhaseResult, slo SLO, currency string) []Check {
	out := make([]Check, 0, 3)
	if slo.MaxCostPerCall.Valid && p.CostPerCall.Valid {
		out = append(out, Check{Name: CheckCostCeiling, OK: p.CostPerCall.Val.LessThanOrEqual(slo.MaxCostPerCall.Val),
			Value: p.CostPerCall.Val, Limit: slo.MaxCostPerCall.Val, currency: currency})
	}
	if slo.MinUtilization.Valid && p.AvgUtilization.Valid {
		out = append(out, Check{Name: CheckMinUtilization, OK: p.AvgUtilization.Val.GreaterThanOrEqual(slo.MinUtilization.Val),
			Value: p.AvgUtilization.Val, Limit: slo.MinUtilization.Val, currency: currency})
	}
	if l := &p.Latency; l.Estimated && slo.P99Ms.Valid && p.Calls > 0 {
		c := Check{Name: CheckP99, OK: !l.Saturated && l.P99Ms <= slo.P99Ms.Val.InexactFloat64(), Limit: slo.P99Ms.Val, currency: currency, lat: l}
		if !l.Saturated {
			c.Value = decimal.NewFromFloat(l.P99Ms)
		}
		out = append(out, c)
	}
	over := Check{Name: CheckOverflow, OK: p.OverflowCalls.Sign() == 0, Value: p.OverflowCalls, Limit: decimal.Zero,
		Cost: p.Cost.Batch, currency: currency}
	if p.OverflowShare.Valid {
		over.Share = p.OverflowShare.Val
	}
	return append(out, over)
}

// Detail states the finding in words, with its numbers.
func (c Check) Detail() string {
	switch c.Name {
	case CheckCostCeiling:
		money := func(d decimal.Decimal) string { return format.MoneyPlacesN(d, c.currency, format.CostPerCallPlaces) }
		if c.OK {
			return fmt.Sprintf("cost per call %s is within the %s ceiling", money(c.Value), money(c.Limit))
		}
		return fmt.Sprintf("cost per call %s is above the %s ceiling", money(c.Value), money(c.Limit))
	case CheckMinUtilization:
		if c.OK {
			return fmt.Sprintf("average GPU utilization %s meets the %s floor", format.Percent(c.Value, 1), format.Percent(c.Limit, 1))
		}
		return fmt.Sprintf("average GPU utilization %s is below the %s floor", format.Percent(c.Value, 1), format.Percent(c.Limit, 1))
	case CheckP99:
		l := c.lat
		if l.Saturated {
			return fmt.Sprintf("saturated at %02d:00: %s req/s offered to %s nodes that serve at most %s req/s, so the queue grows without bound",
				l.Hour, ms(l.LoadRPS), format.Count(l.Nodes), ms(l.ServeRPS))
		}
		if c.OK {
			return fmt.Sprintf("p99 %s ms at the %02d:00 peak is within the %s ms target", ms(l.P99Ms), l.Hour, format.Trim(c.Limit))
		}
		return fmt.Sprintf("p99 %s ms at the %02d:00 peak is over the %s ms target (%s ms of it queueing on %s nodes)",
			ms(l.P99Ms), l.Hour, format.Trim(c.Limit), ms(l.QueueP99Ms), format.Count(l.Nodes))
	case CheckOverflow:
		if c.OK {
			return "no calls overflow to batch"
		}
		return fmt.Sprintf("%s of calls overflow to batch (%s calls, %s)",
			format.Percent(c.Share, 1), format.Compact(c.Value), format.Money(c.Cost, c.currency))
	}
	return c.Name
}
