// Package rehearse turns a plan and its computed Result into a presentation
// a person can rehearse: the goal, each phase, the cost controls and the
// trade-offs, each step with its figures and a talk track framed as a
// hypothesis, the metric that tests it, the trade-off and the execution
// plan; and a quiz that asks for an estimate before revealing the engine's
// value. Every figure is read from planner results; nothing here computes
// the model.
package rehearse

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/compare"
	"github.com/scaleplan/scaleplan/report"
)

// Sections of a presentation, in order.
const (
	SectionGoal   = "Goal"
	SectionPhases = "Phases"
	SectionCost   = "Cost controls"
	SectionTrade  = "Trade-offs"
	SectionScen   = "Scenarios"
)

// share of the total time each section is paced to; a plan with scenarios
// gives them a tenth, from the phases and the trade-offs.
var (
	share          = map[string]float64{SectionGoal: 0.10, SectionPhases: 0.55, SectionCost: 0.15, SectionTrade: 0.20}
	shareScenarios = map[string]float64{SectionGoal: 0.10, SectionPhases: 0.50, SectionCost: 0.15, SectionTrade: 0.15, SectionScen: 0.10}
)

// Figure is one number on a step, already written for people.
type Figure struct {
	Label, Value string
}

// Talk is a step's talk track.
type Talk struct {
	Hypothesis, Metric, TradeOff, Execution string
}

// Step is one screen of the presentation.
type Step struct {
	Section string
	Title   string
	Sub     string
	Figures []Figure
	Talk    Talk
	Notes   string // the plan's or the phase's notes, shown as speaker notes
	Phase   int    // the phase presented, or -1
	Budget  time.Duration
}

// Deck is a plan ready to present.
type Deck struct {
	Name      string
	Steps     []Step
	Total     time.Duration
	Questions []Question
	hasRisk   bool // AddRisk has stated a risk run's odds
}

// DefaultTotal is the time a rehearsal is paced to unless the person sets
// another: a system-design interview's hour.
const DefaultTotal = 60 * time.Minute

// Incomplete lists what a plan lacks to be presented.
type Incomplete []string

func (e Incomplete) Error() string {
	return "this plan is too incomplete to present: " + strings.Join(e, "; ")
}

// Build lays out the presentation of p, computed as r, paced to total.
func Build(p planner.Plan, r *planner.Result, total time.Duration) (*Deck, error) {
	if missing := missing(p, r); len(missing) > 0 {
		return nil, missing
	}
	if total <= 0 {
		total = DefaultTotal
	}
	d := &Deck{Name: p.Name, Total: total}
	d.Steps = append(d.Steps, goal(p, r))
	for i := range r.Phases {
		d.Steps = append(d.Steps, phase(p, r, i))
	}
	d.Steps = append(d.Steps, costControls(p, r), tradeOffs(p, r))
	if s, ok := scenarios(p, r); ok {
		d.Steps = append(d.Steps, s)
	}
	counts := map[string]int{}
	for _, s := range d.Steps {
		counts[s.Section]++
	}
	shares := share
	if counts[SectionScen] > 0 {
		shares = shareScenarios
	}
	for i := range d.Steps {
		s := &d.Steps[i]
		s.Budget = time.Duration(float64(total) * shares[s.Section] / float64(counts[s.Section])).Round(time.Second)
	}
	d.Questions = questions(p, r)
	return d, nil
}

// SectionBudget is the time paced for a whole section.
func (d *Deck) SectionBudget(section string) time.Duration {
	var t time.Duration
	for _, s := range d.Steps {
		if s.Section == section {
			t += s.Budget
		}
	}
	return t
}

func missing(p planner.Plan, r *planner.Result) Incomplete {
	var out Incomplete
	calls := false
	for _, ph := range r.Phases {
		calls = calls || ph.Calls > 0
	}
	if !calls {
		out = append(out, "no phase has any calls per day")
	}
	if p.Assumptions.NodeHourly.IsZero() {
		out = append(out, "the node price (node_hourly) is 0, so there is no cost to explain")
	}
	return out
}

func money(r *planner.Result, d decimal.Decimal) string { return format.Money(d, r.Currency) }

func perCall(r *planner.Result, o planner.Opt[decimal.Decimal]) string {
	if !o.Valid {
		return format.None
	}
	return format.MoneyPlacesN(o.Val, r.Currency, format.CostPerCallPlaces)
}

func count(n int64) string { return format.Count(n) }

func compact(n int64) string { return format.Compact(decimal.NewFromInt(n)) }

func breakEven(r *planner.Result) string {
	if !r.BreakEven.Day.Valid {
		return "not within the plan"
	}
	return fmt.Sprintf("day %s (%s)", count(r.BreakEven.Day.Val), r.BreakEven.Date.Val)
}

func checksSummary(r *planner.Result) (failing, total int) {
	for _, ph := range r.Phases {
		total += len(ph.Checks)
		failing += len(ph.FailedChecks())
	}
	return
}

func goal(p planner.Plan, r *planner.Result) Step {
	first, big := &r.Phases[0], &r.Phases[r.Busiest()]
	failing, total := checksSummary(r)
	s := Step{
		Section: SectionGoal, Phase: -1,
		Title: fmt.Sprintf("Goal: %s calls a day by %s", compact(big.CallsPerDay), big.StartDate),
		Sub:   fmt.Sprintf("%s · %d phases · %s → %s", p.Name, len(r.Phases), r.StartDate, r.EndDate),
		Figures: []Figure{
			{"Today", count(first.CallsPerDay) + " calls/day (" + first.Name + ")"},
			{"Target", count(big.CallsPerDay) + " calls/day (" + big.Name + ", from " + big.StartDate.String() + ")"},
			{"Plan", fmt.Sprintf("%s days, %s → %s", count(r.Days), r.StartDate, r.EndDate)},
			{"Total cost", money(r, r.Totals.Cost.Total)},
			{"Cost per call", perCall(r, r.Totals.CostPerCall)},
			{"Break-even", breakEven(r)},
		},
		Notes: p.Notes,
	}
	s.Talk = Talk{
		Hypothesis: fmt.Sprintf("We can grow from %s to %s calls a day over %s days for %s in all, %s a call.",
			compact(first.CallsPerDay), compact(big.CallsPerDay), count(r.Days), money(r, r.Totals.Cost.Total), perCall(r, r.Totals.CostPerCall)),
		Metric: "Cost per call against the ceiling, GPU utilization against its floor, and calls overflowing to batch, phase by phase.",
		TradeOff: fmt.Sprintf("%d of %d checks pass as planned; the phases that fail say why and what fixing them would cost.",
			total-failing, total),
		Execution: fmt.Sprintf("%d phases back to back from %s; each has a date by which its fleet must be ready.", len(r.Phases), r.StartDate),
	}
	if p.SLO.MaxCostPerCall.Valid {
		s.Figures = append(s.Figures, Figure{"Cost ceiling", format.MoneyPlacesN(p.SLO.MaxCostPerCall.Val, r.Currency, format.CostPerCallPlaces) + " a call"})
	}
	return s
}

var scalingWords = map[planner.Scaling]string{
	planner.Fixed:      "A fixed fleet",
	planner.Autoscale:  "Autoscaling on the previous hour's load",
	planner.Predictive: "Provisioning each hour ahead from the forecast",
}

func phase(p planner.Plan, r *planner.Result, i int) Step {
	ph := &r.Phases[i]
	nodes := count(ph.Nodes) + " nodes"
	if ph.NodesAuto {
		nodes += " (sized automatically)"
	}
	s := Step{
		Section: SectionPhases, Phase: i,
		Title: fmt.Sprintf("%s · %s calls a day", ph.Name, compact(ph.CallsPerDay)),
		Sub:   fmt.Sprintf("%s → %s · %s days", ph.StartDate, ph.EndDate, count(ph.Days)),
		Figures: []Figure{
			{"Volume", count(ph.CallsPerDay) + " calls/day, peak " + format.Decimal(ph.PeakRPS, format.RPSPlaces) + fmt.Sprintf(" req/s at %02d:00", ph.PeakHour)},
			{"Fleet", fmt.Sprintf("%s, %s", nodes, ph.Scaling)},
			{"Sizing", sizing(ph)},
			{"Cost", fmt.Sprintf("%s, %s a call", money(r, ph.Cost.Total), perCall(r, ph.CostPerCall))},
		},
		Notes: p.Phases[i].Notes,
	}
	if l := &ph.Latency; l.Estimated {
		w := l.Worst()
		v := fmt.Sprintf("saturated at %02d:00: the queue grows without bound", l.Hour)
		if !l.Saturated {
			v = fmt.Sprintf("p99 %s ms in the worst hour, %02d:00, with %s (%s ms of it the wait's p99)",
				ms(l.P99Ms), l.Hour, format.Nodes(w.Nodes), ms(w.QueueP99Ms))
		}
		if !l.DaySaturated {
			v += fmt.Sprintf("; over the day p50 %s ms, p99 %s ms", ms(l.P50Ms), ms(l.P99DayMs))
		}
		s.Figures = append(s.Figures, Figure{"Latency", v})
	}
	for _, c := range ph.Checks {
		mark := "✓ "
		if !c.OK {
			mark = "✗ "
		}
		s.Figures = append(s.Figures, Figure{"Check", mark + report.CheckDetail(c)})
	}
	if i > 0 {
		prev := &r.Phases[i-1]
		s.Figures = append(s.Figures, Figure{"Changes", fmt.Sprintf("calls/day %s → %s; nodes %s → %s; %s → %s; cost per call %s → %s",
			count(prev.CallsPerDay), count(ph.CallsPerDay), count(prev.Nodes), count(ph.Nodes), prev.Scaling, ph.Scaling,
			perCall(r, prev.CostPerCall), perCall(r, ph.CostPerCall))})
	}
	util := format.None
	if ph.AvgUtilization.Valid {
		util = format.Percent(ph.AvgUtilization.Val, 1)
	}
	share := "no calls"
	if ph.OverflowShare.Valid {
		share = format.Percent(ph.OverflowShare.Val, 2) + " of calls"
	}
	s.Talk = Talk{
		Hypothesis: fmt.Sprintf("%s carries %s calls a day on at most %s.", scalingWords[ph.Scaling], count(ph.CallsPerDay), nodes),
		Metric:     fmt.Sprintf("Average GPU utilization %s; overflow to batch %s (%s calls).", util, share, format.Compact(ph.OverflowCalls)),
		TradeOff:   scalingTradeOff(p, r, i),
		Execution:  fmt.Sprintf("Have %s ready by %s.", format.Nodes(ph.Nodes), ph.StartDate),
	}
	if !ph.OneTime.IsZero() {
		s.Talk.Execution += fmt.Sprintf(" The one-time %s lands that day.", money(r, ph.OneTime))
	}
	return s
}

func ms(x float64) string { return format.Decimal(decimal.NewFromFloat(x), 1) }

// sizing says how many nodes the peak needs and which constraint decides it.
func sizing(ph *planner.PhaseResult) string {
	s := fmt.Sprintf("%s needed at the peak: %s for the utilization target", format.Nodes(ph.RequiredNodes), count(ph.RequiredNodesUtilization))
	if ph.RequiredNodesP99.Valid {
		s += fmt.Sprintf(", %s for the p99 target", count(ph.RequiredNodesP99.Val))
	}
	if ph.SizingNote != "" {
		s += "; " + ph.SizingNote
	}
	return s
}

func scalingTradeOff(p planner.Plan, r *planner.Result, i int) string {
	ph := &r.Phases[i]
	alt := compare.ScalingAlternatives(r, p, i)
	var parts []string
	for _, sc := range planner.Scalings {
		if sc == ph.Scaling {
			continue
		}
		a := alt[sc]
		parts = append(parts, fmt.Sprintf("%s would cost %s with %s calls to batch", sc, money(r, a.Cost.Total), format.Compact(a.OverflowCalls)))
	}
	return fmt.Sprintf("This plan: %s with %s calls to batch. Same ceiling, %s.", money(r, ph.Cost.Total), format.Compact(ph.OverflowCalls), strings.Join(parts, "; "))
}

func costControls(p planner.Plan, r *planner.Result) Step {
	s := Step{Section: SectionCost, Phase: -1, Title: "Cost controls", Sub: "ceiling, overflow to batch, break-even"}
	worst := -1
	for i, ph := range r.Phases {
		if ph.CostPerCall.Valid && (worst < 0 || ph.CostPerCall.Val.GreaterThan(r.Phases[worst].CostPerCall.Val)) {
			worst = i
		}
	}
	if p.SLO.MaxCostPerCall.Valid {
		s.Figures = append(s.Figures, Figure{"Ceiling", format.MoneyPlacesN(p.SLO.MaxCostPerCall.Val, r.Currency, format.CostPerCallPlaces) + " a call"})
	}
	if worst >= 0 {
		s.Figures = append(s.Figures, Figure{"Highest cost per call", perCall(r, r.Phases[worst].CostPerCall) + " (" + r.Phases[worst].Name + ")"})
	}
	s.Figures = append(s.Figures,
		Figure{"Overflow to batch", fmt.Sprintf("%s calls, %s", format.Compact(r.Totals.OverflowCalls), money(r, r.Totals.Cost.Of(planner.CostBatch)))},
		Figure{"Revenue", money(r, r.Totals.Revenue) + ", margin " + money(r, r.Totals.Margin)},
		Figure{"Break-even", breakEven(r)},
	)
	if big := r.LargestComponents(3); len(big) > 0 {
		var parts []string
		for _, k := range big {
			parts = append(parts, k.Name+" "+money(r, k.Cost))
		}
		s.Figures = append(s.Figures, Figure{"Largest components", strings.Join(parts, " · ")})
		s.Sub += ", the design's components"
	}
	for _, ph := range r.Phases {
		v := format.None
		if ph.BreakEvenCallsPerDay.Valid {
			v = count(ph.BreakEvenCallsPerDay.Val) + " calls/day"
		}
		s.Figures = append(s.Figures, Figure{"Break-even volume · " + ph.Name, v})
	}
	rev := format.MoneyPlacesN(p.Assumptions.RevenuePerCall, r.Currency, 4)
	if r.BreakEven.Day.Valid {
		s.Talk.Hypothesis = fmt.Sprintf("At %s a call, revenue covers every cost to date from %s.", rev, breakEven(r))
	} else {
		s.Talk.Hypothesis = fmt.Sprintf("At %s a call, revenue does not catch up with cost within the plan.", rev)
	}
	s.Talk.Metric = "Cumulative revenue against cumulative cost, day by day; cost per call against the ceiling."
	s.Talk.TradeOff = fmt.Sprintf("Batch absorbs %s calls for %s rather than adding nodes for the busiest hours.",
		format.Compact(r.Totals.OverflowCalls), money(r, r.Totals.Cost.Of(planner.CostBatch)))
	s.Talk.Execution = "Review cost per call and overflow weekly; a phase whose volume falls below its break-even volume loses money every day."
	if big := r.LargestComponents(1); len(big) > 0 {
		s.Talk.TradeOff += fmt.Sprintf(" Of the design's components, %s costs the most: %s over the plan, %s of the total.",
			big[0].Name, money(r, big[0].Cost), format.Percent(big[0].Cost.DivRound(r.Totals.Cost.Total, 6), 1))
	}
	return s
}

func tradeOffs(p planner.Plan, r *planner.Result) Step {
	i := r.Busiest()
	ph := &r.Phases[i]
	alt := compare.ScalingAlternatives(r, p, i)
	s := Step{Section: SectionTrade, Phase: i, Title: "Trade-offs: how " + ph.Name + " scales",
		Sub: "the same phase under each scaling mode, same node ceiling"}
	cheapest := planner.Scaling("")
	for _, sc := range planner.Scalings {
		a := alt[sc]
		s.Figures = append(s.Figures, Figure{string(sc), fmt.Sprintf("%s · %s node-hours · %s calls to batch · %s a call",
			money(r, a.Cost.Total), count(a.NodeHours), format.Compact(a.OverflowCalls), perCall(r, a.CostPerCall))})
		if a.OverflowCalls.IsZero() && (cheapest == "" || a.Cost.Total.LessThan(alt[cheapest].Cost.Total)) {
			cheapest = sc
		}
	}
	if cheapest != "" {
		s.Talk.Hypothesis = fmt.Sprintf("%s is the cheapest way to serve %s with nothing overflowing: %s.", cheapest, ph.Name, money(r, alt[cheapest].Cost.Total))
	} else {
		s.Talk.Hypothesis = fmt.Sprintf("At %s every mode overflows at %s's peak: the ceiling, not the scaler, is the limit.", format.Nodes(ph.Nodes), ph.Name)
	}
	s.Talk.Metric = "Node-hours billed and calls sent to batch."
	s.Talk.TradeOff = "Fixed fleets are simplest and never lag; scalers bill fewer node-hours but depend on the forecast (predictive) or trail the ramp (autoscale)."
	s.Talk.Execution = "Choose the scaling mode per phase in the plan; the checks show what each choice costs in overflow and utilization."
	if cmp := compare.VariantsIn(p, r, i); len(cmp.Variants) > 0 {
		for _, v := range cmp.Variants {
			label := "Variant " + v.Name
			if v.Chosen {
				label += " (chosen)"
			}
			util := format.None
			if v.Phase.AvgUtilization.Valid {
				util = format.Percent(v.Phase.AvgUtilization.Val, 1)
			}
			s.Figures = append(s.Figures, Figure{label, fmt.Sprintf("accuracy %s · %s · %s · utilization %s · GPU %s · total %s · %s",
				format.Percent(v.Accuracy, 1), format.Nodes(v.Phase.Nodes), v.LatencyWords(), util, money(r, v.Phase.Cost.Of(planner.CostGPU)), money(r, v.Phase.Cost.Total), v.Standing())})
		}
		s.Talk.Execution = format.Capitalize(cmp.Verdict) + "."
		for _, h := range cmp.Hypotheses() {
			s.Figures = append(s.Figures, Figure{"Hypothesis", h.Words})
		}
		s.Sub += "; and each model variant, sized to its own needs"
	}
	return s
}

// scenarios walks the plan's scenarios: each one's figures against the
// plan, its hypothesis (its notes), and what the cheapest one trades.
func scenarios(p planner.Plan, r *planner.Result) (Step, bool) {
	outs := compare.Scenarios(p, r)
	if len(outs) < 2 {
		return Step{}, false
	}
	s := Step{Section: SectionScen, Phase: -1, Title: "Scenarios", Sub: "the alternatives kept in the plan, against the plan itself"}
	base := &outs[0]
	var notes []string
	for k := 1; k < len(outs); k++ {
		o := &outs[k]
		if o.Err != nil {
			s.Figures = append(s.Figures, Figure{o.Name, "does not apply: " + o.Err.Error()})
			continue
		}
		total := o.Diff.Total("total_cost")
		s.Figures = append(s.Figures, Figure{o.Name, fmt.Sprintf("%s (%s, %s) · %s a call · %d of %d checks pass · break-even %s",
			money(r, total.B.Val), signedMoney(r, total.Delta().Val), signedPct(total.DeltaPct()), perCall(r, o.Result.Totals.CostPerCall),
			o.Pass, o.Checks, report.BreakEvenDay(o.Result.BreakEven))})
		if p.Scenarios[k-1].Notes != "" {
			notes = append(notes, o.Name+": "+p.Scenarios[k-1].Notes)
		}
	}
	s.Notes = strings.Join(notes, "\n\n")
	s.Talk.Hypothesis = "Each scenario states its own hypothesis (speaker notes); the figures say whether it holds."
	s.Talk.Metric = "Total cost and cost per call against the plan, and how many of the checks still pass."
	if cheapest := compare.Cheapest(outs); cheapest > 0 {
		c := &outs[cheapest]
		total := c.Diff.Total("total_cost")
		save := total.Delta().Val.Neg()
		trade := "and passes as many checks"
		if d := c.Pass - base.Pass; d < 0 {
			trade = "but passes " + format.Plural(int64(-d), "fewer check", "fewer checks")
		} else if d > 0 {
			trade = "and passes " + format.Plural(int64(d), "more check", "more checks")
		}
		if save.Sign() > 0 {
			s.Talk.TradeOff = fmt.Sprintf("%s is the cheapest: %s less over the plan (%s), %s.", c.Name, money(r, save), signedPct(total.DeltaPct()), trade)
		} else {
			s.Talk.TradeOff = "No scenario costs less than the plan itself."
		}
	}
	s.Talk.Execution = "Keep the alternatives in the plan; scaleplan diff PLAN --scenario NAME lists every line each one moves."
	return s, true
}

func signedMoney(r *planner.Result, d decimal.Decimal) string {
	if d.Sign() > 0 {
		return "+" + money(r, d)
	}
	return money(r, d)
}

// signedPct writes a relative change in per cent with its sign.
func signedPct(o planner.Opt[decimal.Decimal]) string {
	if !o.Valid {
		return format.None
	}
	s := format.Decimal(o.Val, 1) + " %"
	if o.Val.Round(1).Sign() > 0 {
		s = "+" + s
	}
	return s
}
