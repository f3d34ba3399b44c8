package planner

import (
	"math"
	"math/rand/v2"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// Erlang C against values worked by hand from the textbook formula
// C = [a^c/c! · c/(c−a)] / [Σ_{k<c} a^k/k! + a^c/c! · c/(c−a)], and against
// published tables.
func TestErlangCKnownValues(t *testing.T) {
	cases := []struct {
		c    int64
		a    float64
		want float64
		why  string
	}{
		// c=2, a=1: top = 1/2 · 2/1 = 1; Σ = 1 + 1 = 2; C = 1/3
		{2, 1, 1.0 / 3, "hand"},
		// c=3, a=2: top = 8/6 · 3/1 = 4; Σ = 1 + 2 + 2 = 5; C = 4/9
		{3, 2, 4.0 / 9, "hand"},
		// c=5, a=3: top = 243/120 · 5/2 = 5.0625; Σ = 1 + 3 + 4.5 + 4.5 + 3.375 = 16.375;
		// C = 5.0625/21.4375 = 0.23615 (tables: 0.2362)
		{5, 3, 0.2361516, "hand, and Erlang C tables"},
		// c=10, a=8: tables give 0.4092
		{10, 8, 0.4091802, "Erlang C tables"},
	}
	for _, c := range cases {
		if got := ErlangC(c.c, c.a); !near(got, c.want, 1e-6) {
			t.Errorf("ErlangC(%d, %g) = %.7f, want %.7f (%s)", c.c, c.a, got, c.want, c.why)
		}
	}
	// A saturated pool always queues.
	if ErlangC(3, 3) != 1 || ErlangC(2, 5) != 1 {
		t.Errorf("saturated pools should give 1")
	}
	// Large pools stay finite (the sum form overflows here).
	if got := ErlangC(2000, 1900); math.IsNaN(got) || got <= 0 || got >= 1 {
		t.Errorf("ErlangC(2000, 1900) = %v", got)
	}
}

func TestQueueWaitQuantile(t *testing.T) {
	// c=2, μ=1, λ=1: C = 1/3, cμ − λ = 1. P(W > t) = e^{−t}/3, so the 99th
	// percentile is ln((1/3)/0.01) = ln(33.33) = 3.5066 s, and the median is 0
	// (only a third of arrivals wait at all).
	if got := queueWait(ErlangC(2, 1), 2, 1, 1, 0.99); !near(got, math.Log(100.0/3), 1e-12) {
		t.Errorf("p99 wait = %v, want %v", got, math.Log(100.0/3))
	}
	if got := queueWait(ErlangC(2, 1), 2, 1, 1, 0.5); got != 0 {
		t.Errorf("median wait = %v, want 0", got)
	}
}

// The seed's Phase 2 at its 13:00 peak, worked through: λ = 111.111 req/s on
// 19 nodes (the predictive schedule at 13:00) of μ = 8.5 → a = 13.072 Erlangs,
// ρ = 0.688, cμ = 161.5 req/s. Erlang C = 0.08845: 8.8 % of calls wait.
// p99 wait = ln(0.08845/0.01)/(161.5 − 111.111) = 2.1798/50.389 = 43.26 ms,
// × (1 + 0.5²)/2 = 0.625 for low-variance service = 27.04 ms.
// p99 = 15 + 5 + 5 (fixed) + 45 (service) + 27.04 = 97.04 ms, within 120.
func TestSeedPhase2P99ByHand(t *testing.T) {
	r := Compute(loadSeed(t))
	l := r.Phases[2].Latency
	if !l.Estimated || l.Saturated || l.Hour != 13 || l.Nodes != 19 {
		t.Fatalf("latency %+v", l)
	}
	if !near(l.WaitProb, 0.0884498, 1e-6) || !near(l.QueueP99Ms, 27.0378, 1e-3) || !near(l.P99Ms, 97.0378, 1e-3) {
		t.Errorf("C %.7f, queue p99 %.4f ms, p99 %.4f ms", l.WaitProb, l.QueueP99Ms, l.P99Ms)
	}
	if l.FixedMs != 25 || l.P50Ms != 70 { // fewer than half wait: the median is the bare 70 ms
		t.Errorf("fixed %v, p50 %v", l.FixedMs, l.P50Ms)
	}
	var p99 *Check
	for i := range r.Phases[2].Checks {
		if r.Phases[2].Checks[i].Name == CheckP99 {
			p99 = &r.Phases[2].Checks[i]
		}
	}
	if p99 == nil || !p99.OK || p99.Detail() != "p99 97.0 ms at the 13:00 peak is within the 120 ms target" {
		t.Errorf("p99 check %+v", p99)
	}
	// Sizing for p99 alone would need 18 nodes (p99 109.8 ms; 17 give 128.4 ms),
	// fewer than the 19 the utilization target asks for.
	if got := r.Phases[2].RequiredNodesP99; !got.Valid || got.Val != 18 || r.Phases[2].SizingBound != BoundUtilization {
		t.Errorf("p99 sizing %+v, bound %s", got, r.Phases[2].SizingBound)
	}
	// Baseline on its 2 nodes: a = 1.307, C = 0.5167, p99 wait
	// = ln(51.67)/(17 − 11.111) × 0.625 = 418.67 ms → p99 488.67 ms; 4 nodes meet
	// the target (113.2 ms; 3 give 193.7 ms).
	b := r.Phases[0]
	if !near(b.Latency.P99Ms, 488.673, 1e-3) || b.RequiredNodesP99.Val != 4 {
		t.Errorf("Baseline p99 %.3f, p99 sizing %+v", b.Latency.P99Ms, b.RequiredNodesP99)
	}
}

func TestP99SizingIsTheFewestNodesThatMeetTheTarget(t *testing.T) {
	m := latencyModel{mu: 8.5, fixed: 25, service: 45, factor: 0.625}
	for _, lambda := range []float64{0.5, 11.1, 44.4, 111.1, 500, 4000} {
		n, why := m.nodesForP99(lambda, 120)
		if why != "" {
			t.Fatalf("λ %v: %s", lambda, why)
		}
		if m.p99(n, lambda) > 120 || (n > 1 && m.p99(n-1, lambda) <= 120) {
			t.Errorf("λ %v: %d nodes give %.2f ms, %d give %.2f ms", lambda, n, m.p99(n, lambda), n-1, m.p99(n-1, lambda))
		}
	}
	if _, why := m.nodesForP99(10, 60); why == "" {
		t.Errorf("a target below fixed + service (70 ms) should be unreachable")
	}
}

// Adding a node never raises p99 nor lowers capacity.
func TestPropertyAddingANodeNeverHurts(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for i := 0; i < 2000; i++ {
		mu := 0.5 + rng.Float64()*50
		cv := rng.Float64() * 2
		m := latencyModel{mu: mu, fixed: rng.Float64() * 50, service: 1 + rng.Float64()*200, factor: (1 + cv*cv) / 2}
		lambda := rng.Float64() * 500
		c := int64(lambda/mu) + 1 + rng.Int64N(40)
		p1, p2 := m.p99(c, lambda), m.p99(c+1, lambda)
		if p2 > p1+1e-9 {
			t.Fatalf("μ %.3f λ %.3f: p99 %.6f ms on %d nodes but %.6f on %d", mu, lambda, p1, c, p2, c+1)
		}
		if float64(c+1)*mu < float64(c)*mu {
			t.Fatalf("capacity fell")
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
		if c.Name == CheckP99 {
			t.Errorf("a p99 check without a latency model")
		}
	}
}

func TestSaturatedPhaseSaysSo(t *testing.T) {
	p := loadSeed(t)
	p.Phases[2].Nodes = Some[int64](12) // 12 × 8.5 = 102 req/s < 111.1 at the peak
	ph := Compute(p).Phases[2]
	if !ph.Latency.Saturated {
		t.Fatalf("not saturated: %+v", ph.Latency)
	}
	for _, c := range ph.Checks {
		if c.Name == CheckP99 && (c.OK || c.Detail() != "saturated at 13:00: 111.1 req/s offered to 12 nodes that serve at most 102.0 req/s, so the queue grows without bound") {
			t.Errorf("p99 check: %v %q", c.OK, c.Detail())
		}
	}
}
