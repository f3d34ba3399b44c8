package rehearse

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/risk"
	"github.com/scaleplan/scaleplan/simulate"
	"github.com/shopspring/decimal"
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
	t.Parallel()
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
		"Scenarios: Scenarios",
	}
	if strings.Join(titles, "\n") != strings.Join(want, "\n") {
		t.Errorf("steps:\n%s", strings.Join(titles, "\n"))
	}
	// Figures are the engine's numbers (hand-worked in planner/model_test.go).
	g := d.Steps[0]
	// 88,949.209315 + 115,912.28 + 125,321.710685 = 330,183.20, over 675M calls $0.000489.
	if figure(g, "Total cost") != "$330,183.20" || figure(g, "Break-even") != "day 112 (2027-04-25)" || figure(g, "Cost per call") != "$0.000489" {
		t.Errorf("goal figures: %+v", g.Figures)
	}
	p1 := d.Steps[2]
	if figure(p1, "Cost") != "$115,912.28, $0.000644 a call" || figure(p1, "Fleet") != "3 nodes (sized automatically), autoscale" {
		t.Errorf("Phase 1 figures: %+v", p1.Figures)
	}
	if !strings.Contains(figure(p1, "Changes"), "calls/day 500,000 → 2,000,000; nodes 2 → 3; fixed → autoscale") {
		t.Errorf("Phase 1 changes: %q", figure(p1, "Changes"))
	}
	if p1.Notes == "" || !strings.Contains(p1.Talk.Metric, "overflow to batch 0.00 %") {
		t.Errorf("Phase 1 notes %q, metric %q", p1.Notes, p1.Talk.Metric)
	}
	// Phase 2 as a fixed fleet of its 10 nodes: 10 × 24 × 90 = 21,600 node-hours × $6.88
	// = $148,608; + storage 184.428493 + IOPS 35,506.849315 + network 324 + fixed 23,671.232877
	// = $208,294.510685.
	tr := d.Steps[5]
	if !strings.HasPrefix(figure(tr, "fixed"), "$208,294.51 · 21,600 node-hours · 0 calls to batch") {
		t.Errorf("trade-offs fixed: %q", figure(tr, "fixed"))
	}
	if !strings.HasPrefix(tr.Talk.Hypothesis, "predictive is the cheapest way to serve Phase 2 with nothing overflowing: $125,321.71") {
		t.Errorf("trade-off hypothesis: %q", tr.Talk.Hypothesis)
	}
	// Pacing: with scenarios the hour splits 10/50/15/15/10 % across the
	// sections; without them, 10/55/15/20 %.
	if d.SectionBudget(SectionGoal) != 6*time.Minute || d.SectionBudget(SectionPhases) != 30*time.Minute ||
		d.SectionBudget(SectionCost) != 9*time.Minute || d.SectionBudget(SectionTrade) != 9*time.Minute || d.SectionBudget(SectionScen) != 6*time.Minute {
		t.Errorf("pacing: goal %v phases %v cost %v trade %v scenarios %v", d.SectionBudget(SectionGoal), d.SectionBudget(SectionPhases),
			d.SectionBudget(SectionCost), d.SectionBudget(SectionTrade), d.SectionBudget(SectionScen))
	}
	if d.Steps[1].Budget != 10*time.Minute {
		t.Errorf("a phase step gets %v, want 10 min (30 ÷ 3)", d.Steps[1].Budget)
	}
	bare := p.Clone()
	bare.Scenarios = nil
	db, _ := Build(bare, &r, 0)
	if db.SectionBudget(SectionPhases) != 33*time.Minute || db.SectionBudget(SectionTrade) != 12*time.Minute || db.Steps[1].Budget != 11*time.Minute {
		t.Errorf("without scenarios: phases %v trade %v", db.SectionBudget(SectionPhases), db.SectionBudget(SectionTrade))
	}
}

func TestQuizGradesEstimates(t *testing.T) {
	t.Parallel()
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
		// Phase 2 needs 8 nodes: 8 is exact; 9 is 1/8 = 12.5 % off.
		{"nodes", "8", "0.000000", true},
		{"nodes", "9", "12.500000", false},
		// Phase 2 per month: 125,321.710685 × 365 / 1,080 = 42,354.096667;
		// $40,000 is 2,354.096667 / 42,354.096667 = 5.558132 % off.
		{"monthly_cost", "$40,000", "5.558132", true},
		// Break-even is day 112 (2027-04-25); 2027-05-05 is day 122, 10/112 = 8.928571 % off.
		{"break_even", "2027-05-05", "8.928571", true},
		{"break_even", "2027-06-01", "33.035714", false},
		// $330,183.20 / 675M calls = $0.000489160296; $0.0005 is 2.215982 % off.
		{"cost_per_call", "0.0005", "2.215982", true},
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
	if !strings.Contains(q["nodes"].Derivation, "rounded up") || q["nodes"].Answer != "8 nodes" {
		t.Errorf("nodes answer %q derivation %q", q["nodes"].Answer, q["nodes"].Derivation)
	}
}

func TestIncompletePlansSayWhatIsMissing(t *testing.T) {
	t.Parallel()
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
	t.Parallel()
	recs := []string{"2026-11-25,nodes,5.26", "2026-11-25,monthly_cost,31", "2026-11-26,nodes,0", "garbage"}
	p := Summarize(recs)
	if p.Answered != 3 || p.Close != 2 || p.Sessions != 2 {
		t.Errorf("progress %+v", p)
	}
	if p.String() != "2 of 3 answers within 10 % over 2 session(s)." {
		t.Errorf("%q", p.String())
	}
	// The boundary is the quiz's own: exactly 10 % is close, 10.01 % is not;
	// a record that is not a number is skipped rather than counted.
	p = Summarize([]string{"2026-11-25,nodes,10.00", "2026-11-25,nodes,10.01", "2026-11-25,nodes,NaN"})
	if p.Answered != 2 || p.Close != 1 {
		t.Errorf("boundary progress %+v", p)
	}
}

func TestTradeOffsCompareModelVariants(t *testing.T) {
	t.Parallel()
	p, r := seed(t)
	d, _ := Build(p, &r, 0)
	var tr Step
	for _, s := range d.Steps {
		if s.Section == SectionTrade {
			tr = s
		}
	}
	// Phase 2 under the distilled variant: 3 nodes, just under the utilization
	// floor (planner/variants_test.go).
	if got := figure(tr, "Variant distilled"); !strings.HasPrefix(got, "accuracy 88.5 % · 3 nodes · p99 ") || !strings.HasSuffix(got, "fails min_utilization") {
		t.Errorf("distilled figure %q", got)
	}
	if !strings.HasPrefix(figure(tr, "Hypothesis"), "Batch-size hypothesis") || !strings.Contains(figure(tr, "Hypothesis"), "refuted") {
		t.Errorf("hypothesis %q", figure(tr, "Hypothesis"))
	}
	if !strings.HasPrefix(tr.Talk.Execution, "Large is the cheapest variant that meets every SLO: $125,321.71") {
		t.Errorf("execution %q", tr.Talk.Execution)
	}
}

// When the p99 target, not utilization, sets the fleet, the quiz's worked
// answer says so: the utilization arithmetic alone would give a number that
// disagrees with the answer it grades against.
func TestQuizNodesDerivationFollowsTheP99Bound(t *testing.T) {
	t.Parallel()
	p, err := planner.Load("../testdata/seed-roadmap.json")
	if err != nil {
		t.Fatal(err)
	}
	p.Assumptions.TargetUtilization = decimal.RequireFromString("0.95")
	p.SLO.P99Ms = planner.Some(decimal.NewFromInt(170))
	r := planner.Compute(p)
	d, err := Build(p, &r, 0)
	if err != nil {
		t.Fatal(err)
	}
	var q *Question
	for i := range d.Questions {
		if d.Questions[i].Key == "nodes" {
			q = &d.Questions[i]
		}
	}
	// Phase 2 peaks at 5M ÷ 86,400 × 1.92 = 111.111 req/s. Utilization:
	// 22.2 × 0.95 = 21.09 req/s a node, 111.111 ÷ 21.09 = 5.27, so 6 nodes.
	// The simulator (an independent method) shows 6 nodes miss 170 ms and 7
	// meet it: the queue's W+S p99 plus the 25 ms of network and processing.
	svc := simulate.Service{MeanSec: 0.045, CV: 0.5}
	for _, c := range []struct {
		nodes int64
		meets bool
	}{{6, false}, {7, true}} {
		res := simulate.Stationary{Servers: c.nodes, Lambda: 5e6 * 1.92 / 86400, Service: svc}.RunUntil(1, 0.02, 20000, 2000000)
		if got := res.P99.Value*1000+25 <= 170; got != c.meets {
			t.Fatalf("simulated p99 with %d nodes is %.1f ms: the premise of this test no longer holds", c.nodes, res.P99.Value*1000+25)
		}
	}
	if q.Answer != "7 nodes" {
		t.Errorf("answer %q, want 7 nodes (the fewest the simulator finds meet 170 ms)", q.Answer)
	}
	if !strings.Contains(q.Derivation, "each node is planned to carry 22.2 × 95 % = 21.09 req/s; 111.111 ÷ 21.09 rounded up, and at least 2 (min_nodes): 6.") ||
		!strings.Contains(q.Derivation, "miss the 170 ms p99 target") || !strings.HasSuffix(q.Derivation, ": 7.") {
		t.Errorf("derivation %q", q.Derivation)
	}
	if g, _ := q.Grade("6"); g.Close {
		t.Errorf("6 nodes (the utilization count) graded close to 7: %+v", g)
	}
}

// Over every shipped example, the nodes derivation ends on the answer it
// grades against, and mentions the p99 target exactly when that set it.
func TestQuizNodesDerivationAgreesWithItsAnswer(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("../testdata/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	checked := 0
	for _, f := range files {
		p, err := planner.Load(f)
		if err != nil {
			continue // the invalid example is meant to fail
		}
		r := planner.Compute(p)
		d, err := Build(p, &r, 0)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		for _, q := range d.Questions {
			if q.Key != "nodes" {
				continue
			}
			checked++
			n := strings.TrimSuffix(q.Answer, " nodes")
			if !strings.HasSuffix(q.Derivation, ": "+n+".") {
				t.Errorf("%s: answer %q but the derivation ends %q", f, q.Answer, q.Derivation[max(0, len(q.Derivation)-40):])
			}
			ph := &r.Phases[r.Busiest()]
			if strings.Contains(q.Derivation, "p99 target") != (ph.SizingBound == planner.BoundP99) {
				t.Errorf("%s: bound %s, derivation %q", f, ph.SizingBound, q.Derivation)
			}
		}
	}
	if checked < 3 {
		t.Errorf("only %d examples had a nodes question", checked)
	}
}

// The cost-controls step names the plan's largest components, by their cost
// over the plan: the guardrail at $0.20 per 1,000 of 675,000,000 calls is
// $135,000.00; the load-test campaign 40 nodes × 48 h × $6.88 = $13,209.60;
// the vector database $1,200 × 270 × 12/365 = $10,652.05.
func TestCostControlsNameTheLargestComponents(t *testing.T) {
	t.Parallel()
	p, err := planner.Load("../testdata/components-roadmap.json")
	if err != nil {
		t.Fatal(err)
	}
	r := planner.Compute(p)
	d, err := Build(p, &r, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range d.Steps {
		if s.Section != SectionCost {
			continue
		}
		want := "Guardrail API $135,000.00 · Load-test campaign $13,209.60 · Vector database $10,652.05"
		if got := figure(s, "Largest components"); got != want {
			t.Errorf("largest components: %q\nwant %q", got, want)
		}
		if !strings.Contains(s.Talk.TradeOff, "Guardrail API costs the most") {
			t.Errorf("the talk track does not name the largest component: %q", s.Talk.TradeOff)
		}
		return
	}
	t.Fatal("no cost-controls step")
}

// The scenarios step sets each scenario against the plan, and the quiz asks
// what the cheapest saves: distilled everywhere, $330,183.20 − $223,752.08
// = $106,431.12 (planner's scenario test works the GPU by hand: 13,680
// node-hours × $1.861).
func TestScenariosStepAndQuestion(t *testing.T) {
	t.Parallel()
	p, r := seed(t)
	d, _ := Build(p, &r, 0)
	var sc *Step
	for i := range d.Steps {
		if d.Steps[i].Section == SectionScen {
			sc = &d.Steps[i]
		}
	}
	if sc == nil {
		t.Fatal("no scenarios step")
	}
	if got := figure(*sc, "Before the mid-2025 price cut"); !strings.HasPrefix(got, "$433,892.90 (+$103,709.70, +31.4 %)") {
		t.Errorf("old price figure %q", got)
	}
	if !strings.HasPrefix(sc.Talk.TradeOff, "Distilled everywhere is the cheapest: $106,431.12 less over the plan (-32.2 %)") {
		t.Errorf("trade-off %q", sc.Talk.TradeOff)
	}
	if !strings.Contains(sc.Notes, "Hypothesis: the plan still clears its $0.03 cost ceiling") {
		t.Errorf("the scenarios' notes are not the speaker notes")
	}
	for _, q := range d.Questions {
		if q.Key == "scenario_saving" {
			if q.Answer != "$106,431.12" || !strings.Contains(q.Prompt, `"Distilled everywhere"`) {
				t.Errorf("question %q answer %q", q.Prompt, q.Answer)
			}
			g, _ := q.Grade("100k")
			if !g.Close { // 6 % off
				t.Errorf("100k graded %v", g)
			}
			return
		}
	}
	t.Error("no question about the scenarios")
}

// A plan with ranges is presented with its odds, and the quiz asks for its
// P90 total cost, graded against the risk run's own percentile.
func TestDeckStatesTheOddsOfAPlanWithRanges(t *testing.T) {
	t.Parallel()
	p, err := planner.Load("../testdata/uncertain-roadmap.json")
	if err != nil {
		t.Fatal(err)
	}
	r := planner.Compute(p)
	rr, err := risk.Run(p, "", risk.Options{Draws: 2000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	d, err := Build(p, &r, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := len(d.Questions)
	d.AddRisk(&rr, p.Currency)
	d.AddRisk(&rr, p.Currency) // once only
	g := d.Steps[0]
	p90 := decimal.NewFromFloat(rr.Totals.TotalCost.P90).Round(2)
	if got := figure(g, "P90 total cost"); got != format.Money(p90, "USD") {
		t.Errorf("P90 figure %q, want %s", got, p90)
	}
	if got := figure(g, "P(cost per call exceeds the $0.03 ceiling)"); got != "0.0 %" {
		t.Errorf("ceiling odds figure %q", got)
	}
	if !strings.Contains(g.Talk.Hypothesis, "2,000 draws put total cost at or under") {
		t.Errorf("hypothesis %q", g.Talk.Hypothesis)
	}
	if len(d.Questions) != n+1 {
		t.Fatalf("questions %d, want %d", len(d.Questions), n+1)
	}
	q := d.Questions[n]
	if q.Key != "p90_total_cost" {
		t.Fatalf("last question %s", q.Key)
	}
	// An estimate 5 % above the P90 is close; 15 % above is not.
	for _, c := range []struct {
		factor string
		close  bool
	}{{"1.05", true}, {"1.15", false}} {
		g, err := q.Grade(p90.Mul(decimal.RequireFromString(c.factor)).StringFixed(2))
		if err != nil || g.Close != c.close {
			t.Errorf("estimate × %s: close %v, err %v", c.factor, g.Close, err)
		}
	}
}
