package export

import (
	"errors"
	"fmt"
	"math"

	"github.com/xuri/excelize/v2"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/risk"
	"github.com/scaleplan/scaleplan/report"
)

// The Risk sheet: a plan with ranges gets the draws of `scaleplan risk PLAN
// --seed 1` as values (total cost, cost per call, break-even day and the
// worst p99 of each draw), and over them live formulas: the mean and
// percentiles (AVERAGE, PERCENTILE.INC), the odds (COUNTIF) and a
// histogram (COUNTIFS) with its chart. Edit a draw and the summary follows.

const sheetRisk = "Risk"

// riskSeed is the seed of the workbook's draws: the CLI's default.
const riskSeed = risk.DefaultSeed

// riskBins is how many bins the histogram of total cost has.
const riskBins = 30

// startRisk runs the draws off the builder's goroutine while the other
// sheets are written.
func (b *builder) startRisk() {
	if len(b.p.Ranges) == 0 {
		return
	}
	done := make(chan struct{})
	b.riskDone = done
	p := *b.p
	go func() {
		defer close(done)
		r, err := risk.Run(p, "", risk.Options{Draws: risk.DefaultDraws, Seed: riskSeed})
		b.risk, b.riskErr = &r, err
	}()
}

func (b *builder) riskSheet() error {
	if b.riskDone == nil {
		return nil
	}
	<-b.riskDone
	if errors.Is(b.riskErr, risk.ErrTooLong) {
		// The plan is too long to draw within the bound: the sheet says so
		// rather than the whole workbook failing.
		w, err := b.table(sheetRisk, "7030A0", true, 120)
		if err != nil {
			return err
		}
		w.put(cell(b.st.title, "Risk: not drawn"))
		w.put(cell(b.st.note, "The plan's ranges were not drawn: "+b.riskErr.Error()+"."))
		return w.flush()
	}
	if b.riskErr != nil {
		return b.riskErr
	}
	r := b.risk
	w, err := b.table(sheetRisk, "7030A0", true, 30, 16, 16, 16, 16, 16, 16)
	if err != nil {
		return err
	}
	st, cur := b.st, b.p.Currency
	f := func(fm report.Format) int { return st.cell(numFmt(fm, cur), computed) }
	fb := func(fm report.Format) int { return st.cellBold(numFmt(fm, cur), computed, true) }
	w.put(cell(st.title, fmt.Sprintf("Risk: %s draws of the plan's ranges (seed %d)", format.Count(int64(r.Draws)), r.Seed)))
	w.put(cell(st.note, "The draws below are values, as `scaleplan risk PLAN --seed 1` draws them; the mean, percentiles (PERCENTILE.INC), odds (COUNTIF) and histogram above them are live formulas over the draws."))
	// Rows are laid out here, so the summary can refer to the draws below.
	// Rows: the spread table from 3 (a heading and 3 rows), a blank, the
	// odds from oddsFirst (a heading and 2 rows), a blank, the inputs (a
	// heading and one row each), 2 blanks, the histogram from binsFirst (a
	// heading and riskBins rows), 2 blanks, the draws' heading, the draws.
	const spreadFirst = 3
	oddsFirst := spreadFirst + 4 + 1
	binsFirst := oddsFirst + 3 + 1 + 1 + len(r.Inputs) + 2
	drawFirst := binsFirst + 1 + riskBins + 2 + 1
	drawLast := drawFirst + r.Draws - 1
	col := func(c string) string { return fmt.Sprintf("$%s$%d:$%s$%d", c, drawFirst, c, drawLast) }

	w.put(cell(st.header, "Over the draws"), cell(st.headerRight, "Mean"), cell(st.headerRight, "P5"), cell(st.headerRight, "P10"),
		cell(st.headerRight, "P50"), cell(st.headerRight, "P90"), cell(st.headerRight, "P95"))
	spreadRow := func(label, c string, fm report.Format, s risk.Spread) {
		row := []any{cell(st.label, label), formula(fb(fm), fmt.Sprintf("AVERAGE(%s)", col(c)), finite(s.Mean))}
		for _, pc := range []struct {
			p float64
			v float64
		}{{0.05, s.P5}, {0.10, s.P10}, {0.50, s.P50}, {0.90, s.P90}, {0.95, s.P95}} {
			row = append(row, formula(f(fm), fmt.Sprintf("_xlfn.PERCENTILE.INC(%s,%g)", col(c), pc.p), finite(pc.v)))
		}
		w.put(row...)
	}
	spreadRow("Total cost", "B", report.FormatMoney, r.Totals.TotalCost)
	spreadRow("Cost per call", "C", report.FormatPerCall, r.Totals.CostPerCall)
	if p99Summable(r) {
		spreadRow("p99, worst hour (ms)", "E", report.FormatMillis, r.Totals.P99)
	} else {
		w.put(cell(st.label, "p99, worst hour (ms)"), cell(st.note, "not summarised: some draws have no p99 (saturated, or no latency model)"))
	}
	w.skip(1)
	if w.row+1 != oddsFirst {
		return fmt.Errorf("export: the Risk sheet's odds landed on row %d, not %d", w.row+1, oddsFirst)
	}
	w.put(cell(st.header, "Odds"), cell(st.headerRight, "Limit"), cell(st.headerRight, "Share of draws"))
	ceiling := any(none)
	var ceilingOdd any = none
	if r.Ceiling.Valid {
		ceiling = num(r.Ceiling.Val)
		ceilingOdd = formula(fb(report.FormatShare), fmt.Sprintf("COUNTIF(%s,\">\"&B%d)/%d", col("C"), oddsFirst+1, r.Draws), r.Odds.CostPerCallOverCeiling.Val)
	}
	w.put(cell(st.label, "Cost per call exceeds the ceiling"), cell(f(report.FormatUnitPrice), ceiling), ceilingOdd)
	w.put(cell(st.label, "The plan never breaks even"), cell(st.name, ""),
		formula(fb(report.FormatShare), fmt.Sprintf("COUNTIF(%s,\"never\")/%d", col("D"), r.Draws), r.Odds.NoBreakEven.Val))
	w.skip(1)
	w.put(cell(st.header, "Uncertain input"), cell(st.headerRight, "Low"), cell(st.headerRight, "High"), cell(st.header, "Distribution"),
		cell(st.header, "Group"), cell(st.headerRight, "Spearman ρ"))
	rho := map[string]float64{}
	for _, d := range r.Drivers {
		rho[d.Path] = d.Rho
	}
	for _, in := range r.Inputs {
		var rv any = none
		if !math.IsNaN(rho[in.Path]) {
			rv = rho[in.Path]
		}
		w.put(cell(st.name, planner.InputLabel(in.Path)), cell(f(report.FormatDecimal), num(in.Low)), cell(f(report.FormatDecimal), num(in.High)),
			cell(st.name, string(in.Kind())), cell(st.name, in.Group), cell(st.cell("0.00", asOfExport), rv))
	}
	w.skip(2)
	// The histogram of total cost: bins as values, counts live.
	if w.row+1 != binsFirst {
		return fmt.Errorf("export: the Risk sheet's histogram landed on row %d, not %d", w.row+1, binsFirst)
	}
	w.put(cell(st.header, "Total cost from"), cell(st.headerRight, "to"), cell(st.headerRight, "Draws"))
	lo, hi, _ := risk.FiniteRange(r.TotalCost)
	if hi == lo {
		hi = lo + 1
	}
	edges, counts := risk.Histogram(r.TotalCost, lo, hi, riskBins)
	for k, count := range counts {
		op := "<"
		if k == riskBins-1 {
			op = "<="
		}
		row := binsFirst + 1 + k
		w.put(cell(f(report.FormatMoney), edges[k]), cell(f(report.FormatMoney), edges[k+1]),
			formula(f(report.FormatCount), fmt.Sprintf("COUNTIFS(%s,\">=\"&A%d,%s,\"%s\"&B%d)", col("B"), row, col("B"), op, row), count))
	}
	w.skip(2)
	w.put(cell(st.header, "Draw"), cell(st.headerRight, "Total cost"), cell(st.headerRight, "Cost per call"), cell(st.headerRight, "Break-even day"),
		cell(st.headerRight, "p99, worst hour (ms)"))
	if w.row+1 != drawFirst {
		return fmt.Errorf("export: the Risk sheet's draws landed on row %d, not %d", w.row+1, drawFirst)
	}
	for i := 0; i < r.Draws; i++ {
		var be any = "never"
		if d := r.BreakEvenDay[i]; !math.IsInf(d, 1) {
			be = d
		}
		var perCall any = none
		if c := r.CostPerCall[i]; !math.IsNaN(c) {
			perCall = c
		}
		w.put(cell(f(report.FormatCount), i+1), cell(f(report.FormatMoney), r.TotalCost[i]), cell(f(report.FormatPerCall), perCall),
			cell(f(report.FormatCount), be), cell(f(report.FormatMillis), p99Cell(r.P99[i])))
	}
	// Print the summary, the histogram and its chart, not 10,000 draws.
	if err := b.f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", Scope: sheetRisk,
		RefersTo: fmt.Sprintf("%s!$A$1:$S$%d", sheetRisk, max(binsFirst+riskBins, 24))}); err != nil {
		return err
	}
	// A streamed sheet takes its chart before it is flushed.
	if err := b.columnChart(sheetRisk, "I3", "Total cost over the draws (bins by their lower edge)", "5B9BD5",
		"C", binsFirst, binsFirst+1, binsFirst+riskBins,
		excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: `"` + format.CurrencySymbol(cur) + `"#,##0,"k"`}},
		excelize.ChartAxis{}, 640, 320); err != nil {
		return err
	}
	return w.flush()
}

// p99Summable says every draw has a finite p99, so the workbook's
// percentiles of the column are the engine's.
func p99Summable(r *risk.Result) bool {
	for _, x := range r.P99 {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return len(r.P99) > 0
}

// finite is a figure for a cell: none where it is unbounded or missing.
func finite(x float64) any {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return none
	}
	return x
}

func p99Cell(x float64) any {
	switch {
	case math.IsNaN(x):
		return none
	case math.IsInf(x, 1):
		return "saturated"
	}
	return x
}

// columnChart adds a one-series column chart of sheet's column col, rows
// first to last, over the categories in column A, named by the cell in
// row nameRow; x and y give the axes' titles and number formats.
func (b *builder) columnChart(sheet, anchor, title, colour, col string, nameRow, first, last int, x, y excelize.ChartAxis, width, height uint) error {
	gap := uint(15)
	axisFont := excelize.Font{Color: "404040", Size: 9}
	x.Font, y.Font, y.MajorGridLines = axisFont, axisFont, true
	return b.f.AddChart(sheet, anchor, &excelize.Chart{
		Type: excelize.Col,
		Series: []excelize.ChartSeries{{
			Name:       fmt.Sprintf("%s!$%s$%d", sheet, col, nameRow),
			Categories: fmt.Sprintf("%s!$A$%d:$A$%d", sheet, first, last),
			Values:     fmt.Sprintf("%s!$%s$%d:$%s$%d", sheet, col, first, col, last),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colour}},
		}},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: title}}},
		Legend:    excelize.ChartLegend{Position: "none"},
		Dimension: excelize.ChartDimension{Width: width, Height: height},
		XAxis:     x,
		YAxis:     y,
		GapWidth:  &gap,
		Format:    excelize.GraphicOptions{OffsetX: 6, OffsetY: 6},
	})
}
