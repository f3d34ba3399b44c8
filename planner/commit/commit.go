// Package commit is the load-duration commitment optimiser
// (docs/commitments.md): given the hours of a term — the nodes each hour
// wants and what an uncommitted node-hour costs then — it finds the number
// of nodes to commit that costs least, and the load-duration curve behind
// it. Like planner/queue it has no plan types: planner walks a plan's
// hourly fleet into a Term, and every face calls Optimal on it.
package commit

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Committed capacity (docs/commitments.md): a commitment of k nodes is
// billed every hour of its term at the committed rate, used or not; the
// hourly demand above k is billed on demand. Over the term's hours t with
// n_t nodes wanted and on-demand price o_t,
//
//	cost(k) = k·r_c·T + Σ_t o_t·max(0, n_t − k)
//
// is convex in k, and cost(k) − cost(k−1) = r_c·T − Σ_{t: n_t ≥ k} o_t, so
// the best k is the largest whose hours with at least k nodes are worth
// more on demand than committing a node for the term; with one on-demand
// price that is the largest k whose share of hours with at least k nodes is
// above ρ = r_c / o (the load-duration curve), ties to the smaller k.

// HoursPerMonth is a month of a commitment's term: 730 hours, as cloud
// price lists count it (12 months = 8,760 hours).
const HoursPerMonth = 730

// DivPlaces is the decimal places a share or ratio is rounded to: the
// planner's own precision (planner.DivPlaces is this).
const DivPlaces = 20

// What happens to a term's hours after the plan's last day.
const (
	AfterPlanExtend   = "extend"   // the last phase's day repeats to the term's end
	AfterPlanStranded = "stranded" // no demand: committed nodes then are stranded
)

// Phase is one phase of a plan as a commitment sees it: its typical day,
// repeated Days times — the nodes each hour wants and the price of an
// uncommitted node-hour (on demand, or the plan's spot at its expected price).
type Phase struct {
	Days  int64
	Nodes [24]int64
	Price decimal.Decimal
}

// Options are the terms a commitment is sought on.
type Options struct {
	Rate       decimal.Decimal // effective committed price per node-hour: hourly + upfront ÷ term hours
	TermMonths int64
	AfterPlan  string // AfterPlanExtend or AfterPlanStranded
	// Spot prices the uncommitted layer at spot instead of on demand: its
	// expected price is (1 − q)·spot + q·on-demand for an interruption share
	// q (interrupted work reruns on demand). Not latency-safe: an
	// interruption is a latency spike. Spot.Valid false: on demand.
	Spot         decimal.NullDecimal
	Interruption decimal.Decimal // q, from 0 to 1
}

// hours is the term's length: TermMonths × 730.
func (opts *Options) hours() int64 { return opts.TermMonths * HoursPerMonth }

// committedNode is one committed node over the whole term: r_c·T.
func (opts *Options) committedNode() decimal.Decimal {
	return opts.Rate.Mul(decimal.NewFromInt(opts.hours()))
}

// uncommitted is the expected price of an uncommitted node-hour whose on-demand price is o.
func (opts *Options) uncommitted(o decimal.Decimal) decimal.Decimal {
	if !opts.Spot.Valid {
		return o
	}
	q := opts.Interruption
	return decimal.NewFromInt(1).Sub(q).Mul(opts.Spot.Decimal).Add(q.Mul(o))
}

// PlaceholderShare is the committed rate a workbook or the app starts from
// when no price book gives one: 60 % of on demand, a common one-year
// discount, for the person to replace with their quote.
var PlaceholderShare = decimal.New(6, -1)

// PlaceholderRate is PlaceholderShare of an on-demand price, to 4 places.
func PlaceholderRate(onDemand decimal.Decimal) decimal.Decimal {
	return onDemand.Mul(PlaceholderShare).Round(4)
}

// Commitment is the best commitment level for a plan's hourly fleet.
type Commitment struct {
	K             int64           // nodes committed
	TermHours     int64           // TermMonths × 730
	CommittedRate decimal.Decimal // per node-hour
	Rho           decimal.Decimal // committed ÷ uncommitted rate (the first phase's on demand, or expected spot): the break-even utilization
	Cost          decimal.Decimal // cost(k*) over the term
	OnDemandCost  decimal.Decimal // cost(0): nothing committed (everything on demand, or on spot with Spot)
	Saving        decimal.Decimal // OnDemandCost − Cost
	Coverage      decimal.Decimal // share of the node-hours wanted that the commitment serves
	Utilization   decimal.Decimal // share of the committed node-hours that serve demand
	Stranded      decimal.Decimal // committed cost of hours with no demand for it after the plan's end
	PlanHours     int64           // hours of the term the plan covers
}

// termHours walks the term's hours: the plan's phases' typical days in
// order, then, past the plan's end, the last phase's day (extend) or
// nothing (stranded). f gets each hour's nodes wanted and uncommitted price.
func termHours(phases []Phase, opts Options, f func(nodes int64, price decimal.Decimal, inPlan bool)) {
	total := opts.hours()
	t := int64(0)
	for i := range phases {
		ph := &phases[i]
		for d := int64(0); d < ph.Days && t < total; d++ {
			for h := 0; h < 24 && t < total; h++ {
				f(ph.Nodes[h], ph.Price, true)
				t++
			}
		}
	}
	last := &phases[len(phases)-1]
	for h := 0; t < total; h, t = (h+1)%24, t+1 {
		if opts.AfterPlan == AfterPlanExtend {
			f(last.Nodes[h], last.Price, false)
		} else {
			f(0, last.Price, false)
		}
	}
}

// Optimal finds the commitment level that costs least over the
// term starting on the plan's first day.
func Optimal(phases []Phase, opts Options) (Commitment, error) {
	switch {
	case len(phases) == 0:
		return Commitment{}, fmt.Errorf("the plan has no phases")
	case opts.TermMonths <= 0 || opts.TermMonths > 120:
		return Commitment{}, fmt.Errorf("the term must be from 1 to 120 months, got %d", opts.TermMonths)
	case opts.Rate.Sign() < 0:
		return Commitment{}, fmt.Errorf("the committed rate must be ≥ 0, got %s", opts.Rate)
	case opts.Spot.Valid && (opts.Spot.Decimal.Sign() < 0 || opts.Interruption.Sign() < 0 || opts.Interruption.GreaterThan(decimal.NewFromInt(1))):
		return Commitment{}, fmt.Errorf("spot needs a price ≥ 0 and an interruption share from 0 to 1")
	case opts.AfterPlan != AfterPlanExtend && opts.AfterPlan != AfterPlanStranded:
		return Commitment{}, fmt.Errorf("after the plan must be %q or %q, got %q", AfterPlanExtend, AfterPlanStranded, opts.AfterPlan)
	}
	c := Commitment{TermHours: opts.hours(), CommittedRate: opts.Rate}
	// worth[k] = Σ over hours with at least k nodes of their on-demand price.
	var maxN int64
	termHours(phases, opts, func(n int64, _ decimal.Decimal, inPlan bool) {
		maxN = max(maxN, n)
		if inPlan {
			c.PlanHours++
		}
	})
	atLeast := make([]decimal.Decimal, maxN+2) // Σ o_t over hours with n_t == k, then accumulated down
	wanted := decimal.Zero
	onDemand := decimal.Zero
	termHours(phases, opts, func(n int64, o decimal.Decimal, _ bool) {
		u := opts.uncommitted(o)
		atLeast[n] = atLeast[n].Add(u)
		nd := decimal.NewFromInt(n)
		wanted = wanted.Add(nd)
		onDemand = onDemand.Add(u.Mul(nd))
	})
	for k := maxN - 1; k >= 0; k-- {
		atLeast[k] = atLeast[k].Add(atLeast[k+1])
	}
	commitNode := opts.committedNode()
	// The largest k with Σ_{n_t ≥ k} o_t > r_c·T: each such node saves.
	for k := int64(1); k <= maxN; k++ {
		if atLeast[k].GreaterThan(commitNode) {
			c.K = k
		}
	}
	if o := opts.uncommitted(phases[0].Price); o.Sign() > 0 {
		c.Rho = opts.Rate.DivRound(o, DivPlaces)
	}
	c.OnDemandCost = onDemand
	c.Cost, c.Coverage, c.Utilization, c.Stranded = commitmentCost(phases, opts, c.K, wanted)
	c.Saving = c.OnDemandCost.Sub(c.Cost)
	return c, nil
}

// commitmentCost is cost(k) and what it says of the commitment: the share
// of wanted node-hours it serves, the share of its node-hours used, and the
// committed cost of hours after the plan that nothing uses.
func commitmentCost(phases []Phase, opts Options, k int64, wanted decimal.Decimal) (cost, coverage, utilization, stranded decimal.Decimal) {
	cost = decimal.NewFromInt(k).Mul(opts.committedNode())
	served := int64(0)
	strandedHours := int64(0)
	termHours(phases, opts, func(n int64, o decimal.Decimal, inPlan bool) {
		served += min(n, k)
		if over := n - k; over > 0 {
			cost = cost.Add(opts.uncommitted(o).Mul(decimal.NewFromInt(over)))
		}
		if !inPlan {
			strandedHours += k - min(n, k)
		}
	})
	coverage, utilization = decimal.Zero, decimal.Zero
	if wanted.Sign() > 0 {
		coverage = decimal.NewFromInt(served).DivRound(wanted, DivPlaces)
	}
	if k > 0 {
		utilization = decimal.NewFromInt(served).DivRound(decimal.NewFromInt(k*opts.hours()), DivPlaces)
	}
	stranded = decimal.NewFromInt(strandedHours).Mul(opts.Rate)
	return cost, coverage, utilization, stranded
}

// Cost is cost(k) over the term for any k: what a team that commits to k
// nodes pays.
func Cost(phases []Phase, opts Options, k int64) decimal.Decimal {
	cost, _, _, _ := commitmentCost(phases, opts, k, decimal.Zero)
	return cost
}

// LoadDuration is the load-duration curve of the plan's hourly fleet over
// a term starting on the plan's first day: AtLeast[k] is how many of the
// term's hours want at least k nodes (AtLeast[0] is every hour of the
// term). With one on-demand price o, committing the k-th node pays when
// AtLeast[k] / hours > ρ = r_c / o.
type LoadDuration struct {
	AtLeast   []int64
	TermHours int64
	// Price is the on-demand price every hour of the term is billed
	// at, when there is one (no phase runs a node at another price).
	Price decimal.NullDecimal
}

// LoadDurationOf is the load-duration curve for a term on the plan's
// hourly fleet (opts.Rate and Spot are not used).
func LoadDurationOf(phases []Phase, opts Options) (LoadDuration, error) {
	if len(phases) == 0 || opts.TermMonths <= 0 || opts.TermMonths > 120 {
		return LoadDuration{}, fmt.Errorf("needs a plan with phases and a term of 1 to 120 months")
	}
	var maxN int64
	price := phases[0].Price
	one := true
	termHours(phases, opts, func(n int64, o decimal.Decimal, _ bool) {
		maxN = max(maxN, n)
		one = one && o.Equal(price)
	})
	count := make([]int64, maxN+1)
	termHours(phases, opts, func(n int64, _ decimal.Decimal, _ bool) { count[n]++ })
	for k := maxN - 1; k >= 0; k-- {
		count[k] += count[k+1]
	}
	ld := LoadDuration{AtLeast: count, TermHours: opts.hours()}
	if one {
		ld.Price = decimal.NewNullDecimal(price)
	}
	return ld, nil
}

// CostAt is cost(k) read off the curve, when one on-demand price o bills
// every uncommitted hour: k·r_c·T + o·Σ_{j>k} AtLeast[j] (each hour wanting
// n > k nodes pays o for n − k of them). Zero without one price.
func (ld *LoadDuration) CostAt(k int64, rate decimal.Decimal) decimal.Decimal {
	if !ld.Price.Valid {
		return decimal.Zero
	}
	var over int64
	for j := k + 1; j < int64(len(ld.AtLeast)); j++ {
		over += ld.AtLeast[j]
	}
	return decimal.NewFromInt(k * ld.TermHours).Mul(rate).Add(decimal.NewFromInt(over).Mul(ld.Price.Decimal))
}

// Best is the least-cost level read off the curve, ties to the smaller k,
// and its cost (k 0 and nothing committed without one price).
func (ld *LoadDuration) Best(rate decimal.Decimal) (int64, decimal.Decimal) {
	k, best := int64(0), ld.CostAt(0, rate)
	for j := int64(1); j < int64(len(ld.AtLeast)); j++ {
		if c := ld.CostAt(j, rate); c.LessThan(best) {
			k, best = j, c
		}
	}
	return k, best
}

// SavedShare is the saving as a share of the cost with nothing committed
// (0 when that costs nothing).
func (c *Commitment) SavedShare() decimal.Decimal {
	if c.OnDemandCost.Sign() <= 0 {
		return decimal.Zero
	}
	return c.Saving.DivRound(c.OnDemandCost, 6)
}
