package planner

import (
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"

	"github.com/shopspring/decimal"
)

// The plan of issue #16 §1: an autoscaled phase whose overflow costs more a
// call ($0.0074) than a node-hour does ($4.74 for 18,000 calls), so serving
// cost falls at each node step and a search that assumes it only grows
// jumps past the first volume that breaks even.
const autoscaleStep = `{"format": 1, "name": "s", "start_date": "2027-01-01",
 "assumptions": {"node_hourly": "4.74", "node_rps": 5, "target_utilization": 1, "min_nodes": 0,
   "hourly_profile": [0,0,5,0,0,0,2,5,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0],
   "batch_cost_per_call": "0.0074", "revenue_per_call": "0.0077"},
 "phases": [{"name": "A", "days": 5, "calls_per_day": 610695, "scaling": "autoscale", "one_time": "1465.18"}]}`

// marginAt is phase i's margin were it to run x calls a day, every other
// input as planned: the whole plan recomputed, not the search's pricing.
func marginAt(p Plan, i int, x int64) decimal.Decimal {
	q := p
	q.Phases = append([]Phase(nil), p.Phases...)
	q.Phases[i].CallsPerDay = x
	return computePlan(q, latencyNone, new(Cache)).Phases[i].Margin
}

// savingAt is what buying phase i's calls from the API costs less what
// serving them does, at x calls a day.
func savingAt(p Plan, i int, x int64) decimal.Decimal {
	q := p
	q.Phases = append([]Phase(nil), p.Phases...)
	q.Phases[i].CallsPerDay = x
	ph := computePlan(q, latencyNone, new(Cache)).Phases[i]
	return ph.APICost.Val.Sub(ph.ServingCost())
}

func TestBreakEvenUnderAutoscaleFindsTheFirstVolume(t *testing.T) {
	t.Parallel()
	p, err := Parse([]byte(autoscaleStep))
	if err != nil {
		t.Fatal(err)
	}
	// By hand (issue #16): at 216,000 calls a day the margin is −$93.58, at
	// 216,001 it is +$501.32; at the planned 610,695 it is +$2,593.66.
	for _, c := range []struct {
		x    int64
		want string
	}{{216_000, "-93.58"}, {216_001, "501.32"}, {610_695, "2593.66"}} {
		if got := marginAt(p, 0, c.x).Round(2); !got.Equal(decimal.RequireFromString(c.want)) {
			t.Errorf("margin at %d = %s, want %s", c.x, got, c.want)
		}
	}
	ph := Compute(p).Phases[0]
	if !ph.BreakEvenCallsPerDay.Valid || ph.BreakEvenCallsPerDay.Val != 216_001 {
		t.Errorf("break-even volume = %+v, want 216,001", ph.BreakEvenCallsPerDay)
	}
	if len(ph.BreakEvenRegions) != 1 || ph.BreakEvenRegions[0].From != 216_001 || ph.BreakEvenRegions[0].To.Valid {
		t.Errorf("regions = %+v, want [{216001 to the limit}]", ph.BreakEvenRegions)
	}
}

// checkRegions asserts what the issue pins: the value ≥ 0 at every region's
// ends, < 0 one call below each start (above the search's first volume)
// and one call above each finite end.
func checkRegions(t *testing.T, what string, rs []Region, first, limit int64, value func(int64) decimal.Decimal) {
	t.Helper()
	for k, g := range rs {
		if value(g.From).Sign() < 0 {
			t.Errorf("%s region %d %+v: value at from is %s", what, k, g, value(g.From))
		}
		if g.From > first && value(g.From-1).Sign() >= 0 {
			t.Errorf("%s region %d %+v: value one call below from is %s ≥ 0", what, k, g, value(g.From-1))
		}
		if g.To.Valid {
			if g.To.Val < g.From || g.To.Val >= limit {
				t.Errorf("%s region %d %+v: to out of order or at the limit %d", what, k, g, limit)
			}
			if value(g.To.Val).Sign() < 0 || value(g.To.Val+1).Sign() >= 0 {
				t.Errorf("%s region %d %+v: value at to %s, one above %s", what, k, g, value(g.To.Val), value(g.To.Val+1))
			}
		} else if value(limit).Sign() < 0 {
			t.Errorf("%s region %d open, but value at the limit %d is %s", what, k, limit, value(limit))
		}
		if k > 0 && rs[k-1].To.Valid && rs[k-1].To.Val+1 >= g.From {
			t.Errorf("%s regions %d and %d touch or overlap: %+v", what, k-1, k, rs)
		}
	}
}

// withAPI gives a random plan an API price, so build-or-buy is searched.
func withAPI(p *Plan, rng *rand.Rand) {
	p.Assumptions.tokens.in = Some(1 + rng.Int64N(2000))
	p.Assumptions.tokens.out = Some(rng.Int64N(500))
	p.Assumptions.APIPriceIn = decimal.New(rng.Int64N(2000), -2)
	p.Assumptions.APIPriceOut = decimal.New(rng.Int64N(6000), -2)
}

func TestPropertyBreakEvenRegionsHoldAtTheirEnds(t *testing.T) {
	t.Parallel()
	runs := 60
	if raceSlowdown > 1 {
		runs = 8
	}
	for seed := uint64(0); seed < uint64(runs); seed++ {
		rng := rand.New(rand.NewPCG(seed, 16))
		p := randomPlan(rng)
		withAPI(&p, rng)
		if err := Validate(p); err != nil {
			continue
		}
		r := Compute(p)
		for i := range r.Phases {
			ph := &r.Phases[i]
			limit := min(100*ph.CallsPerDay, MaxCallsPerDay)
			checkRegions(t, fmt.Sprintf("seed %d phase %d break-even", seed, i), ph.BreakEvenRegions, 0, limit,
				func(x int64) decimal.Decimal { return marginAt(p, i, x) })
			if ph.APICost.Valid && ph.APICostPerCall.Val.Sign() > 0 {
				checkRegions(t, fmt.Sprintf("seed %d phase %d build-or-buy", seed, i), ph.BuildVsBuyRegions, 1, min(100*max(ph.CallsPerDay, 1), MaxCallsPerDay),
					func(x int64) decimal.Decimal { return savingAt(p, i, x) })
			}
		}
	}
}

// smallPlan is a plan whose fleets step every few calls: a node serves a
// handful of calls an hour, so a scan of every volume up to 100× the
// plan's visits hundreds of node steps in every hour.
func smallPlan(rng *rand.Rand) Plan {
	p := randomPlan(rng)
	withAPI(&p, rng)
	a := &p.Assumptions
	a.NodeRPS = decimal.New(1+rng.Int64N(30), -4) // 0.36 to 10.8 calls an hour at full load
	a.ServiceMs, p.SLO.P99Ms = decimal.Zero, Opt[decimal.Decimal]{}
	a.MinNodes = rng.Int64N(2)
	a.BatchCostPerCall = decimal.New(rng.Int64N(4000), -2) // up to $40 a call, above a node-hour at times
	a.RevenuePerCall = decimal.New(rng.Int64N(4000), -2)   // likewise
	a.NodeHourly = decimal.New(1+rng.Int64N(5000), -2)     // up to $50
	a.FixedMonthly = decimal.New(rng.Int64N(20_000), -1)   // up to $2,000 a month
	a.ProvisionedIOPS, a.StoredBytesPerCall = rng.Int64N(3), rng.Int64N(3_000_000_000)
	for k := range p.Phases {
		ph := &p.Phases[k]
		ph.CallsPerDay = rng.Int64N(90)
		ph.Days = 1 + rng.Int64N(20)
		ph.Scaling = Scalings[rng.IntN(len(Scalings))]
		ph.Overrides = Overrides{}
		ph.OneTime = decimal.New(rng.Int64N(100_000), -2)
		ph.Nodes = Opt[int64]{}
		if rng.IntN(3) == 0 { // a capped fleet: overflow whatever the volume
			ph.Nodes = Some(rng.Int64N(4))
		}
	}
	if len(p.Phases) > 3 {
		p.Phases = p.Phases[:3]
		for k := range p.Components {
			p.Components[k].Phases = nil
		}
	}
	return p
}

// TestBreakEvenMatchesABruteForceScan compares the search with the margin
// recomputed at every whole volume up to the limit, on small plans where
// every hour's fleet steps many times: the regions are exactly the runs
// of volumes whose margin (API saving) is ≥ 0.
func TestBreakEvenMatchesABruteForceScan(t *testing.T) {
	t.Parallel()
	runs := 40
	if raceSlowdown > 1 {
		runs = 4
	}
	// The plans are independent and the model keeps no shared state: the
	// scans run side by side, one a core.
	var checked, stepping atomic.Int64
	t.Run("plans", func(t *testing.T) {
		for seed := uint64(0); seed < uint64(runs); seed++ {
			t.Run(fmt.Sprint(seed), func(t *testing.T) {
				t.Parallel()
				p := smallPlan(rand.New(rand.NewPCG(seed, 17)))
				for k := range p.Components { // stored data grows the plan beyond what a small scan can afford
					p.Components[k].RetentionDays = min(p.Components[k].RetentionDays, 30)
				}
				if err := Validate(p); err != nil {
					t.Fatalf("seed %d: the small plan is not valid: %v", seed, err)
				}
				r := Compute(p)
				for i := range r.Phases {
					ph := &r.Phases[i]
					limit := 100 * ph.CallsPerDay
					want := scan(0, limit, func(x int64) decimal.Decimal { return marginAt(p, i, x) })
					if got := fmt.Sprint(ph.BreakEvenRegions); got != fmt.Sprint(want) {
						t.Errorf("seed %d phase %d (%s): break-even regions %s, a scan of every volume gives %v", seed, i, ph.Scaling, got, want)
					}
					if ph.APICost.Valid && ph.APICostPerCall.Val.Sign() > 0 {
						limit = 100 * max(ph.CallsPerDay, 1)
						want = scan(1, limit, func(x int64) decimal.Decimal { return savingAt(p, i, x) })
						if got := fmt.Sprint(ph.BuildVsBuyRegions); got != fmt.Sprint(want) {
							t.Errorf("seed %d phase %d (%s): build-or-buy regions %s, a scan gives %v", seed, i, ph.Scaling, got, want)
						}
					}
					checked.Add(1)
					if len(ph.BreakEvenRegions) > 1 || len(ph.BuildVsBuyRegions) > 1 {
						stepping.Add(1)
					}
				}
			})
		}
	})
	// The scan must have met the case the search exists for.
	if raceSlowdown == 1 && stepping.Load() == 0 {
		t.Errorf("none of %d phases has more than one region: the small plans do not exercise falling cost", checked.Load())
	}
}

// scan is the regions of a value over [from, limit], volume by volume.
func scan(from, limit int64, value func(int64) decimal.Decimal) []Region {
	var out []Region
	in := false
	for x := from; x <= limit; x++ {
		ok := value(x).Sign() >= 0
		switch {
		case ok && !in:
			out = append(out, Region{From: x})
		case !ok && in:
			out[len(out)-1].To = Some(x - 1)
		}
		in = ok
	}
	return out
}

// A cost line added to the catalogue takes part in the search with no
// other change: here IOPS is made to move with volume ($0.004 a call a
// day), and the break-even volume moves with it, exactly.
// (At 216,001 calls the line costs $864, more than the margin of $501.32.)
func TestBreakEvenLoopsOverTheCostLineCatalogue(t *testing.T) {
	// Not parallel: it changes a catalogue line for its run.
	p, err := Parse([]byte(autoscaleStep))
	if err != nil {
		t.Fatal(err)
	}
	k := -1
	for j := range CostLines {
		if CostLines[j].Key == CostIOPS {
			k = j
		}
	}
	saved := CostLines[k]
	defer func() { CostLines[k] = saved }()
	CostLines[k].Moves = MovesWithCalls
	CostLines[k].compute = func(out *PhaseResult, _ *Assumptions, _ *Phase) decimal.Decimal {
		return decimal.NewFromInt(out.CallsPerDay * 4).Shift(-3) // $0.004 a call a day
	}
	ph := Compute(p).Phases[0]
	checkRegions(t, "with a new line", ph.BreakEvenRegions, 0, 100*ph.CallsPerDay, func(x int64) decimal.Decimal { return marginAt(p, 0, x) })
	if !ph.BreakEvenCallsPerDay.Valid || ph.BreakEvenCallsPerDay.Val <= 216_001 {
		t.Errorf("break-even %+v ignores the new line's cost", ph.BreakEvenCallsPerDay)
	}
}

func TestEveryCostLineAndDriverSaysHowItMoves(t *testing.T) {
	t.Parallel()
	for _, l := range CostLines {
		if l.Moves < MovesNot || l.Moves > MovesWithOverflow {
			t.Errorf("cost line %s does not say how it moves with volume", l.JSONKey)
		}
		if l.compute == nil && l.accrued == nil && !l.Held && !l.Spot { // commitments and spot are billed by billGPU
			t.Errorf("cost line %s can be priced at no volume: neither compute, accrued nor billed", l.JSONKey)
		}
	}
	for _, d := range Drivers {
		if d.Moves < MovesNot || d.Moves > MovesWithOverflow {
			t.Errorf("driver %s does not say how it moves with volume", d.Key)
		}
	}
}
