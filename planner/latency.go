package planner

import (
	"github.com/scaleplan/scaleplan/planner/queue"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
)

// The latency model (docs/model.md, "Latency"), hour by hour.
//
// A node serves up to `slots` calls at once; each call holds a slot for
// `service_ms` on average, with coefficient of variation `service_cv`. The
// queue of hour h is M/G/c with c = nodes_h × slots servers and that one
// service time (queue.go has the arithmetic), at the load the fleet serves
// that hour (what overflows goes to batch). A call's latency is the fixed
// components (network, pre- and post-processing) plus its wait plus its
// service time; p50 and p99 are quantiles of that sum.
//
// The latency inputs imply a node capacity of slots × 1000 / service_ms
// req/s; when that disagrees with node_rps by more than ConsistencyTolerance,
// the two cannot both be right, the phase fails the consistency check and
// latency is not estimated rather than guessed.

// ConsistencyTolerance is how far (a share of node_rps) the capacity implied
// by slots and service_ms may stray from node_rps.
var ConsistencyTolerance = decimal.RequireFromString("0.05")

// consistency compares node_rps with the capacity the latency inputs imply.
// It returns the implied capacity and whether the two agree.
func consistency(a *Assumptions) (decimal.Decimal, bool) {
	implied := decimal.NewFromInt(a.Slots).Mul(decimal.NewFromInt(1000)).DivRound(a.ServiceMs, DivPlaces)
	gap := implied.Sub(a.NodeRPS).Abs()
	return implied, gap.LessThanOrEqual(a.NodeRPS.Mul(ConsistencyTolerance))
}

// newLatencyModel returns the phase's latency model, or ok false and the
// reason it has none.
func newLatencyModel(a *Assumptions, c *Cache) (m latencyModel, ok bool, why string) {
	if a.ServiceMs.Sign() <= 0 {
		return m, false, "the plan gives no service time"
	}
	if _, agree := consistency(a); !agree {
		return m, false, "node throughput and the latency inputs disagree (see the consistency check)"
	}
	slots := max(a.Slots, 1)
	return latencyModel{
		Svc:      c.service(a.ServiceMs.InexactFloat64()/1000, a.ServiceCV.InexactFloat64()),
		Slots:    slots,
		NodeRPS:  a.NodeRPS.InexactFloat64(),
		FixedSec: a.FixedMs().InexactFloat64() / 1000,
		MaxNodes: MaxNodes,
	}, true, ""
}

// The latency model of one phase is planner/queue's Model; its day and
// hour figures are queue's.
type (
	latencyModel = queue.Model
	Latency      = queue.DayLatency
	HourLatency  = queue.HourLatency
	dayMode      = queue.DayMode
)

const (
	dayFull  = queue.DayFull
	dayHours = queue.DayHours
	dayWorst = queue.DayWorst
)

// latencyDay evaluates the phase's typical day with m (queue's EvalDay).
// Phases an edit did not touch come from the cache; a risk draw (dayWorst)
// is not cached: no two draws are alike.
func latencyDay(m *latencyModel, c *Cache, a *Assumptions, nodes *[24]int64, load *[24]float64, target Opt[decimal.Decimal], mode dayMode) Latency {
	in := queue.Inputs{ServiceMs: a.ServiceMs.InexactFloat64(), ServiceCV: a.ServiceCV.InexactFloat64(),
		NetworkMs: a.NetworkMs.InexactFloat64(), PreprocessMs: a.PreprocessMs.InexactFloat64(), PostprocessMs: a.PostprocessMs.InexactFloat64(),
		ComponentsMs: a.componentsMs.InexactFloat64()}
	t := target.Val.InexactFloat64()
	if mode == dayWorst {
		return m.EvalDay(in, nodes, load, t, target.Valid, mode)
	}
	k := dayKey{m: *m, nodes: *nodes, load: *load, mode: mode,
		in: [4]float64{a.NetworkMs.InexactFloat64(), a.PreprocessMs.InexactFloat64(), a.PostprocessMs.InexactFloat64(), a.ServiceCV.InexactFloat64()}}
	if target.Valid {
		k.target = Some(target.Val.InexactFloat64())
	}
	if l, ok := c.day.Get(k); ok {
		return l
	}
	l := m.EvalDay(in, nodes, load, t, target.Valid, mode)
	c.day.Put(k, l)
	return l
}

// ms writes milliseconds to 0.1 ms.
func ms(x float64) string { return format.Decimal(decimal.NewFromFloat(x), 1) }

// Consistency says whether the phase's latency inputs agree with its node
// throughput, and if not, what each input would have to be.
func (p *PhaseResult) consistencyCheck() (Check, bool) {
	a := &p.Inputs
	if a.ServiceMs.Sign() <= 0 {
		return Check{}, false
	}
	implied, ok := consistency(a)
	return Check{Name: CheckConsistency, OK: ok, Value: implied, Limit: a.NodeRPS, Inputs: a}, true
}

// hourlyNeeds is, for each hour, the fewest nodes whose p99 at that hour's
// load meets target ms, or a reason no count does. Loads repeat (profiles
// have few distinct weights), and need grows with load, so each distinct
// load is sized once, in increasing order, starting from the last answer.
func hourlyNeeds(m *latencyModel, c *Cache, load *[24]float64, target float64) (*[24]int64, string) {
	k := needKey{m: *m, load: *load, target: target}
	if v, ok := c.need.Get(k); ok {
		if v.why != "" {
			return nil, v.why
		}
		need := v.need
		return &need, ""
	}
	need, why := m.EvalNeeds(load, target)
	v := needVal{why: why}
	if need != nil {
		v.need = *need
	}
	c.need.Put(k, v)
	return need, why
}

func slotsWords(n int64) string { return format.Plural(n, "slot", "slots") }
