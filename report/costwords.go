package report

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
)

// CostWords says how a built-in cost line's cost in phase p came about,
// with its numbers: one entry a line of planner.CostLines (a test fails
// when one has none).
func CostWords(k planner.CostKey, p *planner.PhaseResult, cur string) string {
	return costLineWords[k](p, cur)
}

var costLineWords = map[planner.CostKey]func(p *planner.PhaseResult, cur string) string{
	planner.CostGPU: func(p *planner.PhaseResult, cur string) string {
		if p.CoveredNodeHours > 0 {
			return fmt.Sprintf("GPU on demand %s = (%s node-hours − %s that commitments serve) × %s", format.Money(p.Cost.Of(planner.CostGPU), cur),
				format.Count(p.NodeHours), format.Count(p.CoveredNodeHours), format.UnitPrice(p.Inputs.NodeHourly, cur))
		}
		return fmt.Sprintf("GPU %s = %s node-hours × %s", format.Money(p.Cost.Of(planner.CostGPU), cur), format.Count(p.NodeHours), format.UnitPrice(p.Inputs.NodeHourly, cur))
	},
	planner.CostStorage: func(p *planner.PhaseResult, cur string) string {
		return fmt.Sprintf("storage %s for data kept %s days (%s GB on the last day) at %s per GB-month",
			format.Money(p.Cost.Of(planner.CostStorage), cur), format.Count(p.Inputs.RetentionDays), format.Decimal(p.StoredGB, 1), format.UnitPrice(p.Inputs.StorageGBMonth, cur))
	},
	planner.CostIOPS: func(p *planner.PhaseResult, cur string) string {
		return fmt.Sprintf("IOPS %s = %s IOPS × %s a month", format.Money(p.Cost.Of(planner.CostIOPS), cur), format.Count(p.Inputs.ProvisionedIOPS), format.UnitPrice(p.Inputs.IOPSMonth, cur))
	},
	planner.CostNetwork: func(p *planner.PhaseResult, cur string) string {
		return fmt.Sprintf("network %s = %s GB out × %s", format.Money(p.Cost.Of(planner.CostNetwork), cur), format.Decimal(p.EgressGB, 1), format.UnitPrice(p.Inputs.EgressGB, cur))
	},
	planner.CostBatch: func(p *planner.PhaseResult, cur string) string {
		return fmt.Sprintf("batch %s for %s overflow calls at %s", format.Money(p.Cost.Of(planner.CostBatch), cur), format.Decimal(p.OverflowCalls, 0), format.UnitPrice(p.Inputs.BatchCostPerCall, cur))
	},
	planner.CostFixed: func(p *planner.PhaseResult, cur string) string {
		s := fmt.Sprintf("fixed %s = %s a month", format.Money(p.Cost.Of(planner.CostFixed), cur), format.Money(p.Inputs.FixedMonthly, cur))
		if !p.OneTime.IsZero() {
			s += fmt.Sprintf(", plus %s once", format.Money(p.OneTime, cur))
		}
		return s
	},
	planner.CostCommitted: func(p *planner.PhaseResult, cur string) string {
		return fmt.Sprintf("committed GPU %s: the commitments' nodes for every hour of their terms in the phase, used or not", format.Money(p.Cost.Of(planner.CostCommitted), cur))
	},
	planner.CostStranded: func(p *planner.PhaseResult, cur string) string {
		return fmt.Sprintf("stranded %s: committed node-hours after the plan's last day, which nothing in the plan uses", format.Money(p.Cost.Of(planner.CostStranded), cur))
	},
	planner.CostSpot: func(p *planner.PhaseResult, cur string) string {
		a := &p.Inputs
		return fmt.Sprintf("GPU on spot %s = %s node-hours × ((1 − %s) × %s + %s × %s), interruptions rerun on demand — not latency-safe: an interruption is a latency spike",
			format.Money(p.Cost.Of(planner.CostSpot), cur), format.Count(p.NodeHours-p.CoveredNodeHours), format.Trim(a.SpotInterruption),
			format.UnitPrice(a.SpotHourly, cur), format.Trim(a.SpotInterruption), format.UnitPrice(a.NodeHourly, cur))
	},
}

// componentColours are the colours of components in a cost chart, in plan
// order, chosen apart from the built-in lines'.
var componentColours = []string{"#a05195", "#d45087", "#8c564b", "#665191", "#bcbd22", "#1f6f6f"}

// componentsColour is the one stack all components share when there are
// more than componentColours.
const componentsColour = "#a05195"

// ChartPart is one stack of a cost chart: a built-in line, one component,
// or every component together.
type ChartPart struct {
	Label  string
	Colour string // "#rrggbb"
	Of     func(ph *planner.PhaseResult) decimal.Decimal
	// What it stacks: Component is j+1 for the plan's component j, −1 for
	// every component together, and 0 for the built-in line Line.
	Line      planner.CostKey
	Component int
}

// ChartParts lists the stacks of r's cost chart, bottom up: the built-in
// lines, then each component, or a single "Components" stack when there are
// more components than colours to tell them apart. Their values add up to
// each phase's total.
func ChartParts(r *planner.Result) []ChartPart {
	out := make([]ChartPart, 0, len(planner.CostLines)+len(componentColours))
	for _, l := range planner.CostLines {
		if !l.ShownFor(r) {
			continue
		}
		k := l.Key
		out = append(out, ChartPart{Label: l.Label, Colour: l.Colour, Line: k, Of: func(ph *planner.PhaseResult) decimal.Decimal { return ph.Cost.Of(k) }})
	}
	n := 0
	if len(r.Phases) > 0 {
		n = len(r.Phases[0].Components)
	}
	if n > len(componentColours) {
		return append(out, ChartPart{Label: "Components", Colour: componentsColour, Component: -1,
			Of: func(ph *planner.PhaseResult) decimal.Decimal { return ph.Cost.Components }})
	}
	for j := 0; j < n; j++ {
		out = append(out, ChartPart{Label: r.Phases[0].Components[j].Name, Colour: componentColours[j], Component: j + 1,
			Of: func(ph *planner.PhaseResult) decimal.Decimal { return ph.Components[j].Cost }})
	}
	return out
}
