//go:build race

package ui

import "time"

// The race detector runs the model 10–20× slower (the seed's Compute, 3.6 ms
// plain, takes 40–70 ms), which would send every edit of a test down the
// asynchronous path that only TestSlowPlansRecomputeOffTheUIGoroutine means to
// take (it sets SlowCompute to 0 itself). The threshold scales with the
// slowdown, as planner's time bounds do (raceSlowdown).
func init() { SlowCompute = 20 * 40 * time.Millisecond }
