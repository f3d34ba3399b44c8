package export

import (
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/actuals"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
	"github.com/scaleplan/scaleplan/planner/prices"
	"github.com/scaleplan/scaleplan/report"
)

// The Actuals sheet (docs/actuals.md): the bill's charges a day, by line,
// as values; each covered phase's lines planned (formulas over the Model
// and Timeline sheets' own cells), actual (SUMIFS over the days) and
// their variance, live: change an input and the plan side moves; paste
// corrected charges and the actual side does.

const sheetActuals = "Actuals"

// WriteFileWithActuals is WriteFile with an Actuals sheet of rep, the plan
// held against its bill (planner/actuals), which must be of p computed as r.
func WriteFileWithActuals(p planner.Plan, r *planner.Result, cat prices.Catalog, rep *actuals.Report, path string) error {
	b, err := BytesWithActuals(p, r, cat, rep)
	if err != nil {
		return err
	}
	return jsonfile.WriteFileAtomic(path, b)
}

// BytesWithActuals is Bytes with an Actuals sheet of rep.
func BytesWithActuals(p planner.Plan, r *planner.Result, cat prices.Catalog, rep *actuals.Report) ([]byte, error) {
	var buf bytes.Buffer
	if err := write(&buf, p, r, cat, rep); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// actualsKeys are the lines the daily block has a column for: the cost
// lines the comparison shows, each component, and unmapped spend.
func actualsKeys(rep *actuals.Report) []string {
	var out []string
	seen := map[string]bool{}
	for _, ph := range rep.Phases {
		for _, l := range ph.Lines {
			if !l.Money || seen[l.Key] {
				continue
			}
			switch l.Key {
			case "components", "total_cost", "cost_per_call", "revenue", "margin", "node_hour_price":
				continue
			}
			seen[l.Key] = true
			out = append(out, l.Key)
		}
	}
	return out
}

func (b *builder) actualsSheet() error {
	rep := b.act
	if rep == nil {
		return nil
	}
	keys := actualsKeys(rep)
	widths := []float64{22, 26, 12, 16, 16, 16, 10}
	for range keys {
		widths = append(widths, 14)
	}
	w, err := b.table(sheetActuals, "", false, append(widths, 14, 14, 16, 16)...)
	if err != nil {
		return err
	}
	st, cur := b.st, b.p.Currency
	money := st.cell(numFmt(report.FormatMoney, cur), computed)
	// A variance is not red for being negative: under plan is no alarm.
	delta := st.cell(strings.Replace(numFmt(report.FormatMoney, cur), "[Red]", "", 1), computed)
	value := st.cell(numFmt(report.FormatMoney, cur), input)
	count := st.cell(numFmt(report.FormatCount, cur), computed)
	days := st.cell(numFmt(report.FormatDecimal, cur), computed)
	pct := st.cell(numFmt(report.FormatShare2, cur), computed)
	text, date := st.cell("@", computed), st.cell(dateFmt, computed)
	model := func(key string, col string) (string, bool) {
		row, ok := b.modelRow[key]
		return fmt.Sprintf("%s!$%s$%d", b.sheet(sheetModel), col, row), ok
	}

	// Rows: the title, a note, the variance block's header and rows, a
	// gap, the daily block's heading, header and days.
	varRows := 0
	for _, ph := range rep.Phases {
		for _, l := range ph.Lines {
			if l.Money && (slices.Contains(keys, l.Key) || l.Key == "total_cost") {
				varRows++
			}
		}
	}
	dailyFirst := 3 + varRows + 4
	var covered []actuals.Day
	firstDay := -1
	for i, d := range rep.Days {
		if d.Actual {
			if firstDay < 0 {
				firstDay = i
			}
			covered = append(covered, d)
		}
	}
	if len(covered) == 0 {
		return w.flush()
	}
	dailyLast := dailyFirst + len(covered) - 1
	keyCol := func(k int) string { return colName(8 + k) }
	totalCol, plannedCol := colName(8+len(keys)), colName(9+len(keys))
	dailyRange := func(col string) string { return fmt.Sprintf("$%s$%d:$%s$%d", col, dailyFirst, col, dailyLast) }
	// The daily row of plan day index d (0-based), and its Timeline row.
	dailyRow := func(d int) int { return dailyFirst + d - firstDay }
	tlRow := func(d int) int { return b.dayFirst + d }

	var files []string
	for _, f := range rep.Files {
		files = append(files, fmt.Sprintf("%s %s (SHA-256 %s…)", f.Kind, f.Name, f.SHA256[:12]))
	}
	w.put(cell(st.title, "Actuals: the plan against its bill"))
	w.put(cell(st.note, fmt.Sprintf("%s. Charges are %s, spread over the plan's days by their hours (blue: values from the files; black: formulas). "+
		"Planned is the Model sheet's line over the covered days; actual sums the days below by phase. Read: %s.",
		strings.TrimSuffix(report.ActualsHeadline(rep), "."), rep.CostKind, strings.Join(files, "; "))))
	w.put(cell(st.header, "Phase"), cell(st.header, "Line"), cell(st.headerRight, "Days covered"), cell(st.headerRight, "Planned"),
		cell(st.headerRight, "Actual"), cell(st.headerRight, "Δ"), cell(st.headerRight, "Δ %"))
	for _, ph := range rep.Phases {
		col := phaseCol(ph.Index)
		dModel, _ := model("days", col)
		first := int(ph.Start.DaysSince(rep.Days[0].Date))
		last := first + int(ph.Days) - 1
		lo, hi := max(first, firstDay), min(last, firstDay+len(covered)-1)
		blockFirst := w.row + 1
		for _, l := range ph.Lines {
			if !l.Money || !(slices.Contains(keys, l.Key) || l.Key == "total_cost") {
				continue
			}
			r := w.row + 1
			cd := fmt.Sprintf("$C%d", r)
			plannedF := ""
			switch {
			case l.Key == "total_cost":
				plannedF = fmt.Sprintf("SUM(D%d:D%d)", blockFirst, r-1)
			case l.Key == "storage":
				plannedF = fmt.Sprintf("SUMPRODUCT(%s!$H$%d:$H$%d,$D$%d:$D$%d)/24", b.sheet(sheetTimeline), tlRow(lo), tlRow(hi), dailyRow(lo), dailyRow(hi))
			case l.Key == "fixed":
				fixed, _ := model("fixed_cost", col)
				once, _ := model("one_time", col)
				startCovered := 0
				if ph.From.Equal(ph.Start.Time()) {
					startCovered = 1
				}
				plannedF = fmt.Sprintf("(%s-%s)*%s/%s+%d*%s", fixed, once, cd, dModel, startCovered, once)
			default:
				if cl := costLine(l.Key); cl != nil {
					if ref, ok := model(cl.LineKey, col); ok {
						plannedF = fmt.Sprintf("%s*%s/%s", ref, cd, dModel)
					}
				}
			}
			planned := cell(money, num(l.Planned.Val))
			if plannedF != "" {
				planned = formula(money, plannedF, num(l.Planned.Val))
			}
			actual := formula(money, fmt.Sprintf("SUMIFS(%s,%s,%d)", dailyRange(keyColOf(keys, l.Key, keyCol, totalCol)), dailyRange("C"), ph.Index+1), num(l.Actual.Val))
			var dp any = ""
			if v := l.DeltaPct(); v.Valid {
				dp = num(v.Val.Div(decimal.NewFromInt(100)))
			}
			w.put(cell(st.label, ph.Name), cell(st.label, l.Label), cell(days, num(ph.Elapsed())), planned, actual,
				formula(delta, fmt.Sprintf("E%d-D%d", r, r), num(l.Delta().Val)),
				formula(pct, fmt.Sprintf(`IF(D%d=0,"",F%d/ABS(D%d))`, r, r, r), dp))
		}
	}
	w.skip(1)
	w.put(cell(st.title, "The bill's charges a day"))
	head := []any{cell(st.headerRight, "Day"), cell(st.headerRight, "Date"), cell(st.headerRight, "Phase #"), cell(st.headerRight, "Hours covered"),
		cell(st.header, ""), cell(st.header, ""), cell(st.header, "")}
	for _, k := range keys {
		head = append(head, cell(st.headerRight, lineLabel(rep, k)))
	}
	head = append(head, cell(st.headerRight, "Actual"), cell(st.headerRight, "Planned"), cell(st.headerRight, "Cumulative actual"), cell(st.headerRight, "Cumulative planned"))
	w.put(head...)
	cumA, cumP := decimal.Zero, decimal.Zero
	for i, d := range covered {
		r := w.row + 1
		di := firstDay + i
		row := []any{
			formula(count, fmt.Sprintf("%s!$A$%d", b.sheet(sheetTimeline), tlRow(di)), di+1),
			formula(date, fmt.Sprintf("%s!$B$%d", b.sheet(sheetTimeline), tlRow(di)), serial(d.Date)),
			formula(count, fmt.Sprintf("%s!$C$%d", b.sheet(sheetTimeline), tlRow(di)), phaseOf(b.r, d.Date)+1),
			cell(count, d.Hours), cell(text, ""), cell(text, ""), cell(text, ""),
		}
		for _, k := range keys {
			row = append(row, cell(value, num(d.ByLine[k])))
		}
		total, planned := d.ActualCost.Val, d.PlannedCovered
		cumA, cumP = cumA.Add(total), cumP.Add(planned)
		row = append(row,
			formula(money, fmt.Sprintf("SUM(%s%d:%s%d)", keyCol(0), r, keyCol(len(keys)-1), r), num(total)),
			formula(money, fmt.Sprintf("%s!$I$%d*D%d/24", b.sheet(sheetTimeline), tlRow(di), r), num(planned)),
			formula(money, fmt.Sprintf("N(%s%d)+%s%d", colName(10+len(keys)), r-1, totalCol, r), num(cumA)),
			formula(money, fmt.Sprintf("N(%s%d)+%s%d", colName(11+len(keys)), r-1, plannedCol, r), num(cumP)))
		w.put(row...)
	}
	return w.flush()
}

func costLine(key string) *planner.CostLine {
	for i := range planner.CostLines {
		if planner.CostLines[i].JSONKey == key {
			return &planner.CostLines[i]
		}
	}
	return nil
}

func keyColOf(keys []string, key string, keyCol func(int) string, totalCol string) string {
	for i, k := range keys {
		if k == key {
			return keyCol(i)
		}
	}
	return totalCol
}

func lineLabel(rep *actuals.Report, key string) string {
	for _, ph := range rep.Phases {
		for _, l := range ph.Lines {
			if l.Key == key {
				return l.Label
			}
		}
	}
	return key
}

func phaseOf(r *planner.Result, d planner.Date) int {
	for i := range r.Phases {
		if !d.Before(r.Phases[i].StartDate) && !d.After(r.Phases[i].EndDate) {
			return i
		}
	}
	return -1
}
