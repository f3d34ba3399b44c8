package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

const uncertain = "../testdata/uncertain-roadmap.json"

type riskJSON struct {
	Draws  int    `json:"draws"`
	Seed   uint64 `json:"seed"`
	Totals map[string]map[string]*string
	Phases []struct {
		Name          string
		Probabilities map[string]*float64
	}
	Probabilities map[string]*float64
	Drivers       []struct {
		Path     string
		Spearman float64
	}
}

// The same seed and draws give the same bytes; the seed and draws are in
// the output; odds not asked for are null.
func TestRiskJSONIsReproducible(t *testing.T) {
	args := []string{"risk", uncertain, "--draws", "500", "--seed", "11", "--budget", "$340,000", "--json"}
	code, a, errs := run(args...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	_, b, _ := run(args...)
	if a != b {
		t.Error("two runs with one seed differ")
	}
	var r riskJSON
	if err := json.Unmarshal([]byte(a), &r); err != nil {
		t.Fatal(err)
	}
	if r.Draws != 500 || r.Seed != 11 {
		t.Errorf("draws %d seed %d", r.Draws, r.Seed)
	}
	for _, key := range []string{"total_cost", "cost_per_call", "nodes", "p99_ms", "break_even_day"} {
		s := r.Totals[key]
		for _, p := range []string{"mean", "p5", "p10", "p50", "p90", "p95"} {
			if _, ok := s[p]; !ok {
				t.Errorf("totals.%s has no %s", key, p)
			}
		}
	}
	if p := r.Probabilities["total_cost_over_budget"]; p == nil || *p <= 0 || *p >= 1 {
		t.Errorf("P(over a budget near the median) = %v", p)
	}
	if p, ok := r.Probabilities["break_even_after"]; !ok || p != nil {
		t.Errorf("break_even_after without --by: %v, %v", p, ok)
	}
	if len(r.Phases) != 3 || r.Phases[1].Probabilities["p99_over_target"] == nil {
		t.Errorf("phases: %+v", r.Phases)
	}
	if r.Drivers[0].Path != "assumptions.node_hourly" {
		t.Errorf("the strongest driver is %s, want the node price", r.Drivers[0].Path)
	}
	_, c, _ := run("risk", uncertain, "--draws", "500", "--seed", "12", "--json")
	if c == a {
		t.Error("another seed gave the same output")
	}
}

// A plan without ranges: every draw is the plan, so every percentile is
// what compute says, to the cent (the seed's total, $370,350.66 by
// compute's own JSON), and the scenario's too.
func TestRiskOfACertainPlanIsCompute(t *testing.T) {
	for _, c := range []struct{ scenario, total string }{{"", ""}, {"Before the mid-2025 price cut", ""}} {
		args := []string{"compute", "--json", seed}
		rargs := []string{"risk", seed, "--draws", "20", "--json"}
		if c.scenario != "" {
			args = append(args, "--scenario", c.scenario)
			rargs = append(rargs, "--scenario", c.scenario)
		}
		_, out, _ := run(args...)
		var comp struct {
			Totals struct {
				Cost struct {
					Total string `json:"total"`
				} `json:"cost"`
			} `json:"totals"`
		}
		if err := json.Unmarshal([]byte(out), &comp); err != nil || comp.Totals.Cost.Total == "" {
			t.Fatalf("compute JSON: %v\n%.300s", err, out)
		}
		code, rout, errs := run(rargs...)
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, errs)
		}
		var r riskJSON
		if err := json.Unmarshal([]byte(rout), &r); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"p5", "p50", "p95"} {
			if got := r.Totals["total_cost"][p]; got == nil || *got != comp.Totals.Cost.Total {
				t.Errorf("%q: total cost %s = %v, want compute's %s", c.scenario, p, deref(got), comp.Totals.Cost.Total)
			}
		}
	}
	if code, out, _ := run("risk", seed, "--draws", "10"); code != ExitOK || !strings.Contains(out, "The plan has no ranges") {
		t.Errorf("exit %d\n%s", code, out)
	}
}

func TestRiskRefusesBadFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"--draws", "1"}, "--draws must be from 2"},
		{[]string{"--draws", "2000000"}, "--draws must be from 2"},
		{[]string{"--budget", "lots"}, "--budget must be an amount"},
		{[]string{"--by", "2027-13-01"}, "--by must be a date"},
		{[]string{"--scenario", "Nope"}, `no scenario is named "Nope"`},
	} {
		code, out, errs := run(append([]string{"risk", uncertain}, c.args...)...)
		if code != ExitUsage || !strings.Contains(errs, c.says) || out != "" {
			t.Errorf("%v: exit %d, stderr %q, stdout %q", c.args, code, errs, out)
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return "null"
	}
	return *s
}
