package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/risk"
)

// waitRisk waits for the Risk tab's run to report back.
func waitRisk(t *testing.T, done chan struct{}) {
	t.Helper()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("the risk run did not finish")
	}
}

// newRiskWindow opens the uncertain example on its Risk tab, drawing 500
// plans a run; done reports each finished run.
func newRiskWindow(t *testing.T) (*Window, chan struct{}) {
	t.Helper()
	p, err := planner.Load("../testdata/uncertain-roadmap.json")
	if err != nil {
		t.Fatal(err)
	}
	w := NewWindow(test.NewTempApp(t), NewDocument(p, "uncertain-roadmap.json"), "", testExporter)
	t.Cleanup(w.Win().Close)
	w.risk.draws = 500
	done := make(chan struct{}, 8)
	w.risk.done = func() { done <- struct{}{} }
	useMenu(t, w, "View", tabRisk)
	return w, done
}

// A range typed into the grid makes the input uncertain, and the Risk tab
// draws the plan off the UI goroutine with a progress bar.
func TestRangeTypedInTheGridFeedsTheRiskTab(t *testing.T) {
	w := newTestWindow(t)
	v := w.risk
	v.draws = 1000
	done := make(chan struct{}, 4)
	v.done = func() { done <- struct{}{} }
	useMenu(t, w, "View", tabRisk)
	if !strings.Contains(v.summary.Text, "This plan has no ranges") {
		t.Fatalf("summary without ranges: %q", v.summary.Text)
	}
	useMenu(t, w, "View", tabModel)
	editCell(t, w, "node_hourly", 1, "5.5 to 8.5")
	w.doc.Settle()
	id := widget.TableCellID{Row: rowOf(t, w.grid, "node_hourly"), Col: 2}
	look := w.grid.look(id)
	// √(5.5 × 8.5) = 6.8374: the median the model now uses.
	if look.kind != kindRange || look.text != "5.5–8.5" || look.sub != "uncertain · median 6.84" {
		t.Errorf("cell shows %q / %q (kind %d)", look.text, look.sub, look.kind)
	}
	if got := w.grid.EditText(id); got != "5.5 to 8.5" {
		t.Errorf("the editor offers %q, want the range back", got)
	}
	if _, ok := w.doc.Plan.RangeAt("phases[Phase 1].node_hourly"); !ok {
		t.Fatal("the plan holds no range")
	}
	started := make(chan struct{}, 1)
	v.started = func() { started <- struct{}{} }
	v.gate = make(chan struct{}) // hold the run until its state is checked
	useMenu(t, w, "View", tabRisk)
	waitRisk(t, started)
	if !v.running || !v.progress.Visible() || !strings.Contains(v.summary.Text, "Drawing the plan 1,000 times") {
		t.Errorf("while drawing: running %v, progress shown %v, summary %q", v.running, v.progress.Visible(), v.summary.Text)
	}
	v.started = nil
	close(v.gate)
	waitRisk(t, done)
	if v.risk == nil || v.progress.Visible() {
		t.Fatalf("after the run: risk %v, progress shown %v; summary %q", v.risk != nil, v.progress.Visible(), v.summary.Text)
	}
	if !strings.Contains(v.summary.Text, "1,000 draws (seed 1) of 1 uncertain input.") ||
		!strings.Contains(v.summary.Text, "Cost per call exceeds the $0.03 ceiling: 0.0 % (none of the draws).") {
		t.Errorf("summary: %q", v.summary.Text)
	}
	// The tab shows the planner's own run of the plan.
	want, err := risk.Run(w.doc.Plan, "", risk.Options{Draws: 1000, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if v.risk.Totals.TotalCost != want.Totals.TotalCost {
		t.Errorf("tab %+v, planner %+v", v.risk.Totals.TotalCost, want.Totals.TotalCost)
	}
	// A budget typed in the tab is marked and answered.
	v.budget.SetText("$330,000")
	waitRisk(t, done)
	if !strings.Contains(v.summary.Text, "Total cost exceeds the budget of $330,000.00: ") {
		t.Errorf("summary with a budget: %q", v.summary.Text)
	}
	v.budget.SetText("lots")
	if !strings.Contains(v.summary.Text, "The budget must be an amount of money") {
		t.Errorf("a bad budget: %q", v.summary.Text)
	}
	v.budget.SetText("")
	waitRisk(t, done)
	// Typing a number makes the input certain again.
	useMenu(t, w, "View", tabModel)
	editCell(t, w, "node_hourly", 1, "7")
	w.doc.Settle()
	if len(w.doc.Plan.Ranges) != 0 || w.grid.look(id).kind == kindRange {
		t.Error("a number did not replace the range")
	}
}

// Edits while a run is under way supersede it: only the run of the plan
// as it finally is reports.
func TestRiskTabFollowsTheLatestEdit(t *testing.T) {
	w, done := newRiskWindow(t)
	v := w.risk
	for _, calls := range []string{"400000 to 700000", "300000 to 700000"} {
		if err := w.doc.Edit(func(p planner.Plan) (planner.Plan, error) {
			return w.doc.SetInput(p, 0, planner.KeyCallsPerDay, calls)
		}); err != nil {
			t.Fatal(err)
		}
		w.doc.Settle()
	}
	waitRisk(t, done)
	if r, _ := w.doc.Plan.RangeAt("phases[Baseline].calls_per_day"); !r.Low.Equal(planner.Some(r.Low).Val) || r.Low.String() != "300000" {
		t.Fatalf("plan range %+v", r)
	}
	want, _ := risk.Run(w.doc.Plan, "", risk.Options{Draws: 500, Seed: 1})
	if v.risk.Totals.TotalCost != want.Totals.TotalCost {
		t.Errorf("the tab shows an older run: %+v, want %+v", v.risk.Totals.TotalCost, want.Totals.TotalCost)
	}
}

// A scenario holds single values: a range typed while one is shown is
// refused with a reason, and nothing changes.
func TestRangeRefusedInAScenario(t *testing.T) {
	w := newTestWindow(t)
	w.doc.ShowScenario("Traffic 30 % higher")
	before := planner.Marshal(w.doc.Plan)
	_, err := w.doc.SetInput(w.doc.Plan, 0, planner.KeyCallsPerDay, "1 to 2")
	if err == nil || !strings.Contains(err.Error(), "a scenario holds single values") {
		t.Errorf("error %v", err)
	}
	if string(planner.Marshal(w.doc.Plan)) != string(before) {
		t.Error("the plan changed")
	}
}

// A rehearsal of a plan with ranges states the Risk tab's odds in its goal
// step and can ask for the P90 total cost.
func TestRehearsalStatesTheRiskTabsOdds(t *testing.T) {
	w, done := newRiskWindow(t)
	v := w.risk
	waitRisk(t, done)
	r, err := w.startRehearsal(time.Now, false)
	if err != nil {
		t.Fatal(err)
	}
	if r.risk != v.risk {
		t.Error("the rehearsal did not take the Risk tab's run")
	}
	var labels []string
	for _, f := range r.deck.Steps[0].Figures {
		labels = append(labels, f.Label)
	}
	if !strings.Contains(strings.Join(labels, "|"), "P90 total cost") {
		t.Errorf("goal figures %v", labels)
	}
	last := r.deck.Questions[len(r.deck.Questions)-1]
	if last.Key != "p90_total_cost" {
		t.Errorf("the quiz's last question is %s", last.Key)
	}
	// A new pace rebuilds the deck and keeps the odds.
	r.setTotal(30)
	if r.deck.Questions[len(r.deck.Questions)-1].Key != "p90_total_cost" {
		t.Error("changing the pace lost the P90 question")
	}
}

// A component's price typed as a range in its form makes it uncertain; the
// form offers the range back, and a number makes it certain again.
func TestComponentPriceAsARange(t *testing.T) {
	w := newComponentsWindow(t)
	selectRow(t, w, "component_2", 1)
	press(w, fyne.KeyReturn)
	overlayEntry(t, w, "1200").SetText("900 to 1600")
	test.Tap(overlayButton(t, w, "Apply"))
	w.doc.Settle()
	name := w.doc.Plan.Components[1].Name
	r, ok := w.doc.Plan.RangeAt("components[" + name + "].price")
	if !ok || r.Low.String() != "900" || r.High.String() != "1600" {
		t.Fatalf("range %+v, %v", r, ok)
	}
	// The model uses the median, √(900 × 1600) = 1,200: the cost is unchanged.
	if got := cellText(t, w, "component_2", 1); got != "$3,550.68" {
		t.Errorf("the vector database shows %q", got)
	}
	press(w, fyne.KeyReturn)
	overlayEntry(t, w, "900 to 1600").SetText("1500")
	test.Tap(overlayButton(t, w, "Apply"))
	w.doc.Settle()
	if _, ok := w.doc.Plan.RangeAt("components[" + name + "].price"); ok {
		t.Error("a number left the price uncertain")
	}
}

// A plan too long to draw 10,000 times in the tab's time draws fewer, but
// never fewer than 1,000: 15 s on 2 cores is 30 s of computing, so 1 ms a
// draw fits all 10,000, 10 ms fits 3,000, and 100 ms would fit 300.
func TestLongPlansDrawFewerTimesInTheTab(t *testing.T) {
	for _, c := range []struct {
		per  time.Duration
		want int
	}{{time.Millisecond, 10_000}, {10 * time.Millisecond, 3_000}, {100 * time.Millisecond, 1_000}, {0, 10_000}} {
		if got := drawsFit(c.per, riskDraws, 2); got != c.want {
			t.Errorf("%v a draw: %d draws, want %d", c.per, got, c.want)
		}
	}
	// And a 3,000-phase plan, timed for real, draws fewer than 10,000.
	p, err := planner.Load("../testdata/uncertain-roadmap.json")
	if err != nil {
		t.Fatal(err)
	}
	long := p.Clone()
	long.Ranges = nil
	for i := 0; len(long.Phases) < 3000; i++ {
		ph := p.Phases[i%3]
		ph.Name, ph.Days = fmt.Sprintf("Week %d", i), 7
		long.Phases = append(long.Phases, ph)
	}
	if n := drawsFor(long, riskDraws); n >= riskDraws || n < minRiskDraws {
		t.Errorf("a 3,000-phase plan draws %d times", n)
	}
}

// Long work in the app can be cancelled: the risk run stops and is not
// started again until the plan changes; a simulation stops and says so.
func TestRiskAndSimulationCancel(t *testing.T) {
	w, done := newRiskWindow(t)
	v := w.risk
	started := make(chan struct{}, 1)
	v.started = func() { started <- struct{}{} }
	v.gate = make(chan struct{})
	v.Refresh()
	waitRisk(t, started)
	if !v.busy.Visible() {
		t.Fatal("no Cancel while drawing")
	}
	test.Tap(v.cancel)
	waitRisk(t, done)
	close(v.gate)
	if v.running || v.busy.Visible() || v.risk != nil || !strings.Contains(v.summary.Text, "The draws were cancelled") {
		t.Errorf("after Cancel: running %v, cancel shown %v, risk %v, %q", v.running, v.busy.Visible(), v.risk != nil, v.summary.Text)
	}
	v.started = nil
	v.Refresh() // the same plan: not drawn again
	if v.running {
		t.Error("a cancelled run started again for the same plan")
	}

	l := w.latency
	sim := make(chan struct{}, 1)
	l.done = func() { sim <- struct{}{} }
	l.gate = make(chan struct{})
	l.Simulate()
	if !l.busy.Visible() {
		t.Fatal("no Cancel while simulating")
	}
	test.Tap(l.cancel)
	close(l.gate)
	waitRisk(t, sim)
	if l.running || l.busy.Visible() || l.sim != nil || !strings.Contains(l.note.Text, "The simulation was cancelled") {
		t.Errorf("after Cancel: running %v, cancel %v, sim %v, %q", l.running, l.busy.Visible(), l.sim != nil, l.note.Text)
	}
}
