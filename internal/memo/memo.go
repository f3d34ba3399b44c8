// Package memo keeps what pure functions worked out, by their inputs.
package memo

import "sync"

// Limit is how many entries a Bounded holds before it empties.
const Limit = 8192

// Bounded is a memo safe for concurrent use, emptied when it holds Limit
// entries: what a pure function worked out, kept by its inputs. The zero
// Bounded is ready to use.
type Bounded[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]V
}

// Get is the value kept for k.
func (c *Bounded[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

// Put keeps v for k.
func (c *Bounded[K, V]) Put(k K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= Limit {
		c.m = make(map[K]V)
	}
	c.m[k] = v
}
