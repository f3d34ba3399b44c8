package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner/actuals"
)

// The words of a plan held against its actuals (planner/actuals): the
// CLI's table and Markdown, its JSON, and the app's cells share them.

// ActualsValue says a planned or actual figure of a line for people.
func ActualsValue(l *actuals.Line, v actuals.Value, cur string) string {
	if !v.Valid {
		return format.None
	}
	switch {
	case l.Key == "cost_per_call":
		return format.MoneyPlacesN(v.Val, cur, format.CostPerCallPlaces)
	case l.Key == "node_hour_price":
		return format.UnitPrice(v.Val.Round(4), cur)
	case l.Money:
		return format.Money(v.Val, cur)
	case l.Unit == "ms":
		return format.Decimal(v.Val, 1)
	}
	return format.Decimal(v.Val, 0)
}

// ActualsDelta says actual − planned, signed.
func ActualsDelta(l *actuals.Line, cur string) string {
	d := l.Delta()
	if !d.Valid {
		return format.None
	}
	return signed(ActualsValue(l, d, cur), d.Val)
}

// ActualsPct says the change in per cent, signed.
func ActualsPct(l *actuals.Line) string {
	p := l.DeltaPct()
	if !p.Valid {
		return format.None
	}
	return signed(format.Decimal(p.Val, 2), p.Val) + " %"
}

// ActualsRows are a section's lines as cells: label, planned, actual, Δ, Δ %.
func ActualsRows(lines []actuals.Line, cur string) [][]string {
	out := make([][]string, len(lines))
	for i := range lines {
		l := &lines[i]
		out[i] = []string{l.Label, ActualsValue(l, l.Planned, cur), ActualsValue(l, l.Actual, cur), ActualsDelta(l, cur), ActualsPct(l)}
	}
	return out
}

// ActualsHeadline says what the comparison covers and its total.
func ActualsHeadline(r *actuals.Report) string {
	total := actualsLine(r.Totals, "total_cost")
	return fmt.Sprintf("%s held against its actuals, %s to %s (%s): %s spent against %s planned (%s, %s).",
		r.Plan, actualsTime(r.From), actualsTime(r.To.Add(-time.Nanosecond)), costKindWords(r.CostKind),
		ActualsValue(&total, total.Actual, r.Currency), ActualsValue(&total, total.Planned, r.Currency), ActualsDelta(&total, r.Currency), ActualsPct(&total))
}

// actualsTime says an instant as a day, with its time when not midnight.
func actualsTime(t time.Time) string {
	if t.Hour() == 0 && t.Minute() == 0 || t.Hour() == 23 && t.Minute() == 59 {
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02 15:04")
}

func costKindWords(k string) string {
	if k == "BilledCost" {
		return "BilledCost, as invoiced"
	}
	return "EffectiveCost, commitments amortised"
}

func actualsLine(ls []actuals.Line, key string) actuals.Line {
	for _, l := range ls {
		if l.Key == key {
			return l
		}
	}
	return actuals.Line{}
}

// ActualsNotes are the sentences under the tables: projections, the
// break-even day, the spend the comparison leaves out, and why a figure
// is missing.
func ActualsNotes(r *actuals.Report) []string {
	var out []string
	for _, ph := range r.Phases {
		if ph.Projected.Valid {
			out = append(out, fmt.Sprintf("%s is %s of %d days in; at the last %d days' run-rate of %s a day it ends at %s, against %s planned.",
				ph.Name, format.Trim(ph.Elapsed()), ph.Days, actuals.RunRateDays, format.Money(ph.RunRate, r.Currency), format.Money(ph.Projected.Val, r.Currency), format.Money(ph.PlannedTotal, r.Currency)))
		}
	}
	out = append(out, "Break-even: "+breakEvenActualWords(r))
	if len(r.Unmapped) > 0 {
		var parts []string
		total := decimal.Zero
		for _, s := range r.Unmapped {
			parts = append(parts, fmt.Sprintf("%s %s (%s)", s.Name, format.Money(s.Cost, r.Currency), format.Plural(int64(s.Rows), "row", "rows")))
			total = total.Add(s.Cost)
		}
		out = append(out, fmt.Sprintf("Unmapped spend, %s, is in the total but in no line: %s. Map it with actuals_mapping (docs/actuals.md).", format.Money(total, r.Currency), strings.Join(parts, "; ")))
	}
	if len(r.Apart) > 0 {
		var parts []string
		for _, s := range r.Apart {
			parts = append(parts, fmt.Sprintf("%s %s", s.Name, format.Money(s.Cost, r.Currency)))
		}
		out = append(out, "Kept apart, as FOCUS keeps them (not in the comparison): "+strings.Join(parts, "; ")+".")
	}
	if r.Outside.Rows > 0 {
		out = append(out, fmt.Sprintf("Outside the plan's days, not compared: %s over %s.", format.Money(r.Outside.Cost, r.Currency), format.Plural(int64(r.Outside.Rows), "row", "rows")))
	}
	var files []string
	for _, f := range r.Files {
		files = append(files, fmt.Sprintf("%s %s (SHA-256 %s…, %s to %s)", f.Kind, f.Name, f.SHA256[:12], f.First, f.Last))
	}
	return append(out, "Read: "+strings.Join(files, "; ")+".")
}

func breakEvenActualWords(r *actuals.Report) string {
	planned, now := "never within the plan", "never within the plan"
	if r.BreakEvenPlanned.Valid {
		planned = r.BreakEvenPlanned.Val.String()
	}
	if r.BreakEvenProjected.Valid {
		now = r.BreakEvenProjected.Val.String()
	}
	return fmt.Sprintf("planned %s; projected now %s (actuals to %s, then the run-rate to the phase's end and the plan after it).", planned, now, r.Today)
}

// WriteActualsTable writes the comparison as aligned text.
func WriteActualsTable(w io.Writer, r *actuals.Report) error {
	var b bytes.Buffer
	fmt.Fprintln(&b, ActualsHeadline(r))
	type section struct {
		title string
		rows  [][]string
	}
	secs := []section{{"Totals over the covered days", ActualsRows(r.Totals, r.Currency)}}
	for _, ph := range r.Phases {
		secs = append(secs, section{fmt.Sprintf("%s: %s of %d days", ph.Name, format.Trim(ph.Elapsed()), ph.Days), ActualsRows(ph.Lines, r.Currency)})
	}
	width := []int{0, len("planned"), len("actual"), 1, 3}
	for _, s := range secs {
		for _, row := range s.rows {
			for i, c := range row {
				width[i] = max(width[i], utf8.RuneCountInString(c))
			}
		}
	}
	pad := func(s string, w int, left bool) string {
		n := w - utf8.RuneCountInString(s)
		if n <= 0 {
			return s
		}
		if left {
			return s + strings.Repeat(" ", n)
		}
		return strings.Repeat(" ", n) + s
	}
	for _, s := range secs {
		fmt.Fprintf(&b, "\n%s  %s  %s  %s  %s\n", pad(s.title, width[0], true), pad("planned", width[1], false), pad("actual", width[2], false), pad("Δ", width[3], false), pad("Δ %", width[4], false))
		for _, row := range s.rows {
			fmt.Fprintf(&b, "  %s  %s  %s  %s  %s\n", pad(row[0], width[0]-2, true), pad(row[1], width[1], false), pad(row[2], width[2], false), pad(row[3], width[3], false), pad(row[4], width[4], false))
		}
	}
	b.WriteString("\n")
	for _, n := range ActualsNotes(r) {
		fmt.Fprintln(&b, n)
	}
	_, err := w.Write(b.Bytes())
	return err
}

// WriteActualsMarkdown writes the comparison as GitHub Markdown.
func WriteActualsMarkdown(w io.Writer, r *actuals.Report) error {
	var b strings.Builder
	esc := func(s string) string { return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s) }
	fmt.Fprintf(&b, "### scaleplan actuals: %s\n\n%s\n\n", esc(r.Plan), esc(ActualsHeadline(r)))
	b.WriteString("| Line | Planned | Actual | Δ | Δ % |\n|---|---:|---:|---:|---:|\n")
	section := func(title string, lines []actuals.Line) {
		fmt.Fprintf(&b, "| **%s** | | | | |\n", esc(title))
		for _, row := range ActualsRows(lines, r.Currency) {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", esc(row[0]), row[1], row[2], row[3], row[4])
		}
	}
	section("Totals over the covered days", r.Totals)
	for _, ph := range r.Phases {
		section(fmt.Sprintf("%s (%s of %d days)", ph.Name, format.Trim(ph.Elapsed()), ph.Days), ph.Lines)
	}
	b.WriteString("\n")
	for _, n := range ActualsNotes(r) {
		fmt.Fprintf(&b, "- %s\n", esc(n))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type jsonActualsLine struct {
	Key      string  `json:"key"`
	Label    string  `json:"label"`
	Planned  *string `json:"planned"`
	Actual   *string `json:"actual"`
	Delta    *string `json:"delta"`
	DeltaPct *string `json:"delta_pct"`
}

func jsonLines(ls []actuals.Line) []jsonActualsLine {
	out := make([]jsonActualsLine, len(ls))
	for i, l := range ls {
		out[i] = jsonActualsLine{Key: l.Key, Label: l.Label, Planned: optDec(l.Planned), Actual: optDec(l.Actual), Delta: optDec(l.Delta()), DeltaPct: optDec(l.DeltaPct())}
	}
	return out
}

type jsonSpend struct {
	Name string `json:"name"`
	Cost string `json:"cost"`
	Rows int    `json:"rows"`
}

func jsonSpends(ss []actuals.Spend) []jsonSpend {
	out := []jsonSpend{}
	for _, s := range ss {
		out = append(out, jsonSpend{s.Name, s.Cost.String(), s.Rows})
	}
	return out
}

// ActualsJSON is the comparison as JSON (docs/actuals.md): decimal strings,
// null where a figure does not exist.
func ActualsJSON(r *actuals.Report) []byte {
	type phase struct {
		Name         string            `json:"name"`
		Index        int               `json:"index"`
		DaysCovered  string            `json:"days_covered"`
		Days         int64             `json:"days"`
		From         string            `json:"from"`
		To           string            `json:"to"`
		Lines        []jsonActualsLine `json:"lines"`
		PlannedTotal string            `json:"planned_phase_total"`
		RunRate      *string           `json:"run_rate_per_day"`
		Projected    *string           `json:"projected_phase_total"`
	}
	type file struct {
		Name   string `json:"name"`
		Kind   string `json:"kind"`
		SHA256 string `json:"sha256"`
		First  string `json:"first_day"`
		Last   string `json:"last_day"`
	}
	out := struct {
		Plan      string            `json:"plan"`
		Currency  string            `json:"currency"`
		CostKind  string            `json:"cost_column"`
		From      string            `json:"from"`
		To        string            `json:"to"`
		Totals    []jsonActualsLine `json:"totals"`
		Phases    []phase           `json:"phases"`
		BreakEven struct {
			Planned   *string `json:"planned"`
			Projected *string `json:"projected"`
		} `json:"break_even"`
		Unmapped      []jsonSpend `json:"unmapped"`
		UnmappedTotal string      `json:"unmapped_total"`
		Apart         []jsonSpend `json:"kept_apart"`
		Outside       jsonSpend   `json:"outside_plan"`
		Files         []file      `json:"files"`
	}{Plan: r.Plan, Currency: r.Currency, CostKind: r.CostKind, From: r.From.Format("2006-01-02T15:04:05Z"), To: r.To.Format("2006-01-02T15:04:05Z"),
		Totals: jsonLines(r.Totals), Phases: []phase{}, Unmapped: jsonSpends(r.Unmapped), Apart: jsonSpends(r.Apart),
		Outside: jsonSpend{"outside the plan's days", r.Outside.Cost.String(), r.Outside.Rows}, Files: []file{}}
	un := decimal.Zero
	for _, s := range r.Unmapped {
		un = un.Add(s.Cost)
	}
	out.UnmappedTotal = un.String()
	for _, ph := range r.Phases {
		jp := phase{Name: ph.Name, Index: ph.Index, DaysCovered: ph.Elapsed().String(), Days: ph.Days, From: ph.From.Format("2006-01-02T15:04:05Z"), To: ph.To.Format("2006-01-02T15:04:05Z"),
			Lines: jsonLines(ph.Lines), PlannedTotal: ph.PlannedTotal.String(), Projected: optDec(ph.Projected)}
		if ph.Projected.Valid {
			s := ph.RunRate.String()
			jp.RunRate = &s
		}
		out.Phases = append(out.Phases, jp)
	}
	if r.BreakEvenPlanned.Valid {
		s := r.BreakEvenPlanned.Val.String()
		out.BreakEven.Planned = &s
	}
	if r.BreakEvenProjected.Valid {
		s := r.BreakEvenProjected.Val.String()
		out.BreakEven.Projected = &s
	}
	for _, f := range r.Files {
		out.Files = append(out.Files, file{f.Name, f.Kind, f.SHA256, f.First.String(), f.Last.String()})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(out) // strings only: cannot fail
	return buf.Bytes()
}

func optDec(v actuals.Value) *string {
	if !v.Valid {
		return nil
	}
	s := v.Val.String()
	return &s
}
