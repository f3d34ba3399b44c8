package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/compare"
	"github.com/scaleplan/scaleplan/planner/llm"
)

// Explain writes the sizing of every phase as a person would say it aloud:
// the rough estimate, the back-of-the-envelope node count, the refinement
// with the queueing model against the p99 target, and what it costs. Every
// number is the engine's.
func Explain(p planner.Plan, r *planner.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s)\n", r.Name, r.Currency)
	for _, c := range r.Prices {
		fmt.Fprintf(&b, "%s comes from a price book: %s.\n", c.Label(), Cite(&c, r.Currency))
	}
	for i := range r.Phases {
		b.WriteString("\n")
		explainPhase(&b, &p, r, &r.Phases[i])
		explainVariants(&b, p, r, i)
	}
	return b.String()
}

// WriteExplain writes Explain's text.
func WriteExplain(w io.Writer, p planner.Plan, r *planner.Result) error {
	_, err := io.WriteString(w, Explain(p, r))
	return err
}

// explainVariants compares the plan's model variants in phase i.
func explainVariants(b *strings.Builder, p planner.Plan, r *planner.Result, i int) {
	cmp := compare.VariantsIn(p, r, i)
	if len(cmp.Variants) == 0 {
		return
	}
	floor := ""
	if p.SLO.MinAccuracy.Valid {
		floor = ", accuracy floor " + format.Percent(p.SLO.MinAccuracy.Val, 1)
	}
	fmt.Fprintf(b, "  5. Model variants, each sized to its own needs%s:\n", floor)
	for _, v := range cmp.Variants {
		chosen := ""
		if v.Chosen {
			chosen = " (chosen)"
		}
		cpc := "no calls"
		if v.Phase.CostPerCall.Valid {
			cpc = format.MoneyPlacesN(v.Phase.CostPerCall.Val, r.Currency, format.CostPerCallPlaces) + " a call"
		}
		fmt.Fprintf(b, "     - %s%s: accuracy %s, %s, %s, GPU %s, average utilization %s, %s, %s; %s\n", v.Name, chosen, format.Percent(v.Accuracy, 1),
			format.Nodes(v.Phase.Nodes), v.LatencyWords(), format.Money(v.Phase.Cost.Of(planner.CostGPU), r.Currency),
			optPercent(v.Phase.AvgUtilization), format.Money(v.Phase.Cost.Total, r.Currency), cpc, v.Standing())
	}
	if ph := &r.Phases[i]; ph.APICostPerCall.Valid {
		a := &ph.Inputs
		fmt.Fprintf(b, "     - buy, the API at %s in and %s out a million tokens: %s for the phase with its other costs; %s\n",
			format.UnitPrice(a.APIPriceIn, r.Currency), format.UnitPrice(a.APIPriceOut, r.Currency),
			format.Money(ph.BuyTotal().Val, r.Currency), BuyWords(ph, r.Currency))
	}
	fmt.Fprintf(b, "     %s.\n", upper(cmp.Verdict))
	for _, h := range cmp.Hypotheses() {
		fmt.Fprintf(b, "     %s.\n", h.Words)
	}
}

func optPercent(o planner.Opt[decimal.Decimal]) string {
	if !o.Valid {
		return format.None
	}
	return format.Percent(o.Val, 1)
}

func upper(s string) string {
	if s == "" {
		return s
	}
	return format.Capitalize(s)
}

func msText(x float64) string { return format.Decimal(decimal.NewFromFloat(x), 1) }

func explainPhase(b *strings.Builder, plan *planner.Plan, r *planner.Result, p *planner.PhaseResult) {
	a := &p.Inputs
	u := p.PlannedNodeRPS
	fmt.Fprintf(b, "%s — %s → %s, %s days, %s scaling\n", p.Name, p.StartDate, p.EndDate, format.Count(p.Days), p.Scaling)
	fmt.Fprintf(b, "  1. Rough estimate: %s calls a day is %s req/s on average (÷ 86,400 s); the busiest hour, %02d:00, runs %s× the mean, so the peak is %s req/s.\n",
		format.Count(p.CallsPerDay), format.Decimal(p.AvgRPS, 3), p.PeakHour, format.Decimal(p.PeakFactor(), 2), format.Decimal(p.PeakRPS, 3))
	fmt.Fprintf(b, "  2. Back of the envelope: a node serves %s flat out; planned at %s it carries %s req/s, so the peak needs %s (at least %s).\n",
		FlatOutWords(p), format.Percent(a.TargetUtilization, 0), format.Trim(u), format.Nodes(p.RequiredNodesUtilization), format.Count(a.MinNodes))
	explainTokens(b, r, p)
	explainLatency(b, r, p)
	cpc := "no calls to share it"
	if p.CostPerCall.Valid {
		cpc = format.MoneyPlacesN(p.CostPerCall.Val, r.Currency, format.CostPerCallPlaces) + " a call"
	}
	fmt.Fprintf(b, "  4. Cost: %s; total %s — %s.\n", strings.Join(costWords(r, p), "; "), format.Money(p.Cost.Total, r.Currency), cpc)
	if p.CostPerMillionTokens.Valid {
		fmt.Fprintf(b, "     At %s tokens a call that is %s a million tokens.\n", format.Count(p.TokensPerCall.Val), format.MoneyPlacesN(p.CostPerMillionTokens.Val, r.Currency, 4))
	}
	if words := BuyWords(p, r.Currency); words != "" {
		fmt.Fprintf(b, "     Build or buy: %s.\n", words)
	}
	if plan != nil && len(p.Components) > 0 && len(plan.Components) == len(p.Components) {
		b.WriteString("     Components tied to the design:\n")
		for j := range p.Components {
			fmt.Fprintf(b, "     - %s.\n", p.Components[j].Words(&plan.Components[j], r.Currency))
		}
	}
}

// costWords says each built-in cost line of the phase that costs anything
// (GPU always), in the catalogue's order.
func costWords(r *planner.Result, p *planner.PhaseResult) []string {
	var out []string
	for i := range planner.CostLines {
		l := &planner.CostLines[i]
		if l.Key == planner.CostGPU || !p.Cost.Of(l.Key).IsZero() {
			out = append(out, CostWords(l.Key, p, r.Currency))
		}
	}
	return out
}

// explainLatency is step 3: the queueing model, hour by hour.
func explainLatency(b *strings.Builder, r *planner.Result, p *planner.PhaseResult) {
	l := &p.Latency
	if t := p.Tokens; t != nil {
		explainTokenServing(b, p, t)
		return
	}
	if !l.Estimated {
		fmt.Fprintf(b, "  3. Latency: not estimated (%s), so sizing stops at the utilization target.\n", l.Why)
		return
	}
	w := l.Worst()
	fixed := msText(l.FixedMs) + " ms"
	if l.ComponentsMs > 0 {
		fixed += fmt.Sprintf(" (%s ms of it components on the request path)", msText(l.ComponentsMs))
	}
	fmt.Fprintf(b, "  3. Refinement with the queueing model, hour by hour: a node serves %s at once, each call holding a slot %s ms on average (CV %s), so each hour is an M/G/c queue of nodes × %s servers; latency is the fixed %s plus a quantile of wait + service, taken whole.\n",
		format.Plural(l.Slots, "call", "calls"), msText(l.ServiceMs), format.Decimal(decimal.NewFromFloat(l.ServiceCV), 2), format.Count(l.Slots), fixed)
	if l.Saturated {
		fmt.Fprintf(b, "     The worst hour, %02d:00, is saturated: %s req/s against %s (%s servers) at %s utilization, so its queue grows without bound and it has no p99.\n",
			l.Hour, msText(w.LoadRPS), format.Nodes(w.Nodes), format.Count(w.Servers), format.Percent(decimal.NewFromFloat(w.Utilization), 1))
	} else {
		fmt.Fprintf(b, "     The worst hour is %02d:00: %s req/s on %s (%s servers) at %s utilization; %s of calls wait, and p99 = %s ms (%s ms of it the wait's own p99).\n",
			l.Hour, msText(w.LoadRPS), format.Nodes(w.Nodes), format.Count(w.Servers), format.Percent(decimal.NewFromFloat(w.Utilization), 1),
			format.Percent(decimal.NewFromFloat(w.WaitProb), 1), msText(l.P99Ms), msText(w.QueueP99Ms))
	}
	if l.HasDay() {
		fmt.Fprintf(b, "     Over all of the day's calls: p50 %s ms, p99 %s ms.\n", msText(l.P50Ms), msText(l.P99DayMs))
	}
	if b2 := l.Band; b2.Wide() && !b2.Unmeasured { // outside the grid, the hours are said below
		fmt.Fprintf(b, "     In this region (%s) the model's p99 was measured against the simulator at %+.0f %% to %+.0f %%.\n", b2.Region, 100*b2.Low, 100*b2.High)
	}
	if words := l.OutsideWords(); words != "" {
		fmt.Fprintf(b, "     %s.\n", words)
	}
	if !r.SLO.P99Ms.Valid {
		return
	}
	target := r.SLO.P99Ms.Val
	if l.P99OK(target) {
		fmt.Fprintf(b, "     Every hour is within the %s ms target.", format.Trim(target))
	} else {
		fmt.Fprintf(b, "     %d of 24 hours (%s of calls) miss the %s ms target.", l.HoursOver, format.Percent(decimal.NewFromFloat(l.CallsOverShare), 1), format.Trim(target))
	}
	switch {
	case p.RequiredNodesP99.Valid:
		fmt.Fprintf(b, " Meeting it at the peak takes %s; ", format.Nodes(p.RequiredNodesP99.Val))
	case p.SizingNote != "":
		fmt.Fprintf(b, " It cannot be met by adding nodes: %s; ", p.SizingNote)
	default:
		b.WriteString(" ")
	}
	fmt.Fprintf(b, "the phase needs %s (set by %s) and runs up to %s.\n", format.Count(p.RequiredNodes), boundWords[p.SizingBound], format.Count(p.Nodes))
	if !l.P99OK(target) {
		if why := P99MissReason(p); why != "" {
			fmt.Fprintf(b, "     %s\n", upper(why))
		}
	}
}

var boundWords = map[string]string{
	planner.BoundUtilization: "the utilization target",
	planner.BoundP99:         "the p99 target",
	planner.BoundMinNodes:    "the minimum node count",
	planner.BoundMemory:      "the GPU memory its calls' KV caches take",
	planner.BoundTTFT:        "the TTFT p99 target",
	planner.BoundTPOT:        "the TPOT p99 target",
	planner.BoundGoodput:     "the goodput floor",
}

// explainTokens is step 2's sequel: tokens a call, and whether the KV cache
// holds the calls in service.
func explainTokens(b *strings.Builder, r *planner.Result, p *planner.PhaseResult) {
	a := &p.Inputs
	if t := a.TokensPerCall(); t.Valid {
		in, out := a.InputTokens(), a.OutputTokens()
		s := fmt.Sprintf("     Tokens: a call reads %s and writes %s tokens", optCount(in), optCount(out))
		if a.NodeRPSFromTokens() {
			s += fmt.Sprintf("; at %s tokens/s a node serves %s ÷ %s = %s calls/s, the throughput used above", format.Trim(a.TokensPerS),
				format.Trim(a.TokensPerS), format.Count(t.Val), format.Decimal(a.NodeRPS, 3))
		}
		b.WriteString(s + ".\n")
	}
	if p.NodeCostPerMillionTokens.Valid {
		fmt.Fprintf(b, "     A node at %s an hour processing %s tokens/s costs %s a million tokens when busy every second (price ÷ (tokens/s × 3,600) × 10⁶).\n",
			format.UnitPrice(a.NodeHourly, r.Currency), format.Trim(a.TokensPerS), format.MoneyPlacesN(p.NodeCostPerMillionTokens.Val, r.Currency, 4))
	}
	if !p.KVBytesPerToken.Valid {
		return
	}
	s := fmt.Sprintf("     GPU memory: the KV cache takes %s bytes a token", format.Trim(p.KVBytesPerToken.Val))
	if !p.KVBudgetGiB.Valid {
		b.WriteString(s + "; the node's memory is not given (gpus_per_node, gpu_memory_gib), so the fit is not checked.\n")
		return
	}
	s += fmt.Sprintf("; %s × %s GiB × %s, less weights and overhead, leaves %s GiB a replica (%s of them a node), %s blocks of 16 tokens",
		format.Count(max(a.TensorParallel, 1)), format.Trim(a.GPUMemoryGiB), format.Percent(a.GPUMemoryUtilization, 0),
		format.Decimal(p.KVBudgetGiB.Val, 2), format.Count(p.Replicas), format.Count(p.KVBlocks.Val))
	switch {
	case !p.MaxConcurrentCalls.Valid:
		s += "; " + p.MemoryNote
	case !p.PeakConcurrentPerNode.Valid:
		s += fmt.Sprintf(", so a node holds %s calls of %s tokens", format.Count(p.MaxConcurrentCalls.Val), format.Count(p.TokensPerCall.Val))
	default:
		s += fmt.Sprintf(", so a node holds %s calls of %s tokens; at the worst hour %s are in service on a node (arrivals × service time ÷ nodes)",
			format.Count(p.MaxConcurrentCalls.Val), format.Count(p.TokensPerCall.Val), format.Decimal(p.PeakConcurrentPerNode.Val, 1))
		if p.RequiredNodesMemory.Valid {
			s += fmt.Sprintf("; memory needs %s at the peak", format.Nodes(p.RequiredNodesMemory.Val))
		}
	}
	b.WriteString(s + ".\n")
}

// explainTokenServing is step 3 for a phase that serves tokens: the
// replicas' batch, the capacity the serving rules give, and the worst
// hours' TTFT and TPOT beside their targets.
func explainTokenServing(b *strings.Builder, p *planner.PhaseResult, t *planner.TokenServing) {
	fmt.Fprintf(b, "  3. %s\n", TokenSizingWords(p))
	d := &t.Day
	if d.Saturated {
		fmt.Fprintln(b, "     Some hour's load reaches the fleet's capacity: it has no steady state, and its calls queue without bound.")
		return
	}
	if h := d.TTFTp99Hour; h >= 0 {
		hr := &d.Hours[h]
		fmt.Fprintf(b, "     The worst hour for the first token is %02d:00: %.1f req/s on %s, TTFT p99 %s ms (fixed %s ms included); its batch holds %.1f of %d on average.\n",
			h, hr.Rate, format.Plural(hr.Nodes, "node", "nodes"), msText(hr.TTFTp99), msText(t.Model.FixedMs), hr.BatchMean, t.Batch)
	}
	if h := d.TPOTp99Hour; h >= 0 && (t.Model.Output > 1 || t.Model.Geometric) {
		fmt.Fprintf(b, "     The worst hour between tokens is %02d:00: TPOT p99 %s ms.\n", h, format.Decimal(decimal.NewFromFloat(d.Hours[h].TPOTp99), 2))
	}
	if h := d.TTFTp99Hour; h >= 0 {
		hr := &d.Hours[h]
		switch band := llm.Validated(&t.Model, hr.Rate, hr.Nodes); {
		case !band.Measured:
			fmt.Fprintf(b, "     That hour lies beyond the grid the model was validated on against the simulator; no error band is claimed (scaleplan simulate serves it by the rules).\n")
		case !band.Within10():
			fmt.Fprintf(b, "     In that hour's region (%s) the model was measured against the simulator at %+.0f %% to %+.0f %% on TTFT p99 and %+.0f %% to %+.0f %% on TPOT p99 (docs/model.md, \"LLM serving\").\n",
				band.Region, 100*band.TTFT[0], 100*band.TTFT[1], 100*band.TPOT[0], 100*band.TPOT[1])
		}
	}
}
