package estimate

import (
	"fmt"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/gpus"
	"github.com/scaleplan/scaleplan/planner/prices"
)

// Candidate is one way to serve a phase: an offer of a book at a price
// option and a tensor-parallel width, the phase sized hour by hour on it.
type Candidate struct {
	Book, Provider, Instance, Region, Option string
	GPU                                      string
	GPUs, TensorParallel                     int
	Nodes                                    int64
	// Cost is the phase's total at the estimate; CostLow and CostHigh its
	// P10 and P90 over the estimate's ranges (the same when measured).
	Cost, CostLow, CostHigh decimal.Decimal
	CostPerCall             planner.Opt[decimal.Decimal]
	CostPerMillionTokens    planner.Opt[decimal.Decimal]
	SizingBound             string
	Inputs                  string // "estimated" or "measured"
	Estimate                ForPlan
	offer                   *prices.Offer
}

// PhaseCandidates are a phase's candidates, cheapest first, and the
// offers left out with the reason.
type PhaseCandidates struct {
	Phase      int
	Name       string
	Candidates []Candidate
	Skipped    []string
}

// Options: Spot tries spot prices (for a service that tolerates a node's
// interruption); Variant, In and Out are as for FromPlan.
type Options struct {
	Spot    bool
	Variant string
	In, Out float64
}

// Cheapest tries every offer of the catalogue's books, each price option
// and each tensor-parallel width its GPUs allow, for each phase: the
// phase's variant estimated on that GPU (or the plan's own inputs where a
// load test was imported for the offer the plan cites), sized
// automatically, and priced over the phase.
func Cheapest(p planner.Plan, cat prices.Catalog, phases []int, o Options) ([]PhaseCandidates, error) {
	cited, _, _ := cat.CitedOffer(&p)
	var out []PhaseCandidates
	for _, i := range phases {
		pc := PhaseCandidates{Phase: i, Name: p.Phases[i].Name}
		for _, b := range cat.Books() {
			for k := range b.Offers {
				off := &b.Offers[k]
				g, _ := gpus.Lookup(off.GPUs.Model) // a book names only GPUs of the table
				for _, tp := range []int{1, 2, 4, 8} {
					if tp > int(off.GPUs.Count) || int(off.GPUs.Count)%tp != 0 {
						continue
					}
					for _, np := range off.Prices() {
						if np.Option == planner.OptionSpot && !o.Spot {
							continue
						}
						c, skip, err := candidate(p, i, b.Name, off, g, tp, np.Option, cited == off && len(p.Measured) > 0, o)
						if err != nil {
							return nil, err
						}
						if skip != "" {
							pc.Skipped = append(pc.Skipped, fmt.Sprintf("%s %s at tensor parallel %d: %s", off.Instance, np.Option, tp, skip))
							break // every option of this width skips for the same reason
						}
						pc.Candidates = append(pc.Candidates, c)
					}
				}
			}
		}
		slices.SortStableFunc(pc.Candidates, func(a, b Candidate) int { return a.Cost.Cmp(b.Cost) })
		out = append(out, pc)
	}
	return out, nil
}

// hourly is an option's price a node-hour, a commitment's upfront spread
// over its term.
func hourly(o *prices.Offer, option string) decimal.Decimal {
	switch option {
	case planner.OptionOnDemand:
		return o.OnDemand.Hourly
	case planner.OptionSpot:
		return o.Spot.Val.Hourly
	}
	for i := range o.Commitments {
		if o.Commitments[i].Name == option {
			return o.Commitments[i].Effective()
		}
	}
	return o.OnDemand.Hourly
}

// Put sets phase i of p to run on the offer at the option and width, with
// the estimate's inputs at their middle (or ends): what a candidate is
// priced on, and what choosing it does in the app.
func Put(p planner.Plan, i int, off *prices.Offer, g gpus.GPU, tp int, price decimal.Decimal, f *ForPlan, end func(Input) float64) (planner.Plan, error) {
	q := p
	var err error
	set := func(key, text string) {
		if err == nil {
			q, err = planner.SetInput(q, i, key, text)
		}
	}
	set("node_type", off.Label())
	set("node_hourly", price.String())
	set("gpus_per_node", strconv.FormatInt(off.GPUs.Count, 10))
	set("tensor_parallel", strconv.Itoa(tp))
	set("gpu_memory_gib", strconv.FormatFloat(g.MemoryGiB.Value, 'f', -1, 64))
	set(planner.KeyNodes, "auto")
	if f != nil {
		if q.Phases[i].Variant != f.Variant {
			set(planner.KeyVariant, f.Variant)
		}
		for _, in := range f.Inputs {
			if err == nil {
				q, err = planner.SetVariant(q, f.Variant, in.Key, round(end(in)).String())
			}
		}
	}
	return q, err
}

func candidate(p planner.Plan, i int, book string, off *prices.Offer, g gpus.GPU, tp int, option string, measured bool, o Options) (Candidate, string, error) {
	c := Candidate{Book: book, Provider: off.Provider, Instance: off.Instance, Region: off.Region, Option: option, GPU: g.Name,
		GPUs: int(off.GPUs.Count), TensorParallel: tp, Inputs: "estimated", offer: off}
	price := hourly(off, option)
	withTP, err := planner.SetInput(p, i, "tensor_parallel", strconv.Itoa(tp))
	if err != nil {
		return c, err.Error(), nil
	}
	f, err := FromPlan(&withTP, i, o.Variant, g, int(off.GPUs.Count), o.In, o.Out)
	if err != nil {
		return c, "", err // its words name the phase or the variant
	}
	if w := f.Estimate.WeightsRankGiB; w > g.MemoryGiB.Value*0.9 {
		return c, fmt.Sprintf("a rank's weights, %.0f GiB, do not fit in %.0f GiB", w, g.MemoryGiB.Value*0.9), nil
	}
	c.Estimate = f
	cost := func(end func(Input) float64) (planner.PhaseResult, error) {
		ff := &f
		if measured {
			ff = nil // the plan's own, measured, inputs
		}
		q, err := Put(p, i, off, g, tp, price, ff, end)
		if err != nil {
			return planner.PhaseResult{}, err
		}
		r := planner.ComputeDraw(q, new(planner.Cache))
		return r.Phases[i], nil
	}
	mid, err := cost(Middle)
	if err != nil {
		return c, err.Error(), nil
	}
	if mid.SizingNote != "" && mid.Nodes == 0 {
		return c, mid.SizingNote, nil
	}
	c.Cost, c.CostLow, c.CostHigh = mid.Cost.Total, mid.Cost.Total, mid.Cost.Total
	c.Nodes, c.SizingBound = mid.Nodes, mid.SizingBound
	c.CostPerCall, c.CostPerMillionTokens = mid.CostPerCall, mid.CostPerMillionTokens
	if measured {
		c.Inputs = "measured"
		return c, "", nil
	}
	lo, err1 := cost(Fast)
	hi, err2 := cost(Slow)
	if err1 == nil && err2 == nil {
		c.CostLow, c.CostHigh = decimal.Min(lo.Cost.Total, hi.Cost.Total), decimal.Max(lo.Cost.Total, hi.Cost.Total)
	}
	return c, "", nil
}

// Middle, Fast and Slow read an estimated input at its estimate, or at the
// 10th or 90th percentile of its range (triangular, the band's ends its
// extremes, the estimate its mode) on the side that makes the node faster
// (rates high, times short) or slower. With one error moving every input
// (an efficiency), the phase's cost at Fast and at Slow is its P10 and P90.
func Middle(in Input) float64 { return in.Mid }

func Fast(in Input) float64 {
	if isRate(in.Key) {
		return quantile(in.Range, 0.9)
	}
	return quantile(in.Range, 0.1)
}

func Slow(in Input) float64 {
	if isRate(in.Key) {
		return quantile(in.Range, 0.1)
	}
	return quantile(in.Range, 0.9)
}

func quantile(r Range, u float64) float64 {
	if !(r.Low < r.High) {
		return r.Mid
	}
	return distuv.NewTriangle(r.Low, r.High, r.Mid, nil).Quantile(u)
}

func isRate(key string) bool { return key == planner.KeyPrefill || key == "node_rps" }

// Choose makes phase i run on candidate c, as a person choosing it wants
// it kept: the offer's price cited from its book, its GPUs, width and
// memory, the nodes sized automatically, and — where the inputs were
// estimated — the estimate written as ranges with its provenance.
func Choose(p planner.Plan, cat prices.Catalog, i int, c Candidate) (planner.Plan, error) {
	q, err := cat.UseOffer(p, i, c.Book, c.offer, c.Option)
	if err != nil {
		return p, err
	}
	g, _ := gpus.Lookup(c.GPU)
	for _, kv := range [][2]string{{"gpus_per_node", strconv.Itoa(c.GPUs)}, {"tensor_parallel", strconv.Itoa(c.TensorParallel)},
		{"gpu_memory_gib", strconv.FormatFloat(g.MemoryGiB.Value, 'f', -1, 64)}, {planner.KeyNodes, "auto"}} {
		if q, err = planner.SetInput(q, i, kv[0], kv[1]); err != nil {
			return p, err
		}
	}
	if c.Inputs != "estimated" {
		return q, nil
	}
	if q.Phases[i].Variant != c.Estimate.Variant {
		if q, err = planner.SetInput(q, i, planner.KeyVariant, c.Estimate.Variant); err != nil {
			return p, err
		}
	}
	return c.Estimate.Write(q, planner.Today())
}
