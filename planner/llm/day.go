package llm

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Serving is a fleet's replicas: how one serves, how many a node runs, and
// the fixed latency (network, processing, components) every call pays on
// its first token and its last.
type Serving struct {
	Replica
	PerNode int // replicas a node runs
	FixedMs float64
}

// Targets are the objectives an hour's fleet must meet; 0 sets none.
type Targets struct {
	TTFTp99, TPOTp99 float64 // ms, TTFT with the fixed latency
	Goodput          float64 // the share of calls meeting both
	EndToEndP99      float64 // ms, arrival to last token with the fixed latency
}

// The objectives' names, as sizing_bound and the checks call them.
const (
	BoundTTFT      = "ttft"
	BoundTPOT      = "tpot"
	BoundGoodput   = "goodput"
	BoundEndToEnd  = "p99"
	BoundCapacity  = "capacity" // the load needs this many nodes merely to be served
	maxSearchNodes = 1_000_000
)

// NodeCapacity is a node's calls a second at a full batch.
func (s *Serving) NodeCapacity() float64 { return s.Capacity() * float64(max(s.PerNode, 1)) }

// at is the chain of nodes serving rate.
func (s *Serving) at(rate float64, nodes int64) (*Load, bool) {
	if nodes <= 0 {
		return nil, rate <= 0
	}
	return s.At(rate, int(nodes)*max(s.PerNode, 1))
}

// failing names the first objective nodes miss at rate ("" when all are
// met).
func (s *Serving) failing(rate float64, nodes int64, t Targets) string {
	if rate <= 0 {
		return ""
	}
	l, ok := s.at(rate, nodes)
	if !ok {
		return BoundCapacity
	}
	return misses(l, s, t, false)
}

// misses names the first objective l misses, in the order TTFT, TPOT,
// goodput, end to end ("" when all are met). any: the caller only asks
// whether one is missed, so TPOT, which needs no TTFT law, is tried first.
func misses(l *Load, s *Serving, t Targets, any bool) string {
	tpot := func() bool { return t.TPOTp99 > 0 && s.Output > 1 && l.TPOTCDF(t.TPOTp99) < 0.99 }
	if any && tpot() {
		return BoundTPOT
	}
	switch {
	case t.TTFTp99 > 0 && l.TTFTCDF(t.TTFTp99-s.FixedMs) < 0.99:
		return BoundTTFT
	case tpot():
		return BoundTPOT
	case t.Goodput > 0 && l.Goodput(s.FixedMs, t.TTFTp99, t.TPOTp99) < t.Goodput:
		return BoundGoodput
	case t.EndToEndP99 > 0 && l.endToEndCDF(t.EndToEndP99-s.FixedMs) < 0.99:
		return BoundEndToEnd
	}
	return ""
}

// meets says whether nodes meet every objective at rate.
func (s *Serving) meets(rate float64, nodes int64, t Targets) bool {
	if rate <= 0 {
		return true
	}
	l, ok := s.at(rate, nodes)
	return ok && misses(l, s, t, true) == ""
}

// Floor says why no fleet meets t, or "": the figures of one call alone
// on a replica, which no number of nodes improves on.
func (s *Serving) Floor(t Targets) string {
	alone := s.StepBaseMs + s.prefillMs() + s.FixedMs
	decode := s.StepBaseMs + s.StepPerSeqMs
	switch {
	case t.TTFTp99 > 0 && t.TTFTp99 < alone:
		return fmt.Sprintf("the TTFT p99 target of %.1f ms is below a call's TTFT on an idle replica, %.1f ms (a step of %.1f ms, its prefill of %.1f ms and %.1f ms fixed); no number of nodes meets it",
			t.TTFTp99, alone, s.StepBaseMs, s.prefillMs(), s.FixedMs)
	case t.TPOTp99 > 0 && s.Output > 1 && t.TPOTp99 < decode:
		return fmt.Sprintf("the TPOT p99 target of %.2f ms is below a decode step with one sequence, %.2f ms; no number of nodes meets it", t.TPOTp99, decode)
	case t.EndToEndP99 > 0 && t.EndToEndP99 < alone+(s.Output-1)*decode && !s.Geometric:
		return fmt.Sprintf("the p99 target of %.1f ms is below one call alone, %.1f ms; no number of nodes meets it", t.EndToEndP99, alone+(s.Output-1)*decode)
	}
	return ""
}

// Bounds are what is known of a fleet of n nodes at the targets: it met
// them at Met calls a second and missed them at Missed (+Inf when never
// seen missing). More load never helps, so any load up to Met meets and
// any from Missed on misses.
type Bounds struct{ Met, Missed float64 }

// Memo keeps Bounds by node count for one Serving and Targets: a plan's
// hours, phases and break-even volumes ask about many loads on the same
// few fleets, and each answer narrows the next.
type Memo interface {
	Get(n int64) (Bounds, bool)
	Put(n int64, b Bounds)
}

// NodesFor is the fewest nodes, at least from, meeting t at rate; why
// says why none does. memo, if not nil, keeps what each fleet was seen to
// do.
func (s *Serving) NodesFor(rate float64, t Targets, from int64, memo Memo) (n int64, why string) {
	return s.nodesFor(rate, t, from, 0, memo)
}

// nodesFor is NodesFor with a guess: u, when not 0, is a utilization a
// smaller load was met at. A bigger fleet pools better, so rate ÷ (u ×
// a node's capacity) nodes most likely meet the load too; the search
// starts there and gallops down, probing fleets near the answer rather
// than the one that barely serves the load (the costliest to work out,
// its chain the widest, and nearly always a miss).
func (s *Serving) nodesFor(rate float64, t Targets, from int64, u float64, memo Memo) (n int64, why string) {
	if rate <= 0 {
		return 0, ""
	}
	if why := s.Floor(t); why != "" {
		return 0, why
	}
	meets := func(n int64) bool {
		b := Bounds{Missed: math.Inf(1)}
		if memo != nil {
			if known, ok := memo.Get(n); ok {
				b = known
			}
		}
		switch {
		case rate <= b.Met:
			return true
		case rate >= b.Missed:
			return false
		}
		ok := s.meets(rate, n, t)
		if ok {
			b.Met = rate
		} else {
			b.Missed = rate
		}
		if memo != nil {
			memo.Put(n, b)
		}
		return ok
	}
	lo := max(int64(math.Floor(rate/s.NodeCapacity()))+1, from, 1) // fewer cannot serve it at all
	if lo > maxSearchNodes {
		return 0, fmt.Sprintf("the load needs more than %d nodes", maxSearchNodes)
	}
	start := lo
	if u > 0 && u < 1 {
		start = min(max(lo, int64(math.Ceil(rate/(u*s.NodeCapacity())))), maxSearchNodes)
	}
	good := start
	if meets(start) {
		// from or the guess may be above the need: gallop down to a count
		// that misses, at worst the most that cannot serve the load at all.
		floor := int64(math.Floor(rate / s.NodeCapacity()))
		for step := int64(1); ; step *= 2 {
			n := good - step
			if n <= floor {
				good = s.bisect(meets, floor, good)
				break
			}
			if !meets(n) {
				good = s.bisect(meets, n, good)
				break
			}
			good = n
		}
	} else {
		bad, step := start, int64(1) // gallop up from a count that misses
		for {
			n := bad + step
			if n > maxSearchNodes {
				return 0, fmt.Sprintf("no fleet of up to %d nodes meets the targets at %.1f calls/s", maxSearchNodes, rate)
			}
			if meets(n) {
				good = s.bisect(meets, bad, n)
				break
			}
			bad, step = n, step*2
		}
	}
	return good, ""
}

// Binding names the objective that sets n nodes at rate: the one n − 1
// nodes miss ("capacity" when they cannot serve the load at all).
func (s *Serving) Binding(rate float64, n int64, t Targets) string {
	if n <= 1 {
		return BoundCapacity
	}
	return s.failing(rate, n-1, t)
}

// bisect finds the fewest nodes in (bad, good] that meet, good meeting.
func (s *Serving) bisect(meets func(int64) bool, bad, good int64) int64 {
	for good-bad > 1 {
		if mid := bad + (good-bad)/2; meets(mid) {
			good = mid
		} else {
			bad = mid
		}
	}
	return good
}

// Needs is, for each hour, the fewest nodes meeting t at its load; why
// says why no count does. Need grows with
// load, so the hours are sized in increasing order of load, each search
// starting from the last answer. memo is as for NodesFor.
func (s *Serving) Needs(load *[24]float64, t Targets, memo Memo) (need [24]int64, why string) {
	order := make([]int, 24)
	for h := range order {
		order[h] = h
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(load[a], load[b]) })
	prev, prevLoad := int64(0), -1.0
	for _, h := range order {
		if load[h] == prevLoad {
			need[h] = prev
			continue
		}
		u := 0.0 // the utilization the last hour ran at
		if prev > 0 {
			u = prevLoad / (float64(prev) * s.NodeCapacity())
		}
		n, w := s.nodesFor(load[h], t, prev, u, memo)
		if w != "" {
			return need, w
		}
		need[h], prev, prevLoad = n, n, load[h]
	}
	return need, ""
}

// Hour is one hour's figures on its fleet, fixed latency included where
// it applies (TTFT, end to end); Saturated when the load reaches the
// fleet's capacity (then only Rate and Nodes hold).
type Hour struct {
	Rate                 float64
	Nodes                int64
	Saturated            bool
	TTFTp50, TTFTp99     float64
	TPOTp50, TPOTp99     float64
	EndToEndP50          float64
	EndToEndP99          float64
	Goodput              float64 // NaN with no token target
	BatchMean, BatchFull float64
}

// Day is a phase's typical day.
type Day struct {
	Hours [24]Hour
	// The worst hours (-1 when every hour is saturated or idle).
	TTFTp99Hour, TPOTp99Hour, EndToEndP99Hour int
	Goodput                                   float64 // over the day's calls; NaN with no token target
	Saturated                                 bool    // some hour with load is
}

// Eval works out each hour on its fleet. Goodput is reported when a TTFT
// or TPOT target is set.
func (s *Serving) Eval(load *[24]float64, nodes *[24]int64, t Targets) Day {
	d := Day{TTFTp99Hour: -1, TPOTp99Hour: -1, EndToEndP99Hour: -1}
	withGoodput := t.TTFTp99 > 0 || t.TPOTp99 > 0
	met, calls := 0.0, 0.0
	for h := range d.Hours {
		hr := &d.Hours[h]
		hr.Rate, hr.Nodes, hr.Goodput = load[h], nodes[h], math.NaN()
		l, ok := s.at(load[h], nodes[h])
		if !ok {
			hr.Saturated = true
			d.Saturated = true
			calls += load[h]
			continue
		}
		if load[h] <= 0 {
			continue
		}
		f := l.Figures()
		hr.TTFTp50, hr.TTFTp99 = f.TTFTp50+s.FixedMs, f.TTFTp99+s.FixedMs
		hr.TPOTp50, hr.TPOTp99 = f.TPOTp50, f.TPOTp99
		hr.EndToEndP50, hr.EndToEndP99 = f.EndToEndP50+s.FixedMs, f.EndToEndP99+s.FixedMs
		hr.BatchMean, hr.BatchFull = f.BatchMean, f.BatchFullShare
		if withGoodput {
			hr.Goodput = l.Goodput(s.FixedMs, t.TTFTp99, t.TPOTp99)
			met += hr.Goodput * load[h]
		}
		calls += load[h]
		if d.TTFTp99Hour < 0 || hr.TTFTp99 > d.Hours[d.TTFTp99Hour].TTFTp99 {
			d.TTFTp99Hour = h
		}
		if d.TPOTp99Hour < 0 || hr.TPOTp99 > d.Hours[d.TPOTp99Hour].TPOTp99 {
			d.TPOTp99Hour = h
		}
		if d.EndToEndP99Hour < 0 || hr.EndToEndP99 > d.Hours[d.EndToEndP99Hour].EndToEndP99 {
			d.EndToEndP99Hour = h
		}
	}
	d.Goodput = math.NaN()
	if withGoodput && calls > 0 {
		d.Goodput = met / calls // a saturated hour's calls count as missing
	}
	return d
}
