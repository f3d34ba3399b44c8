package rehearse

import (
	"fmt"
	"math"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner/risk"
	"github.com/scaleplan/scaleplan/report"
)

// AddRisk states a risk run's odds in the goal step and adds a quiz
// question on its P90 total cost: what a plan whose inputs are ranges
// should be presented with. A deck without a run has neither.
func (d *Deck) AddRisk(rr *risk.Result, currency string) {
	if rr == nil || len(d.Steps) == 0 || d.hasRisk {
		return
	}
	d.hasRisk = true
	g := &d.Steps[0]
	p90 := rr.Totals.TotalCost.P90
	p90Text := report.RiskValue(p90, risk.UnitMoney, currency)
	var odds []string
	for _, o := range rr.OddsList(currency) {
		if o.Asked {
			odds = append(odds, fmt.Sprintf("P(%s) = %s", o.Event, format.Percent(decimal.NewFromFloat(o.P.Val), 1)))
		}
	}
	g.Figures = append(g.Figures, Figure{"P90 total cost", p90Text})
	for _, o := range odds {
		label, value, _ := strings.Cut(o, " = ")
		g.Figures = append(g.Figures, Figure{label, value})
	}
	g.Talk.Hypothesis += fmt.Sprintf(" With the inputs we are least sure of as ranges, %s draws put total cost at or under %s nine times in ten",
		format.Count(int64(rr.Draws)), p90Text)
	if len(odds) > 0 {
		g.Talk.Hypothesis += "; " + strings.Join(odds, "; ")
	}
	g.Talk.Hypothesis += "."
	if !math.IsNaN(p90) && !math.IsInf(p90, 0) { // a P90 that exists can be asked
		d.Questions = append(d.Questions, Question{
			Key: "p90_total_cost", Kind: AskMoney, Unit: currency,
			Prompt: "The plan's least certain inputs are ranges. What total cost does it come in at or under nine times in ten (its P90)?",
			answer: decimal.NewFromFloat(p90).Round(2), Answer: p90Text,
			Derivation: fmt.Sprintf("%s draws (seed %d) of the plan's %s, each computed in full; the 90th percentile of their total costs (PERCENTILE.INC) is %s. The median draw costs %s.",
				format.Count(int64(rr.Draws)), rr.Seed, format.Plural(int64(len(rr.Inputs)), "uncertain input", "uncertain inputs"),
				p90Text, report.RiskValue(rr.Totals.TotalCost.P50, risk.UnitMoney, currency)),
		})
	}
}
