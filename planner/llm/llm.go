// Package llm is the token-level latency model of LLM serving (issue #19):
// replicas that batch continuously, their time to first token (TTFT), time
// per output token (TPOT), goodput and batch occupancy at an hour's load,
// and the fewest replicas that meet a set of token objectives. It knows no
// plan — float64 milliseconds and calls a second, like planner/queue — and
// simulate/llm, which serves calls step by step by the rules, is
// what it is checked against (docs/model.md, "LLM serving").
//
// The model. A replica with n calls present runs m = min(n, B) of them. At
// steady state a call takes out steps (one that prefills it and out − 1
// that decode), so of the m in flight m ÷ out are admitted a step and the
// mean step lasts
//
//	τ(m) = a + b·m·(out − 1)/out + (m/out)·1000·in ÷ prefill   ms,
//
// and the replica completes calls at μ(m) = 1000·m ÷ (out·τ(m)) a second;
// at m = B that is the capacity. Routing to the replica with the
// fewest calls present keeps the replicas within a call of each other, so
// the model is one birth–death chain over N, the calls present in all: a
// replica holds ⌊N/R⌋ or ⌈N/R⌉, calls leave at the sum of the replicas'
// rates, and an arrival (Poisson arrivals see time averages) joins one
// holding ⌊N/R⌋.
//
// TTFT of an arrival whose replica has room: on an idle replica, its own
// prefill step at once; on a busy one, the rest of the step in progress
// (steps chosen in proportion to their length; the prefills a step carries
// are a Markov chain, a step carrying the arrivals of the one before), then
// its own step with the calls that arrived meanwhile. With every replica
// full it first waits for calls ahead of it to leave: the chain's geometric
// tail makes that wait exponential, scaled by (1 + cv²)/2 of the calls'
// lengths (Allen–Cunneen), cv² 0 for fixed output tokens, 1 − 1/out for
// geometric. TPOT of a call is the mean of its decode steps: the step at
// the occupancy the running calls see. Goodput takes TTFT and TPOT as
// independent.
package llm

import (
	"math"
)

// Replica is how one replica serves, and the calls it is given.
type Replica struct {
	MaxBatch          int     // B
	StepBaseMs        float64 // a
	StepPerSeqMs      float64 // b
	PrefillTokensPerS float64
	Input, Output     float64 // mean tokens a call; Output ≥ 1
	// Geometric: output tokens drawn geometric on 1, 2, … (mean Output);
	// otherwise every call writes exactly Output.
	Geometric bool
}

// StepMs is the mean step with m calls in flight, τ(m).
func (r *Replica) StepMs(m float64) float64 {
	if m <= 0 {
		return r.StepBaseMs
	}
	return r.StepBaseMs + r.StepPerSeqMs*m*(r.Output-1)/r.Output + m/r.Output*r.prefillMs()
}

// decodeStepMs is the mean step a decoding call takes with m in flight: it
// decodes with the others that decode (1 + (m − 1)(out − 1)/out) and
// carries the prefills of the others admitted ((m − 1)/out a step); its own
// prefill is in its TTFT, not its TPOT.
func (r *Replica) decodeStepMs(m float64) float64 {
	others := max(m-1, 0)
	return r.StepBaseMs + r.StepPerSeqMs*(1+others*(r.Output-1)/r.Output) + others/r.Output*r.prefillMs()
}

func (r *Replica) prefillMs() float64 { return 1000 * r.Input / r.PrefillTokensPerS }

// Rate is the calls a second a replica completes with m in flight, μ(m).
func (r *Replica) Rate(m float64) float64 {
	if m <= 0 {
		return 0
	}
	return 1000 * m / (r.Output * r.StepMs(m))
}

// Capacity is a replica's calls a second at a full batch: the issue's
// 1000·B ÷ (out·a + (out − 1)·b·B + B·1000·in ÷ prefill).
func (r *Replica) Capacity() float64 { return r.Rate(float64(r.MaxBatch)) }

// Figures are replicas' latency at a load, in milliseconds before the
// fixed latency.
type Figures struct {
	TTFTp50, TTFTp99 float64
	TPOTp50, TPOTp99 float64 // 0 when calls write one token
	EndToEndP50      float64 // arrival to last token
	EndToEndP99      float64
	BatchMean        float64 // calls running a replica, time-averaged
	BatchFullShare   float64 // the share of time a replica's batch is full
}

// Load is the chain of replicas serving rate calls a second together: what
// the figures, the goodput and the sizing read.
type Load struct {
	r       *Replica
	rate    float64
	R       int
	idle    float64   // P(the arrival's replica is idle)
	busy    float64   // P(it is busy with room)
	tail    float64   // P(every replica is full)
	tailExp float64   // the rate (a ms) of the exponential wait for room
	seen    []float64 // occupancy m as the running calls see it
	steps   stepLaw
	d       float64 // sequences decoding beside an admitted call
	batch   float64
	full    float64
}

// At is the chain of replicas serving rate calls a second; ok is false
// when the rate reaches their capacity.
func (r *Replica) At(rate float64, replicas int) (*Load, bool) {
	B, R := r.MaxBatch, max(replicas, 1)
	muB := r.Capacity()
	if rate < 0 || rate >= muB*float64(R) || math.IsNaN(rate) {
		return nil, false
	}
	l := &Load{r: r, rate: rate, R: R}
	split := func(N int) (lo, hi, nhi int) { return N / R, N/R + 1, N % R }
	depart := func(N int) float64 {
		lo, hi, nhi := split(N)
		return float64(R-nhi)*r.Rate(float64(min(lo, B))) + float64(nhi)*r.Rate(float64(min(hi, B)))
	}
	full := R * B
	p := make([]float64, full+1)
	p[0] = 1
	for N := 1; N <= full; N++ {
		p[N] = p[N-1] * rate / depart(N)
		if p[N] > 1e200 { // keep the unnormalised law finite: only ratios matter
			for i := 0; i <= N; i++ {
				p[i] *= 1e-200
			}
		}
	}
	rho := rate / (muB * float64(R))
	tail := p[full] * rho / (1 - rho) // Σ_{N > R·B} π(N), unnormalised
	total := tail
	for _, x := range p {
		total += x
	}
	l.seen = make([]float64, B+1)
	for N := 0; N <= full; N++ {
		w := p[N] / total
		if w < 1e-300 {
			continue
		}
		lo, hi, nhi := split(N)
		mlo, mhi := min(lo, B), min(hi, B)
		l.batch += w * (float64(R-nhi)*float64(mlo) + float64(nhi)*float64(mhi)) / float64(R)
		l.full += w * float64(nhi) / float64(R) * b2f(mhi == B) // ⌈N/R⌉ replicas full
		l.seen[mlo] += w * float64(R-nhi) * float64(mlo)
		l.seen[mhi] += w * float64(nhi) * float64(mhi)
		if N < full {
			if lo == 0 {
				l.idle += w
			} else {
				l.busy += w
			}
		}
	}
	l.full += p[full] / total
	l.tail = (p[full] + tail) / total
	l.batch += float64(B) * tail / total
	l.seen[B] += float64(R*B) * tail / total
	l.full += tail / total
	// A geometric number of calls ahead (ρ^R a replica's worth of the
	// chain's tail) each leaving at μ(B): an exponential wait.
	scale := 0.5
	if r.Geometric {
		scale = (2 - 1/r.Output) / 2
	}
	l.tailExp = muB / 1000 / scale * (1 - math.Pow(rho, float64(R)))
	l.d = r.decoding(l.batch)
	l.steps = r.stepLaw(rate/1000/float64(R), r.prefillMs(), l.d)
	return l, true
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// TTFTCDF is P(TTFT ≤ t ms), before the fixed latency.
func (l *Load) TTFTCDF(t float64) float64 {
	r := l.r
	pre := r.prefillMs()
	lam := l.rate / 1000 / float64(l.R)
	c := 0.0
	if t >= r.StepBaseMs+r.StepPerSeqMs*0+pre {
		c += l.idle
	}
	for k, w := range l.steps.biased {
		if w < 1e-12 {
			continue
		}
		L := l.steps.length(k)
		mean := lam * L
		pk := math.Exp(-mean)
		for j := 0; j < 400 && (float64(j) < mean+3 || pk > 1e-12); j++ {
			own := r.StepBaseMs + r.StepPerSeqMs*l.d + pre*float64(1+j)
			c += l.busy * w * pk * uniformShiftCDF(t-own, L)
			pk *= mean / float64(j+1)
		}
	}
	if l.tail > 0 {
		B := float64(r.MaxBatch)
		own := r.StepBaseMs + r.StepPerSeqMs*(B-1) + pre
		c += l.tail * expUniformCDF(t-own, l.tailExp, r.StepMs(B))
	}
	return c
}

// TPOTCDF is P(TPOT ≤ t ms) of calls that write more than one token.
func (l *Load) TPOTCDF(t float64) float64 {
	c, sum := 0.0, 0.0
	for m := 1; m < len(l.seen); m++ {
		sum += l.seen[m]
		if l.r.decodeStepMs(float64(m)) <= t {
			c += l.seen[m]
		}
	}
	if sum == 0 {
		return b2f(t >= l.r.StepBaseMs)
	}
	return c / sum
}

// tpotMean is the mean decode step a running call sees.
func (l *Load) tpotMean() float64 {
	c, sum := 0.0, 0.0
	for m := 1; m < len(l.seen); m++ {
		sum += l.seen[m]
		c += l.seen[m] * l.r.decodeStepMs(float64(m))
	}
	if sum == 0 {
		return l.r.StepBaseMs
	}
	return c / sum
}

// Goodput is the share of calls whose TTFT (fixed latency included) is at
// most ttft ms and whose TPOT at most tpot ms; a target ≤ 0 is not set. A
// call of one output token meets any TPOT target.
func (l *Load) Goodput(fixedMs, ttft, tpot float64) float64 {
	g := 1.0
	if ttft > 0 {
		g *= l.TTFTCDF(ttft - fixedMs)
	}
	if tpot > 0 {
		one := 0.0 // calls of one output token
		switch {
		case l.r.Geometric:
			one = 1 / l.r.Output
		case l.r.Output <= 1:
			one = 1
		}
		g *= one + (1-one)*l.TPOTCDF(tpot)
	}
	return g
}

// Figures works out the quantiles.
func (l *Load) Figures() Figures {
	f := Figures{BatchMean: l.batch, BatchFullShare: l.full}
	f.TTFTp50 = solve(l.TTFTCDF, 0.5)
	f.TTFTp99 = solve(l.TTFTCDF, 0.99)
	if l.r.Output > 1 {
		f.TPOTp50 = solve(l.TPOTCDF, 0.5)
		f.TPOTp99 = solve(l.TPOTCDF, 0.99)
	}
	f.EndToEndP50 = solve(l.endToEndCDF, 0.5)
	f.EndToEndP99 = solve(l.endToEndCDF, 0.99)
	return f
}

// endToEndCDF is P(TTFT + (o − 1)·TPOT ≤ t), the decode steps taken at
// their mean (a call's TPOT averages many steps) and o the call's output
// tokens: fixed, or geometric, over its quantiles.
func (l *Load) endToEndCDF(t float64) float64 {
	step := l.tpotMean()
	if !l.r.Geometric {
		return l.TTFTCDF(t - (l.r.Output-1)*step)
	}
	const n = 200
	q := 1 / l.r.Output // P(o = 1)
	c := 0.0
	for i := 0; i < n; i++ {
		u := (float64(i) + 0.5) / n
		o := math.Ceil(math.Log1p(-u) / math.Log1p(-q)) // the geometric's u-quantile
		if q >= 1 {
			o = 1
		}
		c += l.TTFTCDF(t - (o-1)*step)
	}
	return c / n
}

// decoding is the sequences decoding in a step when m run on average: all
// but those admitted at it (m ÷ out).
func (r *Replica) decoding(m float64) float64 { return m * (r.Output - 1) / r.Output }

// stepLaw is the law of a busy replica's steps by the prefills k they
// carry: a step carries the calls that arrived during the one before, so k
// is a Markov chain, k' ~ Poisson(λ·(a + b·d + k·P)); biased is its
// stationary law weighted by the steps' lengths (what an arrival lands in).
type stepLaw struct {
	base, pre float64
	biased    []float64
}

func (s stepLaw) length(k int) float64 { return s.base + s.pre*float64(k) }

func (r *Replica) stepLaw(lam, pre, d float64) stepLaw {
	s := stepLaw{base: r.StepBaseMs + r.StepPerSeqMs*d, pre: pre}
	const kmax = 64
	pi := make([]float64, kmax)
	next := make([]float64, kmax)
	pi[1] = 1
	for it := 0; it < 500; it++ {
		clear(next)
		for k, w := range pi {
			if w < 1e-15 {
				continue
			}
			mean := lam * s.length(k)
			pj := math.Exp(-mean)
			for j := 0; j < kmax && (float64(j) < mean+3 || pj > 1e-15); j++ {
				next[j] += w * pj
				pj *= mean / float64(j+1)
			}
		}
		sum, diff := 0.0, 0.0
		for _, x := range next {
			sum += x
		}
		for k := range next {
			next[k] /= sum
			diff += math.Abs(next[k] - pi[k])
		}
		pi, next = next, pi
		if diff < 1e-10 {
			break
		}
	}
	s.biased = make([]float64, kmax)
	sum := 0.0
	for k, w := range pi {
		s.biased[k] = w * s.length(k)
		sum += s.biased[k]
	}
	for k := range s.biased {
		s.biased[k] /= sum
	}
	return s
}

// uniformShiftCDF is P(U·s ≤ x) for U uniform on (0, 1).
func uniformShiftCDF(x, s float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= s:
		return 1
	}
	return x / s
}

// expUniformCDF is P(E + U·s ≤ x) for E exponential at rate per ms and U
// uniform on (0, 1): (1/s)∫₀^min(x,s) (1 − e^{−rate(x−u)}) du.
func expUniformCDF(x, rate, s float64) float64 {
	if x <= 0 {
		return 0
	}
	if s <= 0 {
		return -math.Expm1(-rate * x)
	}
	u := math.Min(x, s)
	// ∫₀^u 1 du − ∫₀^u e^{−rate(x−u')} du' = u − (e^{−rate(x−u)} − e^{−rate·x})/rate
	return (u - (math.Exp(-rate*(x-u))-math.Exp(-rate*x))/rate) / s
}

// solve is the t at which a CDF reaches q, by bisection to 0.01 %.
func solve(cdf func(float64) float64, q float64) float64 {
	lo, hi := 0.0, 1.0
	for cdf(hi) < q && hi < 1e9 {
		lo, hi = hi, hi*2
	}
	for i := 0; i < 60 && hi-lo > 1e-4*hi; i++ {
		mid := (lo + hi) / 2
		if cdf(mid) < q {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi
}
