package export

import (
	"fmt"

	"github.com/scaleplan/scaleplan/report"
)

// hourly writes each phase's typical day, 24 rows a phase: the load, the
// nodes the scaler runs, capacity, overflow and what is served, as formulas.
func (b *builder) hourly() error {
	w, err := b.table(sheetHourly, "", false, 24, 8, 10, 14, 10, 14, 14, 14, 12)
	if err != nil {
		return err
	}
	st, cur := b.st, b.p.Currency
	f := func(fm report.Format) int { return st.cell(numFmt(fm, cur), computed) }
	text, count, dec, rate, share := st.cell("@", computed), f(report.FormatCount), f(report.FormatDecimal), f(report.FormatRate), f(report.FormatShare)

	w.put(cell(st.title, "Hourly: each phase's typical day"))
	w.put(cell(st.note, "Load λ = calls/day ÷ 86,400 × weight × 24 ÷ Σ weights. Nodes: fixed runs the ceiling; predictive "+
		"runs what this hour's load needs at the target utilization; autoscale what the previous hour's load needed (00:00 follows 23:00)."))
	w.put(cell(st.header, "Phase"), cell(st.headerRight, "Hour"), cell(st.headerRight, "Weight"), cell(st.headerRight, "Load (req/s)"),
		cell(st.headerRight, "Nodes"), cell(st.headerRight, "Capacity (req/s)"), cell(st.headerRight, "Overflow (req/s)"),
		cell(st.headerRight, "Served (req/s)"), cell(st.headerRight, "Utilization"))
	for i := range b.r.Phases {
		c := colCtx{b: b, i: i, c: phaseCol(i), ph: &b.r.Phases[i], cur: cur}
		m := func(key string) string { return fmt.Sprintf("%s!%s", sheetModel, c.m(key)) }
		name := fmt.Sprintf("%s!%s$%d", sheetModel, c.c, modelHeader)
		for h := 0; h < 24; h++ {
			r := w.row + 1
			prev := r - 1
			if h == 0 {
				prev = r + 23
			}
			hr := c.ph.Hour(h)
			load := fmt.Sprintf("%s/86400*C%d*24/SUM(%s)", m("calls_per_day"), r, c.profile())
			nodes := fmt.Sprintf(`IF(%s="fixed",%s,MIN(%s,MAX(%s,CEILING(ROUND(IF(%s="autoscale",D%d,D%d)/(%s*%s),9),1))))`,
				m("scaling"), m("nodes"), m("nodes"), m("min_nodes"), m("scaling"), prev, r, m("node_rps"), m("target_utilization"))
			w.put(
				formula(text, name, c.ph.Name),
				cell(count, h),
				formula(dec, fmt.Sprintf("%s!%s%d", sheetInputs, c.c, b.profRow+h), num(c.ph.Inputs.HourlyProfile[h])),
				formula(rate, load, num(hr.LoadRPS)),
				formula(count, nodes, hr.Nodes),
				formula(rate, fmt.Sprintf("E%d*%s", r, m("node_rps")), num(hr.CapacityRPS)),
				formula(rate, fmt.Sprintf("MAX(0,D%d-F%d)", r, r), num(hr.OverflowRPS)),
				formula(rate, fmt.Sprintf("MIN(D%d,F%d)", r, r), num(hr.ServedRPS)),
				formula(share, fmt.Sprintf(`IF(F%d>0,D%d/F%d,"%s")`, r, r, r, none), opt(hr.Utilization)),
			)
		}
	}
	return w.flush()
}

// timeline writes one row per day: cost and revenue accrued that day, the
// running totals, and whether the plan has broken even yet.
func (b *builder) timeline() error {
	w, err := b.table(sheetTimeline, "", false, 8, 12, 9, 24, 14, 14, 16, 16, 16, 10)
	if err != nil {
		return err
	}
	st, cur := b.st, b.p.Currency
	n := len(b.r.Phases)
	money, count := st.cell(numFmt(report.FormatMoney, cur), computed), st.cell(numFmt(report.FormatCount, cur), computed)
	text, date := st.cell("@", computed), st.cell(dateFmt, computed)
	row := func(key string) string {
		return fmt.Sprintf("%s!$%s$%d:$%s$%d", sheetModel, phaseCol(0), b.modelRow[key], phaseCol(n-1), b.modelRow[key])
	}
	firstDays := fmt.Sprintf("%s!$%s$%d:$%s$%d", sheetModel, phaseCol(0), modelFirstDay, phaseCol(n-1), modelFirstDay)
	names := fmt.Sprintf("%s!$%s$%d:$%s$%d", sheetModel, phaseCol(0), modelHeader, phaseCol(n-1), modelHeader)
	planDays := fmt.Sprintf("%s!$C$%d", sheetModel, b.modelRow["days"])

	w.put(cell(st.title, "Timeline: cost and revenue day by day"))
	w.put(cell(st.note, "One row per day of the plan as exported. A phase's one-time cost lands on its first day; everything else "+
		"accrues evenly. Break-even is the first day cumulative revenue reaches cumulative cost. If you lengthen phases, copy the last row down."))
	w.put(cell(st.headerRight, "Day"), cell(st.headerRight, "Date"), cell(st.headerRight, "Phase #"), cell(st.header, "Phase"),
		cell(st.headerRight, "Cost"), cell(st.headerRight, "Revenue"), cell(st.headerRight, "Cumulative cost"),
		cell(st.headerRight, "Cumulative revenue"), cell(st.headerRight, "Net"), cell(st.headerRight, "Even yet?"))
	for _, d := range b.r.Timeline() {
		r := w.row + 1
		even := 0
		if d.Even {
			even = 1
		}
		w.put(
			cell(count, d.Day),
			formula(date, fmt.Sprintf("%s+A%d-1", nameStartDate, r), serial(d.Date)),
			formula(count, fmt.Sprintf(`IF(A%d>%s,"",MATCH(A%d,%s,1))`, r, planDays, r, firstDays), d.Phase+1),
			formula(text, fmt.Sprintf(`IF(C%d="","",INDEX(%s,C%d))`, r, names, r), b.r.Phases[d.Phase].Name),
			formula(money, fmt.Sprintf(`IF(C%d="","",IF(A%d=INDEX(%s,C%d),INDEX(%s,C%d),INDEX(%s,C%d)))`,
				r, r, firstDays, r, row("first_day_cost"), r, row("daily_cost"), r), num(d.Cost)),
			formula(money, fmt.Sprintf(`IF(C%d="","",INDEX(%s,C%d))`, r, row("daily_revenue"), r), num(d.Revenue)),
			formula(money, fmt.Sprintf("N(G%d)+N(E%d)", r-1, r), num(d.CumCost)),
			formula(money, fmt.Sprintf("N(H%d)+N(F%d)", r-1, r), num(d.CumRevenue)),
			formula(money, fmt.Sprintf("H%d-G%d", r, r), num(d.Net)),
			formula(count, fmt.Sprintf(`IF(AND(C%d<>"",H%d>0,H%d>=G%d),1,0)`, r, r, r, r), even),
		)
	}
	return w.flush()
}
