package planner

import (
	"os"
	"strings"
	"testing"
)

// heldPlan is a one-phase plan of days days whose hours want 1 node
// (hours 0–11) and 3 (hours 12–23) at $10 a node-hour, predictive, with
// the commitments given: λ is 1 and 3 calls/s at 172,800 calls a day and
// 1 call/s a node.
func heldPlan(t *testing.T, days string, commitments string) Plan {
	t.Helper()
	text := `{"format": 2, "name": "held", "start_date": "2027-01-01",
	  "assumptions": {"node_hourly": 10, "node_rps": 1, "target_utilization": 1, "min_nodes": 0,
	    "hourly_profile": [1,1,1,1,1,1,1,1,1,1,1,1,3,3,3,3,3,3,3,3,3,3,3,3]},
	  "commitments": ` + commitments + `,
	  "phases": [{"name": "Run", "days": ` + days + `, "calls_per_day": 172800, "scaling": "predictive"}]}`
	p, err := Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Worked by hand. 2 nodes committed for a month (730 hours) from day 1 at
// $6 an hour and $730 upfront: $7 effective. A 40-day phase wants 48
// node-hours a day (12 × 1 + 12 × 3), 1,920 in all. The term covers 30
// days and 10 hours: min(n, 2) is 36 node-hours a day, and the first 10
// hours of day 31 want 1 node each, so 30 × 36 + 10 = 1,090 node-hours are
// served by the commitment. On demand: (1,920 − 1,090) × $10 = $8,300.
// Committed: 2 nodes × 730 hours × $7 = $10,220. Nothing is stranded.
func TestHeldCommitmentBilledByHand(t *testing.T) {
	t.Parallel()
	p := heldPlan(t, "40", `[{"name": "year", "term_months": 1, "nodes": 2, "rate": 6, "upfront": 730}]`)
	r := Compute(p)
	ph := &r.Phases[0]
	if ph.NodeHours != 1920 || ph.CoveredNodeHours != 1090 {
		t.Fatalf("node-hours %d, covered %d; want 1,920 and 1,090", ph.NodeHours, ph.CoveredNodeHours)
	}
	assertMoney(t, "GPU on demand", ph.Cost.Of(CostGPU), "8300.00")
	assertMoney(t, "committed", ph.Cost.Of(CostCommitted), "10220.00")
	assertMoney(t, "stranded", ph.Cost.Of(CostStranded), "0.00")
	// The total holds them: the same plan without the commitment costs
	// $19,200 of GPU, so the total moves by 8,300 + 10,220 − 19,200.
	q := p.Clone()
	q.Commitments = nil
	bare := Compute(q)
	if diff := r.Totals.Cost.Total.Sub(bare.Totals.Cost.Total); !diff.Equal(dec("-680")) {
		t.Errorf("the commitment moves the total by %s, want −680", diff)
	}
}

// A 10-day plan under a month's term: the whole phase is served (2 of its
// 3 nodes, 36 node-hours a day: 360), and the 490 hours after the plan are
// stranded: 2 × 490 × $7 = $6,860. Committed in the phase: 2 × 240 × $7.
func TestStrandedAfterThePlan(t *testing.T) {
	t.Parallel()
	r := Compute(heldPlan(t, "10", `[{"name": "year", "term_months": 1, "nodes": 2, "rate": 6, "upfront": 730}]`))
	ph := &r.Phases[0]
	if ph.CoveredNodeHours != 360 {
		t.Errorf("covered %d, want 360", ph.CoveredNodeHours)
	}
	assertMoney(t, "GPU on demand", ph.Cost.Of(CostGPU), "1200.00") // (480 − 360) × 10
	assertMoney(t, "committed", ph.Cost.Of(CostCommitted), "3360.00")
	assertMoney(t, "stranded", ph.Cost.Of(CostStranded), "6860.00")
}

// A term starting on day 6 (hour 120) covers hours 120 to 850 of a 40-day
// phase: 730 hours from 00:00, so 30 whole days and 10 hours (00–09, 1
// node each): 1,090 served again, and the committed hours are all 730.
// "optimal" commits what OptimalCommitment finds on the fleet.
func TestHeldCommitmentStartsAndOptimal(t *testing.T) {
	t.Parallel()
	r := Compute(heldPlan(t, "40", `[{"name": "later", "start": "2027-01-06", "term_months": 1, "nodes": 2, "rate": 7}]`))
	if got := r.Phases[0].CoveredNodeHours; got != 1090 {
		t.Errorf("covered from day 6: %d, want 1,090", got)
	}
	assertMoney(t, "committed", r.Phases[0].Cost.Of(CostCommitted), "10220.00")
	// At $5 a node-hour (ρ = 0.5), a month's term: hours wanting ≥ 1 node
	// are all 730 (wanted 100 %), ≥ 2 the afternoons of 30 days and a part:
	// 360 of the term's 730 (49.3 %) — under 0.5, so optimal is 1 node.
	r = Compute(heldPlan(t, "40", `[{"name": "best", "term_months": 1, "nodes": "optimal", "rate": 5}]`))
	if terms := r.HeldTerms(); len(terms) != 1 || terms[0].Nodes != 1 {
		t.Errorf("optimal: %+v", terms)
	}
	for _, c := range []struct{ commitments, says string }{
		{`[{"name": "x", "start": "2026-12-01", "term_months": 1, "nodes": 1, "rate": 5}]`, "commitments[0].start: must be within the plan"},
		{`[{"name": "x", "start": "2027-01-06", "term_months": 1, "nodes": "optimal", "rate": 5}]`, "commitments[0].nodes: \"optimal\" is found over a term from the plan's first day"},
		{`[{"name": "x", "term_months": 0, "nodes": 1, "rate": 5}]`, "commitments[0].term_months"},
		{`[{"name": "x", "term_months": 1, "nodes": 1, "rate": 5}, {"name": "x", "term_months": 1, "nodes": 1, "rate": 5}]`, "names two commitments"},
	} {
		text := `{"format": 2, "name": "held", "start_date": "2027-01-01", "assumptions": {"node_hourly": 10, "node_rps": 1, "target_utilization": 1},
		  "commitments": ` + c.commitments + `, "phases": [{"name": "Run", "days": 40, "calls_per_day": 1000}]}`
		if _, err := Parse([]byte(text)); err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v", c.commitments, err)
		}
	}
}

// Spot for the uncommitted layer, by hand: at $4 spot with a quarter of
// the hours interrupted and rerun at $10 on demand, a node-hour is expected
// to cost 0.75 × 4 + 0.25 × 10 = $5.50. The 40-day phase's 1,920
// node-hours cost $10,560 on spot; with a month's 2-node commitment the
// 830 it does not serve cost $4,565, and nothing is billed on demand.
func TestSpotForTheUncommittedLayer(t *testing.T) {
	t.Parallel()
	spot := func(commitments string) PhaseResult {
		p := heldPlan(t, "40", commitments)
		q, err := SetInput(p, PlanDefault, "spot_hourly", "4")
		if err == nil {
			q, err = SetInput(q, PlanDefault, "spot_interruption", "25%")
		}
		if err != nil {
			t.Fatal(err)
		}
		if FormatOf(q) != 2 || !strings.Contains(string(Marshal(q)), `"spot_hourly": 4`) {
			t.Errorf("spot is not saved as a format-2 input")
		}
		r := Compute(q)
		if !r.UsesSpot() {
			t.Error("the plan does not say it uses spot")
		}
		return r.Phases[0]
	}
	ph := spot(`[]`)
	assertMoney(t, "spot", ph.Cost.Of(CostSpot), "10560.00")
	assertMoney(t, "GPU on demand", ph.Cost.Of(CostGPU), "0.00")
	ph = spot(`[{"name": "year", "term_months": 1, "nodes": 2, "rate": 6, "upfront": 730}]`)
	assertMoney(t, "spot beside a commitment", ph.Cost.Of(CostSpot), "4565.00")
	assertMoney(t, "committed", ph.Cost.Of(CostCommitted), "10220.00")
	if by := ph.Cost.ByFocus(); !by[FocusDynamic].Equal(dec("4565")) {
		t.Errorf("Dynamic %s, want the spot line", by[FocusDynamic])
	}
	// A plan without spot still saves as it did: the new inputs at 0 are not written.
	if FormatOf(loadSeed(t)) != 2 || strings.Contains(string(Marshal(loadSeed(t))), "spot") {
		t.Error("the seed gained spot keys")
	}
}

// A plan that holds commitments: its cost by FOCUS category is the same
// total, split Standard / Committed / Other, and the stranded hours are
// billed (the chart's stacks are report's: report/chart_test.go).
func TestCommittedPlanFocus(t *testing.T) {
	t.Parallel()
	p, err := Load("../testdata/commitments-roadmap.json")
	if err != nil {
		t.Fatal(err)
	}
	r := Compute(p)
	by := r.Totals.Cost.ByFocus()
	sum := by[FocusStandard].Add(by[FocusCommitted]).Add(by[FocusDynamic]).Add(by[FocusOther])
	if !sum.Equal(r.Totals.Cost.Total) || !by[FocusCommitted].Equal(r.Totals.Cost.Of(CostCommitted).Add(r.Totals.Cost.Of(CostStranded))) {
		t.Errorf("by FOCUS %v against total %s", by, r.Totals.Cost.Total)
	}
	// Base load: 2 nodes for 8,760 hours at $4.128, 6,480 of them in the
	// plan and 2,280 after it; Phase 2 peak: 4 nodes for 2,190 hours at
	// $4.80, 30 of them after the plan. Stranded: 2 × 2,280 × 4.128 +
	// 4 × 30 × 4.8 = 18,823.68 + 576 = $19,399.68.
	assertMoney(t, "stranded", r.Totals.Cost.Of(CostStranded), "19399.68")
	terms := r.HeldTerms()
	if got := terms[0].HoursAfter(&r); got != 2280 {
		t.Errorf("Base load's hours after the plan: %d, want 2,280", got)
	}
	if got := terms[1].HoursIn(&r, 2); got != 2160 {
		t.Errorf("Phase 2 peak's hours in Phase 2: %d, want 2,160", got)
	}
	if got := terms[1].HoursIn(&r, 1); got != 0 {
		t.Errorf("Phase 2 peak's hours in Phase 1: %d, want 0", got)
	}
	// Committed in the plan: 2 × 6,480 × 4.128 + 4 × 2,160 × 4.8 =
	// 53,498.88 + 41,472 = $94,970.88.
	assertMoney(t, "committed", r.Totals.Cost.Of(CostCommitted), "94970.88")
	data, _ := os.ReadFile("../testdata/commitments-roadmap.json")
	if string(Marshal(p)) != string(data) {
		t.Error("saving the committed plan changed it")
	}
}
