package planner

import (
	"math"
	"strings"
	"testing"
)

// The point: one node of one slot, 40 ms at CV 5, 7.5 req/s (ρ 0.3).
// The simulator gives a p99 about 12 % above the model's; the JSON and the
// words must not claim the ±10 % of the grid for it, and every hour with
// calls is marked.
func TestAnHourBeyondTheGridIsMarkedNotBanded(t *testing.T) {
	t.Parallel()
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
