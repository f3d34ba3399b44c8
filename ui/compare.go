package ui

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner/compare"
	"github.com/scaleplan/scaleplan/report"
)

// compareView is the Compare tab: the plan and each of its scenarios as
// columns, the headline lines as rows, each scenario's difference from the
// plan on a second line, green where it is better and red where worse.
type compareView struct {
	doc   *Document
	table *widget.Table
	note  *widget.Label
	root  fyne.CanvasObject

	outcomes []compare.ScenarioOutcome
	rows     []compareRow
}

// compareRow is one row: a section heading, or a line of the totals or of a
// phase (phase −1), or one of the plan-wide figures a diff has no line for.
type compareRow struct {
	heading string
	phase   int
	key     string
}

// The lines the Compare tab shows, for the totals and for each phase.
var (
	compareTotalKeys = []string{"nodes", "node_hours", "gpu", "storage", "iops", "network", "batch", "fixed", "components", "total_cost", "cost_per_call", "revenue", "margin"}
	comparePhaseKeys = []string{"nodes", "total_cost", "cost_per_call", "p99_ms", "break_even_calls_per_day"}
)

// The plan-wide figures beside the totals' lines.
const (
	rowChecks    = "checks"
	rowBreakEven = "break_even"
)

var (
	colourBetter = revenueColor // the charts' own green and red
	colourWorse  = costColor
)

func newCompareView(doc *Document) *compareView {
	v := &compareView{doc: doc, note: widget.NewLabel("")}
	v.note.Wrapping = fyne.TextWrapWord
	v.table = widget.NewTable(
		func() (int, int) { return len(v.rows) + 1, len(v.outcomes) + 1 },
		func() fyne.CanvasObject { return newGridCell() },
		func(id widget.TableCellID, o fyne.CanvasObject) { o.(*gridCell).update(v.look(id)) })
	v.table.StickyRowCount, v.table.StickyColumnCount = 1, 1
	v.root = container.NewBorder(container.NewPadded(v.note), nil, nil, nil, v.table)
	return v
}

// Refresh recomputes every scenario: only while the tab is shown.
func (v *compareView) Refresh() {
	base := v.doc.PlanResult() // the columns are against the plan itself, whichever design is shown
	v.outcomes = compare.Scenarios(v.doc.Plan, &base)
	v.rows = v.rows[:0]
	v.rows = append(v.rows, compareRow{heading: "Whole plan", phase: -1})
	for _, k := range compareTotalKeys {
		v.rows = append(v.rows, compareRow{phase: -1, key: k})
	}
	v.rows = append(v.rows, compareRow{phase: -1, key: rowChecks}, compareRow{phase: -1, key: rowBreakEven})
	for i, ph := range v.doc.Plan.Phases {
		v.rows = append(v.rows, compareRow{heading: ph.Name, phase: i})
		for _, k := range comparePhaseKeys {
			v.rows = append(v.rows, compareRow{phase: i, key: k})
		}
	}
	if len(v.outcomes) == 1 {
		v.note.SetText("This plan has no scenarios. A scenario is an alternative design kept in the plan as overrides " +
			"(plan-format.md, \"scenarios\"); with some, this tab sets each beside the plan, its difference from the plan below each figure, green where it is better.")
	} else {
		v.note.SetText(fmt.Sprintf("The plan and its %s, side by side. Below each figure, the difference from the plan: green where it is better, red where worse.",
			format.Plural(int64(len(v.outcomes)-1), "scenario", "scenarios")))
	}
	v.table.SetColumnWidth(0, 170)
	// Each column as wide as its scenario's name needs, and at least the
	// width of a money figure with its change below.
	for c := 1; c <= len(v.outcomes); c++ {
		head := v.look(widget.TableCellID{Row: 0, Col: c}).text
		w := fyne.MeasureText(head, theme.TextSize(), fyne.TextStyle{Bold: true}).Width + 2*theme.InnerPadding()
		v.table.SetColumnWidth(c, max(190, w))
	}
	v.table.SetRowHeight(0, 44)
	for r := range v.rows {
		h := float32(44)
		if v.rows[r].heading != "" {
			h = newGridCell().MinSize().Height
		}
		v.table.SetRowHeight(r+1, h)
	}
	v.table.Refresh()
}

// line finds a row's line in outcome o.
func (v *compareView) line(o *compare.ScenarioOutcome, row compareRow) *compare.Line {
	lines := o.Diff.Totals
	if row.phase >= 0 {
		lines = nil
		for _, ph := range o.Diff.Phases {
			if ph.A == row.phase {
				lines = ph.Lines
			}
		}
	}
	for i := range lines {
		if lines[i].Key == row.key {
			return &lines[i]
		}
	}
	return nil
}

func (v *compareView) look(id widget.TableCellID) cellLook {
	cur := v.doc.Result.Currency
	if id.Row == 0 {
		if id.Col == 0 {
			return cellLook{text: "Line", kind: kindHeader, leading: true}
		}
		name := "This plan"
		if o := &v.outcomes[id.Col-1]; o.Name != "" {
			name = o.Name
		}
		return cellLook{text: name, kind: kindHeader}
	}
	row := v.rows[id.Row-1]
	if row.heading != "" {
		text := ""
		if id.Col == 0 {
			text = row.heading
		}
		return cellLook{text: text, kind: kindGroup}
	}
	if id.Col == 0 {
		return cellLook{text: v.rowLabel(row), kind: kindLabel}
	}
	o := &v.outcomes[id.Col-1]
	if o.Err != nil {
		return cellLook{text: format.None, sub: "does not apply", kind: kindComputed}
	}
	switch row.key {
	case rowChecks:
		base := &v.outcomes[0]
		look := cellLook{text: fmt.Sprintf("%d of %d", o.Pass, o.Checks), kind: kindComputed}
		if d := o.Pass - base.Pass; id.Col > 1 && d != 0 {
			look.sub = fmt.Sprintf("%+d passing", d)
			look.subColor = verdictColour(d)
		}
		return look
	case rowBreakEven:
		look := cellLook{text: report.BreakEvenDay(o.Result.BreakEven), kind: kindComputed}
		if d := o.Diff.BreakEvenShift; id.Col > 1 && d.Valid && d.Val != 0 {
			look.sub = fmt.Sprintf("%+d days", d.Val)
			look.subColor = verdictColour(-int(d.Val))
		}
		return look
	}
	l := v.line(o, row)
	if l == nil {
		return cellLook{text: format.None, kind: kindComputed}
	}
	look := cellLook{text: report.DiffValue(l, l.B, cur), kind: kindComputed}
	if id.Col > 1 && l.Changed() {
		look.sub = report.DiffDelta(l, cur) + "  " + report.DiffPct(l)
		look.subColor = verdictColour(l.Verdict())
	}
	return look
}

// verdictColour is green for better, red for worse.
func verdictColour(v int) color.Color {
	switch {
	case v > 0:
		return colourBetter
	case v < 0:
		return colourWorse
	}
	return nil
}

func (v *compareView) rowLabel(row compareRow) string {
	switch row.key {
	case rowChecks:
		return "Checks passed"
	case rowBreakEven:
		return "Break-even"
	}
	if len(v.outcomes) > 0 {
		if l := v.line(&v.outcomes[0], row); l != nil {
			return l.Label
		}
	}
	return row.key
}

// Name, Icon and Content make the compare view a tab of the window (view.go).
func (v *compareView) Name() string               { return tabCompare }
func (v *compareView) Icon() fyne.Resource        { return theme.ViewRestoreIcon() }
func (v *compareView) Content() fyne.CanvasObject { return v.root }
