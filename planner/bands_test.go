package planner

import (
	"math"
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/planner/queue"

	"gonum.org/v1/gonum/stat/distuv"
)

// With no load no call waits, so the model's p99 is the gamma service
// time's own 99th percentile: a closed form the simulator shares. This is
// what carries the grid's bands from its lowest utilization down to none.
func TestLatencyAtNoLoadIsTheServiceTimesOwnQuantile(t *testing.T) {
	for _, c := range []int64{1, 2, 5, 10, 100, 1000} {
		for _, cv := range []float64{0, 0.25, 0.5, 1, 2} {
			want := 1000.0 // a constant service time
			if cv > 0 {
				k := 1 / (cv * cv)
				want = 1000 * distuv.Gamma{Alpha: k, Beta: k}.Quantile(0.99)
			}
			_, p99, _, ok := queue.Latency(c, 1e-7*float64(c), 1000, cv)
			if !ok || math.Abs(p99/want-1) > 1e-3 {
				t.Errorf("c %d, CV %g: p99 %.3f ms at no load, want the service time's %.3f", c, cv, p99, want)
			}
		}
	}
}

func TestBandOfClaimsNoBandBeyondTheGrid(t *testing.T) {
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

// The point: one node of one slot, 40 ms at CV 5, 7.5 req/s (ρ 0.3).
// The simulator gives a p99 about 12 % above the model's; the JSON and the
// words must not claim the ±10 % of the grid for it, and every hour with
// calls is marked.
func TestAnHourBeyondTheGridIsMarkedNotBanded(t *testing.T) {
	p, err := Parse([]byte(`{"format": 2, "name": "cv5", "start_date": "2027-01-01",
		"assumptions": {"node_hourly": 1, "node_rps": 25, "slots": 1, "service_ms": 40, "service_cv": 5, "target_utilization": 1, "min_nodes": 0},
		"phases": [{"name": "A", "days": 1, "calls_per_day": 648000, "scaling": "fixed", "nodes": 1}]}`))
	if err != nil {
		t.Fatal(err)
	}
	l := Compute(p).Phases[0].Latency
	w := l.Worst()
	if math.Abs(w.Utilization-0.3) > 1e-9 || w.Servers != 1 {
		t.Fatalf("worst hour ρ %v on %d servers, want 0.3 on 1", w.Utilization, w.Servers)
	}
	if l.Band == nil || !l.Band.Unmeasured || !strings.Contains(l.Band.Region, "service CV 5 is above the 2 validated") {
		t.Errorf("band %+v, want unmeasured, naming the CV", l.Band)
	}
	if l.HoursOutside != 24 || w.Outside == "" || !strings.HasPrefix(l.OutsideWords(), "Every hour with calls lies outside the validated grid (service CV 5") {
		t.Errorf("%d hours outside, worst %q, words %q", l.HoursOutside, w.Outside, l.OutsideWords())
	}
}
