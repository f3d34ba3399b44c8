package cli

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

const cheaper = "../testdata/diff/seed-5.50.json" // the seed at $5.50 a node-hour instead of $6.88

func TestDiffExitCodes(t *testing.T) {
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"diff", seed, cheaper}, ExitOK},                                     // they differ: still 0 without --fail-on
		{[]string{"diff", seed, seed}, ExitOK},                                        // the same
		{[]string{"diff", seed, cheaper, "--fail-on", "total_cost>+5%"}, ExitOK},      // it fell
		{[]string{"diff", seed, cheaper, "--fail-on", "total_cost<-5%"}, ExitInvalid}, // −8.01 %
		{[]string{"diff", seed, cheaper, "--fail-on", "gpu>+1", "--fail-on", "nodes<100"}, ExitInvalid},
		{[]string{"diff", seed, cheaper, "--fail-on", "total_cost>+5"}, ExitOK},
		{[]string{"diff", seed, cheaper, "--fail-on", "totl_cost>+5%"}, ExitUsage},
		{[]string{"diff", seed, cheaper, "--fail-on", "gpu>5%"}, ExitUsage},
		{[]string{"diff", seed}, ExitUsage},
		{[]string{"diff", seed, "../testdata/invalid-plan.json"}, ExitUsage},
		{[]string{"diff", seed, cheaper, "--json", "--markdown"}, ExitUsage},
	} {
		if code, _, errs := run(c.args...); code != c.want {
			t.Errorf("%v: exit %d, want %d (%s)", c.args[1:], code, c.want, errs)
		}
	}
}

// The Markdown for the seed pair is kept as a golden file; its figures are
// worked by hand in planner's diff tests: GPU −1.38 × 19,170 node-hours =
// −$26,454.60.
func TestDiffMarkdownGolden(t *testing.T) {
	code, out, errs := run("diff", seed, cheaper, "--markdown")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	want, err := os.ReadFile("../testdata/diff/seed-5.50.md")
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Errorf("markdown differs from testdata/diff/seed-5.50.md:\n%s", out)
	}
	for _, s := range []string{"| `assumptions.node_hourly` | 6.88 | 5.5 |", "| GPU | $131,889.60 | $105,435.00 | -$26,454.60 | -20.06 % |"} {
		if !strings.Contains(out, s) {
			t.Errorf("markdown lacks %q", s)
		}
	}
}

func TestDiffJSON(t *testing.T) {
	_, out, _ := run("diff", seed, cheaper, "--json")
	var d struct {
		ChangedInputs []struct{ Path, From, To string } `json:"changed_inputs"`
		Totals        map[string]struct {
			A, B, Delta string
			DeltaPct    *string `json:"delta_pct"`
		}
		Phases []struct {
			Name  string
			Lines map[string]struct{ Delta *string }
		}
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.ChangedInputs) != 1 || d.ChangedInputs[0].Path != "assumptions.node_hourly" {
		t.Errorf("changed inputs %+v", d.ChangedInputs)
	}
	if g := d.Totals["gpu"]; g.Delta != "-26454.6" || g.A != "131889.6" {
		t.Errorf("totals gpu %+v", g)
	}
	if len(d.Phases) != 3 || *d.Phases[0].Lines["storage"].Delta != "0" {
		t.Errorf("phases %+v", d.Phases)
	}
	// Diffing a plan against itself: no input changed, every Δ zero.
	_, out, _ = run("diff", seed, seed, "--json")
	if !strings.Contains(out, `"changed_inputs": []`) || strings.Contains(out, `"delta": "-`) {
		t.Errorf("self-diff is not empty")
	}
}

// Every command that reads a plan takes --scenario; diff compares a
// scenario with the plan or with another scenario.
func TestScenarioFlag(t *testing.T) {
	code, out, errs := run("compute", "--json", "--scenario", "Before the mid-2025 price cut", seed)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// 19,170 node-hours × $12.29 = $235,599.30
	if !strings.Contains(out, `"gpu": "235599.30"`) {
		t.Errorf("compute --scenario does not run the scenario's node price")
	}
	if code, _, errs := run("compute", "--scenario", "Nope", seed); code != ExitUsage || !strings.Contains(errs, `no scenario is named "Nope"`) {
		t.Errorf("an unknown scenario: exit %d, %s", code, errs)
	}
	for _, cmd := range [][]string{{"explain"}, {"sensitivity", "--phase", "1"}, {"validate"}} {
		args := append(append([]string{}, cmd...), "--scenario", "Traffic 30 % higher", seed)
		if code, _, errs := run(args...); code != ExitOK {
			t.Errorf("%v: exit %d %s", cmd, code, errs)
		}
	}
	code, out, errs = run("diff", seed, "--scenario", "Traffic 30 % higher", "--against", "Before the mid-2025 price cut", "--json")
	if code != ExitOK {
		t.Fatalf("diff --scenario --against: exit %d %s", code, errs)
	}
	for _, want := range []string{`"path": "assumptions.node_hourly"`, `"path": "phases[0].calls_per_day"`, `"from": "500000"`, `"to": "650000"`} {
		if !strings.Contains(out, want) {
			t.Errorf("diff of two scenarios lacks %s", want)
		}
	}
	if code, _, _ := run("diff", seed, "--against", "x"); code != ExitUsage {
		t.Errorf("--against without --scenario: exit %d", code)
	}
}
