package planner

// Band is how far the latency model's p99 strays from the simulator's in a
// region of operating points, as measured by the validation grid
// (docs/model.md, "Validation"; `make validate-latency` re-measures it).
// Low and High are relative errors, model ÷ simulation − 1.
type Band struct {
	Region    string
	Low, High float64
}

// Bands lists the regions in the order they are matched; the last one
// covers every other point of the grid.
var Bands = []Band{
	// M/D/1-like queues at low load: the real wait of a nearly constant
	// service time is far from exponential, and the model, which treats it
	// as exponential, is high (on the safe side).
	{Region: "one or two servers, service CV ≤ 0.5, utilization ≤ 0.6", Low: -0.05, High: 0.22},
	// Near saturation the p99 is very sensitive to load; the simulator's own
	// 95 % interval there is about ±9 % at 4 million calls.
	{Region: "utilization above 0.9", Low: -0.10, High: 0.10},
	{Region: "everywhere else on the grid", Low: -0.10, High: 0.10},
}

// BandOf is the band of the region a queue of c servers at utilization u
// with service CV cv is in.
func BandOf(c int64, u, cv float64) *Band {
	switch {
	case c <= 2 && cv <= 0.5 && u <= 0.6:
		return &Bands[0]
	case u > 0.9:
		return &Bands[1]
	}
	return &Bands[2]
}

// Wide reports whether the band is wider than the ±10 % the model meets on
// most of the grid, so explain should quote it.
func (b *Band) Wide() bool { return b != nil && (b.High > 0.10 || b.Low < -0.10) }
