package planner

import (
	"github.com/shopspring/decimal"
)

// The catalogue of the model's built-in cost lines. Every face (grid, CLI
// table and JSON, workbook, Costs chart, explain, break-even, quiz) loops
// over CostLines, so a new line is its CostKey last before numCostLines and
// its entry last in CostLines (with Moves, which break-even needs), and its
// words in report/costwords.go; an input it needs is a field in
// Assumptions (plan.go), a Field (fields.go) and a grid row
// (report/lines.go). internal/arch's recipe test does exactly this on a
// copy of the source and finds the line and its input in every face.

// CostKey names one built-in cost line; it indexes Costs.Lines.
type CostKey int

const (
	CostGPU CostKey = iota
	CostStorage
	CostIOPS
	CostNetwork
	CostBatch
	CostFixed
	CostCommitted // the plan's commitments: every committed node-hour of the phase at its rate
	CostStranded  // committed node-hours after the plan's last day (the last phase carries them)
	CostSpot      // the uncommitted node-hours on spot, at its expected price
	numCostLines
)

// The design groups a cost line, a model line or a component belongs to, as
// plan files name them.
const (
	GroupIngestion = "data_ingestion"
	GroupServing   = "model_serving"
	GroupLatency   = "latency_budget"
	GroupCost      = "cost_controls"
)

// Groups lists the groups in the order a plan is reasoned about.
var Groups = []string{GroupIngestion, GroupServing, GroupLatency, GroupCost}

// GroupLabel is how people name a group.
func GroupLabel(g string) string {
	switch g {
	case GroupIngestion:
		return "Data ingestion"
	case GroupServing:
		return "Model serving"
	case GroupLatency:
		return "Latency budget"
	case GroupCost:
		return "Cost controls"
	}
	return g
}

// CostLine describes one built-in cost line.
type CostLine struct {
	Key     CostKey
	JSONKey string // its key in a result's "cost" object
	LineKey string // its model line (report.Lines, the workbook's Model row)
	Label   string
	Driver  string // how it is computed, in a few words
	// Moves says how the line moves with a phase's calls a day, which is
	// what the break-even and build-or-buy searches need (breakeven.go):
	// every line must say it, and a test fails when one does not.
	Moves Moves
	// accrued gives the line's cost in phase i at x calls a day as
	// carried + perCall·x, for a line that compute cannot give on a phase
	// alone (storage, which carries data in from earlier phases); nil for
	// the others, whose value at x is what compute (and the commitments'
	// billing) gives.
	accrued func(r *Result, i int) (carried, perCall decimal.Decimal)
	// Held marks the commitments' lines: shown only in plans that hold
	// commitments; Spot the spot line, shown only in plans that use spot.
	Held, Spot bool
	// Focus is the line's FOCUS pricing category (FinOps Open Cost and
	// Usage Specification): FocusStandard, FocusCommitted, FocusDynamic or
	// FocusOther, so a plan's costs line up with cloud bills.
	Focus string
	// Colour is the line's colour, "#rrggbb", in the app's Costs chart and
	// the workbook's chart alike.
	Colour string
	// Formula is the line as a spreadsheet formula over one phase's model
	// lines, each written {line_key}: what the workbook's Model sheet holds.
	// Empty for storage, whose accrual across phases the workbook writes
	// out in closed form, and for the commitments' lines, which sum the
	// Commitments sheet's held commitments (export/model.go).
	Formula string
	// compute works the line out from a phase whose nodes, overflow and
	// volume are known; nil for storage, which accrues across phases
	// (storage.go).
	compute func(out *PhaseResult, a *Assumptions, ph *Phase) decimal.Decimal
}

// CostLines lists the built-in cost lines in display order.
var CostLines = []CostLine{
	{Key: CostGPU, Moves: MovesWithNodes, Focus: FocusStandard, JSONKey: "gpu", LineKey: "gpu_cost", Label: "GPU", Driver: "node-hours × node price", Colour: "#4472c4", Formula: "{node_hours}*{node_hourly}",
		compute: func(out *PhaseResult, a *Assumptions, _ *Phase) decimal.Decimal {
			return decimal.NewFromInt(out.NodeHours).Mul(a.NodeHourly)
		}},
	{Key: CostStorage, Moves: MovesWithCalls, Focus: FocusStandard, JSONKey: "storage", LineKey: "storage_cost", Label: "Storage", Driver: "GB kept each day × price per GB-month", Colour: "#9e9e9e",
		accrued: func(r *Result, i int) (decimal.Decimal, decimal.Decimal) {
			return r.ledger.Linear(i, r.Phases[i].Cost.Of(CostStorage), r.Phases[i].CallsPerDay)
		}},
	{Key: CostIOPS, Moves: MovesNot, Focus: FocusStandard, JSONKey: "iops", LineKey: "iops_cost", Label: "IOPS", Driver: "provisioned IOPS × price per month", Colour: "#ffb300", Formula: "{provisioned_iops}*{iops_month}*{days}*12/365",
		compute: func(out *PhaseResult, a *Assumptions, _ *Phase) decimal.Decimal {
			return perMonth(decimal.NewFromInt(a.ProvisionedIOPS).Mul(a.IOPSMonth), decimal.NewFromInt(out.Days))
		}},
	{Key: CostNetwork, Moves: MovesWithCalls, Focus: FocusStandard, JSONKey: "network", LineKey: "network_cost", Label: "Network", Driver: "GB sent out × price per GB", Colour: "#5bc0de", Formula: "{egress_volume_gb}*{egress_gb}",
		compute: func(out *PhaseResult, a *Assumptions, _ *Phase) decimal.Decimal { return out.EgressGB.Mul(a.EgressGB) }},
	{Key: CostBatch, Moves: MovesWithOverflow, Focus: FocusStandard, JSONKey: "batch", LineKey: "batch_cost", Label: "Batch overflow", Driver: "overflow calls × batch price", Colour: "#ed7d31", Formula: "{overflow_calls}*{batch_cost_per_call}",
		compute: func(out *PhaseResult, a *Assumptions, _ *Phase) decimal.Decimal {
			return out.OverflowCalls.Mul(a.BatchCostPerCall)
		}},
	{Key: CostFixed, Moves: MovesNot, Focus: FocusOther, JSONKey: "fixed", LineKey: "fixed_cost", Label: "Fixed", Driver: "fixed per month × months, plus the one-time cost", Colour: "#70ad47", Formula: "{fixed_monthly}*{days}*12/365+{one_time}",
		compute: func(out *PhaseResult, a *Assumptions, ph *Phase) decimal.Decimal {
			return perMonth(a.FixedMonthly, decimal.NewFromInt(out.Days)).Add(ph.OneTime)
		}},
	{Key: CostCommitted, Moves: MovesWithNodes, Held: true, Focus: FocusCommitted, JSONKey: "committed", LineKey: "committed_cost", Label: "Committed GPU", Driver: "committed nodes × the term's hours in the phase × committed rate", Colour: "#1b5e20"},
	{Key: CostStranded, Moves: MovesWithNodes, Held: true, Focus: FocusCommitted, JSONKey: "stranded", LineKey: "stranded_cost", Label: "Stranded commitment", Driver: "committed node-hours after the plan's last day × committed rate", Colour: "#8d6e63"},
	{Key: CostSpot, Moves: MovesWithNodes, Spot: true, Focus: FocusDynamic, JSONKey: "spot", LineKey: "spot_cost", Label: "GPU on spot", Driver: "uncommitted node-hours × expected spot price", Colour: "#00897b"},
	// A new line goes last, as its CostKey goes last above.
}

// Moves is how a cost line moves with a phase's calls a day, other
// inputs held.
type Moves int

const (
	_                 Moves = iota // unset: a catalogue entry that forgot to say
	MovesNot                       // the same at any volume: IOPS, fixed
	MovesWithCalls                 // grows with calls a day alone: network, the phase's own stored data
	MovesWithNodes                 // grows with the nodes each hour runs, whatever they serve: GPU, spot, commitments
	MovesWithOverflow              // grows with calls beyond the hour's capacity, so it falls as nodes are added: batch
)

// FOCUS pricing categories.
const (
	FocusStandard  = "Standard"  // on-demand and list-price usage
	FocusCommitted = "Committed" // commitments: committed use, reserved, savings plans
	FocusDynamic   = "Dynamic"   // spot and other market prices
	FocusOther     = "Other"     // fixed fees that are not usage
)

// FocusCategories are the FOCUS pricing categories in the order reports
// list them.
var FocusCategories = []string{FocusStandard, FocusCommitted, FocusDynamic, FocusOther}

// ShownFor says whether the line belongs in r's views: the commitments'
// lines only when the plan holds commitments.
func (l *CostLine) ShownFor(r *Result) bool {
	return (!l.Held || r.HasCommitments()) && (!l.Spot || r.UsesSpot())
}

// ByFocus sums costs by FOCUS pricing category; the components are
// Standard.
func (c *Costs) ByFocus() map[string]decimal.Decimal {
	out := map[string]decimal.Decimal{}
	for _, f := range FocusCategories {
		out[f] = decimal.Zero
	}
	for _, l := range CostLines {
		out[l.Focus] = out[l.Focus].Add(c.Of(l.Key))
	}
	out[FocusStandard] = out[FocusStandard].Add(c.Components)
	return out
}

// Costs is a phase's (or the plan's) cost: one amount per built-in line,
// the components' sum, and the total of all of them.
type Costs struct {
	Lines      [numCostLines]decimal.Decimal
	Components decimal.Decimal // the sum of the plan's components (PhaseResult.Components)
	Total      decimal.Decimal // Σ Lines + Components
}

// Of is the cost of one built-in line.
func (c *Costs) Of(k CostKey) decimal.Decimal { return c.Lines[k] }

func zeroCosts() Costs {
	var c Costs
	for i := range c.Lines {
		c.Lines[i] = decimal.Zero
	}
	c.Components, c.Total = decimal.Zero, decimal.Zero
	return c
}

func (c Costs) plus(o Costs) Costs {
	for i := range c.Lines {
		c.Lines[i] = c.Lines[i].Add(o.Lines[i])
	}
	c.Components = c.Components.Add(o.Components)
	c.Total = c.Total.Add(o.Total)
	return c
}

// sum is Σ Lines + Components.
func (c *Costs) sum() decimal.Decimal {
	t := c.Components
	for _, v := range c.Lines {
		t = t.Add(v)
	}
	return t
}
