package planner

import (
	"github.com/shopspring/decimal"
)

// Break-even and build-or-buy volumes (docs/model.md, "Break-even").
//
// The break-even volume is the fewest whole calls a day at which phase i's
// margin is ≥ 0, with the fleet sized as the phase sizes it (an automatic
// ceiling resized, a given one kept, so a capped fleet overflows to batch),
// every other phase as planned and earlier phases' stored data carried in.
// The build-or-buy volume is the fewest at which serving the phase costs no
// more than buying its calls from the API. Both re-run the phase's model at
// each volume tried rather than extrapolating, and both report every run of
// volumes that qualifies (Region), not only the first: serving cost is not
// monotone in volume. Under autoscale an hour runs the previous hour's need,
// so a node step that adds a node absorbs up to a node-hour of overflow; when
// overflow costs more a call than the node-hour does, cost falls at the step.
//
// The search never assumes a shape for the whole curve. It leans on three
// facts of the model, each tested by a brute-force scan on small plans:
//
//  1. the fleet each hour runs never shrinks as volume grows;
//  2. at a fixed fleet, every cost line that moves with volume grows with it
//     (Moves: calls, overflow), and revenue and the API's bill grow with it;
//  3. at a fixed volume, the lines that move with nodes grow with the fleet
//     and overflow shrinks with it.
//
// So on a box of volumes [lo, hi] whose fleets run from F(lo) to F(hi), the
// value (margin, or API bill − serving cost) is at most
// gain(hi) − fixed − calls(lo) − nodes(F(lo)) − overflow(lo on F(hi)) and at
// least gain(lo) − fixed − calls(hi) − nodes(F(hi)) − overflow(hi on F(lo)),
// pricing one volume's load on the other's fleet (scratch.forced). A box
// whose bound settles the sign is done; others are halved. Where the fleet is
// the same at both ends it is the same throughout, the value is concave in
// volume (linear lines less convex overflow), and its non-negative part is
// one run, found exactly by binary search.

// BreakEvenMaxFactor bounds the search: no volume above this many times the
// planned one is tried.
const BreakEvenMaxFactor = 100

// Region is a run of whole calls a day, both ends included. To is none when
// the run reaches the search's limit (BreakEvenMaxFactor × the phase's
// volume): it holds at least that far.
type Region struct {
	From int64
	To   Opt[int64]
}

// volumeParts is a phase at one volume: what it gains and what it costs,
// the costs by how they move.
type volumeParts struct {
	gain decimal.Decimal
	cost [MovesWithOverflow + 1]decimal.Decimal
}

func (v *volumeParts) value() decimal.Decimal {
	x := v.gain
	for _, c := range v.cost {
		x = x.Sub(c)
	}
	return x
}

// volumeSearch finds the regions of one phase.
type volumeSearch struct {
	s       *scratch
	prof    *profileInts
	r       *Result
	i       int
	q       Phase
	a       Assumptions
	slo     SLO
	tmp     PhaseResult
	serving bool            // build-or-buy: serving cost against the API's bill
	apiCpd  decimal.Decimal // the API's bill for one call a day over the phase
	limit   int64
	evals   int

	// Lines and components that accrue across phases: carried + perCall·x.
	lineCarried, linePerCall [numCostLines]decimal.Decimal
	compCarried, compPerCall []decimal.Decimal

	regions []Region // found so far, ordered; To none stands for limit
	ends    []int64  // each region's last volume, limit for an open one
}

func newVolumeSearch(s *scratch, prof *profileInts, r *Result, ph *Phase, i int, slo SLO) *volumeSearch {
	base := &r.Phases[i]
	v := &volumeSearch{s: s, prof: prof, r: r, i: i, q: *ph, a: base.Inputs, slo: slo,
		limit: min(BreakEvenMaxFactor*base.CallsPerDay, MaxCallsPerDay)}
	for k := range CostLines {
		if l := &CostLines[k]; l.accrued != nil {
			v.lineCarried[l.Key], v.linePerCall[l.Key] = l.accrued(r, i)
		}
	}
	if n := len(r.plan.Components); n > 0 {
		v.compCarried, v.compPerCall = make([]decimal.Decimal, n), make([]decimal.Decimal, n)
		for j, c := range r.plan.Components {
			if c.Driver == DriverPerGBStored && base.Components[j].Applies {
				v.compCarried[j], v.compPerCall[j] = r.stores[j].Linear(i, base.Components[j].Cost, base.CallsPerDay)
			}
		}
	}
	return v
}

// counts says whether a cost that moves so takes part: every one for the
// margin, only serving's (nodes and overflow) against the API.
func (v *volumeSearch) counts(m Moves) bool {
	return !v.serving || m == MovesWithNodes || m == MovesWithOverflow
}

// at prices the phase at x calls a day on the fleet it sizes for x, or on
// forced when that is set, and returns the parts and the fleet.
func (v *volumeSearch) at(x int64, forced *[24]int64) (volumeParts, [24]int64) {
	v.evals++
	v.q.CallsPerDay = x
	v.s.forced = forced
	computePhase(v.s, v.prof, &v.tmp, &v.q, v.a, v.slo, latencyNone)
	v.s.forced = nil
	v.r.billGPU(&v.tmp, v.i) // commitments: covered node-hours off on demand; the committed hours are fixed
	var p volumeParts
	for k := range p.cost {
		p.cost[k] = decimal.Zero
	}
	X := decimal.NewFromInt(x)
	for k := range CostLines {
		l := &CostLines[k]
		if !v.counts(l.Moves) {
			continue
		}
		c := v.tmp.Cost.Lines[l.Key]
		if l.accrued != nil {
			c = v.lineCarried[l.Key].Add(v.linePerCall[l.Key].Mul(X))
		}
		p.cost[l.Moves] = p.cost[l.Moves].Add(c)
	}
	if len(v.r.plan.Components) > 0 {
		v.r.plan.priceComponents(&v.tmp, v.i)
		for j := range v.tmp.Components {
			k := &v.tmp.Components[j]
			d, _ := LookupDriver(k.Driver)
			if !k.Applies || d == nil || !v.counts(d.Moves) {
				continue
			}
			c := k.Cost
			if d.Key == DriverPerGBStored {
				c = v.compCarried[j].Add(v.compPerCall[j].Mul(X))
			}
			p.cost[d.Moves] = p.cost[d.Moves].Add(c)
		}
	}
	if v.serving {
		p.gain = v.apiCpd.Mul(X)
	} else {
		p.gain = v.tmp.Revenue
	}
	return p, v.tmp.HourNodes
}

func (v *volumeSearch) value(x int64) decimal.Decimal {
	p, _ := v.at(x, nil)
	return p.value()
}

// add records [from, to] as qualifying, joining it to the last region when
// they touch; boxes are visited in order.
func (v *volumeSearch) add(from, to int64) {
	if n := len(v.ends); n > 0 && from <= v.ends[n-1]+1 {
		v.ends[n-1] = max(v.ends[n-1], to)
		return
	}
	v.regions = append(v.regions, Region{From: from})
	v.ends = append(v.ends, to)
}

func (v *volumeSearch) run(from int64) []Region {
	if from > v.limit {
		return nil
	}
	plo, flo := v.at(from, nil)
	if from == v.limit {
		if plo.value().Sign() >= 0 {
			v.add(from, from)
		}
	} else {
		phi, fhi := v.at(v.limit, nil)
		v.box(from, v.limit, &plo, &phi, &flo, &fhi)
	}
	for k := range v.regions {
		if v.ends[k] < v.limit {
			v.regions[k].To = Some(v.ends[k])
		}
	}
	return v.regions
}

// fleetLE says a runs no more nodes than b in any hour.
func fleetLE(a, b *[24]int64) bool {
	for h := range a {
		if a[h] > b[h] {
			return false
		}
	}
	return true
}

// box finds the regions in [lo, hi] (lo < hi), given both ends priced.
func (v *volumeSearch) box(lo, hi int64, plo, phi *volumeParts, flo, fhi *[24]int64) {
	if hi-lo <= 1 {
		if plo.value().Sign() >= 0 {
			v.add(lo, lo)
		}
		if phi.value().Sign() >= 0 {
			v.add(hi, hi)
		}
		return
	}
	if *flo == *fhi {
		v.segment(lo, hi, plo.value(), phi.value())
		return
	}
	if fleetLE(flo, fhi) {
		loOnHi, _ := v.at(lo, fhi)
		hiOnLo, _ := v.at(hi, flo)
		upper := phi.gain.Sub(plo.cost[MovesNot]).Sub(plo.cost[MovesWithCalls]).Sub(plo.cost[MovesWithNodes]).Sub(loOnHi.cost[MovesWithOverflow])
		if upper.Sign() < 0 {
			return
		}
		lower := plo.gain.Sub(plo.cost[MovesNot]).Sub(phi.cost[MovesWithCalls]).Sub(phi.cost[MovesWithNodes]).Sub(hiOnLo.cost[MovesWithOverflow])
		if lower.Sign() >= 0 {
			v.add(lo, hi)
			return
		}
	}
	// Halve. (A fleet that shrank with volume would break fact 1; halving
	// without bounds down to single volumes still answers exactly.)
	mid := lo + (hi-lo)/2
	pm, fm := v.at(mid, nil)
	v.box(lo, mid, plo, &pm, flo, &fm)
	v.box(mid, hi, &pm, phi, &fm, fhi)
}

// segment finds the run in [lo, hi] where the fleet is the same at every
// volume, so the value is concave: its non-negative part is one run.
func (v *volumeSearch) segment(lo, hi int64, mlo, mhi decimal.Decimal) {
	switch {
	case mlo.Sign() >= 0 && mhi.Sign() >= 0:
		v.add(lo, hi)
		return
	case mlo.Sign() >= 0: // good at lo, bad at hi
		v.add(lo, v.edge(lo, hi))
		return
	case mhi.Sign() >= 0:
		v.add(v.edge(hi, lo), hi)
		return
	}
	// Both ends below zero: the run, if any, is around the maximum. The
	// slopes at the ends bound a concave function from above: where it
	// falls from lo or rises to hi, its maximum is at that end.
	s1 := v.value(lo + 1).Sub(mlo)
	s2 := mhi.Sub(v.value(hi - 1))
	if s1.Sign() <= 0 || s2.Sign() >= 0 {
		return
	}
	// Tangents from both ends meet at the bound: mlo + s1·t = mhi + s2·(t − w).
	w := decimal.NewFromInt(hi - lo)
	den := s1.Sub(s2)
	t := mhi.Sub(mlo).Sub(s2.Mul(w)).DivRound(den, DivPlaces)
	t = decimal.Min(decimal.Max(t, decimal.Zero), w) // outside [lo, hi] the bound is an end's, below zero
	if mlo.Add(s1.Mul(t)).Sign() < 0 {
		return
	}
	// Ternary search for a volume at or above zero.
	a, b := lo, hi
	for b-a > 2 {
		m1, m2 := a+(b-a)/3, b-(b-a)/3
		v1, v2 := v.value(m1), v.value(m2)
		switch {
		case v1.Sign() >= 0:
			v.add(v.edge(m1, lo), v.edge(m1, hi))
			return
		case v2.Sign() >= 0:
			v.add(v.edge(m2, lo), v.edge(m2, hi))
			return
		case v1.LessThan(v2):
			a = m1
		case v1.GreaterThan(v2):
			b = m2
		default:
			a, b = m1, m2
		}
	}
	for x := a + 1; x < b; x++ {
		if v.value(x).Sign() >= 0 {
			v.add(v.edge(x, lo), v.edge(x, hi))
			return
		}
	}
}

// edge is the volume nearest bad, either side of good, between good (value ≥ 0) and bad, whose
// value is ≥ 0, on a run where the value is concave (so it falls steadily
// from good's side to bad's). Newton from the bad side: the line through
// bad and its neighbour lies above a concave function beyond them, so
// where it reaches zero is no nearer bad than the answer; where the value
// is linear it lands on the answer. Every other step halves, which keeps
// the worst case to a binary search.
func (v *volumeSearch) edge(good, bad int64) int64 {
	vb := v.value(bad)
	if vb.Sign() >= 0 {
		return bad
	}
	d := int64(1) // the direction from good to bad
	if bad < good {
		d = -1
	}
	for k := 0; (bad-good)*d > 1; k++ {
		span := (bad - good) * d
		m := good + d*(span/2)
		if k%2 == 0 {
			v1 := v.value(bad - d)
			if v1.Sign() >= 0 {
				return bad - d
			}
			m = bad - d
			if s := v1.Sub(vb); s.Sign() > 0 {
				// ⌈−vb ÷ s⌉ steps from bad the line reaches zero; one
				// step short of it the value is still below.
				if step := ceilDiv(vb.Neg(), s); step.LessThan(decimal.NewFromInt(span)) {
					m = bad - d*max(1, step.IntPart()-1)
				} else {
					m = good + d
				}
			}
		}
		if (m-good)*d <= 0 || (bad-m)*d <= 0 {
			m = good + d*(span/2)
		}
		if vm := v.value(m); vm.Sign() >= 0 {
			good = m
		} else {
			bad, vb = m, vm
		}
	}
	return good
}

// breakEvenRegions are the runs of whole calls a day, from 0 to the limit,
// at which phase i's margin is ≥ 0.
func breakEvenRegions(s *scratch, prof *profileInts, r *Result, ph *Phase, i int, slo SLO) []Region {
	return newVolumeSearch(s, prof, r, ph, i, slo).run(0)
}

// buildVsBuyRegions are the runs of whole calls a day, from 1 to the limit,
// at which serving phase i costs no more than buying its calls from the
// API; nil without an API price.
func buildVsBuyRegions(s *scratch, prof *profileInts, r *Result, ph *Phase, i int, slo SLO) []Region {
	base := &r.Phases[i]
	if !base.APICostPerCall.Valid || base.APICostPerCall.Val.Sign() <= 0 {
		return nil
	}
	v := newVolumeSearch(s, prof, r, ph, i, slo)
	v.serving = true
	v.apiCpd = base.APICostPerCall.Val.Mul(decimal.NewFromInt(base.Days))
	v.limit = min(BreakEvenMaxFactor*max(base.CallsPerDay, 1), MaxCallsPerDay)
	return v.run(1) // at no calls both cost nothing: the question is from the first call
}

// firstFrom is the first region's start, none without a region.
func firstFrom(rs []Region) Opt[int64] {
	if len(rs) == 0 {
		return Opt[int64]{}
	}
	return Some(rs[0].From)
}

// InRegions says whether x calls a day lies in one of the regions, each
// open one running to limit.
func InRegions(rs []Region, x int64) bool {
	for _, g := range rs {
		if x >= g.From && (!g.To.Valid || x <= g.To.Val) {
			return true
		}
	}
	return false
}
