//go:build !race

package planner

const raceSlowdown = 1
