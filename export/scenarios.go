package export

import (
	"fmt"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/report"
)

// sheetScenarios sets the plan's scenarios beside the plan: the inputs each
// changes, and their headline results. The plan's own column reads the
// Model live; a scenario's results are the engine's as of the export (a
// second live model per scenario is not built), and the sheet says so.
const sheetScenarios = "Scenarios"

// scenarioHeadlines are the results the sheet compares, from the diff's
// totals.
var scenarioHeadlines = []string{"nodes", "node_hours", "gpu", "total_cost", "cost_per_call", "revenue", "margin"}

func (b *builder) scenariosSheet() error {
	if len(b.p.Scenarios) == 0 {
		return nil
	}
	widths := []float64{34, 22, 18}
	for range b.p.Scenarios {
		widths = append(widths, 30)
	}
	w, err := b.table(sheetScenarios, "8E44AD", true, widths...)
	if err != nil {
		return err
	}
	st, cur := b.st, b.p.Currency
	outs := planner.CompareScenarios(*b.p, b.r)
	w.put(cell(st.title, "Scenarios: the alternatives kept in the plan, beside it"))
	w.put(cell(st.note, "The plan's column reads the Model sheet live. Each scenario's inputs are as the plan file keeps them and its results "+
		"were computed by scaleplan when the workbook was exported: change a scenario in scaleplan and export again."))
	header := []any{cell(st.header, "Line"), cell(st.header, "Unit"), cell(st.headerRight, "This plan")}
	for _, s := range b.p.Scenarios {
		header = append(header, cell(st.headerRight, s.Name))
	}
	w.put(header...)

	w.put(b.groupRow("Inputs the scenarios change")...)
	var paths []string
	seen := map[string]bool{}
	for _, s := range b.p.Scenarios {
		for _, o := range s.Overrides {
			if !seen[o.Path] {
				seen[o.Path] = true
				paths = append(paths, o.Path)
			}
		}
	}
	text := st.cell("@", asOfExport)
	for _, path := range paths {
		row := []any{cell(st.name, path), cell(st.unit, "as the plan file writes it"), cell(text, "(the plan's)")}
		for _, s := range b.p.Scenarios {
			v := ""
			for _, o := range s.Overrides {
				if o.Path == path {
					v = o.Value
				}
			}
			if v == "" {
				v = "—"
			}
			row = append(row, cell(text, v))
		}
		w.put(row...)
	}

	w.put(b.groupRow("Headline results")...)
	for _, key := range scenarioHeadlines {
		var base *planner.DiffLine
		for k := range outs[0].Diff.Totals {
			if outs[0].Diff.Totals[k].Key == key {
				base = &outs[0].Diff.Totals[k]
			}
		}
		if base == nil {
			continue
		}
		fm := report.FormatCount
		switch {
		case key == "cost_per_call":
			fm = report.FormatPerCall
		case base.Money:
			fm = report.FormatMoney
		}
		live := st.cell(numFmt(fm, cur), computed)
		asOf := st.cell(numFmt(fm, cur), asOfExport)
		modelKey := key
		for _, l := range planner.CostLines {
			if l.JSONKey == key {
				modelKey = l.LineKey
			}
		}
		row := []any{cell(st.label, base.Label), cell(st.unit, "whole plan")}
		if r, ok := b.modelRow[modelKey]; ok {
			row = append(row, formula(live, fmt.Sprintf("%s!$C$%d", sheetModel, r), opt(base.B)))
		} else {
			row = append(row, cell(asOf, opt(base.B)))
		}
		for _, o := range outs[1:] {
			v := any(none)
			if o.Err == nil {
				for _, l := range o.Diff.Totals {
					if l.Key == key {
						v = opt(l.B)
					}
				}
			}
			row = append(row, cell(asOf, v))
		}
		w.put(row...)
	}
	checks := []any{cell(st.label, "Checks passed"), cell(st.unit, "of all phases' checks")}
	breakEven := []any{cell(st.label, "Break-even"), cell(st.unit, "")}
	for _, o := range outs {
		if o.Err != nil {
			checks, breakEven = append(checks, cell(text, none)), append(breakEven, cell(text, none))
			continue
		}
		checks = append(checks, cell(text, fmt.Sprintf("%d of %d", o.Pass, o.Checks)))
		breakEven = append(breakEven, cell(text, o.Result.BreakEven.Words()))
	}
	w.put(checks...)
	w.put(breakEven...)
	return w.flush()
}
