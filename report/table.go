package report

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
)

// WriteTable prints r as a plain-text table: the model's lines as rows
// under their group headings, phases as columns, and a Total column.
// Numbers are right-aligned so digits line up.
func WriteTable(w io.Writer, r *planner.Result) error {
	header := []string{"", ""}
	dates := []string{"", ""}
	for _, p := range r.Phases {
		header = append(header, p.Name)
		dates = append(dates, fmt.Sprintf("%s – %s", p.StartDate, p.EndDate))
	}
	header = append(header, "Total")
	dates = append(dates, fmt.Sprintf("%s days", format.Count(r.Days)))

	rows := [][]string{header, dates}
	groupAt := map[int]string{}
	group := ""
	lines := LinesFor(r)
	for i := range lines {
		l := &lines[i]
		if l.Group != group {
			group = l.Group
			groupAt[len(rows)] = group
		}
		row := []string{l.Label, l.Unit}
		for j := range r.Phases {
			row = append(row, l.Phase(r, j))
		}
		rows = append(rows, append(row, l.Total(r)))
	}

	widths := make([]int, len(header))
	for _, row := range rows {
		for c, cell := range row {
			widths[c] = max(widths[c], utf8.RuneCountInString(cell))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s)\n", r.Name, r.Currency)
	for i, row := range rows {
		if g, ok := groupAt[i]; ok {
			fmt.Fprintf(&b, "\n%s\n", strings.ToUpper(g))
		}
		var line strings.Builder
		for c, cell := range row {
			pad := strings.Repeat(" ", widths[c]-utf8.RuneCountInString(cell))
			if c > 0 {
				line.WriteString("  ")
			}
			if c < 2 || i < 2 {
				line.WriteString(cell + pad) // labels and headings read left to right
			} else {
				line.WriteString(pad + cell)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
		if i == 1 {
			b.WriteString(strings.Repeat("─", sum(widths)+2*(len(widths)-1)) + "\n")
		}
	}
	b.WriteString("\n")
	writeSummary(&b, r)
	_, err := io.WriteString(w, strings.TrimRight(b.String(), " \n")+"\n")
	return err
}

func sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}

// writeSummary states the headline figures and every failing check in words.
func writeSummary(b *strings.Builder, r *planner.Result) {
	fmt.Fprintf(b, "Total cost %s over %s days", format.Money(r.Totals.Cost.Total, r.Currency), format.Count(r.Days))
	if r.Totals.CostPerCall.Valid {
		fmt.Fprintf(b, ", %s per call", format.MoneyPlacesN(r.Totals.CostPerCall.Val, r.Currency, format.CostPerCallPlaces))
	}
	b.WriteString(".\n")
	if be := r.BreakEven; be.Day.Valid && be.FirstEven.Valid {
		fmt.Fprintf(b, "Break-even: %s, in %s.\n", BreakEvenDay(be), r.Phases[be.Phase].Name)
	} else if be.Day.Valid {
		fmt.Fprintf(b, "Break-even on day %s (%s), in %s.\n", format.Count(be.Day.Val), be.Date.Val, r.Phases[be.Phase].Name)
	} else {
		b.WriteString("Break-even: not within the plan.\n")
	}
	// A phase whose margin turns negative again above its break-even
	// volume says so: a volume in between is not safe.
	for i := range r.Phases {
		if ph := &r.Phases[i]; len(ph.BreakEvenRegions) > 1 || len(ph.BreakEvenRegions) == 1 && ph.BreakEvenRegions[0].To.Valid {
			fmt.Fprintf(b, "%s %s.\n", ph.Name, BreakEvenWords(ph))
		}
	}
	for _, c := range r.Prices {
		fmt.Fprintf(b, "%s, from a price book: %s.\n", c.Label(), Cite(&c, r.Currency))
	}
	failed := 0
	for i := range r.Phases {
		for _, c := range r.Phases[i].FailedChecks() {
			if failed == 0 {
				b.WriteString("\nChecks that fail:\n")
			}
			failed++
			fmt.Fprintf(b, "  ✗ %s: %s\n", r.Phases[i].Name, CheckDetail(c))
		}
	}
	if failed == 0 {
		b.WriteString("All checks pass.\n")
	}
}
