package planner

import (
	"strings"
	"testing"
)

func parseMinimal(t *testing.T, old, new string) Plan {
	t.Helper()
	p, err := Parse([]byte(strings.Replace(minimal, old, new, 1)))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The minimal plan: a flat day of 86,400 calls is exactly 1 req/s every hour;
// u = 10 × 0.5 = 5 req/s per node.

func TestZeroCallsHasNoPerCallFigures(t *testing.T) {
	t.Parallel()
	p := parseMinimal(t, `"calls_per_day": 86400`, `"calls_per_day": 0`)
	ph := Compute(p).Phases[0]
	if ph.CostPerCall.Valid || ph.OverflowShare.Valid {
		t.Errorf("per-call figures exist with no calls: %+v %+v", ph.CostPerCall, ph.OverflowShare)
	}
	// Nothing runs and nothing is paid, so the phase is even at its own
	// volume, 0 calls a day: the search's limit, 100 × 0, is 0.
	if !ph.BreakEvenCallsPerDay.Valid || ph.BreakEvenCallsPerDay.Val != 0 || len(ph.BreakEvenRegions) != 1 || ph.BreakEvenRegions[0].To.Valid {
		t.Errorf("break-even at no calls = %+v %+v, want 0 and [{0, to the limit}]", ph.BreakEvenCallsPerDay, ph.BreakEvenRegions)
	}
	// No load, no min_nodes: nothing runs, so no utilization either.
	if ph.Nodes != 0 || ph.AvgUtilization.Valid || ph.PeakUtilization.Valid {
		t.Errorf("nodes %d utilization %+v/%+v", ph.Nodes, ph.AvgUtilization, ph.PeakUtilization)
	}
	for _, c := range ph.Checks {
		if c.Name == CheckCostCeiling || c.Name == CheckMinUtilization {
			t.Errorf("check %s has no quantity and should be left out", c.Name)
		}
	}
}

func TestNoNodesSendsEveryCallToBatch(t *testing.T) {
	t.Parallel()
	p := parseMinimal(t, `"calls_per_day": 86400`, `"calls_per_day": 86400, "nodes": 0`)
	p.Assumptions.BatchCostPerCall = dec("0.01")
	ph := Compute(p).Phases[0]
	// 86,400 calls a day × 30 days, all beyond a capacity of 0
	if !ph.OverflowCalls.Equal(dec("2592000")) {
		t.Errorf("overflow = %s, want 2,592,000", ph.OverflowCalls)
	}
	// 2,592,000 × $0.01
	assertMoney(t, "batch", ph.Cost.Of(CostBatch), "25920")
	if ph.PeakUtilization.Valid || ph.AvgUtilization.Valid || ph.NodeHours != 0 {
		t.Errorf("no capacity, yet utilization %+v/%+v, node-hours %d", ph.AvgUtilization, ph.PeakUtilization, ph.NodeHours)
	}
	if ph.RequiredNodes != 1 { // ceil(1 / 5)
		t.Errorf("required = %d, want 1", ph.RequiredNodes)
	}
}

func TestNodesCeilingWinsOverMinNodes(t *testing.T) {
	t.Parallel()
	p := parseMinimal(t, `"target_utilization": 0.5`, `"target_utilization": 0.5, "min_nodes": 5`)
	p.Phases[0].Nodes = Some[int64](3)
	for _, s := range Scalings {
		p.Phases[0].Scaling = s
		ph := Compute(p).Phases[0]
		// required = max(5, ceil(1/5) = 1) = 5, but the phase allows only 3
		if ph.RequiredNodes != 5 || ph.NodeHours != 3*24*30 {
			t.Errorf("%s: required %d node-hours %d, want 5 and 2,160", s, ph.RequiredNodes, ph.NodeHours)
		}
	}
}

func TestOneTimeCostLandsOnTheFirstDay(t *testing.T) {
	t.Parallel()
	p := parseMinimal(t, `"calls_per_day": 86400}`, `"calls_per_day": 86400, "one_time": 300}`)
	ph := Compute(p).Phases[0]
	// 1 node (ceil(1/5)) × 24 h × 30 days × $1 = $720; one-time $300 → total $1,020
	assertMoney(t, "total", ph.Cost.Total, "1020")
	assertMoney(t, "daily", ph.DailyCost, "24")                      // 720 / 30
	assertMoney(t, "first day", ph.DailyCost.Add(ph.OneTime), "324") // 300 + 24
}

func TestBreakEvenOnDayOneAndNever(t *testing.T) {
	t.Parallel()
	// Revenue $1 a call: 86,400 a day against $24 of GPU: even on day 1.
	p := parseMinimal(t, `"target_utilization": 0.5`, `"target_utilization": 0.5, "revenue_per_call": 1`)
	if be := Compute(p).BreakEven; !be.Day.Valid || be.Day.Val != 1 || be.Date.Val.String() != "2027-01-01" {
		t.Errorf("break-even = %+v, want day 1", be)
	}
	// No revenue at all: never even over the plan's days. The only volume
	// with margin ≥ 0 is no calls at all (nothing runs, nothing is paid):
	// one region, [0, 0].
	r := Compute(parseMinimal(t, "", ""))
	rs := r.Phases[0].BreakEvenRegions
	if r.BreakEven.Day.Valid || len(rs) != 1 || rs[0].From != 0 || !rs[0].To.Valid || rs[0].To.Val != 0 {
		t.Errorf("break-even without revenue: %+v %+v", r.BreakEven, rs)
	}
	if r.BreakEven.Phase != -1 {
		t.Errorf("phase of a missing break-even = %d, want -1", r.BreakEven.Phase)
	}
}

func TestUnprofitableExampleNeverBreaksEven(t *testing.T) {
	t.Parallel()
	p, err := Load("../testdata/unprofitable-chat.json")
	if err != nil {
		t.Fatal(err)
	}
	r := Compute(p)
	if r.BreakEven.Day.Valid {
		t.Errorf("the unprofitable plan breaks even on %+v", r.BreakEven)
	}
	if !r.Totals.Margin.IsNegative() {
		t.Errorf("margin = %s, want a loss", r.Totals.Margin)
	}
	quiet := r.Phases[2] // a phase with no calls at all
	if quiet.Calls != 0 || quiet.CostPerCall.Valid {
		t.Errorf("quiet phase: calls %d cost per call %+v", quiet.Calls, quiet.CostPerCall)
	}
}

func TestValidateCatchesPlansBuiltInCode(t *testing.T) {
	t.Parallel()
	p := parseMinimal(t, "", "")
	p.Phases[0].Days = 0
	p.Assumptions.TargetUtilization = dec("1.5")
	err := Validate(p)
	if err == nil {
		t.Fatal("an invalid plan passed validation")
	}
	for _, want := range []string{"assumptions.target_utilization: must be a number > 0 and ≤ 1, got 1.5", "phases[0].days: must be a whole number from 1 to 36,500, got 0"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in:\n%v", want, err)
		}
	}
	long := parseMinimal(t, `"days": 30`, `"days": 36500`)
	long.Phases = append(long.Phases, long.Phases[0])
	if err := Validate(long); err == nil || !strings.Contains(err.Error(), "phases: the phases add up to 73,000 days") {
		t.Errorf("a two-century plan: %v", err)
	}
}
