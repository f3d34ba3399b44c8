package export

import (
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/report"
)

// Rows of the Inputs sheet.
const (
	inHeader     = 3 // input | unit | plan default | phase names
	inStartDate  = 5
	inP99        = 6
	inMaxCost    = 7
	inMinUtil    = 8
	inDays       = 10
	inCalls      = 11
	inNodes      = 12
	inScaling    = 13
	inOneTime    = 14
	inVariant    = 15
	inFirstField = 17 // first assumption row
)

// Workbook-wide names for the plan's single-valued inputs.
const (
	nameStartDate = "StartDate"
	nameP99       = "SLO_p99_ms"
	nameMaxCost   = "SLO_max_cost_per_call"
	nameMinUtil   = "SLO_min_utilization"
)

// layout decides where every row lives before anything is written.
func (b *builder) layout() {
	b.inRow = map[string]int{
		"days": inDays, "calls_per_day": inCalls, "nodes": inNodes, "scaling": inScaling, "one_time": inOneTime, "variant": inVariant,
	}
	row := inFirstField
	for _, f := range planner.AssumptionFields() {
		if f.Kind == planner.KindProfile {
			continue
		}
		b.inRow[f.Key] = row
		row++
	}
	b.profRow = row + 1 // after a group heading
	b.layoutComponents(b.profRow + 24)

	b.modelRow = map[string]int{}
	row = modelFirstLine
	group := ""
	for _, l := range report.LinesFor(b.r) {
		if l.Group != group {
			group = l.Group
			row++ // its heading
		}
		b.modelRow[l.Key] = row
		row++
	}
	for _, g := range b.extras() {
		row++
		for _, l := range g.lines {
			b.modelRow[l.key] = row
			row++
		}
	}
	b.hourFirst = 4
	b.dayFirst = 4
	b.dayLast = b.dayFirst + int(b.r.Days) - 1
}

// fieldFormat is the number format an assumption is shown in.
func fieldFormat(key string) report.Format {
	if l, ok := report.LineByKey(key); ok {
		return l.Format
	}
	return report.FormatDecimal
}

func (b *builder) inputs() error {
	w, err := b.grid(sheetInputs, "FFC000", 30, 18)
	if err != nil {
		return err
	}
	n := len(b.p.Phases)
	st := b.st
	cur := b.p.Currency
	style := func(f report.Format, r role) int { return st.cell(numFmt(f, cur), r) }

	w.put(cell(st.title, "Inputs"))
	w.put(cell(st.note, "Blue on cream: an input you can change. Orange: the phase differs from the plan default (an override, or its model variant's figures). "+
		"A phase cell without an override follows the plan default by formula. Everything else in the workbook is computed from this sheet."))
	header := []any{cell(st.header, "Input"), cell(st.header, "Unit"), cell(st.headerRight, "Plan default")}
	for _, ph := range b.p.Phases {
		header = append(header, cell(st.cellBold("@", input, true), ph.Name)) // text, never a formula
	}
	w.put(header...)

	w.put(b.groupRow("Plan")...)
	slo := func(label, unit string, v planner.Opt[decimal.Decimal], f report.Format) {
		var val any
		if v.Valid {
			val = num(v.Val)
		}
		w.put(cell(st.label, label), cell(st.unit, unit), cell(style(f, input), val))
	}
	w.put(cell(st.label, "Start date"), cell(st.unit, "first day of the plan"), cell(st.cell(dateFmt, input), serial(b.p.StartDate)))
	slo("p99 latency target", "ms (blank: not set)", b.p.SLO.P99Ms, report.FormatDecimal)
	slo("Cost ceiling", "per call (blank: not checked)", b.p.SLO.MaxCostPerCall, report.FormatPerCall)
	slo("Minimum utilization", "average (blank: not checked)", b.p.SLO.MinUtilization, report.FormatShare)

	w.put(b.groupRow("Phases")...)
	phaseRow := func(label, unit string, f report.Format, v func(ph *planner.Phase) any) {
		row := []any{cell(st.label, label), cell(st.unit, unit), nil}
		for i := range b.p.Phases {
			row = append(row, cell(style(f, input), v(&b.p.Phases[i])))
		}
		w.put(row...)
	}
	phaseRow("Days", "days", report.FormatCount, func(ph *planner.Phase) any { return ph.Days })
	phaseRow("Calls per day", "calls/day", report.FormatCount, func(ph *planner.Phase) any { return ph.CallsPerDay })
	phaseRow("Nodes", "ceiling (blank: sized automatically)", report.FormatCount, func(ph *planner.Phase) any {
		if ph.Nodes.Valid {
			return ph.Nodes.Val
		}
		return nil
	})
	phaseRow("Scaling", "fixed, autoscale or predictive", report.FormatText, func(ph *planner.Phase) any { return string(ph.Scaling) })
	phaseRow("One-time cost", "paid on the first day", report.FormatMoney, func(ph *planner.Phase) any { return num(ph.OneTime) })
	phaseRow("Model variant", "its figures are in the orange cells below", report.FormatText, func(ph *planner.Phase) any { return ph.Variant })

	w.put(b.groupRow("Assumptions")...)
	for _, f := range planner.AssumptionFields() {
		if f.Kind == planner.KindProfile {
			continue
		}
		row := b.inRow[f.Key]
		fm := fieldFormat(f.Key)
		cells := []any{cell(st.label, f.Label), cell(st.unit, f.Unit), cell(style(fm, input), assumptionValue(f, &b.p.Assumptions))}
		for i := range b.p.Phases {
			ph := &b.p.Phases[i]
			if v, ok := b.p.VariantOf(i); ph.Overrides.Has(f.Key) || (ok && v.Sets(f.Key)) {
				a := b.p.Effective(i)
				cells = append(cells, cell(style(fm, override), assumptionValue(f, &a)))
			} else {
				cells = append(cells, formula(style(fm, computed), fmt.Sprintf("$C%d", row), assumptionValue(f, &b.p.Assumptions)))
			}
		}
		w.put(cells...)
		if err := b.f.SetDefinedName(&excelize.DefinedName{Name: "Default_" + f.Key, RefersTo: fmt.Sprintf("%s!$C$%d", sheetInputs, row)}); err != nil {
			return err
		}
	}

	w.put(b.groupRow("Hourly profile", "weights; only proportions matter")...)
	for h := 0; h < 24; h++ {
		row := b.profRow + h
		cells := []any{cell(st.label, fmt.Sprintf("%02d:00–%02d:00", h, (h+1)%24)), cell(st.unit, "weight"),
			cell(style(report.FormatDecimal, input), num(b.p.Assumptions.HourlyProfile[h]))}
		for i := range b.p.Phases {
			if b.p.Phases[i].Overrides.Has("hourly_profile") {
				cells = append(cells, cell(style(report.FormatDecimal, override), num(b.p.Effective(i).HourlyProfile[h])))
			} else {
				cells = append(cells, formula(style(report.FormatDecimal, computed), fmt.Sprintf("$C%d", row), num(b.p.Assumptions.HourlyProfile[h])))
			}
		}
		w.put(cells...)
	}
	b.componentInputs(w)

	for _, dn := range []struct {
		name string
		row  int
	}{{nameStartDate, inStartDate}, {nameP99, inP99}, {nameMaxCost, inMaxCost}, {nameMinUtil, inMinUtil}} {
		if err := b.f.SetDefinedName(&excelize.DefinedName{Name: dn.name, RefersTo: fmt.Sprintf("%s!$C$%d", sheetInputs, dn.row)}); err != nil {
			return err
		}
	}
	if err := b.inputValidation(n); err != nil {
		return err
	}
	if err := b.printSetup(sheetInputs); err != nil {
		return err
	}
	return w.flush()
}

// inputValidation makes Excel refuse what the planner would refuse.
func (b *builder) inputValidation(n int) error {
	last := phaseCol(n - 1)
	rule := func(row int, set func(dv *excelize.DataValidation) error, title, msg string) error {
		dv := excelize.NewDataValidation(true)
		dv.Sqref = fmt.Sprintf("D%d:%s%d", row, last, row)
		if err := set(dv); err != nil {
			return err
		}
		dv.SetError(excelize.DataValidationErrorStyleStop, title, msg)
		return b.f.AddDataValidation(sheetInputs, dv)
	}
	whole := func(lo, hi float64) func(dv *excelize.DataValidation) error {
		return func(dv *excelize.DataValidation) error {
			return dv.SetRange(lo, hi, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween)
		}
	}
	checks := []error{
		rule(inDays, whole(1, planner.MaxDays), "Days", "A whole number of days from 1 to 36,500."),
		rule(inCalls, whole(0, planner.MaxCallsPerDay), "Calls per day", "A whole number of calls, 0 or more."),
		rule(inNodes, whole(0, planner.MaxNodes), "Nodes", "A whole number of nodes, or blank to size automatically."),
		rule(inScaling, func(dv *excelize.DataValidation) error {
			return dv.SetDropList([]string{"fixed", "autoscale", "predictive"})
		}, "Scaling", "One of fixed, autoscale or predictive."),
	}
	for _, err := range checks {
		if err != nil {
			return err
		}
	}
	return nil
}

// assumptionValue is a field's value as a spreadsheet stores it.
func assumptionValue(f planner.Field, a *planner.Assumptions) any {
	switch f.Kind {
	case planner.KindText:
		return f.Text(a)
	case planner.KindCount:
		return f.Number(a).IntPart()
	default:
		return num(f.Number(a))
	}
}

func strp(s string) *string { return &s }

// frozen freezes the rows above and the columns left of topLeft.
func frozen(topLeft string, cols, rows int) *excelize.Panes {
	return &excelize.Panes{Freeze: true, XSplit: cols, YSplit: rows, TopLeftCell: topLeft, ActivePane: "bottomRight",
		Selection: []excelize.Selection{{SQRef: topLeft, ActiveCell: topLeft, Pane: "bottomRight"}}}
}

// widths sets the label, unit and default/total columns and n phase columns.
func (b *builder) widths(sw *excelize.StreamWriter, label, unit, third float64, n int) error {
	for _, c := range []struct {
		from, to int
		w        float64
	}{{1, 1, label}, {2, 2, unit}, {3, 3, third}, {4, 3 + n, 28}} {
		if err := sw.SetColWidth(c.from, c.to, c.w); err != nil {
			return err
		}
	}
	return nil
}

// printSetup prints a sheet landscape, one page wide.
func (b *builder) printSetup(sheet string) error {
	landscape, one, anyHigh := "landscape", 1, 0
	return b.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Orientation: &landscape, FitToWidth: &one, FitToHeight: &anyHigh})
}

// groupRow is a heading row shaded across the label, unit, default/total
// and every phase column.
func (b *builder) groupRow(title string, rest ...string) []any {
	row := make([]any, 3+len(b.p.Phases))
	for i := range row {
		text := ""
		if i == 0 {
			text = title
		} else if i <= len(rest) {
			text = rest[i-1]
		}
		row[i] = cell(b.st.group, text)
	}
	return row
}
