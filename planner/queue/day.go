package queue

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
)

// A phase's latency over its typical day (docs/model.md): each hour an
// M/G/c queue of the hour's servers at its served load, the worst hour,
// the day's quantiles over all its calls, and the fewest nodes each hour
// needs for a p99 target.

// ms writes milliseconds to 0.1 ms.
func ms(x float64) string { return format.Decimal(decimal.NewFromFloat(x), 1) }

// Model is one phase's latency inputs as floats: its service time, the
// slots a node serves at once, a node's throughput and the fixed seconds
// every call pays besides its wait and service.
type Model struct {
	Svc      Service
	Slots    int64
	NodeRPS  float64
	FixedSec float64
	MaxNodes int64 // the most nodes a sizing may ask for
}

// Inputs are the figures a day's latency reports beside its own: the
// service time and the fixed parts of every call, in milliseconds.
type Inputs struct {
	ServiceMs, ServiceCV, NetworkMs, PreprocessMs, PostprocessMs, ComponentsMs float64
}

// HourLatency is one hour of a phase's typical day as the latency model
// sees it.
type HourLatency struct {
	Hour        int
	LoadRPS     float64 // the load the fleet serves this hour (overflow set aside)
	Nodes       int64
	Servers     int64   // nodes × slots
	Utilization float64 // load ÷ (servers ÷ service time); 0 with no servers
	WaitProb    float64 // the share of calls that wait at all
	QueueP99Ms  float64 // the wait's own 99th percentile
	P50Ms       float64 // fixed + the median of wait + service
	P99Ms       float64 // fixed + the 99th percentile of wait + service
	Saturated   bool    // load ≥ what the servers can serve: no steady state
	Idle        bool    // no calls served this hour (no load, or no nodes)
	// Outside says how the hour's queue lies outside the validation grid
	// (OutsideGrid): its p99 was never measured against the simulator.
	Outside string
}

// DayLatency is a phase's latency over its typical day.
type DayLatency struct {
	Estimated bool   // false without a service time, or with inconsistent inputs: nothing below but Why is set
	Why       string // why latency is not estimated

	Slots                                           int64
	ServiceMs, ServiceCV                            float64
	NetworkMs, PreprocessMs, PostprocessMs, FixedMs float64
	ComponentsMs                                    float64 // what the plan's components on the request path add (part of FixedMs)
	Hours                                           [24]HourLatency
	Hour                                            int  // the worst hour: the highest p99, a saturated hour first
	Saturated                                       bool // the worst hour is saturated
	P99Ms                                           float64
	DaySaturated                                    bool    // some hour with calls is saturated: the day's quantiles do not exist
	Partial                                         bool    // a what-if: only the hours' p99 were worked out, not p50 nor the day
	P50Ms, P99DayMs                                 float64 // over all of the typical day's calls
	HoursOver                                       int     // hours whose p99 is over the target (saturated ones included)
	CallsOverShare                                  float64 // the share of the day's served calls in those hours
	Band                                            *Band   // the validated error band of the region the worst hour is in
	HoursOutside                                    int     // served, unsaturated hours outside the validation grid
}

// Worst is the worst hour.
func (l *DayLatency) Worst() *HourLatency { return &l.Hours[l.Hour] }

// OutsideWords says which hours' p99 lie outside the validation grid, and
// why; "" when every hour is inside it.
func (l *DayLatency) OutsideWords() string {
	if l.HoursOutside == 0 {
		return ""
	}
	var hours []string
	why, served := "", 0
	for h := range l.Hours {
		hl := &l.Hours[h]
		if hl.Idle || hl.Saturated {
			continue
		}
		served++
		if hl.Outside != "" {
			hours = append(hours, fmt.Sprintf("%02d:00", h))
			if why == "" || h == l.Hour {
				why = hl.Outside
			}
		}
	}
	which := fmt.Sprintf("%d of 24 hours (%s) lie", l.HoursOutside, strings.Join(hours, ", "))
	if len(hours) == served {
		which = "Every hour with calls lies"
	}
	return which + " outside the validated grid (" + why + "): no error band is claimed for the model's p99 there; beyond the grid it was measured from 28 % low to 200 % high against the simulator (docs/model.md)"
}

// FloorMs is what a call takes with no queueing at the 99th percentile:
// the fixed components plus the service time's own p99.
func (m *Model) FloorMs() float64 { return 1000 * (m.FixedSec + m.Svc.Quantile(0.99)) }

// Meets reports whether n nodes at load λ keep the p99 within target ms:
// P(W + S > target − fixed) ≤ 1 %.
func (m *Model) Meets(n int64, lambda, targetSec float64) bool {
	q, ok := NewHour(&m.Svc, n*m.Slots, lambda)
	if !ok {
		return false
	}
	return q.Survival(targetSec-m.FixedSec) <= 0.01
}

// NodesForP99From is the fewest nodes whose p99 at load λ meets target
// ms, or a reason no count does; known is a count already known to be no
// more than the answer (0 if none). p99 falls as nodes are added, so it
// brackets the answer by doubling and then bisects: a million-node fleet
// takes a few dozen evaluations.
func (m *Model) NodesForP99From(lambda, target float64, known int64) (int64, string) {
	if lambda <= 0 {
		return 0, ""
	}
	if floor := m.FloorMs(); floor >= target {
		return 0, fmt.Sprintf("the p99 target of %s ms is not above the %s ms a call takes without queueing (fixed components and the service time's own p99)",
			ms(target), ms(floor))
	}
	t := target / 1000
	lo := int64(math.Floor(lambda * m.Svc.Mean() / float64(m.Slots))) // unstable: too few
	lo = max(lo, known-1)
	hi := lo + 1
	for !m.Meets(hi, lambda, t) {
		if hi > m.MaxNodes {
			return 0, fmt.Sprintf("meeting the p99 target would take more than %s nodes", format.Count(m.MaxNodes))
		}
		lo, hi = hi, hi+max(1, hi-lo)*2
	}
	for hi-lo > 1 { // lo fails (or is below every stable pool), hi Meets
		mid := lo + (hi-lo)/2
		if m.Meets(mid, lambda, t) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi, ""
}

// Hour evaluates hour h with n nodes at served load λ.
func (m *Model) Hour(h int, n int64, lambda float64, mode DayMode) HourLatency {
	hl := HourLatency{Hour: h, LoadRPS: lambda, Nodes: n, Servers: n * m.Slots}
	if lambda <= 0 || n <= 0 {
		hl.Idle = true
		return hl
	}
	hl.Utilization = lambda * m.Svc.Mean() / float64(hl.Servers)
	q, ok := NewHour(&m.Svc, hl.Servers, lambda)
	if !ok {
		hl.Saturated, hl.WaitProb = true, 1
		return hl
	}
	hl.WaitProb = q.C
	hl.Outside = OutsideGrid(hl.Servers, hl.Utilization, m.Svc.CV())
	hl.QueueP99Ms = 1000 * q.WaitQuantile(0.99)
	if mode == DayFull {
		hl.P50Ms = 1000 * (m.FixedSec + q.Quantile(0.5))
	}
	if mode != DayWorst { // DayWorst solves only the hours that can be the worst (EvalDay)
		hl.P99Ms = 1000 * (m.FixedSec + q.Quantile(0.99))
	}
	return hl
}

// DayMode is how much of a typical day's latency is worked out.
type DayMode int

const (
	DayFull  DayMode = iota // each hour's p50 and p99, and the day's quantiles
	DayHours                // each hour's p99 (Partial): the what-ifs
	// DayWorst finds the worst hour's p99 alone (Partial; the other hours'
	// P99Ms are 0 and HoursOver is not counted): a risk draw. It solves the
	// busiest hour, then only the hours whose p99 lies beyond it, which a
	// single evaluation of each hour's tail at that p99 tells.
	DayWorst
)

// EvalDay evaluates the whole typical day: each hour, the worst of them,
// and the quantiles over all the day's calls (the hours mixed by their
// served load), against a p99 target in ms when hasTarget. See DayMode for
// what each mode works out.
func (m *Model) EvalDay(in Inputs, nodes *[24]int64, load *[24]float64, target float64, hasTarget bool, mode DayMode) DayLatency {
	l := DayLatency{Estimated: true, Slots: m.Slots, ServiceMs: in.ServiceMs, ServiceCV: in.ServiceCV,
		NetworkMs: in.NetworkMs, PreprocessMs: in.PreprocessMs, PostprocessMs: in.PostprocessMs,
		ComponentsMs: in.ComponentsMs, FixedMs: 1000 * m.FixedSec}
	var queues [24]Hour
	var weights [24]float64
	total := 0.0
	cache := map[[2]float64]int{} // hours with the same pool and load come out the same
	worst := -1
	for h := 0; h < 24; h++ {
		capacity := float64(nodes[h]) * m.NodeRPS
		served := math.Min(load[h], capacity)
		key := [2]float64{float64(nodes[h]), served}
		if k, ok := cache[key]; ok {
			l.Hours[h] = l.Hours[k]
			l.Hours[h].Hour = h
			queues[h] = queues[k]
		} else {
			l.Hours[h] = m.Hour(h, nodes[h], served, mode)
			queues[h], _ = NewHour(&m.Svc, nodes[h]*m.Slots, served)
			cache[key] = h
		}
		// An hour whose load reaches the fleet's capacity runs flat out and
		// sends the rest to batch: no steady state, whatever the queue's own
		// arithmetic says within the 5 % the inputs may disagree by.
		// Its utilization is what was offered, over 1.
		if hl := &l.Hours[h]; !hl.Idle && load[h] >= capacity {
			*hl = HourLatency{Hour: h, LoadRPS: served, Nodes: nodes[h], Servers: hl.Servers,
				Utilization: load[h] * m.Svc.Mean() / float64(hl.Servers), WaitProb: 1, Saturated: true}
		}
		hl := &l.Hours[h]
		if hl.Idle {
			continue
		}
		if !hl.Saturated && hl.Outside != "" {
			l.HoursOutside++
		}
		weights[h] = served
		total += served
		if hl.Saturated {
			l.DaySaturated = true
		}
		if mode == DayWorst {
			// Saturated hours first, else the busiest: a candidate;
			// worstHour settles it.
			if worst < 0 || (hl.Saturated && !l.Hours[worst].Saturated) ||
				(hl.Saturated == l.Hours[worst].Saturated && hl.Utilization > l.Hours[worst].Utilization) {
				worst = h
			}
			continue
		}
		if worst < 0 || worse(hl, &l.Hours[worst]) {
			worst = h
		}
	}
	if worst < 0 {
		return DayLatency{Why: "no calls are served by the fleet"}
	}
	if mode == DayWorst {
		worst = m.worstHour(&l, &queues, worst)
		l.Hour, l.Saturated, l.P99Ms, l.Partial = worst, l.Hours[worst].Saturated, l.Hours[worst].P99Ms, true
		if !l.Saturated {
			l.Band = BandOf(l.Hours[worst].Servers, l.Hours[worst].Utilization, l.ServiceCV)
		}
		return l
	}
	l.Hour, l.Saturated, l.P99Ms = worst, l.Hours[worst].Saturated, l.Hours[worst].P99Ms
	if hasTarget {
		t := target
		for h := range l.Hours {
			if hl := &l.Hours[h]; !hl.Idle && (hl.Saturated || hl.P99Ms > t) {
				l.HoursOver++
				l.CallsOverShare += weights[h] / total
			}
		}
	}
	if !l.Saturated {
		l.Band = BandOf(l.Hours[worst].Servers, l.Hours[worst].Utilization, l.ServiceCV)
	}
	if l.DaySaturated || mode == DayHours {
		l.Partial = mode == DayHours
		return l
	}
	// The day mixes the hours by served load; hours alike are one term.
	type term struct {
		q *Hour
		w float64
		h int
	}
	var terms []term
	for h := range queues {
		if weights[h] == 0 {
			continue
		}
		merged := false
		for k := range terms {
			if queues[terms[k].h] == queues[h] {
				terms[k].w += weights[h]
				merged = true
				break
			}
		}
		if !merged {
			terms = append(terms, term{q: &queues[h], w: weights[h], h: h})
		}
	}
	mix := func(x float64) (float64, float64) {
		s, d := 0.0, 0.0
		for _, t := range terms {
			ts, td := t.q.Both(x)
			s += t.w * ts
			d += t.w * td
		}
		return s / total, d / total
	}
	dayQ := func(p float64) float64 {
		lo, hi := math.Inf(1), 0.0
		for _, t := range terms {
			x := l.Hours[t.h].P50Ms/1000 - m.FixedSec
			if p > 0.5 {
				x = l.Hours[t.h].P99Ms/1000 - m.FixedSec
			}
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
		// the mixture's quantile lies between its hours' quantiles
		return 1000 * (m.FixedSec + SolveQuantile(1-p, math.Max(0, lo-QuantileTol), hi+QuantileTol, mix))
	}
	l.P50Ms, l.P99DayMs = dayQ(0.5), dayQ(0.99)
	return l
}

// worse reports whether hour a's p99 is worse than b's: saturated beats
// everything (the busier of two saturated hours is worse), then higher p99.
// worstHour finds the hour with the highest p99 from a candidate (a
// saturated hour, which is worst already, or the busiest): an hour's p99
// exceeds the best so far exactly when its tail at that p99 is above 1 %,
// and only those hours are solved.
func (m *Model) worstHour(l *DayLatency, queues *[24]Hour, cand int) int {
	if l.Hours[cand].Saturated {
		return cand
	}
	solve := func(h int) {
		l.Hours[h].P99Ms = 1000 * (m.FixedSec + queues[h].Quantile(0.99))
	}
	solve(cand)
	best := cand
	for h := range l.Hours {
		hl := &l.Hours[h]
		if h == best || hl.Idle || queues[h] == queues[best] {
			continue
		}
		// No more load on no fewer servers: the wait is no longer (Erlang C
		// falls as servers are added and rises with load), so neither is
		// the p99.
		if b := &l.Hours[best]; hl.Servers >= b.Servers && hl.LoadRPS <= b.LoadRPS {
			continue
		}
		if queues[h].Survival(l.Hours[best].P99Ms/1000-m.FixedSec) > 0.01 {
			solve(h)
			if hl.P99Ms > l.Hours[best].P99Ms {
				best = h
			}
		}
	}
	return best
}

func worse(a, b *HourLatency) bool {
	switch {
	case a.Saturated && b.Saturated:
		return a.Utilization > b.Utilization
	case a.Saturated != b.Saturated:
		return a.Saturated
	}
	return a.P99Ms > b.P99Ms
}

func (m *Model) EvalNeeds(load *[24]float64, target float64) (*[24]int64, string) {
	var need [24]int64
	order := make([]int, 0, 24)
	for h := range load {
		order = append(order, h)
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(load[a], load[b]) })
	prevLoad, prevNeed := -1.0, int64(0)
	for _, h := range order {
		if load[h] == prevLoad {
			need[h] = prevNeed
			continue
		}
		n, why := m.NodesForP99From(load[h], target, prevNeed)
		if why != "" {
			return nil, why
		}
		need[h], prevLoad, prevNeed = n, load[h], n
	}
	return &need, ""
}

// HasDay reports whether the day's quantiles were worked out: not for a
// what-if (Partial) nor when some hour is saturated.
func (l *DayLatency) HasDay() bool { return !l.DaySaturated && !l.Partial }

// P99OK reports whether the worst hour meets target.
func (l *DayLatency) P99OK(target decimal.Decimal) bool {
	return l.Estimated && !l.Saturated && l.P99Ms <= target.InexactFloat64()
}

// OverWords says how much of the day misses the target, when more than the
// worst hour does: "; 15 of 24 hours (35.5 % of calls) are over".
func (l *DayLatency) OverWords() string {
	if l.HoursOver <= 1 {
		return ""
	}
	return fmt.Sprintf("; %d of 24 hours (%s of calls) are over", l.HoursOver, format.Percent(decimal.NewFromFloat(l.CallsOverShare), 1))
}
