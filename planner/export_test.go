package planner

// ResetCaches empties the latency caches, as on opening a plan: for the
// external benchmarks of a cold compute.
func ResetCaches() { dayCache.m, needCache.m = nil, nil }
