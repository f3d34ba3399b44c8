package loadtest

import (
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/compare"
)

func measuredSeed(t *testing.T, target Target) planner.Plan {
	t.Helper()
	p := loadSeed(t)
	b := importOne(t, "profile_export_aiperf.json", Options{Plan: &p, Target: target})
	q, err := Apply(p, &b, target, planner.NewDate(2026, 11, 26))
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// An import records each input it set by path, and the record survives a
// save and a load, format 2.
func TestMeasuredInputsKeepTheirSource(t *testing.T) {
	t.Parallel()
	q := measuredSeed(t, Target{Phase: 1})
	if len(q.Measured) != 4 {
		t.Fatalf("%d records, want one for each of node_rps, slots, service_ms and service_cv", len(q.Measured))
	}
	m, ok := q.MeasurementAt("phases[Phase 1].service_cv")
	if !ok || m.Imported != planner.NewDate(2026, 11, 26) || len(m.Files) != 1 || m.Files[0].Tool != ToolAIPerf || m.Files[0].RunDate != "2025-10-17" {
		t.Fatalf("record %+v", m)
	}
	if w := q.Provenance("assumptions.node_rps"); w != "" {
		t.Errorf("the default was not measured, yet its provenance says %q", w)
	}
	out := planner.Marshal(q)
	r, err := planner.Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(planner.Marshal(r)) != string(out) || !strings.Contains(string(out), `"path": "phases[Phase 1].node_rps"`) {
		t.Errorf("the records did not round-trip:\n%s", out)
	}
	d := measuredSeed(t, Target{Phase: -1})
	if w := d.Provenance("assumptions.slots"); !strings.Contains(w, "measured: AIPerf profile_export_aiperf.json (SHA-256 ") || !strings.Contains(w, "imported 2026-11-26") {
		t.Errorf("provenance %q", w)
	}
}

// Typing a value, resetting the override or deleting the phase forgets the
// source; renaming the phase carries it along.
func TestMeasuredRecordsFollowEdits(t *testing.T) {
	t.Parallel()
	q := measuredSeed(t, Target{Phase: 1})
	typed, err := planner.SetInputText(q, 1, "node_rps", "12")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := typed.MeasurementAt("phases[Phase 1].node_rps"); ok || len(typed.Measured) != 3 {
		t.Errorf("a typed value kept its measurement: %d records", len(typed.Measured))
	}
	if reset := planner.ResetOverride(q, 1, "slots"); len(reset.Measured) != 3 {
		t.Errorf("a reset kept its measurement: %d records", len(reset.Measured))
	}
	renamed, err := planner.SetInput(q, 1, planner.KeyName, "Launch")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := renamed.MeasurementAt("phases[Launch].slots"); !ok {
		t.Errorf("the records did not follow the rename: %+v", renamed.Measured)
	}
	gone, err := planner.DeletePhase(q, 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(gone.Measured) != 0 {
		t.Errorf("the records outlived their phase: %+v", gone.Measured)
	}
}

func TestMeasuredRecordsAreCheckedByPath(t *testing.T) {
	t.Parallel()
	good := `"files": [{"tool": "AIPerf", "file": "a.json", "sha256": "` + strings.Repeat("a", 64) + `"}]`
	for rec, want := range map[string]string{
		`{"path": "variants[huge].node_rps", "imported": "2026-11-26", ` + good + `}`:                                     `measured[0].path: no variant is named "huge"`,
		`{"path": "assumptions.node_hourly", "imported": "2026-11-26", ` + good + `}`:                                     "measured[0].path: must name a measured input (node_rps, slots, service_ms, service_cv, decode_step_ms.base, decode_step_ms.per_seq, prefill_tokens_per_s)",
		`{"path": "assumptions.slots", "imported": "2026-11-26", "files": []}`:                                            "measured[0].files: must list the load-test files",
		`{"path": "assumptions.slots", "imported": "2026-11-26", "files": [{"tool": "x", "file": "y", "sha256": "abc"}]}`: "measured[0].files[0].sha256: must be a SHA-256 in 64 lowercase hex digits",
	} {
		doc := `{"format": 2, "name": "x", "start_date": "2027-01-04", "assumptions": {"node_hourly": 1, "node_rps": 1, "target_utilization": 1},
		  "measured": [` + rec + `], "phases": [{"name": "P", "days": 1, "calls_per_day": 1, "scaling": "fixed"}]}`
		if _, err := planner.Parse([]byte(doc)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", rec, err, want)
		}
	}
}

// diff lists the measured values that changed, not where they came from.
func TestDiffShowsMeasuredValuesNotTheirRecords(t *testing.T) {
	t.Parallel()
	a := loadSeed(t)
	b := measuredSeed(t, Target{Phase: -1})
	ra, rb := planner.Compute(a), planner.Compute(b)
	d := compare.Plans(a, &ra, b, &rb)
	var paths []string
	for _, c := range d.Inputs {
		paths = append(paths, c.Path)
		if strings.HasPrefix(c.Path, "measured") {
			t.Errorf("diff lists %s", c.Path)
		}
	}
	if !strings.Contains(strings.Join(paths, " "), "assumptions.node_rps") {
		t.Errorf("diff misses the measured node_rps: %v", paths)
	}
}
