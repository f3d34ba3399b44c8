package planner

import (
	"errors"
	"strings"
	"testing"
)

// The seed's three scenarios, worked by hand: the old node price is $12.29
// a GPU-hour on every node-hour; traffic 30 % higher is exactly 1.3 × each
// phase's calls; distilled everywhere runs the distilled variant.
func TestScenariosRoundTripAndFormat(t *testing.T) {
	t.Parallel()
	p := loadSeed(t)
	out := Marshal(p)
	q, err := Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(Marshal(q)) != string(out) || len(q.Scenarios) != 3 || len(q.Scenarios[2].Overrides) != 3 {
		t.Fatalf("scenarios did not survive a save: %+v", q.Scenarios)
	}
	if FormatOf(q) != 2 {
		t.Error("a plan with scenarios is format 2")
	}
}

func TestBadScenariosAreNamedByPath(t *testing.T) {
	t.Parallel()
	seed := loadSeed(t)
	base := string(Marshal(seed))
	for _, c := range []struct{ overrides, want string }{
		{`{"phases[Phase 9].days": 10}`, `scenarios[0].overrides["phases[Phase 9].days"]: no phase is named "Phase 9"`},
		{`{"phases[Baseline].dayz": 10}`, `scenarios[0].overrides["phases[Baseline].dayz"]: a phase has no input "dayz"`},
		{`{"phases[Baseline].days": -3}`, `scenarios[0].overrides["phases[Baseline].days"]: must be a whole number from 1 to 36,500, got -3`},
		{`{"assumptions.node_hourly": "cheap"}`, `scenarios[0].overrides["assumptions.node_hourly"]: must be a number ≥ 0, got "cheap"`},
		{`{"assumptions.node_speed": 3}`, `scenarios[0].overrides["assumptions.node_speed"]: no assumption is named "node_speed"`},
		{`{"slo.p98_ms": 3}`, `no objective is named "p98_ms"`},
		{`{"components[Nope].price": 3}`, `no component is named "Nope"`},
		{`{"variants[large].accuracy": 2}`, `scenarios[0].overrides["variants[large].accuracy"]: must be a number from 0 to 1`},
		{`{"budget": 3}`, `not an input's path`},
		{`{"assumptions.node_hourly": [1]}`, `must be a number, text or null`},
	} {
		// The file is otherwise valid: only the first scenario's overrides change.
		text := replaceFirstOverrides(t, base, c.overrides)
		_, err := Parse([]byte(text))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s:\n got %v\nwant …%s…", c.overrides, err, c.want)
		}
	}
}

// replaceFirstOverrides swaps the first scenario's overrides object.
func replaceFirstOverrides(t *testing.T, text, with string) string {
	t.Helper()
	i := strings.Index(text, `"overrides": {`)
	j := strings.Index(text[i:], "}") + i
	if i < 0 || j < i {
		t.Fatal("no overrides in the seed")
	}
	return text[:i] + `"overrides": ` + with + text[j+1:]
}

// Renaming a phase, a component or moving a phase keeps every scenario on
// the same items; deleting a phase takes its overrides with it.
func TestScenariosFollowEdits(t *testing.T) {
	t.Parallel()
	p := loadSeed(t)
	q, err := SetInput(p, 1, KeyName, "Growth")
	if err != nil {
		t.Fatal(err)
	}
	hot, err := q.Scenario("Traffic 30 % higher")
	if err != nil {
		t.Fatal(err)
	}
	if hot.Phases[1].Name != "Growth" || hot.Phases[1].CallsPerDay != 2_600_000 {
		t.Errorf("after the rename the scenario gives %s %d calls", hot.Phases[1].Name, hot.Phases[1].CallsPerDay)
	}
	moved, at := MovePhase(q, 1, +1)
	if at != 2 {
		t.Fatal("the phase did not move")
	}
	hot, _ = moved.Scenario("Traffic 30 % higher")
	if hot.Phases[2].Name != "Growth" || hot.Phases[2].CallsPerDay != 2_600_000 || hot.Phases[1].CallsPerDay != 6_500_000 {
		t.Errorf("after the move: %+v", []int64{hot.Phases[1].CallsPerDay, hot.Phases[2].CallsPerDay})
	}
	del, err := DeletePhase(moved, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range del.Scenarios {
		for _, o := range s.Overrides {
			if strings.Contains(o.Path, "Growth") {
				t.Errorf("a deleted phase's override is left: %s", o.Path)
			}
		}
	}
	if Validate(del) != nil {
		t.Errorf("the plan after the delete: %v", Validate(del))
	}
}

// Renaming a component renames it in the scenarios; deleting it drops
// their overrides of it.
func TestScenariosFollowComponents(t *testing.T) {
	t.Parallel()
	p, err := Load("../testdata/components-roadmap.json")
	if err != nil {
		t.Fatal(err)
	}
	p.Scenarios = []Scenario{{Name: "Cheaper guardrail", Overrides: []ScenarioOverride{{Path: "components[Guardrail API].price", Value: "0.1"}}}}
	if err := Validate(p); err != nil {
		t.Fatal(err)
	}
	q, err := SetComponent(p, 2, "name", "Safety API")
	if err != nil {
		t.Fatal(err)
	}
	if got := q.Scenarios[0].Overrides[0].Path; got != "components[Safety API].price" {
		t.Errorf("after the rename the override is %s", got)
	}
	s, err := q.Scenario("Cheaper guardrail")
	if err != nil || !s.Components[2].Price.Equal(dec("0.1")) {
		t.Errorf("the scenario's guardrail price: %v %v", s.Components[2].Price, err)
	}
	if d := DeleteComponent(q, 2); len(d.Scenarios[0].Overrides) != 0 || Validate(d) != nil {
		t.Errorf("after deleting the component: %+v, %v", d.Scenarios[0].Overrides, Validate(d))
	}
}

// A value set in a scenario is checked on the scenario's plan with a cell
// edit's words; the plan's own value typed back removes the override.
func TestSetScenarioInput(t *testing.T) {
	t.Parallel()
	p := loadSeed(t)
	if _, err := SetScenarioInput(p, "Traffic 30 % higher", 0, KeyCallsPerDay, "abc"); err == nil ||
		err.Error() != `phases[0].calls_per_day: must be a whole number from 0 to 1,000,000,000,000, got "abc"` {
		t.Errorf("a bad value: %v", err)
	}
	q, err := SetScenarioInput(p, "Traffic 30 % higher", 0, KeyCallsPerDay, "500,000")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := q.ScenarioOverrides("Traffic 30 % higher")["phases[Baseline].calls_per_day"]; ok {
		t.Error("the plan's own value kept an override")
	}
	q, err = SetScenarioInput(q, "Before the mid-2025 price cut", PlanDefault, "node_hourly", "$12.50")
	if err != nil || q.ScenarioOverrides("Before the mid-2025 price cut")["assumptions.node_hourly"] != "12.5" {
		t.Errorf("a price typed with its sign: %v %v", q.ScenarioOverrides("Before the mid-2025 price cut"), err)
	}
	if string(Marshal(p)) == string(Marshal(q)) || p.Phases[0].CallsPerDay != 500_000 {
		t.Error("the edits should change the scenarios, and only them")
	}
}

// Every bad override of a scenario is reported, each by its path, and a
// null is called null.
func TestEveryBadOverrideIsReportedAndNullIsNull(t *testing.T) {
	t.Parallel()
	_, err := Parse([]byte(`{"format": 1, "name": "s", "start_date": "2027-01-01",
		"assumptions": {"node_hourly": "4", "node_rps": 5, "target_utilization": 0.7},
		"phases": [{"name": "A", "days": 5, "calls_per_day": 1000}],
		"scenarios": [{"name": "bad", "overrides": {"assumptions.node_rps": null, "assumptions.node_hourly": -3, "phases[B].days": 4}}]}`))
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 3 {
		t.Fatalf("%v, want three problems", err)
	}
	for i, want := range []string{
		`scenarios[0].overrides["assumptions.node_rps"]: must be a number > 0, got null`,
		`scenarios[0].overrides["assumptions.node_hourly"]: must be a number ≥ 0, got -3`,
		`scenarios[0].overrides["phases[B].days"]: no phase is named "B"`,
	} {
		if errs[i].Error() != want {
			t.Errorf("problem %d: %q, want %q", i+1, errs[i].Error(), want)
		}
	}
}
