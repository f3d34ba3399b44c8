package planner

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSetInputAcceptsWhatPeopleType(t *testing.T) {
	t.Parallel()
	p := loadSeed(t)
	cases := []struct {
		phase     int
		key, text string
		check     func(q Plan) bool
	}{
		{1, KeyCallsPerDay, "2,500,000", func(q Plan) bool { return q.Phases[1].CallsPerDay == 2_500_000 }},
		{1, KeyCallsPerDay, "3M", func(q Plan) bool { return q.Phases[1].CallsPerDay == 3_000_000 }},
		{0, KeyDays, "120", func(q Plan) bool { return q.Phases[0].Days == 120 }},
		{2, KeyNodes, "auto", func(q Plan) bool { return !q.Phases[2].Nodes.Valid }},
		{0, KeyNodes, "4", func(q Plan) bool { return q.Phases[0].Nodes == Some[int64](4) }},
		{0, KeyScaling, "Predictive", func(q Plan) bool { return q.Phases[0].Scaling == Predictive }},
		{PlanDefault, "target_utilization", "65%", func(q Plan) bool { return q.Assumptions.TargetUtilization.Equal(dec("0.65")) }},
		{PlanDefault, "node_hourly", "$5.50", func(q Plan) bool { return q.Assumptions.NodeHourly.Equal(dec("5.5")) }},
		{PlanDefault, KeyMinUtilization, "", func(q Plan) bool { return !q.SLO.MinUtilization.Valid }},
		{PlanDefault, KeyMaxCostPerCall, "0.02", func(q Plan) bool { return q.SLO.MaxCostPerCall.Val.Equal(dec("0.02")) }},
		// An assumption edited in a phase becomes that phase's override only.
		{2, "node_hourly", "4.10", func(q Plan) bool {
			return q.Phases[2].Overrides.Has("node_hourly") && q.Effective(2).NodeHourly.Equal(dec("4.1")) &&
				q.Effective(1).NodeHourly.Equal(dec("6.88"))
		}},
	}
	for _, c := range cases {
		q, err := SetInput(p, c.phase, c.key, c.text)
		if err != nil {
			t.Errorf("%s = %q in phase %d: %v", c.key, c.text, c.phase, err)
			continue
		}
		if !c.check(q) {
			t.Errorf("%s = %q in phase %d did not take effect", c.key, c.text, c.phase)
		}
	}
	if p.Phases[1].CallsPerDay != 2_000_000 || p.Phases[2].Overrides.Has("node_hourly") {
		t.Errorf("an edit changed the plan it was given")
	}
}

func TestSetInputRefusesBadValuesWithThePlannersWords(t *testing.T) {
	t.Parallel()
	p := loadSeed(t)
	cases := []struct {
		phase     int
		key, text string
		want      string
	}{
		{1, KeyDays, "abc", `phases[1].days: must be a whole number from 1 to 36,500, got "abc"`},
		{1, KeyDays, "-5", `phases[1].days: must be a whole number from 1 to 36,500, got -5`},
		{2, KeyNodes, "1.5", `phases[2].nodes: must be a whole number from 0 to 1,000,000, got 1.5 (or "auto" to size automatically)`},
		{PlanDefault, "target_utilization", "120%", `assumptions.target_utilization: must be a number > 0 and ≤ 1, got 120%`},
		{0, "target_utilization", "1.2", `phases[0].overrides.target_utilization: must be a number > 0 and ≤ 1, got 1.2`},
		{0, KeyScaling, "elastic", `phases[0].scaling: must be one of "fixed", "autoscale" or "predictive", got "elastic"`},
		{0, KeyName, "  ", `phases[0].name: must not be empty`},
		{PlanDefault, "hourly_profile", "1 2 3", `assumptions.hourly_profile: must list 24 weights, one for each hour 0–23, got 3`},
		// 900e9/86,400 × 1.92 = 20,000,000 req/s at peak; / 15.54 = 1,287,001.3 → 1,287,002 nodes
		{0, KeyCallsPerDay, "900B", `phases[0]: at its busiest hour this phase would need 1,287,002 nodes, more than the 1,000,000 a plan may have; check calls_per_day, node_rps and target_utilization`},
	}
	for _, c := range cases {
		q, err := SetInput(p, c.phase, c.key, c.text)
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Errorf("%s = %q: want a FieldError, got %v", c.key, c.text, err)
			continue
		}
		if fe.Error() != c.want {
			t.Errorf("%s = %q:\n got %s\nwant %s", c.key, c.text, fe.Error(), c.want)
		}
		if string(Marshal(q)) != string(Marshal(p)) {
			t.Errorf("a refused edit changed the plan")
		}
	}
}

func TestPhaseOperations(t *testing.T) {
	t.Parallel()
	p := loadSeed(t)
	q, at, err := AddPhase(p, 0)
	if err != nil {
		t.Fatal(err)
	}
	if at != 1 || len(q.Phases) != 4 || q.Phases[1].Name != "New phase" || q.Phases[2].Name != "Phase 1" {
		t.Errorf("add after 0: at %d, phases %v", at, names(q))
	}
	q, at, _ = DuplicatePhase(p, 2)
	if at != 3 || q.Phases[3].Name != "Phase 2 (copy)" || q.Phases[3].Nodes != Some[int64](10) {
		t.Errorf("duplicate: at %d, %v", at, names(q))
	}
	q, at = MovePhase(p, 0, +1)
	if at != 1 || names(q)[0] != "Phase 1" || names(q)[1] != "Baseline" {
		t.Errorf("move right: %v", names(q))
	}
	if _, at := MovePhase(p, 0, -1); at != 0 {
		t.Errorf("moving the first phase left should stay put")
	}
	q, err = DeletePhase(p, 1)
	if err != nil || len(q.Phases) != 2 || names(q)[1] != "Phase 2" {
		t.Errorf("delete: %v %v", names(q), err)
	}
	one := p.Clone()
	one.Phases = one.Phases[:1]
	if _, err := DeletePhase(one, 0); err == nil {
		t.Errorf("deleting the only phase succeeded")
	}
	if len(p.Phases) != 3 || p.Phases[0].Name != "Baseline" {
		t.Errorf("operations changed the original plan")
	}
	if err := Validate(NewPlan(NewDate(2027, 1, 1))); err != nil {
		t.Errorf("the new-plan template is invalid: %v", err)
	}
}

func names(p Plan) []string {
	var out []string
	for _, ph := range p.Phases {
		out = append(out, ph.Name)
	}
	return out
}

// Adding or duplicating a phase past a plan's limits is refused, and Save
// never writes a plan that could not be opened again (issue #10, item 3).
func TestPhaseLimitsHoldOnEveryEditPath(t *testing.T) {
	t.Parallel()
	p := loadSeed(t)
	p.Phases[0].Days = MaxDays - 180 // with the other two phases' 180 days, the plan is a century long
	if _, _, err := AddPhase(p, 0); err == nil || !strings.Contains(err.Error(), "36,500") {
		t.Errorf("adding a phase past a century of days: %v", err)
	}
	if _, _, err := DuplicatePhase(p, 1); err == nil {
		t.Errorf("duplicating a phase past a century of days was allowed")
	}
	q := loadSeed(t)
	for len(q.Phases) < MaxPhases {
		q.Phases = append(q.Phases, Phase{Name: fmt.Sprintf("P%d", len(q.Phases)), Days: 1, Scaling: Fixed})
	}
	if _, _, err := AddPhase(q, 0); err == nil {
		t.Errorf("a phase past %d was added", MaxPhases)
	}
	path := filepath.Join(t.TempDir(), "plan.json")
	p.Phases[1].Days = 200 // past the century
	if err := Save(path, p); err == nil || !strings.Contains(err.Error(), "not saved") {
		t.Errorf("an invalid plan was saved: %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("a file was written")
	}
}
