//go:build race

package plantest

// RaceSlowdown is how much slower the race detector runs the model: time
// and draw bounds in tests are that much looser.
const RaceSlowdown = 10
