package planner

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/planner/queue"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// The p99 node count is the fewest that meet the target: n meets, n − 1 does not.
func TestP99SizingIsTheFewestNodesThatMeetTheTarget(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 9))
	for i := 0; i < 300; i++ {
		slots := int64(1 + rng.IntN(8))
		cv := rng.Float64() * 2
		m := latencyModel{MaxNodes: MaxNodes, Svc: queue.NewService((5+rng.Float64()*300)/1000, cv), Slots: slots, FixedSec: rng.Float64() * 0.03}
		lambda := rng.Float64() * 3000
		target := m.FloorMs() * (1.05 + rng.Float64())
		n, why := m.NodesForP99From(lambda, target, 0)
		if why != "" {
			t.Fatalf("λ %v: %s", lambda, why)
		}
		if lambda > 0 && (!m.Meets(n, lambda, target/1000) || (n > 1 && m.Meets(n-1, lambda, target/1000))) {
			t.Fatalf("λ %.2f slots %d cv %.2f target %.1f: %d nodes", lambda, slots, cv, target, n)
		}
	}
	m := latencyModel{MaxNodes: MaxNodes, Svc: queue.NewService(0.045, 0.5), Slots: 1, FixedSec: 0.025}
	if _, why := m.NodesForP99From(10, 130, 0); !strings.Contains(why, "138.0 ms") {
		t.Errorf("a target below fixed + the service p99 (25 + 113 ms) should be unreachable: %q", why)
	}
}

// Sizing a million-node fleet is a few dozen tail evaluations, not a
// million-step recursion.
func BenchmarkP99SizingMillionNodes(b *testing.B) {
	m := latencyModel{MaxNodes: MaxNodes, Svc: queue.NewService(0.045, 0.5), Slots: 1, FixedSec: 0.025}
	for i := 0; i < b.N; i++ {
		if n, why := m.NodesForP99From(20_000_000, 200, 0); why != "" || n < 900_000 {
			b.Fatal(n, why)
		}
	}
}

// Adding a node never raises p99.
func TestPropertyAddingANodeNeverHurts(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < 1000; i++ {
		meanMs, cv := 1+rng.Float64()*200, rng.Float64()*2
		lambda := rng.Float64() * 500
		c := int64(lambda*meanMs/1000) + 1 + rng.Int64N(40)
		_, p1, _, _ := queue.Latency(c, lambda, meanMs, cv)
		_, p2, _, _ := queue.Latency(c+1, lambda, meanMs, cv)
		if p2 > p1+0.01 {
			t.Fatalf("mean %.3f cv %.2f λ %.3f: p99 %.6f ms on %d servers but %.6f on %d", meanMs, cv, lambda, p1, c, p2, c+1)
		}
	}
}

func TestNoLatencyInputsMeansNotEstimated(t *testing.T) {
	p := parseMinimal(t, "", "")
	p.SLO.P99Ms = Some(dec("100"))
	ph := Compute(p).Phases[0]
	if ph.Latency.Estimated || ph.RequiredNodesP99.Valid || ph.SizingBound != BoundUtilization {
		t.Errorf("latency %+v, p99 sizing %+v", ph.Latency, ph.RequiredNodesP99)
	}
	for _, c := range ph.Checks {
		if c.Name == CheckP99 || c.Name == CheckConsistency {
			t.Errorf("a %s check without a service time", c.Name)
		}
	}
}

// The v1 seed's two service times contradicted each other: 8.5 req/s a node
// against 45 ms a call on one slot (22.2 req/s). Such a plan still loads; it
// fails the consistency check, which says what each input would have to be,
// and shows no latency rather than a guess.
func TestInconsistentLatencyInputsAreNamed(t *testing.T) {
	p := loadSeed(t)
	p.Assumptions.NodeRPS = dec("8.5")
	p.Phases[2].Variant = ""
	p.SLO.P99Ms = Some(dec("120"))
	ph := Compute(p).Phases[0]
	var cons *Check
	for i := range ph.Checks {
		switch ph.Checks[i].Name {
		case CheckConsistency:
			cons = &ph.Checks[i]
		case CheckP99:
			t.Errorf("a p99 check on inconsistent inputs")
		}
	}
	want := "node throughput 8.5 req/s contradicts the latency inputs: 1 slot × 1000 ÷ 45 ms = 22.2 req/s. " +
		"For both to hold, node_rps would be 22.2, or service_ms 117.6 at 1 slot, or slots 0.4 at 45 ms; latency is not estimated until they agree"
	if cons == nil || cons.OK || cons.Detail() != want {
		t.Errorf("consistency check %+v\n got %q\nwant %q", cons, cons.Detail(), want)
	}
	if ph.Latency.Estimated || ph.RequiredNodesP99.Valid {
		t.Errorf("latency estimated from inconsistent inputs: %+v", ph.Latency)
	}
	// 5 % is allowed either way: 21.2 (4.5 % under 22.2) agrees, 21.1 does not.
	p.Assumptions.NodeRPS = dec("21.2")
	if c := Compute(p).Phases[0].Checks[0]; c.Name != CheckConsistency || !c.OK {
		t.Errorf("21.2 req/s should agree with 22.2 within 5 %%: %s", c.Detail())
	}
	p.Assumptions.NodeRPS = dec("21.1")
	if c := Compute(p).Phases[0].Checks[0]; c.OK {
		t.Errorf("21.1 req/s should not agree with 22.2: %s", c.Detail())
	}
}

// Phase 1's autoscaler runs at 08:00 what 07:00 needed (2 nodes) while the
// load doubles to 27.8 req/s: ρ = 27.8 × 0.045 / 2 = 0.625, and the hour
// misses the 200 ms target; three nodes would meet it.
func TestSeedRampMissesP99(t *testing.T) {
	r := Compute(loadSeed(t))
	ph := r.Phases[1]
	l := ph.Latency
	w := l.Worst()
	if l.Hour != 8 || w.Nodes != 2 || !near(w.Utilization, 0.625, 1e-9) || l.P99Ms <= 200 {
		t.Fatalf("worst hour %02d:00 on %d nodes at %.3f, p99 %.1f", l.Hour, w.Nodes, w.Utilization, l.P99Ms)
	}
	if m, ok, _ := newLatencyModel(&ph.Inputs, new(Cache)); !ok || !m.Meets(3, w.LoadRPS, 0.2) || m.Meets(2, w.LoadRPS, 0.2) {
		t.Errorf("3 nodes should meet 200 ms at 08:00's 27.8 req/s, and 2 not")
	}
	for _, c := range ph.Checks {
		if c.Name == CheckP99 {
			if c.OK || !strings.HasPrefix(c.Detail(), "p99 223.8 ms at 08:00, the worst hour, is over the 200 ms target") {
				t.Errorf("p99 check %v: %q", c.OK, c.Detail())
			}
		}
	}
	if why := P99MissReason(&ph); !strings.Contains(why, "predictive provisioning") {
		t.Errorf("explain should say predictive provisioning fixes the ramp: %q", why)
	}
	// Predictive scaling runs 3 nodes at 08:00 and meets the target.
	p := loadSeed(t)
	p.Phases[1].Scaling = Predictive
	if q := Compute(p).Phases[1]; !q.Latency.P99OK(p.SLO.P99Ms.Val) || q.HourNodes[8] != 3 {
		t.Errorf("predictive: p99 %.1f at %02d:00, %d nodes at 08:00", q.Latency.P99Ms, q.Latency.Hour, q.HourNodes[8])
	}
}

// The worst hour of a scaling fleet is not its busiest: Phase 2 runs 8 nodes
// at the 13:00 peak but only 3 at 21:00, where ρ = 41.7 × 0.045 / 3 = 0.625.
func TestWorstHourIsNotTheBusiest(t *testing.T) {
	l := Compute(loadSeed(t)).Phases[2].Latency
	if l.Hour != 21 || l.Worst().Nodes != 3 || !near(l.Worst().Utilization, 0.625, 1e-9) {
		t.Errorf("worst hour %02d:00, %d nodes, ρ %.4f", l.Hour, l.Worst().Nodes, l.Worst().Utilization)
	}
	if l.Hours[13].P99Ms >= l.P99Ms {
		t.Errorf("13:00 p99 %.1f should be below the worst hour's %.1f", l.Hours[13].P99Ms, l.P99Ms)
	}
	// The day's p99 mixes every hour's calls: between the best and worst hour.
	best := math.Inf(1)
	for _, h := range l.Hours {
		best = math.Min(best, h.P99Ms)
	}
	if l.P99DayMs < best || l.P99DayMs > l.P99Ms {
		t.Errorf("day p99 %.1f outside [%.1f, %.1f]", l.P99DayMs, best, l.P99Ms)
	}
}

func TestSaturatedPhaseSaysSo(t *testing.T) {
	p := loadSeed(t)
	p.Phases[2].Nodes = Some[int64](4) // 4 × 22.2 = 88.8 req/s < 111.1 at the peak
	ph := Compute(p).Phases[2]
	if !ph.Latency.Saturated || !ph.Latency.DaySaturated || ph.Latency.Hour != 13 {
		t.Fatalf("not saturated at 13:00: %+v", ph.Latency)
	}
	for _, c := range ph.Checks {
		if c.Name == CheckP99 && (c.OK || !strings.HasPrefix(c.Detail(), "saturated at 13:00: 88.8 req/s offered to 4 nodes")) {
			t.Errorf("p99 check: %v %q", c.OK, c.Detail())
		}
	}
}

// Load exactly at capacity is saturated, not a p99 of 10¹⁹ ms.
func TestLoadAtCapacityIsSaturated(t *testing.T) {
	p := parseMinimal(t, `"target_utilization": 0.5}`, `"target_utilization": 1, "service_ms": 10000}`)
	p.Assumptions.NodeRPS = dec("0.1")
	p.Phases[0].CallsPerDay = 8640 // 0.1 req/s, flat
	p.Phases[0].Nodes = Some[int64](1)
	l := Compute(p).Phases[0].Latency
	if !l.Estimated || !l.Saturated {
		t.Errorf("at capacity: %+v", l)
	}
}

// A phase with no nodes sends every call to batch: latency is not
// estimated (no call is served), rather than "the queue grows without bound".
func TestZeroNodePhaseServesNothing(t *testing.T) {
	p := loadSeed(t)
	p.Phases[0].Nodes = Some[int64](0)
	p.Assumptions.MinNodes = 0
	ph := Compute(p).Phases[0]
	if ph.Latency.Estimated || ph.Latency.Why != "no calls are served by the fleet" {
		t.Errorf("latency %+v", ph.Latency)
	}
	for _, c := range ph.Checks {
		if c.Name == CheckOverflow && (c.OK || !strings.HasPrefix(c.Detail(), "100.0 % of calls overflow")) {
			t.Errorf("overflow: %q", c.Detail())
		}
	}
}
