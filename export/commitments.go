package export

import (
	"fmt"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/commit"
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

// The held commitments' table sits beside the curve, from column H of row
// 3: name, start hour, end hour, nodes, rate, upfront, term months,
// effective rate, then each phase's hours of the term, then the stranded
// hours after the plan. Nodes, rate and upfront are inputs.
const (
	heldRow0    = 3 // its heading
	heldCol0    = 8 // H
	heldNodes   = "K"
	heldRate    = "O" // effective
	heldPhase0  = 16  // P: the first phase's hours
	heldColumns = 8   // H … O
)

// heldFormula is a phase's committed (or, for the last phase, stranded)
// cost over the held commitments: Σ nodes × effective rate × hours.
func (b *builder) heldFormula(c *colCtx, stranded bool) string {
	n := len(b.r.HeldTerms())
	if b.tag != "" || n == 0 { // a scenario's model: the plan's commitments as billed for it
		k := planner.CostCommitted
		if stranded {
			k = planner.CostStranded
		}
		return c.ph.Cost.Of(k).String()
	}
	col := colName(heldPhase0 + c.i)
	if stranded {
		if c.i != len(b.r.Phases)-1 {
			return "0"
		}
		col = colName(heldPhase0 + len(b.r.Phases))
	}
	last := heldRow0 + n
	return fmt.Sprintf("SUMPRODUCT(%s!$%s$%d:$%s$%d,%s!$%s$%d:$%s$%d,%s!$%s$%d:$%s$%d)",
		sheetCommit, heldNodes, heldRow0+1, heldNodes, last, sheetCommit, heldRate, heldRow0+1, heldRate, last, sheetCommit, col, heldRow0+1, col, last)
}

func (b *builder) commitmentsSheet() error {
	opts := commit.Options{TermMonths: commitTermMonths, AfterPlan: commit.AfterPlanStranded}
	ld, err := commit.LoadDurationOf(b.r.CommitPhases(), opts)
	if err != nil {
		return nil // a plan without phases has no curve
	}
	w, err := b.table(sheetCommit, "548235", true, 34, 16, 16, 18, 4, 4, 22, 12, 12, 10, 12, 12, 10, 14)
	if err != nil {
		return err
	}
	st, cur := b.st, b.p.Currency
	f := func(fm report.Format) int { return st.cell(numFmt(fm, cur), computed) }
	in := func(fm report.Format) int { return st.cell(numFmt(fm, cur), input) }
	// Rows are gathered first, columns A–F, and the held commitments'
	// table joined to them from column H.
	rows := map[int][]any{}
	tall := map[int]float64{}
	put := func(row int, cells ...any) { rows[row] = cells }
	put(1, cell(st.title, fmt.Sprintf("Commitments: the plan's hourly fleet over a %d-month term from its first day", commitTermMonths)))
	put(2, cell(st.noteWrap, "Hours wanting at least k nodes are as computed at export (after the plan's last day the term's hours want none: committed nodes are stranded). "+
		"The committed rate is an input: change it, or the node price on the Inputs sheet, and the cost of each level, the best one and the saving follow. "+
		"scaleplan commit PLAN --rate R --after-plan stranded works the same. The commitments the plan holds are in the table from column H; their nodes and rates are inputs the Model sheet bills."))
	tall[2] = 48
	// Rows: 3 heading; 4 rate; 5 on-demand price; 6 term hours; 8 best k;
	// 9 its cost; 10 all on demand; 11 saving; 13 the curve's heading; its
	// rows from 14.
	const first = 14
	last := first + len(ld.AtLeast) - 1
	put(3, cell(st.header, "Input"), cell(st.headerRight, "Value"))
	rate, why := b.commitRate(ld)
	put(4, cell(st.label, "Committed rate per node-hour"), cell(in(report.FormatUnitPrice), num(rate)), cell(st.note, why))
	if !ld.Price.Valid {
		put(5, cell(st.label, "On-demand price per node-hour"), cell(st.note, "phases differ: see scaleplan commit"))
	} else {
		put(5, cell(st.label, "On-demand price per node-hour"), formula(f(report.FormatUnitPrice), b.name("Default_node_hourly"), num(ld.Price.Decimal)),
			cell(st.note, "the plan's node price (Inputs)"))
	}
	put(6, cell(st.label, "Hours in the term"), cell(f(report.FormatCount), ld.TermHours), cell(st.note, fmt.Sprintf("%d months × 730", commitTermMonths)))
	costs := fmt.Sprintf("$D$%d:$D$%d", first, last)
	ks := fmt.Sprintf("$A$%d:$A$%d", first, last)
	if ld.Price.Valid {
		// The least cost off the curve, ties to the smaller k, as the
		// sheet's INDEX/MATCH reads it (OptimalCommitment's rule finds the
		// same k: TestCommitmentsSheetFollowsTheRate holds them together).
		bestK, bestCost := ld.Best(rate)
		allOnDemand := ld.CostAt(0, rate)
		put(8, cell(st.label, "Best level: nodes to commit"), formula(st.cellBold(numFmt(report.FormatCount, cur), computed, true),
			fmt.Sprintf("INDEX(%s,MATCH(MIN(%s),%s,0))", ks, costs, costs), bestK))
		put(9, cell(st.label, "Cost over the term at that level"), formula(f(report.FormatMoney), fmt.Sprintf("MIN(%s)", costs), num(bestCost)))
		put(10, cell(st.label, "All on demand"), formula(f(report.FormatMoney), fmt.Sprintf("$D$%d", first), num(allOnDemand)))
		put(11, cell(st.label, "Saving"), formula(st.cellBold(numFmt(report.FormatMoney, cur), computed, true), fmt.Sprintf("$D$%d-MIN(%s)", first, costs), num(allOnDemand.Sub(bestCost))))
	}
	put(13, cell(st.header, "Nodes committed (k)"), cell(st.headerRight, "Hours wanting ≥ k"), cell(st.headerRight, "Share of the term"), cell(st.headerRight, "Cost of committing k"))
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
			cost := ld.CostAt(int64(k), rate) // cost(k) off the curve (planner checks it against the hourly walk)
			cells = append(cells, formula(f(report.FormatMoney), fmt.Sprintf("$A%d*$B$4*$B$6+$B$5*%s", row, rest), num(cost)))
		}
		put(row, cells...)
	}
	// The held commitments, from column H.
	held := b.r.HeldTerms()
	if len(held) > 0 {
		head := []any{cell(st.header, "Commitment held"), cell(st.headerRight, "From hour"), cell(st.headerRight, "To hour"), cell(st.headerRight, "Nodes"),
			cell(st.headerRight, "Rate"), cell(st.headerRight, "Upfront"), cell(st.headerRight, "Months"), cell(st.headerRight, "Effective")}
		for _, ph := range b.r.Phases {
			head = append(head, cell(st.headerRight, "Hours in "+ph.Name))
		}
		head = append(head, cell(st.headerRight, "Hours after the plan"))
		rows[heldRow0] = joinAt(rows[heldRow0], heldCol0, head)
		for i, t := range held {
			row := heldRow0 + 1 + i
			c := &b.p.Commitments[i]
			cells := []any{cell(st.name, t.Name), cell(f(report.FormatCount), t.FromHour), cell(f(report.FormatCount), t.ToHour),
				cell(in(report.FormatCount), t.Nodes), cell(in(report.FormatUnitPrice), num(c.Rate)), cell(in(report.FormatMoney), num(c.Upfront)),
				cell(f(report.FormatCount), t.TermMonths),
				formula(f(report.FormatUnitPrice), fmt.Sprintf("L%d+M%d/(N%d*730)", row, row, row), num(t.Rate))}
			for j := range b.r.Phases {
				cells = append(cells, cell(f(report.FormatCount), t.HoursIn(b.r, j)))
			}
			cells = append(cells, cell(f(report.FormatCount), t.HoursAfter(b.r)))
			rows[row] = joinAt(rows[row], heldCol0, cells)
		}
	}
	top := last
	for r := range rows {
		top = max(top, r)
	}
	for r := 1; r <= top; r++ {
		if h, ok := tall[r]; ok {
			w.putTall(h, rows[r]...)
		} else if cells, ok := rows[r]; ok {
			w.put(cells...)
		} else {
			w.skip(1)
		}
	}
	if err := w.sw.MergeCell("A2", "F2"); err != nil {
		return err
	}
	if err := b.columnChart(sheetCommit, fmt.Sprintf("A%d", top+2), "Load-duration curve: share of the term's hours wanting at least k nodes", "548235",
		"C", first-1, first+1, last,
		excelize.ChartAxis{Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "nodes (k)"}}}},
		excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}}, 560, 300); err != nil {
		return err
	}
	return w.flush()
}

// joinAt places cells from column col (1-based) after a row's own,
// padding between.
func joinAt(row []any, col int, cells []any) []any {
	for len(row) < col-1 {
		row = append(row, nil)
	}
	return append(row, cells...)
}

// commitRate is the committed rate the sheet starts from, and why: the
// first committed-use option of the node the plan cites from a price book,
// else 60 % of on demand as a placeholder to change.
func (b *builder) commitRate(ld commit.LoadDuration) (decimal.Decimal, string) {
	if o, _, err := b.cat.CitedOffer(b.p); err == nil && len(o.Commitments) > 0 {
		c := &o.Commitments[0]
		return c.Effective(), fmt.Sprintf("price book: %s, %s, as of %s", o.Instance, c.Name, c.AsOf)
	}
	price := decimal.Zero
	if ld.Price.Valid {
		price = ld.Price.Decimal
	}
	rate := commit.PlaceholderRate(price)
	return rate, fmt.Sprintf("placeholder: %s of %s; type your quote", format.Percent(commit.PlaceholderShare, 0), format.UnitPrice(price, b.p.Currency))
}
