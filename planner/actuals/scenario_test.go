package actuals

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/planner"
)

// What the seed plan's 120 days observed, as a scenario: the calls a day
// of the two phases the bill covers, and, with the utilization given,
// the throughput a node showed: Phase 1 served 63,000,000 calls in 2,160
// node-hours at 50 % busy, 63e6 / (2,160 × 3,600 × 0.5) = 16.20 calls/s.
func TestWhatWasObservedBecomesAScenario(t *testing.T) {
	csv := "date,utilization\n"
	for d := planner.NewDate(2027, 4, 4); !d.After(planner.NewDate(2027, 5, 3)); d = d.AddDays(1) {
		csv += fmt.Sprintf("%s,0.5\n", d)
	}
	p, bills, u, rep := seedAgainst(t, csv)
	q, said, err := AsObserved(p, rep, u, "As observed")
	if err != nil {
		t.Fatal(err)
	}
	got := q.ScenarioOverrides("As observed")
	want := map[string]string{
		"phases[Baseline].calls_per_day": "480000",
		"phases[Phase 1].calls_per_day":  "2100000",
		"phases[Baseline].node_rps":      "16.2",
		"phases[Phase 1].node_rps":       "16.2",
		"phases[Phase 2].node_rps":       "16.2",
	}
	for k, v := range want {
		if !sameNumber(got[k], v) {
			t.Errorf("%s = %q, want %s (all: %v)", k, got[k], v, got)
		}
	}
	// The bill's node-hour price is the plan's $6.88: no override, as an
	// equal value is none.
	if _, has := got["phases[Phase 1].node_hourly"]; has || len(got) != len(want) {
		t.Errorf("overrides %v", got)
	}
	s := q.Scenarios[q.ScenarioIndex("As observed")]
	if !strings.Contains(s.Notes, bills[0].SHA256) || !strings.Contains(s.Notes, "2027-01-04 to 2027-05-03") {
		t.Errorf("notes %q", s.Notes)
	}
	view, err := q.Scenario("As observed")
	if err != nil {
		t.Fatal(err)
	}
	if rv := planner.Compute(view); rv.Phases[1].CallsPerDay != 2_100_000 {
		t.Errorf("the scenario's Phase 1 runs %d calls a day", rv.Phases[1].CallsPerDay)
	}
	if len(said) < 5 {
		t.Errorf("said %v", said)
	}
	// Written again, it replaces itself rather than adding a second.
	q2, _, err := AsObserved(q, rep, u, "As observed")
	if err != nil || len(q2.Scenarios) != len(q.Scenarios) {
		t.Errorf("rewritten: %v, %d scenarios against %d", err, len(q2.Scenarios), len(q.Scenarios))
	}
	if _, _, err := AsObserved(p, rep, u, "  "); err == nil {
		t.Error("a blank name was taken")
	}
}

func sameNumber(a, b string) bool {
	x, e1 := decimal.NewFromString(a)
	y, e2 := decimal.NewFromString(b)
	return e1 == nil && e2 == nil && x.Equal(y)
}

// Token usage gives the tokens a call observed beside the plan's: 30
// days of 2,100,000 calls with 1,260 million tokens in and 42 million out
// a day are (1,260e6 + 42e6) / 2.1e6 = 620 tokens a call.
func TestTokensACallAreObserved(t *testing.T) {
	csv := "date,tokens_in,tokens_out\n"
	for d := planner.NewDate(2027, 4, 4); !d.After(planner.NewDate(2027, 5, 3)); d = d.AddDays(1) {
		csv += fmt.Sprintf("%s,1260000000,42000000\n", d)
	}
	_, _, _, rep := seedAgainst(t, csv)
	if got := line(t, rep.Phases[1].Lines, "tokens_per_call"); !got.Actual.Val.Equal(decimal.NewFromInt(620)) || got.Planned.Valid {
		t.Errorf("tokens a call: %+v (the seed gives no tokens a call for Phase 1)", got)
	}
	for _, l := range rep.Phases[0].Lines {
		if l.Key == "tokens_per_call" {
			t.Error("the baseline has no token usage, so no such line")
		}
	}
}
