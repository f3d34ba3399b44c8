// Package simulate is scaleplan's second opinion on latency: a
// discrete-event simulation of the very queue the latency model describes,
// written independently of the model's formulas. Calls arrive as a Poisson
// stream, take the server that frees first (FCFS over c identical servers:
// a min-heap of the servers' next-free times is exact for this), and hold it
// for a service time drawn from a gamma distribution with the given mean and
// coefficient of variation (constant at CV 0).
//
// Quantiles come with 95 % confidence half-widths from batch means: the
// calls are cut into batches of consecutive calls, the quantile is taken in
// each, and the spread of the batch quantiles gives a Student-t interval.
package simulate

import (
	"container/heap"
	"math"
	"math/rand/v2"
	"slices"

	"gonum.org/v1/gonum/stat/distuv"
)

// Service is a service-time distribution: mean in seconds and coefficient of
// variation (0 for constant service).
type Service struct {
	MeanSec, CV float64
}

// sampler draws service times.
type sampler struct {
	mean float64
	g    distuv.Gamma
	det  bool
}

func newSampler(s Service, src rand.Source) sampler {
	if s.CV <= 0 {
		return sampler{mean: s.MeanSec, det: true}
	}
	k := 1 / (s.CV * s.CV)
	return sampler{mean: s.MeanSec, g: distuv.Gamma{Alpha: k, Beta: k / s.MeanSec, Src: src}}
}

func (s *sampler) draw() float64 {
	if s.det {
		return s.mean
	}
	return s.g.Rand()
}

// freeTimes is a min-heap of servers' next-free times.
type freeTimes []float64

func (h freeTimes) Len() int           { return len(h) }
func (h freeTimes) Less(i, j int) bool { return h[i] < h[j] }
func (h freeTimes) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *freeTimes) Push(x any)        { *h = append(*h, x.(float64)) }
func (h *freeTimes) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// queue is c servers and the clock of the last arrival.
type queue struct {
	free freeTimes
	rng  *rand.Rand
	svc  sampler
	t    float64
}

// newQueue is c idle servers at time t0.
func newQueue(c int64, svc Service, seed uint64, t0 float64) *queue {
	src := rand.NewPCG(seed, 0x5ca1e91a)
	q := &queue{rng: rand.New(src), svc: newSampler(svc, rand.NewPCG(seed^0x9e3779b97f4a7c15, 0x51d)), t: t0}
	q.resize(c, t0)
	return q
}

// resize sets the pool to c servers at time t. Servers that leave are the
// ones that free first: an idle server leaves at once, a busy one after the
// call it holds (its call was already given its end time).
func (q *queue) resize(c int64, t float64) {
	for int64(len(q.free)) > c {
		heap.Pop(&q.free)
	}
	for int64(len(q.free)) < c {
		heap.Push(&q.free, t)
	}
}

// arrive is one call at time t: it returns the call's wait and service time.
func (q *queue) arrive(t float64) (wait, service float64) {
	free := q.free[0]
	start := math.Max(t, free)
	service = q.svc.draw()
	q.free[0] = start + service
	heap.Fix(&q.free, 0)
	return start - t, service
}

// Estimate is a quantile with its 95 % confidence half-width, in seconds.
type Estimate struct {
	Value, Half float64
}

// RelHalf is the half-width relative to the value.
func (e Estimate) RelHalf() float64 {
	if e.Value == 0 {
		return 0
	}
	return e.Half / e.Value
}

// batchQuantile estimates the q-quantile of xs (which it reorders) from its
// batches: the point estimate over all of xs, the half-width from the batch
// quantiles' spread.
func batchQuantile(xs []float64, batches int, q float64) Estimate {
	n := len(xs)
	if n == 0 {
		return Estimate{Value: math.NaN(), Half: math.NaN()}
	}
	if batches < 2 || n < 2*batches {
		return Estimate{Value: quantileOf(xs, q), Half: math.NaN()}
	}
	size := n / batches
	per := make([]float64, batches)
	for b := range per {
		part := slices.Clone(xs[b*size : (b+1)*size])
		per[b] = quantileOf(part, q)
	}
	return Estimate{Value: quantileOf(xs, q), Half: halfWidth(per)}
}

// halfWidth is the 95 % Student-t half-width of the mean of xs.
func halfWidth(xs []float64) float64 {
	n := float64(len(xs))
	mean, ss := 0.0, 0.0
	for _, x := range xs {
		mean += x
	}
	mean /= n
	for _, x := range xs {
		ss += (x - mean) * (x - mean)
	}
	sd := math.Sqrt(ss / (n - 1))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile(0.975)
	return t * sd / math.Sqrt(n)
}

// quantileOf is the q-quantile of xs (reordered in place): the order
// statistic at rank ceil(q·n), as a sample quantile of the "inverse of the
// empirical distribution" kind.
func quantileOf(xs []float64, q float64) float64 {
	k := int(math.Ceil(q*float64(len(xs)))) - 1
	k = max(0, min(len(xs)-1, k))
	return selectK(xs, k)
}

// selectK returns the k-th smallest element of xs (0-based), reordering xs:
// Hoare's selection with a median-of-three pivot, linear on average.
func selectK(xs []float64, k int) float64 {
	lo, hi := 0, len(xs)-1
	for lo < hi {
		mid := lo + (hi-lo)/2
		if xs[mid] < xs[lo] {
			xs[mid], xs[lo] = xs[lo], xs[mid]
		}
		if xs[hi] < xs[lo] {
			xs[hi], xs[lo] = xs[lo], xs[hi]
		}
		if xs[hi] < xs[mid] {
			xs[hi], xs[mid] = xs[mid], xs[hi]
		}
		pivot := xs[mid]
		i, j := lo, hi
		for i <= j {
			for xs[i] < pivot {
				i++
			}
			for xs[j] > pivot {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return xs[k]
		}
	}
	return xs[k]
}
