package planner

import (
	"sort"

	"github.com/shopspring/decimal"
)

// Result is everything the model says about a plan. Values are exact (money
// is never rounded here); format rounds them for people.
type Result struct {
	Name      string
	Currency  string
	StartDate Date
	EndDate   Date  // the plan's last day
	Days      int64 // total days of all phases
	SLO       SLO   // the objectives the checks test against
	Phases    []PhaseResult
	Totals    Totals
	BreakEven BreakEven
	Prices    []PriceRef // the node prices the plan cites from price books, with their dates and sources

	held   []heldTerm // the plan's commitments as billed (held.go)
	ledger *ledger    // the plan's writes, for each day's storage cost
	plan   *Plan      // the plan computed, for its components
	cache  *Cache     // the latency figures it was computed with, for its what-ifs
	stores []*ledger  // per component: its stored data (per_gb_stored), else nil
}

// PhaseResult is the model's answer for one phase.
type PhaseResult struct {
	Index       int
	Name        string
	Scaling     Scaling
	FirstDay    int64 // plan day number of the phase's first day (day 1 is start_date)
	StartDate   Date
	EndDate     Date // the phase's last day
	Days        int64
	Inputs      Assumptions // the assumptions in effect: plan defaults, the variant's figures, then overrides
	VariantName string      // the model variant the phase runs, "" for none
	OneTime     decimal.Decimal

	CallsPerDay   int64
	Calls         int64           // calls_per_day × days
	AvgRPS        decimal.Decimal // calls_per_day / 86,400
	PeakRPS       decimal.Decimal // the busiest hour's rate
	PeakHour      int             // the first hour with the peak rate
	WrittenPerDay decimal.Decimal // bytes kept per day of calls: calls_per_day × stored_bytes_per_call
	StoredGB      decimal.Decimal // GB kept on the phase's last day: the last retention_days of writes, across phases
	EgressGB      decimal.Decimal // GB sent out over the phase

	PlannedNodeRPS           decimal.Decimal // node_rps × target_utilization: what one node is planned to carry at the peak
	RequiredNodes            int64           // the most of the three below: what the busiest hour needs
	RequiredNodesUtilization int64           // max(min_nodes, ceil(peak_rps / (node_rps × target_utilization)))
	RequiredNodesP99         Opt[int64]      // the fewest nodes whose p99 meets the target; none without a latency model and target
	RequiredNodesMemory      Opt[int64]      // the nodes the phase needs with the calls a node's memory holds; set only when that is fewer than slots
	RequiredNodesFullSlots   Opt[int64]      // the nodes the phase would need were every slot usable; set only when memory holds fewer calls than slots
	EffectiveSlots           int64           // calls a node runs at once: min(slots, calls its KV caches hold)
	EffectiveNodeRPS         decimal.Decimal // node_rps, or, when memory holds fewer calls than slots, effective slots × 1000 ÷ service_ms
	SizingBound              string          // which constraint set RequiredNodes: BoundUtilization, BoundP99, BoundMemory or BoundMinNodes
	SizingNote               string          // why the p99 target cannot be met by adding nodes, if it cannot
	Nodes                    int64           // the ceiling: the phase's nodes, or required_nodes when sized automatically
	NodesAuto                bool            // nodes were sized automatically
	NodeHours                int64
	CoveredNodeHours         int64 // node-hours the plan's commitments serve, off the on-demand bill

	AvgUtilization  Opt[decimal.Decimal] // served / capacity over the day; none with no capacity
	PeakUtilization Opt[decimal.Decimal] // largest hourly load / capacity; none when an hour has load and no capacity
	OverflowCalls   decimal.Decimal      // calls beyond capacity, served by batch (exact, not whole)
	OverflowShare   Opt[decimal.Decimal] // overflow_calls / calls; none with no calls

	// Tokens (tokens.go): none without tokens a call.
	TokensPerCall            Opt[int64]           // input + output
	CostPerMillionTokens     Opt[decimal.Decimal] // total cost ÷ tokens served × 10⁶
	NodeCostPerMillionTokens Opt[decimal.Decimal] // node_hourly ÷ (tokens_per_s × 3600) × 10⁶: a node busy every second
	APICostPerCall           Opt[decimal.Decimal] // the API's price for a call's tokens
	APICost                  Opt[decimal.Decimal] // for the phase's calls
	BuildVsBuyCallsPerDay    Opt[int64]           // the fewest calls/day at which serving costs no more than the API
	BuildVsBuyRegions        []Region             // every run of calls/day, up to 100× the plan, at which it does

	// GPU memory (memory.go): none without the variant's architecture
	// and the node's memory.
	KVBytesPerToken       Opt[decimal.Decimal]
	KVBudgetGiB           Opt[decimal.Decimal] // a replica's memory left for the KV cache
	KVBlocks              Opt[int64]           // blocks of 16 tokens a replica
	Replicas              int64                // model replicas a node: GPUs ÷ tensor parallelism
	MaxConcurrentCalls    Opt[int64]           // calls a node's KV caches hold at once
	PeakConcurrentPerNode Opt[decimal.Decimal] // the most calls in service on a node in any hour
	MemoryNote            string               // why the fit is unknown, or why no call fits

	Cost                 Costs
	Components           []ComponentCost      // one per plan component, in plan order; their sum is Cost.Components
	CostPerCall          Opt[decimal.Decimal] // none with no calls
	Revenue              decimal.Decimal
	Margin               decimal.Decimal // revenue − total cost
	BreakEvenCallsPerDay Opt[int64]      // the fewest calls/day at which the phase's margin ≥ 0, re-running the model; none up to 100× the plan
	BreakEvenRegions     []Region        // every run of calls/day, up to 100× the plan, at which the margin ≥ 0 (breakeven.go)

	// Daily accrual, as the timeline and break-even day see it: each day
	// carries its own storage and an even share of everything else but the
	// one-time cost, which the first day carries.
	DailyCost     decimal.Decimal // (total − one-time − stored data, the plan's and its components') / days
	DailyRevenue  decimal.Decimal // revenue / days
	CumCostEnd    decimal.Decimal // cumulative cost of the plan at the phase's last day
	CumRevenueEnd decimal.Decimal

	Latency   Latency   // every hour of the typical day; Estimated is false without a (consistent) service time
	HourNodes [24]int64 // nodes running each hour of the typical day
	// HourP99Nodes is, per hour, the fewest nodes whose p99 meets the target
	// at that hour's load; none without a latency model and target.
	HourP99Nodes Opt[[24]int64]
	Tokens       *TokenServing // token mode (serving.go); nil when the phase serves calls
	Checks       []Check

	loadDen decimal.Decimal // 86400 × Σw: λ_h = calls_per_day × 24 × w_h / loadDen
}

// Hour is one hour of a phase's typical day.
type Hour struct {
	LoadRPS     decimal.Decimal // λ_h
	Nodes       int64           // nodes running this hour
	CapacityRPS decimal.Decimal // nodes × node_rps
	OverflowRPS decimal.Decimal // max(0, load − capacity)
	ServedRPS   decimal.Decimal // min(load, capacity)
	Utilization Opt[decimal.Decimal]
}

// Hour returns hour h of the phase's typical day. It is worked out on
// demand, from the same inputs and node schedule as the phase's totals, so
// that a plan's hot path (recomputing on every keystroke) divides nothing it
// does not show.
func (p *PhaseResult) Hour(h int) Hour {
	a := &p.Inputs
	// λ_h = cpd × 24 × w_h / (86400 × Σw)
	load := decimal.NewFromInt(p.CallsPerDay*24).Mul(a.HourlyProfile[h]).DivRound(secondsPerDay.Mul(a.HourlyProfile.sum()), DivPlaces)
	n := p.HourNodes[h]
	hr := Hour{LoadRPS: load, Nodes: n, CapacityRPS: p.EffectiveNodeRPS.Mul(decimal.NewFromInt(n)), OverflowRPS: decimal.Zero, ServedRPS: load}
	if over := load.Sub(hr.CapacityRPS); over.Sign() > 0 {
		hr.OverflowRPS, hr.ServedRPS = over, hr.CapacityRPS
	}
	if n > 0 {
		hr.Utilization = Some(load.DivRound(hr.CapacityRPS, DivPlaces))
	}
	return hr
}

// Check is one SLO test of one phase. Its words come from Detail, built
// only when someone reads them.
type Check struct {
	Name  string // CheckConsistency, CheckCostCeiling, CheckMinUtilization, CheckP99 or CheckOverflow
	OK    bool
	Value decimal.Decimal // the measured quantity: cost per call, utilization, overflow calls
	Limit decimal.Decimal // the objective it is held to
	Share decimal.Decimal // overflow only: the share of calls that overflow
	Cost  decimal.Decimal // overflow only: what batch serving them costs

	// What report.CheckDetail says it with.
	Currency string
	Latency  *Latency     // p99 only
	Inputs   *Assumptions // consistency only
	Phase    *PhaseResult // memory, p99 and the token checks
}

// Check names, as they appear in JSON.
const (
	CheckCostCeiling    = "cost_ceiling"
	CheckMinUtilization = "min_utilization"
	CheckOverflow       = "overflow"
	CheckP99            = "p99"
	CheckConsistency    = "consistency" // node_rps against slots × 1000 / service_ms
	// CheckMemory (memory.go): the calls in service against what the KV cache holds.
)

// What bound a phase's required node count.
const (
	BoundUtilization = "utilization"
	BoundP99         = "p99"
	BoundMinNodes    = "min_nodes"
)

// Totals sum the phases.
type Totals struct {
	Calls         int64
	Cost          Costs
	Components    []ComponentCost // each component summed over the phases
	CostPerCall   Opt[decimal.Decimal]
	Revenue       decimal.Decimal
	Margin        decimal.Decimal
	NodeHours     int64
	OverflowCalls decimal.Decimal
	PeakNodes     int64 // the largest node ceiling of any phase
}

// BreakEven is the first day from which cumulative revenue stays at or
// above cumulative cost to the end of the plan. Day is none when the plan
// ends behind.
type BreakEven struct {
	Day   Opt[int64] // plan day number, 1 = start_date
	Date  Opt[Date]
	Phase int // index of the phase it falls in; -1 when none
	// When an earlier crossing was lost again: the first day even, and the
	// first day after it that was not.
	FirstEven, Lost Opt[int64]
}

// PeakFactor is peak_rps / avg_rps, how spiky the day is: w_peak·24/Σw.
// Worked out on demand: only people read it, never the model.
func (p *PhaseResult) PeakFactor() decimal.Decimal {
	w := &p.Inputs.HourlyProfile
	return w[p.PeakHour].Mul(hoursPerDay).DivRound(w.sum(), DivPlaces)
}

// MonthlyCost is the phase's total cost per month: total × (365/12) / days.
func (p *PhaseResult) MonthlyCost() decimal.Decimal {
	return p.Cost.Total.Mul(daysPerYear).DivRound(monthsPerYear.Mul(decimal.NewFromInt(p.Days)), DivPlaces)
}

// Variant is the model variant phase i runs, "" for none.
func (r *Result) Variant(i int) string { return r.Phases[i].VariantName }

// Busiest is the index of the phase with the most calls a day (the first of
// equals): the one a presentation, a quiz or a one-phase analysis is about.
func (r *Result) Busiest() int {
	best := 0
	for i, ph := range r.Phases {
		if ph.CallsPerDay > r.Phases[best].CallsPerDay {
			best = i
		}
	}
	return best
}

// FailedChecks returns the checks of p that failed.
func (p *PhaseResult) FailedChecks() []Check {
	var out []Check
	for _, c := range p.Checks {
		if !c.OK {
			out = append(out, c)
		}
	}
	return out
}

// Day is one day of the plan as the timeline sees it.
type Day struct {
	Day           int64 // plan day number, 1 = start_date
	Date          Date
	Phase         int             // index of the phase it belongs to
	Cost          decimal.Decimal // the day's storage, an even share of the phase's other costs, and its one-time cost on day one
	Storage       decimal.Decimal // the day's storage cost: Kept bytes for a day at the phase's price
	Written       decimal.Decimal // bytes written that day: calls_per_day × stored_bytes_per_call
	WrittenToDate decimal.Decimal // bytes written from the plan's first day to this one
	Kept          decimal.Decimal // bytes stored that day: those written in the last retention_days days
	Revenue       decimal.Decimal
	CumCost       decimal.Decimal
	CumRevenue    decimal.Decimal
	Net           decimal.Decimal // CumRevenue − CumCost
	Even          bool            // cumulative revenue has reached cumulative cost, with some revenue earned
}

// evenBy is the break-even rule: revenue to date reaches cost to date, and
// some revenue has been earned (with none, there is nothing to break even with).
func evenBy(cost, revenue decimal.Decimal) bool {
	return revenue.Sign() > 0 && revenue.GreaterThanOrEqual(cost)
}

// ChecksPassed counts the checks of every phase, and those that pass.
func (r *Result) ChecksPassed() (pass, total int) {
	for _, ph := range r.Phases {
		for _, c := range ph.Checks {
			total++
			if c.OK {
				pass++
			}
		}
	}
	return pass, total
}

// LargestComponents is up to n of the plan's components with the largest
// cost over the plan, largest first (ties in plan order); none that cost
// nothing.
func (r *Result) LargestComponents(n int) []ComponentCost {
	var out []ComponentCost
	for _, k := range r.Totals.Components {
		if k.Cost.Sign() > 0 {
			out = append(out, k)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Cost.GreaterThan(out[b].Cost) })
	return out[:min(n, len(out))]
}
