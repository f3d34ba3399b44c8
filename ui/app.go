package ui

// The main window: its parts and how they are laid out and refreshed.

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/actuals"
	"github.com/scaleplan/scaleplan/planner/prices"
)

// AppID is the application's identity for preferences and packaging.
const AppID = "io.scaleplan.app"

// Window is scaleplan's main window over one Document.
type Window struct {
	app fyne.App
	win fyne.Window
	doc *Document

	grid     *Grid
	roadmap  *Roadmap
	costs    *Costs
	tabs     *container.AppTabs
	tabList  []view   // the tabs, in order (views)
	exporter Exporter // writes workbooks
	// prices are the price books plans resolve against: the built-in
	// book (the app reads no book files of its own yet).
	prices prices.Catalog

	cellName *widget.Label
	entry    *cellEntry
	entryErr *widget.Label
	editErr  string // the refused edit's message, "" when none
	checks   *fyne.Container
	status   *widget.Label
	info     *widget.Label
	costInfo *widget.Label
	scale    *Scale
	latency  *latencyView
	compare  *compareView
	risk     *riskView
	commit   *commitView
	actuals  *actualsView

	scenarioSwitch *widget.Select

	checkLabels []*widget.Label // the checks panel's lines, reused across edits

	recovery *recoveryKeeper // keeps unsaved work, off the UI goroutine; nil when not kept
	// recoveryOffered is set while "Restore unsaved changes?" awaits an
	// answer: closing then must leave the recovery file for next time.
	recoveryOffered bool
	pendingOrphan   *orphan        // the orphan being offered, released on quit
	recoveryLock    func()         // releases this instance's recovery lock; nil when none
	lockHeld        string         // the plan whose lock file this window wrote; "" for none
	exportCancel    *widget.Button // the export dialog's Cancel, while an export runs (tests)
	recent          *fyne.MenuItem
	rehearsal       *Rehearsal // the presenter view, while it is shown
}

// Exporter writes a plan's workbook. The window is given one, as the CLI
// is (cmd/scaleplan passes the export package's), so that ui does not
// depend on how workbooks are made.
type Exporter struct {
	Write func(p planner.Plan, r *planner.Result, cat prices.Catalog, path string) error
	// Bytes builds the workbook without writing it, so an export can be
	// cancelled with nothing written (nil: Write is used, and Cancel only
	// stops waiting).
	Bytes func(p planner.Plan, r *planner.Result, cat prices.Catalog) ([]byte, error)
	// Fit says what the workbook had to change in the plan's text (nil: nothing).
	Fit func(p planner.Plan) (planner.Plan, []string)
	// BytesActuals builds the workbook with an Actuals sheet, used while
	// the Actuals tab holds a bill (nil: the workbook has none).
	BytesActuals func(p planner.Plan, r *planner.Result, cat prices.Catalog, rep *actuals.Report) ([]byte, error)
}

// The window's views, by name.
const (
	tabModel   = "Model"
	tabRoadmap = "Roadmap"
	tabCosts   = "Costs"
	tabExplain = "Explain"
	tabScale   = "Scale"
	tabLatency = "Latency"
	tabCompare = "Compare"
	tabRisk    = "Risk"
	tabCommit  = "Commitments"
	tabActuals = "Actuals"
)

// NewWindow builds the window on doc. recoveryFile is where unsaved work is
// kept between edits ("" to keep none); exp writes workbooks.
func NewWindow(a fyne.App, doc *Document, recoveryFile string, exp Exporter) *Window {
	w := &Window{app: a, doc: doc, exporter: exp}
	w.keepRecovery(recoveryFile)
	w.win = a.NewWindow("scaleplan")
	w.build()
	doc.OnChange(w.changed)
	w.changed()
	w.win.SetCloseIntercept(func() { w.confirmDiscard("closing", w.quit) })
	a.Lifecycle().SetOnEnteredForeground(w.checkDisk)
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
	w.grid.onComponent, w.grid.onDeleteComponent = w.editComponent, w.deleteComponent

	w.scenarioSwitch = w.newScenarioSwitch()
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
		widget.NewSeparator(),
		widget.NewLabel("Scenario:"),
		w.scenarioSwitch,
	)
	top := container.NewVBox(toolbar, editor, w.entryErr)
	w.scale = NewScale(w.doc, func() int { return max(w.grid.SelectedPhase(), 0) })
	w.compare = newCompareView(w.doc)
	w.risk = newRiskView(w.doc)
	w.commit = newCommitView(w.doc, &w.prices)
	w.actuals = newActualsView(w)
	w.latency = newLatencyView(w.doc, func() int { return max(w.grid.SelectedPhase(), 0) })
	w.tabs = container.NewAppTabs()
	for _, v := range w.views() {
		w.appendView(v)
	}
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
	if i := w.tabs.SelectedIndex(); i >= 0 && i < len(w.tabList) {
		w.tabList[i].Refresh()
	}
}

// showTab shows the view of that name.
func (w *Window) showTab(name string) {
	for i, t := range w.tabList {
		if t.Name() == name {
			w.tabs.SelectIndex(i)
			return
		}
	}
}

// appendView adds a tab at the end: to the tabs here, and to the View
// menu, Ctrl+digit and the shortcut help, which are made from tabList.
func (w *Window) appendView(v view) {
	w.tabList = append(w.tabList, v)
	w.tabs.Append(container.NewTabItemWithIcon(v.Name(), v.Icon(), v.Content()))
}

// changed re-renders everything after the document changed.
func (w *Window) changed() {
	w.refreshScenarioSwitch()
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

// The custom widgets are what the window's layout takes them for.
var (
	_ fyne.Widget       = (*Grid)(nil)
	_ fyne.Focusable    = (*Grid)(nil)
	_ fyne.Shortcutable = (*Grid)(nil)
	_ fyne.Widget       = (*Costs)(nil)
	_ fyne.Tappable     = (*Costs)(nil)
	_ fyne.Widget       = (*Roadmap)(nil)
	_ fyne.Tappable     = (*Roadmap)(nil)
	_ fyne.Draggable    = (*Roadmap)(nil)
	_ desktop.Hoverable = (*Roadmap)(nil)
	_ fyne.Widget       = (*Scale)(nil)
	_ fyne.Widget       = (*latencyChart)(nil)
	_ fyne.Widget       = (*drawing)(nil)
	_ fyne.Widget       = (*gridCell)(nil)
	_ fyne.Focusable    = (*cellEntry)(nil)
)
