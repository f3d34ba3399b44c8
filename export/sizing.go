package export

import (
	"fmt"

	"github.com/scaleplan/scaleplan/report"
)

// sizingRows is how many node counts the P99 sizing sheet tries per phase,
// from the smallest stable pool up. The engine searches without limit; a
// phase whose p99 needs more than this many nodes above that start shows
// "over N" in the workbook.
const sizingRows = 64

func (b *builder) hasLatency() bool {
	for i := range b.r.Phases {
		if b.r.Phases[i].Latency.Estimated {
			return true
		}
	}
	return false
}

// sizingRange is phase i's candidate rows of a P99 sizing column.
func (b *builder) sizingRange(i int, col string) string {
	first := b.hourFirst + sizingRows*i
	return fmt.Sprintf("'%s'!$%s$%d:$%s$%d", sheetSizing, col, first, col, first+sizingRows-1)
}

// p99SizingFormula finds the fewest nodes meeting the p99 target among the
// candidates: p99 falls as nodes are added, so the candidates over the
// target are exactly the first ones, and counting them finds the answer.
func (b *builder) p99SizingFormula(c *colCtx) string {
	if !b.sizing {
		return `"` + none + `"`
	}
	over := fmt.Sprintf(`COUNTIF(%s,">"&%s)`, b.sizingRange(c.i, "D"), nameP99)
	first := fmt.Sprintf("'%s'!$B$%d", sheetSizing, b.hourFirst+sizingRows*c.i)
	last := fmt.Sprintf("'%s'!$B$%d", sheetSizing, b.hourFirst+sizingRows*(c.i+1)-1)
	return c.sub(fmt.Sprintf(`IF(AND({service_ms}>0,ISNUMBER(%s),{calls}>0),IF(`+fixedAndService+`>%s,"%s",IF(%s<%d,%s+%s,"over "&%s)),"%s")`,
		nameP99, nameP99, none, over, sizingRows, first, over, last, none))
}

// p99Sizing writes, per phase, the node counts p99 sizing considers and the
// p99 each gives at the busiest hour.
func (b *builder) p99Sizing() error {
	if !b.sizing {
		return nil
	}
	w, err := b.table(sheetSizing, "", false, 24, 10, 16, 14)
	if err != nil {
		return err
	}
	st, cur := b.st, b.p.Currency
	f := func(fm report.Format) int { return st.cell(numFmt(fm, cur), computed) }
	w.put(cell(st.title, "P99 sizing: node counts tried at each phase's busiest hour"))
	w.put(cell(st.note, fmt.Sprintf("From the smallest stable pool, floor(peak ÷ node throughput) + 1, upwards. Required nodes for p99 is the first count whose p99 meets the target (%d tried per phase).", sizingRows)))
	w.put(cell(st.header, "Phase"), cell(st.headerRight, "Nodes"), cell(st.headerRight, "Calls that queue"), cell(st.headerRight, "p99 (ms)"))
	for i := range b.r.Phases {
		c := colCtx{b: b, i: i, c: phaseCol(i), ph: &b.r.Phases[i], cur: cur}
		m := func(key string) string { return fmt.Sprintf("%s!%s", sheetModel, c.m(key)) }
		a := fmt.Sprintf("%s/%s", m("peak_rps"), m("node_rps"))
		start := c.ph.P99SearchStart()
		for k := 0; k < sizingRows; k++ {
			r := w.row + 1
			n := start + int64(k)
			l := c.ph.LatencyWith(n)
			var wait, p99 any = none, none
			if l.Estimated {
				wait, p99 = l.WaitProb, l.P99Ms
			}
			w.put(
				formula(st.name, fmt.Sprintf("%s!%s$%d", sheetModel, c.c, modelHeader), c.ph.Name),
				formula(f(report.FormatCount), fmt.Sprintf("FLOOR(%s,1)+%d", a, k+1), n),
				// No calls: nobody queues (and POISSON of mean 0 is an error in LibreOffice).
				formula(f(report.FormatShare), fmt.Sprintf(`IF(%s>0,IF(%s=0,0,POISSON(B%d,%s,FALSE)/(POISSON(B%d,%s,FALSE)+(1-%s/B%d)*POISSON(B%d-1,%s,TRUE))),"%s")`,
					m("service_ms"), m("peak_rps"), r, a, r, a, a, r, r, a, none), wait),
				formula(f(report.FormatMillis), fmt.Sprintf(`IF(%s>0,%s+%s+%s+%s+1000*(1+%s^2)/2*IF(C%d<=0.01,0,LN(C%d/0.01)/(B%d*%s-%s)),"%s")`,
					m("service_ms"), m("network_ms"), m("preprocess_ms"), m("postprocess_ms"), m("service_ms"), m("service_cv"),
					r, r, r, m("node_rps"), m("peak_rps"), none), p99),
			)
		}
	}
	return w.flush()
}
