package export

import (
	"fmt"

	"github.com/xuri/excelize/v2"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/report"
)

// Rows of the Inputs sheet above the objectives; the rest are laid out
// from the planner's lists (layout).
const (
	inHeader    = 3 // input | unit | plan default | phase names
	inStartDate = 5
)

// phaseInputKeys are the Inputs rows of a phase's own inputs, in order.
var phaseInputKeys = func() []string {
	var out []string
	for _, f := range planner.PhaseFields() {
		if f.Sheet {
			out = append(out, f.Key)
		}
	}
	return out
}()

// sloName is the workbook-wide name of an objective's cell.
func sloName(key string) string { return "SLO_" + key }

// Workbook-wide names for the plan's single-valued inputs.
var (
	nameStartDate = "StartDate"
	nameP99       = sloName(planner.KeyP99Ms)
	nameMaxCost   = sloName(planner.KeyMaxCostPerCall)
	nameMinUtil   = sloName(planner.KeyMinUtilization)
)

// layout decides where every row lives before anything is written.
func (b *builder) layout() {
	b.inRow = map[string]int{}
	row := inStartDate + 1
	for _, f := range planner.SLOFields() {
		b.inRow["slo."+f.Key] = row
		row++
	}
	row++ // the Phases heading
	for _, k := range phaseInputKeys {
		b.inRow[k] = row
		row++
	}
	row++ // the Assumptions heading
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
	w, err := b.grid(b.sheet(sheetInputs), "FFC000", 30, 18)
	if err != nil {
		return err
	}
	n := len(b.p.Phases)
	st := b.st
	cur := b.p.Currency
	// Where a default comes from: a price book's offer, dated and sourced,
	// or a range whose median is used. A column after the phases'.
	provenance := len(b.p.PriceRefs) > 0 || len(b.p.Ranges) > 0
	if provenance {
		if err := w.sw.SetColWidth(4+n, 4+n, 90); err != nil {
			return err
		}
	}
	style := func(f report.Format, r role) int { return st.cell(numFmt(f, cur), r) }

	w.put(cell(st.title, "Inputs"))
	w.put(cell(st.note, "Blue on cream: an input you can change. Orange: the phase differs from the plan default (an override, or its model variant's figures). "+
		"A phase cell without an override follows the plan default by formula. Everything else in the workbook is computed from this sheet."))
	header := []any{cell(st.header, "Input"), cell(st.header, "Unit"), cell(st.headerRight, "Plan default")}
	for _, ph := range b.p.Phases {
		header = append(header, cell(st.cellBold("@", input, true), ph.Name)) // text, never a formula
	}
	if provenance {
		header = append(header, cell(st.header, "Where the default comes from"))
	}
	w.put(header...)

	w.put(b.groupRow("Plan")...)
	w.put(cell(st.label, "Start date"), cell(st.unit, "first day of the plan"), cell(st.cell(dateFmt, input), serial(b.p.StartDate)))
	for _, f := range planner.SLOFields() {
		var val any
		if v := f.Of(b.p.SLO); v.Valid {
			val = num(v.Val)
		}
		fm := report.FormatDecimal
		switch {
		case f.Money:
			fm = report.FormatPerCall
		case f.Share:
			fm = report.FormatShare
		}
		w.put(cell(st.label, f.Label), cell(st.unit, f.Unit+" (blank: not checked)"), cell(style(fm, input), val))
	}

	w.put(b.groupRow("Phases")...)
	for _, f := range planner.PhaseFields() {
		if !f.Sheet {
			continue
		}
		fm := report.FormatText
		if l, ok := report.LineByKey(f.Key); ok {
			fm = l.Format
		}
		row := []any{cell(st.label, f.Label), cell(st.unit, f.Unit), nil}
		for i := range b.p.Phases {
			v, r := f.Value(&b.p.Phases[i]), input
			if t, ok := variantTokens(b, i, f.Key); ok && v == nil {
				v, r = t, override // the phase runs its variant's tokens
			}
			row = append(row, cell(style(fm, r), v))
		}
		w.put(row...)
	}
	if w.row != b.inRow[phaseInputKeys[len(phaseInputKeys)-1]] {
		return fmt.Errorf("export: Inputs rows drifted from the layout (phase inputs end at row %d)", w.row)
	}

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
			if a := b.p.Effective(i); f.Key == "node_rps" && a.NodeRPSFromTokens() {
				// tokens_per_s ÷ (input + output tokens), as the engine rounds it
				c := phaseCol(i)
				cells = append(cells, formula(style(fm, computed), fmt.Sprintf("ROUND(%s%d/(%s%d+%s%d),%d)", c, b.inRow["tokens_per_s"], c, b.inRow["input_tokens"], c, b.inRow["output_tokens"], planner.TokenPlaces),
					assumptionValue(f, &a)))
			} else if f.Key == "node_rps" && a.NodeRPSFromServing() {
				cells = append(cells, formula(style(fm, computed), b.servingCapacity(phaseCol(i)), assumptionValue(f, &a)))
			} else if v, ok := b.p.VariantOf(i); ph.Overrides.Has(f.Key) || (ok && v.Sets(f.Key)) {
				a := b.p.Effective(i)
				cells = append(cells, cell(style(fm, override), assumptionValue(f, &a)))
			} else {
				ref := fmt.Sprintf("$C%d", row)
				if f.Kind == planner.KindText {
					ref = `""&` + ref // an empty text default would read as 0
				}
				cells = append(cells, formula(style(fm, computed), ref, assumptionValue(f, &b.p.Assumptions)))
			}
		}
		if words := b.p.Provenance("assumptions." + f.Key); provenance && words != "" {
			// Wrapped in its column, in a row tall enough for it.
			cells = append(cells, cell(st.noteWrap, words))
			w.putTall(15*float64(len([]rune(words))/85+1), cells...)
		} else {
			w.put(cells...)
		}
		if err := b.f.SetDefinedName(&excelize.DefinedName{Name: b.name("Default_" + f.Key), RefersTo: fmt.Sprintf("%s!$C$%d", b.sheet(sheetInputs), row)}); err != nil {
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
	}{{b.name(nameStartDate), inStartDate}} {
		if err := b.f.SetDefinedName(&excelize.DefinedName{Name: dn.name, RefersTo: fmt.Sprintf("%s!$C$%d", b.sheet(sheetInputs), dn.row)}); err != nil {
			return err
		}
	}
	for _, f := range planner.SLOFields() {
		if err := b.f.SetDefinedName(&excelize.DefinedName{Name: b.name(sloName(f.Key)), RefersTo: fmt.Sprintf("%s!$C$%d", b.sheet(sheetInputs), b.inRow["slo."+f.Key])}); err != nil {
			return err
		}
	}
	if err := b.inputValidation(n); err != nil {
		return err
	}
	if err := b.printSetup(b.sheet(sheetInputs)); err != nil {
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
		return b.f.AddDataValidation(b.sheet(sheetInputs), dv)
	}
	whole := func(lo, hi float64) func(dv *excelize.DataValidation) error {
		return func(dv *excelize.DataValidation) error {
			return dv.SetRange(lo, hi, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween)
		}
	}
	checks := []error{
		rule(b.inRow["days"], whole(1, planner.MaxDays), "Days", "A whole number of days from 1 to 36,500."),
		rule(b.inRow["calls_per_day"], whole(0, planner.MaxCallsPerDay), "Calls per day", "A whole number of calls, 0 or more."),
		rule(b.inRow["nodes"], whole(0, planner.MaxNodes), "Nodes", "A whole number of nodes, or blank to size automatically."),
		rule(b.inRow["scaling"], func(dv *excelize.DataValidation) error {
			return dv.SetDropList([]string{"fixed", "autoscale", "predictive"})
		}, "Scaling", "One of fixed, autoscale or predictive."),
	}
	for j := range b.p.Components {
		checks = append(checks, rule(b.inRow[compKey(j, "applies")], whole(0, 1), "Applies", "1 if the component applies to the phase, 0 if not."))
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

// variantTokens is the tokens a call phase i takes from its variant, for
// the Inputs rows input_tokens and output_tokens.
func variantTokens(b *builder, i int, key string) (any, bool) {
	a := b.p.Effective(i)
	var o planner.Opt[int64]
	switch key {
	case planner.KeyInputTokens:
		o = a.InputTokens()
	case planner.KeyOutputTokens:
		o = a.OutputTokens()
	default:
		return nil, false
	}
	if !o.Valid {
		return nil, false
	}
	return o.Val, true
}

// servingCapacity is a token phase's node throughput as a live formula over
// its Inputs cells in column c, as planner's serving rules give it: a node's
// replicas × 1000·B ÷ (out·a + (out − 1)·b·B + B·1000·in ÷ prefill), B being
// max_batch (0: 256), rounded as the engine rounds it.
func (b *builder) servingCapacity(c string) string {
	at := func(key string) string { return fmt.Sprintf("%s%d", c, b.inRow[key]) }
	B := fmt.Sprintf("IF(%s>0,%s,%d)", at(planner.KeyMaxBatch), at(planner.KeyMaxBatch), planner.DefaultMaxBatch)
	reps := fmt.Sprintf("MAX(1,INT(%s/MAX(%s,1)))", at("gpus_per_node"), at("tensor_parallel"))
	return fmt.Sprintf("ROUND(%s*1000*%s/(%s*%s+(%s-1)*%s*%s+%s*1000*%s/%s),%d)", reps, B,
		at("output_tokens"), at(planner.KeyStepBase), at("output_tokens"), at(planner.KeyStepPerSeq), B, B, at("input_tokens"), at(planner.KeyPrefill),
		planner.TokenPlaces)
}
