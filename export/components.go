package export

import (
	"fmt"
	"strings"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/report"
)

// The plan's components in the workbook. Each has its inputs on the Inputs
// sheet (its price, and for stored or sent data its bytes per call and
// retention, in the plan-default column; whether it applies, 1 or 0, in
// each phase's column) and one live Model row per the driver's formula,
// under its group. Stored data accrues by the same closed forms as the
// plan's own storage, from a "written a day" row of its own.

// compKey names a component's input row on the Inputs sheet.
func compKey(j int, what string) string { return fmt.Sprintf("component_%d_%s", j+1, what) }

// compInputs are the Inputs rows of component j, in order.
func compInputs(c *planner.Component) []string {
	d, _ := planner.LookupDriver(c.Driver)
	out := []string{"price"}
	if d != nil && d.Bytes {
		out = append(out, "bytes_per_call")
	}
	if d != nil && d.Retention {
		out = append(out, "retention_days")
	}
	return append(out, "applies")
}

// layoutComponents places the component inputs from row on.
func (b *builder) layoutComponents(row int) {
	if len(b.p.Components) == 0 {
		return
	}
	row++ // the group heading
	for j := range b.p.Components {
		for _, what := range compInputs(&b.p.Components[j]) {
			b.inRow[compKey(j, what)] = row
			row++
		}
	}
}

// componentInputs writes the Components group of the Inputs sheet.
func (b *builder) componentInputs(w *sheetWriter) {
	if len(b.p.Components) == 0 {
		return
	}
	st, cur := b.st, b.p.Currency
	style := func(f report.Format, r role) int { return st.cell(numFmt(f, cur), r) }
	w.put(b.groupRow("Components", "design elements tied to a cost")...)
	for j := range b.p.Components {
		c := &b.p.Components[j]
		d, _ := planner.LookupDriver(c.Driver)
		for _, what := range compInputs(c) {
			switch what {
			case "price":
				w.put(cell(st.label, c.Name), cell(st.unit, "price "+d.Label), cell(style(report.FormatUnitPrice, input), num(c.Price)))
			case "bytes_per_call":
				w.put(cell(st.label, c.Name), cell(st.unit, "bytes per call"), cell(style(report.FormatCount, input), c.BytesPerCall))
			case "retention_days":
				w.put(cell(st.label, c.Name), cell(st.unit, "days kept"), cell(style(report.FormatCount, input), c.RetentionDays))
			case "applies":
				row := []any{cell(st.label, c.Name), cell(st.unit, "applies? 1 yes, 0 no"), nil}
				for i := range b.p.Phases {
					v := 0
					if c.AppliesTo(b.p.Phases[i].Name) {
						v = 1
					}
					row = append(row, cell(style(report.FormatCount, input), v))
				}
				w.put(row...)
			}
		}
	}
}

// compIn is component j's plan-wide input cell, or its applies cell for
// this phase.
func (c *colCtx) compIn(j int, what string) string {
	if what == "applies" {
		return c.in(compKey(j, what))
	}
	return fmt.Sprintf("%s!$C$%d", c.b.sheet(sheetInputs), c.b.inRow[compKey(j, what)])
}

// componentCell is the Model row of component j: price × quantity × applies.
func componentCell(j int) lineCell {
	return lineCell{
		formula: func(c *colCtx) string {
			comp := &c.b.p.Components[j]
			p, a := c.compIn(j, "price"), c.compIn(j, "applies")
			switch comp.Driver {
			case planner.DriverPerCall:
				return c.sub("{calls}") + "*" + p + "*" + a
			case planner.DriverPer1kCalls:
				return c.sub("{calls}/1000") + "*" + p + "*" + a
			case planner.DriverPerNodeHour:
				return c.sub("{node_hours}") + "*" + p + "*" + a
			case planner.DriverPerMonth:
				return c.sub("{days}*12/365") + "*" + p + "*" + a
			case planner.DriverOneTime:
				if c.i == 0 {
					return p + "*" + a
				}
				// Paid once: in the first phase it applies to.
				row := c.b.inRow[compKey(j, "applies")]
				return fmt.Sprintf("%s*%s*IF(SUM(%s!$%s$%d:%s%d)=0,1,0)", p, a, c.b.sheet(sheetInputs), phaseCol(0), row, phaseCol(c.i-1), row)
			case planner.DriverPerGBEgress:
				return c.sub("{calls}") + "*" + c.compIn(j, "bytes_per_call") + "/1000000000*" + p + "*" + a
			case planner.DriverPerGBStored:
				return storeCostFormula(c, compWritten(j), c.compIn(j, "retention_days"), c.m(compPrice(j)))
			}
			return "0"
		},
		value: func(c *colCtx) any { return num(c.ph.Components[j].Cost) },
	}
}

// The Model rows a stored component's accrual reads.
func compWritten(j int) string { return fmt.Sprintf("component_%d_written", j+1) }
func compPrice(j int) string   { return fmt.Sprintf("component_%d_price_in_effect", j+1) }

// componentExtras is the Model group of the components' own accrual rows:
// their sum (the chart's stack when there are many), the parts of it that
// do not accrue evenly, and, per stored component, bytes written a day and
// the price in effect.
func (b *builder) componentExtras() []extraLine {
	if len(b.p.Components) == 0 {
		return nil
	}
	sumOf := func(keep func(*planner.Component) bool) string {
		var terms []string
		for j := range b.p.Components {
			if keep(&b.p.Components[j]) {
				terms = append(terms, "{"+report.ComponentKey(j)+"}")
			}
		}
		if len(terms) == 0 {
			return "0"
		}
		return strings.Join(terms, "+")
	}
	all := sumOf(func(*planner.Component) bool { return true })
	once := sumOf(func(c *planner.Component) bool { return c.Driver == planner.DriverOneTime })
	stored := sumOf(func(c *planner.Component) bool { return c.Driver == planner.DriverPerGBStored })
	out := []extraLine{
		{"components_cost", "Components", "all of them", report.FormatMoney,
			eq(all, func(c *colCtx) any { return num(c.ph.Cost.Components) })},
		{"components_once", "Components paid once", "on the phase's first day", report.FormatMoney,
			eq(once, func(c *colCtx) any { return num(c.ph.ComponentsOf(planner.DriverOneTime)) })},
		{"components_stored", "Components' stored data", "accrued day by day", report.FormatMoney,
			eq(stored, func(c *colCtx) any { return num(c.ph.ComponentsOf(planner.DriverPerGBStored)) })},
	}
	for j := range b.p.Components {
		comp := &b.p.Components[j]
		if comp.Driver != planner.DriverPerGBStored {
			continue
		}
		out = append(out,
			extraLine{compWritten(j), comp.Name + " written a day", "bytes", report.FormatCount, lineCell{
				formula: func(c *colCtx) string {
					return c.sub("{calls_per_day}") + "*" + c.compIn(j, "bytes_per_call") + "*" + c.compIn(j, "applies")
				},
				value: func(c *colCtx) any {
					if !c.ph.Components[j].Applies {
						return 0
					}
					return c.ph.CallsPerDay * comp.BytesPerCall
				}}},
			extraLine{compPrice(j), comp.Name + " price", "per GB-month where it applies", report.FormatUnitPrice, lineCell{
				formula: func(c *colCtx) string { return c.compIn(j, "price") + "*" + c.compIn(j, "applies") },
				value: func(c *colCtx) any {
					if !c.ph.Components[j].Applies {
						return 0
					}
					return num(comp.Price)
				}}})
	}
	return out
}

// timelineComponents is what the plan's components add to day r of the
// Timeline sheet beyond the daily share: their one-time costs on a phase's
// first day and each stored component's data kept that day.
func (b *builder) timelineComponents(r int, row func(string) string, firstDays string) string {
	if len(b.p.Components) == 0 {
		return ""
	}
	s := fmt.Sprintf("+IF(A%d=INDEX(%s,C%d),INDEX(%s,C%d),0)", r, firstDays, r, row("components_once"), r)
	for j := range b.p.Components {
		comp := &b.p.Components[j]
		if comp.Driver != planner.DriverPerGBStored {
			continue
		}
		cc := &colCtx{b: b}
		day := fmt.Sprintf("A%d", r)
		ret := fmt.Sprintf("%s!$C$%d", b.sheet(sheetInputs), b.inRow[compKey(j, "retention_days")])
		kept := fmt.Sprintf("(%s-%s)", cc.ledgerSumOf(compWritten(j), day, false), cc.ledgerSumOf(compWritten(j), day+"-"+ret, false))
		s += fmt.Sprintf("+%s*INDEX(%s,C%d)*12/365/1000000000", kept, row(compPrice(j)), r)
	}
	return s
}
