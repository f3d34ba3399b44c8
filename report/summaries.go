package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/risk"
	"github.com/scaleplan/scaleplan/simulate"
)

// LatencySummary is the phase's latency in a sentence: the worst hour, the
// day's quantiles, the hours over the target.
func LatencySummary(ph *planner.PhaseResult, slo planner.SLO) string {
	l := &ph.Latency
	w := l.Worst()
	s := fmt.Sprintf("Worst hour %02d:00: ", l.Hour)
	if l.Saturated {
		s += fmt.Sprintf("saturated (%s at %.0f %% of what they can serve).", format.Nodes(w.Nodes), 100*w.Utilization)
	} else {
		what := "p99"
		if ph.Tokens != nil {
			what = "end-to-end p99 (arrival to last token)"
		}
		s += fmt.Sprintf("%s %.1f ms on %s at %.1f %% busy.", what, l.P99Ms, format.Nodes(w.Nodes), 100*w.Utilization)
	}
	if l.HasDay() {
		s += fmt.Sprintf(" Over the day's calls: p50 %.1f ms, p99 %.1f ms.", l.P50Ms, l.P99DayMs)
	}
	if t := TokenSummary(ph); t != "" {
		s += " " + t
	}
	if l.ComponentsMs > 0 {
		s += fmt.Sprintf(" Every call carries %.1f ms fixed, %.1f ms of it the plan's components on the request path.", l.FixedMs, l.ComponentsMs)
	}
	if slo.P99Ms.Valid {
		if l.P99OK(slo.P99Ms.Val) {
			s += fmt.Sprintf(" Every hour meets the %s ms target.", slo.P99Ms.Val)
		} else {
			s += fmt.Sprintf(" %d of 24 hours (%.1f %% of calls) miss the %s ms target.", l.HoursOver, 100*l.CallsOverShare, slo.P99Ms.Val)
		}
	}
	if words := l.OutsideWords(); words != "" {
		s += " " + words + "."
	}
	return s
}

// SimulationWords is the simulation's verdict in a sentence.
func SimulationWords(s *simulate.Check) string {
	day := ""
	if s.DayValid {
		day = fmt.Sprintf(" Day p99: model %.1f ms, simulated %.1f ± %.1f ms (%+.1f %%).", s.ModelP99Day, s.SimP99.Value, s.SimP99.Half, 100*s.ErrP99Day)
	}
	return fmt.Sprintf("Simulated %s calls (seed %d): %s.%s", format.Count(int64(s.Calls)), s.Seed, s.Verdict(), day)
}

// RiskSummary says a run in sentences: the spread of total cost and cost
// per call, then each odd the run answers.
func RiskSummary(r *risk.Result, cur string, start planner.Date) string {
	t := &r.Totals
	money := func(x float64) string { return RiskValue(x, risk.UnitMoney, cur) }
	s := fmt.Sprintf("%s draws (seed %d) of %s. Total cost %s to %s (P10–P90), median %s; cost per call %s to %s.",
		format.Count(int64(r.Draws)), r.Seed, format.Plural(int64(len(r.Inputs)), "uncertain input", "uncertain inputs"),
		money(t.TotalCost.P10), money(t.TotalCost.P90), money(t.TotalCost.P50),
		RiskValue(t.CostPerCall.P10, risk.UnitPerCall, cur), RiskValue(t.CostPerCall.P90, risk.UnitPerCall, cur))
	if words := r.DrawsWords(); words != "" {
		s += " Drew " + words + "."
	}
	if be := t.BreakEvenDay; !math.IsNaN(be.P50) && !math.IsInf(be.P50, 1) {
		s += fmt.Sprintf(" Break-even around %s (median day %.0f).", start.AddDays(int64(be.P50)-1), be.P50)
	}
	for _, o := range r.OddsList(cur) {
		if o.Asked {
			event := o.Event
			if !strings.HasPrefix(event, "p99") { // p99 is written small
				event = format.Capitalize(event)
			}
			s += "\n" + event + ": " + format.Odds(o.P.Val) + "."
		}
	}
	if r.Clamped > 0 {
		s += fmt.Sprintf("\n%s drawn values fell outside what their input accepts and were set to the range's nearer end.", format.Count(int64(r.Clamped)))
	}
	return s
}
