package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/planner"
)

// Beyond the validation grid the JSON names the region and claims no error
// range, every hour there says why, and explain says the p99 was never
// measured there.
func TestJSONClaimsNoBandBeyondTheGrid(t *testing.T) {
	t.Parallel()
	p, err := planner.Parse([]byte(`{"format": 2, "name": "cv5", "start_date": "2027-01-01",
		"assumptions": {"node_hourly": 1, "node_rps": 25, "slots": 1, "service_ms": 40, "service_cv": 5, "target_utilization": 1, "min_nodes": 0},
		"phases": [{"name": "A", "days": 1, "calls_per_day": 648000, "scaling": "fixed", "nodes": 1}]}`))
	if err != nil {
		t.Fatal(err)
	}
	r := planner.Compute(p)
	var got struct {
		Phases []struct {
			Latency map[string]any   `json:"latency_budget"`
			Hours   []map[string]any `json:"hours"`
		} `json:"phases"`
	}
	if err := json.Unmarshal(JSON(&r, p), &got); err != nil {
		t.Fatal(err)
	}
	l := got.Phases[0].Latency
	if region, _ := l["validated_region"].(string); !strings.HasPrefix(region, "outside the validated grid: service CV 5") {
		t.Errorf("validated_region %v", l["validated_region"])
	}
	if _, ok := l["validated_error_low"]; ok {
		t.Errorf("an error band is claimed beyond the grid: %v to %v", l["validated_error_low"], l["validated_error_high"])
	}
	if n, _ := l["hours_outside_validated_grid"].(float64); n != 24 {
		t.Errorf("hours_outside_validated_grid %v, want 24", l["hours_outside_validated_grid"])
	}
	hours := got.Phases[0].Hours
	if len(hours) != 24 {
		t.Fatalf("%d hours", len(hours))
	}
	for _, h := range hours {
		if why, _ := h["outside_validated_grid"].(string); why != "service CV 5 is above the 2 validated" {
			t.Errorf("hour %v: outside_validated_grid %v", h["hour"], h["outside_validated_grid"])
		}
	}
	if words := Explain(p, &r); !strings.Contains(words, "no error band is claimed for the model's p99 there") || !strings.Contains(words, "Every hour with calls lies outside the validated grid (service CV 5 is above the 2 validated)") {
		t.Errorf("explain does not say the p99 is unmeasured:\n%s", words)
	}
}
