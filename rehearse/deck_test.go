package rehearse

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/scaleplan/scaleplan/planner"
)

func seed(t *testing.T) (planner.Plan, planner.Result) {
	t.Helper()
	p, err := planner.Load("../testdata/seed-roadmap.json")
	if err != nil {
		t.Fatal(err)
	}
	return p, planner.Compute(p)
}

func figure(s Step, label string) string {
	for _, f := range s.Figures {
		if f.Label == label {
			return f.Value
		}
	}
	return ""
}

func TestSeedDeckSteps(t *testing.T) {
	p, r := seed(t)
	d, err := Build(p, &r, 0)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, s := range d.Steps {
		titles = append(titles, s.Section+": "+s.Title)
	}
	want := []string{
		"Goal: Goal: 5M calls a day by 2027-07-03",
		"Phases: Baseline · 500k calls a day",
		"Phases: Phase 1 · 2M calls a day",
		"Phases: Phase 2 · 5M calls a day",
		"Cost controls: Cost controls",
		"Trade-offs: Trade-offs: how Phase 2 scales",
	}
	if strings.Join(titles, "\n") != strings.Join(want, "\n") {
		t.Errorf("steps:\n%s", strings.Join(titles, "\n"))
	}
	// Figures are the engine's numbers (hand-worked in planner/model_test.go).
	g := d.Steps[0]
	if figure(g, "Total cost") != "$452,792.49" || figure(g, "Break-even") != "day 117 (2027-04-30)" || figure(g, "Cost per call") != "$0.000671" {
		t.Errorf("goal figures: %+v", g.Figures)
	}
	p1 := d.Steps[2]
	if figure(p1, "Cost") != "$151,191.35, $0.000840 a call" || figure(p1, "Fleet") != "9 nodes (sized automatically), autoscale" {
		t.Errorf("Phase 1 figures: %+v", p1.Figures)
	}
	if !strings.Contains(figure(p1, "Changes"), "calls/day 500,000 → 2,000,000; nodes 2 → 9; fixed → autoscale") {
		t.Errorf("Phase 1 changes: %q", figure(p1, "Changes"))
	}
	if p1.Notes == "" || !strings.Contains(p1.Talk.Metric, "0.41 % of calls (738k calls)") {
		t.Errorf("Phase 1 notes %q, metric %q", p1.Notes, p1.Talk.Metric)
	}
	// Phase 2 as a fixed fleet of its 20 nodes: 20 × 24 × 90 = 43,200 node-hours × $6.88
	// = $297,216; + storage 204.164384 + IOPS 35,506.849315 + network 324 + fixed 23,671.232877
	// = $356,922.246576.
	tr := d.Steps[5]
	if !strings.HasPrefix(figure(tr, "fixed"), "$356,922.25 · 43,200 node-hours · 0 calls to batch") {
		t.Errorf("trade-offs fixed: %q", figure(tr, "fixed"))
	}
	if !strings.HasPrefix(tr.Talk.Hypothesis, "predictive is the cheapest way to serve Phase 2 with nothing overflowing: $212,648.65") {
		t.Errorf("trade-off hypothesis: %q", tr.Talk.Hypothesis)
	}
	// Pacing: the hour splits 10/55/15/20 % across the sections.
	if d.SectionBudget(SectionGoal) != 6*time.Minute || d.SectionBudget(SectionPhases) != 33*time.Minute ||
		d.SectionBudget(SectionCost) != 9*time.Minute || d.SectionBudget(SectionTrade) != 12*time.Minute {
		t.Errorf("pacing: goal %v phases %v cost %v trade %v", d.SectionBudget(SectionGoal), d.SectionBudget(SectionPhases),
			d.SectionBudget(SectionCost), d.SectionBudget(SectionTrade))
	}
	if d.Steps[1].Budget != 11*time.Minute {
		t.Errorf("a phase step gets %v, want 11 min (33 ÷ 3)", d.Steps[1].Budget)
	}
}

func TestQuizGradesEstimates(t *testing.T) {
	p, r := seed(t)
	d, _ := Build(p, &r, 0)
	q := map[string]*Question{}
	for i := range d.Questions {
		q[d.Questions[i].Key] = &d.Questions[i]
	}
	cases := []struct {
		key, typed string
		pct        string
		close      bool
	}{
		// Phase 2 needs 19 nodes: 20 is 1/19 = 5.263158 % off; 25 is 6/19 = 31.578947 %.
		{"nodes", "20", "5.263158", true},
		{"nodes", "25", "31.578947", false},
		// Phase 2 per month: 212,648.646575 × 365 / 1,080 = 71,867.366667;
		// $70,000 is 1,867.366667 / 71,867.366667 = 2.598351 % off.
		{"monthly_cost", "$70,000", "2.598351", true},
		// Break-even is day 117 (2027-04-30); 2027-05-10 is day 127, 10/117 = 8.547009 % off.
		{"break_even", "2027-05-10", "8.547009", true},
		{"break_even", "2027-06-01", "27.350427", false},
		// $452,792.493151 / 675M calls = $0.000670803694; $0.0007 is 4.352437 % off.
		{"cost_per_call", "0.0007", "4.352437", true},
	}
	for _, c := range cases {
		g, err := q[c.key].Grade(c.typed)
		if err != nil {
			t.Errorf("%s %q: %v", c.key, c.typed, err)
			continue
		}
		if g.ErrorPct.StringFixed(6) != c.pct || g.Close != c.close {
			t.Errorf("%s %q: error %s%% close=%v, want %s%% close=%v", c.key, c.typed, g.ErrorPct.StringFixed(6), g.Close, c.pct, c.close)
		}
	}
	if _, err := q["nodes"].Grade("lots"); err == nil {
		t.Errorf("a non-number was graded")
	}
	if !strings.Contains(q["nodes"].Derivation, "rounded up") || q["nodes"].Answer != "19 nodes" {
		t.Errorf("nodes answer %q derivation %q", q["nodes"].Answer, q["nodes"].Derivation)
	}
}

func TestIncompletePlansSayWhatIsMissing(t *testing.T) {
	p, _ := seed(t)
	for i := range p.Phases {
		p.Phases[i].CallsPerDay = 0
	}
	p.Assumptions.NodeHourly = decimalZero()
	r := planner.Compute(p)
	_, err := Build(p, &r, 0)
	var inc Incomplete
	if !errors.As(err, &inc) || len(inc) != 2 || !strings.Contains(err.Error(), "no phase has any calls per day") {
		t.Errorf("got %v", err)
	}
}

func TestProgressSummary(t *testing.T) {
	recs := []string{"2026-11-25,nodes,5.26", "2026-11-25,monthly_cost,31", "2026-11-26,nodes,0", "garbage"}
	p := Summarize(recs)
	if p.Answered != 3 || p.Close != 2 || p.Sessions != 2 {
		t.Errorf("progress %+v", p)
	}
	if p.String() != "2 of 3 answers within 10 % over 2 session(s)." {
		t.Errorf("%q", p.String())
	}
}

func TestTradeOffsCompareModelVariants(t *testing.T) {
	p, r := seed(t)
	d, _ := Build(p, &r, 0)
	tr := d.Steps[len(d.Steps)-1]
	// Phase 2 under the distilled variant: 6 nodes, p99 70.9 ms (planner/variants_test.go).
	if got := figure(tr, "Variant distilled"); !strings.HasPrefix(got, "accuracy 88.5 % · 6 nodes · p99 70.9 ms · ") || !strings.HasSuffix(got, "meets every SLO") {
		t.Errorf("distilled figure %q", got)
	}
	if !strings.HasPrefix(tr.Talk.Execution, "Distilled is the cheapest variant that meets every SLO") {
		t.Errorf("execution %q", tr.Talk.Execution)
	}
}
