package rehearse

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/compare"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
)

// QuestionKind says how an answer is typed and compared.
type QuestionKind int

const (
	AskCount QuestionKind = iota
	AskMoney
	AskPerCall
	AskDate
)

// Question asks for an estimate of one of the engine's numbers.
type Question struct {
	Key        string // stable identifier, for scores
	Prompt     string
	Unit       string
	Kind       QuestionKind
	answer     decimal.Decimal // the engine's value (for dates, the plan day number)
	Answer     string          // the engine's value as shown
	Derivation string
	start      planner.Date // for dates: day 1 of the plan
}

// Close is how near an estimate must be to count: within 10 %.
var Close = decimal.NewFromInt(10)

// Grade is the verdict on one estimate.
type Grade struct {
	ErrorPct decimal.Decimal // |estimate − answer| / |answer| × 100
	Close    bool
	Answer   string
	Said     string // the estimate as understood
}

// Grade compares an estimate typed by a person with the engine's value.
func (q *Question) Grade(typed string) (Grade, error) {
	var est decimal.Decimal
	said := strings.TrimSpace(typed)
	if q.Kind == AskDate {
		d, err := planner.ParseDate(said)
		if err != nil {
			return Grade{}, fmt.Errorf("type a date as YYYY-MM-DD, got %q", typed)
		}
		est = decimal.NewFromInt(d.DaysSince(q.start) + 1)
	} else {
		v, ok := jsonfile.ParseAmount(said, false)
		if !ok {
			return Grade{}, fmt.Errorf("type a number (2,000,000, 2M and $0.0007 all work), got %q", typed)
		}
		est = v
	}
	g := Grade{Answer: q.Answer, Said: said}
	if q.answer.IsZero() {
		g.ErrorPct = decimal.Zero
		if !est.IsZero() {
			g.ErrorPct = decimal.NewFromInt(100)
		}
	} else {
		g.ErrorPct = est.Sub(q.answer).Abs().Mul(decimal.NewFromInt(100)).DivRound(q.answer.Abs(), 6)
	}
	g.Close = g.ErrorPct.LessThanOrEqual(Close)
	return g, nil
}

func questions(p planner.Plan, r *planner.Result) []Question {
	i := r.Busiest()
	ph := &r.Phases[i]
	qs := []Question{
		{
			Key: "nodes", Kind: AskCount, Unit: "nodes",
			Prompt: fmt.Sprintf("How many nodes does %s need at its peak (%s calls a day)?", ph.Name, count(ph.CallsPerDay)),
			answer: decimal.NewFromInt(ph.RequiredNodes), Answer: count(ph.RequiredNodes) + " nodes",
			Derivation: nodesDerivation(r, ph),
		},
		{
			Key: "monthly_cost", Kind: AskMoney, Unit: r.Currency,
			Prompt: fmt.Sprintf("What does %s cost per month?", ph.Name),
			answer: ph.MonthlyCost(), Answer: money(r, ph.MonthlyCost()),
			Derivation: fmt.Sprintf("%s over %s days (%s) × (365/12) ÷ %s days.",
				money(r, ph.Cost.Total), count(ph.Days), costParts(r, ph), count(ph.Days)),
		},
	}
	if r.Totals.CostPerCall.Valid {
		qs = append(qs, Question{
			Key: "cost_per_call", Kind: AskPerCall, Unit: r.Currency + " per call",
			Prompt: "What does one call cost across the whole plan?",
			answer: r.Totals.CostPerCall.Val, Answer: perCall(r, r.Totals.CostPerCall),
			Derivation: fmt.Sprintf("Total cost %s ÷ %s calls.", money(r, r.Totals.Cost.Total), count(r.Totals.Calls)),
		})
	}
	if r.BreakEven.Day.Valid {
		qs = append(qs, Question{
			Key: "break_even", Kind: AskDate, Unit: "date", start: r.StartDate,
			Prompt: "On what date does cumulative revenue catch up with cumulative cost?",
			answer: decimal.NewFromInt(r.BreakEven.Day.Val), Answer: fmt.Sprintf("%s (day %s)", r.BreakEven.Date.Val, count(r.BreakEven.Day.Val)),
			Derivation: fmt.Sprintf("Costs accrue evenly within each phase (one-time costs on a phase's first day), revenue at %s a call; "+
				"the running totals cross in %s on day %s. The error is counted in days against day %s.",
				format.MoneyPlacesN(p.Assumptions.RevenuePerCall, r.Currency, 4), r.Phases[r.BreakEven.Phase].Name,
				count(r.BreakEven.Day.Val), count(r.BreakEven.Day.Val)),
		})
	}
	return append(qs, scenarioQuestions(p, r)...)
}

// scenarioQuestions asks how much the cheapest scenario saves, when one
// costs less than the plan.
func scenarioQuestions(p planner.Plan, r *planner.Result) []Question {
	outs := compare.Scenarios(p, r)
	best := compare.Cheapest(outs)
	if best < 0 {
		return nil
	}
	base, c := r.Totals.Cost.Total, outs[best].Result.Totals.Cost.Total
	save := base.Sub(c)
	if save.Sign() <= 0 {
		return nil
	}
	return []Question{{
		Key: "scenario_saving", Kind: AskMoney, Unit: r.Currency,
		Prompt: fmt.Sprintf("Of the plan's scenarios, %q costs the least. How much less than the plan does it cost over the whole plan?", outs[best].Name),
		answer: save, Answer: money(r, save),
		Derivation: fmt.Sprintf("The plan's total %s − the scenario's %s = %s.", money(r, base), money(r, c), money(r, save)),
	}}
}

// nodesDerivation works the nodes answer the way the model does: the
// utilization count first, then whichever bound set the answer.
func nodesDerivation(r *planner.Result, ph *planner.PhaseResult) string {
	a := &ph.Inputs
	u := ph.PlannedNodeRPS
	s := fmt.Sprintf("%s calls/day ÷ 86,400 = %s req/s on average; × %s at the %02d:00 peak = %s req/s; "+
		"each node is planned to carry %s × %s = %s req/s; %s ÷ %s rounded up, and at least %s (min_nodes): %s.",
		count(ph.CallsPerDay), format.Decimal(ph.AvgRPS, 3), format.Decimal(ph.PeakFactor(), 2), ph.PeakHour, format.Decimal(ph.PeakRPS, 3),
		format.Trim(ph.EffectiveNodeRPS), format.Percent(a.TargetUtilization, 0), format.Trim(u), format.Decimal(ph.PeakRPS, 3), format.Trim(u),
		count(a.MinNodes), count(ph.RequiredNodesUtilization))
	if ph.SizingBound == planner.BoundP99 {
		s += fmt.Sprintf(" That many nodes would miss the %s ms p99 target at the peak, so the queueing model (Latency tab) adds nodes "+
			"until the hour's p99 fits: %s.", format.Trim(r.SLO.P99Ms.Val), count(ph.RequiredNodes))
	}
	return s
}

// Record is one graded answer as kept in preferences: "date,key,errorPct".
func Record(date planner.Date, q *Question, g Grade) string {
	return fmt.Sprintf("%s,%s,%s", date, q.Key, g.ErrorPct.Round(2).String())
}

// Progress summarises the kept records of a plan.
type Progress struct {
	Answered, Close int
	Sessions        int // distinct days with answers
}

// Summarize reads records written by Record; malformed ones are skipped.
func Summarize(records []string) Progress {
	var p Progress
	days := map[string]bool{}
	for _, rec := range records {
		f := strings.Split(rec, ",")
		if len(f) != 3 {
			continue
		}
		pct, err := decimal.NewFromString(f[2])
		if err != nil {
			continue
		}
		p.Answered++
		if pct.LessThanOrEqual(Close) {
			p.Close++
		}
		days[f[0]] = true
	}
	p.Sessions = len(days)
	return p
}

// String says the progress in words.
func (p Progress) String() string {
	if p.Answered == 0 {
		return "No answers yet for this plan."
	}
	return fmt.Sprintf("%d of %d answers within %s %% over %d session(s).", p.Close, p.Answered, Close, p.Sessions)
}

// costParts names what a phase's cost is made of: each built-in line of
// the catalogue, then the components together.
func costParts(r *planner.Result, ph *planner.PhaseResult) string {
	var parts []string
	for _, l := range planner.CostLines {
		label := l.Label
		if len(label) > 1 && strings.ToLower(label[1:2]) == label[1:2] { // "Storage" → "storage", "GPU" stays
			label = strings.ToLower(label[:1]) + label[1:]
		}
		parts = append(parts, label+" "+money(r, ph.Cost.Of(l.Key)))
	}
	if len(ph.Components) > 0 {
		parts = append(parts, "components "+money(r, ph.Cost.Components))
	}
	return strings.Join(parts, ", ")
}
