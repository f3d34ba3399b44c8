package risk

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/internal/plantest"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/shopspring/decimal"
)

// Monte Carlo against a closed form. With only a one-phase plan's node
// price uncertain (lognormal 5.5 to 8.5), the phase's cost is node-hours ×
// price plus costs the price does not touch, so cost exceeds what it is at
// $6.88 exactly when the price exceeds $6.88:
// P = 1 − Φ((ln 6.88 − μ)/σ) = 0.48128, μ = ln √(5.5·8.5), σ = ln(8.5/5.5)/(2·1.644854).
func TestRiskMatchesClosedFormForOneUncertainPrice(t *testing.T) {
	t.Parallel()
	p := plantest.Seed(t)
	p.Scenarios = nil
	p.Phases = p.Phases[1:2]
	at688 := planner.Compute(p).Totals.Cost.Total
	q, err := planner.SetInputText(p, planner.PlanDefault, "node_hourly", "5.5 to 8.5")
	if err != nil {
		t.Fatal(err)
	}
	mu := (math.Log(5.5) + math.Log(8.5)) / 2
	sigma := (math.Log(8.5) - math.Log(5.5)) / (2 * 1.6448536269514722)
	want := 0.5 * math.Erfc((math.Log(6.88)-mu)/sigma/math.Sqrt2)
	if math.Abs(want-0.48128) > 5e-6 {
		t.Fatalf("closed form = %.6f, want 0.48128 as the issue worked it", want)
	}
	// The fewest draws that pin the odds within ±0.01 at three standard
	// errors: 9·p(1 − p) ÷ 0.01² ≈ 22,475 (fewer under the race detector,
	// whose run checks the workers, not the estimate).
	draws := int(math.Ceil(9*want*(1-want)/(0.01*0.01))) / plantest.RaceSlowdown
	r, err := Run(q, "", Options{Draws: draws, Seed: 7, Budget: planner.Some(at688)})
	if err != nil {
		t.Fatal(err)
	}
	got := r.Odds.TotalCostOverBudget.Val
	se := math.Sqrt(want * (1 - want) / float64(draws))
	t.Logf("P(price > $6.88): closed form %.5f, %d draws %.5f (%.1f standard errors)", want, draws, got, (got-want)/se)
	if math.Abs(got-want) > 3*se {
		t.Errorf("P(cost > cost at $6.88) = %.5f over %d draws, want %.5f ± %.5f", got, draws, want, 3*se)
	}
}

// A range with low = high is a number: every draw is the plan itself.
func TestDegenerateRangesReproduceCompute(t *testing.T) {
	t.Parallel()
	p := plantest.Seed(t)
	var err error
	for _, c := range []struct {
		phase       int
		key, range_ string
	}{{planner.PlanDefault, "node_hourly", "6.88 to 6.88"}, {0, planner.KeyCallsPerDay, "500000 to 500000"}, {planner.PlanDefault, "node_rps", "22.2 to 22.2"}} {
		if p, err = planner.SetInputText(p, c.phase, c.key, c.range_); err != nil {
			t.Fatal(err)
		}
	}
	base := plantest.Seed(t)
	want := planner.Compute(base)
	r, err := Run(p, "", Options{Draws: 50, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	cost := want.Totals.Cost.Total.InexactFloat64()
	for i, c := range r.TotalCost {
		if c != cost {
			t.Fatalf("draw %d cost %v, want the plan's %v", i, c, cost)
		}
	}
	if r.Totals.TotalCost.P5 != cost || r.Totals.TotalCost.P95 != cost {
		t.Errorf("spread %+v, want every percentile %v", r.Totals.TotalCost, cost)
	}
	if be := float64(want.BreakEven.Day.Val); r.Totals.BreakEvenDay.P50 != be {
		t.Errorf("break-even day P50 %v, want %v", r.Totals.BreakEvenDay.P50, be)
	}
	if p99 := want.Phases[2].Latency.P99Ms; r.Phases[2].P99.P90 != p99 {
		t.Errorf("Phase 2 p99 P90 %v, want %v", r.Phases[2].P99.P90, p99)
	}
}

func TestRiskIsReproducibleAndIndependentOfCores(t *testing.T) {
	t.Parallel()
	p := plantest.Uncertain(t)
	a, err := Run(p, "", Options{Draws: 400, Seed: 42, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(p, "", Options{Draws: 400, Seed: 42, Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Error("one worker and three gave different answers for the same seed")
	}
	c, _ := Run(p, "", Options{Draws: 400, Seed: 43})
	if reflect.DeepEqual(a.TotalCost, c.TotalCost) {
		t.Error("another seed gave the same draws")
	}
}

// Inputs in one group take one quantile draw: their values rank alike.
func TestGroupedInputsMoveTogether(t *testing.T) {
	t.Parallel()
	p := plantest.Uncertain(t)
	inputs := riskInputs(p, "")
	groups := groupIndex(inputs)
	var a, b []float64
	ia, ib := -1, -1
	for k, in := range inputs {
		switch in.Path {
		case "phases[Baseline].calls_per_day":
			ia = k
		case "phases[Phase 2].calls_per_day":
			ib = k
		}
	}
	if ia < 0 || ib < 0 {
		t.Fatal("the example plan lost its grouped ranges")
	}
	res := planner.Compute(p)
	days := fanDays(res.Days)
	var price []float64
	for i := uint64(0); i < 300; i++ {
		d := drawOne(new(planner.Cache), p, inputs, groups, 9, i, days)
		a, b = append(a, d.values[ia]), append(b, d.values[ib])
		price = append(price, d.values[0])
	}
	// Rank correlation 1: no two draws are ordered one way in one phase
	// and the other way in the other. (Spearman's ρ itself falls a hair
	// short of 1 when rounding to whole calls ties two draws in one phase
	// and not in the other.)
	for i := range a {
		for j := range a {
			if a[i] < a[j] && b[i] > b[j] {
				t.Fatalf("draws %d and %d are ordered %v < %v in Baseline but %v > %v in Phase 2", i, j, a[i], a[j], b[i], b[j])
			}
		}
	}
	if rho := Spearman(a, b); rho < 0.9999 {
		t.Errorf("rank correlation of one group's draws = %v, want 1", rho)
	}
	if rho := Spearman(a, price); math.Abs(rho) > 0.25 {
		t.Errorf("an ungrouped input correlates %v with the group", rho)
	}
}

// Excel's PERCENTILE.INC, worked by hand: for 1, 2, 3, 4 at 0.9 the rank is
// 3 × 0.9 = 2.7, so 3 + 0.7 × (4 − 3) = 3.7.
func TestPercentileIsExcelsInclusiveOne(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		v    []float64
		p    float64
		want float64
	}{
		{[]float64{4, 1, 3, 2}, 0.9, 3.7},
		{[]float64{4, 1, 3, 2}, 0.5, 2.5},
		{[]float64{4, 1, 3, 2}, 0, 1},
		{[]float64{4, 1, 3, 2}, 1, 4},
		{[]float64{10, 20, 30, 40, 50}, 0.1, 14},
		{[]float64{7}, 0.95, 7},
	} {
		if got := Percentile(c.v, c.p); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("PERCENTILE.INC(%v, %v) = %v, want %v", c.v, c.p, got, c.want)
		}
	}
	// Spearman: a monotone but not linear relation is 1; a reversed one −1;
	// ties share ranks (x = 1,2,2,3 against y = 1,2,3,4: ρ = 0.9487).
	if got := Spearman([]float64{1, 2, 3, 4}, []float64{1, 8, 27, 64}); math.Abs(got-1) > 1e-12 {
		t.Errorf("Spearman of a cube = %v", got)
	}
	if got := Spearman([]float64{1, 2, 3}, []float64{3, 2, 1}); math.Abs(got+1) > 1e-12 {
		t.Errorf("Spearman reversed = %v", got)
	}
	if got := Spearman([]float64{1, 2, 2, 3}, []float64{1, 2, 3, 4}); math.Abs(got-0.9486832981) > 1e-9 {
		t.Errorf("Spearman with a tie = %v, want 0.9487 (3/√10)", got)
	}
}

// The uncertain example plan: the run is sane end to end. The node price
// drives total cost and the demand group comes next; every percentile is
// ordered; the odds are shares.
func TestRiskOfTheUncertainExample(t *testing.T) {
	t.Parallel()
	p := plantest.Uncertain(t)
	r, err := Run(p, "", Options{Draws: 2000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	s := r.Totals.TotalCost
	if !(s.P5 <= s.P10 && s.P10 <= s.P50 && s.P50 <= s.P90 && s.P90 <= s.P95) {
		t.Errorf("percentiles out of order: %+v", s)
	}
	// The median plan's cost lies inside the P10–P90 band.
	med := planner.Compute(p).Totals.Cost.Total.InexactFloat64()
	if med < s.P10 || med > s.P90 {
		t.Errorf("the median plan's cost %v is outside P10–P90 %v–%v", med, s.P10, s.P90)
	}
	if len(r.Drivers) != 5 || r.Drivers[0].Rho <= 0 {
		t.Errorf("drivers: %+v", r.Drivers)
	}
	if o := r.Odds.CostPerCallOverCeiling; !o.Valid || o.Val < 0 || o.Val > 1 {
		t.Errorf("P(cost per call over ceiling) = %+v", o)
	}
	if r.Odds.TotalCostOverBudget.Valid || r.Odds.BreakEvenAfter.Valid {
		t.Error("odds not asked for were answered")
	}
	if n := len(r.Fan.Days); n != FanPoints || r.Fan.Days[n-1] != 270 {
		t.Errorf("fan days: %d ending %d", n, r.Fan.Days[n-1])
	}
	last := len(r.Fan.Days) - 1
	if math.Abs(r.Fan.CostP50[last]-s.P50) > 1e-6*s.P50 {
		t.Errorf("the fan's last day P50 %v is not total cost's P50 %v", r.Fan.CostP50[last], s.P50)
	}
}

func BenchmarkRiskUncertainExample10k(b *testing.B) {
	p := plantest.Uncertain(b)
	for i := 0; i < b.N; i++ {
		if _, err := Run(p, "", Options{Draws: 10_000, Seed: uint64(i)}); err != nil {
			b.Fatal(err)
		}
	}
}

// A risk draw solves only the hours that can be the worst; its answer is
// the full model's: the same worst p99 (to the solver's 0.01 ms), the same
// saturation, costs and break-even day, over plans across the load range.
func TestRiskDrawsWorstHourIsTheFullModels(t *testing.T) {
	t.Parallel()
	p := plantest.Uncertain(t)
	inputs := riskInputs(p, "")
	for i := uint64(0); i < 150; i++ {
		rng := rand.New(rand.NewPCG(3, i))
		q := p.Clone()              // applyPath without checks sets in place
		for _, in := range inputs { // each input its own draw: wider coverage than the groups give
			u := unit(rng)
			var err error
			if q, err = planner.SetPathUnchecked(q, planner.ScenarioOverride{Path: in.Path, Value: drawnValue(in, u).String()}); err != nil {
				t.Fatal(err)
			}
		}
		// Vary the scaling and the ceiling too: saturated hours, autoscale lag.
		sc := planner.Scalings[rng.IntN(len(planner.Scalings))]
		q, _ = planner.SetInput(q, 1, planner.KeyScaling, string(sc))
		q, _ = planner.SetInput(q, 2, planner.KeyNodes, fmt.Sprint(2+rng.IntN(12)))
		full, peak := planner.Compute(q), planner.ComputeDraw(q, new(planner.Cache))
		for k := range full.Phases {
			a, b := &full.Phases[k].Latency, &peak.Phases[k].Latency
			if a.Estimated != b.Estimated || a.Saturated != b.Saturated || math.Abs(a.P99Ms-b.P99Ms) > 0.011 {
				t.Fatalf("draw %d phase %d: full p99 %.3f (hour %d, saturated %v), peak %.3f (hour %d, saturated %v)",
					i, k, a.P99Ms, a.Hour, a.Saturated, b.P99Ms, b.Hour, b.Saturated)
			}
			if !full.Phases[k].Cost.Total.Equal(peak.Phases[k].Cost.Total) {
				t.Fatalf("draw %d phase %d: cost differs", i, k)
			}
		}
		if full.BreakEven.Day != peak.BreakEven.Day {
			t.Fatalf("draw %d: break-even %v against %v", i, full.BreakEven.Day, peak.BreakEven.Day)
		}
	}
}

// Ten values over 0 to 10 in 5 bins: [0,2) holds 0 and 1, [2,4) 2 and 3,
// …, and the last bin is closed, so 10 counts in [8,10]. NaN, +Inf and
// values outside are left out.
func TestHistogram(t *testing.T) {
	t.Parallel()
	values := []float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 10, math.NaN(), math.Inf(1), -1, 11}
	lo, hi, ok := FiniteRange(values)
	if !ok || lo != -1 || hi != 11 {
		t.Errorf("range %v to %v, %v", lo, hi, ok)
	}
	edges, counts := Histogram(values, 0, 10, 5)
	if !reflect.DeepEqual(edges, []float64{0, 2, 4, 6, 8, 10}) || !reflect.DeepEqual(counts, []int{2, 2, 2, 2, 2}) {
		t.Errorf("edges %v, counts %v", edges, counts)
	}
	if _, _, ok := FiniteRange([]float64{math.NaN()}); ok {
		t.Error("a range of nothing finite")
	}
}

// A run is bounded by its size: draws × phases. A long plan gets fewer
// draws, said in words; one too long for the fewest draws is refused with
// the limit; a plan with nothing uncertain is computed once, not per draw.
func TestRiskIsBoundedByDrawsTimesPhases(t *testing.T) {
	t.Parallel()
	// 200,000 phase-draws ÷ 300 phases = 666 draws (by hand).
	if n, asked, err := capDraws(10_000, 300); err != nil || n != 666 || asked != 10_000 {
		t.Errorf("300 phases: %d of %d draws (%v), want 666 of 10,000", n, asked, err)
	}
	r := Result{Draws: 666, Asked: 10_000, Phases: make([]Phase, 300)}
	if w := r.DrawsWords(); w != "666 of the 10,000 draws asked for: 300 phases × 666 draws is the most a run computes (200,000 phase-draws)" {
		t.Errorf("words %q", w)
	}
	if n, asked, err := capDraws(10_000, 20); err != nil || n != 10_000 || asked != 0 {
		t.Errorf("20 phases: %d of %d (%v), want every draw", n, asked, err)
	}
	// 200,000 ÷ 2,000 phases = 100 draws, fewer than the 200 a run needs.
	long := plantest.ManyPhases(t, 2000, 3)
	long.Ranges = []planner.InputRange{{Path: "assumptions.node_hourly", Range: planner.Range{Low: plantest.Dec("5"), High: plantest.Dec("9")}}}
	if _, err := Run(long, "", Options{Draws: 10_000, Seed: 1}); err == nil || !strings.Contains(err.Error(), "this plan's 2,000 phases allow 100") {
		t.Errorf("2,000 phases: %v, want a refusal naming the limit", err)
	}
	// A run that is capped reports it: 30 phases, a cap lowered by asking
	// for more than 200,000 ÷ 30 = 6,666 draws.
	p := plantest.ManyPhases(t, 30, 10)
	p.Ranges = long.Ranges
	if r, err := Run(p, "", Options{Draws: 7000, Seed: 1}); err != nil || r.Draws != 6666 || r.Asked != 7000 || len(r.TotalCost) != 6666 {
		t.Errorf("30 phases, 7,000 asked: %d drawn of %d (%v)", r.Draws, r.Asked, err)
	}
	// Nothing uncertain: one compute stands for every draw.
	p.Ranges = nil
	r, err := Run(p, "", Options{Draws: 5000, Seed: 1})
	if err != nil || r.Draws != 5000 || r.Totals.TotalCost.P10 != r.Totals.TotalCost.P90 {
		t.Fatalf("%v: %d draws, P10 %v P90 %v", err, r.Draws, r.Totals.TotalCost.P10, r.Totals.TotalCost.P90)
	}
}

// BenchmarkRiskNoRanges: a plan with nothing uncertain costs one
// compute however many draws are asked for.
func BenchmarkRiskNoRanges(b *testing.B) {
	p := plantest.ManyPhases(b, 30, 10)
	p.Ranges = nil
	for b.Loop() {
		if _, err := Run(p, "", Options{Draws: 5000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// rangedComponents is the components example with every price, latency,
// bytes and retention input, its components' included, as a ±20 % range:
// the #17 plan whose 10,000 draws took over five minutes, each component
// draw a whole parse and validation of the plan.
func rangedComponents(b testing.TB) planner.Plan {
	p, err := planner.Load("../../testdata/components-roadmap.json")
	if err != nil {
		b.Fatal(err)
	}
	add := func(path string, v decimal.Decimal) {
		if v.Sign() <= 0 {
			return
		}
		lo, hi := v.Mul(plantest.Dec("0.8")), v.Mul(plantest.Dec("1.2"))
		if v.LessThanOrEqual(decimal.NewFromInt(1)) && (strings.HasSuffix(path, "utilization")) {
			hi = decimal.Min(hi, decimal.NewFromInt(1))
		}
		q, err := planner.SetRange(p, path, planner.Range{Low: lo, High: hi})
		if err != nil {
			return // not a slot that can be a range
		}
		p = q
	}
	a := p.Assumptions
	for key, v := range map[string]decimal.Decimal{"node_hourly": a.NodeHourly, "node_rps": a.NodeRPS, "target_utilization": a.TargetUtilization,
		"storage_gb_month": a.StorageGBMonth, "iops_month": a.IOPSMonth, "egress_gb": a.EgressGB, "batch_cost_per_call": a.BatchCostPerCall,
		"revenue_per_call": a.RevenuePerCall, "fixed_monthly": a.FixedMonthly, "service_ms": a.ServiceMs, "network_ms": a.NetworkMs,
		"preprocess_ms": a.PreprocessMs, "postprocess_ms": a.PostprocessMs, "service_cv": a.ServiceCV} {
		add("assumptions."+key, v)
	}
	for _, c := range p.Components {
		add("components["+c.Name+"].price", c.Price)
		if c.LatencyMs.Valid {
			add("components["+c.Name+"].latency_ms", c.LatencyMs.Val)
		}
	}
	if len(p.Ranges) < 15 {
		b.Fatalf("only %d inputs became ranges", len(p.Ranges))
	}
	return p
}

func BenchmarkRiskRangedComponents10k(b *testing.B) {
	p := rangedComponents(b)
	b.ReportMetric(float64(len(p.Ranges)), "ranges")
	for b.Loop() {
		if _, err := Run(p, "", Options{Draws: 10_000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// A variant's figure as a range is drawn like any other input: every draw
// sets it (none clamped), and the phase that runs the variant moves with it.
func TestVariantRangesAreDrawn(t *testing.T) {
	t.Parallel()
	p := plantest.Seed(t)
	q, err := planner.SetRange(p, "variants[large].node_hourly", planner.Range{Low: plantest.Dec("5"), High: plantest.Dec("9")})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Run(q, "", Options{Draws: 200, Seed: DefaultSeed})
	if err != nil {
		t.Fatal(err)
	}
	if r.Clamped != 0 || r.Totals.TotalCost.P10 >= r.Totals.TotalCost.P90 {
		t.Errorf("%d of 200 draws clamped; total cost P10 %v, P90 %v: the variant's price was not drawn", r.Clamped, r.Totals.TotalCost.P10, r.Totals.TotalCost.P90)
	}
}
