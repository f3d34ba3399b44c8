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
	"cmp"
	"math"
	"slices"
	"sort"
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
	d       float64   // sequences decoding beside an admitted call
	batch   float64
	full    float64
	// busyParts is the busy replica's TTFT as a mixture: with weight w the
	// rest of a step of length L (uniform) and then the arrival's own step
	// of length own. Worked out once; TTFTCDF only sums.
	busyParts []busyPart
	// ttftTable is TTFTCDF at n·ttftStep ms, for the end-to-end mixture
	// (built on first use).
	ttftTable []float64
	ttftStep  float64
	// decodeOffsets are the end-to-end mixture's decode times (offsets).
	decodeOffsets []float64
}

type busyPart struct{ w, own, L float64 }

// At is the chain of replicas serving rate calls a second; ok is false
// when the rate reaches their capacity.

func (r *Replica) At(rate float64, replicas int) (*Load, bool) {
	B, R := r.MaxBatch, max(replicas, 1)
	muB := r.Capacity()
	if rate < 0 || rate >= muB*float64(R) || math.IsNaN(rate) {
		return nil, false
	}
	l := &Load{r: r, rate: rate, R: R}
	depart := func(N int) float64 { // calls leave at the replicas' summed rates
		q, nhi := N/R, N%R
		return float64(R-nhi)*r.Rate(float64(min(q, B))) + float64(nhi)*r.Rate(float64(min(q+1, B)))
	}
	// The law of N is computed outward from its mode, where births and
	// deaths balance, until it falls below 1e-18 of the mode either side:
	// with many replicas it is narrow, and the states far from it weigh
	// nothing.
	full := R * B
	mode := sort.Search(full, func(N int) bool { return depart(N+1) >= rate })
	// walk visits π(N), unnormalised (π(mode) = 1), outward from the mode
	// until it falls below 1e-18 either side. It is walked twice, for the
	// total and then the figures, rather than stored.
	walk := func(visit func(N int, x float64)) {
		visit(mode, 1)
		for N, x := mode+1, 1.0; N <= full && x >= 1e-18; N++ {
			x *= rate / depart(N)
			visit(N, x)
		}
		for N, x := mode-1, 1.0; N >= 0 && x >= 1e-18; N-- {
			x *= depart(N+1) / rate
			visit(N, x)
		}
	}
	atFull := 0.0
	total := 0.0
	walk(func(N int, x float64) {
		total += x
		if N == full {
			atFull = x
		}
	})
	rho := rate / (muB * float64(R))
	tail := atFull * rho / (1 - rho) // Σ_{N > R·B} π(N), unnormalised
	total += tail
	l.seen = make([]float64, B+1)
	walk(func(N int, x float64) {
		w := x / total
		q, nhi := N/R, N%R
		mlo, mhi := min(q, B), min(q+1, B)
		l.batch += w * (float64(R-nhi)*float64(mlo) + float64(nhi)*float64(mhi)) / float64(R)
		l.full += w * float64(nhi) / float64(R) * b2f(mhi == B) // ⌈N/R⌉ replicas full
		l.seen[mlo] += w * float64(R-nhi) * float64(mlo)
		l.seen[mhi] += w * float64(nhi) * float64(mhi)
		if N < full {
			if q == 0 {
				l.idle += w
			} else {
				l.busy += w
			}
		}
	})
	l.full += atFull / total
	l.tail = (atFull + tail) / total
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
	l.busyParts = r.busyParts(rate/1000/float64(R), l.d, l.busy)
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
	c := 0.0
	if t >= r.StepBaseMs+pre {
		c += l.idle
	}
	for _, p := range l.busyParts {
		c += p.w * uniformShiftCDF(t-p.own, p.L)
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
	if l.decodeOffsets == nil {
		l.decodeOffsets = l.offsets()
	}
	if !l.r.Geometric {
		return l.TTFTCDF(t - l.decodeOffsets[0])
	}
	c := 0.0
	for _, off := range l.decodeOffsets {
		c += l.ttftTabled(t - off)
	}
	return c / float64(len(l.decodeOffsets))
}

// offsets are the decode times the end-to-end mixture adds to TTFT, each
// (o − 1) mean steps: one for fixed output, else at 200 quantiles of the
// geometric.
func (l *Load) offsets() []float64 {
	step := l.tpotMean()
	if !l.r.Geometric {
		return []float64{(l.r.Output - 1) * step}
	}
	const n = 200
	q := 1 / l.r.Output // P(o = 1)
	out := make([]float64, n)
	for i := range out {
		o := 1.0
		if q < 1 {
			u := (float64(i) + 0.5) / n
			o = math.Ceil(math.Log1p(-u) / math.Log1p(-q)) // the geometric's u-quantile
		}
		out[i] = (o - 1) * step
	}
	return out
}

// ttftTabled is TTFTCDF read from a table of 1,024 points up to where the
// law has all but 1e-7 of its mass, linearly between them: the geometric
// mixture reads it 200 times an evaluation.
func (l *Load) ttftTabled(t float64) float64 {
	const n = 1024
	if l.ttftTable == nil {
		top := solve(l.TTFTCDF, 1-1e-7)
		l.ttftStep = top / (n - 1)
		l.ttftTable = l.ttftGrid(l.ttftStep, n)
	}
	if t <= 0 {
		return 0
	}
	x := t / l.ttftStep
	i := int(x)
	if i >= n-1 { // past all but 1e-7 of the law
		return l.ttftTable[n-1]
	}
	f := x - float64(i)
	return l.ttftTable[i]*(1-f) + l.ttftTable[i+1]*f
}

// ttftGrid is TTFTCDF at 0, h, 2h, … (n points) in one sweep: each busy
// part is a ramp from own to own + L, so the parts that have ended add
// their weight and those under way w·(t − own)/L, kept as two sums.
func (l *Load) ttftGrid(h float64, n int) []float64 {
	starts := slices.Clone(l.busyParts)
	slices.SortFunc(starts, func(a, b busyPart) int { return cmp.Compare(a.own, b.own) })
	ends := slices.Clone(l.busyParts)
	slices.SortFunc(ends, func(a, b busyPart) int { return cmp.Compare(a.own+a.L, b.own+b.L) })
	r := l.r
	pre := r.prefillMs()
	B := float64(r.MaxBatch)
	out := make([]float64, n)
	done, slope, shift := 0.0, 0.0, 0.0 // Σw of ended parts; Σw/L and Σw·own/L of those under way
	si, ei := 0, 0
	for i := range out {
		t := float64(i) * h
		for ; si < len(starts) && starts[si].own < t; si++ {
			p := starts[si]
			slope += p.w / p.L
			shift += p.w * p.own / p.L
		}
		for ; ei < len(ends) && ends[ei].own+ends[ei].L <= t; ei++ {
			p := ends[ei]
			done += p.w
			slope -= p.w / p.L
			shift -= p.w * p.own / p.L
		}
		c := done + slope*t - shift
		if t >= r.StepBaseMs+pre {
			c += l.idle
		}
		if l.tail > 0 {
			c += l.tail * expUniformCDF(t-(r.StepBaseMs+r.StepPerSeqMs*(B-1)+pre), l.tailExp, r.StepMs(B))
		}
		out[i] = c
	}
	return out
}

// decoding is the sequences decoding in a step when m run on average: all
// but those admitted at it (m ÷ out).
func (r *Replica) decoding(m float64) float64 { return m * (r.Output - 1) / r.Output }

// busyParts is a busy replica's TTFT mixture. The prefills k a step
// carries are a Markov chain — a step carries the calls that arrived during
// the one before, k' ~ Poisson(λ·L(k)) with L(k) = a + b·d + k·P — whose
// stationary law, weighted by the steps' lengths, is what an arrival lands
// in; it then waits for the rest of that step and its own, which carries
// the j calls that arrived meanwhile (Poisson with mean λ·L(k)). Parts
// below 1e-12 are dropped.
func (r *Replica) busyParts(lam, d, busy float64) []busyPart {
	if busy <= 0 {
		return nil
	}
	const kmax = 64
	pre := r.prefillMs()
	length := func(k int) float64 { return r.StepBaseMs + r.StepPerSeqMs*d + pre*float64(k) }
	// The Poisson rows, each once and only for the k the chain reaches:
	// row k is the law of the next step's prefills.
	rows := make([][]float64, kmax)
	var buf []float64
	row := func(k int) []float64 {
		if rows[k] == nil {
			mean := lam * length(k)
			start, pj := len(buf), math.Exp(-mean)
			for j := 0; j < 400 && (float64(j) < mean+3 || pj > 1e-15); j++ {
				buf = append(buf, pj)
				pj *= mean / float64(j+1)
			}
			rows[k] = buf[start:len(buf):len(buf)]
		}
		return rows[k]
	}
	pi, next := make([]float64, kmax), make([]float64, kmax)
	pi[1] = 1
	for it := 0; it < 500; it++ {
		clear(next)
		for k, w := range pi {
			if w < 1e-15 {
				continue
			}
			rk := row(k)
			for j, q := range rk[:min(len(rk), kmax)] { // beyond kmax the chain drops the mass, renormalised below
				next[j] += w * q
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
	biased, sum := make([]float64, kmax), 0.0
	for k, w := range pi {
		biased[k] = w * length(k)
		sum += biased[k]
	}
	var parts []busyPart
	for k, w := range biased {
		if w /= sum; w < 1e-12 {
			continue
		}
		for j, q := range row(k) {
			if x := busy * w * q; x >= 1e-12 {
				parts = append(parts, busyPart{w: x, own: r.StepBaseMs + r.StepPerSeqMs*d + pre*float64(1+j), L: length(k)})
			}
		}
	}
	return parts
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
