package ui

import (
	"fmt"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/report"
)

// gridRow is one row of the grid below the header: a group heading or a
// model line.
type gridRow struct {
	group string
	line  *report.Line
}

// gridRows lays r's lines (report.LinesFor: the model's, and a line per
// component) out under their group headings.
func gridRows(r *planner.Result) []gridRow {
	var rows []gridRow
	group := ""
	lines := report.LinesFor(r)
	for i := range lines {
		l := &lines[i]
		if l.Group != group {
			group = l.Group
			rows = append(rows, gridRow{group: group})
		}
		rows = append(rows, gridRow{line: l})
	}
	return rows
}

// Grid is the model as a spreadsheet: phases as columns, the model's lines
// as rows under their groups, a frozen header row and label column, and a
// Total column. It moves with the arrow keys and Tab; Enter or typing starts
// an edit in the editor bar.
type Grid struct {
	widget.Table
	doc  *Document
	rows []gridRow
	sel  widget.TableCellID

	invalid    widget.TableCellID // the cell whose last edit was refused, if any
	hasInvalid bool

	// startEdit asks the editor to edit the selected cell, starting from
	// initial typed text ("" keeps the current value).
	startEdit func(initial string, keepValue bool)
	// onSelect tells the window which cell is selected.
	onSelect func(id widget.TableCellID)
	// onComponent asks to edit component j (Enter on its row), and
	// onDeleteComponent to delete it (Delete on its row).
	onComponent, onDeleteComponent func(j int)

	anchor        widget.TableCellID // where a Shift-stretched block started (sel when none)
	shift         bool               // Shift is held
	onError       func(msg string)   // a refused paste
	otherShortcut func(fyne.Shortcut)

	scenarioPaths map[string]bool // the shown scenario's overridden inputs
}

const (
	labelColWidth = 250
	phaseColWidth = 160
)

// NewGrid shows doc.
func NewGrid(doc *Document) *Grid {
	g := &Grid{doc: doc, rows: gridRows(&doc.Result)}
	g.sel = widget.TableCellID{Row: g.firstLineRow(), Col: 1}
	g.anchor = g.sel
	g.Length = func() (int, int) { return len(g.rows) + 1, len(g.doc.Result.Phases) + 2 }
	g.CreateCell = func() fyne.CanvasObject { return newGridCell() }
	g.UpdateCell = func(id widget.TableCellID, o fyne.CanvasObject) { o.(*gridCell).update(g.look(id)) }
	g.StickyRowCount, g.StickyColumnCount = 1, 1
	g.OnSelected = func(id widget.TableCellID) {
		old, hadBlock := g.sel, g.anchor != g.sel
		g.sel = id
		if !g.shift {
			g.anchor = id
		}
		if hadBlock || g.anchor != g.sel {
			g.Refresh() // the block's outline moves
		} else {
			g.RefreshItem(old)
			g.RefreshItem(id)
		}
		if g.onSelect != nil {
			g.onSelect(id)
		}
	}
	g.ExtendBaseWidget(g)
	g.SetColumnWidth(0, labelColWidth)
	g.resizeColumns()
	g.SetRowHeight(0, 44)
	g.rowHeights()
	return g
}

// rowHeights gives rows with a unit room for its second line, and every
// other row the template cell's height (rows are laid out anew when
// components come and go, so none may keep an old row's height).
func (g *Grid) rowHeights() {
	base := newGridCell().MinSize().Height
	for i, r := range g.rows {
		h := base
		if r.line != nil && r.line.Unit != "" {
			h = 40
		}
		g.SetRowHeight(i+1, h)
	}
}

// Component is the plan component whose row id is on, or -1.
func (g *Grid) Component(id widget.TableCellID) int {
	if l := g.line(id.Row); l != nil && l.Component > 0 {
		return l.Component - 1
	}
	return -1
}

// SelectComponent moves the selection to component j's row, keeping the column.
func (g *Grid) SelectComponent(j int) {
	for i, r := range g.rows {
		if r.line != nil && r.line.Component == j+1 {
			g.Select(widget.TableCellID{Row: i + 1, Col: max(g.sel.Col, 1)})
			return
		}
	}
}

// firstLineRow is the row of the first model line (below its heading).
func (g *Grid) firstLineRow() int {
	for i, r := range g.rows {
		if r.line != nil {
			return i + 1
		}
	}
	return 0
}

// resizeColumns sets every phase column's width; call after phases change.
func (g *Grid) resizeColumns() {
	for c := 1; c <= len(g.doc.Result.Phases)+1; c++ {
		g.SetColumnWidth(c, phaseColWidth)
	}
}

// Selected returns the selected cell.
func (g *Grid) Selected() widget.TableCellID { return g.sel }

// SelectedPhase is the phase of the selected column, or -1 on the label or
// Total column.
func (g *Grid) SelectedPhase() int {
	if i := g.sel.Col - 1; i >= 0 && i < len(g.doc.Result.Phases) {
		return i
	}
	return -1
}

// SelectPhase moves the selection to phase i's column, keeping the row.
func (g *Grid) SelectPhase(i int) {
	row := max(g.sel.Row, 1)
	g.Select(widget.TableCellID{Row: row, Col: i + 1})
}

// line returns the model line of a grid row, or nil for the header and
// group rows.
func (g *Grid) line(row int) *report.Line {
	if row < 1 || row > len(g.rows) {
		return nil
	}
	return g.rows[row-1].line
}

// Editable reports whether the cell takes typed input.
func (g *Grid) Editable(id widget.TableCellID) bool {
	l := g.line(id.Row)
	return l != nil && l.IsInput() && id.Col >= 1 && id.Col <= len(g.doc.Result.Phases)
}

// look decides what a cell shows. Everything shown comes from the Result via
// report.Lines.
func (g *Grid) look(id widget.TableCellID) cellLook {
	r := &g.doc.Result
	n := len(r.Phases)
	sel := id == g.sel || (g.anchor != g.sel && g.inBlock(id))
	switch {
	case id.Row == 0 && id.Col == 0:
		return cellLook{text: "Line", sub: "unit", kind: kindHeader, leading: true}
	case id.Row == 0 && id.Col == n+1:
		return cellLook{text: "Total", sub: format.Count(r.Days) + " days", kind: kindHeader, selected: sel}
	case id.Row == 0:
		p := &r.Phases[id.Col-1]
		return cellLook{text: p.Name, sub: fmt.Sprintf("%s → %s", p.StartDate, p.EndDate), kind: kindHeader, selected: sel}
	}
	row := g.rows[id.Row-1]
	if row.line == nil {
		text := ""
		if id.Col == 0 {
			text = row.group
		}
		return cellLook{text: text, kind: kindGroup}
	}
	l := row.line
	switch {
	case id.Col == 0:
		return cellLook{text: l.Label, sub: l.Unit, kind: kindLabel, selected: sel}
	case id.Col == n+1:
		return cellLook{text: l.Total(r), kind: kindTotal, selected: sel}
	}
	i := id.Col - 1
	look := cellLook{text: l.Phase(r, i), kind: kindComputed, selected: sel}
	if l.IsInput() {
		look.kind = kindInput
		if l.Kind == report.AssumptionInput && g.doc.View.Phases[i].Overrides.Has(l.Field) {
			look.kind = kindOverride
		}
		if g.scenarioPaths[g.scenarioPath(id)] {
			look.kind = kindScenario
		} else if r, ok := g.rangeAt(id); ok {
			look.kind = kindRange
			look.text, look.sub = RangeText(r), "uncertain · median "+medianText(r)
		} else if ref, ok := g.priceRefAt(id); ok {
			look.sub = ref.Instance + " · as of " + ref.AsOf.String() // where the price comes from
		} else if m, ok := g.measuredAt(id); ok {
			look.sub = report.MeasurementShort(m) // where the value was measured
		}
	}
	if l.Check != "" {
		for _, c := range r.Phases[i].Checks {
			look.failing = look.failing || (c.Name == l.Check && !c.OK)
		}
	}
	look.invalid = g.hasInvalid && g.invalid == id
	return look
}

// EditText is the selected input's current value as an editor shows it:
// exact, without grouping or currency signs.
func (g *Grid) EditText(id widget.TableCellID) string {
	l := g.line(id.Row)
	if l == nil || !g.Editable(id) {
		return ""
	}
	i := id.Col - 1
	p := &g.doc.View
	ph := &p.Phases[i]
	if r, ok := g.rangeAt(id); ok && !g.scenarioPaths[g.scenarioPath(id)] {
		return r.Low.String() + " to " + r.High.String()
	}
	switch l.Kind {
	case report.AssumptionInput:
		f, _ := planner.LookupField(l.Field)
		a := p.Effective(i)
		return f.Text(&a)
	case report.PlanInput:
		f, _ := planner.LookupSLO(l.Field)
		if o := f.Of(p.SLO); o.Valid {
			return o.Val.String()
		}
		return ""
	}
	if f, ok := planner.LookupPhaseField(l.Field); ok {
		return f.Text(ph)
	}
	return ""
}

// Commit applies typed text to a cell through the planner. A refused value
// marks the cell invalid and changes nothing.
func (g *Grid) Commit(id widget.TableCellID, text string) error {
	l := g.line(id.Row)
	if l == nil || !g.Editable(id) {
		return nil
	}
	err := g.doc.Edit(func(p planner.Plan) (planner.Plan, error) { return g.set(p, id, text) })
	g.invalid, g.hasInvalid = id, err != nil
	g.RefreshItem(id)
	return err
}

// set is p with an editable cell's input set to text: a phase column's
// value for that phase, a plan-wide line's for the plan's default.
func (g *Grid) set(p planner.Plan, id widget.TableCellID, text string) (planner.Plan, error) {
	l := g.line(id.Row)
	phase := id.Col - 1
	if l.Kind == report.PlanInput {
		phase = planner.PlanDefault
	}
	return g.doc.SetInput(p, phase, l.Field, text) // a shown scenario's override, or the plan's input
}

// scenarioPath is the scenario override path of an input cell, "" for
// other cells.
func (g *Grid) scenarioPath(id widget.TableCellID) string {
	l := g.line(id.Row)
	phase := id.Col - 1
	if l == nil || !l.IsInput() || phase < 0 || phase >= len(g.doc.Plan.Phases) {
		return ""
	}
	if l.Kind == report.PlanInput {
		phase = planner.PlanDefault
	}
	return planner.ScenarioPath(g.doc.Plan, phase, l.Field)
}

// rangeAt is the range of an input cell: its own, or, for a phase that
// does not override an assumption, the plan default's.
func (g *Grid) rangeAt(id widget.TableCellID) (planner.Range, bool) {
	path := g.scenarioPath(id)
	if path == "" {
		return planner.Range{}, false
	}
	p := &g.doc.View
	if r, ok := p.RangeAt(path); ok {
		return r, true
	}
	l, i := g.line(id.Row), id.Col-1
	if l.Kind == report.AssumptionInput && !p.Phases[i].Overrides.Has(l.Field) && p.Phases[i].Variant == "" {
		return p.RangeAt("assumptions." + l.Field)
	}
	return planner.Range{}, false
}

// priceRefAt is the book citation of a node-price cell: its own, the
// variant's the phase runs, or the plan default's.
func (g *Grid) priceRefAt(id widget.TableCellID) (planner.PriceRef, bool) {
	path := g.scenarioPath(id)
	if path == "" || g.line(id.Row).Field != "node_hourly" || g.scenarioPaths[path] {
		return planner.PriceRef{}, false
	}
	return g.doc.View.PriceRefAt(g.doc.View.SourcePath(id.Col-1, "node_hourly"))
}

// measuredAt is where the value of an assumption cell was measured, if it
// was read from a load test.
func (g *Grid) measuredAt(id widget.TableCellID) (planner.Measurement, bool) {
	l := g.line(id.Row)
	path := g.scenarioPath(id)
	if path == "" || l.Kind != report.AssumptionInput || g.scenarioPaths[path] {
		return planner.Measurement{}, false
	}
	return g.doc.View.MeasurementAt(g.doc.View.SourcePath(id.Col-1, l.Field))
}

// RangeText is a range as a cell shows it: "5.5–8.5", "400,000–650,000".
func RangeText(r planner.Range) string {
	return format.Group(r.Low.String()) + "–" + format.Group(r.High.String())
}

// medianText is a range's median to three significant figures, as a
// reminder of the value the model uses: "6.84", "509,902".
func medianText(r planner.Range) string {
	m := r.Median(false)
	places := int32(0)
	if a := m.Abs(); a.Sign() > 0 {
		places = max(0, int32(2-math.Floor(math.Log10(a.InexactFloat64()))))
	}
	return format.Group(m.Round(places).String())
}

// ClearInvalid drops the invalid mark (after Escape, or a move elsewhere).
func (g *Grid) ClearInvalid() {
	if g.hasInvalid {
		g.hasInvalid = false
		g.RefreshItem(g.invalid)
	}
}

// move selects the cell dr rows and dc columns away, skipping group
// headings.
func (g *Grid) move(dr, dc int) {
	rows, cols := g.Length()
	id := g.sel
	id.Col = min(max(id.Col+dc, 0), cols-1)
	for r := id.Row + dr; dr != 0 && r >= 0 && r < rows; r += dr {
		if r == 0 || g.line(r) != nil {
			id.Row = r
			break
		}
	}
	if id != g.sel {
		g.Select(id)
	}
}

// TypedKey moves like a spreadsheet: arrows, Tab and Shift+Tab, Enter to
// edit.
func (g *Grid) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyUp:
		g.move(-1, 0)
	case fyne.KeyDown:
		g.move(1, 0)
	case fyne.KeyLeft:
		g.move(0, -1)
	case fyne.KeyRight, fyne.KeyTab:
		g.move(0, 1)
	case fyne.KeyReturn, fyne.KeyEnter, fyne.KeyF2:
		if j := g.Component(g.sel); j >= 0 && g.onComponent != nil {
			g.onComponent(j)
		} else if g.startEdit != nil && g.Editable(g.sel) {
			g.startEdit("", true)
		}
	case fyne.KeyBackspace, fyne.KeyDelete:
		if j := g.Component(g.sel); j >= 0 && g.onDeleteComponent != nil {
			g.onDeleteComponent(j)
		} else if g.startEdit != nil && g.Editable(g.sel) {
			g.startEdit("", false)
		}
	}
}

// TypedRune starts an edit that replaces the cell's value, as typing into a
// spreadsheet cell does.
func (g *Grid) TypedRune(r rune) {
	if g.startEdit != nil && g.Editable(g.sel) {
		g.startEdit(string(r), false)
	}
}

// AcceptsTab keeps Tab in the grid (moving right) instead of leaving it.
func (g *Grid) AcceptsTab() bool { return true }

// Reload redraws everything after the plan changed (phases may have been
// added or removed).
func (g *Grid) Reload() {
	g.scenarioPaths = map[string]bool{}
	if s := g.doc.Scenario; s != "" {
		for path := range g.doc.Plan.ScenarioOverrides(s) {
			g.scenarioPaths[path] = true
		}
	}
	if rows := gridRows(&g.doc.Result); !sameRows(rows, g.rows) {
		g.rows = rows // a component was added, removed, moved or renamed
		g.rowHeights()
	}
	rows, cols := g.Length()
	if g.sel.Col >= cols {
		g.sel.Col = cols - 1
	}
	if g.sel.Row >= rows {
		g.sel.Row = rows - 1
	}
	if g.anchor.Row >= rows || g.anchor.Col >= cols {
		g.anchor = g.sel
	}
	g.resizeColumns()
	g.Refresh()
}

// sameRows reports whether two layouts show the same lines in the same places.
func sameRows(a, b []gridRow) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].group != b[i].group || (a[i].line == nil) != (b[i].line == nil) ||
			(a[i].line != nil && (a[i].line.Key != b[i].line.Key || a[i].line.Label != b[i].line.Label || a[i].line.Unit != b[i].line.Unit)) {
			return false
		}
	}
	return true
}
