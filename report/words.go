package report

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/prices"
)

// The sentences the model's results are said in: every face (the table,
// explain, the JSON, the window, the workbook, the deck) reads them here.

// millis writes milliseconds to 0.1 ms.
func millis(x float64) string { return format.Decimal(decimal.NewFromFloat(x), 1) }

// slotsWords is "1 slot", "4 slots".
func slotsWords(n int64) string { return format.Plural(n, "slot", "slots") }

// CheckDetail states a check's finding in words, with its numbers.
func CheckDetail(c planner.Check) string {
	if s, ok := tokenDetail(c); ok {
		return s
	}
	switch c.Name {
	case planner.CheckCostCeiling:
		money := func(d decimal.Decimal) string { return format.MoneyPlacesN(d, c.Currency, format.CostPerCallPlaces) }
		if c.OK {
			return fmt.Sprintf("cost per call %s is within the %s ceiling", money(c.Value), money(c.Limit))
		}
		return fmt.Sprintf("cost per call %s is above the %s ceiling", money(c.Value), money(c.Limit))
	case planner.CheckMinUtilization:
		if c.OK {
			return fmt.Sprintf("average GPU utilization %s meets the %s floor", format.Percent(c.Value, 1), format.Percent(c.Limit, 1))
		}
		return fmt.Sprintf("average GPU utilization %s is below the %s floor", format.Percent(c.Value, 1), format.Percent(c.Limit, 1))
	case planner.CheckP99:
		l := c.Latency
		w := l.Worst()
		if l.Saturated {
			return fmt.Sprintf("saturated at %02d:00: %s req/s offered to %s that serve at most %s req/s, so the queue grows without bound%s",
				l.Hour, millis(w.LoadRPS), format.Nodes(w.Nodes), millis(float64(w.Servers)*1000/l.ServiceMs), l.OverWords())
		}
		if c.OK {
			return fmt.Sprintf("p99 %s ms at %02d:00, the worst hour, is within the %s ms target", millis(l.P99Ms), l.Hour, format.Trim(c.Limit))
		}
		return fmt.Sprintf("p99 %s ms at %02d:00, the worst hour, is over the %s ms target (%s ms of it queueing on %s)%s",
			millis(l.P99Ms), l.Hour, format.Trim(c.Limit), millis(w.QueueP99Ms), format.Nodes(w.Nodes), l.OverWords())
	case planner.CheckConsistency:
		a := c.Inputs
		if c.OK {
			return fmt.Sprintf("node throughput %s req/s agrees with %s × 1000 ÷ %s ms = %s req/s",
				format.Trim(a.NodeRPS), slotsWords(a.Slots), format.Trim(a.ServiceMs), format.Decimal(c.Value, 1))
		}
		needMs := decimal.NewFromInt(a.Slots).Mul(decimal.NewFromInt(1000)).DivRound(a.NodeRPS, 1)
		needSlots := a.NodeRPS.Mul(a.ServiceMs).DivRound(decimal.NewFromInt(1000), 1)
		return fmt.Sprintf("node throughput %s req/s contradicts the latency inputs: %s × 1000 ÷ %s ms = %s req/s. "+
			"For both to hold, node_rps would be %s, or service_ms %s at %s, or slots %s at %s ms; latency is not estimated until they agree",
			format.Trim(a.NodeRPS), slotsWords(a.Slots), format.Trim(a.ServiceMs), format.Decimal(c.Value, 1),
			format.Decimal(c.Value, 1), format.Trim(needMs), slotsWords(a.Slots), format.Trim(needSlots), format.Trim(a.ServiceMs))
	case planner.CheckMemory:
		return memoryDetail(c)
	case planner.CheckOverflow:
		if c.OK {
			return "no calls overflow to batch"
		}
		return fmt.Sprintf("%s of calls overflow to batch (%s calls, %s)",
			format.Percent(c.Share, 1), format.Compact(c.Value), format.Money(c.Cost, c.Currency))
	}
	return c.Name
}

func memoryDetail(c planner.Check) string {
	p := c.Phase
	held := fmt.Sprintf("a node's KV cache holds %s calls of %s tokens (%s blocks of 16 tokens a replica, %s bytes a token)",
		format.Count(p.MaxConcurrentCalls.Val), format.Count(p.TokensPerCall.Val), format.Count(p.KVBlocks.Val), format.Trim(p.KVBytesPerToken.Val))
	if c.OK {
		return held + fmt.Sprintf(", at least its %s", slotsWords(p.Inputs.Slots))
	}
	s := held + fmt.Sprintf(", fewer than its %s: a node runs %s at once, %s calls/s instead of %s",
		slotsWords(p.Inputs.Slots), format.Count(p.EffectiveSlots), format.Decimal(p.EffectiveNodeRPS, 2), format.Trim(p.Inputs.NodeRPS))
	if p.RequiredNodesFullSlots.Valid && p.RequiredNodesMemory.Valid {
		s += fmt.Sprintf("; the phase needs %s because of it, %s with every slot usable",
			format.Nodes(p.RequiredNodesMemory.Val), format.Nodes(p.RequiredNodesFullSlots.Val))
	}
	if p.MemoryNote != "" {
		s += ": " + p.MemoryNote
	}
	return s
}

// P99MissReason says why a phase misses its p99 target when the reason is
// its scaling rather than its size: an autoscaler that runs what the
// previous hour's load needed is a step behind a ramp, and the hour it
// misses is named; a ceiling below what an hour needs caps it.
func P99MissReason(p *planner.PhaseResult) string {
	l := &p.Latency
	if !l.Estimated || !p.RequiredNodesP99.Valid {
		return ""
	}
	w := l.Worst()
	switch {
	case p.Scaling == planner.Autoscale && w.Nodes < p.Nodes:
		return fmt.Sprintf("the autoscaler runs at %02d:00 what the previous hour's load needed (%s), a step behind the ramp; "+
			"predictive provisioning, sizing each hour ahead from the forecast, would run what %02d:00 itself needs",
			l.Hour, format.Nodes(w.Nodes), l.Hour)
	case w.Nodes >= p.Nodes && p.Nodes < p.RequiredNodes:
		return fmt.Sprintf("the ceiling of %s is below the %s the busiest hour needs", format.Nodes(p.Nodes), format.Nodes(p.RequiredNodes))
	}
	return ""
}

// RegionsWords says a list of regions in words: "216,001 calls a day and
// up", "8,448 to 12,000 and 30,000 calls a day and up".
func RegionsWords(rs []planner.Region) string {
	parts := make([]string, len(rs))
	for k, g := range rs {
		switch {
		case !g.To.Valid:
			parts[k] = format.Count(g.From) + " and up"
		case g.To.Val == g.From:
			parts[k] = format.Count(g.From)
		default:
			parts[k] = format.Count(g.From) + " to " + format.Count(g.To.Val)
		}
	}
	switch n := len(parts); {
	case n == 0:
		return "no volume"
	case n == 1:
		return parts[0] + " calls a day"
	case n > 4: // a volume at every node step: the first three and the last say it
		return fmt.Sprintf("%s, … (%d runs in all) and %s calls a day", strings.Join(parts[:3], ", "), n, parts[n-1])
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1] + " calls a day"
}

// BreakEvenWords says where a phase's margin is ≥ 0, and where it turns
// negative again above the break-even volume.
func BreakEvenWords(p *planner.PhaseResult) string {
	rs := p.BreakEvenRegions
	limit := format.Count(min(planner.BreakEvenMaxFactor*p.CallsPerDay, planner.MaxCallsPerDay))
	switch {
	case len(rs) == 0:
		return "the margin is negative at every volume up to 100× the phase's (" + limit + " calls a day)"
	case len(rs) == 1 && !rs[0].To.Valid:
		return "breaks even from " + format.Count(rs[0].From) + " calls a day, and stays even up to 100× the phase's volume"
	}
	s := "breaks even from " + format.Count(rs[0].From) + " calls a day, but the margin is ≥ 0 only at " + RegionsWords(rs) +
		" (searched up to " + limit + ")"
	if !planner.InRegions(rs, p.CallsPerDay) {
		s += "; at the phase's " + format.Count(p.CallsPerDay) + " it is negative"
	}
	return s
}

// BuyWords says how the API compares with self-hosting in a phase.
func BuyWords(p *planner.PhaseResult, currency string) string {
	if !p.APICostPerCall.Valid {
		return ""
	}
	serving := p.ServingCost()
	api := p.APICost.Val
	s := fmt.Sprintf("buying from the API costs %s a call, %s for the phase, against %s of serving it yourself",
		format.MoneyPlacesN(p.APICostPerCall.Val, currency, format.CostPerCallPlaces), format.Money(api, currency), format.Money(serving, currency))
	rs := p.BuildVsBuyRegions
	switch {
	case len(rs) == 0:
		s += "; self-hosting is not cheaper at any volume up to 100× the phase's"
	case planner.InRegions(rs, p.CallsPerDay) && len(rs) == 1:
		s += fmt.Sprintf("; self-hosting is cheaper at the phase's %s calls a day, and at %s", format.Count(p.CallsPerDay), RegionsWords(rs))
	case planner.InRegions(rs, p.CallsPerDay):
		s += fmt.Sprintf("; self-hosting is cheaper at the phase's %s calls a day, but only at %s", format.Count(p.CallsPerDay), RegionsWords(rs))
	default:
		s += fmt.Sprintf("; at the phase's %s calls a day the API is cheaper: buy (self-hosting is cheaper only at %s)", format.Count(p.CallsPerDay), RegionsWords(rs))
	}
	return s
}

// FlatOutWords is what a node serves flat out, in words: node_rps, or,
// when its KV cache holds fewer calls than its slots, the effective rate
// and why.
func FlatOutWords(p *planner.PhaseResult) string {
	if p.EffectiveSlots >= max(p.Inputs.Slots, 1) {
		return format.Trim(p.EffectiveNodeRPS) + " req/s"
	}
	return fmt.Sprintf("%s req/s (its KV cache holds %s calls at once, fewer than its %s: %s req/s with every slot)",
		format.Decimal(p.EffectiveNodeRPS, 3), format.Count(p.EffectiveSlots), slotsWords(p.Inputs.Slots), format.Trim(p.Inputs.NodeRPS))
}

// BreakEvenDay says the break-even day: "day 117 (2027-04-30)", with the
// first crossing when it was lost again.
func BreakEvenDay(b planner.BreakEven) string {
	if !b.Day.Valid {
		return "never within the plan"
	}
	s := fmt.Sprintf("day %d (%s)", b.Day.Val, b.Date.Val)
	if b.FirstEven.Valid {
		s = fmt.Sprintf("first even on day %d, lost on day %d, even for good from day %d (%s)", b.FirstEven.Val, b.Lost.Val, b.Day.Val, b.Date.Val)
	}
	return s
}

// MeasurementShort says where a measured input came from in a grid cell's
// width: "AIPerf · run 2025-10-17".
func MeasurementShort(m planner.Measurement) string {
	if len(m.Files) == 0 {
		return "measured"
	}
	f := m.Files[0]
	s := f.Tool + " · measured"
	if f.RunDate != "" {
		s = f.Tool + " · run " + f.RunDate
	}
	if len(m.Files) > 1 {
		s += fmt.Sprintf(" +%d", len(m.Files)-1)
	}
	return s
}

// Cite says where a cited price comes from: "p5.4xlarge on_demand (builtin
// book, us-east-1): $6.88 a node-hour as of 2026-09-29; source: …".
func Cite(r *planner.PriceRef, currency string) string {
	s := fmt.Sprintf("%s: %s a node-hour as of %s", r.Words(), format.UnitPrice(r.Hourly, currency), r.AsOf)
	if r.Source != "" {
		s += "; source: " + r.Source
	}
	return s
}

// PriceChangeWords says the change: "assumptions.node_hourly, p5.4xlarge on_demand
// (builtin book, us-east-1): $6.88 (2026-09-29) → $6.50 (2026-12-01)".
func PriceChangeWords(c *prices.PriceChange, currency string) string {
	old := fmt.Sprintf("%s (%s)", format.UnitPrice(c.Ref.Hourly, currency), c.Ref.AsOf)
	if c.Error != "" {
		return fmt.Sprintf("%s, %s: the plan uses %s, but %s", c.Ref.Path, c.Ref.Words(), old, c.Error)
	}
	return fmt.Sprintf("%s, %s: %s → %s (%s)", c.Ref.Path, c.Ref.Words(), old, format.UnitPrice(c.New.Hourly, currency), c.New.AsOf)
}
