// Package queue is the queueing arithmetic of scaleplan's latency model:
// an hour's M/G/c queue with a gamma service time, its Erlang C, the
// quantiles of a call's wait plus service, a phase's typical day of such
// hours and the fewest nodes a p99 target needs (day.go), and the bands
// the simulator measured the model within (bands.go). It knows no plan, phase or
// money — float64 seconds only, like gonum's distuv — so that the model in
// planner and the simulator's checks in simulate share one implementation.
package queue

import (
	"math"

	"gonum.org/v1/gonum/mathext"
)

// The queue of one hour (docs/model.md, "Latency"): c servers (nodes ×
// slots), each serving one call at a time for a service time S that is
// gamma-distributed with mean m and coefficient of variation v (constant at
// v = 0), Poisson arrivals at rate λ. A call's latency is fixed + W + S:
//
//   - W, the wait, is 0 with probability 1 − C, C being Erlang C for
//     c servers at offered load a = λ·m; otherwise it is exponential with
//     mean (1 + v²)/2 / (c/m − λ) — M/M/c's conditional wait scaled by the
//     Allen–Cunneen factor, so that the mean wait is Allen–Cunneen's.
//   - p50 and p99 are quantiles of W + S itself, found numerically, never
//     the sum of the two quantiles.
//
// Everything here is float64 seconds: latency is not money.

// Service is a service-time distribution: gamma with mean m seconds and
// coefficient of variation cv, or the constant m when cv is 0.
type Service struct {
	m, cv    float64
	k, b     float64 // gamma shape 1/cv² and rate 1/(m·cv²)
	lgk      float64 // ln Γ(k)
	det      bool
	factor   float64 // Allen–Cunneen (1 + cv²)/2
	q50, q99 float64 // S's own median and 99th percentile, worked out once
}

func NewService(meanSec, cv float64) Service {
	s := Service{m: meanSec, cv: cv, factor: (1 + cv*cv) / 2}
	if cv <= 0 {
		s.det = true
		return s
	}
	s.k = 1 / (cv * cv)
	s.b = s.k / meanSec
	s.lgk, _ = math.Lgamma(s.k)
	// The gamma quantiles are the costly part of a Service: a caller that
	// asks for the same one over and over keeps it (planner.Cache does).
	s.q50 = mathext.GammaIncRegInv(s.k, 0.5) / s.b
	s.q99 = mathext.GammaIncRegInv(s.k, 0.99) / s.b
	return s
}

// survival is P(S > x).
func (s *Service) Survival(x float64) float64 {
	if s.det {
		if x < s.m {
			return 1
		}
		return 0
	}
	if x <= 0 {
		return 1
	}
	return mathext.GammaIncRegComp(s.k, s.b*x)
}

// density is S's density at x (0 for the constant).
func (s *Service) Density(x float64) float64 {
	if s.det || x <= 0 {
		return 0
	}
	return math.Exp(s.k*math.Log(s.b) + (s.k-1)*math.Log(x) - s.b*x - s.lgk)
}

// quantile is S's q-quantile.
func (s *Service) Quantile(q float64) float64 {
	switch {
	case s.det:
		return s.m
	case q == 0.5:
		return s.q50
	case q == 0.99:
		return s.q99
	}
	return mathext.GammaIncRegInv(s.k, q) / s.b
}

// Mean is the mean service time, seconds; CV its coefficient of variation.
func (s *Service) Mean() float64 { return s.m }

// CV is the service time's coefficient of variation.
func (s *Service) CV() float64 { return s.cv }

// Hour is one hour's queue as the latency model sees it.
type Hour struct {
	s     *Service
	c     float64 // servers
	C     float64 // probability of waiting (Erlang C)
	theta float64 // rate of the exponential wait, given that a call waits
}

// NewHour is the queue of c servers at arrival rate λ (per second);
// ok is false when it is saturated (λ·m ≥ c).
func NewHour(s *Service, c int64, lambda float64) (Hour, bool) {
	a := lambda * s.m
	if c <= 0 || a >= float64(c)*(1-1e-12) { // at capacity, within rounding: no steady state
		return Hour{s: s, c: float64(c), C: 1}, false
	}
	return Hour{s: s, c: float64(c), C: ErlangC(c, a), theta: (float64(c)/s.m - lambda) / s.factor}, true
}

// TailT is T(x) = E[e^{−θ(x−S)}; S ≤ x], the part of P(E + S > x) beyond
// P(S > x) for E exponential at rate θ: P(W + S > x) = P(S > x) + C·T(x).
func (q *Hour) TailT(x float64) float64 {
	s, th := q.s, q.theta
	if x <= 0 || th <= 0 {
		return 0
	}
	if s.det {
		if x < s.m {
			return 0
		}
		return math.Exp(-th * (x - s.m))
	}
	if s.b > th {
		// e^{−θx} (β/(β−θ))^k P(k, (β−θ)x), in logs.
		p := mathext.GammaIncReg(s.k, (s.b-th)*x)
		if p <= 0 {
			return 0
		}
		return math.Exp(-th*x + s.k*math.Log(s.b/(s.b-th)) + math.Log(p))
	}
	// θ ≥ β: e^{−βx}(βx)^k/Γ(k) · Σ_n Poisson(n; gx)/(k+n), g = θ − β; the
	// series has positive terms only and is summed outward from its mode.
	g := (th - s.b) * x
	lead := -s.b*x + s.k*math.Log(s.b*x) - s.lgk
	return math.Exp(lead) * poissonWeighted(g, s.k)
}

// poissonWeighted is Σ_n e^{−g} gⁿ/n! / (k + n).
func poissonWeighted(g, k float64) float64 {
	if g <= 0 {
		return 1 / k
	}
	mode := math.Floor(g)
	lf, _ := math.Lgamma(mode + 1)
	p0 := math.Exp(-g + mode*math.Log(g) - lf)
	sum := p0 / (k + mode)
	p := p0
	for n := mode + 1; ; n++ { // upwards
		p *= g / n
		t := p / (k + n)
		sum += t
		if t < 1e-17*sum {
			break
		}
	}
	p = p0
	for n := mode; n > 0; n-- { // downwards
		p *= n / g
		t := p / (k + n - 1)
		sum += t
		if t < 1e-17*sum {
			break
		}
	}
	return sum
}

// survival is P(W + S > x).
func (q *Hour) Survival(x float64) float64 {
	return q.s.Survival(x) + q.C*q.TailT(x)
}

// both is P(W + S > x) and the density of W + S at x,
// (1 − C)·f_S(x) + C·θ·T(x), sharing T(x).
func (q *Hour) Both(x float64) (surv, dens float64) {
	t := q.TailT(x)
	return q.s.Survival(x) + q.C*t, (1-q.C)*q.s.Density(x) + q.C*q.theta*t
}

// waitQuantile is the p-quantile of W alone.
func (q *Hour) WaitQuantile(p float64) float64 {
	if q.C <= 1-p {
		return 0
	}
	return math.Log(q.C/(1-p)) / q.theta
}

// quantile is the p-quantile of W + S in seconds.
func (q *Hour) Quantile(p float64) float64 {
	if q.s.det { // closed form: S = m, then the exponential wait
		return q.s.m + q.WaitQuantile(p)
	}
	lo := q.s.Quantile(p)                // W ≥ 0, so W + S is no smaller than S
	hi := lo + q.WaitQuantile(p) + q.s.m // W + S ≤ this is likelier than p
	return SolveQuantile(1-p, lo, hi, q.Both)
}

// QuantileTol is how closely quantiles are solved: 0.01 ms, five times finer
// than the 0.05 ms the figures are quoted to.
const QuantileTol = 1e-5

// SolveQuantile finds x with surv(x) = target in [lo, hi] for a decreasing
// surv, by Newton's method on the density, kept inside a bisection bracket.
// f returns the survival function and the density at x.
func SolveQuantile(target, lo, hi float64, f func(float64) (float64, float64)) float64 {
	for s, _ := f(hi); s > target; s, _ = f(hi) { // widen until the bracket holds the answer
		lo, hi = hi, 2*hi+QuantileTol
	}
	x := (lo + hi) / 2
	for i := 0; i < 200 && hi-lo > QuantileTol; i++ {
		s, d := f(x)
		f := s - target
		if f > 0 {
			lo = x
		} else {
			hi = x
		}
		next := x + f/d // surv falls by d per unit x
		if d <= 0 || math.IsNaN(next) || next <= lo || next >= hi {
			next = (lo + hi) / 2
		} else if math.Abs(next-x) < QuantileTol/4 {
			return next
		}
		x = next
	}
	return (lo + hi) / 2
}

// ErlangC is the probability that an arrival waits in an M/M/c queue with
// offered load a Erlangs (a < c); 1 when saturated.
func ErlangC(c int64, a float64) float64 {
	if c <= 0 || a >= float64(c) {
		return 1
	}
	b := ErlangB(c, a)
	return float64(c) * b / (float64(c) - a*(1-b))
}

// ErlangB is the blocking probability of c servers at a Erlangs. Small pools
// use the recursion B(k) = a·B(k−1)/(k + a·B(k−1)); large ones the identity
// B = Poisson(c; a) / P(N ≤ c) with N ~ Poisson(a), through the regularized
// incomplete gamma function, so a million-server pool costs microseconds.
func ErlangB(c int64, a float64) float64 {
	if c <= 0 {
		return 1
	}
	if a <= 0 {
		return 0
	}
	if c <= 64 {
		b := 1.0
		for k := int64(1); k <= c; k++ {
			b = a * b / (float64(k) + a*b)
		}
		return b
	}
	cf := float64(c)
	lf, _ := math.Lgamma(cf + 1)
	pmf := math.Exp(-a + cf*math.Log(a) - lf)
	cdf := mathext.GammaIncRegComp(cf+1, a)
	if cdf <= 0 {
		return 1
	}
	return math.Min(1, pmf/cdf)
}

// Latency is the latency model's p50 and p99 (ms, excluding fixed
// components) for one stationary queue of c servers at λ calls/s, service
// mean meanMs with coefficient of variation cv; ok is false when saturated.
// It is exported for the validation against the simulator.
func Latency(c int64, lambda, meanMs, cv float64) (p50, p99, waitProb float64, ok bool) {
	s := NewService(meanMs/1000, cv)
	q, ok := NewHour(&s, c, lambda)
	if !ok {
		return 0, 0, 1, false
	}
	return 1000 * q.Quantile(0.5), 1000 * q.Quantile(0.99), q.C, true
}
