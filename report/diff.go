package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/compare"
)

// Renderings of a compare.Diff: a table for the terminal, JSON with every
// line, and Markdown for a pull-request comment. The table and Markdown
// show the lines that changed; JSON has them all.

// DiffValue writes one of a line's values as the table does.
func DiffValue(l *compare.Line, v planner.Opt[decimal.Decimal], cur string) string {
	return diffValue(l, v, cur)
}

// DiffDelta writes a line's change with its sign.
func DiffDelta(l *compare.Line, cur string) string { return diffDelta(l, cur) }

// DiffPct writes a line's relative change with its sign.
func DiffPct(l *compare.Line) string { return diffPct(l) }

func diffValue(l *compare.Line, v planner.Opt[decimal.Decimal], cur string) string {
	if !v.Valid {
		return format.None
	}
	switch {
	case l.Key == "cost_per_call":
		return format.MoneyPlacesN(v.Val, cur, format.CostPerCallPlaces)
	case l.Money:
		return format.Money(v.Val, cur)
	case l.Key == "avg_utilization":
		return format.Percent(v.Val, 1)
	case l.Key == "peak_rps":
		return format.Decimal(v.Val, format.RPSPlaces)
	case l.Key == "p99_ms" || l.Key == "p99_day_ms" || l.Key == "stored_gb":
		return format.Decimal(v.Val, 1)
	}
	return format.Decimal(v.Val, 0)
}

// signed puts an explicit + on a positive change.
func signed(s string, d decimal.Decimal) string {
	if d.Sign() > 0 {
		return "+" + s
	}
	return s
}

func diffDelta(l *compare.Line, cur string) string {
	d := l.Delta()
	if !d.Valid {
		return format.None
	}
	if l.Key == "avg_utilization" { // a change of a share is in points
		return signed(format.Decimal(d.Val.Mul(decimal.NewFromInt(100)), 1), d.Val) + " pt"
	}
	return signed(diffValue(l, d, cur), d.Val)
}

func diffPct(l *compare.Line) string {
	p := l.DeltaPct()
	if !p.Valid {
		return format.None
	}
	return signed(format.Decimal(p.Val, 2), p.Val) + " %"
}

// diffRows are a section's changed lines as table cells.
func diffRows(lines []compare.Line, cur string) [][]string {
	var out [][]string
	for i := range lines {
		l := &lines[i]
		if l.Changed() {
			out = append(out, []string{l.Label, diffValue(l, l.A, cur), diffValue(l, l.B, cur), diffDelta(l, cur), diffPct(l)})
		}
	}
	return out
}

func changeWords(c compare.InputChange) (from, to string) {
	from, to = c.From, c.To
	if from == "" {
		from = "(absent)"
	}
	if to == "" {
		to = "(absent)"
	}
	return from, to
}

// breakEvenWords says the break-even shift.
func breakEvenWords(d *compare.Diff) string {
	s := BreakEvenDay(d.BreakEvenA) + " → " + BreakEvenDay(d.BreakEvenB)
	if d.BreakEvenShift.Valid {
		s += fmt.Sprintf(" (%+d days)", d.BreakEvenShift.Val)
	}
	return s
}

// sizingChanges lists phases whose required nodes are now set by another bound.
func sizingChanges(d *compare.Diff) []string {
	var out []string
	for _, ph := range d.Phases {
		if ph.BoundA != ph.BoundB {
			out = append(out, fmt.Sprintf("%s: required nodes set by %s, was %s", ph.Name, boundWords[ph.BoundB], boundWords[ph.BoundA]))
		}
	}
	return out
}

func flipWords(ph *compare.PhaseDiff, f compare.CheckFlip) string {
	was, now := "PASS", "FAIL"
	if f.NowOK {
		was, now = "FAIL", "PASS"
	}
	return fmt.Sprintf("%s %s: %s → %s (%s)", ph.Name, f.Name, was, now, CheckDetail(f.Now))
}

// WriteDiffTable prints d for a terminal.
func WriteDiffTable(w io.Writer, d *compare.Diff) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s → %s (%s)\n", d.NameA, d.NameB, d.Currency)
	if d.CurrencyMismatch {
		b.WriteString("The plans are in different currencies: money is compared as written.\n")
	}
	fmt.Fprintf(&b, "\nInputs changed: %d\n", len(d.Inputs))
	for _, c := range d.Inputs {
		from, to := changeWords(c)
		fmt.Fprintf(&b, "  %s: %s → %s\n", c.Path, from, to)
	}
	for _, n := range d.Added {
		fmt.Fprintf(&b, "  phase %q added\n", n)
	}
	for _, n := range d.Removed {
		fmt.Fprintf(&b, "  phase %q removed\n", n)
	}
	header := []string{"", "A", "B", "Δ", "Δ %"}
	section := func(title string, lines []compare.Line) {
		rows := diffRows(lines, d.Currency)
		if len(rows) == 0 {
			fmt.Fprintf(&b, "\n%s: no line changed\n", strings.ToUpper(title))
			return
		}
		fmt.Fprintf(&b, "\n%s\n", strings.ToUpper(title))
		writeAligned(&b, append([][]string{header}, rows...), 1)
	}
	section("Totals", d.Totals)
	for _, ph := range d.Phases {
		section(ph.Name, ph.Lines)
	}
	if s := sizingChanges(d); len(s) > 0 {
		b.WriteString("\nSizing:\n")
		for _, line := range s {
			fmt.Fprintf(&b, "  %s\n", line)
		}
	}
	flips := 0
	for i := range d.Phases {
		for _, f := range d.Phases[i].CheckFlips {
			if flips == 0 {
				b.WriteString("\nChecks that flipped:\n")
			}
			flips++
			fmt.Fprintf(&b, "  %s\n", flipWords(&d.Phases[i], f))
		}
	}
	fmt.Fprintf(&b, "\nBreak-even: %s\n", breakEvenWords(d))
	b.WriteString("(Lines that did not change are left out; --json lists every line.)\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteDiffMarkdown writes d as a pull-request comment.
func WriteDiffMarkdown(w io.Writer, d *compare.Diff) error {
	var b strings.Builder
	esc := func(s string) string { return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s) }
	fmt.Fprintf(&b, "### scaleplan diff: %s → %s\n\n", esc(d.NameA), esc(d.NameB))
	for _, l := range d.Totals {
		if l.Key == "total_cost" || l.Key == "cost_per_call" {
			fmt.Fprintf(&b, "**%s** %s → %s (%s, %s) · ", l.Label, diffValue(&l, l.A, d.Currency), diffValue(&l, l.B, d.Currency), diffDelta(&l, d.Currency), diffPct(&l))
		}
	}
	fmt.Fprintf(&b, "**Break-even** %s\n\n", breakEvenWords(d))
	if len(d.Inputs)+len(d.Added)+len(d.Removed) > 0 {
		b.WriteString("| Changed input | From | To |\n|---|---|---|\n")
		for _, c := range d.Inputs {
			from, to := changeWords(c)
			fmt.Fprintf(&b, "| `%s` | %s | %s |\n", esc(c.Path), esc(from), esc(to))
		}
		for _, n := range d.Added {
			fmt.Fprintf(&b, "| phase %s | (absent) | added |\n", esc(n))
		}
		for _, n := range d.Removed {
			fmt.Fprintf(&b, "| phase %s | removed | (absent) |\n", esc(n))
		}
		b.WriteString("\n")
	} else {
		b.WriteString("No input changed.\n\n")
	}
	b.WriteString("| Line | A | B | Δ | Δ % |\n|---|---:|---:|---:|---:|\n")
	section := func(title string, lines []compare.Line) {
		rows := diffRows(lines, d.Currency)
		if len(rows) == 0 {
			return
		}
		fmt.Fprintf(&b, "| **%s** | | | | |\n", esc(title))
		for _, r := range rows {
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", esc(r[0]), r[1], r[2], r[3], r[4])
		}
	}
	section("Totals", d.Totals)
	for _, ph := range d.Phases {
		section(ph.Name, ph.Lines)
	}
	var notes []string
	notes = append(notes, sizingChanges(d)...)
	for i := range d.Phases {
		for _, f := range d.Phases[i].CheckFlips {
			notes = append(notes, flipWords(&d.Phases[i], f))
		}
	}
	if len(notes) > 0 {
		b.WriteString("\n")
		for _, n := range notes {
			fmt.Fprintf(&b, "- %s\n", esc(n))
		}
	}
	b.WriteString("\n<sub>Lines that did not change are left out. Made by `scaleplan diff --markdown`.</sub>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// jsonDiffLine is one line's values: exact decimals as strings, null for none.
type jsonDiffLine struct {
	A        *string `json:"a"`
	B        *string `json:"b"`
	Delta    *string `json:"delta"`
	DeltaPct *string `json:"delta_pct"`
}

// orderedLines keeps the lines in model order in the JSON object.
type orderedLines []compare.Line

func (ls orderedLines) MarshalJSON() ([]byte, error) {
	var o jsonObject
	for _, l := range ls {
		o.add(l.Key, jsonDiffLine{exact(l.A), exact(l.B), exact(l.Delta()), pct(l.DeltaPct())})
	}
	return o.MarshalJSON()
}

func exact(o planner.Opt[decimal.Decimal]) *string {
	if !o.Valid {
		return nil
	}
	s := o.Val.String()
	return &s
}

// pct is a percentage to 6 places: the exact quotient runs to 20.
func pct(o planner.Opt[decimal.Decimal]) *string {
	if !o.Valid {
		return nil
	}
	s := o.Val.Round(6).String()
	return &s
}

type jsonInputChange struct {
	Path string  `json:"path"`
	From *string `json:"from"`
	To   *string `json:"to"`
}

type jsonFlip struct {
	Name   string `json:"name"`
	From   string `json:"from"`
	To     string `json:"to"`
	Detail string `json:"detail"`
}

type jsonPhaseDiff struct {
	Name   string       `json:"name"`
	AIndex int          `json:"a_index"`
	BIndex int          `json:"b_index"`
	Lines  orderedLines `json:"lines"`
	Sizing [2]string    `json:"sizing_bound"`
	Flips  []jsonFlip   `json:"checks_flipped"`
}

type jsonDiff struct {
	A             string            `json:"a"`
	B             string            `json:"b"`
	Currency      string            `json:"currency"`
	ChangedInputs []jsonInputChange `json:"changed_inputs"`
	AddedPhases   []string          `json:"added_phases"`
	RemovedPhases []string          `json:"removed_phases"`
	Phases        []jsonPhaseDiff   `json:"phases"`
	Totals        orderedLines      `json:"totals"`
	BreakEven     struct {
		A     *int64 `json:"a_day"`
		B     *int64 `json:"b_day"`
		Shift *int64 `json:"shift_days"`
	} `json:"break_even"`
}

func optStr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optDay(o planner.Opt[int64]) *int64 {
	if !o.Valid {
		return nil
	}
	v := o.Val
	return &v
}

// DiffJSON renders d as indented JSON with every line.
func DiffJSON(d *compare.Diff) []byte {
	out := jsonDiff{A: d.NameA, B: d.NameB, Currency: d.Currency, ChangedInputs: []jsonInputChange{},
		AddedPhases: append([]string{}, d.Added...), RemovedPhases: append([]string{}, d.Removed...), Totals: d.Totals, Phases: []jsonPhaseDiff{}}
	for _, c := range d.Inputs {
		out.ChangedInputs = append(out.ChangedInputs, jsonInputChange{c.Path, optStr(c.From), optStr(c.To)})
	}
	for _, ph := range d.Phases {
		jp := jsonPhaseDiff{Name: ph.Name, AIndex: ph.A, BIndex: ph.B, Lines: ph.Lines, Sizing: [2]string{ph.BoundA, ph.BoundB}, Flips: []jsonFlip{}}
		for _, f := range ph.CheckFlips {
			from, to := "pass", "fail"
			if f.NowOK {
				from, to = "fail", "pass"
			}
			jp.Flips = append(jp.Flips, jsonFlip{f.Name, from, to, CheckDetail(f.Now)})
		}
		out.Phases = append(out.Phases, jp)
	}
	out.BreakEven.A, out.BreakEven.B, out.BreakEven.Shift = optDay(d.BreakEvenA.Day), optDay(d.BreakEvenB.Day), optDay(d.BreakEvenShift)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(out) // strings and numbers only: cannot fail
	return buf.Bytes()
}
