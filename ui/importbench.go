package ui

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/loadtest"
	"github.com/scaleplan/scaleplan/report"
)

// benchImport is File → Import load test…: a GuideLLM, AIPerf, GenAI-Perf
// or LLMPerf result read into node inputs, shown with its runs, the inputs
// it gives and how well the latency model fits them before anything is
// written; Apply sets them, with their provenance in the notes, in one
// undoable edit (docs/measured.md).
type benchImport struct {
	w       *Window
	file    loadtest.File
	target  *widget.Select
	nodes   *formEntry
	failed  *widget.Check // fit runs with more than 1 % failed requests
	runs    *widget.Label
	inputs  *widget.Label
	warning *widget.Label
	result  loadtest.Fit
	err     error
	applied func() // tests: the inputs were applied; nil otherwise
}

// benchTargets are the places measured inputs can go, as the target menu
// names them.
func benchTargets(p *planner.Plan) ([]string, []loadtest.Target) {
	names := []string{"Plan defaults"}
	targets := []loadtest.Target{{Phase: -1}}
	for _, v := range p.Variants {
		names = append(names, "Variant "+v.Name)
		targets = append(targets, loadtest.Target{Variant: v.Name, Phase: -1})
	}
	for i, ph := range p.Phases {
		names = append(names, ph.Name+" only")
		targets = append(targets, loadtest.Target{Phase: i})
	}
	return names, targets
}

func newBenchImport(w *Window, f loadtest.File) *benchImport {
	bi := &benchImport{w: w, file: f}
	names, _ := benchTargets(&w.doc.Plan)
	bi.target = widget.NewSelect(names, func(string) { bi.recompute() })
	bi.nodes = newFormEntry(false)
	bi.nodes.SetText("1")
	bi.nodes.OnChanged = func(string) { bi.recompute() }
	bi.failed = widget.NewCheck("Fit runs with over 1 % failed requests", func(bool) { bi.recompute() })
	mono := func() *widget.Label {
		l := widget.NewLabel("")
		l.TextStyle = fyne.TextStyle{Monospace: true}
		return l
	}
	bi.runs, bi.inputs = mono(), widget.NewLabel("")
	bi.inputs.Wrapping = fyne.TextWrapWord
	bi.warning = widget.NewLabel("")
	bi.warning.Wrapping = fyne.TextWrapWord
	bi.warning.Importance = widget.DangerImportance
	// The variant the selected phase runs is the likeliest target.
	sel := names[0]
	if i := w.grid.SelectedPhase(); i >= 0 && i < len(w.doc.Plan.Phases) && w.doc.Plan.Phases[i].Variant != "" {
		sel = "Variant " + w.doc.Plan.Phases[i].Variant
	}
	bi.target.SetSelected(sel)
	return bi
}

func (bi *benchImport) selected() loadtest.Target {
	names, targets := benchTargets(&bi.w.doc.Plan)
	for i, n := range names {
		if n == bi.target.Selected {
			return targets[i]
		}
	}
	return loadtest.Target{Phase: -1}
}

// recompute reads the runs again for the target and node count chosen.
func (bi *benchImport) recompute() {
	if bi.runs == nil {
		return // still being built
	}
	n, err := strconv.ParseInt(strings.TrimSpace(bi.nodes.Text), 10, 64)
	if err != nil || n < 1 || n > planner.MaxNodes {
		bi.err = fmt.Errorf("nodes in the test must be a whole number from 1 to %d, got %q", planner.MaxNodes, bi.nodes.Text)
		bi.warning.SetText(bi.err.Error())
		return
	}
	p := bi.w.doc.Plan
	bi.result, bi.err = loadtest.Import([]loadtest.File{bi.file}, loadtest.Options{NodesInTest: n, Plan: &p, Target: bi.selected(), IncludeFailed: bi.failed.Checked})
	if errors.Is(bi.err, loadtest.ErrEveryRunFailed) {
		// The runs are read and marked: show them, and how to fit them.
		bi.runs.SetText(strings.TrimRight(report.BenchTables(&bi.result, ""), "\n"))
		bi.inputs.SetText("")
		bi.warning.SetText(strings.Join(append([]string{bi.err.Error() + " (tick “" + bi.failed.Text + "”)."}, bi.result.Notes...), "\n"))
		return
	}
	if bi.err != nil {
		bi.warning.SetText(bi.err.Error())
		return
	}
	bi.runs.SetText(strings.TrimRight(report.BenchTables(&bi.result, ""), "\n"))
	var in strings.Builder
	for _, r := range report.BenchInputs(&bi.result) {
		fmt.Fprintf(&in, "%s: %s — %s\n", r.Key, r.Value, r.From)
	}
	bi.inputs.SetText(strings.TrimSpace(in.String()))
	bi.warning.SetText(strings.TrimSpace(strings.Join(append([]string{bi.result.Warning}, bi.result.Notes...), "\n")))
}

// apply sets the inputs and their provenance in one undoable edit.
func (bi *benchImport) apply() error {
	if bi.err != nil {
		return bi.err
	}
	t := bi.selected()
	return bi.w.doc.Edit(func(p planner.Plan) (planner.Plan, error) {
		return loadtest.Apply(p, &bi.result, t, planner.Today())
	})
}

func (bi *benchImport) show() {
	bi.recompute()
	f := bi.file
	date := "no run date in the file"
	if f.RunDate != "" {
		date = "run " + f.RunDate
	}
	head := widget.NewLabel(fmt.Sprintf("%s %s, %s, SHA-256 %s…", f.Tool, f.Name, date, f.SHA256[:16]))
	runs := container.NewHScroll(bi.runs)
	runs.SetMinSize(fyne.NewSize(820, 130))
	inputs := container.NewVScroll(bi.inputs)
	inputs.SetMinSize(fyne.NewSize(820, 220))
	form := container.NewVBox(head,
		container.NewHBox(widget.NewLabel("Set the inputs of:"), bi.target, widget.NewLabel("Nodes in the test:"), container.NewGridWrap(fyne.NewSize(90, bi.nodes.MinSize().Height), bi.nodes), bi.failed),
		widget.NewLabelWithStyle("Runs, lowest rate first: measured p99 beside the latency model's", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), runs,
		widget.NewLabelWithStyle("Inputs it gives", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), inputs, bi.warning)
	d := dialog.NewCustomConfirm("Import load test", "Apply", "Cancel", form, func(ok bool) {
		if !ok {
			return
		}
		if err := bi.apply(); err != nil {
			bi.w.setError("The load test was not applied: " + err.Error())
			return
		}
		var keys []string
		for _, kv := range bi.result.Inputs() {
			keys = append(keys, kv[0])
		}
		bi.w.setError(fmt.Sprintf("Measured %s set for %s from %s; Ctrl+Z undoes it.", format.List(keys), bi.result.Target, f.Name))
		if bi.applied != nil {
			bi.applied()
		}
	}, bi.w.win)
	bi.nodes.onEscape = d.Hide
	bi.nodes.OnSubmitted = func(string) { d.Confirm() }
	bi.w.show(d)
	bi.w.win.Canvas().Focus(bi.nodes)
}

// importBenchDialog asks for a load-test file and opens it.
func (w *Window) importBenchDialog() {
	if !w.planShown("import a load test") {
		return
	}
	w.openFile(planFilter, w.ImportBenchPath)
}

// openFile asks for a file to read, starting where plans are, and gives
// its path to then; a cancel does nothing.
func (w *Window) openFile(filter storage.FileFilter, then func(path string)) {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return // cancelled
		}
		path := rc.URI().Path()
		rc.Close()
		then(path)
	}, w.win)
	d.SetFilter(filter)
	w.startIn(d)
	w.show(d)
}

// ImportBenchPath reads a load-test file and shows what it gives; a file it
// cannot read is refused, naming the file and the problem, and the plan is
// unchanged.
func (w *Window) ImportBenchPath(path string) {
	bi, err := w.readBench(path)
	if err != nil {
		w.show(dialog.NewError(fmt.Errorf("the load test was not imported: %w", err), w.win))
		return
	}
	bi.show()
}

func (w *Window) readBench(path string) (*benchImport, error) {
	f, err := loadtest.Load(path)
	if err != nil {
		return nil, err
	}
	return newBenchImport(w, f), nil
}
