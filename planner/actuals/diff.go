package actuals

import (
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/compare"
)

// Diff is the report as a diff with the plan as A and the actuals as B,
// so --fail-on reads it with diff's grammar (total_cost>+10%).
func (r *Report) Diff() compare.Diff {
	d := compare.Diff{NameA: r.Plan, NameB: "actuals", Currency: r.Currency, Totals: lines(r.Totals)}
	for _, ph := range r.Phases {
		d.Phases = append(d.Phases, compare.PhaseDiff{Name: ph.Name, A: ph.Index, B: ph.Index, Lines: lines(ph.Lines)})
	}
	return d
}

func lines(ls []Line) []compare.Line {
	out := make([]compare.Line, len(ls))
	for i, l := range ls {
		out[i] = compare.Line{Key: l.Key, Label: l.Label, Unit: l.Unit, Money: l.Money, Better: l.Better, A: l.Planned, B: l.Actual}
	}
	return out
}

// LineKeys are the keys of the lines a comparison of plan p can have,
// which --fail-on may name.
func LineKeys(p *planner.Plan) []string {
	out := []string{"calls_per_day", "calls"}
	for _, l := range planner.CostLines {
		out = append(out, l.JSONKey)
	}
	for _, c := range p.Components {
		out = append(out, "components["+c.Name+"]")
	}
	return append(out, "components", "unmapped", "total_cost", "cost_per_call", "revenue", "margin", "node_hours", "node_hour_price", "tokens_per_call", "p99_ms", "ttft_p99_ms", "tpot_p99_ms")
}
