package ui

import (
	"bytes"
	"fmt"
	"image/color"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/actuals"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
	"github.com/scaleplan/scaleplan/report"
)

// actualsView is the Actuals tab (docs/actuals.md): the plan held against
// the bill and the usage files imported with File → Import actuals… —
// cumulative cost and revenue, planned against actual with today marked,
// each line's variance coloured over or under, and the spend no line
// holds. "Write as scenario" sets what was observed into the plan as a
// scenario, in one undoable edit. The files stay with the window, not in
// the plan; every edit holds the new plan against them again.
type actualsView struct {
	w        *Window
	bills    []actuals.Bill
	usage    actuals.Usage
	rep      *actuals.Report
	err      error
	headline *widget.Label
	notes    *widget.Label
	chart    *drawing
	table    *widget.Table
	rows     []actualsRow
	busy     *widget.ProgressBarInfinite
	write    *widget.Button
	clear    *widget.Button
	root     fyne.CanvasObject
	// gate, when set, holds a read back until the test has finished
	// acting (as cheapestView's does); done is called when a read ends.
	gate chan struct{}
	done func()
}

// actualsRow is a row of the variance table: a section's title, or a line.
type actualsRow struct {
	title string
	line  *actuals.Line
}

const actualsEmpty = "No actuals yet. File → Import actuals… reads a FOCUS bill (CSV, gzipped or not) — the export AWS, Azure, Google Cloud and Oracle write — " +
	"and, beside it, usage: a CSV of days (date, calls, p99_ms, nodes, …) or a Prometheus range query's JSON. Rows map to the plan's lines by the plan's actuals_mapping, " +
	"the scaleplan-line tag, then their service category (docs/actuals.md)."

func newActualsView(w *Window) *actualsView {
	v := &actualsView{w: w}
	v.headline = widget.NewLabel(actualsEmpty)
	v.headline.Wrapping = fyne.TextWrapWord
	v.notes = widget.NewLabel("")
	v.notes.Wrapping = fyne.TextWrapWord
	v.busy = widget.NewProgressBarInfinite()
	v.busy.Hide()
	v.chart = newDrawing(fyne.NewSize(420, 260), v.draw)
	v.table = labelTable([]string{"Line", "Planned", "Actual", "Δ", "Δ %"}, []float32{230, 130, 130, 120, 90},
		func() int { return len(v.rows) }, v.cell)
	imp := widget.NewButtonWithIcon("Import actuals…", theme.FolderOpenIcon(), w.importActualsDialog)
	v.write = widget.NewButtonWithIcon("Write as scenario", theme.DocumentSaveIcon(), v.writeScenario)
	v.clear = widget.NewButtonWithIcon("Clear", theme.ContentClearIcon(), v.reset)
	bar := container.NewHBox(imp, v.write, v.clear)
	top := container.NewVBox(bar, v.busy, v.headline)
	split := container.NewVSplit(v.chart, container.NewBorder(nil, nil, nil, nil, v.table))
	split.Offset = 0.45
	notes := container.NewVScroll(v.notes)
	notes.SetMinSize(fyne.NewSize(0, 96))
	v.root = container.NewBorder(top, notes, nil, nil, split)
	v.Refresh()
	return v
}

// Name, Icon and Content make the view a tab of the window (view.go).
func (v *actualsView) Name() string               { return tabActuals }
func (v *actualsView) Icon() fyne.Resource        { return theme.DocumentIcon() }
func (v *actualsView) Content() fyne.CanvasObject { return v.root }

// Refresh holds the plan shown against the files read.
func (v *actualsView) Refresh() {
	v.rep, v.err = nil, nil
	if len(v.bills) > 0 {
		doc := v.w.doc
		v.rep, v.err = actuals.Against(&doc.View, &doc.Result, v.bills, v.usage, actuals.Options{})
	}
	v.rows = v.rows[:0]
	switch {
	case v.err != nil:
		v.headline.SetText("The actuals cannot be held against this plan: " + v.err.Error())
		v.notes.SetText("")
	case v.rep == nil:
		v.headline.SetText(actualsEmpty)
		v.notes.SetText("")
	default:
		v.headline.SetText(report.ActualsHeadline(v.rep))
		v.notes.SetText(strings.Join(report.ActualsNotes(v.rep), "\n"))
		add := func(title string, ls []actuals.Line) {
			v.rows = append(v.rows, actualsRow{title: title})
			for i := range ls {
				v.rows = append(v.rows, actualsRow{line: &ls[i]})
			}
		}
		add("Totals over the covered days", v.rep.Totals)
		for _, ph := range v.rep.Phases {
			add(fmt.Sprintf("%s: %s of %d days", ph.Name, format.Trim(ph.Elapsed()), ph.Days), ph.Lines)
		}
	}
	if v.rep == nil {
		v.write.Disable()
	} else {
		v.write.Enable()
	}
	if len(v.bills) == 0 {
		v.clear.Disable()
	} else {
		v.clear.Enable()
	}
	v.table.Refresh()
	v.chart.Refresh()
}

// cell fills one cell of the variance table: a section's title in bold,
// or a line's figures, Δ coloured by whether reality is worse (red) or
// better (green) than the plan.
func (v *actualsView) cell(id widget.TableCellID, l *widget.Label) {
	r := v.rows[id.Row]
	l.TextStyle, l.Importance = fyne.TextStyle{}, widget.MediumImportance
	if r.line == nil {
		l.TextStyle.Bold = true
		l.SetText(map[bool]string{true: r.title, false: ""}[id.Col == 0])
		return
	}
	cur := v.rep.Currency
	cells := report.ActualsRows([]actuals.Line{*r.line}, cur)[0]
	if id.Col >= 3 {
		switch r.line.Verdict() {
		case -1:
			l.Importance = widget.DangerImportance
		case 1:
			l.Importance = widget.SuccessImportance
		}
	}
	l.SetText(cells[id.Col])
}

// draw is cumulative cost and revenue over the plan's days: the plan's
// (thin), reality's to today (thick) and projected after it (dashed by
// its lighter colour), with today marked.
func (v *actualsView) draw(size fyne.Size) []fyne.CanvasObject {
	objs := []fyne.CanvasObject{rect(0, 0, size.Width, size.Height, color.Transparent)}
	if v.rep == nil || len(v.rep.Days) < 2 {
		return objs
	}
	days := v.rep.Days
	top := 0.0
	for _, d := range days {
		for _, x := range []float64{d.CumPlannedCost.InexactFloat64(), d.CumPlannedRevenue.InexactFloat64(), d.CumCost.InexactFloat64(), d.CumRevenue.InexactFloat64()} {
			top = max(top, x)
		}
	}
	if top <= 0 {
		return objs
	}
	step := niceStep(top)
	top = step * float64(int(top/step)+1)
	left, right, up, bottom := float32(64), size.Width-16, float32(30), size.Height-40
	px := func(i int) float32 { return left + float32(i)/float32(len(days)-1)*(right-left) }
	py := func(x float64) float32 { return bottom - float32(x/top)*(bottom-up) }
	cur := v.rep.Currency
	for y := 0.0; y <= top; y += step {
		objs = append(objs, line(left, py(y), right, py(y), gridLn(), 1),
			text(format.CompactMoney(decimal.NewFromFloat(y), cur), left-6, py(y)-8, 11, muted(), fyne.TextAlignTrailing))
	}
	today := -1
	for i := 1; i < len(days); i++ {
		a, b := &days[i-1], &days[i]
		objs = append(objs,
			line(px(i-1), py(a.CumPlannedCost.InexactFloat64()), px(i), py(b.CumPlannedCost.InexactFloat64()), withAlpha(costColor, 0x80), 1),
			line(px(i-1), py(a.CumPlannedRevenue.InexactFloat64()), px(i), py(b.CumPlannedRevenue.InexactFloat64()), withAlpha(revenueColor, 0x80), 1))
		width, alpha := float32(2.5), uint8(0xFF)
		if !b.Actual {
			width, alpha = 1.5, 0x60
		}
		objs = append(objs,
			line(px(i-1), py(a.CumCost.InexactFloat64()), px(i), py(b.CumCost.InexactFloat64()), withAlpha(costColor, alpha), width),
			line(px(i-1), py(a.CumRevenue.InexactFloat64()), px(i), py(b.CumRevenue.InexactFloat64()), withAlpha(revenueColor, alpha), width))
		if b.Actual {
			today = i
		}
	}
	if today >= 0 {
		x := px(today)
		objs = append(objs, line(x, up, x, bottom, fg(), 1), text("today: "+v.rep.Today.String(), x+4, up-2, 11, fg(), fyne.TextAlignLeading))
	}
	objs = append(objs, text(days[0].Date.String(), left, bottom+4, 11, muted(), fyne.TextAlignLeading),
		text(days[len(days)-1].Date.String(), right, bottom+4, 11, muted(), fyne.TextAlignTrailing))
	ly := size.Height - 14
	x := left
	for _, k := range []struct {
		c     color.Color
		w     float32
		label string
	}{{costColor, 3, "actual cost"}, {revenueColor, 3, "actual revenue"}, {withAlpha(costColor, 0x80), 1, "planned cost"}, {withAlpha(revenueColor, 0x80), 1, "planned revenue"}, {withAlpha(costColor, 0x60), 2, "projected"}} {
		objs = append(objs, rect(x, ly, 14, k.w, k.c), text(k.label, x+18, ly-8, 11, fg(), fyne.TextAlignLeading))
		x += 34 + float32(len(k.label))*6
	}
	objs = append(objs, text("Cumulative cost and revenue: the plan against its actuals", 8, 2, 13, fg(), fyne.TextAlignLeading))
	return objs
}

// reset drops the files read.
func (v *actualsView) reset() {
	v.bills, v.usage = nil, actuals.Usage{}
	v.Refresh()
}

// writeScenario writes what was observed into the plan as the scenario
// "As observed", in one undoable edit.
func (v *actualsView) writeScenario() {
	if v.rep == nil {
		return
	}
	rep, u := v.rep, v.usage
	var said []string
	err := v.w.doc.Edit(func(p planner.Plan) (planner.Plan, error) {
		q, s, err := actuals.AsObserved(p, rep, u, actualsScenario)
		said = s
		return q, err
	})
	if err != nil {
		v.w.setError("The actuals were not written as a scenario: " + err.Error())
		return
	}
	v.w.setNote(fmt.Sprintf("Scenario %q holds what was observed (%s); Compare shows it against the plan, and Ctrl+Z undoes it.", actualsScenario, strings.Join(said, "; ")))
}

// actualsScenario is the name "Write as scenario" gives.
const actualsScenario = "As observed"

// importActualsDialog asks for a bill or usage file and reads it.
func (w *Window) importActualsDialog() {
	if !w.planShown("import actuals") {
		return
	}
	w.openFile(storage.NewExtensionFileFilter([]string{".csv", ".gz", ".json"}), func(path string) { w.ImportActualsPath(path, "") })
}

// ImportActualsPath reads a file as the Actuals tab's: a FOCUS bill, a
// usage CSV, or (figure given, or asked for) a Prometheus query's JSON,
// off the UI goroutine with the tab's progress bar; a file it cannot
// read is refused, naming the file and the problem, and what was read
// before stays.
func (w *Window) ImportActualsPath(path, figure string) {
	v := w.actuals
	w.showTab(tabActuals)
	if strings.HasSuffix(strings.ToLower(path), ".json") && figure == "" {
		w.askFigure(path)
		return
	}
	v.busy.Show()
	v.busy.Start()
	gate := v.gate
	go func() {
		if gate != nil {
			<-gate
		}
		var bill actuals.Bill
		u := actuals.Usage{}
		isBill := false
		data, err := jsonfile.ReadFileCapped(path, actuals.MaxBillBytes, "FOCUS bill or usage file")
		switch {
		case err != nil:
		case figure != "":
			err = u.ParsePrometheus(figure, path, data)
		case looksLikeBill(data):
			isBill = true
			bill, err = actuals.ParseBill(path, data)
		case len(data) > actuals.MaxUsageBytes:
			err = fmt.Errorf("%s is larger than %d MiB and not a FOCUS bill; a usage file is at most that", path, actuals.MaxUsageBytes>>20)
		default:
			err = u.ParseCSV(path, data)
		}
		fyne.Do(func() {
			v.busy.Stop()
			v.busy.Hide()
			if err != nil {
				w.show(dialog.NewError(fmt.Errorf("the actuals were not imported: %w", err), w.win))
			} else {
				if isBill {
					v.bills = append(v.bills, bill)
				}
				v.usage.Merge(u)
				v.Refresh()
				w.setNote(fmt.Sprintf("Read %s; the Actuals tab holds the plan against it.", filepath.Base(path)))
			}
			if v.done != nil {
				v.done()
			}
		})
	}()
}

// askFigure asks which figure a Prometheus query's JSON holds, guessing
// from the file's name (calls.json → calls).
func (w *Window) askFigure(path string) {
	pick := widget.NewSelect(actuals.FigureKeys(), nil)
	stem := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	pick.SetSelected(actuals.FigureKeys()[0])
	for _, k := range actuals.FigureKeys() {
		if strings.Contains(stem, k) {
			pick.SetSelected(k)
		}
	}
	form := container.NewVBox(widget.NewLabel(filepath.Base(path)+" is a Prometheus range query's JSON. What does its query measure, a day?"), pick)
	w.show(dialog.NewCustomConfirm("Import actuals", "Read", "Cancel", form, func(ok bool) {
		if ok {
			w.ImportActualsPath(path, pick.Selected)
		}
	}, w.win))
}

// looksLikeBill says whether a file is a FOCUS bill: gzipped (usage CSVs
// are not), or a CSV whose header names FOCUS's charge period.
func looksLikeBill(data []byte) bool {
	if len(data) > 2 && data[0] == 0x1f && data[1] == 0x8b {
		return true
	}
	head, _, _ := bytes.Cut(data, []byte("\n"))
	return bytes.Contains(head, []byte("ChargePeriodStart"))
}
