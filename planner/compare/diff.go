// Package compare sets plans and their variants side by side: the diff of
// two plans (docs/diff.md) with its guard-rails, scenarios and variants
// compared, the cost-to-scale curve, sensitivity and the other scaling
// modes. It imports planner; planner does not import it.
package compare

import (
	"fmt"
	"sort"
	"strings"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
	"github.com/shopspring/decimal"
)

// A diff of two plans (docs/diff.md): every model line per phase and in the
// totals as A, B, Δ and Δ %; the inputs that differ, by path; sizing
// changes; checks that flipped; the break-even shift. Phases are matched by
// name; a phase only one plan has is added or removed.

// Line is one model line in a diff: a phase's or the totals' value in
// each plan. A value that does not exist (cost per call with no calls, a
// saturated p99) is none.
type Line struct {
	Key   string // the line's key, as `compute --json` and --fail-on name it
	Label string
	Unit  string
	Money bool
	// Better is the direction a plan wants the line to move: −1 lower
	// (costs, nodes, latency), +1 higher (revenue, margin), 0 neither.
	Better int
	A, B   planner.Opt[decimal.Decimal]
}

// Verdict says whether B is better (+1) or worse (−1) than A on this line,
// or neither (0: unchanged, no direction, or a value missing).
func (l Line) Verdict() int {
	d := l.Delta()
	if !d.Valid || l.Better == 0 {
		return 0
	}
	return d.Val.Sign() * l.Better
}

// Delta is B − A, when both exist.
func (l Line) Delta() planner.Opt[decimal.Decimal] {
	if !l.A.Valid || !l.B.Valid {
		return planner.Opt[decimal.Decimal]{}
	}
	return planner.Some(l.B.Val.Sub(l.A.Val))
}

// DeltaPct is 100 × (B − A) / |A|, when both exist and A is not 0.
func (l Line) DeltaPct() planner.Opt[decimal.Decimal] {
	d := l.Delta()
	if !d.Valid || l.A.Val.IsZero() {
		return planner.Opt[decimal.Decimal]{}
	}
	return planner.Some(d.Val.Mul(decimal.NewFromInt(100)).DivRound(l.A.Val.Abs(), planner.DivPlaces))
}

// Changed reports whether the line differs: its values, or whether it has one.
func (l Line) Changed() bool {
	if l.A.Valid != l.B.Valid {
		return true
	}
	return l.A.Valid && !l.A.Val.Equal(l.B.Val)
}

// CheckFlip is a check that passed in one plan and failed in the other.
type CheckFlip struct {
	Name         string
	WasOK, NowOK bool
	Now          planner.Check // the check in B (report.CheckDetail says it)
}

// PhaseDiff is one phase present in both plans.
type PhaseDiff struct {
	Name       string // its name in B
	A, B       int    // its index in each plan
	Lines      []Line
	BoundA     string // what set its required nodes in A
	BoundB     string
	CheckFlips []CheckFlip
}

// Diff is what changed from plan A to plan B.
type Diff struct {
	NameA, NameB     string
	Currency         string
	Phases           []PhaseDiff
	Added, Removed   []string // phases only B has, only A has
	Totals           []Line
	Inputs           []InputChange
	BreakEvenA       planner.BreakEven
	BreakEvenB       planner.BreakEven
	BreakEvenShift   planner.Opt[int64] // B's break-even day − A's, when both break even
	CurrencyMismatch bool               // the plans are in different currencies: money is not comparable
}

// diffLine defines one line of a diff.
type diffLine struct {
	key, label, unit string
	money            bool
	better           int
	phase            func(p *planner.PhaseResult) planner.Opt[decimal.Decimal]
	total            func(r *planner.Result) planner.Opt[decimal.Decimal] // nil: no total
}

func some(d decimal.Decimal) planner.Opt[decimal.Decimal] { return planner.Some(d) }
func count(n int64) planner.Opt[decimal.Decimal]          { return planner.Some(decimal.NewFromInt(n)) }
func optMs(ok bool, x float64) planner.Opt[decimal.Decimal] {
	if !ok {
		return planner.Opt[decimal.Decimal]{}
	}
	return planner.Some(decimal.NewFromFloat(x).Round(1))
}

// diffLines are the lines a diff compares, in the order a plan is read;
// the cost catalogue's lines take their JSON keys.
func diffLines() []diffLine {
	out := []diffLine{
		{key: "calls_per_day", label: "Calls per day", unit: "calls/day", phase: func(p *planner.PhaseResult) planner.Opt[decimal.Decimal] { return count(p.CallsPerDay) }},
		{key: "calls", label: "Calls", unit: "calls", phase: func(p *planner.PhaseResult) planner.Opt[decimal.Decimal] { return count(p.Calls) },
			total: func(r *planner.Result) planner.Opt[decimal.Decimal] { return count(r.Totals.Calls) }},
		{key: "peak_rps", label: "Peak load", unit: "req/s", phase: func(p *planner.PhaseResult) planner.Opt[decimal.Decimal] { return some(p.PeakRPS) }},
		{key: "required_nodes", better: -1, label: "Required nodes", unit: "at peak", phase: func(p *planner.PhaseResult) planner.Opt[decimal.Decimal] { return count(p.RequiredNodes) }},
		{key: "nodes", better: -1, label: "Nodes", unit: "ceiling", phase: func(p *planner.PhaseResult) planner.Opt[decimal.Decimal] { return count(p.Nodes) },
			total: func(r *planner.Result) planner.Opt[decimal.Decimal] { return count(r.Totals.PeakNodes) }},
		{key: "node_hours", better: -1, label: "Node-hours", unit: "", phase: func(p *planner.PhaseResult) planner.Opt[decimal.Decimal] { return count(p.NodeHours) },
			total: func(r *planner.Result) planner.Opt[decimal.Decimal] { return count(r.Totals.NodeHours) }},
		{key: "avg_utilization", label: "Average utilization", unit: "share", phase: func(p *planner.PhaseResult) planner.Opt[decimal.Decimal] { return p.AvgUtilization }},
		{key: "overflow_calls", better: -1, label: "Overflow to batch", unit: "calls", phase: func(p *planner.PhaseResult) planner.Opt[decimal.Decimal] { return some(p.OverflowCalls) },
			total: func(r *planner.Result) planner.Opt[decimal.Decimal] { return some(r.Totals.OverflowCalls) }},
		{key: "stored_gb", label: "Data kept", unit: "GB, last day", phase: func(p *planner.PhaseResult) planner.Opt[decimal.Decimal] { return some(p.StoredGB) }},
		{key: "p99_ms", better: -1, label: "p99, worst hour", unit: "ms", phase: func(p *planner.PhaseResult) planner.Opt[decimal.Decimal] {
			return optMs(p.Latency.Estimated && !p.Latency.Saturated, p.Latency.P99Ms)
		}},
		{key: "p99_day_ms", better: -1, label: "p99 over the day", unit: "ms", phase: func(p *planner.PhaseResult) planner.Opt[decimal.Decimal] {
			return optMs(p.Latency.Estimated && !p.Latency.DaySaturated, p.Latency.P99DayMs)
		}},
	}
	for _, l := range planner.CostLines {
		k := l.Key
		out = append(out, diffLine{key: l.JSONKey, label: l.Label, unit: "cost", money: true, better: -1,
			phase: func(p *planner.PhaseResult) planner.Opt[decimal.Decimal] { return some(p.Cost.Of(k)) },
			total: func(r *planner.Result) planner.Opt[decimal.Decimal] { return some(r.Totals.Cost.Of(k)) }})
	}
	return append(out,
		diffLine{key: "components", better: -1, label: "Components", unit: "cost", money: true,
			phase: func(p *planner.PhaseResult) planner.Opt[decimal.Decimal] { return some(p.Cost.Components) },
			total: func(r *planner.Result) planner.Opt[decimal.Decimal] { return some(r.Totals.Cost.Components) }},
		diffLine{key: "total_cost", better: -1, label: "Total cost", unit: "cost", money: true,
			phase: func(p *planner.PhaseResult) planner.Opt[decimal.Decimal] { return some(p.Cost.Total) },
			total: func(r *planner.Result) planner.Opt[decimal.Decimal] { return some(r.Totals.Cost.Total) }},
		diffLine{key: "cost_per_call", better: -1, label: "Cost per call", unit: "per call", money: true,
			phase: func(p *planner.PhaseResult) planner.Opt[decimal.Decimal] { return p.CostPerCall },
			total: func(r *planner.Result) planner.Opt[decimal.Decimal] { return r.Totals.CostPerCall }},
		diffLine{key: "revenue", better: 1, label: "Revenue", unit: "", money: true,
			phase: func(p *planner.PhaseResult) planner.Opt[decimal.Decimal] { return some(p.Revenue) },
			total: func(r *planner.Result) planner.Opt[decimal.Decimal] { return some(r.Totals.Revenue) }},
		diffLine{key: "margin", better: 1, label: "Margin", unit: "revenue − cost", money: true,
			phase: func(p *planner.PhaseResult) planner.Opt[decimal.Decimal] { return some(p.Margin) },
			total: func(r *planner.Result) planner.Opt[decimal.Decimal] { return some(r.Totals.Margin) }},
		diffLine{key: "break_even_calls_per_day", better: -1, label: "Break-even volume", unit: "calls/day",
			phase: func(p *planner.PhaseResult) planner.Opt[decimal.Decimal] {
				if !p.BreakEvenCallsPerDay.Valid {
					return planner.Opt[decimal.Decimal]{}
				}
				return count(p.BreakEvenCallsPerDay.Val)
			}},
	)
}

// LineKeys lists the keys a diff's lines have, for --fail-on.
func LineKeys() []string {
	var out []string
	for _, l := range diffLines() {
		out = append(out, l.key)
	}
	return out
}

// Plans compares plan A (computed as ra) with plan B (as rb).
func Plans(a planner.Plan, ra *planner.Result, b planner.Plan, rb *planner.Result) Diff {
	d := Diff{NameA: a.Name, NameB: b.Name, Currency: b.Currency, BreakEvenA: ra.BreakEven, BreakEvenB: rb.BreakEven,
		CurrencyMismatch: a.Currency != b.Currency}
	lines := diffLines()
	for _, l := range lines {
		if l.total != nil {
			d.Totals = append(d.Totals, Line{Key: l.key, Label: l.label, Unit: l.unit, Money: l.money, Better: l.better, A: l.total(ra), B: l.total(rb)})
		}
	}
	inA := planner.PhaseIndex(a)
	matched := map[int]bool{}
	for j := range b.Phases {
		i, ok := inA[b.Phases[j].Name]
		if !ok {
			d.Added = append(d.Added, b.Phases[j].Name)
			continue
		}
		matched[i] = true
		pa, pb := &ra.Phases[i], &rb.Phases[j]
		pd := PhaseDiff{Name: pb.Name, A: i, B: j, BoundA: pa.SizingBound, BoundB: pb.SizingBound}
		for _, l := range lines {
			pd.Lines = append(pd.Lines, Line{Key: l.key, Label: l.label, Unit: l.unit, Money: l.money, Better: l.better, A: l.phase(pa), B: l.phase(pb)})
		}
		pd.CheckFlips = checkFlips(pa, pb)
		d.Phases = append(d.Phases, pd)
	}
	for i := range a.Phases {
		if !matched[i] {
			d.Removed = append(d.Removed, a.Phases[i].Name)
		}
	}
	if ra.BreakEven.Day.Valid && rb.BreakEven.Day.Valid {
		d.BreakEvenShift = planner.Some(rb.BreakEven.Day.Val - ra.BreakEven.Day.Val)
	}
	d.Inputs = InputChanges(a, b)
	return d
}

func checkFlips(a, b *planner.PhaseResult) []CheckFlip {
	was := map[string]bool{}
	for _, c := range a.Checks {
		was[c.Name] = c.OK
	}
	var out []CheckFlip
	for _, c := range b.Checks {
		if ok, found := was[c.Name]; found && ok != c.OK {
			out = append(out, CheckFlip{Name: c.Name, WasOK: ok, NowOK: c.OK, Now: c})
		}
	}
	return out
}

// ChangedLines is how many of the diff's lines differ, over the phases and
// the totals.
func (d *Diff) ChangedLines() int {
	n := 0
	for _, ph := range d.Phases {
		for _, l := range ph.Lines {
			if l.Changed() {
				n++
			}
		}
	}
	for _, l := range d.Totals {
		if l.Changed() {
			n++
		}
	}
	return n
}

// FailOn is a guard-rail on a diff (docs/diff.md): LINE>+X% (Δ % above X),
// LINE>+X (Δ above X), LINE>X (B above X), and the same with < and −.
type FailOn struct {
	Text    string
	Line    string
	Less    bool // < rather than >
	Delta   bool // compares Δ (a signed threshold) rather than B
	Percent bool // compares Δ %
	X       decimal.Decimal
}

// ParseFailOn reads a guard-rail expression, or says what is wrong with it.
func ParseFailOn(s string) (FailOn, error) { return ParseFailOnAmong(s, LineKeys()) }

// ParseFailOnAmong reads a guard-rail on lines keyed keys (a plan against
// its actuals has lines of its own).
func ParseFailOnAmong(s string, keys []string) (FailOn, error) {
	f := FailOn{Text: s}
	i := strings.IndexAny(s, "<>")
	if i <= 0 {
		return f, fmt.Errorf("%q: expected LINE>X, LINE>+X, LINE>+X%% or the same with <, e.g. total_cost>+10%%", s)
	}
	f.Line, f.Less = strings.TrimSpace(s[:i]), s[i] == '<'
	known := false
	for _, k := range keys {
		known = known || k == f.Line
	}
	if !known {
		msg := fmt.Sprintf("%q: no line is named %q; lines are %s", s, f.Line, strings.Join(keys, ", "))
		if c := jsonfile.Closest(f.Line, keys); c != "" {
			msg = fmt.Sprintf("%q: no line is named %q (did you mean %q?)", s, f.Line, c)
		}
		return f, fmt.Errorf("%s", msg)
	}
	rest := strings.TrimSpace(s[i+1:])
	if strings.HasPrefix(rest, "+") || strings.HasPrefix(rest, "-") {
		f.Delta = true
	}
	if r, ok := strings.CutSuffix(rest, "%"); ok {
		if !f.Delta {
			return f, fmt.Errorf("%q: a percentage is a change, so it needs a sign: %s%c+%s or %s%c-%s", s, f.Line, s[i], r, f.Line, s[i], r)
		}
		f.Percent, rest = true, r
	}
	x, err := decimal.NewFromString(strings.TrimPrefix(rest, "+"))
	if err != nil || rest == "" {
		return f, fmt.Errorf("%q: %q is not a number", s, rest)
	}
	f.X = x
	return f, nil
}

// Holds reports whether the guard-rail holds for the totals or any phase,
// and where it first does.
func (f FailOn) Holds(d *Diff) (bool, string) {
	test := func(l Line) bool {
		if l.Key != f.Line {
			return false
		}
		v := l.B
		switch {
		case f.Percent:
			v = l.DeltaPct()
		case f.Delta:
			v = l.Delta()
		}
		if !v.Valid {
			return false
		}
		if f.Less {
			return v.Val.LessThan(f.X)
		}
		return v.Val.GreaterThan(f.X)
	}
	for _, l := range d.Totals {
		if test(l) {
			return true, "totals"
		}
	}
	for _, ph := range d.Phases {
		for _, l := range ph.Lines {
			if test(l) {
				return true, ph.Name
			}
		}
	}
	return false, ""
}

// SortInputs orders input changes by path, for stable output.
func (d *Diff) SortInputs() {
	sort.SliceStable(d.Inputs, func(i, j int) bool { return d.Inputs[i].Path < d.Inputs[j].Path })
}

// ScenarioOutcome is one column of a comparison: the plan itself or one of
// its scenarios, computed, with its diff from the plan.
type ScenarioOutcome struct {
	Name         string // "" for the plan itself
	Result       planner.Result
	Diff         Diff
	Err          error // the scenario does not apply (a plan edited since)
	Checks, Pass int   // checks run and passed, over every phase
}

// Scenarios computes the plan (as r) and each of its scenarios.
func Scenarios(p planner.Plan, r *planner.Result) []ScenarioOutcome {
	out := []ScenarioOutcome{{Result: *r, Diff: Plans(p, r, p, r)}}
	for _, s := range p.Scenarios {
		o := ScenarioOutcome{Name: s.Name}
		q, err := p.Scenario(s.Name)
		if err != nil {
			o.Err = err
		} else {
			o.Result = planner.Compute(q)
			o.Diff = Plans(p, r, q, &o.Result)
		}
		out = append(out, o)
	}
	for i := range out {
		out[i].Pass, out[i].Checks = out[i].Result.ChecksPassed()
	}
	return out
}

// Total is the diff's line of the totals with that key.
func (d *Diff) Total(key string) Line {
	for _, l := range d.Totals {
		if l.Key == key {
			return l
		}
	}
	return Line{Key: key}
}

// Cheapest is the index in outs of the scenario that costs least over the
// plan (the first of equals), or −1 when no scenario applies.
func Cheapest(outs []ScenarioOutcome) int {
	best := -1
	for k := 1; k < len(outs); k++ {
		if outs[k].Err == nil && (best < 0 || outs[k].Result.Totals.Cost.Total.LessThan(outs[best].Result.Totals.Cost.Total)) {
			best = k
		}
	}
	return best
}
