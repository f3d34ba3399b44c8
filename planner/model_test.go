package planner

import (
	"testing"

	"github.com/shopspring/decimal"
)

// dec parses a decimal literal for expectations written by hand.
func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func loadSeed(t testing.TB) Plan {
	t.Helper()
	p, err := Load("../testdata/seed-roadmap.json")
	if err != nil {
		t.Fatalf("seed plan: %v", err)
	}
	return p
}

// assertMoney compares an exact amount with a hand-worked one to the cent.
func assertMoney(t *testing.T, what string, got decimal.Decimal, want string) {
	t.Helper()
	if g := got.Round(2); !g.Equal(dec(want)) {
		t.Errorf("%s = %s (exact %s), want %s", what, g.StringFixed(2), got, want)
	}
}

func assertDec(t *testing.T, what string, got decimal.Decimal, places int32, want string) {
	t.Helper()
	if g := got.Round(places); !g.Equal(dec(want)) {
		t.Errorf("%s = %s (exact %s), want %s", what, g, got, want)
	}
}

// The seed plan, worked by hand. Its hourly profile sums to 100 with a peak
// weight of 8 at 13:00, so w'_h = w_h × 24/100 and the peak is 1.92× the mean.
// u = node_rps × target_utilization = 22.2 × 0.7 = 15.54 req/s per node.
// A month is 365/12 days, so `x per month` over 90 days is x × 90 × 12/365.
// Storage accrues (docs/model.md): with 30-day retention, day k of the plan
// keeps min(k, 30) days of writes; over Baseline's 90 days that is
// Σ min(k, 30) = 465 + 60 × 30 = 2,265 days of writes.
func TestSeedBaselineByHand(t *testing.T) {
	t.Parallel()
	r := Compute(loadSeed(t))
	b := r.Phases[0]

	// calls = 500,000 × 90
	if b.Calls != 45_000_000 {
		t.Errorf("calls = %d, want 45,000,000", b.Calls)
	}
	// avg = 500,000 / 86,400 = 5.787037 req/s; peak = avg × 1.92 = 11.111111
	assertDec(t, "avg_rps", b.AvgRPS, 6, "5.787037")
	assertDec(t, "peak_rps", b.PeakRPS, 6, "11.111111")
	if b.PeakHour != 13 {
		t.Errorf("peak hour = %d, want 13", b.PeakHour)
	}
	// By utilization: ceil(11.111 / 15.54 = 0.715) = 1, raised to min_nodes 2.
	// For p99: one node at 11.1 req/s is a single server at ρ = 0.5, whose
	// p99 (about 6 × 45 ms, TestQueueQuantiles) is far over 200 ms; two meet it.
	if b.RequiredNodesUtilization != 2 || b.RequiredNodes != 2 || b.SizingBound != BoundMinNodes || b.Nodes != 2 || b.NodesAuto {
		t.Errorf("nodes = %d required %d (utilization %d, %s) auto %v, want 2, 2 (2, min_nodes), false",
			b.Nodes, b.RequiredNodes, b.RequiredNodesUtilization, b.SizingBound, b.NodesAuto)
	}
	if !b.RequiredNodesP99.Valid || b.RequiredNodesP99.Val != 2 {
		t.Errorf("required_nodes_p99 = %+v, want 2", b.RequiredNodesP99)
	}
	// fixed: 2 nodes × 24 h × 90 days
	if b.NodeHours != 4_320 {
		t.Errorf("node_hours = %d, want 4,320", b.NodeHours)
	}
	// capacity is 2 × 22.2 = 44.4 req/s all day, never exceeded:
	// avg utilization = 5.787037 / 44.4 = 0.130339; peak = 11.111111 / 44.4 = 0.250250
	assertDec(t, "avg_utilization", b.AvgUtilization.Val, 6, "0.130339")
	assertDec(t, "peak_utilization", b.PeakUtilization.Val, 6, "0.250250")
	if !b.OverflowCalls.IsZero() {
		t.Errorf("overflow = %s, want 0", b.OverflowCalls)
	}
	// gpu = 4,320 × $6.88 = $29,721.60
	assertMoney(t, "gpu", b.Cost.Of(CostGPU), "29721.60")
	// storage: 500,000 × 20,000 B = 10 GB written a day; 2,265 day-writes kept
	// = 22,650 GB-days × $0.023 × 12/365 = $17.127123. Kept on the last day: 300 GB.
	assertMoney(t, "storage", b.Cost.Of(CostStorage), "17.13")
	assertDec(t, "stored_gb", b.StoredGB, 6, "300")
	// iops: 200,000 × $0.06 = $12,000/month × 1,080/365 = $35,506.85
	assertMoney(t, "iops", b.Cost.Of(CostIOPS), "35506.85")
	// network: 45M × 8,000 B = 360 GB × $0.09 = $32.40
	assertMoney(t, "network", b.Cost.Of(CostNetwork), "32.40")
	assertMoney(t, "batch", b.Cost.Of(CostBatch), "0")
	// fixed: $8,000 × 1,080/365 = $23,671.23, no one-time cost
	assertMoney(t, "fixed", b.Cost.Of(CostFixed), "23671.23")
	// total = 29,721.60 + 17.127123 + 35,506.849315 + 32.40 + 0 + 23,671.232877 = 88,949.209315
	assertMoney(t, "total", b.Cost.Total, "88949.21")
	// cost per call = 88,949.209315 / 45,000,000 = 0.001976649
	assertDec(t, "cost_per_call", b.CostPerCall.Val, 9, "0.001976649")
	// revenue = 45M × $0.0015 = $67,500; margin = 67,500 − 88,949.21
	assertMoney(t, "revenue", b.Revenue, "67500")
	assertMoney(t, "margin", b.Margin, "-21449.21")
	// Break-even volume, the fleet fixed at 2 nodes (44.4 req/s, so no
	// overflow below ~2M calls a day): margin(x) = g·x − K − GPU with
	// g = 90 × 0.0015 − 90 × 8,000/10⁹ × 0.09 − 20,000 × 2,265/10⁹ × 0.023 × 12/365
	//   = 0.135 − 0.0000648 − 0.0000342542 = 0.1349009458 per call a day,
	// K = 35,506.849315 + 23,671.232877 and GPU = 29,721.60:
	// x = 88,899.682192 / 0.1349009458 = 658,999.70 → 659,000.
	if be := b.BreakEvenCallsPerDay; !be.Valid || be.Val != 659_000 {
		t.Errorf("break_even_calls_per_day = %+v, want 659,000", be)
	}
	// 13.0 % average utilization is below the 40 % floor; the latency inputs
	// agree (1 slot × 1000 / 45 ms = 22.2 req/s); the rest pass.
	wantChecks := map[string]bool{CheckConsistency: true, CheckCostCeiling: true, CheckMinUtilization: false, CheckP99: true, CheckOverflow: true}
	assertChecks(t, b, wantChecks)
}

func assertChecks(t *testing.T, p PhaseResult, want map[string]bool) {
	t.Helper()
	if len(p.Checks) != len(want) {
		t.Errorf("%s: %d checks %+v, want %d", p.Name, len(p.Checks), p.Checks, len(want))
	}
	for _, c := range p.Checks {
		if ok, present := want[c.Name]; !present || ok != c.OK {
			t.Errorf("%s: check %s ok=%v (%+v), want present=%v ok=%v", p.Name, c.Name, c.OK, c, present, ok)
		}
	}
}

// Phase 1 autoscales on the previous hour's load, so the morning ramp (weight
// 2.5 at 07:00 to 5 at 08:00) outruns it: 08:00 runs what 07:00 needed and
// misses the p99 target there.
func TestSeedPhase1AutoscaleByHand(t *testing.T) {
	t.Parallel()
	r := Compute(loadSeed(t))
	p := r.Phases[1]
	// λ_h = 2,000,000/86,400 × 0.24 × w_h = 5.5556 × w_h; peak 44.444 → ceil(44.444/15.54 = 2.86) = 3.
	if p.RequiredNodesUtilization != 3 || p.RequiredNodes != 3 || p.Nodes != 3 || !p.NodesAuto {
		t.Errorf("required %d (utilization %d) nodes %d, want 3 (3) and 3", p.RequiredNodes, p.RequiredNodesUtilization, p.Nodes)
	}
	// What each hour's load needs by utilization, max(2, ceil(λ_h / 15.54)):
	//   w:    1 1 1 1 1 1.5 1.5 2.5 5 7 7.5 7.5 7.5 8 7.5 7 6.5 6 5 4.5 4 3 2 1.5
	//   want: 2 2 2 2 2 2   2   2   2 3 3   3   3   3 3   3 3   3 2 2   2 2 2 2
	// By p99, 5 (27.8 req/s) needs 3: two servers at ρ = 0.625 give 223.8 ms
	// (TestSeedRampMissesP99). Autoscale runs hour h on hour h−1's want:
	//   run:  2 2 2 2 2 2   2   2   2 3 3   3   3   3 3   3 3   3 3 3   2 2 2 2  → Σ = 59
	wantRun := []int64{2, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2}
	for h, n := range wantRun {
		if p.HourNodes[h] != n {
			t.Errorf("hour %d runs %d nodes, want %d", h, p.HourNodes[h], n)
		}
	}
	if p.NodeHours != 59*90 {
		t.Errorf("node_hours = %d, want 5,310", p.NodeHours)
	}
	// No hour's load reaches capacity (the 08:00 ramp, 27.8 req/s, runs on
	// 2 × 22.2 = 44.4), so nothing overflows.
	if !p.OverflowCalls.IsZero() {
		t.Errorf("overflow_calls = %s, want 0", p.OverflowCalls)
	}
	// gpu 5,310 × 6.88 = 36,532.80; network 1,440 GB × 0.09 = 129.60;
	// fixed 23,671.23 + one-time 20,000 = 43,671.23. Storage: day 90 + k keeps
	// the last 30 days' writes, Baseline's 10 GB a day fading out as Phase 1's
	// 40 GB a day builds up: Σ_{k=1}^{30} (10(30 − k) + 40k) = 10·435 + 40·465
	// = 22,950 GB-days, then 60 days × 1,200 GB = 72,000: 94,950 GB-days ×
	// 0.023 × 12/365 = $71.80. Kept on the phase's last day: 30 × 40 = 1,200 GB.
	assertMoney(t, "gpu", p.Cost.Of(CostGPU), "36532.80")
	assertMoney(t, "storage", p.Cost.Of(CostStorage), "71.80")
	assertDec(t, "stored_gb", p.StoredGB, 6, "1200")
	assertMoney(t, "network", p.Cost.Of(CostNetwork), "129.60")
	assertMoney(t, "fixed", p.Cost.Of(CostFixed), "43671.23")
	// 36,532.80 + 71.797808 + 35,506.849315 + 129.60 + 0 + 43,671.232877 = 115,912.28
	assertMoney(t, "total", p.Cost.Total, "115912.28")
	assertChecks(t, p, map[string]bool{CheckConsistency: true, CheckCostCeiling: true, CheckMinUtilization: true, CheckP99: false, CheckOverflow: true})
	if l := p.Latency; l.Hour != 8 || l.Worst().Nodes != 2 || l.HoursOver != 1 {
		t.Errorf("worst hour %02d:00 on %d nodes, %d hours over; want 08:00 on 2, 1 over", l.Hour, l.Worst().Nodes, l.HoursOver)
	}
}

// Phase 2 provisions each hour ahead from the forecast, under a 10-node cap.
func TestSeedPhase2PredictiveByHand(t *testing.T) {
	t.Parallel()
	r := Compute(loadSeed(t))
	p := r.Phases[2]
	// λ_h = 5,000,000/86,400 × 0.24 × w_h = 13.8889 × w_h; max(2, ceil(λ_h / 15.54)):
	//   w 1 → 0.89 → 2; 1.5 → 1.34 → 2; 2.5 → 2.23 → 3; 5 → 4.47 → 5; 7 → 6.26 → 7;
	//   7.5 → 6.70 → 7; 8 → 7.15 → 8; 6.5 → 5.81 → 6; 6 → 5.36 → 6;
	//   4.5 → 4.02 → 5; 4 → 3.57 → 4; 3 → 2.68 → 3; 2 → 1.79 → 2
	// The p99 target never asks for more in this phase (the p99 count at the
	// peak is 6, under the utilization count of 8).
	wantRun := []int64{2, 2, 2, 2, 2, 2, 2, 3, 5, 7, 7, 7, 7, 8, 7, 7, 6, 6, 5, 5, 4, 3, 3, 2} // Σ = 106
	for h, n := range wantRun {
		if p.HourNodes[h] != n {
			t.Errorf("hour %d runs %d nodes, want %d", h, p.HourNodes[h], n)
		}
	}
	if p.RequiredNodes != 8 || p.Nodes != 10 || p.NodesAuto || !p.RequiredNodesP99.Valid || p.RequiredNodesP99.Val != 6 {
		t.Errorf("required %d (p99 %+v) nodes %d auto %v, want 8 (6), 10, false", p.RequiredNodes, p.RequiredNodesP99, p.Nodes, p.NodesAuto)
	}
	if p.NodeHours != 106*90 {
		t.Errorf("node_hours = %d, want 9,540", p.NodeHours)
	}
	// 9,540 × 6.88 = 65,635.20
	assertMoney(t, "gpu", p.Cost.Of(CostGPU), "65635.20")
	if !p.OverflowCalls.IsZero() {
		t.Errorf("overflow = %s, want none below the 10-node cap", p.OverflowCalls)
	}
	// Storage: 40 GB a day fading out, 100 GB a day building up over 30
	// days: 40·435 + 100·465 = 63,900; then 60 × 3,000 = 180,000 → 243,900
	// GB-days × 0.023 × 12/365 = $184.43.
	assertMoney(t, "storage", p.Cost.Of(CostStorage), "184.43")
	assertMoney(t, "total", p.Cost.Total, "125321.71")
}

// Across phases: back to back from 2027-01-04, and the break-even day.
func TestSeedTimelineByHand(t *testing.T) {
	t.Parallel()
	r := Compute(loadSeed(t))
	wantDates := [][2]string{{"2027-01-04", "2027-04-03"}, {"2027-04-04", "2027-07-02"}, {"2027-07-03", "2027-09-30"}}
	for i, w := range wantDates {
		if got := [2]string{r.Phases[i].StartDate.String(), r.Phases[i].EndDate.String()}; got != w {
			t.Errorf("phase %d runs %v, want %v", i, got, w)
		}
	}
	if r.Days != 270 || r.EndDate.String() != "2027-09-30" {
		t.Errorf("plan runs %d days to %s", r.Days, r.EndDate)
	}
	// After Baseline the plan is 88,949.21 − 67,500 = 21,449.21 behind. Phase
	// 1 earns 3,000 a day against 20,000 once plus about (115,912.28 − 20,000
	// − 71.80)/90 = 1,064.89 a day and its storage (about 1 a day); the gap
	// of 41,449.21 closes on its 22nd day (41,449.21 / ~1,934 = 21.4),
	// plan day 112 = 2027-04-25, and stays closed. (Summed day by day with
	// exact storage in a separate calculation: last day behind is 111.)
	be := r.BreakEven
	if !be.Day.Valid || be.Day.Val != 112 || be.Date.Val.String() != "2027-04-25" || be.Phase != 1 || be.FirstEven.Valid {
		t.Errorf("break-even = %+v, want day 112 (2027-04-25) in phase 1, never lost", be)
	}
	sum := r.Phases[0].Cost.Total.Add(r.Phases[1].Cost.Total).Add(r.Phases[2].Cost.Total)
	if !r.Totals.Cost.Total.Equal(sum) {
		t.Errorf("total %s is not the sum of phases %s", r.Totals.Cost.Total, sum)
	}
	if r.Totals.Calls != 675_000_000 || r.Totals.PeakNodes != 10 {
		t.Errorf("totals calls %d peak nodes %d", r.Totals.Calls, r.Totals.PeakNodes)
	}
}

func TestTimelineAccruesOneTimeAndStorageByDay(t *testing.T) {
	t.Parallel()
	r := Compute(loadSeed(t))
	days := r.Timeline()
	if len(days) != 270 {
		t.Fatalf("%d days, want 270", len(days))
	}
	// Day 1 keeps 10 GB: 10 × 0.023 × 12/365 = $0.007562 of storage on top
	// of Baseline's even share (88,949.209315 − 17.127123)/90 = 988.134358.
	assertDec(t, "day 1 cost", days[0].Cost, 6, "988.141808")
	// Day 30 keeps 300 GB: 300 × 0.023 × 12/365 = 0.226849.
	assertDec(t, "day 30 cost", days[29].Cost, 6, "988.361096")
	// Day 91 is Phase 1's first: its $20,000 one-time cost, its even share
	// (115,912.28 − 20,000 − 71.797808)/90 = 1,064.891358, and 29 days of
	// Baseline's 10 GB plus its own 40 GB = 330 GB: 0.249534.
	d := days[90]
	if d.Day != 91 || d.Phase != 1 || d.Date.String() != "2027-04-04" {
		t.Errorf("day 91 = %+v", d)
	}
	assertMoney(t, "day 91 cost", d.Cost, "21065.14")
	// The day's storage figures, as the workbook's Timeline shows them:
	// 2M calls × 20 KB = 40 GB written; 90 × 10 + 40 = 940 GB to date; 330
	// GB kept (above), 330 × 0.023 × 12/365 = $0.249534.
	gb := func(bytes int64) decimal.Decimal { return decimal.NewFromInt(bytes).Shift(9) }
	if !r.Phases[1].WrittenPerDay.Equal(gb(40)) || !d.Written.Equal(gb(40)) || !d.WrittenToDate.Equal(gb(940)) || !d.Kept.Equal(gb(330)) {
		t.Errorf("day 91 wrote %s, %s to date, kept %s bytes", d.Written, d.WrittenToDate, d.Kept)
	}
	assertDec(t, "day 91 storage", d.Storage, 6, "0.249534")
	assertDec(t, "day 1 storage", days[0].Storage, 6, "0.007562")
	if !days[0].Kept.Equal(gb(10)) || !days[0].WrittenToDate.Equal(gb(10)) {
		t.Errorf("day 1 kept %s of %s bytes", days[0].Kept, days[0].WrittenToDate)
	}
	// Revenue: 2,000,000 × $0.0015 = $3,000 a day
	assertMoney(t, "day 91 revenue", d.Revenue, "3000")
	last := days[len(days)-1]
	if !last.CumCost.Round(6).Equal(r.Totals.Cost.Total.Round(6)) || !last.CumRevenue.Round(6).Equal(r.Totals.Revenue.Round(6)) {
		t.Errorf("the timeline ends at %s / %s, totals are %s / %s", last.CumCost, last.CumRevenue, r.Totals.Cost.Total, r.Totals.Revenue)
	}
}

func TestMonthlyCostByHand(t *testing.T) {
	t.Parallel()
	b := Compute(loadSeed(t)).Phases[0]
	// Per month (365/12 days) of Baseline: 88,949.209315 × 365 / 1,080 = 30,061.538
	assertMoney(t, "monthly", b.MonthlyCost(), "30061.54")
}

func TestBusiestIsTheFirstOfTheLargestPhases(t *testing.T) {
	t.Parallel()
	r := Result{Phases: []PhaseResult{{CallsPerDay: 5}, {CallsPerDay: 9}, {CallsPerDay: 9}, {CallsPerDay: 1}}}
	if got := r.Busiest(); got != 1 {
		t.Errorf("busiest %d, want 1 (the first of the two 9s)", got)
	}
	if got := (&Result{Phases: []PhaseResult{{CallsPerDay: 0}}}).Busiest(); got != 0 {
		t.Errorf("one idle phase: busiest %d, want 0", got)
	}
}
