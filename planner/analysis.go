package planner

import (
	"math"
	"sort"

	"github.com/shopspring/decimal"
)

// CurvePoint is one volume on a phase's cost-to-scale curve.
type CurvePoint struct {
	CallsPerDay int64
	Nodes       int64 // the fleet sized for this volume
	DailyCost   decimal.Decimal
	CostPerCall Opt[decimal.Decimal]
	P99Ms       Opt[float64] // none without a latency model, or when saturated
}

// Curve is how a phase's cost moves with its volume: the elasticity a
// reviewer asks about.
type Curve struct {
	Phase        int
	Points       []CurvePoint
	CallsPerDay  int64                // the phase's planned volume
	BreakEven    Opt[int64]           // the phase's break-even volume
	CostCeiling  Opt[decimal.Decimal] // slo.max_cost_per_call
	NodeSteps    []int                // indices of points where the node count rises
	PlannedPoint int                  // the point nearest the planned volume
}

// phaseAlone is phase i as a one-phase plan: its figures do not depend on
// the other phases, and computing it alone keeps a sweep fast on long plans.
func phaseAlone(p Plan, i int) Plan {
	q := p.Clone()
	q.Phases = []Phase{p.Phases[i]}
	return q
}

// CostCurve sweeps phase i's calls per day from near zero to twice its
// volume in points steps, the fleet sized automatically at each volume.
func CostCurve(p Plan, i, points int) Curve {
	r := Compute(phaseAlone(p, i))
	base := r.Phases[0]
	c := Curve{Phase: i, CallsPerDay: base.CallsPerDay, BreakEven: base.BreakEvenCallsPerDay, CostCeiling: p.SLO.MaxCostPerCall}
	top := 2 * max(base.CallsPerDay, 1000)
	bestGap := int64(math.MaxInt64)
	for k := 1; k <= points; k++ {
		cpd := int64(math.Round(float64(top) * float64(k) / float64(points)))
		q := phaseAlone(p, i)
		q.Phases[0].CallsPerDay = cpd
		q.Phases[0].Nodes = Opt[int64]{}
		ph := Compute(q).Phases[0]
		pt := CurvePoint{CallsPerDay: cpd, Nodes: ph.Nodes, DailyCost: ph.Cost.Total.DivRound(decimal.NewFromInt(ph.Days), divPlaces), CostPerCall: ph.CostPerCall}
		if l := ph.Latency; l.Estimated && !l.Saturated {
			pt.P99Ms = Some(l.P99Ms)
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
	CostPerCallLow  Opt[decimal.Decimal]
	CostPerCallHigh Opt[decimal.Decimal]
	P99Low, P99High Opt[float64]
	Swing           decimal.Decimal // the larger move in cost per call, either way
	P99Swing        float64
}

// SensitivityStep is the relative move tried each way.
var SensitivityStep = decimal.RequireFromString("0.2")

// sensitiveKeys are the inputs a tornado ranks, in the order ties keep.
var sensitiveKeys = []string{
	KeyCallsPerDay, "node_hourly", "node_rps", "target_utilization", "min_nodes",
	"stored_bytes_per_call", "retention_days", "storage_gb_month", "provisioned_iops", "iops_month",
	"egress_bytes_per_call", "egress_gb", "batch_cost_per_call", "fixed_monthly", KeyOneTime,
	"service_ms", "network_ms", "preprocess_ms", "postprocess_ms", "service_cv",
}

// SensitivityOf moves each input of phase i by ±20 % (whole numbers rounded,
// fractions capped at 1) and ranks the inputs by how far cost per call
// moves, largest first: a tornado. Inputs that are 0 cannot move and are left
// out. The phase keeps its planned node ceiling and scaling.
func SensitivityOf(p Plan, i int) (PhaseResult, []Sensitivity) {
	base := Compute(phaseAlone(p, i)).Phases[0]
	var out []Sensitivity
	up, down := one.Add(SensitivityStep), one.Sub(SensitivityStep)
	for _, key := range sensitiveKeys {
		cur, label, whole, capOne := sensitivityValue(p, i, key)
		if cur.IsZero() {
			continue
		}
		s := Sensitivity{Key: key, Label: label}
		for _, factor := range []decimal.Decimal{down, up} {
			v := cur.Mul(factor)
			if whole {
				v = v.Round(0)
			}
			if capOne && v.GreaterThan(one) {
				v = one
			}
			q, err := SetInput(phaseAlone(p, i), 0, key, v.String())
			if err != nil {
				continue // e.g. a utilization that cannot go higher
			}
			ph := Compute(q).Phases[0]
			var p99 Opt[float64]
			if l := ph.Latency; l.Estimated && !l.Saturated {
				p99 = Some(l.P99Ms)
			}
			if factor.Equal(down) {
				s.Low, s.CostPerCallLow, s.P99Low = v, ph.CostPerCall, p99
			} else {
				s.High, s.CostPerCallHigh, s.P99High = v, ph.CostPerCall, p99
			}
		}
		s.Swing = swing(base.CostPerCall, s.CostPerCallLow, s.CostPerCallHigh)
		if l := base.Latency; l.Estimated && !l.Saturated {
			for _, o := range []Opt[float64]{s.P99Low, s.P99High} {
				if o.Valid {
					s.P99Swing = math.Max(s.P99Swing, math.Abs(o.Val-l.P99Ms))
				}
			}
		}
		out = append(out, s)
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Swing.GreaterThan(out[b].Swing) })
	return base, out
}

func swing(base Opt[decimal.Decimal], lo, hi Opt[decimal.Decimal]) decimal.Decimal {
	s := decimal.Zero
	for _, o := range []Opt[decimal.Decimal]{lo, hi} {
		if o.Valid && base.Valid {
			s = decimal.Max(s, o.Val.Sub(base.Val).Abs())
		}
	}
	return s
}

// sensitivityValue is phase i's current value of an input, its label, and
// whether it is whole or capped at 1.
func sensitivityValue(p Plan, i int, key string) (v decimal.Decimal, label string, whole, capOne bool) {
	ph := &p.Phases[i]
	switch key {
	case KeyCallsPerDay:
		return decimal.NewFromInt(ph.CallsPerDay), "Calls per day", true, false
	case KeyOneTime:
		return ph.OneTime, "One-time cost", false, false
	}
	f, _ := LookupField(key)
	a := p.Effective(i)
	return f.Number(&a), f.Label, f.Kind == KindCount, f.rule.max.Equal(one) && !f.rule.whole
}
