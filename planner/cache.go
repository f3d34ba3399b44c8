package planner

import (
	"sync"

	"github.com/scaleplan/scaleplan/planner/queue"
)

// The latency figures of a phase depend only on its latency inputs, its
// hourly pools and loads, and the p99 target. Recomputing a plan after an
// edit leaves most phases' inputs as they were, so their figures are kept
// in a Cache and reused: an edit pays for the phases it changes.

// Cache keeps phases' latency figures across computes. Its owner holds it
// (the app's document, a risk run); Compute uses one of its own for the
// one computation. It is bounded (emptied when full) and safe for
// concurrent computes. The zero Cache is ready to use.
type Cache struct {
	day  boundedCache[dayKey, Latency]
	need boundedCache[needKey, needVal]
	svc  boundedCache[[2]float64, queue.Service] // by mean seconds and CV
}

// service is the service-time distribution of that mean and CV: its gamma
// quantiles are costly, and a plan asks for the same one over and over
// (every re-sizing of a break-even search).
func (c *Cache) service(meanSec, cv float64) queue.Service {
	k := [2]float64{meanSec, cv}
	if s, ok := c.svc.get(k); ok {
		return s
	}
	s := queue.NewService(meanSec, cv)
	c.svc.put(k, s)
	return s
}

// Compute is Compute with the figures c already holds, adding those it works out.
func (c *Cache) Compute(p Plan) Result { return computePlan(p, latencyFull, c) }

const cacheLimit = 8192

type dayKey struct {
	m      latencyModel
	nodes  [24]int64
	load   [24]float64
	target Opt[float64]
	in     [4]float64 // network, pre, post, CV as the figures report them
	mode   dayMode
}

type needKey struct {
	m      latencyModel
	load   [24]float64
	target float64
}

type needVal struct {
	need [24]int64
	why  string
}

type boundedCache[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]V
}

func (c *boundedCache[K, V]) get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *boundedCache[K, V]) put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= cacheLimit {
		c.m = make(map[K]V)
	}
	c.m[k] = v
}
