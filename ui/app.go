package ui

import (
	"errors"
	"fmt"
	"fyne.io/fyne/v2/storage"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/export"
	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/report"
)

// AppID is the application's identity for preferences and packaging.
const AppID = "io.scaleplan.app"

// Window is scaleplan's main window over one Document.
type Window struct {
	app fyne.App
	win fyne.Window
	doc *Document

	grid    *Grid
	roadmap *Roadmap
	costs   *Costs
	tabs    *container.AppTabs

	cellName *widget.Label
	entry    *cellEntry
	entryErr *widget.Label
	editErr  string // the refused edit's message, "" when none
	checks   *fyne.Container
	status   *widget.Label
	info     *widget.Label
	costInfo *widget.Label
	explain  *widget.Label // the sizing derivation, phase by phase
	scale    *Scale
	latency  *latencyView

	checkLabels []*widget.Label // the checks panel's lines, reused across edits

	recovery *recoveryKeeper // keeps unsaved work, off the UI goroutine; nil when not kept
	// recoveryOffered is set while "Restore unsaved changes?" awaits an
	// answer: closing then must leave the recovery file for next time.
	recoveryOffered bool
	pendingOrphan   *orphan // the orphan being offered, released on quit
	recoveryLock    func()  // releases this instance's recovery lock; nil when none
	recent          *fyne.MenuItem
	rehearsal       *Rehearsal // the presenter view, while it is shown
}

// NewWindow builds the window on doc. recoveryFile is where unsaved work is
// kept between edits ("" to keep none).
func NewWindow(a fyne.App, doc *Document, recoveryFile string) *Window {
	w := &Window{app: a, doc: doc}
	w.keepRecovery(recoveryFile)
	w.win = a.NewWindow("scaleplan")
	w.build()
	doc.OnChange(w.changed)
	w.changed()
	w.win.SetCloseIntercept(func() { w.confirmDiscard("closing", w.quit) })
	w.win.Resize(fyne.NewSize(1280, 800))
	return w
}

// Win is the underlying Fyne window.
func (w *Window) Win() fyne.Window { return w.win }

func (w *Window) build() {
	w.grid = NewGrid(w.doc)
	w.roadmap = NewRoadmap(w.doc)
	w.costs = NewCosts(w.doc)
	w.info = widget.NewLabel("Hover or tap a bar for its numbers. Drag a bar's right edge to change its days; Ctrl+Z undoes.")
	w.info.Wrapping = fyne.TextWrapWord
	w.costInfo = widget.NewLabel("Tap a column for its numbers.")
	w.costInfo.Wrapping = fyne.TextWrapWord
	selectPhase := func(i int) { w.grid.SelectPhase(i) }
	w.roadmap.onSelect, w.costs.onSelect = selectPhase, selectPhase
	w.roadmap.onInfo = w.info.SetText
	w.costs.onInfo = w.costInfo.SetText

	w.cellName = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	w.entry = newCellEntry()
	w.entry.SetPlaceHolder("Select an input cell and type; Enter applies, Esc cancels")
	w.entryErr = widget.NewLabel("")
	w.entryErr.Truncation = fyne.TextTruncateEllipsis
	w.setError("")
	w.entry.onCommit = w.commitEdit
	w.entry.onCancel = w.cancelEdit
	w.grid.onSelect = w.selected
	w.grid.onError = w.setError
	w.grid.otherShortcut = func(s fyne.Shortcut) {
		if _, ok := s.(*fyne.ShortcutRedo); ok {
			w.redo() // Ctrl+Y while the grid has the keyboard
		}
	}
	w.grid.startEdit = w.startEdit

	editor := container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(labelColWidth, w.entry.MinSize().Height), w.cellName), nil, w.entry)
	toolbar := container.NewHBox(
		button("Add phase", theme.ContentAddIcon(), w.addPhase),
		button("Duplicate", theme.ContentCopyIcon(), w.duplicatePhase),
		button("Delete", theme.DeleteIcon(), w.deletePhase),
		button("Move left", theme.NavigateBackIcon(), func() { w.movePhase(-1) }),
		button("Move right", theme.NavigateNextIcon(), func() { w.movePhase(+1) }),
		button("Rename…", theme.DocumentCreateIcon(), w.renamePhase),
		button("Reset to default", theme.ContentUndoIcon(), w.resetOverride),
		widget.NewSeparator(),
		button("Plan settings…", theme.SettingsIcon(), w.settings),
	)
	top := container.NewVBox(toolbar, editor, w.entryErr)
	w.scale = NewScale(w.doc, func() int { return max(w.grid.SelectedPhase(), 0) })
	w.latency = newLatencyView(w.doc, func() int { return max(w.grid.SelectedPhase(), 0) })
	w.explain = widget.NewLabel("")
	w.explain.Wrapping = fyne.TextWrapWord
	w.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon("Model", theme.GridIcon(), w.grid),
		container.NewTabItemWithIcon("Roadmap", theme.ListIcon(), container.NewBorder(nil, container.NewPadded(w.info), nil, nil, container.NewVScroll(w.roadmap))),
		container.NewTabItemWithIcon("Costs", theme.InfoIcon(), container.NewBorder(nil, container.NewPadded(w.costInfo), nil, nil, w.costs)),
		container.NewTabItemWithIcon("Explain", theme.HelpIcon(), container.NewVScroll(container.NewPadded(w.explain))),
		container.NewTabItemWithIcon("Scale", theme.ZoomInIcon(), w.scale),
		container.NewTabItemWithIcon("Latency", theme.HistoryIcon(), w.latency.root),
	)
	w.tabs.OnSelected = func(*container.TabItem) { w.refreshChart() }
	w.checks = container.NewVBox()
	side := container.NewBorder(widget.NewLabelWithStyle("Checks", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil,
		container.NewVScroll(w.checks))
	w.status = widget.NewLabel("")
	split := container.NewHSplit(w.tabs, side)
	split.Offset = 0.76
	w.win.SetContent(container.NewBorder(top, container.NewVBox(widget.NewSeparator(), w.status), nil, nil, split))
	w.win.SetMainMenu(w.menu())
	w.win.Canvas().AddShortcut(&fyne.ShortcutRedo{}, func(fyne.Shortcut) { w.redo() }) // Ctrl+Y
	w.selected(w.grid.Selected())
	// Start with the keyboard in the grid, on the first phase's Days cell,
	// so typing a number and Enter edits it without a click.
	w.win.Canvas().Focus(w.grid)
}

func button(label string, icon fyne.Resource, f func()) *widget.Button {
	b := widget.NewButtonWithIcon(label, icon, f)
	b.Importance = widget.LowImportance
	return b
}

// refreshChart redraws the chart on the visible tab; the other is redrawn
// when its tab is selected, so an edit in the grid does not pay for charts
// no one is looking at.
func (w *Window) refreshChart() {
	switch w.tabs.SelectedIndex() {
	case 1:
		w.roadmap.Refresh()
	case 2:
		w.costs.Refresh()
	case 3:
		w.explain.SetText(report.Explain(w.doc.Plan, &w.doc.Result))
	case 4:
		w.scale.Refresh()
	case 5:
		w.latency.Refresh()
	}
}

// changed re-renders everything after the document changed.
func (w *Window) changed() {
	w.grid.Reload()
	w.refreshChart()
	w.refreshChecks()
	w.refreshStatus()
	w.selected(w.grid.Selected())
	if w.recovery != nil {
		w.recovery.Keep(w.doc.RecoverySnapshot())
	}
}

// keepRecovery starts keeping unsaved work in file.
func (w *Window) keepRecovery(file string) {
	if file != "" {
		w.recovery = newRecoveryKeeper(file)
	}
}

func (w *Window) refreshStatus() {
	r := &w.doc.Result
	parts := []string{w.doc.Name()}
	if w.doc.Dirty() {
		parts[0] += " (unsaved)"
	}
	parts = append(parts, "total "+format.Money(r.Totals.Cost.Total, r.Currency))
	if r.Totals.CostPerCall.Valid {
		parts = append(parts, format.MoneyPlacesN(r.Totals.CostPerCall.Val, r.Currency, format.CostPerCallPlaces)+" per call")
	}
	if r.BreakEven.Day.Valid {
		parts = append(parts, fmt.Sprintf("break-even %s (day %s)", r.BreakEven.Date.Val, format.Count(r.BreakEven.Day.Val)))
	} else {
		parts = append(parts, "no break-even within the plan")
	}
	if w.doc.Computing() {
		parts = append(parts, "recomputing…")
	}
	w.status.SetText(strings.Join(parts, "   ·   "))
	title := w.doc.Name() + " — scaleplan"
	if w.doc.Dirty() {
		title = "● " + title
	}
	w.win.SetTitle(title)
}

// CheckLines lists every failing check in words, phase by phase.
func (w *Window) CheckLines() []string {
	var out []string
	for i := range w.doc.Result.Phases {
		p := &w.doc.Result.Phases[i]
		for _, c := range p.FailedChecks() {
			out = append(out, p.Name+": "+c.Detail())
		}
	}
	return out
}

func (w *Window) refreshChecks() {
	failing := w.CheckLines()
	total := 0
	for i := range w.doc.Result.Phases {
		total += len(w.doc.Result.Phases[i].Checks)
	}
	lines := make([]string, 0, len(failing)+1)
	for _, s := range failing {
		lines = append(lines, "✗ "+s)
	}
	if len(failing) == 0 {
		lines = append(lines, fmt.Sprintf("All %d checks pass.", total))
	} else {
		lines = append(lines, fmt.Sprintf("%d of %d checks pass.", total-len(failing), total))
	}
	// Most edits change one phase's checks: keep every label whose words are
	// unchanged, so the panel does not re-measure a hundred wrapped labels
	// on each keystroke.
	changed := len(lines) != len(w.checkLabels)
	for len(w.checkLabels) < len(lines) {
		l := widget.NewLabel("")
		l.Wrapping = fyne.TextWrapWord
		w.checkLabels = append(w.checkLabels, l)
	}
	w.checkLabels = w.checkLabels[:len(lines)]
	for k, text := range lines {
		l := w.checkLabels[k]
		imp := widget.DangerImportance
		if k == len(lines)-1 {
			imp = widget.MediumImportance
			if len(failing) == 0 {
				imp = widget.SuccessImportance
			}
		}
		if l.Text != text || l.Importance != imp {
			l.Importance = imp
			l.SetText(text)
		}
	}
	if changed {
		objs := make([]fyne.CanvasObject, len(w.checkLabels))
		for k, l := range w.checkLabels {
			objs[k] = l
		}
		w.checks.Objects = objs
		w.checks.Refresh()
	}
}

// selected shows the selected cell in the editor bar.
func (w *Window) selected(id widget.TableCellID) {
	w.grid.ClearInvalid()
	w.setError("")
	l := w.grid.line(id.Row)
	phase := w.grid.SelectedPhase()
	switch {
	case l == nil || phase < 0:
		w.cellName.SetText("")
		w.entry.SetText("")
		w.entry.Disable()
		return
	case !w.grid.Editable(id):
		w.cellName.SetText(w.doc.Result.Phases[phase].Name + " · " + l.Label)
		w.entry.SetText(l.Phase(&w.doc.Result, phase) + "   (computed)")
		w.entry.Disable()
		return
	}
	name := w.doc.Result.Phases[phase].Name + " · " + l.Label
	if l.Kind == report.PlanInput {
		name = "Plan · " + l.Label
	}
	w.cellName.SetText(name)
	w.entry.Enable()
	w.entry.SetText(w.grid.EditText(id))
}

// editHint sits under the editor when there is no error, so the layout does
// not jump when a message appears.
const editHint = "Type or press Enter to edit the selected input · Enter applies · Tab applies and moves right · Esc cancels"

// setError shows a refused edit's message under the editor, or the hint.
func (w *Window) setError(msg string) {
	w.editErr = msg
	if msg == "" {
		w.entryErr.Importance = widget.LowImportance
		w.entryErr.SetText(editHint)
		return
	}
	w.entryErr.Importance = widget.DangerImportance
	w.entryErr.SetText(msg)
}

func (w *Window) startEdit(initial string, keep bool) {
	if !keep {
		w.entry.SetText(initial)
	}
	w.win.Canvas().Focus(w.entry)
	w.entry.CursorColumn = len([]rune(w.entry.Text))
	w.entry.Refresh()
}

func (w *Window) commitEdit(moveRight bool) {
	id := w.grid.Selected()
	if err := w.grid.Commit(id, w.entry.Text); err != nil {
		w.setError(err.Error())
		return
	}
	w.setError("")
	w.win.Canvas().Focus(w.grid)
	if moveRight {
		w.grid.move(0, 1)
	} else {
		w.grid.move(1, 0)
	}
}

func (w *Window) cancelEdit() {
	w.grid.ClearInvalid()
	w.setError("")
	w.entry.SetText(w.grid.EditText(w.grid.Selected()))
	w.win.Canvas().Focus(w.grid)
}

// undo undoes the last plan edit, or the typing in the editor while it has
// the keyboard (as a spreadsheet's cell editor does).
func (w *Window) undo() {
	if w.win.Canvas().Focused() == w.entry {
		w.entry.Entry.TypedShortcut(&fyne.ShortcutUndo{})
		return
	}
	w.doc.Undo()
}

// redo redoes the last undone plan edit, or the editor's typing.
func (w *Window) redo() {
	if w.win.Canvas().Focused() == w.entry {
		w.entry.Entry.TypedShortcut(&fyne.ShortcutRedo{})
		return
	}
	w.doc.Redo()
}

// phase returns the selected phase, or the first when none is selected.
func (w *Window) phase() int { return max(w.grid.SelectedPhase(), 0) }

func (w *Window) addPhase() {
	p, at, err := planner.AddPhase(w.doc.Latest(), w.phase())
	if err != nil {
		w.show(dialog.NewError(fmt.Errorf("no phase was added: %w", err), w.win))
		return
	}
	w.doc.Apply(p)
	w.grid.SelectPhase(at)
}

func (w *Window) duplicatePhase() {
	p, at, err := planner.DuplicatePhase(w.doc.Latest(), w.phase())
	if err != nil {
		w.show(dialog.NewError(fmt.Errorf("the phase was not duplicated: %w", err), w.win))
		return
	}
	w.doc.Apply(p)
	w.grid.SelectPhase(at)
}

func (w *Window) deletePhase() {
	i := w.phase()
	if err := w.doc.Edit(func(p planner.Plan) (planner.Plan, error) { return planner.DeletePhase(p, i) }); err != nil {
		w.show(dialog.NewError(err, w.win))
		return
	}
	w.grid.SelectPhase(min(i, len(w.doc.Plan.Phases)-1))
}

func (w *Window) movePhase(delta int) {
	p, at := planner.MovePhase(w.doc.Latest(), w.phase(), delta)
	if at != w.phase() {
		w.doc.Apply(p)
		w.grid.SelectPhase(at)
	}
}

func (w *Window) renamePhase() {
	i := w.phase()
	e := widget.NewEntry()
	e.SetText(w.doc.Plan.Phases[i].Name)
	w.showForm("Rename phase", "Rename", "Cancel", []*widget.FormItem{widget.NewFormItem("Name", e)}, func(ok bool) {
		if !ok {
			return
		}
		if err := w.doc.Edit(func(p planner.Plan) (planner.Plan, error) { return planner.SetInput(p, i, planner.KeyName, e.Text) }); err != nil {
			w.show(dialog.NewError(err, w.win))
		}
	})
}

func (w *Window) resetOverride() {
	id := w.grid.Selected()
	l := w.grid.line(id.Row)
	i := w.grid.SelectedPhase()
	if l == nil || i < 0 || l.Kind != report.AssumptionInput || !w.doc.Plan.Phases[i].Overrides.Has(l.Field) {
		w.setError("Select a cell that overrides the plan default (shaded orange) to reset it.")
		return
	}
	w.doc.Apply(planner.ResetOverride(w.doc.Latest(), i, l.Field))
}

// settings edits the plan-wide values in one undoable step.
func (w *Window) settings() {
	p := w.doc.Latest()
	opt := func(o planner.Opt[decimalT]) string {
		if !o.Valid {
			return ""
		}
		return o.Val.String()
	}
	name, cur, start := widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	p99, ceiling, floor, accuracy := widget.NewEntry(), widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	notes := widget.NewMultiLineEntry()
	notes.Wrapping = fyne.TextWrapWord
	notes.SetMinRowsVisible(5)
	name.SetText(p.Name)
	cur.SetText(p.Currency)
	start.SetText(p.StartDate.String())
	p99.SetText(opt(p.SLO.P99Ms))
	ceiling.SetText(opt(p.SLO.MaxCostPerCall))
	floor.SetText(opt(p.SLO.MinUtilization))
	accuracy.SetText(opt(p.SLO.MinAccuracy))
	accuracy.SetPlaceHolder("for model variants, e.g. 0.88 (blank: none)")
	notes.SetText(p.Notes)
	floor.SetPlaceHolder("e.g. 0.5 or 50% (blank: not checked)")
	ceiling.SetPlaceHolder("blank: not checked")
	items := []*widget.FormItem{
		widget.NewFormItem("Name", name), widget.NewFormItem("Currency", cur), widget.NewFormItem("Start date", start),
		widget.NewFormItem("p99 target (ms)", p99), widget.NewFormItem("Cost ceiling per call", ceiling),
		widget.NewFormItem("Minimum utilization", floor), widget.NewFormItem("Accuracy floor", accuracy), widget.NewFormItem("Notes", notes),
	}
	d := dialog.NewForm("Plan settings", "Apply", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		err := w.doc.Edit(func(p planner.Plan) (planner.Plan, error) {
			var err error
			for _, s := range []struct{ key, text string }{{"name", name.Text}, {"currency", cur.Text}, {"start_date", start.Text}, {"notes", notes.Text}} {
				if p, err = planner.SetPlanField(p, s.key, s.text); err != nil {
					return p, err
				}
			}
			for _, s := range []struct{ key, text string }{{planner.KeyP99Ms, p99.Text}, {planner.KeyMaxCostPerCall, ceiling.Text},
				{planner.KeyMinUtilization, floor.Text}, {planner.KeyMinAccuracy, accuracy.Text}} {
				if p, err = planner.SetInput(p, planner.PlanDefault, s.key, s.text); err != nil {
					return p, err
				}
			}
			return p, nil
		})
		if err != nil {
			w.show(dialog.NewError(fmt.Errorf("nothing was changed: %w", err), w.win))
		}
	}, w.win)
	d.Resize(fyne.NewSize(560, 520))
	w.show(d)
}

// menu builds the main menu. Shortcuts sit on menu items, which since Fyne
// 2.6 run before a focused Entry takes the keys.
func (w *Window) menu() *fyne.MainMenu {
	sc := func(k fyne.KeyName, shift bool) fyne.Shortcut {
		m := fyne.KeyModifierShortcutDefault
		if shift {
			m |= fyne.KeyModifierShift
		}
		return &desktop.CustomShortcut{KeyName: k, Modifier: m}
	}
	item := func(label string, f func(), s fyne.Shortcut) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, f)
		it.Shortcut = s
		return it
	}
	w.recent = fyne.NewMenuItem("Open Recent", nil)
	w.recent.ChildMenu = fyne.NewMenu("")
	w.refreshRecent()
	file := fyne.NewMenu("File",
		item("New", w.newPlan, sc(fyne.KeyN, false)),
		item("Open…", w.openDialog, sc(fyne.KeyO, false)),
		w.recent,
		fyne.NewMenuItemSeparator(),
		item("Save", w.save, sc(fyne.KeyS, false)),
		item("Save As…", w.saveAsDialog, sc(fyne.KeyS, true)),
		item("Export to Excel…", w.exportDialog, sc(fyne.KeyE, false)),
		fyne.NewMenuItemSeparator(),
		item("Rehearse", func() {
			if w.rehearsal == nil {
				w.StartRehearsal()
			}
		}, sc(fyne.KeyR, false)),
		fyne.NewMenuItemSeparator(),
		quitItem(item("Quit", func() { w.confirmDiscard("quitting", w.quit) }, sc(fyne.KeyQ, false))),
	)
	// The desktop driver delivers Ctrl+Z as fyne.ShortcutUndo and Ctrl+Y as
	// fyne.ShortcutRedo, never as a custom Ctrl+Z: the menu must name them
	// so (a custom shortcut for Z never fired in the real window). Ctrl+Shift+Z
	// arrives as a custom shortcut and is the Redo item's; Ctrl+Y reaches the
	// canvas (see build).
	edit := fyne.NewMenu("Edit",
		item("Undo", w.undo, &fyne.ShortcutUndo{}),
		item("Redo", w.redo, sc(fyne.KeyZ, true)),
		fyne.NewMenuItemSeparator(),
		item("Add phase", w.addPhase, nil),
		item("Duplicate phase", w.duplicatePhase, nil),
		item("Delete phase", w.deletePhase, nil),
		item("Move phase left", func() { w.movePhase(-1) }, nil),
		item("Move phase right", func() { w.movePhase(+1) }, nil),
		item("Rename phase…", w.renamePhase, nil),
		item("Reset cell to plan default", w.resetOverride, nil),
		fyne.NewMenuItemSeparator(),
		item("Plan settings…", w.settings, nil),
	)
	view := fyne.NewMenu("View",
		item("Model", func() { w.tabs.SelectIndex(0) }, sc(fyne.Key1, false)),
		item("Roadmap", func() { w.tabs.SelectIndex(1) }, sc(fyne.Key2, false)),
		item("Costs", func() { w.tabs.SelectIndex(2) }, sc(fyne.Key3, false)),
		item("Explain", func() { w.tabs.SelectIndex(3) }, sc(fyne.Key4, false)),
		item("Scale", func() { w.tabs.SelectIndex(4) }, sc(fyne.Key5, false)),
		item("Latency", func() { w.tabs.SelectIndex(5) }, sc(fyne.Key6, false)),
		fyne.NewMenuItemSeparator(),
		item("Check latency with simulation", func() { w.tabs.SelectIndex(5); w.latency.Simulate() }, sc(fyne.KeyL, false)),
	)
	help := fyne.NewMenu("Help",
		item("Keyboard shortcuts", w.showShortcuts, nil),
		item("About scaleplan", w.showAbout, nil),
	)
	return fyne.NewMainMenu(file, edit, view, help)
}

// --- files ---

// OpenPath loads a plan file into the window. An invalid or unreadable file
// leaves the current plan untouched and returns every problem found.
func (w *Window) OpenPath(path string) error {
	p, err := planner.Load(path)
	if err != nil {
		return err
	}
	w.doc.Reset(p, path, false)
	w.remember(path)
	return nil
}

// SavePath saves the plan to path (atomically) and makes it the document's file.
func (w *Window) SavePath(path string) error {
	if err := w.doc.SaveAs(path); err != nil {
		return err
	}
	w.remember(path)
	return nil
}

// ExportPath writes the workbook off the UI goroutine and reports back on it.
func (w *Window) ExportPath(path string, done func(error)) {
	w.doc.Settle()                   // the newest plan and its figures
	p, r := w.doc.Plan, w.doc.Result // values: later edits do not touch them
	go func() {
		err := export.WriteFile(p, &r, path)
		fyne.Do(func() { done(err) })
	}()
}

func (w *Window) newPlan() {
	w.confirmDiscard("starting a new plan", func() {
		w.doc.Reset(planner.NewPlan(w.doc.Plan.StartDate), "", false)
	})
}

func (w *Window) openDialog() {
	w.confirmDiscard("opening another plan", func() {
		d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
			if err != nil || rc == nil {
				return // cancelled
			}
			path := rc.URI().Path()
			rc.Close()
			w.openAndReport(path)
		}, w.win)
		d.SetFilter(planFilter)
		w.show(d)
	})
}

func (w *Window) openAndReport(path string) {
	if err := w.OpenPath(path); err != nil {
		w.showLoadError(path, err)
	}
}

// showLoadError lists every problem the planner found, in a dialog that
// scrolls when there are many.
func (w *Window) showLoadError(path string, err error) {
	msg := err.Error()
	var errs planner.Errors
	if errors.As(err, &errs) {
		msg = fmt.Sprintf("%s is not a valid plan (%s). Your current plan is unchanged.\n\n%s", filepath.Base(path), format.Plural(int64(len(errs)), "problem", "problems"), errs.Error())
	}
	l := widget.NewLabel(msg)
	l.Wrapping = fyne.TextWrapWord
	s := container.NewVScroll(l)
	s.SetMinSize(fyne.NewSize(560, 260))
	w.show(dialog.NewCustom("Could not open "+filepath.Base(path), "Close", s, w.win))
}

func (w *Window) save() {
	if w.doc.Path == "" {
		w.saveAsDialog()
		return
	}
	if err := w.SavePath(w.doc.Path); err != nil {
		w.show(dialog.NewError(fmt.Errorf("the plan was not saved: %w", err), w.win))
	}
}

func (w *Window) saveAsDialog() {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		path := wc.URI().Path()
		wc.Close() // closed empty, it changed nothing (safeFiles); the planner writes atomically itself
		w.withSuffix(path, ".json", func(path string) {
			if err := w.SavePath(path); err != nil {
				w.show(dialog.NewError(fmt.Errorf("the plan was not saved: %w", err), w.win))
			}
		})
	}, w.win)
	d.SetFileName(suggestName(w.doc, ".json"))
	d.SetFilter(planFilter)
	w.startIn(d)
	w.show(d)
}

func (w *Window) exportDialog() {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		path := wc.URI().Path()
		wc.Close() // closed empty, it changed nothing (safeFiles); the export writes atomically itself
		w.withSuffix(path, ".xlsx", func(path string) {
			prog := dialog.NewCustomWithoutButtons("Exporting…", widget.NewProgressBarInfinite(), w.win)
			prog.Show()
			w.ExportPath(path, func(err error) {
				prog.Hide()
				if err != nil {
					w.show(dialog.NewError(fmt.Errorf("the workbook was not written: %w", err), w.win))
					return
				}
				msg := "Wrote " + path
				if _, notes := export.Fit(w.doc.Plan); len(notes) > 0 {
					msg += ".\n\nThe workbook could not hold some text as it is:\n" + strings.Join(notes, "\n")
				}
				w.show(dialog.NewInformation("Exported", msg, w.win))
			})
		})
	}, w.win)
	d.SetFileName(suggestName(w.doc, ".xlsx"))
	w.startIn(d)
	w.show(d)
}

// withSuffix runs then on path with ext added when the name lacks it. The
// dialog asked about the name as typed; when adding ext names a different
// file that exists, it asks before replacing that one.
func (w *Window) withSuffix(path, ext string, then func(string)) {
	if strings.HasSuffix(path, ext) {
		then(path)
		return
	}
	path += ext
	if _, err := os.Stat(path); err != nil {
		then(path)
		return
	}
	w.showConfirm("Replace "+filepath.Base(path)+"?",
		filepath.Base(path)+" already exists in "+filepath.Dir(path)+". Replace it?", func(ok bool) {
			if ok {
				then(path)
			}
		})
}

// shown is a dialog the window shows.
type shown interface {
	SetOnClosed(func())
	Show()
}

// show shows d and, once it closes with nothing else on top, gives the
// keyboard back to the grid: Fyne leaves nothing focused after a dialog,
// and the keys typed next were lost.
func (w *Window) show(d shown) {
	d.SetOnClosed(w.refocus)
	d.Show()
}

func (w *Window) refocus() {
	if w.rehearsal == nil && w.win.Canvas().Overlays().Top() == nil {
		w.win.Canvas().Focus(w.grid)
	}
}

func (w *Window) showConfirm(title, msg string, f func(bool)) {
	w.show(dialog.NewConfirm(title, msg, f, w.win))
}

func (w *Window) showForm(title, confirm, dismiss string, items []*widget.FormItem, f func(bool)) {
	w.show(dialog.NewForm(title, confirm, dismiss, items, f, w.win))
}

// quitItem marks it as the menu's Quit, so Fyne adds no second one.
func quitItem(it *fyne.MenuItem) *fyne.MenuItem {
	it.IsQuit = true
	return it
}

// startIn opens a file dialog in the plan's folder, when it has one.
func (w *Window) startIn(d *dialog.FileDialog) {
	if w.doc.Path == "" {
		return
	}
	if dir, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(w.doc.Path))); err == nil {
		d.SetLocation(dir)
	}
}

func suggestName(d *Document, ext string) string {
	if d.Path != "" {
		return strings.TrimSuffix(filepath.Base(d.Path), ".json") + ext
	}
	return "plan" + ext
}

// confirmDiscard runs then at once when nothing is unsaved, or after the
// person chose to save or to discard their changes.
func (w *Window) confirmDiscard(doing string, then func()) {
	if !w.doc.Dirty() {
		then()
		return
	}
	var d dialog.Dialog
	msg := widget.NewLabel(fmt.Sprintf("%s has unsaved changes. Save them before %s?", w.doc.Name(), doing))
	msg.Wrapping = fyne.TextWrapWord
	saveBtn := widget.NewButton("Save", func() {
		d.Hide()
		if w.doc.Path == "" {
			w.saveAsDialog()
			return
		}
		if err := w.SavePath(w.doc.Path); err != nil {
			w.show(dialog.NewError(err, w.win))
			return
		}
		then()
	})
	saveBtn.Importance = widget.HighImportance
	discard := widget.NewButton("Don't save", func() { d.Hide(); then() })
	cancel := widget.NewButton("Cancel", func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons("Unsaved changes", container.NewVBox(msg, container.NewHBox(cancel, discard, saveBtn)), w.win)
	d.Resize(fyne.NewSize(460, 160))
	w.show(d)
}

func (w *Window) quit() {
	if w.recovery != nil {
		w.recovery.Keep(nil) // the person chose: nothing of this window to recover
		w.recovery.Flush()
	}
	if w.pendingOrphan != nil {
		w.pendingOrphan.release() // unanswered: it stays for next time
	}
	if w.recoveryLock != nil {
		w.recoveryLock()
		if w.recovery != nil {
			os.Remove(w.recovery.file + ".lock")
		}
	}
	w.win.Close()
	w.app.Quit()
}

var planFilter = storageFilter(".json")

// --- recent files ---

const prefRecent = "recent_plans"

func (w *Window) remember(path string) {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	list := []string{abs}
	for _, p := range w.app.Preferences().StringList(prefRecent) {
		if p != abs && len(list) < 8 {
			list = append(list, p)
		}
	}
	w.app.Preferences().SetStringList(prefRecent, list)
	w.refreshRecent()
}

func (w *Window) refreshRecent() {
	if w.recent == nil {
		return
	}
	var items []*fyne.MenuItem
	for _, p := range w.app.Preferences().StringList(prefRecent) {
		path := p
		items = append(items, fyne.NewMenuItem(path, func() {
			w.confirmDiscard("opening another plan", func() { w.openAndReport(path) })
		}))
	}
	if len(items) == 0 {
		items = append(items, &fyne.MenuItem{Label: "No recent plans", Disabled: true})
	}
	w.recent.ChildMenu.Items = items
	if mm := w.win.MainMenu(); mm != nil {
		mm.Refresh()
	}
}

// LastPlan is the plan opened most recently, if any.
func LastPlan(a fyne.App) string {
	if list := a.Preferences().StringList(prefRecent); len(list) > 0 {
		return list[0]
	}
	return ""
}
