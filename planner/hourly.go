package planner

import (
	"math/big"

	"github.com/shopspring/decimal"
)

// The typical day of a phase, hour by hour, in exact integers.
//
// Every hourly quantity is a multiple of one small unit 10^E: the load
// numerator L_h = calls_per_day × 24 × w_h, a node's full capacity
// R = 86400 × Σw × node_rps and its planned capacity U = R × target_utilization,
// all over the common denominator D = 86400 × Σw (so λ_h = L_h / D). Comparing
// and subtracting them needs no division, so node counts and overflow are
// exact; and working in reused big.Int buffers keeps a 1,000-phase plan
// computable on every keystroke.

// dayResult is what the hourly walk finds, still over the denominator D.
type dayResult struct {
	nodes     [24]int64
	nodeSum   int64           // Σ_h nodes_h
	overflow  decimal.Decimal // Σ_h (L_h − capacity_h)⁺
	served    decimal.Decimal // Σ_h min(L_h, capacity_h)
	capacity  decimal.Decimal // Σ_h capacity_h
	peakLoad  decimal.Decimal // L_h of the hour with the highest load ÷ capacity
	peakCap   decimal.Decimal // its capacity
	peakValid bool            // false when some hour has load and no capacity
}

// profileInts is an hourly profile as integer coefficients of 10^exp.
type profileInts struct {
	w    [24]big.Int
	sum  big.Int
	exp  int32
	peak int // first hour of the largest weight
}

func newProfileInts(p *Profile) *profileInts {
	pi := &profileInts{exp: 0}
	for _, w := range p {
		pi.exp = min(pi.exp, w.Exponent())
	}
	for h, w := range p {
		scaleTo(&pi.w[h], w, pi.exp)
		pi.sum.Add(&pi.sum, &pi.w[h])
		if pi.w[h].Cmp(&pi.w[pi.peak]) > 0 {
			pi.peak = h
		}
	}
	return pi
}

// scratch holds the big.Int buffers one Compute reuses across its phases.
type scratch struct {
	load                           [24]big.Int
	full, planned, q, r, t1, t2, n big.Int
	over                           big.Int
	// forced, when set, is the fleet each hour runs, whatever the load
	// needs: the volume searches bound a phase's cost between two
	// volumes by pricing one volume's load on another's fleet.
	forced *[24]int64
	cache  *Cache // the latency figures the computation reuses
	token  tokenMemo
}

// pow10Big returns 10^n as a new big.Int.
func pow10Big(n int32) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}

// scaleTo sets z to d's value in units of 10^e (e must not exceed d's exponent).
func scaleTo(z *big.Int, d decimal.Decimal, e int32) *big.Int {
	z.Set(d.Coefficient())
	if k := d.Exponent() - e; k > 0 {
		z.Mul(z, pow10Big(k))
	}
	return z
}

// simulateDay walks one phase's day. nodes is the ceiling; a fixed fleet
// runs it every hour, a predictive one what the hour's load needs, an
// autoscaler what the previous hour's load needed. What a load needs is the
// larger of the utilization count and, when p99 is non-nil, the p99 count
// for that load.
func (s *scratch) simulateDay(prof *profileInts, cpd int64, a *Assumptions, nodes int64, scaling Scaling, p99 *[24]int64) dayResult {
	// Units: L_h comes in 10^prof.exp; R in 10^(prof.exp + e_rps); U in
	// 10^(prof.exp + e_rps + e_tu). Bring all three to the smallest.
	eRPS, eTU := a.NodeRPS.Exponent(), a.TargetUtilization.Exponent()
	e := prof.exp + min(0, eRPS, eRPS+eTU)

	s.full.Mul(big.NewInt(86_400), &prof.sum)
	s.full.Mul(&s.full, a.NodeRPS.Coefficient())
	s.planned.Mul(&s.full, a.TargetUtilization.Coefficient())
	if k := prof.exp + eRPS + eTU - e; k > 0 {
		s.planned.Mul(&s.planned, pow10Big(k))
	}
	if k := prof.exp + eRPS - e; k > 0 {
		s.full.Mul(&s.full, pow10Big(k))
	}
	k := big.NewInt(cpd * 24)
	if up := prof.exp - e; up > 0 {
		k.Mul(k, pow10Big(up))
	}
	for h := range s.load {
		s.load[h].Mul(k, &prof.w[h])
	}

	var out dayResult
	s.over.SetInt64(0)
	bestLoad, bestNodes := -1, int64(0) // the hour with the highest load per node so far
	out.peakValid = true
	for h := range s.load {
		n := nodes
		switch scaling {
		case Predictive:
			n = s.schedule(&s.load[h], nodes, a.MinNodes)
			if p99 != nil {
				n = max(n, min(nodes, p99[h]))
			}
		case Autoscale:
			prev := (h + 23) % 24 // hour 0 follows hour 23
			n = s.schedule(&s.load[prev], nodes, a.MinNodes)
			if p99 != nil {
				n = max(n, min(nodes, p99[prev]))
			}
		}
		if s.forced != nil {
			n = s.forced[h]
		}
		out.nodes[h] = n
		out.nodeSum += n
		s.n.SetInt64(n)
		s.t1.Mul(&s.full, &s.n)     // capacity_h
		s.t1.Sub(&s.load[h], &s.t1) // load − capacity
		if s.t1.Sign() > 0 {
			s.over.Add(&s.over, &s.t1)
		}
		switch {
		case n == 0 && s.load[h].Sign() > 0:
			out.peakValid = false
		case n > 0:
			// load_h/n_h > load_best/n_best ⇔ load_h·n_best > load_best·n_h
			if bestLoad < 0 {
				bestLoad, bestNodes = h, n
				break
			}
			s.t1.Mul(&s.load[h], big.NewInt(bestNodes))
			s.t2.Mul(&s.load[bestLoad], &s.n)
			if s.t1.Cmp(&s.t2) > 0 {
				bestLoad, bestNodes = h, n
			}
		}
	}
	// Σ load = cpd·24·Σw; served = Σ load − overflow; capacity = R·Σ nodes.
	s.t1.Mul(k, &prof.sum)
	s.t2.Sub(&s.t1, &s.over)
	out.overflow = decimal.NewFromBigInt(new(big.Int).Set(&s.over), e)
	out.served = decimal.NewFromBigInt(new(big.Int).Set(&s.t2), e)
	s.t1.Mul(&s.full, big.NewInt(out.nodeSum))
	out.capacity = decimal.NewFromBigInt(new(big.Int).Set(&s.t1), e)
	if bestLoad >= 0 {
		out.peakLoad = decimal.NewFromBigInt(new(big.Int).Set(&s.load[bestLoad]), e)
		s.t1.Mul(&s.full, big.NewInt(bestNodes))
		out.peakCap = decimal.NewFromBigInt(new(big.Int).Set(&s.t1), e)
	} else {
		out.peakValid = false
	}
	return out
}

// schedule is min(ceiling, max(minNodes, ceil(load / planned))).
func (s *scratch) schedule(load *big.Int, ceiling, minNodes int64) int64 {
	need := int64(0)
	if load.Sign() > 0 {
		s.q.QuoRem(load, &s.planned, &s.r)
		if s.r.Sign() > 0 {
			s.q.Add(&s.q, big.NewInt(1))
		}
		need = maxScheduled
		if s.q.IsInt64() && s.q.Int64() < need {
			need = s.q.Int64()
		}
	}
	return min(ceiling, max(minNodes, need))
}
