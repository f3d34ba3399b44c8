//go:build race

package planner

// raceSlowdown is how much slower the race detector runs the parser: time
// bounds that guard against a quadratic parse are that much looser.
const raceSlowdown = 10
