package export

import (
	"fmt"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/compare"
	"github.com/scaleplan/scaleplan/report"
)

// sheetScenarios sets the plan's scenarios beside the plan: the inputs each
// changes, and their headline results. Each scenario is a live model of its
// own (Inputs_S1, Model_S1, Hourly_S1, Timeline_S1, …, built by the same
// code with its sheets and names tagged), and this sheet reads them: change
// a scenario's input and its column follows.
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
	// The columns: the plan, then each scenario's model as built (a nil
	// model: the scenario does not apply). Each is computed once, for its
	// sheets; the diffs read those results.
	models := append([]*builder{b}, b.scenarios...)
	totals := make([][]compare.Line, len(models))
	for k, m := range models {
		if m != nil {
			totals[k] = compare.Plans(*b.p, b.r, *m.p, m.r).Totals
		}
	}
	w.put(cell(st.title, "Scenarios: the alternatives kept in the plan, beside it"))
	note := "Each scenario is a live model of its own, on the sheets tagged with its number:"
	for k, s := range b.p.Scenarios {
		note += fmt.Sprintf(" _S%d %s;", k+1, s.Name)
	}
	w.put(cell(st.note, note+" change a blue cell on a scenario's Inputs sheet and its column here follows. The rows below mirror the inputs each scenario changes."))
	header := []any{cell(st.header, "Line"), cell(st.header, "Unit"), cell(st.headerRight, "This plan")}
	for k, s := range b.p.Scenarios {
		header = append(header, cell(st.headerRight, fmt.Sprintf("%s (_S%d)", s.Name, k+1)))
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
	live := st.cell(numFmt(report.FormatDecimal, cur), computed)
	for _, path := range paths {
		row := []any{cell(st.name, path), cell(st.unit, "in each design")}
		for _, m := range append([]*builder{b}, b.scenarios...) {
			if m == nil {
				row = append(row, cell(text, none))
				continue
			}
			if ref, v, ok := m.inputCell(path); ok {
				row = append(row, formula(live, ref, v))
			} else {
				row = append(row, cell(text, m.inputText(path)))
			}
		}
		w.put(row...)
	}

	w.put(b.groupRow("Headline results")...)
	for _, key := range scenarioHeadlines {
		var base *compare.Line
		for k := range totals[0] {
			if totals[0][k].Key == key {
				base = &totals[0][k]
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
		style := st.cell(numFmt(fm, cur), computed)
		modelKey := key
		for _, l := range planner.CostLines {
			if l.JSONKey == key {
				modelKey = l.LineKey
			}
		}
		row := []any{cell(st.label, base.Label), cell(st.unit, "whole plan")}
		for k, m := range models {
			if m == nil {
				row = append(row, cell(text, none))
				continue
			}
			var v any = none
			for _, l := range totals[k] {
				if l.Key == key {
					v = opt(l.B)
				}
			}
			row = append(row, formula(style, fmt.Sprintf("%s!$C$%d", m.sheet(sheetModel), m.modelRow[modelKey]), v))
		}
		w.put(row...)
	}
	checks := []any{cell(st.label, "Checks passed"), cell(st.unit, "of all phases' checks")}
	breakEven := []any{cell(st.label, "Break-even day"), cell(st.unit, "plan day")}
	for _, m := range models {
		if m == nil {
			checks, breakEven = append(checks, cell(text, none)), append(breakEven, cell(text, none))
			continue
		}
		pass, all := m.r.ChecksPassed()
		n := len(m.r.Phases)
		rng := fmt.Sprintf("%s!$%s$%d:$%s$%d", m.sheet(sheetModel), phaseCol(0), m.modelRow["check_consistency"], phaseCol(n-1), m.modelRow["check_overflow"])
		checks = append(checks, formula(st.cell("@", computed),
			fmt.Sprintf(`COUNTIF(%s,"PASS")&" of "&(COUNTIF(%s,"PASS")+COUNTIF(%s,"FAIL"))`, rng, rng, rng), fmt.Sprintf("%d of %d", pass, all)))
		breakEven = append(breakEven, formula(st.cell(numFmt(report.FormatCount, cur), computed), m.breakEvenDayFormula(), breakEvenValue(m.r.BreakEven)))
	}
	w.put(checks...)
	w.put(breakEven...)
	return w.flush()
}

func breakEvenValue(be planner.BreakEven) any {
	if !be.Day.Valid {
		return "not within plan"
	}
	return be.Day.Val
}

// breakEvenDayFormula is the first day from which the plan stays even, read
// off this model's Timeline: the day after the last day that is not.
func (b *builder) breakEvenDayFormula() string {
	even := fmt.Sprintf("%s!$N$%d:$N$%d", b.sheet(sheetTimeline), b.dayFirst, b.dayLast)
	day := fmt.Sprintf("%s!$A$%d:$A$%d", b.sheet(sheetTimeline), b.dayFirst, b.dayLast)
	lastBad := fmt.Sprintf("SUMPRODUCT(MAX((%s=0)*%s))", even, day)
	days := fmt.Sprintf("%s!$C$%d", b.sheet(sheetModel), b.modelRow["days"])
	return fmt.Sprintf(`IF(OR(COUNTIF(%s,1)=0,%s>=%s),"not within plan",%s+1)`, even, lastBad, days, lastBad)
}

// inputCell is the Inputs cell an override path names in this model, and
// the value it holds; ok is false for what the Inputs sheet does not hold
// as a number or text (a variant's figure, a component's phases, an
// automatic node ceiling).
func (b *builder) inputCell(path string) (ref string, v any, ok bool) {
	section, name, key, good := planner.SplitPath(path)
	if !good {
		return "", nil, false
	}
	in := b.sheet(sheetInputs)
	switch {
	case section == "assumptions":
		f, found := planner.LookupField(key)
		if !found || f.Kind == planner.KindProfile {
			return "", nil, false
		}
		return fmt.Sprintf("%s!$C$%d", in, b.inRow[key]), assumptionValue(f, &b.p.Assumptions), true
	case section == "slo":
		f, found := planner.LookupSLO(key)
		if !found || !f.Of(b.p.SLO).Valid {
			return "", nil, false
		}
		return fmt.Sprintf("%s!$C$%d", in, b.inRow["slo."+key]), num(f.Of(b.p.SLO).Val), true
	case section == "phases":
		i := -1
		for k, ph := range b.p.Phases {
			if ph.Name == name {
				i = k
			}
		}
		row, found := b.inRow[key]
		if i < 0 || !found {
			return "", nil, false
		}
		if pf, isPhase := planner.LookupPhaseField(key); isPhase {
			v := pf.Value(&b.p.Phases[i])
			if v == nil || v == "" {
				return "", nil, false
			}
			return fmt.Sprintf("%s!%s%d", in, phaseCol(i), row), v, true
		}
		f, _ := planner.LookupField(key)
		if f.Kind == planner.KindProfile {
			return "", nil, false
		}
		a := b.p.Effective(i)
		return fmt.Sprintf("%s!%s%d", in, phaseCol(i), row), assumptionValue(f, &a), true
	case section == "components":
		for j, c := range b.p.Components {
			if c.Name != name {
				continue
			}
			row, found := b.inRow[compKey(j, key)]
			if !found {
				return "", nil, false
			}
			switch key {
			case "price":
				return fmt.Sprintf("%s!$C$%d", in, row), num(c.Price), true
			case "bytes_per_call":
				return fmt.Sprintf("%s!$C$%d", in, row), c.BytesPerCall, true
			case "retention_days":
				return fmt.Sprintf("%s!$C$%d", in, row), c.RetentionDays, true
			}
		}
	}
	return "", nil, false
}

// inputText is an override path's value in this model as the plan file
// writes it, for the inputs the Inputs sheet does not hold.
func (b *builder) inputText(path string) string {
	section, name, key, _ := planner.SplitPath(path)
	if section == "phases" {
		for i, ph := range b.p.Phases {
			if ph.Name == name {
				if pf, ok := planner.LookupPhaseField(key); ok {
					if t := pf.Text(&b.p.Phases[i]); t != "" {
						return t
					}
					return "none"
				}
			}
		}
	}
	return "(as the plan file has it)"
}

// scenarioModels are the builders of each scenario's live model: the plan
// as the scenario has it, computed, its sheets and names tagged _S1, _S2, …
// A scenario that does not apply has none (the sheet says so).
func (b *builder) scenarioModels() []*builder {
	var out []*builder
	for k, s := range b.p.Scenarios {
		q, err := b.p.Scenario(s.Name)
		if err != nil {
			out = append(out, nil)
			continue
		}
		q.Scenarios = nil
		r := planner.Compute(q)
		out = append(out, &builder{p: &q, r: &r, f: b.f, st: b.st, tag: fmt.Sprintf("_S%d", k+1)})
	}
	return out
}
