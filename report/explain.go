package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
)

// Explain writes the sizing of every phase as a person would say it aloud:
// the rough estimate, the back-of-the-envelope node count, the refinement
// with the queueing model against the p99 target, and what it costs. Every
// number is the engine's.
func Explain(p planner.Plan, r *planner.Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s)\n", r.Name, r.Currency)
	for i := range r.Phases {
		b.WriteString("\n")
		explainPhase(&b, r, &r.Phases[i])
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
	cmp := planner.CompareVariants(p, i)
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
		cpc := format.None
		if v.Phase.CostPerCall.Valid {
			cpc = format.MoneyPlacesN(v.Phase.CostPerCall.Val, r.Currency, format.CostPerCallPlaces)
		}
		fmt.Fprintf(b, "     - %s%s: accuracy %s, %s nodes, %s, %s, %s a call; %s\n", v.Name, chosen, format.Percent(v.Accuracy, 1),
			format.Count(v.Phase.Nodes), v.LatencyWords(), format.Money(v.Phase.Cost.Total, r.Currency), cpc, v.Standing())
	}
	fmt.Fprintf(b, "     %s.\n", upper(cmp.Verdict))
}

func upper(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func msText(x float64) string { return format.Decimal(decimal.NewFromFloat(x), 1) }

func explainPhase(b *strings.Builder, r *planner.Result, p *planner.PhaseResult) {
	a := &p.Inputs
	u := a.NodeRPS.Mul(a.TargetUtilization)
	fmt.Fprintf(b, "%s — %s → %s, %s days, %s scaling\n", p.Name, p.StartDate, p.EndDate, format.Count(p.Days), p.Scaling)
	fmt.Fprintf(b, "  1. Rough estimate: %s calls a day is %s req/s on average (÷ 86,400 s); the busiest hour, %02d:00, runs %s× the mean, so the peak is %s req/s.\n",
		format.Count(p.CallsPerDay), format.Decimal(p.AvgRPS, 3), p.PeakHour, format.Decimal(p.PeakFactor(), 2), format.Decimal(p.PeakRPS, 3))
	fmt.Fprintf(b, "  2. Back of the envelope: a node serves %s req/s flat out; planned at %s it carries %s req/s, so the peak needs %s nodes (at least %s).\n",
		format.Trim(a.NodeRPS), format.Percent(a.TargetUtilization, 0), format.Trim(u), format.Count(p.RequiredNodesUtilization), format.Count(a.MinNodes))
	l := &p.Latency
	switch {
	case !l.Estimated:
		b.WriteString("  3. Latency: not estimated (the plan gives no service time), so sizing stops at the utilization target.\n")
	case l.Saturated:
		fmt.Fprintf(b, "  3. Refinement: at %02d:00 %s nodes serve at most %s req/s against %s req/s offered: the queue is saturated and grows without bound.\n",
			l.Hour, format.Count(l.Nodes), msText(l.ServeRPS), msText(l.LoadRPS))
	default:
		fmt.Fprintf(b, "  3. Refinement with the queueing model (M/M/c, Erlang C): at %02d:00, %s nodes serve %s req/s against %s offered; %s of calls queue, and the p99 wait is %s ms after the low-variance correction.\n",
			l.Hour, format.Count(l.Nodes), msText(l.ServeRPS), msText(l.LoadRPS), format.Percent(decimal.NewFromFloat(l.WaitProb), 1), msText(l.QueueP99Ms))
		fmt.Fprintf(b, "     p99 = %s ms fixed (network %s + pre %s + post %s) + %s ms service + %s ms queueing = %s ms; p50 = %s ms.\n",
			msText(l.FixedMs), msText(l.NetworkMs), msText(l.PreprocessMs), msText(l.PostprocessMs), msText(l.ServiceMs), msText(l.QueueP99Ms), msText(l.P99Ms), msText(l.P50Ms))
		if r.SLO.P99Ms.Valid {
			verdict := "within"
			if l.P99Ms > r.SLO.P99Ms.Val.InexactFloat64() {
				verdict = "over"
			}
			fmt.Fprintf(b, "     That is %s the %s ms target.", verdict, format.Trim(r.SLO.P99Ms.Val))
			switch {
			case p.RequiredNodesP99.Valid:
				fmt.Fprintf(b, " Meeting it at the peak takes %s nodes; ", format.Count(p.RequiredNodesP99.Val))
			case p.SizingNote != "":
				fmt.Fprintf(b, " It cannot be met by adding nodes: %s; ", p.SizingNote)
			}
			fmt.Fprintf(b, "the phase needs %s (set by %s) and runs up to %s.\n", format.Count(p.RequiredNodes), boundWords[p.SizingBound], format.Count(p.Nodes))
		}
	}
	cpc := format.None
	if p.CostPerCall.Valid {
		cpc = format.MoneyPlacesN(p.CostPerCall.Val, r.Currency, format.CostPerCallPlaces)
	}
	fmt.Fprintf(b, "  4. Cost: %s node-hours × %s = %s of GPU; total %s with storage, IOPS, network, batch and fixed costs — %s a call.\n",
		format.Count(p.NodeHours), format.MoneyPlacesN(a.NodeHourly, r.Currency, max(2, -a.NodeHourly.Exponent())), format.Money(p.Cost.GPU, r.Currency),
		format.Money(p.Cost.Total, r.Currency), cpc)
}

var boundWords = map[string]string{
	planner.BoundUtilization: "the utilization target",
	planner.BoundP99:         "the p99 target",
	planner.BoundMinNodes:    "the minimum node count",
}
