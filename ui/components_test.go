package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/planner"
)

const componentsPath = "../testdata/components-roadmap.json"

func newComponentsWindow(t *testing.T) *Window {
	t.Helper()
	p, err := planner.Load(componentsPath)
	if err != nil {
		t.Fatal(err)
	}
	w := NewWindow(test.NewTempApp(t), NewDocument(p, componentsPath), "", testExporter)
	w.Win().Resize(fyne.NewSize(1280, 800))
	t.Cleanup(w.Win().Close)
	return w
}

// walkObjects visits o and everything drawn inside it, depth first, until
// visit returns true.
func walkObjects(o fyne.CanvasObject, visit func(fyne.CanvasObject) bool) bool {
	if o == nil {
		return false
	}
	if visit(o) {
		return true
	}
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			if walkObjects(c, visit) {
				return true
			}
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			if walkObjects(c, visit) {
				return true
			}
		}
	}
	return false
}

// inOverlay finds, in the topmost dialog, the first object f accepts.
func inOverlay(t *testing.T, w *Window, f func(o fyne.CanvasObject) bool) fyne.CanvasObject {
	t.Helper()
	top := w.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog is open")
	}
	var found fyne.CanvasObject
	walkObjects(top, func(o fyne.CanvasObject) bool {
		if f(o) {
			found = o
		}
		return found != nil
	})
	if found == nil {
		t.Fatal("the dialog has no such object")
	}
	return found
}

// overlayEntry finds a form's text field by its text.
func overlayEntry(t *testing.T, w *Window, text string) *formEntry {
	t.Helper()
	return inOverlay(t, w, func(o fyne.CanvasObject) bool { e, ok := o.(*formEntry); return ok && e.Text == text }).(*formEntry)
}

func overlayButton(t *testing.T, w *Window, label string) *widget.Button {
	t.Helper()
	return inOverlay(t, w, func(o fyne.CanvasObject) bool { b, ok := o.(*widget.Button); return ok && b.Text == label }).(*widget.Button)
}

func selectRow(t *testing.T, w *Window, key string, col int) {
	t.Helper()
	w.grid.Select(widget.TableCellID{Row: rowOf(t, w.grid, key), Col: col})
	w.win.Canvas().Focus(w.grid)
}

// Components show as rows under their groups, and are edited from the grid
// (Enter opens the form, Apply is one undoable step), refused with the
// planner's words and what was typed kept, added from the Edit menu,
// deleted with Delete, and reordered.
func TestComponentsFromTheWindow(t *testing.T) {
	w := newComponentsWindow(t)
	// component_2 is the vector database: $1,200 a month × 90 days × 12/365 = $3,550.68.
	if got := cellText(t, w, "component_2", 1); got != "$3,550.68" {
		t.Fatalf("Vector database in Baseline shows %q", got)
	}
	// The load-test campaign applies to Phase 2 only.
	if got := cellText(t, w, "component_7", 1); got != "—" {
		t.Errorf("the campaign shows %q in Baseline", got)
	}

	// Enter on its row opens the form; a new price, applied, recomputes.
	selectRow(t, w, "component_2", 1)
	press(w, fyne.KeyReturn)
	overlayEntry(t, w, "1200").SetText("1500")
	test.Tap(overlayButton(t, w, "Apply"))
	w.doc.Settle()
	// 1,500 × 90 × 12 / 365 = 4,438.356…
	if got := cellText(t, w, "component_2", 1); got != "$4,438.36" {
		t.Errorf("after the edit the vector database shows %q", got)
	}
	useMenu(t, w, "Edit", "Undo")
	w.doc.Settle()
	if got := cellText(t, w, "component_2", 1); got != "$3,550.68" {
		t.Errorf("one Ctrl+Z should undo the whole form; shows %q", got)
	}

	// A bad price changes nothing and the form comes back with it.
	before := planner.Marshal(w.doc.Plan)
	press(w, fyne.KeyReturn)
	overlayEntry(t, w, "1200").SetText("-5")
	test.Tap(overlayButton(t, w, "Apply"))
	msg := inOverlay(t, w, func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && strings.Contains(l.Text, "components[1].price")
	}).(*widget.Label)
	if !strings.Contains(msg.Text, "≥ 0") {
		t.Errorf("the refusal says %q", msg.Text)
	}
	overlayEntry(t, w, "-5") // what was typed is still there
	if string(planner.Marshal(w.doc.Plan)) != string(before) {
		t.Error("a refused component edit changed the plan")
	}
	test.Tap(overlayButton(t, w, "Cancel"))

	// Edit → Add component…: a per-call audit log at $0.0001 a call.
	n := len(w.doc.Plan.Components)
	menuItem(t, w, "Edit", "Add component…").Action()
	overlayEntry(t, w, "New component").SetText("Audit log")
	inOverlay(t, w, func(o fyne.CanvasObject) bool {
		s, ok := o.(*widget.Select)
		return ok && s.Selected == "per_month — per month"
	}).(*widget.Select).SetSelected("per_call — per call")
	overlayEntry(t, w, "0").SetText("0.0001")
	test.Tap(overlayButton(t, w, "Add"))
	w.doc.Settle()
	if len(w.doc.Plan.Components) != n+1 {
		t.Fatalf("%d components after adding one to %d", len(w.doc.Plan.Components), n)
	}
	key := "component_8"
	// 500,000 calls × 90 days × $0.0001 = $4,500.00
	if got := cellText(t, w, key, 1); got != "$4,500.00" {
		t.Errorf("the audit log in Baseline shows %q", got)
	}
	if w.grid.Component(w.grid.Selected()) != n {
		t.Error("the new component's row should be selected")
	}

	// Delete on its row removes it; Ctrl+Z brings it back.
	press(w, fyne.KeyDelete)
	if len(w.doc.Plan.Components) != n {
		t.Fatalf("Delete left %d components", len(w.doc.Plan.Components))
	}
	useMenu(t, w, "Edit", "Undo")
	if got := w.doc.Plan.Components[n].Name; got != "Audit log" {
		t.Errorf("Ctrl+Z brought back %q", got)
	}

	// Move component up: the audit log trades places with the one before.
	w.grid.SelectComponent(n)
	menuItem(t, w, "Edit", "Move component up").Action()
	if got := w.doc.Plan.Components[n-1].Name; got != "Audit log" {
		t.Errorf("after moving up, component %d is %q", n-1, got)
	}
}

// Renaming and reordering phases in the window keeps every scenario's
// overrides on the same phases.
func TestScenariosFollowPhaseEditsInTheWindow(t *testing.T) {
	w := newTestWindow(t) // the seed: its scenarios name Baseline, Phase 1 and Phase 2
	w.grid.SelectPhase(1)
	test.Tap(toolbarButton(t, w, "Rename…"))
	overlayEntry(t, w, "Phase 1").SetText("Growth")
	test.Tap(overlayButton(t, w, "Rename"))
	test.Tap(toolbarButton(t, w, "Move right"))
	p := w.doc.Latest()
	if names(w)[2] != "Growth" {
		t.Fatalf("phases now %v", names(w))
	}
	hot, err := p.Scenario("Traffic 30 % higher")
	if err != nil {
		t.Fatal(err)
	}
	// Growth (was Phase 1, 2,000,000 a day) gets its 30 % more: 2,600,000.
	if hot.Phases[2].CallsPerDay != 2_600_000 || hot.Phases[1].CallsPerDay != 6_500_000 {
		t.Errorf("the scenario gives %d and %d calls a day", hot.Phases[1].CallsPerDay, hot.Phases[2].CallsPerDay)
	}
	for _, o := range p.Scenarios[2].Overrides {
		if strings.Contains(o.Path, "Phase 1") {
			t.Errorf("an override still names the old phase: %s", o.Path)
		}
	}
}

// The Compare tab sets the plan and its scenarios side by side, each
// scenario's difference from the plan below its figure, red when worse.
func TestCompareTabShowsScenarios(t *testing.T) {
	w := newTestWindow(t)
	useMenu(t, w, "View", tabCompare)
	v := w.compare
	if len(v.outcomes) != 4 {
		t.Fatalf("%d columns of outcomes, want the plan and 3 scenarios", len(v.outcomes))
	}
	col := -1
	for i, o := range v.outcomes {
		if o.Name == "Before the mid-2025 price cut" {
			col = i + 1
		}
	}
	row := -1
	for r, cr := range v.rows {
		if cr.phase == -1 && cr.key == "total_cost" {
			row = r + 1
		}
	}
	look := v.look(widget.TableCellID{Row: row, Col: col})
	// $330,183.20 + 19,170 node-hours × $5.41 = $433,892.90
	if look.text != "$433,892.90" || !strings.HasPrefix(look.sub, "+$103,709.70") || look.subColor != colourWorse {
		t.Errorf("the old price's total: %q / %q / %v", look.text, look.sub, look.subColor)
	}
	if base := v.look(widget.TableCellID{Row: row, Col: 1}); base.text != "$330,183.20" || base.sub != "" {
		t.Errorf("the plan's own total: %q / %q", base.text, base.sub)
	}
}

// With a scenario shown, the grid shows its figures, a typed value writes
// the scenario's override (not the plan), tinted as such, and Reset puts
// the cell back to the plan's value; each is one undoable step.
func TestEditingInAScenario(t *testing.T) {
	w := newTestWindow(t)
	base := string(planner.Marshal(w.doc.Plan))
	w.scenarioSwitch.SetSelected("Traffic 30 % higher")
	if w.doc.Scenario != "Traffic 30 % higher" {
		t.Fatalf("the switcher did not show the scenario")
	}
	if got := cellText(t, w, "calls_per_day", 1); got != "650,000" {
		t.Errorf("Baseline's calls in the scenario: %q", got)
	}
	editCell(t, w, "calls_per_day", 0, "700000")
	w.doc.Settle()
	p := w.doc.Plan
	if p.Phases[0].CallsPerDay != 500_000 {
		t.Errorf("the edit changed the plan itself: %d", p.Phases[0].CallsPerDay)
	}
	if got := p.ScenarioOverrides("Traffic 30 % higher")["phases[Baseline].calls_per_day"]; got != "700000" {
		t.Errorf("the scenario's override is %q", got)
	}
	id := widget.TableCellID{Row: rowOf(t, w.grid, "calls_per_day"), Col: 1}
	if look := w.grid.look(id); look.kind != kindScenario {
		t.Errorf("the overridden cell is not marked as the scenario's")
	}
	// A node price set in the scenario, then reset to the plan's.
	w.grid.Select(widget.TableCellID{Row: rowOf(t, w.grid, "node_hourly"), Col: 2})
	editCell(t, w, "node_hourly", 1, "5")
	if _, ok := w.doc.Plan.ScenarioOverrides("Traffic 30 % higher")["phases[Phase 1].node_hourly"]; !ok {
		t.Fatal("no override for Phase 1's node price")
	}
	w.grid.Select(widget.TableCellID{Row: rowOf(t, w.grid, "node_hourly"), Col: 2})
	test.Tap(toolbarButton(t, w, "Reset to default"))
	if _, ok := w.doc.Plan.ScenarioOverrides("Traffic 30 % higher")["phases[Phase 1].node_hourly"]; ok {
		t.Error("Reset left the scenario's override")
	}
	useMenu(t, w, "Edit", "Undo")
	useMenu(t, w, "Edit", "Undo")
	useMenu(t, w, "Edit", "Undo")
	if string(planner.Marshal(w.doc.Plan)) != base {
		t.Error("three Ctrl+Z do not bring the plan back")
	}
	// Back to the plan itself: its own figures.
	w.scenarioSwitch.SetSelected(planItself)
	if got := cellText(t, w, "calls_per_day", 1); got != "500,000" {
		t.Errorf("Baseline's calls in the plan: %q", got)
	}
}

// New, rename and delete a scenario from the Edit menu, undoably.
func TestScenarioCommands(t *testing.T) {
	w := newTestWindow(t)
	n := len(w.doc.Plan.Scenarios)
	menuItem(t, w, "Edit", "New scenario").Action()
	if len(w.doc.Plan.Scenarios) != n+1 || w.doc.Scenario != "New scenario" {
		t.Fatalf("after New: %d scenarios, showing %q", len(w.doc.Plan.Scenarios), w.doc.Scenario)
	}
	menuItem(t, w, "Edit", "Rename scenario…").Action()
	overlayEntry(t, w, "New scenario").SetText("Spot nodes")
	test.Tap(overlayButton(t, w, "Rename"))
	if w.doc.Scenario != "Spot nodes" || w.scenarioSwitch.Selected != "Spot nodes" {
		t.Errorf("after rename, showing %q (switcher %q)", w.doc.Scenario, w.scenarioSwitch.Selected)
	}
	menuItem(t, w, "Edit", "Delete scenario").Action()
	if len(w.doc.Plan.Scenarios) != n || w.doc.Scenario != "" {
		t.Errorf("after delete: %d scenarios, showing %q", len(w.doc.Plan.Scenarios), w.doc.Scenario)
	}
	useMenu(t, w, "Edit", "Undo")
	if len(w.doc.Plan.Scenarios) != n+1 || w.doc.Plan.Scenarios[n].Name != "Spot nodes" {
		t.Errorf("Ctrl+Z did not bring the scenario back")
	}
}

// The Costs view draws the other designs over the cumulative chart: the
// plan's scenarios, or, while one is shown, the plan itself and the others.
func TestCostsOverlayTheOtherDesigns(t *testing.T) {
	w := newTestWindow(t)
	names := func() []string {
		var out []string
		for _, o := range w.costs.otherDesigns() {
			out = append(out, o.name)
		}
		return out
	}
	if got := strings.Join(names(), " | "); got != "Distilled everywhere | Before the mid-2025 price cut | Traffic 30 % higher" {
		t.Errorf("over the plan: %s", got)
	}
	w.doc.ShowScenario("Traffic 30 % higher")
	if got := strings.Join(names(), " | "); got != "the plan itself | Distilled everywhere | Before the mid-2025 price cut" {
		t.Errorf("over a scenario: %s", got)
	}
	// The old-price design's last cumulative cost is its total, $433,892.90.
	for _, o := range w.costs.otherDesigns() {
		if o.name == "Before the mid-2025 price cut" && o.days[len(o.days)-1].CumCost.Round(2).String() != "433892.9" {
			t.Errorf("its last cumulative cost is %s", o.days[len(o.days)-1].CumCost)
		}
	}
}

// Dragging a roadmap bar while a scenario is shown changes the scenario's
// days, not the plan's.
func TestRoadmapDragInAScenario(t *testing.T) {
	w := newTestWindow(t)
	w.doc.ShowScenario("Traffic 30 % higher")
	w.roadmap.dragging, w.roadmap.dragDays = 0, 100
	w.roadmap.DragEnd()
	if d := w.doc.Plan.Phases[0].Days; d != 90 {
		t.Errorf("the plan's Baseline now has %d days", d)
	}
	if got := w.doc.Plan.ScenarioOverrides("Traffic 30 % higher")["phases[Baseline].days"]; got != "100" {
		t.Errorf("the scenario's days override is %q", got)
	}
	if w.doc.Result.Phases[0].Days != 100 {
		t.Errorf("the window shows %d days", w.doc.Result.Phases[0].Days)
	}
}

// The forms answer the keys a person presses in them: Escape cancels,
// Enter in a one-line field applies.
func TestFormsAnswerEscapeAndEnter(t *testing.T) {
	w := newComponentsWindow(t)
	selectRow(t, w, "component_2", 1)
	press(w, fyne.KeyReturn)
	price := overlayEntry(t, w, "1200")
	price.SetText("999")
	price.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if w.win.Canvas().Overlays().Top() != nil {
		t.Fatal("Escape left the form open")
	}
	if got := w.doc.Plan.Components[1].Price.String(); got != "1200" {
		t.Errorf("Escape applied the price: %s", got)
	}
	press(w, fyne.KeyReturn)
	price = overlayEntry(t, w, "1200")
	price.SetText("1500")
	price.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if w.win.Canvas().Overlays().Top() != nil {
		t.Fatal("Enter left the form open")
	}
	if got := w.doc.Plan.Components[1].Price.String(); got != "1500" {
		t.Errorf("Enter did not apply the price: %s", got)
	}
}
