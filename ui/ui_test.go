package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/export"
	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/report"
)

const seedPath = "../testdata/seed-roadmap.json"

// testExporter is the exporter the real binary gives the window.
var testExporter = Exporter{Write: export.WriteFile, Bytes: export.Bytes, Fit: export.Fit, BytesActuals: export.BytesWithActuals}

// newTestWindow opens the seed plan in a headless window.
func newTestWindow(t *testing.T) *Window {
	t.Helper()
	return openTestWindow(t, seedPath)
}

// openTestWindow opens the plan at path in a headless window.
func openTestWindow(t *testing.T, path string) *Window {
	t.Helper()
	a := test.NewTempApp(t)
	p, err := planner.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	w := NewWindow(a, NewDocument(p, path), "", testExporter)
	w.Win().Resize(fyne.NewSize(1280, 800))
	t.Cleanup(w.Win().Close)
	return w
}

// rowOf is the grid row of a model line.
func rowOf(t *testing.T, g *Grid, key string) int {
	t.Helper()
	for i, r := range g.rows {
		if r.line != nil && r.line.Key == key {
			return i + 1
		}
	}
	t.Fatalf("no grid row for %s", key)
	return 0
}

// typeKeys sends runes to whatever has focus, as the window does, re-asking
// after each one (the first keystroke moves focus from the grid to the editor).
func typeKeys(w *Window, s string) {
	for _, r := range s {
		w.Win().Canvas().Focused().TypedRune(r)
	}
}

// press sends a key as the driver does: to the focused widget, or to the
// canvas's own handler when nothing has focus.
func press(w *Window, k fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: k}
	if f := w.Win().Canvas().Focused(); f != nil {
		f.TypedKey(ev)
		return
	}
	if h := w.Win().Canvas().OnTypedKey(); h != nil {
		h(ev)
	}
}

// editCell selects a cell, types a new value and presses Enter, the way a
// person does in the grid.
func editCell(t *testing.T, w *Window, key string, phase int, value string) {
	t.Helper()
	g := w.grid
	g.Select(widget.TableCellID{Row: rowOf(t, g, key), Col: phase + 1})
	w.Win().Canvas().Focus(g)
	typeKeys(w, value)
	press(w, fyne.KeyReturn)
}

func cellText(t *testing.T, w *Window, key string, col int) string {
	return w.grid.look(widget.TableCellID{Row: rowOf(t, w.grid, key), Col: col}).text
}

func TestEditingCallsPerDayRecomputesTheGrid(t *testing.T) {
	w := newTestWindow(t)
	editCell(t, w, "calls_per_day", 1, "3000000")

	if got := w.doc.Plan.Phases[1].CallsPerDay; got != 3_000_000 {
		t.Fatalf("Phase 1 calls/day = %d after the edit, want 3,000,000", got)
	}
	// The grid shows the engine's numbers for the edited plan.
	want := planner.Compute(w.doc.Plan)
	total := 4 // the Total column: label + 3 phases
	if got := cellText(t, w, "total_cost", total); got != format.Money(want.Totals.Cost.Total, "USD") {
		t.Errorf("total cost shows %s, engine %s", got, format.Money(want.Totals.Cost.Total, "USD"))
	}
	if got := cellText(t, w, "cost_per_call", 2); got != format.MoneyPlacesN(want.Phases[1].CostPerCall.Val, "USD", 6) {
		t.Errorf("Phase 1 cost per call shows %s", got)
	}
	// 3,000,000 × 90 days
	if got := cellText(t, w, "calls", 2); got != "270,000,000" {
		t.Errorf("Phase 1 calls shows %s, want 270,000,000", got)
	}
	// The status bar and title follow.
	if !strings.Contains(w.status.Text, format.Money(want.Totals.Cost.Total, "USD")) || !strings.Contains(w.status.Text, "(unsaved)") {
		t.Errorf("status bar: %q", w.status.Text)
	}
	if !strings.HasPrefix(w.Win().Title(), "● seed-roadmap.json") {
		t.Errorf("title %q lacks the unsaved marker", w.Win().Title())
	}
	// Enter moved the selection down, as in a spreadsheet, and focus is back on the grid.
	if w.Win().Canvas().Focused() != w.grid {
		t.Errorf("focus did not return to the grid")
	}
}

func TestBadInputIsRefusedWithThePlannersMessage(t *testing.T) {
	cases := []struct {
		key   string
		phase int
		typed string
		want  string
	}{
		{"calls_per_day", 1, "abc", `phases[1].calls_per_day: must be a whole number from 0 to 1,000,000,000,000, got "abc"`},
		{"days", 0, "-5", "phases[0].days: must be a whole number from 1 to 36,500, got -5"},
		{"nodes", 2, "1.5", "phases[2].nodes: must be a whole number from 0 to 1,000,000, got 1.5"},
		{"target_utilization", 1, "120%", "phases[1].overrides.target_utilization: must be a number > 0 and ≤ 1, got 120%"},
	}
	for _, c := range cases {
		t.Run(c.key, func(t *testing.T) {
			w := newTestWindow(t)
			before := string(planner.Marshal(w.doc.Plan))
			editCell(t, w, c.key, c.phase, c.typed)
			if !strings.HasPrefix(w.editErr, c.want) || w.entryErr.Text != w.editErr {
				t.Errorf("message %q, want %q", w.editErr, c.want)
			}
			if string(planner.Marshal(w.doc.Plan)) != before || w.doc.Dirty() {
				t.Errorf("a refused edit changed the plan")
			}
			id := widget.TableCellID{Row: rowOf(t, w.grid, c.key), Col: c.phase + 1}
			if !w.grid.look(id).invalid {
				t.Errorf("the cell is not marked invalid")
			}
			// The typed text stays for correcting; Escape restores the value.
			if w.entry.Text != c.typed {
				t.Errorf("editor holds %q, want the typed %q kept", w.entry.Text, c.typed)
			}
			press(w, fyne.KeyEscape)
			if w.grid.look(id).invalid || w.editErr != "" || w.entry.Text != w.grid.EditText(id) {
				t.Errorf("Escape did not cancel: invalid=%v err=%q text=%q", w.grid.look(id).invalid, w.editErr, w.entry.Text)
			}
		})
	}
}

func TestUndoRedoRoundTrip(t *testing.T) {
	w := newTestWindow(t)
	orig := string(planner.Marshal(w.doc.Plan))
	editCell(t, w, "calls_per_day", 0, "750000")
	editCell(t, w, "node_hourly", 2, "5") // a Phase 2 override
	edited := string(planner.Marshal(w.doc.Plan))
	if !w.doc.Plan.Phases[2].Overrides.Has("node_hourly") {
		t.Fatal("editing an assumption in a phase should override it there")
	}
	sendShortcut(w, &fyne.ShortcutUndo{}) // Ctrl+Z, as the desktop driver sends it
	menuItem(t, w, "Edit", "Undo").Action()
	if string(planner.Marshal(w.doc.Plan)) != orig || w.doc.Dirty() {
		t.Errorf("two undos did not restore the opened plan (dirty=%v)", w.doc.Dirty())
	}
	if got := cellText(t, w, "calls_per_day", 1); got != "500,000" {
		t.Errorf("grid shows %s after undo", got)
	}
	sendShortcut(w, &fyne.ShortcutRedo{}) // Ctrl+Y
	menuItem(t, w, "Edit", "Redo").Action()
	if string(planner.Marshal(w.doc.Plan)) != edited {
		t.Errorf("two redos did not restore the edits")
	}
	if look := w.grid.look(widget.TableCellID{Row: rowOf(t, w.grid, "node_hourly"), Col: 3}); look.kind != kindOverride {
		t.Errorf("the override is not marked after redo")
	}
	// Reset to default through the window.
	w.grid.Select(widget.TableCellID{Row: rowOf(t, w.grid, "node_hourly"), Col: 3})
	test.Tap(toolbarButton(t, w, "Reset to default"))
	if w.doc.Plan.Phases[2].Overrides.Has("node_hourly") {
		t.Errorf("reset did not remove the override")
	}
}

func TestPhaseOperationsFromTheWindow(t *testing.T) {
	w := newTestWindow(t)
	w.grid.SelectPhase(0)
	test.Tap(toolbarButton(t, w, "Add phase"))
	if n := len(w.doc.Plan.Phases); n != 4 || w.doc.Plan.Phases[1].Name != "New phase" || w.grid.SelectedPhase() != 1 {
		t.Fatalf("add: %d phases, selected %d", n, w.grid.SelectedPhase())
	}
	if _, cols := w.grid.Length(); cols != 6 {
		t.Errorf("grid has %d columns after adding a phase, want 6", cols)
	}
	test.Tap(toolbarButton(t, w, "Move right"))
	if w.doc.Plan.Phases[2].Name != "New phase" || w.grid.SelectedPhase() != 2 {
		t.Errorf("move right: %s selected %d", w.doc.Plan.Phases[2].Name, w.grid.SelectedPhase())
	}
	test.Tap(toolbarButton(t, w, "Delete"))
	if len(w.doc.Plan.Phases) != 3 || w.doc.Plan.Phases[2].Name != "Phase 2" {
		t.Errorf("delete: %v", names(w))
	}
	menuItem(t, w, "Edit", "Undo").Action() // the delete is undoable
	if len(w.doc.Plan.Phases) != 4 {
		t.Errorf("undo of delete: %v", names(w))
	}
	menuItem(t, w, "Edit", "Duplicate phase").Action()
	if len(w.doc.Plan.Phases) != 5 {
		t.Errorf("duplicate from the menu: %v", names(w))
	}
	w.doc.Undo()
	if len(w.doc.Plan.Phases) != 4 {
		t.Errorf("undo of delete: %v", names(w))
	}
}

func names(w *Window) []string {
	var out []string
	for _, p := range w.doc.Plan.Phases {
		out = append(out, p.Name)
	}
	return out
}

func TestOpeningACorruptFileKeepsTheCurrentPlan(t *testing.T) {
	w := newTestWindow(t)
	editCell(t, w, "calls_per_day", 0, "600000")
	before := string(planner.Marshal(w.doc.Plan))
	for _, content := range []string{"{ not json", `{"format": 1, "name": "x"}`} {
		bad := filepath.Join(t.TempDir(), "bad.json")
		os.WriteFile(bad, []byte(content), 0o644)
		err := w.OpenPath(bad)
		if err == nil {
			t.Fatalf("opening %q succeeded", content)
		}
		if string(planner.Marshal(w.doc.Plan)) != before || !w.doc.Dirty() || w.doc.Path != seedPath {
			t.Errorf("a failed open changed the document")
		}
	}
	// Every problem is listed, with its path.
	err := w.OpenPath("../testdata/invalid-plan.json")
	if err == nil || !strings.Contains(err.Error(), "phases[1].scaling") || !strings.Contains(err.Error(), "start_date") {
		t.Errorf("invalid plan: %v", err)
	}
}

func TestSaveThenOpenRoundTrip(t *testing.T) {
	w := newTestWindow(t)
	editCell(t, w, "calls_per_day", 2, "6000000")
	path := filepath.Join(t.TempDir(), "mine.json")
	if err := w.SavePath(path); err != nil {
		t.Fatal(err)
	}
	if w.doc.Dirty() || !strings.HasPrefix(w.Win().Title(), "mine.json") {
		t.Errorf("after save: dirty=%v title=%q", w.doc.Dirty(), w.Win().Title())
	}
	saved := string(planner.Marshal(w.doc.Plan))
	w.doc.Reset(planner.NewPlan(planner.NewDate(2027, 1, 1)), "", false)
	if err := w.OpenPath(path); err != nil {
		t.Fatal(err)
	}
	if string(planner.Marshal(w.doc.Plan)) != saved || w.doc.Plan.Phases[2].CallsPerDay != 6_000_000 {
		t.Errorf("the reopened plan differs from the saved one")
	}
	if got := LastPlan(w.app); got != path {
		t.Errorf("recent plans start with %q, want %q", got, path)
	}
}

func TestChecksListFailingPhasesInWords(t *testing.T) {
	w := newTestWindow(t)
	got := w.CheckLines()
	// planner/model_test.go and latency_test.go work these out.
	want := []string{
		"Baseline: average GPU utilization 13.0 % is below the 40.0 % floor",
		"Phase 1: p99 223.8 ms at 08:00, the worst hour, is over the 200 ms target (145.2 ms of it queueing on 2 nodes)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("checks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The failing cells are tinted.
	if !w.grid.look(widget.TableCellID{Row: rowOf(t, w.grid, "p99_ms"), Col: 2}).failing {
		t.Errorf("Phase 1's p99 cell is not tinted")
	}
	if w.grid.look(widget.TableCellID{Row: rowOf(t, w.grid, "p99_ms"), Col: 3}).failing {
		t.Errorf("Phase 2's p99 cell is tinted though it passes")
	}
}

func TestRecoveryKeepsUnsavedWork(t *testing.T) {
	a := test.NewTempApp(t)
	p, _ := planner.Load(seedPath)
	file := filepath.Join(t.TempDir(), "recovery.json")
	w := NewWindow(a, NewDocument(p, seedPath), file, testExporter)
	defer w.Win().Close()
	editCell(t, w, "calls_per_day", 1, "2500000")
	w.recovery.Flush() // written off the UI goroutine
	rec, err := ReadRecovery(file)
	if err != nil {
		t.Fatalf("no recovery file after an edit: %v", err)
	}
	if rec.Plan.Phases[1].CallsPerDay != 2_500_000 || rec.Path != canonicalPath(seedPath) || !rec.Dirty() {
		t.Errorf("recovered %d calls/day from %q dirty=%v", rec.Plan.Phases[1].CallsPerDay, rec.Path, rec.Dirty())
	}
	if err := w.SavePath(filepath.Join(t.TempDir(), "saved.json")); err != nil {
		t.Fatal(err)
	}
	w.recovery.Flush()
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Errorf("the recovery file outlived a save")
	}
}

func TestRoadmapDragChangesDays(t *testing.T) {
	w := newTestWindow(t)
	r := w.roadmap
	r.Resize(fyne.NewSize(1000, 300))
	per := r.pxPerDay(1000) // 270 days over 1000 − 170 − 24 px
	// Baseline's right edge is 90 days in; drag it 10 days' worth to the right.
	edge := roadmapLeft + 90*per
	y := float32(roadmapTop + roadmapRow/2)
	r.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(edge+10*per, y)}, Dragged: fyne.NewDelta(10*per, 0)})
	r.DragEnd()
	if got := w.doc.Plan.Phases[0].Days; got != 100 {
		t.Errorf("Baseline runs %d days after the drag, want 100", got)
	}
	w.doc.Undo()
	if got := w.doc.Plan.Phases[0].Days; got != 90 {
		t.Errorf("undo of the drag left %d days", got)
	}
	// Tapping a bar selects its column in the grid.
	r.Tapped(&fyne.PointEvent{Position: fyne.NewPos(roadmapLeft+200*per, float32(roadmapTop+2*roadmapRow+roadmapRow/2))})
	if w.grid.SelectedPhase() != 2 {
		t.Errorf("tapping Phase 2's bar selected phase %d", w.grid.SelectedPhase())
	}
}

// A line added to the model's description shows up in the grid with its
// label and value, with no change to the grid (it loops over report.Lines).
func TestGridLinesFollowReportLines(t *testing.T) {
	saved := report.Lines
	t.Cleanup(func() { report.Lines = saved })
	extra, ok := report.LineByKey("calls")
	if !ok {
		t.Fatal("no calls line")
	}
	added := *extra
	added.Key, added.Label = "calls_again", "Calls, once more"
	report.Lines = append(append([]report.Line(nil), saved...), added)
	w := newTestWindow(t)
	last := len(w.grid.rows) // the added line is the grid's last row
	if l := w.grid.look(widget.TableCellID{Row: last, Col: 0}); l.text != "Calls, once more" {
		t.Fatalf("the grid's last row is %q", l.text)
	}
	if v := w.grid.look(widget.TableCellID{Row: last, Col: 1}); v.text != "45,000,000" { // 500,000 × 90
		t.Errorf("its Baseline value is %q", v.text)
	}
}

func TestExportRunsOffTheUIGoroutineAndReportsBack(t *testing.T) {
	w := newTestWindow(t)
	path := filepath.Join(t.TempDir(), "plan.xlsx")
	done := make(chan error, 1)
	w.ExportPath(path, func(err error) { done <- err }, nil)
	// ExportPath returned: the export must still be running on another
	// goroutine (it takes tens of milliseconds), not have run on this one.
	select {
	case <-done:
		t.Errorf("ExportPath returned only after the export: it ran on the caller's goroutine")
	default:
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Size() < 10_000 {
		t.Errorf("workbook not written: %v", err)
	}
}

func TestSettingsAndNewPlan(t *testing.T) {
	w := newTestWindow(t)
	if err := w.doc.Edit(func(p planner.Plan) (planner.Plan, error) { return planner.SetPlanField(p, "currency", "eur") }); err == nil {
		t.Errorf("a lower-case currency code was accepted")
	}
	useMenu(t, w, "File", "New") // nothing unsaved: no question asked
	if w.doc.Plan.Name != "Untitled plan" || w.doc.Path != "" || w.doc.Dirty() {
		t.Errorf("new plan: %q %q dirty=%v", w.doc.Plan.Name, w.doc.Path, w.doc.Dirty())
	}
	// With unsaved changes, New asks first and changes nothing until answered.
	editCell(t, w, "calls_per_day", 0, "123")
	useMenu(t, w, "File", "New")
	if w.doc.Plan.Phases[0].CallsPerDay != 123 {
		t.Errorf("New replaced an unsaved plan without asking")
	}
	if len(w.Win().Canvas().Overlays().List()) == 0 {
		t.Errorf("no question was shown")
	}
}

func TestExplainTabSaysHowEachPhaseIsSized(t *testing.T) {
	w := newTestWindow(t)
	useMenu(t, w, "View", tabExplain)
	text := w.explainText()
	for _, want := range []string{
		"Phase 2 — 2027-07-03 → 2027-09-30",
		"The worst hour is 21:00: 41.7 req/s on 3 nodes (3 servers) at 62.5 % utilization",
		"Every hour is within the 200 ms target. Meeting it at the peak takes 6 nodes; the phase needs 8 (set by the utilization target)",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("explain lacks %q", want)
		}
	}
	// It follows edits while shown.
	// A ceiling of 4 nodes (88.8 req/s) saturates the 111.1 req/s peak.
	if err := w.doc.Edit(func(p planner.Plan) (planner.Plan, error) { return planner.SetInput(p, 2, planner.KeyNodes, "4") }); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(w.explainText(), "The worst hour, 13:00, is saturated") {
		t.Errorf("explain did not follow the edit")
	}
}

// The Latency tab draws the selected phase's day and checks it against the
// simulator off the UI goroutine, with a progress bar, when its button is
// tapped.
func TestLatencyTabChecksWithSimulation(t *testing.T) {
	w := newTestWindow(t)
	useMenu(t, w, "View", tabLatency)
	v := w.latency
	if !strings.Contains(v.title.Text, "Baseline: latency over its typical day") ||
		!strings.Contains(v.summary.Text, "Worst hour 13:00: p99 145.5 ms on 2 nodes") {
		t.Fatalf("title %q, summary %q", v.title.Text, v.summary.Text)
	}
	done := make(chan struct{}, 1)
	v.done = func() { done <- struct{}{} }
	v.gate = make(chan struct{}) // hold the simulation until the state while it runs is checked
	test.Tap(v.check)
	if !v.running || !v.check.Disabled() || !v.progress.Visible() {
		t.Errorf("while simulating: running %v, button disabled %v, progress shown %v", v.running, v.check.Disabled(), v.progress.Visible())
	}
	close(v.gate)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the simulation did not finish")
	}
	if v.running || v.progress.Visible() || v.check.Disabled() || v.simulation() == nil {
		t.Fatalf("after the simulation: running %v, progress %v, sim %v", v.running, v.progress.Visible(), v.simulation() != nil)
	}
	if !strings.Contains(v.note.Text, "all 24 hours are within the model's validated band") ||
		!strings.Contains(v.details.Text, "Baseline — its typical day simulated (seed 1)") {
		t.Errorf("note %q, details:\n%s", v.note.Text, v.details.Text)
	}
	// An edit makes the simulation stale: it is no longer shown as current.
	if err := w.doc.Edit(func(p planner.Plan) (planner.Plan, error) {
		return planner.SetInput(p, 0, planner.KeyCallsPerDay, "600000")
	}); err != nil {
		t.Fatal(err)
	}
	if v.simulation() != nil || !strings.Contains(v.note.Text, "changed since the last simulation") || v.details.Text != "" {
		t.Errorf("a stale simulation is still shown: %q", v.note.Text)
	}
}

// A phase without a latency model says why and offers no check.
func TestLatencyTabWithoutLatency(t *testing.T) {
	w := newTestWindow(t)
	if err := w.doc.Edit(func(p planner.Plan) (planner.Plan, error) {
		return planner.SetInput(p, planner.PlanDefault, "node_rps", "8.5")
	}); err != nil {
		t.Fatal(err)
	}
	useMenu(t, w, "View", tabLatency)
	if !w.latency.check.Disabled() || !strings.Contains(w.latency.summary.Text, "Latency is not estimated for Baseline: node throughput and the latency inputs disagree") {
		t.Errorf("summary %q, check disabled %v", w.latency.summary.Text, w.latency.check.Disabled())
	}
}

// sendShortcut delivers a shortcut the way Fyne's desktop driver does
// (internal/driver/glfw, triggersShortcut): the main menu's items first, by
// shortcut name, then the focused widget if it takes shortcuts, then the
// canvas. Ctrl+Z arrives as fyne.ShortcutUndo, Ctrl+Y as fyne.ShortcutRedo,
// Ctrl+Shift+Z as a custom Control+Shift+Z.
func sendShortcut(w *Window, sc fyne.Shortcut) {
	var find func(items []*fyne.MenuItem) bool
	find = func(items []*fyne.MenuItem) bool {
		for _, it := range items {
			if it.Shortcut != nil && it.Shortcut.ShortcutName() == sc.ShortcutName() && it.Action != nil {
				it.Action()
				return true
			}
			if it.ChildMenu != nil && find(it.ChildMenu.Items) {
				return true
			}
		}
		return false
	}
	for _, m := range w.win.MainMenu().Items {
		if find(m.Items) {
			return
		}
	}
	if f, ok := w.win.Canvas().Focused().(fyne.Shortcutable); ok {
		f.TypedShortcut(sc)
		return
	}
	w.win.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(sc)
}

// Undo and redo answer the keys as the desktop driver delivers them: the
// v1 menu bound a custom Ctrl+Z that the driver never sends.
func TestUndoRedoKeysAsTheDriverSendsThem(t *testing.T) {
	w := newTestWindow(t)
	if w.win.Canvas().Focused() != w.grid {
		t.Errorf("the grid should have the keyboard at start-up, %T has it", w.win.Canvas().Focused())
	}
	editCell(t, w, "calls_per_day", 0, "600000")
	if w.doc.Plan.Phases[0].CallsPerDay != 600_000 {
		t.Fatalf("edit not applied")
	}
	ctrlShiftZ := &desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	steps := []struct {
		sc   fyne.Shortcut
		want int64
	}{{&fyne.ShortcutUndo{}, 500_000}, {ctrlShiftZ, 600_000}, {&fyne.ShortcutUndo{}, 500_000}, {&fyne.ShortcutRedo{}, 600_000}}
	for _, s := range steps {
		sendShortcut(w, s.sc)
		if got := w.doc.Plan.Phases[0].CallsPerDay; got != s.want {
			t.Errorf("after %s: calls/day %d, want %d", s.sc.ShortcutName(), got, s.want)
		}
	}
	// While the editor has the keyboard, Ctrl+Z undoes its typing, not the plan.
	w.startEdit("123", false)
	sendShortcut(w, &fyne.ShortcutUndo{})
	if w.doc.Plan.Phases[0].CallsPerDay != 600_000 {
		t.Errorf("Ctrl+Z in the editor undid a plan edit")
	}
}

// Help → About names the version and the plan formats; Help → Keyboard
// shortcuts lists the keys. Tapped as a person would, through the menu.
func TestHelpMenu(t *testing.T) {
	w := newTestWindow(t)
	var help *fyne.Menu
	for _, m := range w.win.MainMenu().Items {
		if m.Label == "Help" {
			help = m
		}
	}
	if help == nil || len(help.Items) != 2 {
		t.Fatalf("no Help menu")
	}
	for _, it := range help.Items {
		it.Action()
		overlays := w.win.Canvas().Overlays().List()
		if len(overlays) == 0 {
			t.Fatalf("%s showed nothing", it.Label)
		}
		text := ""
		test.WidgetRenderer(overlays[len(overlays)-1].(fyne.Widget)) // make sure it renders
		for _, o := range test.LaidOutObjects(overlays[len(overlays)-1]) {
			if l, ok := o.(*widget.Label); ok {
				text += l.Text + "\n"
			}
		}
		want := map[string]string{"About scaleplan": "reads plan formats 1 to 2", "Keyboard shortcuts": "Edit → Redo"}[it.Label]
		if !strings.Contains(text, want) {
			t.Errorf("%s lacks %q:\n%s", it.Label, want, text)
		}
		w.win.Canvas().Overlays().Remove(overlays[len(overlays)-1])
	}
}

// Closing the window while "Restore unsaved changes?" waits for an answer
// keeps the orphaned work for next time (issue #10, item 6).
func TestClosingDuringTheRestoreQuestionKeepsTheRecovery(t *testing.T) {
	a := test.NewTempApp(t)
	p, _ := planner.Load(seedPath)
	dir := t.TempDir()
	orphanFile := filepath.Join(dir, "recovery-1-1.json") // a window that died
	earlier := NewDocument(p, seedPath)
	if err := earlier.Edit(func(q planner.Plan) (planner.Plan, error) {
		return planner.SetInput(q, 1, planner.KeyCallsPerDay, "2500000")
	}); err != nil {
		t.Fatal(err)
	}
	if err := writeRecovery(orphanFile, earlier.RecoverySnapshot()); err != nil {
		t.Fatal(err)
	}
	// As Run starts: the orphans, then the window with its own file, then the offer.
	found := orphans(dir)
	if len(found) != 1 || found[0].file != orphanFile {
		t.Fatalf("orphans %+v", found)
	}
	w := NewWindow(a, NewDocument(p, seedPath), "", testExporter)
	w.keepRecovery(instanceRecovery(dir))
	if !w.offerOrphans(found) {
		t.Fatal("nothing was offered")
	}
	w.confirmDiscard("closing", w.quit) // the window's close button, the question unanswered
	w.recovery.Flush()
	if rec, err := ReadRecovery(orphanFile); err != nil || rec.Plan.Phases[1].CallsPerDay != 2_500_000 {
		t.Errorf("the orphaned work was lost by closing during the question: %v", err)
	}
}

// Two windows keep separate recovery files: one saving or closing never
// deletes the other's unsaved work, and a running window's file is not an
// orphan (issue #10, item 5).
func TestInstancesKeepSeparateRecoveries(t *testing.T) {
	dir := t.TempDir()
	p, _ := planner.Load(seedPath)
	var ws [2]*Window
	var files [2]string
	for k := range ws {
		files[k] = instanceRecovery(dir)
		release, ok := tryLock(files[k] + ".lock")
		if !ok {
			t.Fatal("lock")
		}
		ws[k] = NewWindow(test.NewTempApp(t), NewDocument(p, seedPath), "", testExporter)
		ws[k].recoveryLock = release
		ws[k].keepRecovery(files[k])
	}
	if files[0] == files[1] {
		t.Fatalf("two instances share %s", files[0])
	}
	editCell(t, ws[0], "calls_per_day", 0, "111111")
	editCell(t, ws[1], "calls_per_day", 0, "222222")
	ws[1].quit() // the second closes after discarding its work
	ws[0].recovery.Flush()
	if rec, err := ReadRecovery(files[0]); err != nil || rec.Plan.Phases[0].CallsPerDay != 111_111 {
		t.Errorf("the first window's unsaved work was lost when the second closed: %v", err)
	}
	if _, err := os.Stat(files[1]); !os.IsNotExist(err) {
		t.Errorf("the closed window's own file is still there")
	}
	// The first is running (its lock held): not an orphan.
	for _, o := range orphans(dir) {
		o.release()
		if o.file == files[0] {
			t.Errorf("a running window's file was taken for an orphan")
		}
	}
}

// The save dialogs' writer never truncates the file it names: closed with
// nothing written it leaves the file as it was, and what is written replaces
// the file atomically on Close. Adding the extension to a typed name that
// then names another existing file asks first (issue #10, item 4).
func TestSaveDialogWriterNeverTruncates(t *testing.T) {
	w := newTestWindow(t) // a Fyne app: its file repository is registered
	useSafeFiles()
	dir := t.TempDir()
	path := filepath.Join(dir, "existing.json")
	os.WriteFile(path, []byte("precious"), 0o644)
	wc, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "precious" {
		t.Errorf("opening the writer truncated the file to %q", got)
	}
	wc.Close()
	if got, _ := os.ReadFile(path); string(got) != "precious" {
		t.Errorf("closing an empty writer changed the file to %q", got)
	}
	wc, _ = storage.Writer(storage.NewFileURI(path))
	wc.Write([]byte("new bytes"))
	if got, _ := os.ReadFile(path); string(got) != "precious" {
		t.Errorf("the file changed before Close: %q", got)
	}
	wc.Close()
	if got, _ := os.ReadFile(path); string(got) != "new bytes" {
		t.Errorf("after Close: %q", got)
	}
	// The dialog asked about "plan"; plan.json exists: replacing it is asked first.
	other := filepath.Join(dir, "plan.json")
	os.WriteFile(other, []byte("keep me"), 0o644)
	called := false
	w.withSuffix(filepath.Join(dir, "plan"), ".json", func(string) { called = true })
	if called || len(w.win.Canvas().Overlays().List()) == 0 {
		t.Errorf("plan.json would be replaced without asking (called %v)", called)
	}
	if got, _ := os.ReadFile(other); string(got) != "keep me" {
		t.Errorf("plan.json changed: %q", got)
	}
}

// toolbarButton finds the window's toolbar button with label, as a person
// sees it: the test then taps it, so its wiring is what is tested.
func toolbarButton(t *testing.T, w *Window, label string) *widget.Button {
	t.Helper()
	var found *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Button:
			if v.Text == label {
				found = v
			}
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		}
	}
	walk(w.win.Content())
	if found == nil {
		t.Fatalf("no toolbar button %q", label)
	}
	return found
}

// menuItem finds the main menu's item label under menu.
func menuItem(t *testing.T, w *Window, menu, label string) *fyne.MenuItem {
	t.Helper()
	for _, m := range w.win.MainMenu().Items {
		if m.Label != menu {
			continue
		}
		for _, it := range m.Items {
			if it.Label == label {
				return it
			}
		}
	}
	t.Fatalf("no menu item %s → %s", menu, label)
	return nil
}

// Shift+arrows stretch a block; Ctrl+C copies it as tab-separated text;
// Ctrl+V pastes a block, or one value into every cell of a block, as one
// undoable step, and refuses the whole paste when any cell would refuse.
func TestClipboardAndBlocks(t *testing.T) {
	w := newTestWindow(t)
	clip := w.app.Clipboard()
	g := w.grid
	calls := rowOf(t, g, "calls_per_day")
	g.Select(widget.TableCellID{Row: calls - 1, Col: 1}) // Baseline's days
	g.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	g.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	g.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	g.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	sendShortcut(w, &fyne.ShortcutCopy{Clipboard: clip})
	if got := clip.Content(); got != "90\t90\n500000\t2000000" {
		t.Errorf("copied %q", got)
	}
	// Paste that block onto Phase 1 and Phase 2: one step.
	g.Select(widget.TableCellID{Row: calls - 1, Col: 2})
	clip.SetContent("30\t45\n600000\t700000\n")
	sendShortcut(w, &fyne.ShortcutPaste{Clipboard: clip})
	p := w.doc.Plan
	if p.Phases[1].Days != 30 || p.Phases[2].Days != 45 || p.Phases[1].CallsPerDay != 600_000 || p.Phases[2].CallsPerDay != 700_000 {
		t.Fatalf("pasted: %d %d %d %d", p.Phases[1].Days, p.Phases[2].Days, p.Phases[1].CallsPerDay, p.Phases[2].CallsPerDay)
	}
	sendShortcut(w, &fyne.ShortcutUndo{})
	if w.doc.Plan.Phases[1].Days != 90 || w.doc.Plan.Phases[2].CallsPerDay != 5_000_000 {
		t.Errorf("one undo should take back the whole paste")
	}
	// A value the planner refuses: nothing changes, and the cell is named.
	before := string(planner.Marshal(w.doc.Plan))
	clip.SetContent("30\tabc")
	sendShortcut(w, &fyne.ShortcutPaste{Clipboard: clip})
	if string(planner.Marshal(w.doc.Plan)) != before || !strings.Contains(w.entryErr.Text, "nothing was pasted: Phase 2 · Days") {
		t.Errorf("a bad paste changed the plan or said %q", w.entryErr.Text)
	}
	// Into a computed cell: refused.
	g.Select(widget.TableCellID{Row: rowOf(t, g, "calls"), Col: 1})
	clip.SetContent("5")
	sendShortcut(w, &fyne.ShortcutPaste{Clipboard: clip})
	if !strings.Contains(w.entryErr.Text, "is computed") {
		t.Errorf("pasting into a computed cell: %q", w.entryErr.Text)
	}
}

// A plan slow to compute recomputes off the UI goroutine: the window keeps
// showing a plan and its own figures, edits build on the newest plan, the
// newest computation wins, and a save settles first (issue #10, item 11).
func TestSlowPlansRecomputeOffTheUIGoroutine(t *testing.T) {
	old := SlowCompute
	SlowCompute = 0 // every plan counts as slow here
	t.Cleanup(func() { SlowCompute = old })
	w := newTestWindow(t)
	d := w.doc
	d.lastCompute = time.Second
	computed := make(chan struct{}, 8)
	d.onComputed = func() {
		select {
		case computed <- struct{}{}:
		default:
		}
	}
	// Fyne's headless driver runs fyne.Do on the computing goroutine, so
	// the test holds computations back while it acts and waits for them
	// before acting again (in the app the hand-over runs on the UI goroutine).
	hold := func() chan struct{} { g := make(chan struct{}); d.mu.Lock(); d.gate = g; d.mu.Unlock(); return g }
	settle := func(gate chan struct{}) {
		close(gate)
		for d.Computing() {
			select {
			case <-computed:
			case <-time.After(10 * time.Second):
				t.Fatal("never computed")
			}
		}
		d.handing.Lock() // a hand-over that cleared Computing may still be refreshing the window
		d.handing.Unlock()
	}
	gate := hold()
	if err := d.Edit(func(p planner.Plan) (planner.Plan, error) {
		return planner.SetInput(p, 0, planner.KeyCallsPerDay, "600000")
	}); err != nil {
		t.Fatal(err)
	}
	if err := d.Edit(func(p planner.Plan) (planner.Plan, error) {
		return planner.SetInput(p, 1, planner.KeyCallsPerDay, "2100000")
	}); err != nil {
		t.Fatal(err)
	}
	// The second edit built on the first, before either was computed; the
	// window still shows the plan it has figures for.
	if l := d.Latest(); l.Phases[0].CallsPerDay != 600_000 || l.Phases[1].CallsPerDay != 2_100_000 || !d.Computing() || d.Plan.Phases[0].CallsPerDay != 500_000 {
		t.Errorf("latest %d %d, shown %d", l.Phases[0].CallsPerDay, l.Phases[1].CallsPerDay, d.Plan.Phases[0].CallsPerDay)
	}
	if !strings.Contains(w.status.Text, "recomputing") {
		t.Errorf("status %q", w.status.Text)
	}
	settle(gate)
	if d.Plan.Phases[1].CallsPerDay != 2_100_000 || d.Result.Phases[1].CallsPerDay != 2_100_000 || d.Result.Phases[0].CallsPerDay != 600_000 {
		t.Errorf("after computing: plan %d, result %d/%d", d.Plan.Phases[1].CallsPerDay, d.Result.Phases[0].CallsPerDay, d.Result.Phases[1].CallsPerDay)
	}
	// Saving while a computation waits saves the newest plan.
	gate = hold()
	if err := d.Edit(func(p planner.Plan) (planner.Plan, error) {
		return planner.SetInput(p, 2, planner.KeyCallsPerDay, "5500000")
	}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "saved.json")
	if err := w.SavePath(path); err != nil {
		t.Fatal(err)
	}
	if q, err := planner.Load(path); err != nil || q.Phases[2].CallsPerDay != 5_500_000 || d.Computing() {
		t.Errorf("saved %v %v, computing %v", q.Phases[2].CallsPerDay, err, d.Computing())
	}
	settle(gate)
	// Two undos step back through both edits' predecessors, computed or not.
	gate = hold()
	d.Undo()
	d.Undo()
	if l := d.Latest(); l.Phases[1].CallsPerDay != 2_000_000 || l.Phases[0].CallsPerDay != 600_000 {
		t.Errorf("after two undos: %d %d", l.Phases[0].CallsPerDay, l.Phases[1].CallsPerDay)
	}
	settle(gate)
	if d.Result.Phases[1].CallsPerDay != 2_000_000 {
		t.Errorf("the window shows %d after the undos were computed", d.Result.Phases[1].CallsPerDay)
	}
}
