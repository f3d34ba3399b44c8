package planner

import (
	"github.com/scaleplan/scaleplan/internal/memo"
	"github.com/scaleplan/scaleplan/planner/llm"
	"github.com/scaleplan/scaleplan/planner/queue"
)

// The latency figures of a phase depend only on its latency inputs, its
// hourly pools and loads, and the p99 target. Recomputing a plan after an
// edit leaves most phases' inputs as they were, so their figures are kept
// in a Cache and reused: an edit pays for the phases it changes.

// Cache keeps phases' latency figures across computes. Its owner holds it
// (the app's document, a risk run); Compute uses one of its own for the
// one computation. It is bounded (emptied when full) and safe for
// concurrent computes. The zero Cache is ready to use.
type Cache struct {
	day  memo.Bounded[dayKey, Latency]
	need memo.Bounded[needKey, needVal]
	svc  memo.Bounded[[2]float64, queue.Service] // by mean seconds and CV
	// Token mode (serving.go).
	tokNeed  memo.Bounded[tokNeedKey, tokNeedVal]
	tokDay   memo.Bounded[tokDayKey, llm.Day]
	tokFleet memo.Bounded[tokFleetKey, llm.Bounds] // what each fleet was seen to do at the targets
}

// service is the service-time distribution of that mean and CV: its gamma
// quantiles are costly, and a plan asks for the same one over and over
// (every re-sizing of a break-even search).
func (c *Cache) service(meanSec, cv float64) queue.Service {
	k := [2]float64{meanSec, cv}
	if s, ok := c.svc.Get(k); ok {
		return s
	}
	s := queue.NewService(meanSec, cv)
	c.svc.Put(k, s)
	return s
}

// Compute is Compute with the figures c already holds, adding those it works out.
func (c *Cache) Compute(p Plan) Result { return computePlan(p, latencyFull, c) }

type dayKey struct {
	m      latencyModel
	nodes  [24]int64
	load   [24]float64
	target Opt[float64]
	in     [4]float64 // network, pre, post, CV as the figures report them
	mode   dayMode
}

type needKey struct {
	m      latencyModel
	load   [24]float64
	target float64
}

type needVal struct {
	need [24]int64
	why  string
}
