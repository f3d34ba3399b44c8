package export

import (
	"fmt"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/report"
)

// roadmapColumns is the most period columns the Gantt bar uses; longer plans
// get longer periods (two weeks, three, …) so the bar still fits a slide.
const roadmapColumns = 78

// roadmap writes one row per phase beside a bar drawn with cell fills: a
// conditional format fills each period a phase overlaps, so editing a
// phase's days on the Inputs sheet redraws the bar.
func (b *builder) roadmap() error {
	w, err := b.printable(sheetRoadmap, "70AD47")
	if err != nil {
		return err
	}
	weeks := (int(b.r.Days) + 6) / 7
	period := 7 * ((weeks + roadmapColumns - 1) / roadmapColumns) // days per column
	cols := (int(b.r.Days) + period - 1) / period
	const barCol = 10 // J
	for c, width := range []float64{24, 11, 11, 7, 13, 8, 11, 15, 2} {
		if err := w.sw.SetColWidth(c+1, c+1, width); err != nil {
			return err
		}
	}
	if err := w.sw.SetColWidth(barCol, barCol+cols-1, 3.2); err != nil {
		return err
	}
	if err := w.sw.SetPanes(frozen("B4", 1, 3)); err != nil {
		return err
	}
	st, cur := b.st, b.p.Currency
	f := func(fm report.Format) int { return st.cell(numFmt(fm, cur), computed) }
	date := st.cell(dateFmt, computed)
	unit := "week"
	if period > 7 {
		unit = fmt.Sprintf("%d-day period", period)
	}
	w.put(cell(st.title, b.p.Name+": roadmap"))
	w.put(cell(st.note, fmt.Sprintf("One row per phase; each narrow column is a %s, starting %s.", unit, b.r.StartDate)))
	header := []any{cell(st.header, "Phase"), cell(st.headerRight, "Start"), cell(st.headerRight, "End"), cell(st.headerRight, "Days"),
		cell(st.headerRight, "Calls/day"), cell(st.headerRight, "Nodes"), cell(st.header, "Scaling"), cell(st.headerRight, "Total cost"), nil}
	vertical := st.make(&excelize.Style{NumFmt: 0, CustomNumFmt: strp("d mmm"), Font: &excelize.Font{Size: 8, Color: "595959"},
		Alignment: &excelize.Alignment{TextRotation: 90, Horizontal: "center"}})
	for k := 0; k < cols; k++ {
		header = append(header, formula(vertical, fmt.Sprintf("%s+%d", nameStartDate, k*period), serial(b.r.StartDate.AddDays(int64(k*period)))))
	}
	if err := w.sw.SetRow("A3", header, excelize.RowOpts{Height: 48}); err != nil {
		return err
	}
	w.row = 3
	for i := range b.r.Phases {
		c := colCtx{b: b, i: i, c: phaseCol(i), ph: &b.r.Phases[i], cur: cur}
		m := func(key string) string { return fmt.Sprintf("%s!%s", sheetModel, c.m(key)) }
		row := []any{
			formula(st.name, fmt.Sprintf("%s!%s$%d", sheetModel, c.c, modelHeader), c.ph.Name),
			formula(date, fmt.Sprintf("%s!%s%d", sheetModel, c.c, modelStart), serial(c.ph.StartDate)),
			formula(date, fmt.Sprintf("%s!%s%d", sheetModel, c.c, modelEnd), serial(c.ph.EndDate)),
			formula(f(report.FormatCount), m("days"), c.ph.Days),
			formula(f(report.FormatCount), m("calls_per_day"), c.ph.CallsPerDay),
			formula(f(report.FormatCount), m("nodes"), c.ph.Nodes),
			formula(st.cell("@", computed), m("scaling"), string(c.ph.Scaling)),
			formula(f(report.FormatMoney), m("total_cost"), num(c.ph.Cost.Total)),
			nil,
		}
		for k := 0; k < cols; k++ {
			row = append(row, excelize.Cell{StyleID: st.ganttCell})
		}
		w.put(row...)
	}
	first, last := colName(barCol), colName(barCol+cols-1)
	bar := b.st.gantt
	rng := fmt.Sprintf("%s4:%s%d", first, last, 3+len(b.r.Phases))
	if err := b.f.SetConditionalFormat(sheetRoadmap, rng, []excelize.ConditionalFormatOptions{{
		Type: "formula", Format: &bar,
		Criteria: fmt.Sprintf("AND(%s$3<=$C4,%s$3+%d>$B4)", first, first, period),
	}}); err != nil {
		return err
	}
	if err := b.printSetup(sheetRoadmap); err != nil {
		return err
	}
	return w.flush()
}

// summary writes the headline figures, the checks per phase and two charts.
func (b *builder) summary() error {
	w, err := b.printable(sheetSummary, "1F3864")
	if err != nil {
		return err
	}
	for c, width := range []float64{26, 20, 20, 20, 20, 3} {
		if err := w.sw.SetColWidth(c+1, c+1, width); err != nil {
			return err
		}
	}
	st, cur, r := b.st, b.p.Currency, b.r
	f := func(fm report.Format) int { return st.cellBold(numFmt(fm, cur), computed, true) }
	model := func(key string) string { return fmt.Sprintf("%s!$C$%d", sheetModel, b.modelRow[key]) }
	n := len(r.Phases)

	w.put(cell(st.title, b.p.Name))
	if err := w.sw.SetRow("A2", []any{cell(st.subtitle, fmt.Sprintf(
		"Cost model exported by scaleplan on %s. Amounts in %s. Change the blue cells on the Inputs sheet and every figure follows.",
		time.Now().Format("2006-01-02"), cur))}, excelize.RowOpts{Height: 30}); err != nil {
		return err
	}
	if err := w.sw.MergeCell("A2", "E2"); err != nil {
		return err
	}
	w.row = 2
	w.skip(1)
	w.put(cell(st.header, "Headline"), cell(st.headerRight, ""))

	beRow := w.row + 10 // the break-even day's row, referred to below
	beDay, beDate := any("not within plan"), any("not within plan")
	if r.BreakEven.Day.Valid {
		beDay, beDate = r.BreakEven.Day.Val, serial(r.BreakEven.Date.Val)
	}
	peakNodes := fmt.Sprintf("%s!$C$%d", sheetModel, b.modelRow["nodes"])
	headline := []struct {
		label string
		style int
		f     string
		v     any
	}{
		{"Start date", st.cellBold(dateFmt, computed, true), nameStartDate, serial(r.StartDate)},
		{"End date", st.cellBold(dateFmt, computed, true), fmt.Sprintf("%s!$C$%d", sheetModel, modelEnd), serial(r.EndDate)},
		{"Days", f(report.FormatCount), model("days"), r.Days},
		{"Calls", f(report.FormatCount), model("calls"), r.Totals.Calls},
		{"Total cost", f(report.FormatMoney), model("total_cost"), num(r.Totals.Cost.Total)},
		{"Cost per call", f(report.FormatPerCall), model("cost_per_call"), opt(r.Totals.CostPerCall)},
		{"Revenue", f(report.FormatMoney), model("revenue"), num(r.Totals.Revenue)},
		{"Margin", f(report.FormatMoney), model("margin"), num(r.Totals.Margin)},
		{"Peak nodes", f(report.FormatCount), peakNodes, r.Totals.PeakNodes},
		{"Break-even day", f(report.FormatCount), b.breakEvenDayFormula(), beDay},
		{"Break-even date", st.cellBold(dateFmt, computed, true), fmt.Sprintf(`IF(ISNUMBER(B%d),%s+B%d-1,"not within plan")`, beRow, nameStartDate, beRow), beDate},
	}
	for _, h := range headline {
		w.put(cell(st.label, h.label), formula(h.style, h.f, h.v))
	}
	if w.row != beRow+1 {
		return fmt.Errorf("export: summary rows drifted")
	}
	w.skip(1)
	w.put(cell(st.header, "Checks per phase"), cell(st.headerRight, "Cost ceiling"), cell(st.headerRight, "Min. utilization"),
		cell(st.headerRight, "p99 latency"), cell(st.headerRight, "Overflow to batch"))
	checksFirst := w.row + 1
	passFail := st.cellBold("@", computed, true)
	for i := range r.Phases {
		c := colCtx{b: b, i: i, c: phaseCol(i), ph: &r.Phases[i], cur: cur}
		row := []any{formula(st.name, fmt.Sprintf("%s!%s$%d", sheetModel, c.c, modelHeader), c.ph.Name)}
		for _, key := range []string{"check_cost_ceiling", "check_min_utilization", "check_p99", "check_overflow"} {
			lc := extraCell(key)
			row = append(row, formula(passFail, sheetModel+"!"+c.m(key), lc.value(&c)))
		}
		w.put(row...)
	}
	if err := b.passFail(sheetSummary, fmt.Sprintf("B%d:E%d", checksFirst, w.row)); err != nil {
		return err
	}
	// Notes go below the charts, whose rows must keep their default height.
	if b.p.Notes != "" {
		w.row = max(w.row+1, chartsEndRow)
		w.put(cell(st.header, "Notes"), cell(st.header, ""), cell(st.header, ""), cell(st.header, ""), cell(st.header, ""))
		if err := w.sw.SetRow(fmt.Sprintf("A%d", w.row+1), []any{cell(st.wrap, b.p.Notes)},
			excelize.RowOpts{Height: notesHeight(b.p.Notes)}); err != nil {
			return err
		}
		w.row++
		if err := w.sw.MergeCell(fmt.Sprintf("A%d", w.row), fmt.Sprintf("E%d", w.row)); err != nil {
			return err
		}
	}
	if err := b.charts(n); err != nil {
		return err
	}
	if err := b.printSetup(sheetSummary); err != nil {
		return err
	}
	return w.flush()
}

func extraCell(key string) lineCell {
	// Only the static groups: the summary reads checks, never components.
	for _, g := range extraGroups {
		for _, l := range g.lines {
			if l.key == key {
				return l.cell
			}
		}
	}
	panic("export: no extra line " + key)
}

// chartsEndRow is the first row below the two charts on the Summary sheet.
const chartsEndRow = 38

// notesHeight gives wrapped notes room: about 95 characters a line at the
// merged width.
func notesHeight(s string) float64 {
	lines := len([]rune(s))/95 + 1
	return float64(min(lines, 25)) * 15
}

// charts adds the cost-by-category columns and the cumulative lines.
func (b *builder) charts(n int) error {
	first, last := phaseCol(0), phaseCol(n-1)
	cats := fmt.Sprintf("%s!$%s$%d:$%s$%d", sheetModel, first, modelHeader, last, modelHeader)
	var series []excelize.ChartSeries
	// The same stacks, in the same colours, as the app's Costs chart.
	for _, part := range report.ChartParts(b.r) {
		key := planner.CostLines[part.Line].LineKey
		switch {
		case part.Component > 0:
			key = report.ComponentKey(part.Component - 1)
		case part.Component < 0:
			key = "components_cost"
		}
		row := b.modelRow[key]
		series = append(series, excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$A$%d", sheetModel, row),
			Categories: cats,
			Values:     fmt.Sprintf("%s!$%s$%d:$%s$%d", sheetModel, first, row, last, row),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{strings.ToUpper(strings.TrimPrefix(part.Colour, "#"))}},
		})
	}
	gap := uint(60)
	axisFont := excelize.Font{Color: "404040", Size: 9}
	moneyFmt := numFmt(report.FormatMoney, b.p.Currency)
	if err := b.f.AddChart(sheetSummary, "G2", &excelize.Chart{
		Type:      excelize.ColStacked,
		Series:    series,
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Cost by category per phase"}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 640, Height: 320},
		XAxis:     excelize.ChartAxis{Font: axisFont},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, Font: axisFont, NumFmt: excelize.ChartNumFmt{CustomNumFmt: moneyFmt}},
		GapWidth:  &gap,
		Format:    excelize.GraphicOptions{OffsetX: 6, OffsetY: 6},
	}); err != nil {
		return err
	}
	days := fmt.Sprintf("%s!$A$%d:$A$%d", sheetTimeline, b.dayFirst, b.dayLast)
	dayOne, lastDay := 1.0, float64(b.r.Days)
	line := func(col, color string) excelize.ChartSeries {
		return excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$%s$3", sheetTimeline, col),
			Categories: days,
			Values:     fmt.Sprintf("%s!$%s$%d:$%s$%d", sheetTimeline, col, b.dayFirst, col, b.dayLast),
			Line:       excelize.LineOptions{Type: excelize.LineSolid, Width: 2.25},
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}},
			Marker:     excelize.ChartMarker{Symbol: "none"},
		}
	}
	// A scatter chart gets a numeric day axis with sensible ticks at any plan length.
	return b.f.AddChart(sheetSummary, "G20", &excelize.Chart{
		Type:      excelize.Scatter,
		Series:    []excelize.ChartSeries{line("K", "C00000"), line("L", "2E75B6")},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Cumulative cost and revenue by plan day"}}},
		Legend:    excelize.ChartLegend{Position: "bottom"},
		Dimension: excelize.ChartDimension{Width: 640, Height: 320},
		XAxis:     excelize.ChartAxis{Font: axisFont, Minimum: &dayOne, Maximum: &lastDay, Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "plan day"}}}},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, Font: axisFont, NumFmt: excelize.ChartNumFmt{CustomNumFmt: moneyFmt}},
		Format:    excelize.GraphicOptions{OffsetX: 6, OffsetY: 6},
	})
}
