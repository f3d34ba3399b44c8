package commit

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// series is a plan's phases as a commitment reads them: typical days at
// one on-demand price.
func series(price string, phases ...day) []Phase {
	var out []Phase
	for _, ph := range phases {
		out = append(out, Phase{Days: ph.days, Nodes: ph.nodes, Price: dec(price)})
	}
	return out
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

type day = struct {
	days  int64
	nodes [24]int64
}

func every(n int64) [24]int64 {
	var d [24]int64
	for h := range d {
		d[h] = n
	}
	return d
}

// The worked example: 90 days of 2 nodes, then 90 days of one daily
// curve, then another, at $6.88 on demand, a 12-month commitment at ρ 0.60
// (4.128 a node-hour) from day 1. Extending the last curve to day 365:
// k* = 3, $360,326.24 against $412,215.20 on demand; stranded after day
// 270: k* = 2, $233,933.76 against $250,776.00.
func TestCommitmentWorkedExample(t *testing.T) {
	t.Parallel()
	a := [24]int64{2, 2, 2, 2, 2, 2, 2, 2, 3, 5, 7, 8, 8, 8, 8, 8, 7, 7, 6, 5, 5, 4, 3, 2}
	b := [24]int64{3, 3, 3, 3, 3, 4, 4, 6, 12, 17, 18, 18, 18, 19, 18, 17, 16, 15, 12, 11, 10, 8, 5, 4}
	r := series("6.88", day{90, every(2)}, day{90, a}, day{90, b})
	for _, c := range []struct {
		after          string
		k              int64
		cost, onDemand string
	}{
		{AfterPlanExtend, 3, "360326.24", "412215.2"},
		{AfterPlanStranded, 2, "233933.76", "250776"},
	} {
		got, err := Optimal(r, Options{Rate: dec("4.128"), TermMonths: 12, AfterPlan: c.after})
		if err != nil {
			t.Fatal(err)
		}
		if got.K != c.k || !got.Cost.Equal(dec(c.cost)) || !got.OnDemandCost.Equal(dec(c.onDemand)) {
			t.Errorf("%s: k %d, cost %s, on demand %s; want %d, %s, %s", c.after, got.K, got.Cost, got.OnDemandCost, c.k, c.cost, c.onDemand)
		}
		if !got.Rho.Equal(dec("0.6")) || got.TermHours != 8760 {
			t.Errorf("%s: ρ %s over %d hours", c.after, got.Rho, got.TermHours)
		}
	}
}

// Cloudability's published example: $0.126 on demand against an effective
// $0.074 reserved: over 8,760 h $1,103.76 against $648.24 (41.3 % saved);
// at 50 % use on demand is cheaper ($551.88); break-even use 58.7 %.
func TestCommitmentCloudabilityExample(t *testing.T) {
	t.Parallel()
	opts := Options{Rate: dec("0.074"), TermMonths: 12, AfterPlan: AfterPlanStranded}
	always := series("0.126", day{365, every(1)})
	c, _ := Optimal(always, opts)
	if c.K != 1 || !c.Cost.Equal(dec("648.24")) || !c.OnDemandCost.Equal(dec("1103.76")) {
		t.Errorf("used all year: k %d, %s against %s", c.K, c.Cost, c.OnDemandCost)
	}
	if saved := c.Saving.DivRound(c.OnDemandCost, 4); !saved.Equal(dec("0.4127")) {
		t.Errorf("saving %s, want 41.3 %%", saved)
	}
	half := series("0.126", day{365, [24]int64{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}})
	c, _ = Optimal(half, opts)
	if c.K != 0 || !c.Cost.Equal(dec("551.88")) {
		t.Errorf("used half the time: k %d, %s; on demand should win at $551.88", c.K, c.Cost)
	}
	if be := c.Rho.Round(3); !be.Equal(dec("0.587")) {
		t.Errorf("break-even utilization %s, want 0.587", be)
	}
}

// k* is the brute-force argmin of cost(k) (ties to the smaller k) on random
// series, prices and rates.
func TestCommitmentIsTheArgmin(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 7))
	for run := 0; run < 200; run++ {
		var phases []day
		for n := 1 + rng.IntN(4); n > 0; n-- {
			var d [24]int64
			for h := range d {
				d[h] = rng.Int64N(12)
			}
			phases = append(phases, day{1 + rng.Int64N(120), d})
		}
		r := series(decimal.New(1+rng.Int64N(900), -2).String(), phases...)
		opts := Options{Rate: decimal.New(rng.Int64N(900), -2), TermMonths: 1 + rng.Int64N(24), AfterPlan: []string{AfterPlanExtend, AfterPlanStranded}[rng.IntN(2)]}
		c, err := Optimal(r, opts)
		if err != nil {
			t.Fatal(err)
		}
		best, bestK := Cost(r, opts, 0), int64(0)
		for k := int64(1); k <= 12; k++ {
			if cost := Cost(r, opts, k); cost.LessThan(best) {
				best, bestK = cost, k
			}
		}
		if c.K != bestK || !c.Cost.Equal(best) {
			t.Fatalf("run %d: k* %d at %s, brute force %d at %s", run, c.K, c.Cost, bestK, best)
		}
	}
}

// With spot for the uncommitted layer, an uncommitted node-hour costs
// (1 − q)·spot + q·on-demand: at $2.00 spot, q = 0.1 and $6.88 on demand,
// 0.9 × 2 + 0.1 × 6.88 = $2.488, so a commitment at $4.128 no longer pays
// on a flat fleet of 2 nodes: k = 0, the year costs 2 × 8,760 × 2.488 =
// $43,589.76. At $5 spot (5.188 expected) committing both nodes pays.
func TestCommitmentAgainstSpot(t *testing.T) {
	t.Parallel()
	r := series("6.88", day{365, every(2)})
	opts := Options{Rate: dec("4.128"), TermMonths: 12, AfterPlan: AfterPlanStranded, Spot: decimal.NewNullDecimal(dec("2")), Interruption: dec("0.1")}
	c, err := Optimal(r, opts)
	if err != nil {
		t.Fatal(err)
	}
	if c.K != 0 || !c.Cost.Equal(dec("43589.76")) {
		t.Errorf("cheap spot: k %d at %s", c.K, c.Cost)
	}
	opts.Spot = decimal.NewNullDecimal(dec("5"))
	if c, _ = Optimal(r, opts); c.K != 2 {
		t.Errorf("dear spot: k %d", c.K)
	}
	opts.Interruption = dec("1.5")
	if _, err := Optimal(r, opts); err == nil {
		t.Error("an interruption share of 1.5 was accepted")
	}
}

// The worked series extended to a year: hours with at least k
// nodes, counted by hand. 90 days at 2 nodes; 90 days of the curve
// 2 2 2 2 2 2 2 2 3 5 7 8 8 8 8 8 7 7 6 5 5 4 3 2; then the third curve
// for 185 days (its 90, and the 95 that extend the plan's 270 to 365).
func TestLoadDurationOfTheWorkedSeries(t *testing.T) {
	t.Parallel()
	a := [24]int64{2, 2, 2, 2, 2, 2, 2, 2, 3, 5, 7, 8, 8, 8, 8, 8, 7, 7, 6, 5, 5, 4, 3, 2}
	b := [24]int64{3, 3, 3, 3, 3, 4, 4, 6, 12, 17, 18, 18, 18, 19, 18, 17, 16, 15, 12, 11, 10, 8, 5, 4}
	r := series("6.88", day{90, every(2)}, day{90, a}, day{90, b})
	ld, err := LoadDurationOf(r, Options{TermMonths: 12, AfterPlan: AfterPlanExtend})
	if err != nil {
		t.Fatal(err)
	}
	if ld.TermHours != 8760 || ld.AtLeast[0] != 8760 || ld.AtLeast[2] != 8760 {
		t.Fatalf("term %d, ≥ 0: %d, ≥ 2: %d", ld.TermHours, ld.AtLeast[0], ld.AtLeast[2])
	}
	// ≥ 3: 15 hours a day of the second curve, 24 of the third:
	// 15 × 90 + 24 × 185 = 5,790 hours, 66.1 % of the year, above ρ = 0.6;
	// ≥ 4: 13 × 90 + 19 × 185 = 4,685, 53.5 %, below it. So k* = 3, the
	// worked example's answer, read off the curve.
	if ld.AtLeast[3] != 5790 || ld.AtLeast[4] != 4685 {
		t.Errorf("hours with ≥ 3 and ≥ 4 nodes: %d, %d; want 5,790 and 4,685", ld.AtLeast[3], ld.AtLeast[4])
	}
	// ≥ 18: the third curve's 18 18 18 19 18, 5 hours a day × 185 = 925;
	// ≥ 19: 185; nothing wants 20.
	if ld.AtLeast[18] != 925 || ld.AtLeast[19] != 185 || len(ld.AtLeast) != 20 {
		t.Errorf("≥ 18: %d, ≥ 19: %d, curve length %d", ld.AtLeast[18], ld.AtLeast[19], len(ld.AtLeast))
	}
	if !ld.Price.Valid || !ld.Price.Decimal.Equal(dec("6.88")) {
		t.Errorf("one on-demand price: %+v", ld.Price)
	}
}

// Reading cost(k) off the curve gives what walking every hour of the term
// gives, for every k, on the worked series at ρ = 0.6.
func TestCostAtTheCurveIsTheHourlyWalk(t *testing.T) {
	t.Parallel()
	a := [24]int64{2, 2, 2, 2, 2, 2, 2, 2, 3, 5, 7, 8, 8, 8, 8, 8, 7, 7, 6, 5, 5, 4, 3, 2}
	b := [24]int64{3, 3, 3, 3, 3, 4, 4, 6, 12, 17, 18, 18, 18, 19, 18, 17, 16, 15, 12, 11, 10, 8, 5, 4}
	r := series("6.88", day{90, every(2)}, day{90, a}, day{90, b})
	for _, after := range []string{AfterPlanExtend, AfterPlanStranded} {
		opts := Options{Rate: dec("4.128"), TermMonths: 12, AfterPlan: after}
		ld, err := LoadDurationOf(r, opts)
		if err != nil {
			t.Fatal(err)
		}
		for k := int64(0); k < int64(len(ld.AtLeast)); k++ {
			if got, want := ld.CostAt(k, opts.Rate), Cost(r, opts, k); !got.Equal(want) {
				t.Errorf("%s, k %d: curve %s, hourly walk %s", after, k, got, want)
			}
		}
		// The least cost off the curve is the optimiser's level: 3 extended, 2 stranded.
		best, _ := Optimal(r, opts)
		if k, cost := ld.Best(opts.Rate); k != best.K || !cost.Equal(best.Cost) {
			t.Errorf("%s: curve's best %d at %s, optimiser's %d at %s", after, k, cost, best.K, best.Cost)
		}
	}
}
