package export

import (
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/report"
)

// The Commitments sheet: the load-duration curve of the plan's hourly
// fleet over a 12-month term from its first day, stranded after the plan
// (as exported: how many of the term's hours want at least k nodes), and,
// live over it, what committing to k nodes costs at a committed rate (an
// input), the best k and what it saves — docs/commitments.md's rule
// cost(k) = k·r_c·T + o·Σ_{j>k} hours(≥ j). A plan whose phases run nodes
// at different prices gets the curve and a note: one on-demand price is
// what the formula takes.

const sheetCommit = "Commitments"

// commitTermMonths is the term the sheet is worked for.
const commitTermMonths = 12

func (b *builder) commitmentsSheet() error {
	opts := planner.CommitOptions{TermMonths: commitTermMonths, AfterPlan: planner.AfterPlanStranded}
	ld, err := planner.LoadDurationOf(b.r, opts)
	if err != nil {
		return nil // a plan without phases has no curve
	}
	w, err := b.table(sheetCommit, "548235", true, 34, 16, 16, 18, 30)
	if err != nil {
		return err
	}
	st, cur := b.st, b.p.Currency
	f := func(fm report.Format) int { return st.cell(numFmt(fm, cur), computed) }
	in := func(fm report.Format) int { return st.cell(numFmt(fm, cur), input) }
	w.put(cell(st.title, fmt.Sprintf("Commitments: the plan's hourly fleet over a %d-month term from its first day", commitTermMonths)))
	w.putTall(48, cell(st.noteWrap, "Hours wanting at least k nodes are as computed at export (after the plan's last day the term's hours want none: committed nodes are stranded). "+
		"The committed rate is an input: change it, or the node price on the Inputs sheet, and the cost of each level, the best one and the saving follow. "+
		"scaleplan commit PLAN --rate R --after-plan stranded works the same."))
	if err := w.sw.MergeCell("A2", "E2"); err != nil {
		return err
	}
	// Rows: 3 heading; 4 rate; 5 on-demand price; 6 term hours; 7 blank;
	// 8 best k; 9 its cost; 10 all on demand; 11 saving; 12 blank; 13 the
	// curve's heading; its rows from 14.
	const first = 14
	last := first + len(ld.AtLeast) - 1
	w.put(cell(st.header, "Input"), cell(st.headerRight, "Value"))
	rate, why := b.commitRate(ld)
	w.put(cell(st.label, "Committed rate per node-hour"), cell(in(report.FormatUnitPrice), num(rate)), cell(st.note, why))
	if !ld.Price.Valid {
		w.put(cell(st.label, "On-demand price per node-hour"), cell(st.note, "phases differ: see scaleplan commit"))
	} else {
		w.put(cell(st.label, "On-demand price per node-hour"), formula(f(report.FormatUnitPrice), b.name("Default_node_hourly"), num(ld.Price.Val)),
			cell(st.note, "the plan's node price (Inputs)"))
	}
	w.put(cell(st.label, "Hours in the term"), cell(f(report.FormatCount), ld.TermHours), cell(st.note, fmt.Sprintf("%d months × 730", commitTermMonths)))
	w.skip(1)
	costs := fmt.Sprintf("$D$%d:$D$%d", first, last)
	ks := fmt.Sprintf("$A$%d:$A$%d", first, last)
	var best planner.Commitment
	if ld.Price.Valid {
		opts.Rate = rate
		best, _ = planner.OptimalCommitment(b.r, opts)
		allOnDemand := planner.CommitmentCost(b.r, opts, 0)
		w.put(cell(st.label, "Best level: nodes to commit"), formula(st.cellBold(numFmt(report.FormatCount, cur), computed, true),
			fmt.Sprintf("INDEX(%s,MATCH(MIN(%s),%s,0))", ks, costs, costs), best.K))
		w.put(cell(st.label, "Cost over the term at that level"), formula(f(report.FormatMoney), fmt.Sprintf("MIN(%s)", costs), num(best.Cost)))
		w.put(cell(st.label, "All on demand"), formula(f(report.FormatMoney), fmt.Sprintf("$D$%d", first), num(allOnDemand)))
		w.put(cell(st.label, "Saving"), formula(st.cellBold(numFmt(report.FormatMoney, cur), computed, true), fmt.Sprintf("$D$%d-MIN(%s)", first, costs), num(allOnDemand.Sub(best.Cost))))
	} else {
		w.skip(4)
	}
	w.skip(1)
	if w.row+1 != first-1 {
		return fmt.Errorf("export: the Commitments sheet's curve landed on row %d, not %d", w.row+1, first-1)
	}
	w.put(cell(st.header, "Nodes committed (k)"), cell(st.headerRight, "Hours wanting ≥ k"), cell(st.headerRight, "Share of the term"), cell(st.headerRight, "Cost of committing k"))
	for k, hours := range ld.AtLeast {
		row := first + k
		share := decimal.NewFromInt(hours).DivRound(decimal.NewFromInt(ld.TermHours), 10)
		cells := []any{cell(f(report.FormatCount), k), cell(f(report.FormatCount), hours),
			formula(f(report.FormatShare), fmt.Sprintf("$B%d/$B$6", row), num(share))}
		if ld.Price.Valid {
			// k·r_c·T + o·Σ_{j>k} hours(≥ j)
			rest := "0"
			if row < last {
				rest = fmt.Sprintf("SUM($B$%d:$B$%d)", row+1, last)
			}
			cost := planner.CommitmentCost(b.r, opts, int64(k))
			cells = append(cells, formula(f(report.FormatMoney), fmt.Sprintf("$A%d*$B$4*$B$6+$B$5*%s", row, rest), num(cost)))
		}
		w.put(cells...)
	}
	gap := uint(20)
	axisFont := excelize.Font{Color: "404040", Size: 9}
	if err := b.f.AddChart(sheetCommit, "F3", &excelize.Chart{
		Type: excelize.Col,
		Series: []excelize.ChartSeries{{
			Name:       fmt.Sprintf("%s!$C$%d", sheetCommit, first-1),
			Categories: fmt.Sprintf("%s!$A$%d:$A$%d", sheetCommit, first+1, last),
			Values:     fmt.Sprintf("%s!$C$%d:$C$%d", sheetCommit, first+1, last),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"548235"}},
		}},
		Title:     excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "Load-duration curve: share of the term's hours wanting at least k nodes"}}},
		Legend:    excelize.ChartLegend{Position: "none"},
		Dimension: excelize.ChartDimension{Width: 560, Height: 300},
		XAxis:     excelize.ChartAxis{Font: axisFont, Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "nodes (k)"}}}},
		YAxis:     excelize.ChartAxis{MajorGridLines: true, Font: axisFont, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}},
		GapWidth:  &gap,
		Format:    excelize.GraphicOptions{OffsetX: 6, OffsetY: 6},
	}); err != nil {
		return err
	}
	return w.flush()
}

// commitRate is the committed rate the sheet starts from, and why: the
// first committed-use option of the node the plan cites from a price book,
// else 60 % of on demand as a placeholder to change.
func (b *builder) commitRate(ld planner.LoadDuration) (decimal.Decimal, string) {
	if o, _, err := b.p.CitedOffer(planner.Books()); err == nil && len(o.Commitments) > 0 {
		c := &o.Commitments[0]
		return c.Effective(), fmt.Sprintf("price book: %s, %s, as of %s", o.Instance, c.Name, c.AsOf)
	}
	price := decimal.Zero
	if ld.Price.Valid {
		price = ld.Price.Val
	}
	rate := price.Mul(decimal.RequireFromString("0.6")).Round(4)
	return rate, fmt.Sprintf("placeholder: 60 %% of %s; type your quote", format.UnitPrice(price, b.p.Currency))
}
