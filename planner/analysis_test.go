package planner

import (
	"testing"
)

func TestCostCurveOfSeedPhase2(t *testing.T) {
	p := loadSeed(t)
	c := CostCurve(p, 2, 40)
	if len(c.Points) != 40 || c.CallsPerDay != 5_000_000 {
		t.Fatalf("%d points around %d", len(c.Points), c.CallsPerDay)
	}
	// From 250,000 (2 × 5M / 40) to 10,000,000 calls a day in even steps.
	if c.Points[0].CallsPerDay != 250_000 || c.Points[39].CallsPerDay != 10_000_000 || c.PlannedPoint != 19 {
		t.Errorf("sweep %d … %d, planned at %d", c.Points[0].CallsPerDay, c.Points[39].CallsPerDay, c.PlannedPoint)
	}
	// At the planned 5M the fleet is sized to 19 (utilization binds), and the
	// predictive schedule is the plan's own, so the day costs what Phase 2's
	// days cost: 212,648.646575 / 90 = 2,362.762740, and a call $0.000473.
	at := c.Points[19]
	if at.Nodes != 19 || !at.DailyCost.Round(2).Equal(dec("2362.76")) || !at.CostPerCall.Val.Round(6).Equal(dec("0.000473")) {
		t.Errorf("planned point: %d nodes, %s a day, %s a call", at.Nodes, at.DailyCost, at.CostPerCall.Val)
	}
	// 10M calls a day: peak 222.222 req/s; ⌈222.222/5.95⌉ = 38 nodes.
	if c.Points[39].Nodes != 38 {
		t.Errorf("at 10M: %d nodes, want 38", c.Points[39].Nodes)
	}
	prev := int64(0)
	for k, pt := range c.Points {
		if pt.Nodes < prev {
			t.Errorf("nodes fell at point %d", k)
		}
		prev = pt.Nodes
	}
	if len(c.NodeSteps) == 0 || !c.BreakEven.Valid || c.BreakEven.Val != 567_352 || !c.CostCeiling.Valid {
		t.Errorf("steps %v, break-even %+v, ceiling %+v", c.NodeSteps, c.BreakEven, c.CostCeiling)
	}
}

func TestSensitivityRanksByCostPerCall(t *testing.T) {
	p := loadSeed(t)
	base, rows := SensitivityOf(p, 2)
	if !base.CostPerCall.Val.Round(6).Equal(dec("0.000473")) {
		t.Fatalf("base cost per call %s", base.CostPerCall.Val)
	}
	byKey := map[string]Sensitivity{}
	for k, r := range rows {
		byKey[r.Key] = r
		if k > 0 && r.Swing.GreaterThan(rows[k-1].Swing) {
			t.Errorf("not ranked: %s after %s", r.Key, rows[k-1].Key)
		}
	}
	// Node price ±20 % moves GPU cost by 152,942.40 × 0.2 = 30,588.48, i.e.
	// cost per call by 30,588.48 / 450,000,000 = 0.0000679744.
	nh := byKey["node_hourly"]
	if !nh.Low.Equal(dec("5.504")) || !nh.High.Equal(dec("8.256")) || !nh.Swing.Round(10).Equal(dec("0.0000679744")) {
		t.Errorf("node_hourly: %s … %s, swing %s", nh.Low, nh.High, nh.Swing)
	}
	// Target utilization 0.7 → 0.56 and 0.84: the ceiling (20) and the
	// predictive schedule move, so does p99; service time moves p99 only.
	if byKey["target_utilization"].Swing.IsZero() || byKey["service_ms"].P99Swing == 0 || !byKey["service_ms"].Swing.IsZero() {
		t.Errorf("utilization %+v, service %+v", byKey["target_utilization"], byKey["service_ms"])
	}
	// Inputs that are 0 in the seed cannot move: none listed.
	if _, ok := byKey[KeyOneTime]; ok {
		t.Errorf("Phase 2's one-time cost is 0 and should be left out")
	}
}
