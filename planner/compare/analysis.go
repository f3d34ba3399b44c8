package compare

import (
	"fmt"
	"math"
	"sort"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/shopspring/decimal"
)

// one is the decimal 1.
var one = decimal.NewFromInt(1)

// CurvePoint is one volume on a phase's cost-to-scale curve.
type CurvePoint struct {
	CallsPerDay int64
	Nodes       int64 // the fleet sized for this volume
	DailyCost   decimal.Decimal
	CostPerCall planner.Opt[decimal.Decimal]
	P99Ms       planner.Opt[float64] // none without a latency model, or when saturated
}

// Curve is how a phase's cost moves with its volume: the elasticity a
// reviewer asks about.
type Curve struct {
	Phase        int
	Points       []CurvePoint
	CallsPerDay  int64                        // the phase's planned volume
	BreakEven    planner.Opt[int64]           // the phase's break-even volume
	CostCeiling  planner.Opt[decimal.Decimal] // slo.max_cost_per_call
	NodeSteps    []int                        // indices of points where the node count rises
	PlannedPoint int                          // the point nearest the planned volume
}

// CostCurve sweeps phase i's calls per day from near zero to twice its
// volume in points steps, the fleet sized automatically at each volume
// exactly as the phase sizes it (so each point's p99 is the p99 of the
// nodes it prints).
func CostCurve(p planner.Plan, i, points int) Curve {
	r := planner.Compute(p)
	return CostCurveIn(p, &r, i, points)
}

// CostCurveIn is CostCurve on a plan already computed as r.
func CostCurveIn(p planner.Plan, r *planner.Result, i, points int) Curve {
	base := &r.Phases[i]
	c := Curve{Phase: i, CallsPerDay: base.CallsPerDay, BreakEven: base.BreakEvenCallsPerDay, CostCeiling: p.SLO.MaxCostPerCall}
	top := 2 * max(base.CallsPerDay, 1000)
	bestGap := int64(math.MaxInt64)
	a := p.Effective(i)
	for k := 1; k <= points; k++ {
		cpd := int64(math.Round(float64(top) * float64(k) / float64(points)))
		q := p.Phases[i]
		q.CallsPerDay = cpd
		q.Nodes = planner.Opt[int64]{}
		ph := r.WhatIf(&p, i, q, a)
		pt := CurvePoint{CallsPerDay: cpd, Nodes: ph.Nodes, DailyCost: ph.Cost.Total.DivRound(decimal.NewFromInt(ph.Days), planner.DivPlaces), CostPerCall: ph.CostPerCall}
		if l := ph.Latency; l.Estimated && !l.Saturated {
			pt.P99Ms = planner.Some(l.P99Ms)
		}
		if n := len(c.Points); n > 0 && pt.Nodes > c.Points[n-1].Nodes {
			c.NodeSteps = append(c.NodeSteps, n)
		}
		if gap := abs64(cpd - base.CallsPerDay); gap < bestGap {
			bestGap, c.PlannedPoint = gap, len(c.Points)
		}
		c.Points = append(c.Points, pt)
	}
	return c
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

// Sensitivity is how phase i's cost per call and p99 move when one input
// moves 20 % down and up.
type Sensitivity struct {
	Key, Label      string
	Low, High       decimal.Decimal // the input's values tried
	CostPerCallLow  planner.Opt[decimal.Decimal]
	CostPerCallHigh planner.Opt[decimal.Decimal]
	P99Low, P99High planner.Opt[float64]
	Swing           decimal.Decimal // the larger move in cost per call, either way
	P99Swing        float64
}

// SensitivityStep is the relative move tried each way.
var SensitivityStep = decimal.RequireFromString("0.2")

// sensitiveKeys are the inputs a tornado ranks, in the order ties keep.
var sensitiveKeys = []string{
	planner.KeyCallsPerDay, "node_hourly", "node_rps", "target_utilization", "min_nodes",
	"stored_bytes_per_call", "retention_days", "storage_gb_month", "provisioned_iops", "iops_month",
	"egress_bytes_per_call", "egress_gb", "batch_cost_per_call", "fixed_monthly", planner.KeyOneTime,
	"service_ms", "network_ms", "preprocess_ms", "postprocess_ms", "service_cv",
}

// SensitivityOf moves each input of phase i by ±20 % (whole numbers rounded,
// fractions capped at 1) and ranks the inputs by how far cost per call
// moves, largest first: a tornado. Inputs that are 0, or that rounding
// leaves where they are, cannot move and are left out. The phase keeps its
// planned node ceiling (an automatic one is held at what it was sized to)
// and its scaling.
func SensitivityOf(p planner.Plan, i int) (planner.PhaseResult, []Sensitivity) {
	r := planner.Compute(p)
	return SensitivityIn(p, &r, i)
}

// SensitivityIn is SensitivityOf on a plan already computed as r.
func SensitivityIn(p planner.Plan, r *planner.Result, i int) (planner.PhaseResult, []Sensitivity) {
	base := r.Phases[i]
	// The phase alone, its ceiling held, is what the edits apply to: a
	// copy of the whole plan per tried value made long plans quadratic.
	held := p
	held.Scenarios = nil // the what-ifs are of the plan itself
	held.Phases = []planner.Phase{p.Phases[i]}
	held.Phases[0].Nodes = planner.Some(base.Nodes)
	// The components that apply to the phase, applying to it alone.
	held.Components = nil
	for _, c := range p.Components {
		if c.AppliesTo(p.Phases[i].Name) {
			c.Phases = nil
			held.Components = append(held.Components, c)
		}
	}
	a := p.Effective(i)
	follows := a.ServiceMs.Sign() > 0
	var out []Sensitivity
	up, down := one.Add(SensitivityStep), one.Sub(SensitivityStep)
	for _, key := range sensitiveKeys {
		cur, label, whole, capOne := sensitivityValue(p, i, key)
		if cur.IsZero() || (key == "service_ms" && follows) {
			continue // the service time moves with node throughput
		}
		if key == "node_rps" && follows {
			label = "Throughput and service time"
		}
		s := Sensitivity{Key: key, Label: label}
		moved := false
		for _, factor := range []decimal.Decimal{down, up} {
			v := cur.Mul(factor)
			if whole {
				v = v.Round(0)
			}
			if capOne && v.GreaterThan(one) {
				v = one
			}
			if v.Equal(cur) {
				continue // rounding or the cap keeps it where it is
			}
			q, err := planner.SetInput(held, 0, key, v.String())
			if err == nil && key == "node_rps" && follows {
				// A node's throughput and its service time are one fact
				// (slots × 1000 / service_ms): move them together.
				q, err = planner.FollowThroughput(q, planner.ScenarioPath(q, 0, key), v)
			}
			if err != nil {
				continue // e.g. a utilization that cannot go higher
			}
			ph := r.WhatIf(&q, i, q.Phases[0], q.Effective(0))
			moved = true
			var p99 planner.Opt[float64]
			if l := ph.Latency; l.Estimated && !l.Saturated {
				p99 = planner.Some(l.P99Ms)
			}
			if factor.Equal(down) {
				s.Low, s.CostPerCallLow, s.P99Low = v, ph.CostPerCall, p99
			} else {
				s.High, s.CostPerCallHigh, s.P99High = v, ph.CostPerCall, p99
			}
		}
		if !moved {
			continue
		}
		s.Swing = swing(base.CostPerCall, s.CostPerCallLow, s.CostPerCallHigh)
		if l := base.Latency; l.Estimated && !l.Saturated {
			for _, o := range []planner.Opt[float64]{s.P99Low, s.P99High} {
				if o.Valid {
					s.P99Swing = math.Max(s.P99Swing, math.Abs(o.Val-l.P99Ms))
				}
			}
		}
		out = append(out, s)
	}
	out = append(out, componentSensitivity(p, &base)...)
	sort.SliceStable(out, func(a, b int) bool { return out[a].Swing.GreaterThan(out[b].Swing) })
	return base, out
}

func swing(base planner.Opt[decimal.Decimal], lo, hi planner.Opt[decimal.Decimal]) decimal.Decimal {
	s := decimal.Zero
	for _, o := range []planner.Opt[decimal.Decimal]{lo, hi} {
		if o.Valid && base.Valid {
			s = decimal.Max(s, o.Val.Sub(base.Val).Abs())
		}
	}
	return s
}

// sensitivityValue is phase i's current value of an input, its label, and
// whether it is whole or capped at 1.
func sensitivityValue(p planner.Plan, i int, key string) (v decimal.Decimal, label string, whole, capOne bool) {
	ph := &p.Phases[i]
	switch key {
	case planner.KeyCallsPerDay:
		return decimal.NewFromInt(ph.CallsPerDay), "Calls per day", true, false
	case planner.KeyOneTime:
		return ph.OneTime, "One-time cost", false, false
	}
	f, _ := planner.LookupField(key)
	a := p.Effective(i)
	return f.Number(&a), f.Label, f.Kind == planner.KindCount, f.IsShare()
}

// componentSensitivity moves each component's price ±20 %. A component's
// cost is its price times a quantity its price does not change, so cost per
// call moves by exactly ±20 % of its cost ÷ calls, and latency not at all:
// worked out directly rather than re-running the phase.
func componentSensitivity(p planner.Plan, base *planner.PhaseResult) []Sensitivity {
	var out []Sensitivity
	if !base.CostPerCall.Valid {
		return nil
	}
	calls := decimal.NewFromInt(base.Calls)
	for j, k := range base.Components {
		c := &p.Components[j]
		if !k.Applies || k.Cost.IsZero() {
			continue
		}
		move := k.Cost.Mul(SensitivityStep)
		s := Sensitivity{Key: fmt.Sprintf("components[%d].price", j), Label: c.Name + " price",
			Low: c.Price.Mul(one.Sub(SensitivityStep)), High: c.Price.Mul(one.Add(SensitivityStep)),
			CostPerCallLow:  planner.Some(base.Cost.Total.Sub(move).DivRound(calls, planner.DivPlaces)),
			CostPerCallHigh: planner.Some(base.Cost.Total.Add(move).DivRound(calls, planner.DivPlaces)),
			Swing:           move.DivRound(calls, planner.DivPlaces)}
		if l := base.Latency; l.Estimated && !l.Saturated {
			s.P99Low, s.P99High = planner.Some(l.P99Ms), planner.Some(l.P99Ms)
		}
		out = append(out, s)
	}
	return out
}

// ScalingAlternatives is phase i of the plan run under each scaling mode,
// with the same node ceiling and everything else as planned: the trade-off
// a presenter is asked about. Each is a what-if (WhatIf), so the phases
// around it and the data they keep are as r has them.
func ScalingAlternatives(r *planner.Result, p planner.Plan, i int) map[planner.Scaling]planner.PhaseResult {
	out := make(map[planner.Scaling]planner.PhaseResult, len(planner.Scalings))
	a := p.Effective(i)
	for _, sc := range planner.Scalings {
		q := p.Phases[i]
		q.Scaling = sc
		out[sc] = r.WhatIf(&p, i, q, a)
	}
	return out
}
