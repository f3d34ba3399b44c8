package simulate

import (
	"errors"
	"fmt"
	"math"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	mgc "github.com/scaleplan/scaleplan/planner/queue"
)

// HourCheck is one hour of a phase: the model's figures beside the
// simulator's, in ms including the fixed components.
type HourCheck struct {
	Hour               int
	LoadRPS            float64
	Nodes, Servers     int64
	Utilization        float64
	Saturated, Idle    bool
	ModelP50, ModelP99 float64
	Sim                HourStat // seconds of wait + service, without the fixed part
	SimP50, SimP99     Estimate // ms, fixed included
	ErrP99             float64  // model ÷ simulation − 1
	Band               *mgc.Band
	Within             bool // the error is inside the region's band, widened by the simulation's own interval
}

// Compared reports whether the hour has both a model p99 and simulated
// calls to hold it against: it is neither idle nor saturated.
func (h *HourCheck) Compared() bool { return !h.Idle && !h.Saturated && h.Sim.Calls > 0 }

// Tally counts the compared hours and those whose model p99 lies outside
// the validated band.
// Hours beyond the validation grid have no band and count in neither.
func (c *Check) Tally() (outside, compared int) {
	for i := range c.Hours {
		if h := &c.Hours[i]; h.Compared() && (h.Band == nil || !h.Band.Unmeasured) {
			compared++
			if !h.Within {
				outside++
			}
		}
	}
	return outside, compared
}

// Beyond is how many compared hours lie beyond the validation grid.
func (c *Check) Beyond() int {
	n := 0
	for i := range c.Hours {
		if h := &c.Hours[i]; h.Compared() && h.Band != nil && h.Band.Unmeasured {
			n++
		}
	}
	return n
}

// Verdict says the tally in words.
func (c *Check) Verdict() string {
	out, compared := c.Tally()
	var s string
	switch {
	case compared == 0:
		s = "no hour is on the validated grid"
	case out > 0:
		s = fmt.Sprintf("%d of %d hours are outside the model's validated band", out, compared)
	default:
		s = fmt.Sprintf("all %d hours are within the model's validated band", compared)
	}
	if n := c.Beyond(); n > 0 {
		s += fmt.Sprintf("; %d hours are beyond the validated grid, where no band is claimed", n)
	}
	return s
}

// Check is a phase's typical day, model against simulation.
type Check struct {
	Phase       int
	Name        string
	Seed        uint64
	Calls       int
	Hours       [24]HourCheck
	ModelP50    float64
	ModelP99Day float64
	SimP50      Estimate
	SimP99      Estimate
	ErrP99Day   float64
	DayValid    bool // no hour is saturated: the day's quantiles exist in the model
}

// Bounds on a phase's simulation: the calls of its day and the servers of
// its busiest hour. The seed plan's largest day is 5 million calls.
const (
	MaxDayCalls = 50_000_000
	MaxServers  = 100_000
)

// CheckPhase simulates phase ph's typical day with the pools the model runs
// and compares every hour. It refuses a phase whose latency is not
// estimated, saying why, and one too large to simulate (MaxDayCalls, MaxServers).
func CheckPhase(ph *planner.PhaseResult, seed uint64, progress func(float64)) (Check, error) {
	return CheckPhaseStop(ph, seed, progress, nil)
}

// ErrStopped is a simulation abandoned by its stop function.
var ErrStopped = errors.New("the simulation was stopped")

// CheckPhaseStop is CheckPhase that stops, with ErrStopped, once stop
// returns true (stop is asked every few thousand calls; nil: never).
func CheckPhaseStop(ph *planner.PhaseResult, seed uint64, progress func(float64), stop func() bool) (Check, error) {
	l := &ph.Latency
	if !l.Estimated {
		return Check{}, fmt.Errorf("%s: latency is not estimated (%s), so there is nothing to check", ph.Name, l.Why)
	}
	var hours [24]Hour
	calls, servers := 0.0, int64(0)
	for h := range hours {
		if hl := &l.Hours[h]; !hl.Idle && !hl.Saturated {
			hours[h] = Hour{LoadRPS: hl.LoadRPS, Servers: hl.Servers}
			calls += hl.LoadRPS * 3600
			servers = max(servers, hl.Servers)
		}
	}
	// The work is bounded by its size: a day of a billion calls, or a pool
	// of a million servers, would run for minutes and take gigabytes.
	switch {
	case calls > MaxDayCalls:
		return Check{}, fmt.Errorf("%s: its typical day serves %s calls; a simulation runs at most %s (about a minute on one core): check the latency model on a phase of the same shape at a lower volume",
			ph.Name, format.Count(int64(calls)), format.Count(MaxDayCalls))
	case servers > MaxServers:
		return Check{}, fmt.Errorf("%s: its busiest hour runs %s servers (nodes × slots); a simulation runs at most %s",
			ph.Name, format.Count(servers), format.Count(MaxServers))
	}
	day, ok := dayStop(hours, Service{MeanSec: l.ServiceMs / 1000, CV: l.ServiceCV}, seed, progress, stop)
	if !ok {
		return Check{}, ErrStopped
	}
	c := Check{Phase: ph.Index, Name: ph.Name, Seed: seed, Calls: day.Calls, ModelP50: l.P50Ms, ModelP99Day: l.P99DayMs, DayValid: !l.DaySaturated}
	ms := func(e Estimate) Estimate { return Estimate{Value: l.FixedMs + 1000*e.Value, Half: 1000 * e.Half} }
	for h := range c.Hours {
		hl := &l.Hours[h]
		hc := HourCheck{Hour: h, LoadRPS: hl.LoadRPS, Nodes: hl.Nodes, Servers: hl.Servers, Utilization: hl.Utilization,
			Saturated: hl.Saturated, Idle: hl.Idle, ModelP50: hl.P50Ms, ModelP99: hl.P99Ms, Sim: day.Hours[h]}
		if !hl.Idle && !hl.Saturated && day.Hours[h].Calls > 0 {
			hc.SimP50, hc.SimP99 = ms(day.Hours[h].P50), ms(day.Hours[h].P99)
			hc.ErrP99 = hc.ModelP99/hc.SimP99.Value - 1
			hc.Band = mgc.BandOf(hl.Servers, hl.Utilization, l.ServiceCV)
			hc.Within = Within(hc.ErrP99, hc.SimP99.RelHalf(), hc.Band)
		}
		c.Hours[h] = hc
	}
	if day.Calls > 0 {
		c.SimP50, c.SimP99 = ms(day.P50), ms(day.P99)
		if c.DayValid {
			c.ErrP99Day = c.ModelP99Day/c.SimP99.Value - 1
		}
	}
	return c, nil
}

// Within reports whether a relative error lies in the band, widened by the
// simulation's own relative 95 % half-width (a NaN half-width widens nothing);
// never for an unmeasured band.
func Within(err, relHalf float64, b *mgc.Band) bool {
	if b == nil || b.Unmeasured {
		return false // outside the validated grid there is no band to be within
	}
	if math.IsNaN(relHalf) {
		relHalf = 0
	}
	return err >= b.Low-relHalf && err <= b.High+relHalf
}
