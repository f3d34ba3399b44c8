package actuals

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/planner"
)

// The plan held against what happened (docs/actuals.md): the bill's rows,
// mapped to the plan's cost lines, are compared with the plan over the
// hours the bill covers, phase by phase; traffic and latency read from
// usage files beside the plan's figures for the same days.

// Value is a figure that may not exist: a planned or an actual one.
type Value = planner.Opt[decimal.Decimal]

// Line is one figure of a phase or the totals: planned against actual.
type Line struct {
	Key, Label, Unit string
	Money            bool
	// Better is the direction a plan wants reality to move: −1 lower
	// (cost, latency), +1 higher (revenue), 0 neither (calls).
	Better          int
	Planned, Actual Value
}

// Delta is actual − planned, when both exist.
func (l Line) Delta() Value {
	if !l.Planned.Valid || !l.Actual.Valid {
		return Value{}
	}
	return planner.Some(l.Actual.Val.Sub(l.Planned.Val))
}

// DeltaPct is 100 × (actual − planned) / |planned|, when both exist and
// planned is not 0.
func (l Line) DeltaPct() Value {
	d := l.Delta()
	if !d.Valid || l.Planned.Val.IsZero() {
		return Value{}
	}
	return planner.Some(d.Val.Mul(hundred).DivRound(l.Planned.Val.Abs(), planner.DivPlaces))
}

// Verdict is −1 when reality is worse than the plan on this line, +1
// better, 0 neither.
func (l Line) Verdict() int {
	d := l.Delta()
	if !d.Valid || l.Better == 0 {
		return 0
	}
	return d.Val.Sign() * l.Better
}

var (
	hundred = decimal.NewFromInt(100)
	day     = decimal.NewFromInt(24)
)

// Phase is one phase the bill covers some hours of.
type Phase struct {
	Index      int
	Name       string
	Start, End planner.Date // the phase's first and last days
	Days       int64
	// Covered is the hours of the phase the bill covers, and From, To
	// those hours' bounds.
	Covered  int64
	From, To time.Time
	Lines    []Line
	// PlannedTotal is the plan's cost of the whole phase; Projected the
	// phase's cost at the covered hours' run-rate, when the bill covers
	// part of it.
	PlannedTotal decimal.Decimal
	Projected    Value
	// RunRate is the cost a day of the last RunRateDays whole covered
	// days (fewer when fewer are covered), which the projection carries
	// to the phase's end: recent days, so a one-time charge at the
	// phase's start is not carried on.
	RunRate decimal.Decimal
}

// RunRateDays is how many of the last covered days the run-rate averages.
const RunRateDays = 7

// dayCost is everything the bill charged day d (0 = the plan's first).
func (a *acc) dayCost(d int64) decimal.Decimal {
	c := decimal.Zero
	for _, days := range a.cost {
		c = c.Add(days[d])
	}
	return c
}

// runRate is the mean cost a day of the phase's last RunRateDays whole
// covered days, or of its covered hours when none is whole.
func (a *acc) runRate(first, n int64) decimal.Decimal {
	sum, k := decimal.Zero, int64(0)
	for d := first + n - 1; d >= first && k < RunRateDays; d-- {
		if a.hours[d] == 24 {
			sum, k = sum.Add(a.dayCost(d)), k+1
		}
	}
	if k > 0 {
		return sum.DivRound(decimal.NewFromInt(k), planner.DivPlaces)
	}
	hours := int64(0)
	for d := first; d < first+n; d++ {
		sum, hours = sum.Add(a.dayCost(d)), hours+a.hours[d]
	}
	return sum.Mul(day).DivRound(decimal.NewFromInt(hours), planner.DivPlaces)
}

// Elapsed is the covered share of the phase, in days (fractional when the
// bill ends within a day).
func (p *Phase) Elapsed() decimal.Decimal {
	return decimal.NewFromInt(p.Covered).DivRound(day, 4)
}

// Spend is money the comparison does not hold: by service, unmapped;
// outside the plan's days; a category kept apart.
type Spend struct {
	Name string
	Cost decimal.Decimal
	Rows int
}

// Report is a plan held against its actuals.
type Report struct {
	Plan, Currency string
	CostKind       string // "EffectiveCost" or "BilledCost"
	From, To       time.Time
	Phases         []Phase
	Totals         []Line
	Unmapped       []Spend // by service, largest first
	Apart          []Spend // charge categories FOCUS keeps apart from usage
	Outside        Spend   // charges before the plan's first day or after its last
	Files          []File
	// Days are the plan's days with their costs and revenues, planned
	// and, through the last covered day, actual: the cumulative chart's.
	Days []Day
	// Today is the last day the bill covers.
	Today planner.Date
	// BreakEvenPlanned is the plan's break-even day; BreakEvenProjected
	// the day the plan breaks even with the actuals to date, the covered
	// phase's run-rate to its end and the plan after it.
	BreakEvenPlanned, BreakEvenProjected planner.Opt[planner.Date]
}

// Day is one day of the plan, planned and actual.
type Day struct {
	Date                            planner.Date
	PlannedCost, PlannedRevenue     decimal.Decimal
	ActualCost, ActualRevenue       Value // through the last covered day
	ProjectedCost, ProjectedRevenue decimal.Decimal
	// The running totals: the plan's, and reality's as projected (the
	// actuals through the last covered day, then the run-rate and the
	// plan), which the chart draws.
	CumPlannedCost, CumPlannedRevenue decimal.Decimal
	CumCost, CumRevenue               decimal.Decimal
	Actual                            bool // the day is covered: its Cum figures are actual to date
	// Hours is how many of the day's hours the bill covers, and ByLine
	// what it charged each line that day: a cost line's key, "components["
	// and a component's name "]", or "unmapped".
	Hours  int64
	ByLine map[string]decimal.Decimal
	// PlannedCovered is the plan's cost of the covered hours of the day.
	PlannedCovered decimal.Decimal
}

// DayKey is the key a target's charges have in Day.ByLine and a line in
// a phase's Lines.
func DayKey(target string) string {
	switch {
	case strings.HasPrefix(target, ComponentPrefix):
		return "components[" + strings.TrimPrefix(target, ComponentPrefix) + "]"
	case strings.HasPrefix(target, "unmapped:"):
		return "unmapped"
	}
	return target
}

// Options are how the comparison reads the bill.
type Options struct {
	Billed bool // compare BilledCost (what was invoiced) rather than EffectiveCost (amortised)
}

// acc holds what the bill's rows and the usage files give a day.
type acc struct {
	cost      map[string][]decimal.Decimal // target → per plan day (0 = day 1)
	nodeHours []decimal.Decimal            // consumed hours of the GPU lines' rows
	hours     []int64                      // per day, the covered hours
}

// Against holds plan p, computed as r, against the bills and the usage.
func Against(p *planner.Plan, r *planner.Result, bills []Bill, usage Usage, opt Options) (*Report, error) {
	rep := &Report{Plan: r.Name, Currency: r.Currency, CostKind: "EffectiveCost"}
	if opt.Billed {
		rep.CostKind = "BilledCost"
	}
	if len(bills) == 0 {
		return nil, fmt.Errorf("no bill: give one FOCUS file with --bill")
	}
	for _, b := range bills {
		if !b.hasColumn(rep.CostKind) {
			return nil, fmt.Errorf("%s has no %s column; %s", b.Name, rep.CostKind, map[bool]string{true: "compare what was invoiced with --billed", false: "compare the amortised cost without --billed"}[b.hasColumn("EffectiveCost")])
		}
		for _, row := range b.Rows {
			if row.Currency != "" && row.Currency != r.Currency {
				return nil, fmt.Errorf("%s: line %d, BillingCurrency: the bill is in %s and the plan in %s; convert one of them first", b.Name, row.Line, row.Currency, r.Currency)
			}
		}
		first, last := b.span()
		rep.Files = append(rep.Files, File{Name: b.Name, SHA256: b.SHA256, Kind: "FOCUS bill", First: first, Last: last})
	}
	rep.Files = append(rep.Files, usage.Files...)
	planStart := r.StartDate.Time()
	planEnd := r.EndDate.AddDays(1).Time()
	a := acc{cost: map[string][]decimal.Decimal{}, nodeHours: zeros(r.Days)}
	m := NewMapper(p)
	unmapped, apart := map[string]*Spend{}, map[string]*Spend{}
	var from, to time.Time
	var billFrom, billTo time.Time
	for _, b := range bills {
		for k := range b.Rows {
			row := &b.Rows[k]
			c := row.Cost(opt.Billed)
			if billFrom.IsZero() || row.Start.Before(billFrom) {
				billFrom = row.Start
			}
			if row.End.After(billTo) {
				billTo = row.End
			}
			if slices.Contains(Apart, row.ChargeCategory) {
				addSpend(apart, row.ChargeCategory, c)
				continue
			}
			in := overlap(row.Start, row.End, planStart, planEnd)
			if in < row.End.Sub(row.Start) {
				share := decimal.NewFromInt(int64(row.End.Sub(row.Start) - in)).Div(decimal.NewFromInt(int64(row.End.Sub(row.Start))))
				rep.Outside.Cost, rep.Outside.Rows = rep.Outside.Cost.Add(c.Mul(share)), rep.Outside.Rows+1
			}
			if in <= 0 {
				continue
			}
			s, e := maxTime(row.Start, planStart), minTime(row.End, planEnd)
			if from.IsZero() || s.Before(from) {
				from = s
			}
			if e.After(to) {
				to = e
			}
			target, _ := m.Map(row)
			if target == "" {
				target = "unmapped:" + unmappedKey(row)
				addSpend(unmapped, unmappedKey(row), c.Mul(decimal.NewFromInt(int64(in))).Div(decimal.NewFromInt(int64(row.End.Sub(row.Start)))))
			}
			if a.cost[target] == nil {
				a.cost[target] = zeros(r.Days)
			}
			spread(a.cost[target], row.Start, row.End, planStart, c)
			if gpuLine(target) && row.ConsumedQuantity.Valid && strings.Contains(strings.ToLower(row.ConsumedUnit), "hour") {
				spread(a.nodeHours, row.Start, row.End, planStart, row.ConsumedQuantity.Decimal)
			}
		}
	}
	if from.IsZero() {
		return nil, fmt.Errorf("the bill's charges run from %s to %s, and the plan from %s to %s: no usage charge falls in the plan's days",
			billFrom.Format("2006-01-02 15:04"), billTo.Format("2006-01-02 15:04"), r.StartDate, r.EndDate)
	}
	rep.From, rep.To = from, to
	rep.Today = planner.NewDate(to.Add(-time.Nanosecond).Year(), to.Add(-time.Nanosecond).Month(), to.Add(-time.Nanosecond).Day())
	a.hours = make([]int64, r.Days)
	for d := range a.hours {
		ds := planStart.Add(time.Duration(d) * 24 * time.Hour)
		a.hours[d] = int64(overlap(ds, ds.Add(24*time.Hour), from, to) / time.Hour)
	}
	rep.Unmapped, rep.Apart = sorted(unmapped), sorted(apart)
	timeline := r.Timeline()
	for i := range r.Phases {
		ph := &r.Phases[i]
		first := ph.FirstDay - 1
		var covered int64
		for d := first; d < first+ph.Days; d++ {
			covered += a.hours[d]
		}
		if covered == 0 {
			continue
		}
		pr := Phase{Index: i, Name: ph.Name, Start: ph.StartDate, End: ph.EndDate, Days: ph.Days, Covered: covered, PlannedTotal: ph.Cost.Total}
		ps := ph.StartDate.Time()
		pr.From, pr.To = maxTime(from, ps), minTime(to, ps.Add(time.Duration(ph.Days)*24*time.Hour))
		pr.Lines = phaseLines(p, r, i, &a, usage, timeline, pr.From.Equal(ps), covered)
		if covered < 24*ph.Days {
			total := lineOf(pr.Lines, "total_cost").Actual.Val
			rate := a.runRate(first, ph.Days)
			left := decimal.NewFromInt(24*ph.Days - covered).Div(day)
			pr.RunRate = rate
			pr.Projected = planner.Some(total.Add(rate.Mul(left)))
		}
		rep.Phases = append(rep.Phases, pr)
	}
	rep.Totals = totals(rep.Phases)
	rep.days(r, &a, usage, timeline)
	return rep, nil
}

func zeros(n int64) []decimal.Decimal {
	out := make([]decimal.Decimal, n)
	for i := range out {
		out[i] = decimal.Zero
	}
	return out
}

func addSpend(m map[string]*Spend, name string, c decimal.Decimal) {
	s := m[name]
	if s == nil {
		s = &Spend{Name: name, Cost: decimal.Zero}
		m[name] = s
	}
	s.Cost, s.Rows = s.Cost.Add(c), s.Rows+1
}

func sorted(m map[string]*Spend) []Spend {
	var out []Spend
	for _, s := range m {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool {
		if c := out[i].Cost.Abs().Cmp(out[j].Cost.Abs()); c != 0 {
			return c > 0
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func gpuLine(target string) bool { return target == "gpu" || target == "committed" || target == "spot" }

func overlap(s, e, from, to time.Time) time.Duration {
	s, e = maxTime(s, from), minTime(e, to)
	if !e.After(s) {
		return 0
	}
	return e.Sub(s)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// spread adds c, charged over [s, e), to the plan's days in proportion to
// the time of it each day holds (an hourly row lands on its day whole).
func spread(days []decimal.Decimal, s, e, planStart time.Time, c decimal.Decimal) {
	total := e.Sub(s)
	first := int64(math.Floor(s.Sub(planStart).Hours() / 24))
	for d := max(first, 0); d < int64(len(days)); d++ {
		ds := planStart.Add(time.Duration(d) * 24 * time.Hour)
		if !ds.Before(e) {
			break
		}
		in := overlap(s, e, ds, ds.Add(24*time.Hour))
		if in <= 0 {
			continue
		}
		if in == total {
			days[d] = days[d].Add(c)
			continue
		}
		days[d] = days[d].Add(c.Mul(decimal.NewFromInt(int64(in))).DivRound(decimal.NewFromInt(int64(total)), planner.DivPlaces))
	}
}

func (b *Bill) hasColumn(c string) bool {
	for _, x := range b.Columns {
		if x == c {
			return true
		}
	}
	return false
}

// span is the first and last day the bill's rows charge.
func (b *Bill) span() (planner.Date, planner.Date) {
	var s, e time.Time
	for _, r := range b.Rows {
		if s.IsZero() || r.Start.Before(s) {
			s = r.Start
		}
		if r.End.After(e) {
			e = r.End
		}
	}
	if s.IsZero() {
		return planner.Date{}, planner.Date{}
	}
	e = e.Add(-time.Nanosecond)
	return planner.NewDate(s.Year(), s.Month(), s.Day()), planner.NewDate(e.Year(), e.Month(), e.Day())
}

func lineOf(ls []Line, key string) Line {
	for _, l := range ls {
		if l.Key == key {
			return l
		}
	}
	return Line{}
}

// sumDays is Σ days[d] over the phase's days.
func sumDays(days []decimal.Decimal, first, n int64) decimal.Decimal {
	t := decimal.Zero
	if days == nil {
		return t
	}
	for d := first; d < first+n; d++ {
		t = t.Add(days[d])
	}
	return t
}

// usageOver sums (or, worst, takes the largest of) a usage figure over
// the phase's covered days, each weighted by its covered share; ok is
// false unless every covered day has a value.
func usageOver(u Usage, key string, r *planner.Result, a *acc, first, n int64, worst bool) (decimal.Decimal, bool) {
	vals := u.Days[key]
	t := decimal.Zero
	any := false
	for d := first; d < first+n; d++ {
		if a.hours[d] == 0 {
			continue
		}
		v, ok := vals[r.StartDate.AddDays(d)]
		if !ok {
			return t, false
		}
		any = true
		if worst {
			if v.GreaterThan(t) {
				t = v
			}
			continue
		}
		t = t.Add(v.Mul(decimal.NewFromInt(a.hours[d])).Div(day))
	}
	return t, any
}

// phaseLines are phase i's figures over its covered hours.
func phaseLines(p *planner.Plan, r *planner.Result, i int, a *acc, u Usage, timeline []planner.Day, fromStart bool, covered int64) []Line {
	ph := &r.Phases[i]
	first, n := ph.FirstDay-1, ph.Days
	even := func(c decimal.Decimal) decimal.Decimal {
		return c.Mul(decimal.NewFromInt(covered)).DivRound(decimal.NewFromInt(24*ph.Days), planner.DivPlaces)
	}
	some := planner.Some[decimal.Decimal]
	var out []Line
	calls, haveCalls := usageOver(u, "calls", r, a, first, n, false)
	coveredDays := decimal.NewFromInt(covered).Div(day)
	line := func(key, label, unit string, money bool, better int, planned, actual Value) {
		out = append(out, Line{Key: key, Label: label, Unit: unit, Money: money, Better: better, Planned: planned, Actual: actual})
	}
	if haveCalls {
		line("calls_per_day", "Calls per day", "calls/day", false, 0, some(decimal.NewFromInt(ph.CallsPerDay)), some(calls.DivRound(coveredDays, 0)))
	} else {
		line("calls_per_day", "Calls per day", "calls/day", false, 0, some(decimal.NewFromInt(ph.CallsPerDay)), Value{})
	}
	actualCalls := Value{}
	if haveCalls {
		actualCalls = some(calls.Round(0))
	}
	line("calls", "Calls", "over the covered days", false, 0, some(decimal.NewFromInt(ph.CallsPerDay).Mul(coveredDays).Round(0)), actualCalls)
	total, planned := decimal.Zero, decimal.Zero
	for _, cl := range planner.CostLines {
		act := sumDays(a.cost[cl.JSONKey], first, n)
		if !cl.ShownFor(r) && act.IsZero() {
			continue
		}
		var plan decimal.Decimal
		switch cl.Key {
		case planner.CostStorage:
			plan = decimal.Zero
			for d := first; d < first+n; d++ {
				if a.hours[d] > 0 {
					plan = plan.Add(timeline[d].Storage.Mul(decimal.NewFromInt(a.hours[d])).Div(day))
				}
			}
		case planner.CostFixed:
			plan = even(ph.Cost.Of(cl.Key).Sub(ph.OneTime))
			if fromStart {
				plan = plan.Add(ph.OneTime)
			}
		default:
			plan = even(ph.Cost.Of(cl.Key))
		}
		total, planned = total.Add(act), planned.Add(plan)
		line(cl.JSONKey, cl.Label, "cost", true, -1, some(plan), some(act))
	}
	// The stored components accrue day by day as the plan's storage does:
	// their planned cost over the covered days is what the timeline's days
	// carry beyond the even share, the plan's storage and the one-time
	// costs, split between them by their phase costs.
	once, stored := ph.OneTime, decimal.Zero
	for j := range p.Components {
		switch p.Components[j].Driver {
		case planner.DriverOneTime:
			once = once.Add(ph.Components[j].Cost)
		case planner.DriverPerGBStored:
			stored = stored.Add(ph.Components[j].Cost)
		}
	}
	storedPlanned := decimal.Zero
	if stored.Sign() != 0 {
		for d := first; d < first+n; d++ {
			if a.hours[d] > 0 {
				rest := timeline[d].Cost.Sub(ph.DailyCost).Sub(timeline[d].Storage)
				if d == first {
					rest = rest.Sub(once)
				}
				storedPlanned = storedPlanned.Add(rest.Mul(decimal.NewFromInt(a.hours[d])).Div(day))
			}
		}
	}
	comps, compsPlanned := decimal.Zero, decimal.Zero
	for j := range p.Components {
		c := &p.Components[j]
		cost := ph.Components[j].Cost
		plan := even(cost)
		switch c.Driver {
		case planner.DriverOneTime:
			plan = decimal.Zero
			if fromStart {
				plan = cost
			}
		case planner.DriverPerGBStored:
			plan = decimal.Zero
			if stored.Sign() != 0 {
				plan = storedPlanned.Mul(cost).DivRound(stored, planner.DivPlaces)
			}
		}
		act := sumDays(a.cost[ComponentPrefix+c.Name], first, n)
		comps, compsPlanned = comps.Add(act), compsPlanned.Add(plan)
		line("components["+c.Name+"]", c.Name, "cost", true, -1, some(plan), some(act))
	}
	if len(p.Components) > 0 {
		line("components", "Components", "cost", true, -1, some(compsPlanned), some(comps))
		total, planned = total.Add(comps), planned.Add(compsPlanned)
	}
	un := decimal.Zero
	for t, days := range a.cost {
		if strings.HasPrefix(t, "unmapped:") {
			un = un.Add(sumDays(days, first, n))
		}
	}
	if !un.IsZero() {
		line("unmapped", "Unmapped spend", "cost", true, -1, some(decimal.Zero), some(un))
		total = total.Add(un)
	}
	line("total_cost", "Total cost", "cost", true, -1, some(planned), some(total))
	cpc := Value{}
	if haveCalls && calls.Sign() > 0 {
		cpc = some(total.DivRound(calls, planner.DivPlaces))
	}
	plannedCPC := Value{}
	if ph.CallsPerDay > 0 {
		plannedCPC = some(planned.DivRound(decimal.NewFromInt(ph.CallsPerDay).Mul(coveredDays), planner.DivPlaces))
	}
	line("cost_per_call", "Cost per call", "per call", true, -1, plannedCPC, cpc)
	rev := Value{}
	if haveCalls {
		rev = some(calls.Mul(ph.Inputs.RevenuePerCall))
	}
	line("revenue", "Revenue", "calls × revenue per call", true, 1, some(even(ph.Revenue)), rev)
	margin := Value{}
	if rev.Valid {
		margin = some(rev.Val.Sub(total))
	}
	line("margin", "Margin", "revenue − cost", true, 1, some(even(ph.Revenue).Sub(planned)), margin)
	nh := Value{}
	if v, ok := usageOver(u, "nodes", r, a, first, n, false); ok {
		nh = some(v.Mul(day))
	} else if h := sumDays(a.nodeHours, first, n); h.Sign() > 0 {
		nh = some(h)
	}
	line("node_hours", "Node-hours", "", false, -1, some(even(decimal.NewFromInt(ph.NodeHours))), nh)
	if nh.Valid && nh.Val.Sign() > 0 {
		gpu := decimal.Zero
		for _, k := range []string{"gpu", "committed", "spot"} {
			gpu = gpu.Add(sumDays(a.cost[k], first, n))
		}
		plannedRate := Value{}
		if ph.NodeHours > 0 {
			plannedRate = some(ph.Cost.Of(planner.CostGPU).Add(ph.Cost.Of(planner.CostCommitted)).Add(ph.Cost.Of(planner.CostSpot)).DivRound(decimal.NewFromInt(ph.NodeHours), planner.DivPlaces))
		}
		line("node_hour_price", "Node-hour price", "GPU lines ÷ node-hours", true, -1, plannedRate, some(gpu.DivRound(nh.Val, planner.DivPlaces)))
	}
	if tin, okIn := usageOver(u, "tokens_in", r, a, first, n, false); okIn && haveCalls && calls.Sign() > 0 {
		if tout, okOut := usageOver(u, "tokens_out", r, a, first, n, false); okOut {
			planned := Value{}
			if ph.TokensPerCall.Valid {
				planned = some(decimal.NewFromInt(ph.TokensPerCall.Val))
			}
			line("tokens_per_call", "Tokens a call", "input + output", false, 0, planned, some(tin.Add(tout).DivRound(calls, 1)))
		}
	}
	latency := func(key, label string, planned Value) {
		act := Value{}
		if v, ok := usageOver(u, key, r, a, first, n, true); ok {
			act = some(v)
		}
		if planned.Valid || act.Valid {
			line(key, label, "ms", false, -1, planned, act)
		}
	}
	p99 := Value{}
	if ph.Latency.Estimated && !ph.Latency.Saturated && ph.Tokens == nil {
		p99 = some(decimal.NewFromFloat(ph.Latency.P99Ms).Round(1))
	}
	latency("p99_ms", "p99, worst hour against the worst day", p99)
	ttft, tpot := Value{}, Value{}
	if t := ph.Tokens; t != nil {
		if h := t.Day.TTFTp99Hour; h >= 0 {
			ttft = some(decimal.NewFromFloat(t.Day.Hours[h].TTFTp99).Round(1))
		}
		if h := t.Day.TPOTp99Hour; h >= 0 {
			tpot = some(decimal.NewFromFloat(t.Day.Hours[h].TPOTp99).Round(2))
		}
	}
	latency("ttft_p99_ms", "TTFT p99, worst hour against the worst day", ttft)
	latency("tpot_p99_ms", "TPOT p99, worst hour against the worst day", tpot)
	return out
}

// totals sums the phases' lines that add up (costs, calls, revenue,
// node-hours); cost per call is worked from the sums.
func totals(phases []Phase) []Line {
	if len(phases) == 0 {
		return nil
	}
	var out []Line
	idx := map[string]int{}
	for _, ph := range phases {
		for _, l := range ph.Lines {
			if l.Key == "cost_per_call" || l.Key == "node_hour_price" || l.Key == "calls_per_day" || l.Key == "tokens_per_call" || l.Unit == "ms" {
				continue
			}
			i, ok := idx[l.Key]
			if !ok {
				i = len(out)
				idx[l.Key] = i
				out = append(out, Line{Key: l.Key, Label: l.Label, Unit: l.Unit, Money: l.Money, Better: l.Better, Planned: planner.Some(decimal.Zero), Actual: planner.Some(decimal.Zero)})
			}
			t := &out[i]
			t.Planned = addOpt(t.Planned, l.Planned)
			t.Actual = addOpt(t.Actual, l.Actual)
		}
	}
	// a line a phase could not give has no total; the unit figures are
	// worked from the sums
	calls, cost := lineOf(out, "calls"), lineOf(out, "total_cost")
	cpc := Line{Key: "cost_per_call", Label: "Cost per call", Unit: "per call", Money: true, Better: -1}
	if calls.Planned.Valid && calls.Planned.Val.Sign() > 0 {
		cpc.Planned = planner.Some(cost.Planned.Val.DivRound(calls.Planned.Val, planner.DivPlaces))
	}
	if calls.Actual.Valid && calls.Actual.Val.Sign() > 0 {
		cpc.Actual = planner.Some(cost.Actual.Val.DivRound(calls.Actual.Val, planner.DivPlaces))
	}
	for i, l := range out {
		if l.Key == "total_cost" {
			return append(out[:i+1], append([]Line{cpc}, out[i+1:]...)...)
		}
	}
	return out
}

func addOpt(a, b Value) Value {
	if !a.Valid || !b.Valid {
		return Value{}
	}
	return planner.Some(a.Val.Add(b.Val))
}

// days works out the cumulative chart's days and the projected break-even:
// the actuals through the last covered day, the covered phase's run-rate
// to its end, and the plan after it.
func (rep *Report) days(r *planner.Result, a *acc, u Usage, timeline []planner.Day) {
	rep.Days = make([]Day, len(timeline))
	if r.BreakEven.Date.Valid {
		rep.BreakEvenPlanned = r.BreakEven.Date
	}
	calls := u.Days["calls"]
	var rateCost, rateRev decimal.Decimal
	ratePhase := -1
	for _, ph := range rep.Phases {
		if ph.Covered < 24*ph.Days {
			cd := decimal.NewFromInt(ph.Covered).Div(day)
			rateCost = ph.RunRate
			rateRev = r.Phases[ph.Index].DailyRevenue
			if rev := lineOf(ph.Lines, "revenue").Actual; rev.Valid {
				rateRev = rev.Val.DivRound(cd, planner.DivPlaces)
			}
			ratePhase = ph.Index
		}
	}
	cumCost, cumRev := decimal.Zero, decimal.Zero
	lastBad, firstEven := int64(-1), false
	for d := range timeline {
		t := &timeline[d]
		dd := &rep.Days[d]
		dd.Date, dd.PlannedCost, dd.PlannedRevenue = t.Date, t.Cost, t.Revenue
		cost, rev := t.Cost, t.Revenue
		switch {
		case a.hours[d] > 0:
			c := a.dayCost(int64(d))
			rv := t.Revenue
			if v, ok := calls[t.Date]; ok {
				rv = v.Mul(r.Phases[t.Phase].Inputs.RevenuePerCall).Mul(decimal.NewFromInt(a.hours[d])).Div(day)
			}
			dd.ActualCost, dd.ActualRevenue = planner.Some(c), planner.Some(rv)
			cost, rev = c, rv
		case t.Phase == ratePhase:
			cost, rev = rateCost, rateRev
		}
		dd.ProjectedCost, dd.ProjectedRevenue = cost, rev
		cumCost, cumRev = cumCost.Add(cost), cumRev.Add(rev)
		dd.CumPlannedCost, dd.CumPlannedRevenue = t.CumCost, t.CumRevenue
		dd.CumCost, dd.CumRevenue, dd.Actual, dd.Hours = cumCost, cumRev, a.hours[d] > 0, a.hours[d]
		if dd.Actual {
			dd.PlannedCovered = t.Cost.Mul(decimal.NewFromInt(a.hours[d])).Div(day)
			dd.ByLine = map[string]decimal.Decimal{}
			for t, days := range a.cost {
				k := DayKey(t)
				dd.ByLine[k] = dd.ByLine[k].Add(days[d])
			}
		}
		if cumRev.Sign() > 0 && cumRev.GreaterThanOrEqual(cumCost) {
			firstEven = true
		} else {
			lastBad = int64(d)
		}
	}
	if firstEven && lastBad < int64(len(timeline))-1 {
		rep.BreakEvenProjected = planner.Some(timeline[lastBad+1].Date)
	}
}
