package queue

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
)

// Band is how far the latency model's p99 strays from the simulator's in a
// region of operating points, as measured by the validation grid
// (docs/model.md, "Validation"; `make validate-latency` re-measures it).
// Low and High are relative errors, model ÷ simulation − 1. An Unmeasured
// band is a point outside the grid: it has no error range to claim.
type Band struct {
	Region     string
	Low, High  float64
	Unmeasured bool
}

// The corners of the validation grid (simulate.GridUtilization,
// GridServers and GridCV; a test there keeps them equal). Below the lowest
// utilization the model and the simulator share one limit — no call waits,
// and the p99 is the gamma service time's own (a closed-form test pins it) —
// so the grid's bands hold down to no load. Past the other corners the
// simulator was run too (utilization 0.99, service CV 3 to 10; docs/model.md)
// and the model strayed by −28 % to +200 %, or the simulation itself could
// not pin the p99 within ±10 %: no band is claimed there.
const (
	GridMinUtilization       = 0.05
	GridMaxUtilization       = 0.95
	GridMaxServers     int64 = 1000
	GridMaxCV                = 2.0
)

// Bands lists the measured regions in the order they are matched; the last
// one covers every other point of the grid.
var Bands = []Band{
	// M/D/1-like queues at low load: the real wait of a nearly constant
	// service time is far from exponential, and the model, which treats it
	// as exponential, is mostly high (on the safe side).
	{Region: "one or two servers, service CV ≤ 0.5, utilization ≤ 0.6", Low: -0.10, High: 0.22},
	// Near saturation the p99 is very sensitive to load; the simulator's own
	// 95 % interval there is about ±9 % at 4 million calls.
	{Region: "utilization above 0.9", Low: -0.10, High: 0.10},
	{Region: "everywhere else on the grid", Low: -0.10, High: 0.10},
}

// OutsideGrid says, in words, how a queue of c servers at utilization u
// with service CV cv lies outside the validation grid; "" inside it.
func OutsideGrid(c int64, u, cv float64) string {
	var why []string
	if cv > GridMaxCV {
		why = append(why, fmt.Sprintf("service CV %s is above the %s validated", gfloat(cv, 2), gfloat(GridMaxCV, 2)))
	}
	if u > GridMaxUtilization {
		why = append(why, fmt.Sprintf("utilization %s is above the %s validated", gfloat(u, 4), gfloat(GridMaxUtilization, 2)))
	}
	if c > GridMaxServers {
		why = append(why, fmt.Sprintf("%s servers are more than the %s validated", format.Count(c), format.Count(GridMaxServers)))
	}
	return strings.Join(why, "; ")
}

// BandOf is the band of the region a queue of c servers at utilization u
// with service CV cv is in: an Unmeasured band, saying why, outside the grid.
func BandOf(c int64, u, cv float64) *Band {
	if why := OutsideGrid(c, u, cv); why != "" {
		return &Band{Region: "outside the validated grid: " + why, Unmeasured: true}
	}
	switch {
	case c <= 2 && cv <= 0.5 && u <= 0.6:
		return &Bands[0]
	case u > 0.9:
		return &Bands[1]
	}
	return &Bands[2]
}

// Wide reports whether the band is wider than the ±10 % the model meets on
// most of the grid, or unmeasured, so explain should quote it.
func (b *Band) Wide() bool {
	return b != nil && (b.Unmeasured || b.High > 0.10 || b.Low < -0.10)
}

// gfloat is x to at most places decimals, trailing zeros trimmed.
func gfloat(x float64, places int32) string {
	return format.Trim(decimal.NewFromFloat(x).Round(places))
}
