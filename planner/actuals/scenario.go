package actuals

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/planner"
)

// AsObserved writes what the actuals observed into plan p as the scenario
// name (docs/actuals.md), replacing a scenario of that name: each covered
// phase's calls a day; and, on every phase that runs the node type of the
// last covered phase, the node-hour price the bill shows and, when the
// usage gave the utilization, the node throughput it implies (calls ÷
// node-hours ÷ 3,600 ÷ utilization). Compare then shows the plan against
// reality, and the phases to come re-projected from it. It returns the
// plan and what it set, with the reason for each input it left alone.
func AsObserved(p planner.Plan, rep *Report, usage Usage, name string) (planner.Plan, []string, error) {
	if msg := planner.TextProblem(name); msg != "" || strings.TrimSpace(name) == "" {
		return p, nil, fmt.Errorf("the scenario's name %q: %s", name, map[bool]string{true: "is empty", false: msg}[msg == ""])
	}
	if len(rep.Phases) == 0 {
		return p, nil, fmt.Errorf("the actuals cover no phase of the plan")
	}
	q := p
	if q.ScenarioIndex(name) >= 0 {
		q = planner.DeleteScenario(q, name)
	}
	q, got, err := planner.AddScenario(q, name, "")
	if err != nil {
		return p, nil, err
	}
	var said []string
	set := func(phase int, key string, v decimal.Decimal, why string) error {
		var err error
		q, err = planner.SetScenarioInput(q, got, phase, key, v.String())
		if err != nil {
			return fmt.Errorf("%s of %s: %w", key, p.Phases[phase].Name, err)
		}
		if _, set := q.ScenarioOverrides(got)[planner.ScenarioPath(q, phase, key)]; !set {
			why = "as planned, so no override"
		}
		said = append(said, fmt.Sprintf("%s.%s = %s (%s)", p.Phases[phase].Name, key, v, why))
		return nil
	}
	for _, ph := range rep.Phases {
		if c := lineOf(ph.Lines, "calls_per_day").Actual; c.Valid {
			if err := set(ph.Index, "calls_per_day", c.Val.Round(0), "observed"); err != nil {
				return p, nil, err
			}
		} else {
			said = append(said, ph.Name+": calls a day kept (no --usage gave calls)")
		}
	}
	last := rep.Phases[len(rep.Phases)-1]
	lastNode := p.Effective(last.Index).NodeType
	price := lineOf(last.Lines, "node_hour_price").Actual
	nh := lineOf(last.Lines, "node_hours").Actual
	calls := lineOf(last.Lines, "calls").Actual
	var rps planner.Opt[decimal.Decimal]
	if util, ok := meanOver(usage, "utilization", last); ok && nh.Valid && calls.Valid && nh.Val.Sign() > 0 && util.Sign() > 0 {
		rps = planner.Some(calls.Val.DivRound(nh.Val.Mul(decimal.NewFromInt(3600)).Mul(util), 2))
	}
	for i := range p.Phases {
		if p.Effective(i).NodeType != lastNode {
			continue
		}
		if price.Valid && price.Val.Sign() > 0 {
			if err := set(i, "node_hourly", price.Val.Round(4), "the bill's GPU lines ÷ node-hours, "+last.Name); err != nil {
				return p, nil, err
			}
		}
		if rps.Valid && rps.Val.Sign() > 0 && p.Effective(i).Serving != planner.ServingTokens {
			if err := set(i, "node_rps", rps.Val, "calls ÷ node-hours ÷ utilization, "+last.Name); err != nil {
				return p, nil, err
			}
		}
	}
	if !price.Valid {
		said = append(said, "node_hourly kept: the bill gave no node-hours (no --usage nodes, no GPU rows in hours)")
	}
	if !rps.Valid {
		said = append(said, "node_rps kept: it needs calls, node-hours and --usage utilization for "+last.Name)
	}
	var files []string
	for _, f := range rep.Files {
		files = append(files, fmt.Sprintf("%s %s (SHA-256 %s, %s to %s)", f.Kind, f.Name, f.SHA256, f.First, f.Last))
	}
	notes := fmt.Sprintf("As observed: the plan's inputs set from its actuals, %s to %s (%s). Read: %s.",
		rep.From.Format("2006-01-02"), rep.Today, rep.CostKind, strings.Join(files, "; "))
	i := q.ScenarioIndex(got)
	q = q.Clone()
	q.Scenarios[i].Notes = notes
	return q, said, nil
}

// meanOver is the mean of a level figure over the phase's covered days.
func meanOver(u Usage, key string, ph Phase) (decimal.Decimal, bool) {
	vals := u.Days[key]
	sum, n := decimal.Zero, int64(0)
	for d := ph.Start; !d.After(ph.End); d = d.AddDays(1) {
		if !d.Time().Before(ph.To) || !d.AddDays(1).Time().After(ph.From) {
			continue
		}
		v, ok := vals[d]
		if !ok {
			return sum, false
		}
		sum, n = sum.Add(v), n+1
	}
	if n == 0 {
		return sum, false
	}
	return sum.DivRound(decimal.NewFromInt(n), planner.DivPlaces), true
}
