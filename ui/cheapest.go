package ui

import (
	"cmp"
	"errors"
	"fmt"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/estimate"
)

// cheapestView is Edit → Find the cheapest offer…: every offer of the
// price books, option and tensor-parallel width, ranked by what the chosen
// phase costs on it (estimate.Cheapest, worked off the UI goroutine);
// sorted by the column chosen; Use it sets the phase's node to the row
// selected, in one undoable edit.
type cheapestView struct {
	w        *Window
	phase    *widget.Select
	sortBy   *widget.Select
	table    *widget.Table
	status   *widget.Label
	busy     *widget.ProgressBarInfinite
	rows     []estimate.Candidate
	chosen   int // a row of rows; -1 for none
	phaseIdx int
	run      int    // the newest search; an older one's answer is dropped
	done     func() // tests: a search finished; nil otherwise
	// gate, when set, holds a search back until the test has finished
	// acting: Fyne's headless driver runs fyne.Do on the searching
	// goroutine, so the two must not draw at once.
	gate    chan struct{}
	applied func() // tests: a row was applied; nil otherwise
}

// cheapestColumns are the table's columns: a header and a cell.
var cheapestColumns = []struct {
	head  string
	width float32
	cell  func(c *estimate.Candidate, cur string) string
}{
	{"Instance", 120, func(c *estimate.Candidate, _ string) string { return c.Instance }},
	{"GPUs", 150, func(c *estimate.Candidate, _ string) string { return fmt.Sprintf("%d× %s", c.GPUs, c.GPU) }},
	{"Option", 110, func(c *estimate.Candidate, _ string) string { return c.Option }},
	{"TP", 36, func(c *estimate.Candidate, _ string) string { return fmt.Sprint(c.TensorParallel) }},
	{"Nodes", 56, func(c *estimate.Candidate, _ string) string { return fmt.Sprint(c.Nodes) }},
	{"Cost", 110, func(c *estimate.Candidate, cur string) string { return format.Money(c.Cost, cur) }},
	{"P10 – P90", 200, func(c *estimate.Candidate, cur string) string {
		return format.Money(c.CostLow, cur) + " – " + format.Money(c.CostHigh, cur)
	}},
	{"Per call", 90, func(c *estimate.Candidate, cur string) string {
		if !c.CostPerCall.Valid {
			return "—"
		}
		return format.MoneyPlacesN(c.CostPerCall.Val, cur, 6)
	}},
	{"Bound, inputs", 196, func(c *estimate.Candidate, _ string) string { return c.SizingBound + ", " + c.Inputs }},
}

// cheapestSorts are the orders the view offers.
var cheapestSorts = map[string]func(a, b *estimate.Candidate) int{
	"cost":        func(a, b *estimate.Candidate) int { return a.Cost.Cmp(b.Cost) },
	"P90 (worst)": func(a, b *estimate.Candidate) int { return a.CostHigh.Cmp(b.CostHigh) },
	"nodes":       func(a, b *estimate.Candidate) int { return cmp.Compare(a.Nodes, b.Nodes) },
	"instance":    func(a, b *estimate.Candidate) int { return cmp.Compare(a.Instance, b.Instance) },
}

func newCheapestView(w *Window) *cheapestView {
	v := &cheapestView{w: w, chosen: -1}
	var names []string
	for _, ph := range w.doc.Plan.Phases {
		names = append(names, ph.Name)
	}
	v.status = widget.NewLabel("")
	v.status.Wrapping = fyne.TextWrapWord
	v.busy = widget.NewProgressBarInfinite()
	v.busy.Hide()
	heads, widths := make([]string, len(cheapestColumns)), make([]float32, len(cheapestColumns))
	for i, c := range cheapestColumns {
		heads[i], widths[i] = c.head, c.width
	}
	v.table = labelTable(heads, widths, func() int { return len(v.rows) }, func(id widget.TableCellID, l *widget.Label) {
		l.SetText(cheapestColumns[id.Col].cell(&v.rows[id.Row], w.doc.Plan.Currency))
	})
	v.table.OnSelected = func(id widget.TableCellID) { v.chosen = id.Row }
	sorts := []string{"cost", "P90 (worst)", "nodes", "instance"}
	v.sortBy = widget.NewSelect(sorts, func(string) { v.sort() })
	v.sortBy.SetSelected("cost")
	v.phase = widget.NewSelect(names, func(name string) {
		for i, ph := range w.doc.Plan.Phases {
			if ph.Name == name {
				v.search(i)
			}
		}
	})
	return v
}

// labelTable is a table of labels under a bold header row: heads, the
// columns' widths, how many rows there are, and how a cell is filled.
func labelTable(heads []string, widths []float32, rows func() int, fill func(id widget.TableCellID, l *widget.Label)) *widget.Table {
	t := widget.NewTable(func() (int, int) { return rows(), len(heads) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.TableCellID, o fyne.CanvasObject) { fill(id, o.(*widget.Label)) })
	t.ShowHeaderRow = true
	t.CreateHeader = func() fyne.CanvasObject {
		return widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	t.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 {
			o.(*widget.Label).SetText(heads[id.Col])
		}
	}
	for i, w := range widths {
		t.SetColumnWidth(i, w)
	}
	return t
}

// search works out the phase's candidates off the UI goroutine.
func (v *cheapestView) search(i int) {
	v.run++
	run, p, cat := v.run, v.w.doc.Plan.Clone(), v.w.prices
	v.phaseIdx, v.rows, v.chosen = i, nil, -1
	v.table.UnselectAll()
	v.table.Refresh()
	v.busy.Show()
	v.busy.Start()
	v.status.SetText(fmt.Sprintf("Estimating %s on every offer of the price books…", p.Phases[i].Name))
	gate := v.gate
	go func() {
		if gate != nil {
			<-gate
		}
		found, err := estimate.Cheapest(p, cat, []int{i}, estimate.Options{})
		fyne.Do(func() {
			if run != v.run {
				return
			}
			v.busy.Stop()
			v.busy.Hide()
			if err != nil {
				hint := ""
				if errors.Is(err, estimate.ErrNoInputTokens) {
					hint = " Set the phase's Input tokens in the grid."
				}
				v.status.SetText("No ranking: " + err.Error() + "." + hint)
			} else {
				v.rows = found[0].Candidates
				v.sort()
				v.status.SetText(fmt.Sprintf("%d candidates for %s, sized automatically, cost over the phase. P10–P90 is the spread of the estimate's error (docs/estimate.md); offers whose spans overlap cannot be told apart.%s",
					len(v.rows), p.Phases[i].Name, leftOut(found[0].Skipped)))
			}
			if v.done != nil {
				v.done()
			}
		})
	}()
}

func leftOut(s []string) string {
	if len(s) == 0 {
		return ""
	}
	return fmt.Sprintf(" %s left out (weights that do not fit).", format.Plural(int64(len(s)), "width", "widths"))
}

func (v *cheapestView) sort() {
	if f, ok := cheapestSorts[v.sortBy.Selected]; ok {
		slices.SortStableFunc(v.rows, func(a, b estimate.Candidate) int { return f(&a, &b) })
	}
	v.chosen = -1
	v.table.UnselectAll()
	v.table.Refresh()
}

// apply sets the phase's node to the chosen row, in one undoable edit.
func (v *cheapestView) apply() error {
	if v.chosen < 0 || v.chosen >= len(v.rows) {
		return fmt.Errorf("choose a row first")
	}
	c, i := v.rows[v.chosen], v.phaseIdx
	return v.w.doc.Edit(func(p planner.Plan) (planner.Plan, error) {
		return estimate.Choose(p, v.w.prices, i, c)
	})
}

func (v *cheapestView) show() {
	table := container.NewGridWrap(fyne.NewSize(1080, 360), v.table)
	form := container.NewVBox(container.NewHBox(widget.NewLabel("Phase:"), v.phase, widget.NewLabel("Sort by:"), v.sortBy), v.busy, table, v.status)
	v.w.show(v.w.useItDialog("The cheapest offer for a phase", form, v.apply, "Node chosen from the ranking; Ctrl+Z undoes it.", &v.applied))
}

// findCheapest opens the ranking for the first phase that runs a variant
// (whose model is estimated), or the first.
func (w *Window) findCheapest() {
	if !w.planShown("rank the offers") {
		return
	}
	v := newCheapestView(w)
	v.show()
	first := w.doc.Plan.Phases[0].Name
	for _, ph := range w.doc.Plan.Phases {
		if ph.Variant != "" {
			first = ph.Name
			break
		}
	}
	v.phase.SetSelected(first)
}
