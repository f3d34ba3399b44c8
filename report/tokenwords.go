package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/llm"
)

// tokenDetail states a token phase's check (planner/serving.go) in words:
// the worst hour and its figure against the target; ok is false for a
// check that is not a token check of a token phase.
func tokenDetail(c planner.Check) (string, bool) {
	p := c.Phase
	if p == nil || p.Tokens == nil {
		return "", false
	}
	t := p.Tokens
	d := &t.Day
	saturated := func() string {
		for h := range d.Hours {
			if hr := &d.Hours[h]; hr.Saturated {
				return fmt.Sprintf("saturated at %02d:00: %s req/s offered to %s that serve at most %s calls/s at a full batch, so calls queue without bound",
					h, millis(hr.Rate), format.Nodes(hr.Nodes), format.Decimal(t.CapacityRPS.Mul(decimal.NewFromInt(hr.Nodes)), 1))
			}
		}
		return "saturated"
	}
	within := func(ok bool) string {
		if ok {
			return "is within"
		}
		return "is over"
	}
	worst := func(what string, h int, of func(*llm.Hour) float64, places int32) string {
		if d.Saturated {
			return saturated()
		}
		hr := &d.Hours[h]
		s := fmt.Sprintf("%s p99 %s ms at %02d:00, the worst hour, %s the %s ms target", what,
			format.Decimal(decimal.NewFromFloat(of(hr)), places), h, within(c.OK), format.Trim(c.Limit))
		if !c.OK {
			s += fmt.Sprintf(" (%s running %.0f of %d sequences a replica on average)", format.Nodes(hr.Nodes), hr.BatchMean, t.Batch)
		}
		return s
	}
	switch c.Name {
	case planner.CheckTTFT:
		return worst("TTFT", d.TTFTp99Hour, func(h *llm.Hour) float64 { return h.TTFTp99 }, 1), true
	case planner.CheckTPOT:
		return worst("TPOT", d.TPOTp99Hour, func(h *llm.Hour) float64 { return h.TPOTp99 }, 2), true
	case planner.CheckP99:
		return worst("end-to-end (arrival to last token)", d.EndToEndP99Hour, func(h *llm.Hour) float64 { return h.EndToEndP99 }, 1), true
	case planner.CheckGoodput:
		verb := "meets"
		if !c.OK {
			verb = "is below"
		}
		return fmt.Sprintf("%s of the day's calls meet the TTFT and TPOT targets; that %s the %s floor",
			format.Percent(c.Value, 2), verb, format.Percent(c.Limit, 2)), true
	case planner.CheckConsistency:
		verb := "agrees with"
		if !c.OK {
			verb = "contradicts"
		}
		return fmt.Sprintf("node throughput %s req/s %s the serving rules' %s calls/s (%s a node at a full batch of %s)",
			format.Trim(c.Limit), verb, format.Decimal(c.Value, 2), format.Plural(t.Replicas, "replica", "replicas"), format.Count(t.Batch)), true
	}
	return "", false
}

// TokenSummary says a token phase's worst hours for the first token and
// between tokens, and its goodput; "" for a phase that serves calls.
func TokenSummary(ph *planner.PhaseResult) string {
	t := ph.Tokens
	if t == nil || t.Day.Saturated || t.Day.TTFTp99Hour < 0 {
		return ""
	}
	d := &t.Day
	s := fmt.Sprintf("Tokens: TTFT p99 %.1f ms at %02d:00", d.Hours[d.TTFTp99Hour].TTFTp99, d.TTFTp99Hour)
	if h := d.TPOTp99Hour; h >= 0 && (t.Model.Output > 1 || t.Model.Geometric) {
		s += fmt.Sprintf(", TPOT p99 %.2f ms at %02d:00", d.Hours[h].TPOTp99, h)
	}
	if !math.IsNaN(d.Goodput) {
		s += fmt.Sprintf("; %s of the day's calls meet both targets", format.Percent(decimal.NewFromFloat(d.Goodput), 1))
	}
	return s + fmt.Sprintf("; a replica's batch runs %.0f of %d at the worst hour.", d.Hours[d.TTFTp99Hour].BatchMean, t.Batch)
}

// TokenSizingWords says how a token phase is sized, for explain: the batch, the
// capacity and the objective that binds.
func TokenSizingWords(p *planner.PhaseResult) string {
	t := p.Tokens
	if t == nil {
		return ""
	}
	why := "max_batch"
	if t.MemoryBatch {
		why = "the calls a replica's KV cache holds"
	}
	s := fmt.Sprintf("Token serving: %s a node, each running at most %s sequences (%s); a node serves %s calls/s at a full batch",
		format.Plural(t.Replicas, "replica", "replicas"), format.Count(t.Batch), why, format.Decimal(t.CapacityRPS, 2))
	switch p.SizingBound {
	case planner.BoundTTFT, planner.BoundTPOT, planner.BoundGoodput, planner.BoundP99:
		s += fmt.Sprintf("; the %s objective sets the busiest hour's %s", strings.ToUpper(p.SizingBound), format.Nodes(p.RequiredNodes))
	default:
		s += fmt.Sprintf("; %s sets the busiest hour's %s", strings.ReplaceAll(p.SizingBound, "_", " "), format.Nodes(p.RequiredNodes))
	}
	return s + "."
}
