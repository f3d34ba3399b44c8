package export

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/report"
)

// hourly writes each phase's typical day, 24 rows a phase: the load, the
// nodes the scaler runs, capacity, overflow and what is served, as formulas.
func (b *builder) hourly() error {
	w, err := b.table(b.sheet(sheetHourly), "", false, 24, 8, 10, 14, 10, 14, 14, 14, 12, 12, 10, 12, 11, 11)
	if err != nil {
		return err
	}
	st, cur := b.st, b.p.Currency
	f := func(fm report.Format) int { return st.cell(numFmt(fm, cur), computed) }
	text, count, dec, rate, share := st.cell("@", computed), f(report.FormatCount), f(report.FormatDecimal), f(report.FormatRate), f(report.FormatShare)

	w.put(cell(st.title, "Hourly: each phase's typical day"))
	w.put(cell(st.note, "Load λ = calls/day ÷ 86,400 × weight × 24 ÷ Σ weights. Nodes: fixed runs the ceiling; predictive "+
		"runs what this hour's load needs, the larger of the utilization count and the p99 count; autoscale what the previous hour's load needed (00:00 follows 23:00). "+
		"Grey italic columns are the latency model's values at export (docs/model.md): change latency inputs in scaleplan and export again."))
	w.put(cell(st.header, "Phase"), cell(st.headerRight, "Hour"), cell(st.headerRight, "Weight"), cell(st.headerRight, "Load (req/s)"),
		cell(st.headerRight, "Nodes"), cell(st.headerRight, "Capacity (req/s)"), cell(st.headerRight, "Overflow (req/s)"),
		cell(st.headerRight, "Served (req/s)"), cell(st.headerRight, "Utilization"), cell(st.headerRight, "Nodes for p99"),
		cell(st.headerRight, "Servers"), cell(st.headerRight, "Queue busy"), cell(st.headerRight, "p50 (ms)"), cell(st.headerRight, "p99 (ms)"))
	asOf := func(fm report.Format) int { return st.cell(numFmt(fm, cur), asOfExport) }
	for i := range b.r.Phases {
		c := colCtx{b: b, i: i, c: phaseCol(i), ph: &b.r.Phases[i], cur: cur}
		m := func(key string) string { return fmt.Sprintf("%s!%s", b.sheet(sheetModel), c.m(key)) }
		name := fmt.Sprintf("%s!%s$%d", b.sheet(sheetModel), c.c, modelHeader)
		nodeRate := m(strings.Trim(c.nodeRPS(), "{}")) // what a node serves flat out
		for h := 0; h < 24; h++ {
			r := w.row + 1
			prev := r - 1
			if h == 0 {
				prev = r + 23
			}
			hr := c.ph.Hour(h)
			load := fmt.Sprintf("%s/86400*C%d*24/SUM(%s)", m("calls_per_day"), r, c.profile())
			nodes := fmt.Sprintf(`IF(%s="fixed",%s,MIN(%s,MAX(%s,CEILING(ROUND(IF(%s="autoscale",D%d,D%d)/(%s*%s),9),1),N(IF(%s="autoscale",J%d,J%d)))))`,
				m("scaling"), m("nodes"), m("nodes"), m("min_nodes"), m("scaling"), prev, r, nodeRate, m("target_utilization"), m("scaling"), prev, r)
			var need, servers, busy, p50, p99 any = none, none, none, none, none
			if c.ph.HourP99Nodes.Valid {
				need = c.ph.HourP99Nodes.Val[h]
			}
			if l := &c.ph.Latency; l.Estimated {
				hl := &l.Hours[h]
				servers, busy = hl.Servers, hl.Utilization
				switch {
				case hl.Saturated:
					p50, p99 = "saturated", "saturated"
				case !hl.Idle:
					p50, p99 = hl.P50Ms, hl.P99Ms
				}
			}
			w.put(
				formula(text, name, c.ph.Name),
				cell(count, h),
				formula(dec, fmt.Sprintf("%s!%s%d", b.sheet(sheetInputs), c.c, b.profRow+h), num(c.ph.Inputs.HourlyProfile[h])),
				formula(rate, load, num(hr.LoadRPS)),
				formula(count, nodes, hr.Nodes),
				formula(rate, fmt.Sprintf("E%d*%s", r, nodeRate), num(hr.CapacityRPS)),
				formula(rate, fmt.Sprintf("MAX(0,D%d-F%d)", r, r), num(hr.OverflowRPS)),
				formula(rate, fmt.Sprintf("MIN(D%d,F%d)", r, r), num(hr.ServedRPS)),
				formula(share, fmt.Sprintf(`IF(F%d>0,D%d/F%d,"%s")`, r, r, r, none), opt(hr.Utilization)),
				cell(asOf(report.FormatCount), need),
				cell(asOf(report.FormatCount), servers),
				cell(asOf(report.FormatShare), busy),
				cell(asOf(report.FormatMillis), p50),
				cell(asOf(report.FormatMillis), p99),
			)
		}
	}
	return w.flush()
}

// timeline writes one row per day: the data kept and what it costs that
// day, cost and revenue accrued that day, the running totals, and whether
// the plan is even yet.
func (b *builder) timeline() error {
	w, err := b.table(b.sheet(sheetTimeline), "", false, 8, 12, 9, 24, 12, 14, 12, 12, 14, 14, 16, 16, 16, 10)
	if err != nil {
		return err
	}
	st, cur := b.st, b.p.Currency
	n := len(b.r.Phases)
	money, count := st.cell(numFmt(report.FormatMoney, cur), computed), st.cell(numFmt(report.FormatCount, cur), computed)
	gb := st.cell(numFmt(report.FormatGB, cur), computed)
	text, date := st.cell("@", computed), st.cell(dateFmt, computed)
	row := func(key string) string {
		return fmt.Sprintf("%s!$%s$%d:$%s$%d", b.sheet(sheetModel), phaseCol(0), b.modelRow[key], phaseCol(n-1), b.modelRow[key])
	}
	firstDays := fmt.Sprintf("%s!$%s$%d:$%s$%d", b.sheet(sheetModel), phaseCol(0), modelFirstDay, phaseCol(n-1), modelFirstDay)
	names := fmt.Sprintf("%s!$%s$%d:$%s$%d", b.sheet(sheetModel), phaseCol(0), modelHeader, phaseCol(n-1), modelHeader)
	planDays := fmt.Sprintf("%s!$C$%d", b.sheet(sheetModel), b.modelRow["days"])
	cumWritten := fmt.Sprintf("$F$%d:$F$%d", b.dayFirst, b.dayLast)

	w.put(cell(st.title, "Timeline: cost and revenue day by day"))
	w.put(cell(st.note, "One row per day of the plan as exported. Data kept on a day is what the last retention-days of calls wrote "+
		"(carried across phases), billed that day; a phase's one-time cost lands on its first day; everything else accrues evenly. "+
		"Break-even is the first day from which cumulative revenue stays at or above cumulative cost. If you lengthen phases, copy the last row down."))
	w.put(cell(st.headerRight, "Day"), cell(st.headerRight, "Date"), cell(st.headerRight, "Phase #"), cell(st.header, "Phase"),
		cell(st.headerRight, "Written (GB)"), cell(st.headerRight, "Written to date (GB)"), cell(st.headerRight, "Kept (GB)"),
		cell(st.headerRight, "Storage cost"), cell(st.headerRight, "Cost"), cell(st.headerRight, "Revenue"), cell(st.headerRight, "Cumulative cost"),
		cell(st.headerRight, "Cumulative revenue"), cell(st.headerRight, "Net"), cell(st.headerRight, "Even yet?"))
	gb9 := func(bytes decimal.Decimal) float64 { return num(bytes.Shift(-9)) }
	for _, d := range b.r.Timeline() {
		r := w.row + 1
		even := 0
		if d.Even {
			even = 1
		}
		ph := &b.r.Phases[d.Phase]
		written, cum, kept := gb9(d.Written), gb9(d.WrittenToDate), gb9(d.Kept)
		w.put(
			cell(count, d.Day),
			formula(date, fmt.Sprintf("%s+A%d-1", b.name(nameStartDate), r), serial(d.Date)),
			formula(count, fmt.Sprintf(`IF(A%d>%s,"",MATCH(A%d,%s,1))`, r, planDays, r, firstDays), d.Phase+1),
			formula(text, fmt.Sprintf(`IF(C%d="","",INDEX(%s,C%d))`, r, names, r), ph.Name),
			formula(gb, fmt.Sprintf(`IF(C%d="",0,INDEX(%s,C%d)/1000000000)`, r, row("written_bytes"), r), written),
			formula(gb, fmt.Sprintf("N(F%d)+E%d", r-1, r), cum),
			formula(gb, fmt.Sprintf(`IF(C%d="","",F%d-IF(A%d-INDEX(%s,C%d)>0,INDEX(%s,A%d-INDEX(%s,C%d)),0))`,
				r, r, r, row("retention_days"), r, cumWritten, r, row("retention_days"), r), kept),
			formula(money, fmt.Sprintf(`IF(C%d="","",G%d*INDEX(%s,C%d)*12/365)`, r, r, row("storage_gb_month"), r), num(d.Storage)),
			formula(money, fmt.Sprintf(`IF(C%d="","",H%d+INDEX(%s,C%d)+IF(A%d=INDEX(%s,C%d),INDEX(%s,C%d),0)%s)`,
				r, r, row("daily_cost"), r, r, firstDays, r, row("one_time"), r, b.timelineComponents(r, row, firstDays)), num(d.Cost)),
			formula(money, fmt.Sprintf(`IF(C%d="","",INDEX(%s,C%d))`, r, row("daily_revenue"), r), num(d.Revenue)),
			formula(money, fmt.Sprintf("N(K%d)+N(I%d)", r-1, r), num(d.CumCost)),
			formula(money, fmt.Sprintf("N(L%d)+N(J%d)", r-1, r), num(d.CumRevenue)),
			formula(money, fmt.Sprintf("L%d-K%d", r, r), num(d.Net)),
			formula(count, fmt.Sprintf(`IF(C%d="","",IF(AND(L%d>0,L%d>=K%d),1,0))`, r, r, r, r), even),
		)
	}
	return w.flush()
}
