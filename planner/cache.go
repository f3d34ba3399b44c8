package planner

import "sync"

// The latency figures of a phase depend only on its latency inputs, its
// hourly pools and loads, and the p99 target. Recomputing a plan after an
// edit leaves most phases' inputs as they were, so their figures are kept
// here and reused: an edit pays for the phases it changes. The caches are
// bounded (emptied when full) and safe for concurrent Computes.

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

var (
	dayCache  boundedCache[dayKey, Latency]
	needCache boundedCache[needKey, needVal]
)
