package planner_test

import (
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/internal/plantest"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/report"
	"github.com/shopspring/decimal"
)

func TestInconsistentLatencyInputsAreNamed(t *testing.T) {
	t.Parallel()
	p := plantest.Seed(t)
	p.Assumptions.NodeRPS = plantest.Dec("8.5")
	p.Phases[2].Variant = ""
	p.SLO.P99Ms = planner.Some(plantest.Dec("120"))
	ph := planner.Compute(p).Phases[0]
	var cons *planner.Check
	for i := range ph.Checks {
		switch ph.Checks[i].Name {
		case planner.CheckConsistency:
			cons = &ph.Checks[i]
		case planner.CheckP99:
			t.Errorf("a p99 check on inconsistent inputs")
		}
	}
	want := "node throughput 8.5 req/s contradicts the latency inputs: 1 slot × 1000 ÷ 45 ms = 22.2 req/s. " +
		"For both to hold, node_rps would be 22.2, or service_ms 117.6 at 1 slot, or slots 0.4 at 45 ms; latency is not estimated until they agree"
	if cons == nil || cons.OK || report.CheckDetail(*cons) != want {
		t.Errorf("consistency check %+v\n got %q\nwant %q", cons, report.CheckDetail(*cons), want)
	}
	if ph.Latency.Estimated || ph.RequiredNodesP99.Valid {
		t.Errorf("latency estimated from inconsistent inputs: %+v", ph.Latency)
	}
	// 5 % is allowed either way: 21.2 (4.5 % under 22.2) agrees, 21.1 does not.
	p.Assumptions.NodeRPS = plantest.Dec("21.2")
	if c := planner.Compute(p).Phases[0].Checks[0]; c.Name != planner.CheckConsistency || !c.OK {
		t.Errorf("21.2 req/s should agree with 22.2 within 5 %%: %s", report.CheckDetail(c))
	}
	p.Assumptions.NodeRPS = plantest.Dec("21.1")
	if c := planner.Compute(p).Phases[0].Checks[0]; c.OK {
		t.Errorf("21.1 req/s should not agree with 22.2: %s", report.CheckDetail(c))
	}
}

func TestSeedRampMissesP99(t *testing.T) {
	t.Parallel()
	r := planner.Compute(plantest.Seed(t))
	ph := r.Phases[1]
	l := ph.Latency
	w := l.Worst()
	if l.Hour != 8 || w.Nodes != 2 || !planner.Near(w.Utilization, 0.625, 1e-9) || l.P99Ms <= 200 {
		t.Fatalf("worst hour %02d:00 on %d nodes at %.3f, p99 %.1f", l.Hour, w.Nodes, w.Utilization, l.P99Ms)
	}
	if m, ok, _ := planner.LatencyModelOf(&ph.Inputs); !ok || !m.Meets(3, w.LoadRPS, 0.2) || m.Meets(2, w.LoadRPS, 0.2) {
		t.Errorf("3 nodes should meet 200 ms at 08:00's 27.8 req/s, and 2 not")
	}
	for _, c := range ph.Checks {
		if c.Name == planner.CheckP99 {
			if c.OK || !strings.HasPrefix(report.CheckDetail(c), "p99 223.8 ms at 08:00, the worst hour, is over the 200 ms target") {
				t.Errorf("p99 check %v: %q", c.OK, report.CheckDetail(c))
			}
		}
	}
	if why := report.P99MissReason(&ph); !strings.Contains(why, "predictive provisioning") {
		t.Errorf("explain should say predictive provisioning fixes the ramp: %q", why)
	}
	// Predictive scaling runs 3 nodes at 08:00 and meets the target.
	p := plantest.Seed(t)
	p.Phases[1].Scaling = planner.Predictive
	if q := planner.Compute(p).Phases[1]; !q.Latency.P99OK(p.SLO.P99Ms.Val) || q.HourNodes[8] != 3 {
		t.Errorf("predictive: p99 %.1f at %02d:00, %d nodes at 08:00", q.Latency.P99Ms, q.Latency.Hour, q.HourNodes[8])
	}
}

func TestSaturatedPhaseSaysSo(t *testing.T) {
	t.Parallel()
	p := plantest.Seed(t)
	p.Phases[2].Nodes = planner.Some[int64](4) // 4 × 22.2 = 88.8 req/s < 111.1 at the peak
	ph := planner.Compute(p).Phases[2]
	if !ph.Latency.Saturated || !ph.Latency.DaySaturated || ph.Latency.Hour != 13 {
		t.Fatalf("not saturated at 13:00: %+v", ph.Latency)
	}
	for _, c := range ph.Checks {
		if c.Name == planner.CheckP99 && (c.OK || !strings.HasPrefix(report.CheckDetail(c), "saturated at 13:00: 88.8 req/s offered to 4 nodes")) {
			t.Errorf("p99 check: %v %q", c.OK, report.CheckDetail(c))
		}
	}
}

func TestZeroNodePhaseServesNothing(t *testing.T) {
	t.Parallel()
	p := plantest.Seed(t)
	p.Phases[0].Nodes = planner.Some[int64](0)
	p.Assumptions.MinNodes = 0
	ph := planner.Compute(p).Phases[0]
	if ph.Latency.Estimated || ph.Latency.Why != "no calls are served by the fleet" {
		t.Errorf("latency %+v", ph.Latency)
	}
	for _, c := range ph.Checks {
		if c.Name == planner.CheckOverflow && (c.OK || !strings.HasPrefix(report.CheckDetail(c), "100.0 % of calls overflow")) {
			t.Errorf("overflow: %q", report.CheckDetail(c))
		}
	}
}

func TestMemorySizesTheFleetAndChecksIt(t *testing.T) {
	t.Parallel()
	arch := `, "params_b": 8.32686784512, "layers": 28, "kv_heads": 4, "head_dim": 128, "service_ms": 20000, "slots": 64, "node_rps": 3.2`
	node := `, "gpus_per_node": 1, "gpu_memory_gib": 23.67, "gpu_overhead_gib": 1.44`
	tokens := `, "input_tokens": 8000, "output_tokens": 192`
	p := planner.LLMPlan(t, node, arch, tokens)
	r := planner.Compute(p)
	ph := &r.Phases[0]
	if ph.EffectiveSlots != 9 || !ph.EffectiveNodeRPS.Equal(plantest.Dec("0.45")) {
		t.Errorf("effective slots %d, node rps %s; want 9 and 0.45", ph.EffectiveSlots, ph.EffectiveNodeRPS)
	}
	if ph.RequiredNodesUtilization != 23 || !ph.RequiredNodesFullSlots.Valid || ph.RequiredNodesFullSlots.Val != 4 {
		t.Fatalf("utilization needs %d, with every slot %v; want 23 and 4", ph.RequiredNodesUtilization, ph.RequiredNodesFullSlots)
	}
	if ph.RequiredNodes != 23 || ph.SizingBound != planner.BoundMemory || ph.Nodes != 23 {
		t.Errorf("required %d (%s), runs %d; want 23 set by memory", ph.RequiredNodes, ph.SizingBound, ph.Nodes)
	}
	mem := planner.FindCheck(ph, planner.CheckMemory)
	if mem == nil || mem.OK || !strings.Contains(report.CheckDetail(*mem), "a node's KV cache holds 9 calls of 8,192 tokens") ||
		!strings.Contains(report.CheckDetail(*mem), "fewer than its 64 slots: a node runs 9 at once, 0.45 calls/s instead of 3.2; the phase needs 23 nodes because of it, 4 nodes with every slot usable") {
		t.Errorf("memory check %+v %q", mem, report.CheckDetail(*mem))
	}
	// With 9 slots the memory holds every one: the check passes.
	p = planner.LLMPlan(t, node, strings.Replace(strings.Replace(arch, `"slots": 64`, `"slots": 9`, 1), `"node_rps": 3.2`, `"node_rps": 0.45`, 1), tokens)
	r = planner.Compute(p)
	if mem = planner.FindCheck(&r.Phases[0], planner.CheckMemory); mem == nil || !mem.OK || r.Phases[0].EffectiveSlots != 9 || r.Phases[0].RequiredNodes != 23 {
		t.Errorf("9 slots, 9 held: check %+v, runs %d slots on %d nodes", mem, r.Phases[0].EffectiveSlots, r.Phases[0].RequiredNodes)
	}
}

func TestBuildVersusBuyBreakEven(t *testing.T) {
	t.Parallel()
	p := planner.LLMPlan(t, `, "api_price_in": 0.1, "api_price_out": 2`, ``, `, "input_tokens": 1000, "output_tokens": 0`)
	p.Phases[0].CallsPerDay = 100_000
	r := planner.Compute(p)
	ph := &r.Phases[0]
	if !ph.APICostPerCall.Valid || !ph.APICostPerCall.Val.Equal(plantest.Dec("0.0001")) {
		t.Fatalf("API cost per call %v, want 0.0001", ph.APICostPerCall)
	}
	if !ph.BuildVsBuyCallsPerDay.Valid || ph.BuildVsBuyCallsPerDay.Val != 864_000 {
		t.Errorf("build beats buy from %v calls a day, want 864,000", ph.BuildVsBuyCallsPerDay)
	}
	if rs := ph.BuildVsBuyRegions; len(rs) != 11 || rs[0].From != 864_000 || !rs[0].To.Valid || rs[0].To.Val != 864_000 || rs[10].From != 9_504_000 || rs[10].To.Val != 9_504_000 {
		t.Errorf("build-or-buy regions %v, want the eleven volumes 864,000·k", rs)
	}
	if w := report.BuyWords(ph, "USD"); !strings.Contains(w, "at the phase's 100,000 calls a day the API is cheaper: buy (self-hosting is cheaper only at 864,000, 1,728,000, 2,592,000, … (11 runs in all) and 9,504,000 calls a day)") {
		t.Errorf("words %q", w)
	}
	// Input and output priced apart: 1,000 × 0.15 + 200 × 0.60 = 270 per million calls.
	p = planner.LLMPlan(t, `, "api_price_in": 0.15, "api_price_out": 0.6`, ``, `, "input_tokens": 1000, "output_tokens": 200`)
	if got := planner.Compute(p).Phases[0].APICostPerCall.Val; !got.Equal(plantest.Dec("0.00027")) {
		t.Errorf("API cost per call %s, want 0.00027", got)
	}
}

func TestBuildVsBuyUnderAutoscaleAgreesWithThePhase(t *testing.T) {
	t.Parallel()
	// The same plan with an API at $0.006 a call (1,000 input tokens at $6
	// a million): at the phase's own volume serving costs $19,452.92 and
	// the API $18,320.85 (issue #16), so the words must not say that
	// self-hosting is cheaper at the phase's volume.
	src := strings.Replace(planner.AutoscaleStep, `"revenue_per_call": "0.0077"}`, `"revenue_per_call": "0.0077", "api_price_in": 6}`, 1)
	src = strings.Replace(src, `"one_time": "1465.18"}`, `"one_time": "1465.18", "input_tokens": 1000, "output_tokens": 0}`, 1)
	src = strings.Replace(src, `"format": 1`, `"format": 2`, 1)
	p, err := planner.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	ph := planner.Compute(p).Phases[0]
	planner.AssertMoney(t, "serving", ph.ServingCost(), "19452.92")
	planner.AssertMoney(t, "API", ph.APICost.Val, "18320.85")
	if planner.InRegions(ph.BuildVsBuyRegions, ph.CallsPerDay) {
		t.Errorf("the phase's volume is in a build region %+v, though serving costs more", ph.BuildVsBuyRegions)
	}
	w := report.BuyWords(&ph, "USD")
	if strings.Contains(w, "and the phase runs") || !strings.Contains(w, "buy") {
		t.Errorf("words contradict the phase's figures: %s", w)
	}
	planner.CheckRegions(t, "build-or-buy", ph.BuildVsBuyRegions, 1, 100*ph.CallsPerDay, func(x int64) decimal.Decimal { return planner.SavingAt(p, 0, x) })
}
