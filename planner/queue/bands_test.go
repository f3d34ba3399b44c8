package queue

import (
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
)

// With no load no call waits, so the model's p99 is the gamma service
// time's own 99th percentile: a closed form the simulator shares. This is
// what carries the grid's bands from its lowest utilization down to none.
func TestLatencyAtNoLoadIsTheServiceTimesOwnQuantile(t *testing.T) {
	t.Parallel()
	for _, c := range []int64{1, 2, 5, 10, 100, 1000} {
		for _, cv := range []float64{0, 0.25, 0.5, 1, 2} {
			want := 1000.0 // a constant service time
			if cv > 0 {
				k := 1 / (cv * cv)
				want = 1000 * distuv.Gamma{Alpha: k, Beta: k}.Quantile(0.99)
			}
			_, p99, _, ok := Latency(c, 1e-7*float64(c), 1000, cv)
			if !ok || math.Abs(p99/want-1) > 1e-3 {
				t.Errorf("c %d, CV %g: p99 %.3f ms at no load, want the service time's %.3f", c, cv, p99, want)
			}
		}
	}
}

func TestBandOfClaimsNoBandBeyondTheGrid(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		c      int64
		u, cv  float64
		region string // "" for a measured band
	}{
		{1, 0.01, 0, ""},
		{1000, 0.95, 2, ""},
		{1, 0.3, 5, "outside the validated grid: service CV 5 is above the 2 validated"},
		{10, 0.97, 1, "outside the validated grid: utilization 0.97 is above the 0.95 validated"},
		{1001, 0.5, 1, "outside the validated grid: 1,001 servers are more than the 1,000 validated"},
		{2000, 0.99, 3, "outside the validated grid: service CV 3 is above the 2 validated; utilization 0.99 is above the 0.95 validated; 2,000 servers are more than the 1,000 validated"},
	} {
		b := BandOf(c.c, c.u, c.cv)
		switch {
		case c.region == "" && b.Unmeasured:
			t.Errorf("c %d, ρ %g, CV %g is on the grid, got %q", c.c, c.u, c.cv, b.Region)
		case c.region != "" && (!b.Unmeasured || b.Region != c.region || !b.Wide()):
			t.Errorf("c %d, ρ %g, CV %g: %+v, want unmeasured %q", c.c, c.u, c.cv, b, c.region)
		}
	}
}
