package simulate

import (
	"math"

	"gonum.org/v1/gonum/stat"
)

// Batches is how many batches of consecutive calls the confidence intervals
// are built from.
const Batches = 20

// Stationary is one queue at a constant arrival rate: the setting of the
// closed forms and of the model's validation grid.
type Stationary struct {
	Servers int64
	Lambda  float64 // arrivals per second
	Service Service
}

// StationaryResult is what a stationary run measured, in seconds.
type StationaryResult struct {
	Calls    int
	MeanWait Estimate // E[W]
	WaitProb Estimate // P(W > 0)
	P50, P99 Estimate // quantiles of W + S
	// MeanLatency and StdLatency are the mean and standard deviation of
	// W + S, as a load test reports them.
	MeanLatency, StdLatency float64
}

// Run simulates calls calls after warmup discarded ones.
func (s Stationary) Run(seed uint64, warmup, calls int) StationaryResult {
	r := stationaryRun{cfg: s, q: newQueue(s.Servers, s.Service, seed, 0)}
	r.step(warmup, false)
	r.step(calls, true)
	return r.result()
}

// RunUntil simulates in growing stretches until the p99's 95 % half-width is
// under rel of its value or maxCalls calls have been measured.
func (s Stationary) RunUntil(seed uint64, rel float64, minCalls, maxCalls int) StationaryResult {
	r := stationaryRun{cfg: s, q: newQueue(s.Servers, s.Service, seed, 0)}
	// Warm up for as long as the queue takes to forget its empty start:
	// many mean busy periods at high load.
	rho := s.Lambda * s.Service.MeanSec / float64(s.Servers)
	warm := int(math.Min(2e5, 2000/math.Max(1e-3, (1-rho)*(1-rho))))
	r.step(warm, false)
	n := minCalls
	for {
		r.step(n-len(r.lat), true)
		res := r.result()
		if res.P99.RelHalf() < rel || len(r.lat) >= maxCalls {
			return res
		}
		n = min(2*n, maxCalls)
	}
}

type stationaryRun struct {
	cfg  Stationary
	q    *queue
	lat  []float64 // W + S of each measured call
	wait []float64
}

func (r *stationaryRun) step(n int, keep bool) {
	for i := 0; i < n; i++ {
		r.q.t += r.q.rng.ExpFloat64() / r.cfg.Lambda
		w, s := r.q.arrive(r.q.t)
		if keep {
			r.lat = append(r.lat, w+s)
			r.wait = append(r.wait, w)
		}
	}
}

func (r *stationaryRun) result() StationaryResult {
	out := StationaryResult{Calls: len(r.lat)}
	size := len(r.wait) / Batches
	means, probs := make([]float64, Batches), make([]float64, Batches)
	total, waited := 0.0, 0
	for b := 0; b < Batches; b++ {
		sum, cnt := 0.0, 0
		for _, w := range r.wait[b*size : (b+1)*size] {
			sum += w
			if w > 0 {
				cnt++
			}
		}
		means[b], probs[b] = sum/float64(size), float64(cnt)/float64(size)
	}
	for _, w := range r.wait {
		total += w
		if w > 0 {
			waited++
		}
	}
	n := float64(len(r.wait))
	out.MeanWait = Estimate{total / n, halfWidth(means)}
	out.WaitProb = Estimate{float64(waited) / n, halfWidth(probs)}
	out.MeanLatency, out.StdLatency = stat.MeanStdDev(r.lat, nil)
	lat := append([]float64(nil), r.lat...)
	out.P50 = batchQuantile(lat, Batches, 0.5)
	lat = append(lat[:0], r.lat...)
	out.P99 = batchQuantile(lat, Batches, 0.99)
	return out
}

// Hour is one hour of a simulated day: the load the pool serves and the
// number of servers (nodes × slots) it has.
type Hour struct {
	LoadRPS float64
	Servers int64
}

// HourStat is what one simulated hour measured, in seconds of W + S.
type HourStat struct {
	Calls    int
	P50, P99 Estimate
}

// DayResult is a simulated day: every hour, and the day's calls together.
type DayResult struct {
	Hours    [24]HourStat
	Calls    int
	P50, P99 Estimate
}

// DayBatches is how many batches each hour is cut into; the day's batch j
// gathers the j-th batch of every hour, so each is a small copy of the day.
const DayBatches = 10

// Day simulates a typical day hour by hour: Poisson arrivals at each hour's
// load, the hour's pool of servers (resized at the hour boundary, a leaving
// server finishing its call first). It starts from the state the day's last
// hour leaves (that hour is run once first and discarded), so 00:00 is not
// judged on an empty system. progress, if set, is told the share done after
// each hour. The same seed gives the same result.
func Day(hours [24]Hour, svc Service, seed uint64, progress func(float64)) DayResult {
	d, _ := dayStop(hours, svc, seed, progress, nil)
	return d
}

// dayStop is Day that gives up, ok false, once stop returns true; stop is
// asked every 65,536 calls.
func dayStop(hours [24]Hour, svc Service, seed uint64, progress func(float64), stop func() bool) (DayResult, bool) {
	q := newQueue(hours[23].Servers, svc, seed, -3600)
	var lat [24][]float64
	total := 0.0
	for _, h := range hours {
		total += h.LoadRPS * 3600
	}
	done := 0.0
	calls := 0 // arrivals so far, warm-up included: stop is asked every 4,096
	for pass := -1; pass < 24; pass++ {
		h := pass
		if pass < 0 {
			h = 23 // warm-up: yesterday's last hour
		}
		start := float64(pass) * 3600
		end := start + 3600
		q.resize(hours[h].Servers, start)
		q.t = start
		lambda := hours[h].LoadRPS
		if lambda <= 0 {
			continue
		}
		if hours[h].Servers <= 0 {
			continue // nobody to serve: the model sends these calls to batch
		}
		var xs []float64
		if pass >= 0 {
			xs = make([]float64, 0, int(lambda*3600*1.01)+16)
		}
		for {
			q.t += q.rng.ExpFloat64() / lambda
			if q.t >= end {
				break
			}
			w, s := q.arrive(q.t)
			if pass >= 0 {
				xs = append(xs, w+s)
			}
			if calls++; stop != nil && calls&0xfff == 0 && stop() {
				return DayResult{}, false
			}
		}
		if pass >= 0 {
			lat[h] = xs
			done += lambda * 3600
			if progress != nil && total > 0 {
				progress(math.Min(1, done/total))
			}
		}
	}
	return summarize(&lat), true
}

// summarize turns each hour's latencies into quantiles with half-widths.
// Quantiles are taken by selection, in place, so the day's millions of
// calls are copied once: into a buffer laid out as the day's batches (the
// j-th tenth of every hour, side by side), then the hours' remainders.
func summarize(lat *[24][]float64) DayResult {
	var out DayResult
	for h := range lat {
		out.Hours[h].Calls = len(lat[h])
		out.Calls += len(lat[h])
	}
	all := make([]float64, 0, out.Calls)
	var bounds [DayBatches + 1]int
	for b := 0; b < DayBatches; b++ {
		bounds[b] = len(all)
		for h := range lat {
			size := len(lat[h]) / DayBatches
			all = append(all, lat[h][b*size:(b+1)*size]...)
		}
	}
	bounds[DayBatches] = len(all)
	for h := range lat {
		size := len(lat[h]) / DayBatches
		all = append(all, lat[h][DayBatches*size:]...)
	}
	for h := range lat {
		out.Hours[h].P50, out.Hours[h].P99 = estimates(lat[h], len(lat[h])/DayBatches)
	}
	if out.Calls == 0 {
		return out
	}
	var p50s, p99s []float64
	for b := 0; b < DayBatches; b++ {
		if part := all[bounds[b]:bounds[b+1]]; len(part) > 0 {
			lo, hi := quantilePair(part)
			p50s, p99s = append(p50s, lo), append(p99s, hi)
		}
	}
	lo, hi := quantilePair(all)
	out.P50, out.P99 = Estimate{Value: lo, Half: math.NaN()}, Estimate{Value: hi, Half: math.NaN()}
	if len(p50s) >= 2 {
		out.P50.Half, out.P99.Half = halfWidth(p50s), halfWidth(p99s)
	}
	return out
}

// estimates is the p50 and p99 of xs with half-widths from its batches of
// size consecutive calls; it reorders xs.
func estimates(xs []float64, size int) (p50, p99 Estimate) {
	if len(xs) == 0 {
		return Estimate{Value: math.NaN(), Half: math.NaN()}, Estimate{Value: math.NaN(), Half: math.NaN()}
	}
	p50.Half, p99.Half = math.NaN(), math.NaN()
	if size >= 2 {
		var lo, hi []float64
		for b := 0; b < DayBatches; b++ {
			l, h := quantilePair(xs[b*size : (b+1)*size])
			lo, hi = append(lo, l), append(hi, h)
		}
		p50.Half, p99.Half = halfWidth(lo), halfWidth(hi)
	}
	p50.Value, p99.Value = quantilePair(xs)
	return p50, p99
}

// quantilePair is the median and the 99th percentile of xs, reordering it:
// after the median is selected, the 99th percentile lies above it.
func quantilePair(xs []float64) (p50, p99 float64) {
	n := len(xs)
	k50 := max(0, int(math.Ceil(0.5*float64(n)))-1)
	k99 := max(0, int(math.Ceil(0.99*float64(n)))-1)
	p50 = selectK(xs, k50)
	if k99 == k50 {
		return p50, p50
	}
	return p50, selectK(xs[k50+1:], k99-k50-1)
}
