package planner

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// randomPlan builds a valid plan from a seeded generator: varied profiles,
// prices, ceilings, scalers and overrides, including zero-call phases and
// fleets capped below their load.
func randomPlan(rng *rand.Rand) Plan {
	d := func(max int, places int32) decimal.Decimal { // a decimal in [0, max) with places
		return decimal.New(rng.Int64N(int64(max)*pow10(places)), -places)
	}
	var prof Profile
	for h := range prof {
		prof[h] = d(10, 1)
	}
	prof[rng.IntN(24)] = d(10, 1).Add(decimal.NewFromFloat(0.1)) // never all zero
	a := Assumptions{
		NodeType:             "n",
		NodeHourly:           d(60, 3),
		NodeRPS:              d(50, 1).Add(decimal.NewFromFloat(0.5)),
		TargetUtilization:    d(90, 0).Add(decimal.NewFromInt(10)).Shift(-2), // 0.10 to 0.99
		MinNodes:             rng.Int64N(4),
		HourlyProfile:        prof,
		StoredBytesPerCall:   rng.Int64N(50_000),
		RetentionDays:        rng.Int64N(90),
		StorageGBMonth:       d(1, 3),
		ProvisionedIOPS:      rng.Int64N(300_000),
		IOPSMonth:            d(1, 3),
		EgressBytesPerCall:   rng.Int64N(20_000),
		EgressGB:             d(1, 2),
		BatchCostPerCall:     d(1, 4),
		RevenuePerCall:       d(1, 4),
		FixedMonthly:         d(20_000, 2),
		Slots:                1 + rng.Int64N(8),
		TensorParallel:       1,
		GPUMemoryUtilization: defaultGPUMemoryUtilization,
	}
	if rng.IntN(2) == 0 { // half the plans carry a latency model and a p99 target
		a.ServiceMs = d(200, 1).Add(one)
		if rng.IntN(4) > 0 { // most of them consistent: service_ms = slots × 1000 / node_rps
			a.ServiceMs = decimal.NewFromInt(a.Slots*1000).DivRound(a.NodeRPS, 3)
		}
		a.NetworkMs, a.PreprocessMs, a.PostprocessMs = d(30, 0), d(10, 0), d(10, 0)
		a.ServiceCV = d(2, 2)
	}
	p := Plan{Name: "random", Currency: "USD", StartDate: NewDate(2027, 1, 1), Assumptions: a}
	if a.ServiceMs.Sign() > 0 {
		p.SLO.P99Ms = Some(d(1000, 0).Add(decimal.NewFromInt(50)))
	}
	n := 1 + rng.IntN(6)
	for i := 0; i < n; i++ {
		ph := Phase{Name: fmt.Sprintf("P%d", i), Days: 1 + rng.Int64N(120), Scaling: Scalings[rng.IntN(3)], OneTime: d(50_000, 2)}
		if rng.IntN(5) > 0 {
			ph.CallsPerDay = rng.Int64N(8_000_000)
		}
		if rng.IntN(2) == 0 {
			ph.Nodes = Some(rng.Int64N(80))
		}
		if rng.IntN(3) == 0 {
			ph.Overrides.vals.NodeHourly = d(10, 2)
			ph.Overrides.set |= 1 << fieldIndex("node_hourly")
		}
		if rng.IntN(4) == 0 {
			ph.Overrides.vals.MinNodes = rng.Int64N(6)
			ph.Overrides.set |= 1 << fieldIndex("min_nodes")
		}
		p.Phases = append(p.Phases, ph)
	}
	// Half the plans list components: every driver, some on the request
	// path, some applying to a few phases only.
	if rng.IntN(2) == 0 {
		for j := rng.IntN(len(Drivers) + 2); j >= 0; j-- {
			dr := Drivers[rng.IntN(len(Drivers))]
			c := Component{Name: fmt.Sprintf("C%d", j), Group: Groups[rng.IntN(len(Groups))], Driver: dr.Key, Price: d(2000, 3)}
			if dr.Bytes {
				c.BytesPerCall = rng.Int64N(20_000)
			}
			if dr.Retention {
				c.RetentionDays = rng.Int64N(120)
			}
			if rng.IntN(3) == 0 {
				c.LatencyMs = Some(d(20, 1))
			}
			if rng.IntN(3) == 0 {
				c.Phases = []string{p.Phases[rng.IntN(n)].Name}
			}
			p.Components = append(p.Components, c)
		}
	}
	return p
}

// costParts is every part of a cost: each built-in line, then each component.
func costParts(c *Costs, ks []ComponentCost) []decimal.Decimal {
	var out []decimal.Decimal
	for _, l := range CostLines {
		out = append(out, c.Of(l.Key))
	}
	for _, k := range ks {
		out = append(out, k.Cost)
	}
	return out
}

func sum(ds []decimal.Decimal) decimal.Decimal {
	s := decimal.Zero
	for _, d := range ds {
		s = s.Add(d)
	}
	return s
}

func pow10(n int32) int64 {
	r := int64(1)
	for ; n > 0; n-- {
		r *= 10
	}
	return r
}

const propertyRuns = 300

func TestPropertyTotalsAreSumsOfParts(t *testing.T) {
	t.Parallel()
	for seed := uint64(0); seed < propertyRuns; seed++ {
		p := randomPlan(rand.New(rand.NewPCG(seed, 1)))
		if err := Validate(p); err != nil {
			continue // an extreme draw (too many nodes needed): not a plan anyone can load
		}
		r := Compute(p)
		sumCost := decimal.Zero
		var sumCalls int64
		for _, ph := range r.Phases {
			c := ph.Cost
			parts := sum(costParts(&c, ph.Components))
			if !parts.Equal(c.Total) {
				t.Fatalf("seed %d %s: total %s ≠ sum of parts %s", seed, ph.Name, c.Total, parts)
			}
			if ph.CostPerCall.Valid != (ph.Calls > 0) {
				t.Fatalf("seed %d %s: cost per call valid=%v with %d calls", seed, ph.Name, ph.CostPerCall.Valid, ph.Calls)
			}
			if ph.CostPerCall.Valid {
				// cost_per_call × calls = total, up to the 20-place division
				back := ph.CostPerCall.Val.Mul(decimal.NewFromInt(ph.Calls))
				if back.Sub(c.Total).Abs().GreaterThan(decimal.New(1, -9)) {
					t.Fatalf("seed %d %s: cost_per_call × calls = %s, total %s", seed, ph.Name, back, c.Total)
				}
			}
			if !ph.Margin.Equal(ph.Revenue.Sub(c.Total)) {
				t.Fatalf("seed %d: margin is not revenue − cost", seed)
			}
			sumCost = sumCost.Add(c.Total)
			sumCalls += ph.Calls
		}
		if parts := sum(costParts(&r.Totals.Cost, r.Totals.Components)); !parts.Equal(r.Totals.Cost.Total) {
			t.Fatalf("seed %d: the totals' parts sum to %s, their total is %s", seed, parts, r.Totals.Cost.Total)
		}
		for j := range p.Components {
			s := decimal.Zero
			for _, ph := range r.Phases {
				s = s.Add(ph.Components[j].Cost)
			}
			if !s.Equal(r.Totals.Components[j].Cost) {
				t.Fatalf("seed %d: component %d totals %s, its phases sum to %s", seed, j, r.Totals.Components[j].Cost, s)
			}
		}
		if !sumCost.Equal(r.Totals.Cost.Total) || sumCalls != r.Totals.Calls {
			t.Fatalf("seed %d: totals %s/%d ≠ sums %s/%d", seed, r.Totals.Cost.Total, r.Totals.Calls, sumCost, sumCalls)
		}
	}
}

// Scalers run at most the ceiling, so they never bill more node-hours than a
// fixed fleet of that ceiling; provisioning ahead of the load never overflows
// more than reacting to the previous hour.
func TestPropertyScalersAgainstFixed(t *testing.T) {
	t.Parallel()
	for seed := uint64(0); seed < propertyRuns; seed++ {
		p := randomPlan(rand.New(rand.NewPCG(seed, 2)))
		if Validate(p) != nil {
			continue
		}
		byMode := map[Scaling]Result{}
		for _, s := range Scalings {
			q := p.Clone()
			for i := range q.Phases {
				q.Phases[i].Scaling = s
			}
			byMode[s] = Compute(q)
		}
		for i := range p.Phases {
			fixed, auto, pred := byMode[Fixed].Phases[i], byMode[Autoscale].Phases[i], byMode[Predictive].Phases[i]
			if auto.NodeHours > fixed.NodeHours || pred.NodeHours > fixed.NodeHours {
				t.Fatalf("seed %d phase %d: node-hours fixed %d autoscale %d predictive %d", seed, i, fixed.NodeHours, auto.NodeHours, pred.NodeHours)
			}
			if pred.OverflowCalls.GreaterThan(auto.OverflowCalls) {
				t.Fatalf("seed %d phase %d: predictive overflows %s > autoscale %s", seed, i, pred.OverflowCalls, auto.OverflowCalls)
			}
		}
	}
}

// required_nodes_utilization is the smallest n ≥ min_nodes with n × node_rps
// × target_utilization ≥ peak_rps; found here by counting up, with no
// division. required_nodes is that or the p99 count, whichever is larger.
func TestPropertyRequiredNodesIsTheSmallestThatFits(t *testing.T) {
	t.Parallel()
	for seed := uint64(0); seed < propertyRuns; seed++ {
		p := randomPlan(rand.New(rand.NewPCG(seed, 3)))
		if Validate(p) != nil {
			continue
		}
		r := Compute(p)
		for i, ph := range r.Phases {
			a := p.Effective(i)
			u := a.NodeRPS.Mul(a.TargetUtilization)
			// peak_rps × 86400 × Σw = cpd × 24 × max w, exactly
			sumW, maxW := decimal.Zero, decimal.Zero
			for _, w := range a.HourlyProfile {
				sumW, maxW = sumW.Add(w), decimal.Max(maxW, w)
			}
			peakScaled := decimal.NewFromInt(ph.CallsPerDay * 24).Mul(maxW)
			n := a.MinNodes
			for decimal.NewFromInt(n).Mul(u).Mul(decimal.NewFromInt(86400)).Mul(sumW).LessThan(peakScaled) {
				n++
			}
			if ph.RequiredNodesUtilization != n {
				t.Fatalf("seed %d phase %d: required for utilization %d, counting up gives %d", seed, i, ph.RequiredNodesUtilization, n)
			}
			// The requirement is the larger of utilization and p99 sizing.
			want := n
			if ph.RequiredNodesP99.Valid && ph.RequiredNodesP99.Val > n {
				want = ph.RequiredNodesP99.Val
			}
			if ph.RequiredNodes != want {
				t.Fatalf("seed %d phase %d: required %d, want max(%d, %+v)", seed, i, ph.RequiredNodes, n, ph.RequiredNodesP99)
			}
		}
	}
}

// The break-even day, found by walking the plan day by day: the day after
// the last day that is behind, when the plan ends ahead.
func TestPropertyBreakEvenDayMatchesADailyWalk(t *testing.T) {
	t.Parallel()
	found := 0
	for seed := uint64(0); seed < propertyRuns; seed++ {
		p := randomPlan(rand.New(rand.NewPCG(seed, 4)))
		if Validate(p) != nil {
			continue
		}
		r := Compute(p)
		lastBehind, anyEven := int64(0), false
		for _, d := range r.Timeline() {
			// Daily shares are rounded to 20 places; allow that much slack.
			if d.CumRevenue.Sign() > 0 && d.CumRevenue.Sub(d.CumCost).GreaterThanOrEqual(decimal.New(-1, -15)) {
				anyEven = true
			} else {
				lastBehind = d.Day
			}
		}
		want := int64(0)
		if anyEven && lastBehind < r.Days {
			want = lastBehind + 1
		}
		got := int64(0)
		if r.BreakEven.Day.Valid {
			got = r.BreakEven.Day.Val
			found++
			if r.BreakEven.Date.Val != p.StartDate.AddDays(got-1) {
				t.Fatalf("seed %d: break-even date %s for day %d", seed, r.BreakEven.Date.Val, got)
			}
		}
		if got != want {
			t.Fatalf("seed %d: break-even day %d, daily walk says %d", seed, got, want)
		}
	}
	if found < propertyRuns/10 {
		t.Errorf("only %d random plans broke even: the generator no longer exercises break-even", found)
	}
}

func TestPropertySaveLoadIdentity(t *testing.T) {
	t.Parallel()
	for seed := uint64(0); seed < propertyRuns; seed++ {
		p := randomPlan(rand.New(rand.NewPCG(seed, 5)))
		q, err := Parse(Marshal(p))
		if err != nil {
			if Validate(p) != nil {
				continue
			}
			t.Fatalf("seed %d: %v", seed, err)
		}
		assertSamePlan(t, p, q)
		if r1, r2 := Compute(p), Compute(q); !r1.Totals.Cost.Total.Equal(r2.Totals.Cost.Total) {
			t.Fatalf("seed %d: reloaded plan computes %s, original %s", seed, r2.Totals.Cost.Total, r1.Totals.Cost.Total)
		}
	}
}
