package simulate

import (
	mgc "github.com/scaleplan/scaleplan/planner/queue"
)

// The validation grid of the latency model (docs/model.md, "Validation"):
// utilization × servers × service CV, each point a stationary M/G/c queue
// with a 1-second mean service time (the model scales with it).
// Its corners are mgc.GridMinUtilization … GridMaxCV.
var (
	GridUtilization = []float64{0.05, 0.1, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95}
	GridServers     = []int64{1, 2, 5, 10, 20, 40, 100, 1000}
	GridCV          = []float64{0, 0.5, 1, 2}
	// Beyond the grid, to every input a plan accepts (CV to 10, utilization
	// to 0.99): measured and shown, but too far off or too noisy for a band
	// to be claimed, so hours there are marked outside the validated grid.
	BeyondUtilization = []float64{0.99}
	BeyondCV          = []float64{3, 5, 10}
)

// GridPoint is one point of the grid, measured.
type GridPoint struct {
	Utilization float64
	Servers     int64
	CV          float64
	ModelP99    float64 // seconds, wait + service
	Sim         StationaryResult
	Err         float64 // model ÷ simulation − 1
	Band        *mgc.Band
	Within      bool
}

// Measure simulates one grid point until the p99's 95 % half-width is under
// rel of its value or maxCalls calls, and sets the model beside it.
func Measure(u float64, c int64, cv float64, seed uint64, rel float64, maxCalls int) GridPoint {
	lambda := u * float64(c) // per second, with a 1 s mean service time
	_, p99ms, _, _ := mgc.Latency(c, lambda, 1000, cv)
	sim := Stationary{Servers: c, Lambda: lambda, Service: Service{MeanSec: 1, CV: cv}}.RunUntil(seed, rel, 200_000, maxCalls)
	g := GridPoint{Utilization: u, Servers: c, CV: cv, ModelP99: p99ms / 1000, Sim: sim, Band: mgc.BandOf(c, u, cv)}
	g.Err = g.ModelP99/sim.P99.Value - 1
	g.Within = Within(g.Err, sim.P99.RelHalf(), g.Band)
	return g
}
