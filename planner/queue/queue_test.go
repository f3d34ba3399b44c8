package queue

import (
	"math"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// Erlang C against values worked by hand from the textbook formula
// C = [a^c/c! · c/(c−a)] / [Σ_{k<c} a^k/k! + a^c/c! · c/(c−a)], and against
// published tables.
func TestErlangCKnownValues(t *testing.T) {
	t.Parallel()
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
		// c=5, a=3: top = 243/120 · 5/2 = 5.0625; Σ = 16.375; C = 0.23615 (tables: 0.2362)
		{5, 3, 0.2361516, "hand, and Erlang C tables"},
		// c=10, a=8: tables give 0.4092
		{10, 8, 0.4091802, "Erlang C tables"},
	}
	for _, c := range cases {
		if got := ErlangC(c.c, c.a); !near(got, c.want, 1e-6) {
			t.Errorf("ErlangC(%d, %g) = %.7f, want %.7f (%s)", c.c, c.a, got, c.want, c.why)
		}
	}
	if ErlangC(3, 3) != 1 || ErlangC(2, 5) != 1 {
		t.Errorf("saturated pools should give 1")
	}
}

// textbookErlangC is the sum form in log space, written apart from the
// engine's, to check its large-pool path.
func textbookErlangC(c int64, a float64) float64 {
	logTerm := func(k int64) float64 { lf, _ := math.Lgamma(float64(k) + 1); return float64(k)*math.Log(a) - lf }
	top := logTerm(c) + math.Log(float64(c)/(float64(c)-a))
	maxLog := top
	for k := int64(0); k < c; k++ {
		maxLog = math.Max(maxLog, logTerm(k))
	}
	sum := 0.0
	for k := int64(0); k < c; k++ {
		sum += math.Exp(logTerm(k) - maxLog)
	}
	t := math.Exp(top - maxLog)
	return t / (sum + t)
}

func TestErlangCLargePoolsMatchTheSumForm(t *testing.T) {
	t.Parallel()
	for _, c := range []int64{65, 100, 500, 2000} {
		for _, rho := range []float64{0.5, 0.9, 0.99} {
			a := rho * float64(c)
			if got, want := ErlangC(c, a), textbookErlangC(c, a); math.Abs(got-want) > 1e-9*math.Max(1, want) && math.Abs(got/want-1) > 1e-9 {
				t.Errorf("ErlangC(%d, %g) = %.12g, sum form %.12g", c, a, got, want)
			}
		}
	}
	// A million servers stays finite and sensible.
	if got := ErlangC(1_000_000, 999_000); math.IsNaN(got) || got <= 0 || got >= 1 {
		t.Errorf("ErlangC(1e6, 999,000) = %v", got)
	}
}

// bisect finds t with surv(t) = target for a decreasing surv: the tests'
// own solver, apart from the engine's.
func bisect(surv func(float64) float64, target, hi float64) float64 {
	lo := 0.0
	for i := 0; i < 200; i++ {
		mid := (lo + hi) / 2
		if surv(mid) > target {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// The whole-tail quantiles against closed forms.
func TestQueueQuantilesClosedForms(t *testing.T) {
	t.Parallel()
	// M/M/1: the time in system is exponential with rate μ − λ, exactly
	// (the model's wait mixture reproduces it at CV 1). μ = 1/45 ms, ρ = 0.5:
	// μ − λ = 11.111/s, p99 = ln 100 / 11.111 = 414.465 ms, p50 = ln 2 / 11.111 = 62.383 ms.
	p50, p99, _, ok := Latency(1, 0.5*1000/45, 45, 1)
	if !ok || !near(p99, 1000*math.Log(100)/(1000.0/45-0.5*1000/45), 0.01) || !near(p50, 1000*math.Log(2)/(1000.0/45-0.5*1000/45), 0.01) {
		t.Errorf("M/M/1: p50 %.3f, p99 %.3f ms; want 62.383, 414.465", p50, p99)
	}
	// M/M/c with c = 3 at ρ = 0.7: the wait given waiting is exponential at
	// θ = cμ − λ, so P(T > t) = (1 − C)e^{−μt} + C(θe^{−μt} − μe^{−θt})/(θ − μ).
	mu, c := 1.0/0.045, 3.0
	lambda := 0.7 * c * mu
	C := textbookErlangC(3, lambda/mu)
	theta := c*mu - lambda
	surv := func(x float64) float64 {
		return (1-C)*math.Exp(-mu*x) + C*(theta*math.Exp(-mu*x)-mu*math.Exp(-theta*x))/(theta-mu)
	}
	want99, want50 := 1000*bisect(surv, 0.01, 10), 1000*bisect(surv, 0.5, 10)
	p50, p99, wp, _ := Latency(3, lambda, 45, 1)
	if !near(p99, want99, 0.02) || !near(p50, want50, 0.02) || !near(wp, C, 1e-9) {
		t.Errorf("M/M/3: p50 %.3f p99 %.3f ms C %.6f; want %.3f, %.3f, %.6f", p50, p99, wp, want50, want99, C)
	}
	// Nobody waits in a large idle pool: the quantiles are the gamma
	// service time's own. CV 0.5 is shape 4; χ²(8) tables give 20.090 at
	// 0.99 and 7.344 at 0.5, so p99 = 45 × 20.090/8 = 113.01 ms, p50 = 41.31 ms.
	p50, p99, _, _ = Latency(1000, 1, 45, 0.5)
	if !near(p99, 45*20.090/8, 0.05) || !near(p50, 45*7.344/8, 0.05) {
		t.Errorf("idle pool: p50 %.3f p99 %.3f; want 41.31, 113.01", p50, p99)
	}
	// Constant service, idle pool: every call takes exactly its 45 ms.
	if p50, p99, _, _ = Latency(1000, 1, 45, 0); p50 != 45 || p99 != 45 {
		t.Errorf("constant service: p50 %v p99 %v", p50, p99)
	}
	// Saturated.
	if _, _, _, ok := Latency(2, 2000/45.0, 45, 1); ok {
		t.Errorf("λ = cμ should be saturated")
	}
}
