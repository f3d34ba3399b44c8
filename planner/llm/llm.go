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
	"sort"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/lapack/lapack64"
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
	seenCum []float64 // its running sums from m = 1, kept on [cumLo, cumHi] (seenTo reads them)
	cumLo   int
	cumHi   int
	d       float64 // sequences decoding beside an admitted call
	batch   float64
	full    float64
	// busy is the busy replica's TTFT: worked out on first use (a
	// sizing step that fails on TPOT never needs it); TTFTCDF reads it in
	// two binary searches.
	busyOnce bool
	busyL    busyLaw
	// ttftTable is TTFTCDF at n·ttftStep ms, for the end-to-end mixture
	// (built on first use).
	ttftTable []float64
	ttftStep  float64
	// decodeOffsets are the end-to-end mixture's decode times (offsets).
	decodeOffsets []float64
}

// busyLaw is a busy replica's TTFT as a mixture of parts: with weight w the
// rest of a step of length L (uniform) and then the arrival's own step of
// length own, so P(TTFT ≤ t) of a part is a ramp from own to own + L. A
// part is set by k, the prefills of the step landed in, and j, those of
// the arrival's own step beside it: own grows with j and own + L with
// j + k. So the parts are kept as running sums by j (their starts) and by
// j + k (their ends), and the mixture at t is the parts ended, w, plus
// those under way, w·(t − own)/L: Σ w + t·Σ w/L − Σ w·own/L over the
// started less the same over the ended.
type busyLaw struct {
	startAt, endAt       []float64 // own by j; own + L by j + k (non-decreasing)
	startSlope, startOwn []float64 // Σ w/L and Σ w·own/L over j' < j (len+1)
	endW                 []float64 // Σ w over j' + k' < s (len+1)
	endSlope, endOwn     []float64
}

// cdf is P(TTFT ≤ t) of a busy replica's arrivals, times P(busy).
func (b *busyLaw) cdf(t float64) float64 {
	if len(b.startAt) == 0 {
		return 0
	}
	i := sort.Search(len(b.startAt), func(i int) bool { return b.startAt[i] >= t }) // started: own < t
	e := sort.Search(len(b.endAt), func(e int) bool { return b.endAt[e] > t })      // ended: own + L ≤ t
	return b.endW[e] + t*(b.startSlope[i]-b.endSlope[e]) - (b.startOwn[i] - b.endOwn[e])
}

// At is the chain of replicas serving rate calls a second; ok is false
// when the rate reaches their capacity.

// chainCut is where the walk of the chain stops, relative to its mode.
const chainCut = 1e-13

func (r *Replica) At(rate float64, replicas int) (*Load, bool) {
	B, R := r.MaxBatch, max(replicas, 1)
	muB := r.Capacity()
	if rate < 0 || rate >= muB*float64(R) || math.IsNaN(rate) {
		return nil, false
	}
	l := &Load{r: r, rate: rate, R: R}
	// With N calls present, ⌊N/R⌋ = q on R − k replicas and q + 1 on k
	// (N = q·R + k), so calls leave at R·μ(q) + k·(μ(q+1) − μ(q)): linear
	// in k within a block of R states.
	mu := func(q int) float64 { return r.Rate(float64(min(q, B))) }
	depart := func(N int) float64 {
		q, k := N/R, N%R
		return float64(R)*mu(q) + float64(k)*(mu(q+1)-mu(q))
	}
	// The law of N is computed outward from its mode, where births and
	// deaths balance, until it falls below 1e-13 of the mode either side
	// (the figures read shares down to 1e-7, the TTFT table's top): with
	// many replicas it is narrow, and the states far from it weigh
	// nothing. What the figures read of a block q are the sums Σ π(N) and
	// Σ k·π(N), unnormalised (π(mode) = 1), and they are linear in both:
	// each block walked adds its part at once (add), and all is divided by
	// the total at the end.
	full := R * B
	mode := sort.Search(full, func(N int) bool { return depart(N+1) >= rate })
	both := make([]float64, 2*(B+1))
	l.seen, l.seenCum = both[:B+1:B+1], both[B+1:]
	Rf := float64(R)
	total, atFull := 0.0, 0.0
	add := func(q int, a0, a1 float64) {
		total += a0
		if q == B { // the block of N = R·B holds that state alone
			atFull += a0
			return
		}
		mlo, mhi := q, q+1
		l.batch += (Rf*a0*float64(mlo) + a1*float64(mhi-mlo)) / Rf
		if mhi == B {
			l.full += a1 / Rf // the k replicas holding q + 1 = B are full
		}
		l.seen[mlo] += (Rf*a0 - a1) * float64(mlo)
		l.seen[mhi] += a1 * float64(mhi)
		if q == 0 {
			l.idle += a0
		} else {
			l.busy += a0
		}
	}
	qlo, qhi := mode/R, mode/R // the blocks the walk reaches
	add(qlo, 1, float64(mode%R))
	// Upward: π(N) = π(N − 1)·rate ÷ depart(N). Each state is added, then
	// the walk stops once one falls below the cut.
	for N, x := mode+1, 1.0; N <= full && x >= chainCut; {
		q, k0 := N/R, N%R
		end := min(R, k0+full-N+1) // N ≤ R·B
		base, step := float64(R)*mu(q), mu(q+1)-mu(q)
		var a0, a1 float64
		k, kf := k0, float64(k0)
		for k < end {
			x *= rate / (base + kf*step)
			a0 += x
			a1 += kf * x
			k, kf = k+1, kf+1
			if x < chainCut {
				break
			}
		}
		add(q, a0, a1)
		qhi = q
		N += k - k0
	}
	// Downward: π(N) = π(N + 1)·depart(N + 1) ÷ rate; depart(N + 1) for
	// k = R − 1 is the next block's first, R·μ(q + 1), the same line's value.
	for N, x := mode-1, 1.0; N >= 0 && x >= chainCut; {
		q, k0 := N/R, N%R
		base, step := float64(R)*mu(q), mu(q+1)-mu(q)
		var a0, a1 float64
		k, kf := k0, float64(k0)
		for k >= 0 {
			x *= (base + (kf+1)*step) / rate
			a0 += x
			a1 += kf * x
			k, kf = k-1, kf-1
			if x < chainCut {
				break
			}
		}
		add(q, a0, a1)
		qlo = q
		N -= k0 - k
	}
	rho := rate / (muB * Rf)
	tail := atFull * rho / (1 - rho) // Σ_{N > R·B} π(N), unnormalised
	total += tail
	l.batch /= total
	l.full /= total
	l.idle /= total
	l.busy /= total
	for m := qlo; m <= min(qhi+1, B); m++ {
		l.seen[m] /= total
	}
	l.batch += float64(B) * atFull / total
	l.seen[B] += Rf * float64(B) * atFull / total
	l.full += atFull / total
	l.tail = (atFull + tail) / total
	l.batch += float64(B) * tail / total
	l.seen[B] += float64(R*B) * tail / total
	l.full += tail / total
	// seen is nought below block qlo and above qhi + 1 (but for B when
	// replicas fill): its running sums are kept only between.
	l.cumLo, l.cumHi = max(qlo, 1), min(qhi+1, B)
	if atFull+tail > 0 {
		l.cumHi = B
	}
	for m := l.cumLo; m <= l.cumHi; m++ {
		l.seenCum[m] = l.seenCum[m-1] + l.seen[m]
	}
	// A geometric number of calls ahead (ρ^R a replica's worth of the
	// chain's tail) each leaving at μ(B): an exponential wait.
	scale := 0.5
	if r.Geometric {
		scale = (2 - 1/r.Output) / 2
	}
	l.tailExp = muB / 1000 / scale * (1 - math.Pow(rho, float64(R)))
	l.d = r.decoding(l.batch)
	return l, true
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// busyLaw is the busy replica's TTFT law, worked out once.
func (l *Load) busyLaw() *busyLaw {
	if !l.busyOnce {
		l.busyL = l.r.busyLaw(l.rate/1000/float64(l.R), l.d, l.busy)
		l.busyOnce = true
	}
	return &l.busyL
}

// TTFTCDF is P(TTFT ≤ t ms), before the fixed latency.
func (l *Load) TTFTCDF(t float64) float64 {
	r := l.r
	pre := r.prefillMs()
	c := 0.0
	if t >= r.StepBaseMs+pre {
		c += l.idle
	}
	c += l.busyLaw().cdf(t)
	if l.tail > 0 {
		B := float64(r.MaxBatch)
		own := r.StepBaseMs + r.StepPerSeqMs*(B-1) + pre
		c += l.tail * expUniformCDF(t-own, l.tailExp, r.StepMs(B))
	}
	return c
}

// TPOTCDF is P(TPOT ≤ t ms) of calls that write more than one token. The
// decode step grows linearly with the calls running, so the calls whose
// step is at most t are those at m ≤ m(t): one look-up in the running
// sums of seen.
func (l *Load) TPOTCDF(t float64) float64 {
	r := l.r
	B := len(l.seen) - 1
	sum := l.seenTo(B)
	if sum == 0 {
		return b2f(t >= r.StepBaseMs)
	}
	// decodeStepMs(m) = a + b + (m − 1)·slope for m ≥ 1.
	first := r.decodeStepMs(1)
	if t < first {
		return 0
	}
	slope := r.decodeStepMs(2) - first
	m := B
	if slope > 0 {
		m = min(B, 1+int((t-first)/slope))
		for m < B && r.decodeStepMs(float64(m+1)) <= t { // the division's rounding, either way
			m++
		}
		for m > 1 && r.decodeStepMs(float64(m)) > t {
			m--
		}
	}
	return l.seenTo(m) / sum
}

// seenTo is Σ seen[1 … m].
func (l *Load) seenTo(m int) float64 {
	switch {
	case m < l.cumLo:
		return 0
	case m > l.cumHi:
		return l.seenCum[l.cumHi]
	}
	return l.seenCum[m]
}

// tpotQuantile is the least decode step t with TPOTCDF(t) ≥ q: the
// step at the first occupancy whose running share reaches q.
func (l *Load) tpotQuantile(q float64) float64 {
	B := len(l.seen) - 1
	sum := l.seenTo(B)
	if sum == 0 {
		return l.r.StepBaseMs
	}
	m := sort.Search(B, func(i int) bool { return l.seenTo(i+1) >= q*sum }) + 1
	return l.r.decodeStepMs(float64(min(m, B)))
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
	idle := l.r.StepBaseMs + l.r.prefillMs() // no TTFT is shorter
	f.TTFTp50 = solveFrom(l.TTFTCDF, 0.5, idle)
	f.TTFTp99 = solveFrom(l.TTFTCDF, 0.99, f.TTFTp50)
	if l.r.Output > 1 {
		f.TPOTp50 = l.tpotQuantile(0.5)
		f.TPOTp99 = l.tpotQuantile(0.99)
	}
	// The end-to-end time is TTFT plus the decode: bracketed from their
	// quantiles' sum.
	f.EndToEndP50 = solveFrom(l.endToEndCDF, 0.5, f.TTFTp50+l.offsetQuantile(0.5))
	f.EndToEndP99 = solveFrom(l.endToEndCDF, 0.99, f.TTFTp99+l.offsetQuantile(0.99))
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
	// The offsets rise, so t − off falls: those leaving more than the
	// table's top read its last value, those leaving nothing read 0, and
	// only the band between is read point by point.
	l.ttftTabled(0) // builds the table
	top := l.ttftStep * float64(len(l.ttftTable)-1)
	offs := l.decodeOffsets
	past := sort.Search(len(offs), func(i int) bool { return t-offs[i] < top })
	none := sort.Search(len(offs), func(i int) bool { return t-offs[i] <= 0 })
	c := float64(past) * l.ttftTable[len(l.ttftTable)-1]
	for _, off := range offs[past:none] {
		c += l.ttftTabled(t - off)
	}
	return c / float64(len(offs))
}

// offsetQuantile is the decode time at the u-quantile of the offsets.
func (l *Load) offsetQuantile(u float64) float64 {
	if l.decodeOffsets == nil {
		l.decodeOffsets = l.offsets()
	}
	return l.decodeOffsets[min(int(u*float64(len(l.decodeOffsets))), len(l.decodeOffsets)-1)]
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
	if q >= 1 {
		return out // every call writes one token
	}
	lq := math.Log1p(-q)
	for i := range out {
		u := (float64(i) + 0.5) / n
		o := math.Ceil(math.Log1p(-u) / lq) // the geometric's u-quantile
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
		top := solveFrom(l.TTFTCDF, 1-1e-7, l.r.StepBaseMs+l.r.prefillMs())
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

// ttftGrid is TTFTCDF at 0, h, 2h, … (n points), in one sweep: the busy
// law's starts and ends are passed in order rather than searched for.
func (l *Load) ttftGrid(h float64, n int) []float64 {
	r, b := l.r, l.busyLaw()
	pre := r.prefillMs()
	B := float64(r.MaxBatch)
	own := r.StepBaseMs + r.StepPerSeqMs*(B-1) + pre
	out := make([]float64, n)
	i, e := 0, 0
	for k := range out {
		t := float64(k) * h
		c := 0.0
		if len(b.startAt) > 0 {
			for i < len(b.startAt) && b.startAt[i] < t {
				i++
			}
			for e < len(b.endAt) && b.endAt[e] <= t {
				e++
			}
			c = b.endW[e] + t*(b.startSlope[i]-b.endSlope[e]) - (b.startOwn[i] - b.endOwn[e])
		}
		if t >= r.StepBaseMs+pre {
			c += l.idle
		}
		if l.tail > 0 {
			c += l.tail * expUniformCDF(t-own, l.tailExp, r.StepMs(B))
		}
		out[k] = c
	}
	return out
}

// decoding is the sequences decoding in a step when m run on average: all
// but those admitted at it (m ÷ out).
func (r *Replica) decoding(m float64) float64 { return m * (r.Output - 1) / r.Output }

// busyLaw is a busy replica's TTFT mixture. The prefills k a step
// carries are a Markov chain — a step carries the calls that arrived during
// the one before, k' ~ Poisson(λ·L(k)) with L(k) = a + b·d + k·P — whose
// stationary law, weighted by the steps' lengths, is what an arrival lands
// in; it then waits for the rest of that step and its own, which carries
// the j calls that arrived meanwhile (Poisson with mean λ·L(k)). Parts
// below 1e-12 are dropped.
func (r *Replica) busyLaw(lam, d, busy float64) busyLaw {
	if busy <= 0 {
		return busyLaw{}
	}
	const kmax = 64
	pre := r.prefillMs()
	a := r.StepBaseMs + r.StepPerSeqMs*d // a step's length before its prefills
	length := func(k int) float64 { return a + pre*float64(k) }
	// The Poisson rows, each once: row k is the law of the next step's
	// prefills, up to its mean + 3 and then while above 1e-15 (about
	// 8 deviations more; the buffer is sized for that at the longest row).
	n := r.stationaryStates(lam, a, pre, kmax)
	rows := make([][]float64, n)
	longest := lam * length(n)
	buf := make([]float64, 0, n*int(longest+8*math.Sqrt(longest)+20))
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
	pi := stationary(row, n)
	biased, sum := make([]float64, len(pi)), 0.0
	for k, w := range pi {
		biased[k] = w * length(k)
		sum += biased[k]
	}
	// Each part (k, j), of weight busy·biased(k)·P(j | k), into its start
	// bucket j and its end bucket j + k, each added one place on so that a
	// running sum in place makes the sums over the buckets before.
	first := a + pre // own at j = 0
	nS := 0
	for k := range pi {
		nS = max(nS, len(row(k)))
	}
	nE := len(pi) - 1 + nS
	store := make([]float64, nS+nE+2*(nS+1)+3*(nE+1)) // one allocation for the seven
	take := func(n int) []float64 { xs := store[:n:n]; store = store[n:]; return xs }
	law := busyLaw{startAt: take(nS), endAt: take(nE), startSlope: take(nS + 1), startOwn: take(nS + 1),
		endW: take(nE + 1), endSlope: take(nE + 1), endOwn: take(nE + 1)}
	for k, w := range biased {
		if w /= sum; w < 1e-12 {
			continue
		}
		L := length(k)
		for j, q := range row(k) {
			x := busy * w * q
			if x < 1e-12 {
				continue
			}
			own := first + pre*float64(j)
			law.startSlope[j+1] += x / L
			law.startOwn[j+1] += x * own / L
			law.endW[j+k+1] += x
			law.endSlope[j+k+1] += x / L
			law.endOwn[j+k+1] += x * own / L
		}
	}
	for j := range law.startAt {
		law.startAt[j] = first + pre*float64(j)
	}
	for s := range law.endAt {
		law.endAt[s] = first + a + pre*float64(s) // own of j plus the step of k, j + k = s
	}
	for _, xs := range [][]float64{law.startSlope, law.startOwn, law.endW, law.endSlope, law.endOwn} {
		for i := 1; i < len(xs); i++ {
			xs[i] += xs[i-1]
		}
	}
	return law
}

// stationaryStates is how many states of the prefills chain to solve for:
// it is a branching process with immigration (a step's k prefills each
// bring Poisson(λ·P) calls into the next, its base Poisson(λ·a)), whose
// stationary mean is λa ÷ (1 − λP) and variance the mean ÷ (1 − (λP)²);
// twelve deviations past the mean, at most kmax.
func (r *Replica) stationaryStates(lam, a, pre float64, kmax int) int {
	m := lam * pre
	if !(m < 1) {
		return kmax
	}
	mean := lam * a / (1 - m)
	n := mean + 12*math.Sqrt(mean/(1-m*m)) + 8
	if !(n < float64(kmax)) {
		return kmax
	}
	return int(n)
}

// stationary is the stationary law of the chain on 0 … n−1 whose row k
// is row(k) (mass beyond n dropped): the balance equations π = πP with
// one of them replaced by Σπ = 1, solved directly.
func stationary(row func(int) []float64, n int) []float64 {
	A := blas64.General{Rows: n, Cols: n, Stride: n, Data: make([]float64, n*n)}
	for k := range n {
		rk := row(k)
		for j, q := range rk[:min(len(rk), n)] {
			A.Data[j*n+k] = q // Pᵀ
		}
	}
	for j := range n {
		A.Data[j*n+j]--
		A.Data[(n-1)*n+j] = 1
	}
	pi := make([]float64, n)
	pi[n-1] = 1
	ipiv := make([]int, n)
	if !lapack64.Getrf(A, ipiv) { // singular: no law on these states
		return pi
	}
	lapack64.Getrs(blas.NoTrans, A, blas64.General{Rows: n, Cols: 1, Stride: 1, Data: pi}, ipiv)
	sum := 0.0
	for k := range pi {
		pi[k] = max(pi[k], 0) // round-off below zero in the far tail
		sum += pi[k]
	}
	for k := range pi {
		pi[k] /= sum
	}
	return pi
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

// solve is the t at which a CDF reaches q, to 0.01 %: bracketed by
// doubling from 1 ms, then narrowed (solveFrom).
func solve(cdf func(float64) float64, q float64) float64 { return solveFrom(cdf, q, 1) }

// solveFrom is solve bracketed from guess: doubling or halving from it
// until the CDF crosses q, then regula falsi in the Illinois form (the
// end that stays put has its value halved), every third step a bisection
// so the bracket at least halves. It returns the bracket's upper end,
// where the CDF has reached q, once the bracket is within 0.01 % of it.
func solveFrom(cdf func(float64) float64, q, guess float64) float64 {
	if !(guess > 0) || math.IsInf(guess, 1) {
		guess = 1
	}
	lo, hi := 0.0, guess
	flo, fhi := -q, cdf(hi)-q // the CDF is 0 at 0
	if fhi < 0 {
		for fhi < 0 && hi < 1e9 {
			lo, flo = hi, fhi
			hi *= 2
			fhi = cdf(hi) - q
		}
	} else {
		for hi > 1e-9 {
			f := cdf(hi/2) - q
			if f < 0 {
				lo, flo = hi/2, f
				break
			}
			hi, fhi = hi/2, f
		}
	}
	side := 0
	for i := 0; i < 100 && hi-lo > 1e-4*hi; i++ {
		x := (lo + hi) / 2
		if i%3 != 2 && fhi > flo {
			if y := (lo*fhi - hi*flo) / (fhi - flo); y > lo && y < hi {
				x = y
			}
		}
		if f := cdf(x) - q; f < 0 {
			lo, flo = x, f
			if side < 0 {
				fhi /= 2
			}
			side = -1
		} else {
			hi, fhi = x, f
			if side > 0 {
				flo /= 2
			}
			side = 1
		}
	}
	return hi
}
