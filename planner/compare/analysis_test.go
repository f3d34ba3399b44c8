package compare

import (
	"testing"

	"github.com/scaleplan/scaleplan/internal/plantest"
	"github.com/scaleplan/scaleplan/planner"
)

func TestCostCurveOfSeedPhase2(t *testing.T) {
	t.Parallel()
	p := plantest.Seed(t)
	c := CostCurve(p, 2, 40)
	if len(c.Points) != 40 || c.CallsPerDay != 5_000_000 {
		t.Fatalf("%d points around %d", len(c.Points), c.CallsPerDay)
	}
	// From 250,000 (2 × 5M / 40) to 10,000,000 calls a day in even steps.
	if c.Points[0].CallsPerDay != 250_000 || c.Points[39].CallsPerDay != 10_000_000 || c.PlannedPoint != 19 {
		t.Errorf("sweep %d … %d, planned at %d", c.Points[0].CallsPerDay, c.Points[39].CallsPerDay, c.PlannedPoint)
	}
	// At the planned 5M the fleet is sized to 8 (utilization binds; the plan
	// caps at 10 but never runs more than 8), and the predictive schedule is
	// the plan's own, so the day costs what Phase 2's days cost:
	// 125,321.710685 / 90 = 1,392.463452, and a call $0.000278.
	at := c.Points[19]
	if at.Nodes != 8 || !at.DailyCost.Round(2).Equal(plantest.Dec("1392.46")) || !at.CostPerCall.Val.Round(6).Equal(plantest.Dec("0.000278")) {
		t.Errorf("planned point: %d nodes, %s a day, %s a call", at.Nodes, at.DailyCost, at.CostPerCall.Val)
	}
	// 10M calls a day: peak 222.222 req/s; ⌈222.222/15.54⌉ = 15 nodes (the
	// p99 target asks for fewer), and the point's p99 is that fleet's.
	if c.Points[39].Nodes != 15 || !c.Points[39].P99Ms.Valid || c.Points[39].P99Ms.Val > 200 {
		t.Errorf("at 10M: %d nodes, want 15, p99 %+v", c.Points[39].Nodes, c.Points[39].P99Ms)
	}
	prev := int64(0)
	for k, pt := range c.Points {
		if pt.Nodes < prev {
			t.Errorf("nodes fell at point %d", k)
		}
		prev = pt.Nodes
	}
	// Break-even (the phase's, re-run): below ~1.3M calls a day every hour
	// runs min_nodes 2, so GPU is 2 × 24 × 90 × 6.88 = 29,721.60 as in
	// Baseline, and with it the same g = 0.1349009458 per call a day
	// (TestSeedBaselineByHand). K adds Phase 1's data fading out over the
	// first 30 days, 40 GB × 435 = 17,400 GB-days × 0.023 × 12/365 = 13.157:
	// x = (59,178.082192 + 13.157260 + 29,721.60) / 0.1349009458 = 659,097.2 → 659,098.
	if len(c.NodeSteps) == 0 || !c.BreakEven.Valid || c.BreakEven.Val != 659_098 || !c.CostCeiling.Valid {
		t.Errorf("steps %v, break-even %+v, ceiling %+v", c.NodeSteps, c.BreakEven, c.CostCeiling)
	}
}

func TestSensitivityRanksByCostPerCall(t *testing.T) {
	t.Parallel()
	p := plantest.Seed(t)
	base, rows := SensitivityOf(p, 2)
	if !base.CostPerCall.Val.Round(6).Equal(plantest.Dec("0.000278")) {
		t.Fatalf("base cost per call %s", base.CostPerCall.Val)
	}
	byKey := map[string]Sensitivity{}
	for k, r := range rows {
		byKey[r.Key] = r
		if k > 0 && r.Swing.GreaterThan(rows[k-1].Swing) {
			t.Errorf("not ranked: %s after %s", r.Key, rows[k-1].Key)
		}
	}
	// Node price ±20 % moves GPU cost by 65,635.20 × 0.2 = 13,127.04, i.e.
	// cost per call by 13,127.04 / 450,000,000 = 0.0000291712.
	nh := byKey["node_hourly"]
	if !nh.Low.Equal(plantest.Dec("5.504")) || !nh.High.Equal(plantest.Dec("8.256")) || !nh.Swing.Round(10).Equal(plantest.Dec("0.0000291712")) {
		t.Errorf("node_hourly: %s … %s, swing %s", nh.Low, nh.High, nh.Swing)
	}
	// Target utilization 0.7 → 0.56 and 0.84: the predictive schedule moves
	// under the held ceiling of 10, and so does p99. Node throughput moves
	// with its service time (45 ms ↔ 22.2 req/s at 1 slot, one fact), so it
	// moves cost and p99 both; the service time is not a row of its own.
	if byKey["target_utilization"].Swing.IsZero() || byKey["node_rps"].P99Swing == 0 || byKey["node_rps"].Swing.IsZero() {
		t.Errorf("utilization %+v, node_rps %+v", byKey["target_utilization"], byKey["node_rps"])
	}
	if _, ok := byKey["service_ms"]; ok {
		t.Errorf("service_ms should move with node_rps, not alone (it would fail consistency)")
	}
	if _, ok := byKey["min_nodes"]; ok {
		t.Errorf("min_nodes 2 ± 20 %% rounds back to 2: it cannot move and should be left out")
	}
	// Inputs that are 0 in the seed cannot move: none listed.
	if _, ok := byKey[planner.KeyOneTime]; ok {
		t.Errorf("Phase 2's one-time cost is 0 and should be left out")
	}
}
