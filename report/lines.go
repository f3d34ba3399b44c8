// Package report describes the model's lines — label, unit, group, whether a
// person types the value or the model computes it — and renders a Result as
// a terminal table or JSON.
//
// The grid in the window, the CLI table and the workbook's row order all
// come from Lines, so a line added to the model shows up everywhere in the
// same place, written the same way.
package report

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/llm"
)

// The four groups of lines, as people name them (planner.Groups holds
// them, in the order a plan is reasoned about).
var (
	GroupIngestion = planner.GroupLabel(planner.GroupIngestion)
	GroupServing   = planner.GroupLabel(planner.GroupServing)
	GroupLatency   = planner.GroupLabel(planner.GroupLatency)
	GroupCost      = planner.GroupLabel(planner.GroupCost)
)

// Groups lists the groups' labels in display order.
var Groups = func() []string {
	out := make([]string, len(planner.Groups))
	for i, g := range planner.Groups {
		out[i] = planner.GroupLabel(g)
	}
	return out
}()

// Kind says where a line's value comes from.
type Kind int

const (
	Computed        Kind = iota // the model works it out
	PhaseInput                  // typed per phase (calls/day, nodes, …)
	AssumptionInput             // a plan default a phase may override
	PlanInput                   // one value for the whole plan (SLOs)
)

// Format says how a line's numbers are written, so that every renderer
// (the grid, the table, the workbook's number formats) agrees.
type Format int

const (
	FormatText      Format = iota
	FormatCount            // whole numbers with separators: 1,234,567
	FormatDecimal          // a plain decimal as typed: 8.5
	FormatRate             // req/s to 3 places
	FormatShare            // a fraction shown as a percentage, 1 place
	FormatShare2           // the same, 2 places (small shares such as overflow)
	FormatMoney            // currency to cents
	FormatUnitPrice        // currency with the digits a unit price needs: $0.005
	FormatPerCall          // currency to 6 places: cost per call
	FormatGB               // gigabytes to 1 place
	FormatFactor           // a multiple: 1.92×
	FormatMillis           // milliseconds to 0.1
	FormatGiB              // gibibytes to 2 places
)

// Line is one row of the model.
type Line struct {
	Key    string // stable identifier, e.g. "cost_per_call"
	Group  string
	Label  string
	Unit   string
	Kind   Kind
	Format Format
	// Field is the input's key in the plan file: an assumption key, a phase
	// key, or an slo key. Empty for computed lines.
	Field string
	// Check names the SLO check whose failure marks this line.
	Check string
	// Component is j+1 for the line of the plan's component j, 0 for the
	// model's own lines.
	Component int

	phase func(c *cellCtx) string
	total func(r *planner.Result) string
}

type cellCtx struct {
	r  *planner.Result
	ph *planner.PhaseResult
}

func (c *cellCtx) money(d decimal.Decimal) string { return format.Money(d, c.r.Currency) }

// Phase renders the line's value for phase i.
func (l *Line) Phase(r *planner.Result, i int) string {
	return l.phase(&cellCtx{r: r, ph: &r.Phases[i]})
}

// Total renders the line's value across the plan, or "" when summing it
// means nothing (a price, a utilization target).
func (l *Line) Total(r *planner.Result) string {
	if l.total == nil {
		return ""
	}
	return l.total(r)
}

// IsInput reports whether people type this line's value.
func (l *Line) IsInput() bool { return l.Kind != Computed }

func optDecimal(o planner.Opt[decimal.Decimal], f func(decimal.Decimal) string) string {
	if !o.Valid {
		return format.None
	}
	return f(o.Val)
}

func share(d decimal.Decimal) string { return format.Percent(d, 1) }

func rps(d decimal.Decimal) string { return format.Decimal(d, format.RPSPlaces) }

func gb(d decimal.Decimal) string { return format.Decimal(d, 1) }

func count(n int64) string { return format.Count(n) }

// inputLine is a line for an assumption; its text is the effective value.
func inputLine(group, key string, fm Format, render func(c *cellCtx, a *planner.Assumptions) string) Line {
	f, _ := planner.LookupField(key)
	return Line{Key: key, Group: group, Label: f.Label, Unit: f.Unit, Kind: AssumptionInput, Field: key, Format: fm,
		phase: func(c *cellCtx) string { return render(c, &c.ph.Inputs) }}
}

func costLine(key, label string, pick func(*planner.Costs) decimal.Decimal) Line {
	return Line{Key: key, Group: GroupCost, Label: label, Unit: "per phase", Format: FormatMoney,
		phase: func(c *cellCtx) string { return c.money(pick(&c.ph.Cost)) },
		total: func(r *planner.Result) string { return format.Money(pick(&r.Totals.Cost), r.Currency) }}
}

func unitPrice(c *cellCtx, d decimal.Decimal) string { return format.UnitPrice(d, c.r.Currency) }

// Lines is the model, row by row: baseLines with the catalogue's cost lines
// (planner.CostLines) before the total.
var Lines = withCostLines(baseLines)

// withCostLines puts a line for each of planner.CostLines before total_cost.
func withCostLines(base []Line) []Line {
	out := make([]Line, 0, len(base)+len(planner.CostLines))
	for _, l := range base {
		if l.Key == "total_cost" {
			for _, c := range planner.CostLines {
				k := c.Key
				l := costLine(c.LineKey, c.Label, func(x *planner.Costs) decimal.Decimal { return x.Of(k) })
				l.Unit = "per phase · FOCUS " + c.Focus
				out = append(out, l)
			}
		}
		out = append(out, l)
	}
	return out
}

var baseLines = []Line{
	// Data ingestion: the load the service takes in and what it keeps.
	{Key: "days", Format: FormatCount, Group: GroupIngestion, Label: "Days", Unit: "days", Kind: PhaseInput, Field: "days",
		phase: func(c *cellCtx) string { return count(c.ph.Days) },
		total: func(r *planner.Result) string { return count(r.Days) }},
	{Key: "calls_per_day", Format: FormatCount, Group: GroupIngestion, Label: "Calls per day", Unit: "calls/day", Kind: PhaseInput, Field: "calls_per_day",
		phase: func(c *cellCtx) string { return count(c.ph.CallsPerDay) }},
	tokenLine("input_tokens", "Input tokens", func(a *planner.Assumptions) planner.Opt[int64] { return a.InputTokens() }),
	tokenLine("output_tokens", "Output tokens", func(a *planner.Assumptions) planner.Opt[int64] { return a.OutputTokens() }),
	{Key: "calls", Format: FormatCount, Group: GroupIngestion, Label: "Calls in phase", Unit: "calls",
		phase: func(c *cellCtx) string { return count(c.ph.Calls) },
		total: func(r *planner.Result) string { return count(r.Totals.Calls) }},
	{Key: "avg_rps", Format: FormatRate, Group: GroupIngestion, Label: "Average load", Unit: "req/s",
		phase: func(c *cellCtx) string { return rps(c.ph.AvgRPS) }},
	inputLine(GroupIngestion, "hourly_profile", FormatFactor, func(c *cellCtx, a *planner.Assumptions) string {
		return fmt.Sprintf("peak %s× at %02d:00", format.Decimal(c.ph.PeakFactor(), 2), c.ph.PeakHour)
	}),
	{Key: "peak_rps", Format: FormatRate, Group: GroupIngestion, Label: "Peak load", Unit: "req/s",
		phase: func(c *cellCtx) string { return rps(c.ph.PeakRPS) }},
	inputLine(GroupIngestion, "stored_bytes_per_call", FormatCount, func(c *cellCtx, a *planner.Assumptions) string { return count(a.StoredBytesPerCall) }),
	inputLine(GroupIngestion, "retention_days", FormatCount, func(c *cellCtx, a *planner.Assumptions) string { return count(a.RetentionDays) }),
	{Key: "stored_gb", Format: FormatGB, Group: GroupIngestion, Label: "Data kept", Unit: "GB",
		phase: func(c *cellCtx) string { return gb(c.ph.StoredGB) }},
	inputLine(GroupIngestion, "storage_gb_month", FormatUnitPrice, func(c *cellCtx, a *planner.Assumptions) string { return unitPrice(c, a.StorageGBMonth) }),
	inputLine(GroupIngestion, "provisioned_iops", FormatCount, func(c *cellCtx, a *planner.Assumptions) string { return count(a.ProvisionedIOPS) }),
	inputLine(GroupIngestion, "iops_month", FormatUnitPrice, func(c *cellCtx, a *planner.Assumptions) string { return unitPrice(c, a.IOPSMonth) }),
	inputLine(GroupIngestion, "egress_bytes_per_call", FormatCount, func(c *cellCtx, a *planner.Assumptions) string { return count(a.EgressBytesPerCall) }),
	{Key: "egress_volume_gb", Format: FormatGB, Group: GroupIngestion, Label: "Egress", Unit: "GB per phase",
		phase: func(c *cellCtx) string { return gb(c.ph.EgressGB) }},
	inputLine(GroupIngestion, "egress_gb", FormatUnitPrice, func(c *cellCtx, a *planner.Assumptions) string { return unitPrice(c, a.EgressGB) }),

	// Model serving: the fleet and how busy it is.
	{Key: "variant", Format: FormatText, Group: GroupServing, Label: "Model variant", Unit: "name, or none", Kind: PhaseInput, Field: "variant",
		phase: func(c *cellCtx) string {
			if v := c.r.Variant(c.ph.Index); v != "" {
				return v
			}
			return format.None
		}},
	inputLine(GroupServing, "node_type", FormatText, func(c *cellCtx, a *planner.Assumptions) string { return a.NodeType }),
	inputLine(GroupServing, "node_hourly", FormatUnitPrice, func(c *cellCtx, a *planner.Assumptions) string { return unitPrice(c, a.NodeHourly) }),
	inputLine(GroupServing, "spot_hourly", FormatUnitPrice, func(c *cellCtx, a *planner.Assumptions) string { return unitPrice(c, a.SpotHourly) }),
	inputLine(GroupServing, "spot_interruption", FormatShare, func(c *cellCtx, a *planner.Assumptions) string { return format.Percent(a.SpotInterruption, 1) }),
	inputLine(GroupServing, "tokens_per_s", FormatDecimal, func(c *cellCtx, a *planner.Assumptions) string { return optZero(a.TokensPerS, format.Trim) }),
	inputLine(GroupServing, "node_rps", FormatDecimal, func(c *cellCtx, a *planner.Assumptions) string {
		if a.NodeRPSFromTokens() {
			return format.Decimal(a.NodeRPS, format.RPSPlaces) + " (tokens)"
		}
		if a.NodeRPSFromServing() {
			return format.Decimal(a.NodeRPS, format.RPSPlaces) + " (serving rules)"
		}
		return format.Trim(a.NodeRPS)
	}),
	inputLine(GroupServing, "target_utilization", FormatShare, func(c *cellCtx, a *planner.Assumptions) string { return share(a.TargetUtilization) }),
	inputLine(GroupServing, "min_nodes", FormatCount, func(c *cellCtx, a *planner.Assumptions) string { return count(a.MinNodes) }),
	{Key: "scaling", Format: FormatText, Group: GroupServing, Label: "Scaling", Kind: PhaseInput, Field: "scaling",
		phase: func(c *cellCtx) string { return string(c.ph.Scaling) }},
	{Key: "required_nodes_utilization", Format: FormatCount, Group: GroupServing, Label: "Needed for utilization", Unit: "at peak",
		phase: func(c *cellCtx) string { return count(c.ph.RequiredNodesUtilization) }},
	{Key: "required_nodes_p99", Format: FormatCount, Group: GroupServing, Label: "Needed for latency", Unit: "at peak: p99, or TTFT and TPOT",
		phase: func(c *cellCtx) string {
			if !c.ph.RequiredNodesP99.Valid {
				return format.None
			}
			return count(c.ph.RequiredNodesP99.Val)
		}},
	inputLine(GroupServing, "gpus_per_node", FormatCount, func(c *cellCtx, a *planner.Assumptions) string { return count(a.GPUsPerNode) }),
	inputLine(GroupServing, "gpu_memory_gib", FormatDecimal, func(c *cellCtx, a *planner.Assumptions) string { return format.Trim(a.GPUMemoryGiB) }),
	inputLine(GroupServing, "tensor_parallel", FormatCount, func(c *cellCtx, a *planner.Assumptions) string { return count(a.TensorParallel) }),
	inputLine(GroupServing, "gpu_memory_utilization", FormatShare, func(c *cellCtx, a *planner.Assumptions) string { return share(a.GPUMemoryUtilization) }),
	inputLine(GroupServing, "gpu_overhead_gib", FormatDecimal, func(c *cellCtx, a *planner.Assumptions) string { return format.Trim(a.GPUOverheadGiB) }),
	// Token serving (shown when some phase serves tokens).
	inputLine(GroupServing, planner.KeyServing, FormatText, func(c *cellCtx, a *planner.Assumptions) string { return orDefault(a.Serving, planner.ServingCalls) }),
	inputLine(GroupServing, planner.KeyOutputDist, FormatText, func(c *cellCtx, a *planner.Assumptions) string { return orDefault(a.OutputDist, planner.DistFixed) }),
	inputLine(GroupServing, planner.KeyPrefill, FormatDecimal, func(c *cellCtx, a *planner.Assumptions) string { return optZero(a.PrefillTokensPerS, format.Trim) }),
	inputLine(GroupServing, planner.KeyStepBase, FormatDecimal, func(c *cellCtx, a *planner.Assumptions) string { return format.Trim(a.StepBaseMs) }),
	inputLine(GroupServing, planner.KeyStepPerSeq, FormatDecimal, func(c *cellCtx, a *planner.Assumptions) string { return format.Trim(a.StepPerSeqMs) }),
	inputLine(GroupServing, planner.KeyMaxBatch, FormatCount, func(c *cellCtx, a *planner.Assumptions) string { return count(a.MaxBatch) }),
	{Key: "token_batch", Format: FormatCount, Group: GroupServing, Label: "Batch run", Unit: "sequences a replica: max batch or KV memory",
		phase: func(c *cellCtx) string {
			return tokens(c, func(t *planner.TokenServing) string { return count(t.Batch) })
		}},
	{Key: "capacity_rps", Format: FormatRate, Group: GroupServing, Label: "Node capacity", Unit: "calls/s at a full batch (serving rules)",
		phase: func(c *cellCtx) string {
			return tokens(c, func(t *planner.TokenServing) string { return format.Decimal(t.CapacityRPS, 3) })
		}},
	{Key: "kv_bytes_per_token", Format: FormatCount, Group: GroupServing, Label: "KV cache a token", Unit: "bytes",
		phase: func(c *cellCtx) string {
			return optDecimal(c.ph.KVBytesPerToken, func(d decimal.Decimal) string { return format.Group(d.String()) })
		}},
	{Key: "kv_budget_gib", Format: FormatGiB, Group: GroupServing, Label: "KV budget", Unit: "GiB a replica",
		phase: func(c *cellCtx) string {
			return optDecimal(c.ph.KVBudgetGiB, func(d decimal.Decimal) string { return format.Decimal(d, 2) })
		}},
	{Key: "max_concurrent_calls", Format: FormatCount, Group: GroupServing, Label: "Calls a node holds", Unit: "KV cache, at once", Check: planner.CheckMemory,
		phase: func(c *cellCtx) string { return optCount(c.ph.MaxConcurrentCalls) }},
	{Key: "effective_node_rps", Format: FormatRate, Group: GroupServing, Label: "Effective node rate", Unit: "req/s, calls held × 1000 ÷ service ms", Check: planner.CheckMemory,
		phase: func(c *cellCtx) string { return format.Decimal(c.ph.EffectiveNodeRPS, 3) }},
	{Key: "peak_concurrent_calls", Format: FormatGB, Group: GroupServing, Label: "Calls in service", Unit: "a node, worst hour", Check: planner.CheckMemory,
		phase: func(c *cellCtx) string {
			if !c.ph.MaxConcurrentCalls.Valid {
				return format.None
			}
			return optDecimal(c.ph.PeakConcurrentPerNode, func(d decimal.Decimal) string { return format.Decimal(d, 1) })
		}},
	{Key: "required_nodes_memory", Format: FormatCount, Group: GroupServing, Label: "Needed for memory", Unit: "at peak",
		phase: func(c *cellCtx) string { return optCount(c.ph.RequiredNodesMemory) }},
	{Key: "required_nodes", Format: FormatCount, Group: GroupServing, Label: "Required nodes", Unit: "at peak",
		phase: func(c *cellCtx) string {
			if c.ph.SizingBound == planner.BoundUtilization {
				return count(c.ph.RequiredNodes)
			}
			return fmt.Sprintf("%s (%s)", count(c.ph.RequiredNodes), map[string]string{planner.BoundP99: "p99", planner.BoundMemory: "memory", planner.BoundMinNodes: "minimum",
				planner.BoundTTFT: "TTFT", planner.BoundTPOT: "TPOT", planner.BoundGoodput: "goodput"}[c.ph.SizingBound])
		}},
	{Key: "nodes", Format: FormatCount, Group: GroupServing, Label: "Nodes", Unit: "ceiling", Kind: PhaseInput, Field: "nodes",
		phase: func(c *cellCtx) string {
			if c.ph.NodesAuto {
				return count(c.ph.Nodes) + " (auto)"
			}
			return count(c.ph.Nodes)
		},
		total: func(r *planner.Result) string { return "peak " + count(r.Totals.PeakNodes) }},
	{Key: "node_hours", Format: FormatCount, Group: GroupServing, Label: "Node-hours", Unit: "per phase",
		phase: func(c *cellCtx) string { return count(c.ph.NodeHours) },
		total: func(r *planner.Result) string { return count(r.Totals.NodeHours) }},
	{Key: "avg_utilization", Format: FormatShare, Group: GroupServing, Label: "Average utilization", Unit: "served ÷ capacity", Check: planner.CheckMinUtilization,
		phase: func(c *cellCtx) string { return optDecimal(c.ph.AvgUtilization, share) }},
	{Key: "peak_utilization", Format: FormatShare, Group: GroupServing, Label: "Peak utilization", Unit: "busiest hour",
		phase: func(c *cellCtx) string { return optDecimal(c.ph.PeakUtilization, share) }},

	// Latency budget: what a call spends where, hour by hour: the worst
	// hour and the whole day.
	inputLine(GroupLatency, "network_ms", FormatDecimal, func(c *cellCtx, a *planner.Assumptions) string { return format.Trim(a.NetworkMs) }),
	inputLine(GroupLatency, "preprocess_ms", FormatDecimal, func(c *cellCtx, a *planner.Assumptions) string { return format.Trim(a.PreprocessMs) }),
	inputLine(GroupLatency, "postprocess_ms", FormatDecimal, func(c *cellCtx, a *planner.Assumptions) string { return format.Trim(a.PostprocessMs) }),
	inputLine(GroupLatency, "service_ms", FormatDecimal, func(c *cellCtx, a *planner.Assumptions) string { return format.Trim(a.ServiceMs) }),
	inputLine(GroupLatency, "service_cv", FormatDecimal, func(c *cellCtx, a *planner.Assumptions) string { return format.Trim(a.ServiceCV) }),
	inputLine(GroupLatency, "slots", FormatCount, func(c *cellCtx, a *planner.Assumptions) string { return count(a.Slots) }),
	{Key: "p99_hour", Format: FormatText, Group: GroupLatency, Label: "Worst hour", Unit: "highest p99",
		phase: func(c *cellCtx) string {
			return latency(c, func(l *planner.Latency) string { return fmt.Sprintf("%02d:00", l.Hour) })
		}},
	{Key: "latency_nodes", Format: FormatCount, Group: GroupLatency, Label: "Nodes then", Unit: "worst hour",
		phase: func(c *cellCtx) string {
			return latency(c, func(l *planner.Latency) string { return count(l.Worst().Nodes) })
		}},
	{Key: "wait_probability", Format: FormatShare, Group: GroupLatency, Label: "Calls that queue", Unit: "worst hour",
		phase: func(c *cellCtx) string {
			if c.ph.Tokens != nil { // a token phase's wait is in its TTFT
				return format.None
			}
			return latency(c, func(l *planner.Latency) string { return share(decimal.NewFromFloat(l.Worst().WaitProb)) })
		}},
	{Key: "p99_ms", Format: FormatMillis, Group: GroupLatency, Label: "p99, worst hour", Unit: "ms", Check: planner.CheckP99,
		phase: func(c *cellCtx) string {
			return latency(c, func(l *planner.Latency) string {
				if l.Saturated {
					return "saturated"
				}
				return msText(l.P99Ms)
			})
		}},
	{Key: "p99_day_ms", Format: FormatMillis, Group: GroupLatency, Label: "p99 over the day", Unit: "ms, all calls",
		phase: func(c *cellCtx) string { return dayMs(c, func(l *planner.Latency) float64 { return l.P99DayMs }) }},
	{Key: "p50_ms", Format: FormatMillis, Group: GroupLatency, Label: "p50 over the day", Unit: "ms, all calls",
		phase: func(c *cellCtx) string { return dayMs(c, func(l *planner.Latency) float64 { return l.P50Ms }) }},
	{Key: "hours_over", Format: FormatText, Group: GroupLatency, Label: "Hours over target", Unit: "of 24 (share of calls)", Check: planner.CheckP99,
		phase: func(c *cellCtx) string {
			if !c.r.SLO.P99Ms.Valid {
				return format.None
			}
			return latency(c, func(l *planner.Latency) string {
				return fmt.Sprintf("%d (%s)", l.HoursOver, format.Percent(decimal.NewFromFloat(l.CallsOverShare), 1))
			})
		}},
	{Key: "ttft_p99_ms", Format: FormatMillis, Group: GroupLatency, Label: "TTFT p99, worst hour", Unit: "ms to the first token", Check: planner.CheckTTFT,
		phase: func(c *cellCtx) string {
			return tokenHour(c, func(d *llm.Day) int { return d.TTFTp99Hour }, func(h *llm.Hour) float64 { return h.TTFTp99 })
		}},
	{Key: "tpot_p99_ms", Format: FormatMillis, Group: GroupLatency, Label: "TPOT p99, worst hour", Unit: "ms a token after the first", Check: planner.CheckTPOT,
		phase: func(c *cellCtx) string {
			return tokenHour(c, func(d *llm.Day) int { return d.TPOTp99Hour }, func(h *llm.Hour) float64 { return h.TPOTp99 })
		}},
	{Key: "goodput", Format: FormatShare, Group: GroupLatency, Label: "Goodput", Unit: "calls meeting TTFT and TPOT, the day", Check: planner.CheckGoodput,
		phase: func(c *cellCtx) string {
			return tokens(c, func(t *planner.TokenServing) string {
				if math.IsNaN(t.Day.Goodput) {
					return format.None
				}
				return format.Percent(decimal.NewFromFloat(t.Day.Goodput), 1)
			})
		}},
	{Key: "batch_mean", Format: FormatDecimal, Group: GroupLatency, Label: "Batch occupancy", Unit: "sequences running, busiest hour",
		phase: func(c *cellCtx) string {
			return tokens(c, func(t *planner.TokenServing) string {
				if h := t.Day.TTFTp99Hour; h >= 0 && !t.Day.Hours[h].Saturated {
					return fmt.Sprintf("%.1f of %d (full %s of the time)", t.Day.Hours[h].BatchMean, t.Batch, format.Percent(decimal.NewFromFloat(t.Day.Hours[h].BatchFull), 1))
				}
				return format.None
			})
		}},
	sloLine(planner.KeyTTFTp99), sloLine(planner.KeyTPOTp99), sloLine(planner.KeyGoodputMin),
	{Key: "p99_target", Format: FormatDecimal, Group: GroupLatency, Label: "p99 target", Unit: "ms", Kind: PlanInput, Field: "p99_ms",
		phase: func(c *cellCtx) string { return optDecimal(c.r.SLO.P99Ms, format.Trim) }},

	// Cost controls: where the money goes and whether it pays.
	// (the catalogue's cost lines, planner.CostLines, go here: see Lines)
	costLine("total_cost", "Total cost", func(c *planner.Costs) decimal.Decimal { return c.Total }),
	{Key: "cost_per_call", Format: FormatPerCall, Group: GroupCost, Label: "Cost per call", Unit: "total ÷ calls", Check: planner.CheckCostCeiling,
		phase: func(c *cellCtx) string { return optDecimal(c.ph.CostPerCall, c.perCall) },
		total: func(r *planner.Result) string {
			return optDecimal(r.Totals.CostPerCall, (&cellCtx{r: r}).perCall)
		}},
	{Key: "cost_per_million_tokens", Format: FormatUnitPrice, Group: GroupCost, Label: "Cost per million tokens", Unit: "total ÷ tokens × 10⁶",
		phase: func(c *cellCtx) string {
			return optDecimal(c.ph.CostPerMillionTokens, func(d decimal.Decimal) string { return c.perCall(d) })
		}},
	{Key: "node_cost_per_million_tokens", Format: FormatUnitPrice, Group: GroupCost, Label: "A node's million tokens", Unit: "price ÷ (tokens/s × 3600) × 10⁶",
		phase: func(c *cellCtx) string {
			return optDecimal(c.ph.NodeCostPerMillionTokens, func(d decimal.Decimal) string { return c.perCall(d) })
		}},
	inputLine(GroupCost, "api_price_in", FormatUnitPrice, func(c *cellCtx, a *planner.Assumptions) string {
		return optZero(a.APIPriceIn, func(d decimal.Decimal) string { return unitPrice(c, d) })
	}),
	inputLine(GroupCost, "api_price_out", FormatUnitPrice, func(c *cellCtx, a *planner.Assumptions) string {
		return optZero(a.APIPriceOut, func(d decimal.Decimal) string { return unitPrice(c, d) })
	}),
	{Key: "api_cost_per_call", Format: FormatPerCall, Group: GroupCost, Label: "API cost per call", Unit: "buy: tokens × API prices",
		phase: func(c *cellCtx) string { return optDecimal(c.ph.APICostPerCall, c.perCall) }},
	{Key: "build_vs_buy_calls_per_day", Format: FormatCount, Group: GroupCost, Label: "Build beats buy from", Unit: "calls/day: serving ≤ API",
		phase: func(c *cellCtx) string {
			if !c.ph.APICostPerCall.Valid {
				return format.None
			}
			if !c.ph.BuildVsBuyCallsPerDay.Valid {
				return "never (≤ 100×)"
			}
			return count(c.ph.BuildVsBuyCallsPerDay.Val)
		}},
	{Key: "max_cost_per_call", Format: FormatPerCall, Group: GroupCost, Label: "Cost ceiling", Unit: "per call", Kind: PlanInput, Field: "max_cost_per_call",
		phase: func(c *cellCtx) string { return optDecimal(c.r.SLO.MaxCostPerCall, c.perCall) }},
	{Key: "overflow_calls", Format: FormatCount, Group: GroupCost, Label: "Overflow to batch", Unit: "calls", Check: planner.CheckOverflow,
		phase: func(c *cellCtx) string { return format.Decimal(c.ph.OverflowCalls, 0) },
		total: func(r *planner.Result) string { return format.Decimal(r.Totals.OverflowCalls, 0) }},
	{Key: "overflow_share", Format: FormatShare2, Group: GroupCost, Label: "Overflow share", Unit: "of calls", Check: planner.CheckOverflow,
		phase: func(c *cellCtx) string {
			return optDecimal(c.ph.OverflowShare, func(d decimal.Decimal) string { return format.Percent(d, 2) })
		}},
	inputLine(GroupCost, "batch_cost_per_call", FormatUnitPrice, func(c *cellCtx, a *planner.Assumptions) string { return unitPrice(c, a.BatchCostPerCall) }),
	inputLine(GroupCost, "fixed_monthly", FormatMoney, func(c *cellCtx, a *planner.Assumptions) string { return c.money(a.FixedMonthly) }),
	{Key: "one_time", Format: FormatMoney, Group: GroupCost, Label: "One-time cost", Unit: "first day", Kind: PhaseInput, Field: "one_time",
		phase: func(c *cellCtx) string { return c.money(c.ph.OneTime) }},
	inputLine(GroupCost, "revenue_per_call", FormatUnitPrice, func(c *cellCtx, a *planner.Assumptions) string { return unitPrice(c, a.RevenuePerCall) }),
	{Key: "revenue", Format: FormatMoney, Group: GroupCost, Label: "Revenue", Unit: "per phase",
		phase: func(c *cellCtx) string { return c.money(c.ph.Revenue) },
		total: func(r *planner.Result) string { return format.Money(r.Totals.Revenue, r.Currency) }},
	{Key: "margin", Format: FormatMoney, Group: GroupCost, Label: "Margin", Unit: "revenue − cost",
		phase: func(c *cellCtx) string { return c.money(c.ph.Margin) },
		total: func(r *planner.Result) string { return format.Money(r.Totals.Margin, r.Currency) }},
	{Key: "break_even_calls_per_day", Format: FormatCount, Group: GroupCost, Label: "Break-even volume", Unit: "calls/day",
		phase: func(c *cellCtx) string {
			if !c.ph.BreakEvenCallsPerDay.Valid {
				return format.None
			}
			return count(c.ph.BreakEvenCallsPerDay.Val)
		}},
}

// tokenLine is a phase's tokens a call: typed per phase, the variant's
// when the phase gives none.
func tokenLine(key, label string, of func(a *planner.Assumptions) planner.Opt[int64]) Line {
	f, _ := planner.LookupPhaseField(key)
	return Line{Key: key, Format: FormatCount, Group: GroupIngestion, Label: label, Unit: f.Unit, Kind: PhaseInput, Field: key,
		phase: func(c *cellCtx) string { return optCount(of(&c.ph.Inputs)) }}
}

func optCount(o planner.Opt[int64]) string {
	if !o.Valid {
		return format.None
	}
	return count(o.Val)
}

// optZero renders an input whose 0 means "not given" as none.
func optZero(d decimal.Decimal, f func(decimal.Decimal) string) string {
	if d.IsZero() {
		return format.None
	}
	return f(d)
}

// orDefault is s, or def when s is empty.
func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// tokens renders a token-mode figure; none for a phase that serves calls.
func tokens(c *cellCtx, f func(t *planner.TokenServing) string) string {
	if c.ph.Tokens == nil {
		return format.None
	}
	return f(c.ph.Tokens)
}

// tokenHour renders a token figure of the day's worst hour for it.
func tokenHour(c *cellCtx, hour func(*llm.Day) int, of func(*llm.Hour) float64) string {
	return tokens(c, func(t *planner.TokenServing) string {
		switch h := hour(&t.Day); {
		case t.Day.Saturated:
			return "saturated"
		case h < 0:
			return format.None
		default:
			return fmt.Sprintf("%s at %02d:00", msText(of(&t.Day.Hours[h])), h)
		}
	})
}

// sloLine is a token objective: one value for the plan.
func sloLine(key string) Line {
	f, _ := planner.LookupSLO(key)
	fm := FormatDecimal
	if f.Share {
		fm = FormatShare
	}
	return Line{Key: key + "_target", Format: fm, Group: GroupLatency, Label: f.Label, Unit: f.Unit, Kind: PlanInput, Field: key,
		phase: func(c *cellCtx) string {
			if f.Share {
				return optDecimal(f.Of(c.r.SLO), share)
			}
			return optDecimal(f.Of(c.r.SLO), format.Trim)
		}}
}

// optionalLines are computed lines shown only when some phase has their
// figure: tokens, the GPU memory fit, an API to buy from.
var optionalLines = map[string]func(p *planner.PhaseResult) bool{
	// Token serving: the inputs and figures of planner/serving.go.
	planner.KeyServing: servesTokens, planner.KeyOutputDist: servesTokens, planner.KeyPrefill: servesTokens,
	planner.KeyStepBase: servesTokens, planner.KeyStepPerSeq: servesTokens, planner.KeyMaxBatch: servesTokens,
	"token_batch": servesTokens, "capacity_rps": servesTokens, "ttft_p99_ms": servesTokens, "tpot_p99_ms": servesTokens,
	"goodput": servesTokens, "batch_mean": servesTokens,
	planner.KeyTTFTp99 + "_target": servesTokens, planner.KeyTPOTp99 + "_target": servesTokens, planner.KeyGoodputMin + "_target": servesTokens,
	"kv_bytes_per_token":           func(p *planner.PhaseResult) bool { return p.KVBytesPerToken.Valid },
	"kv_budget_gib":                func(p *planner.PhaseResult) bool { return p.KVBudgetGiB.Valid },
	"max_concurrent_calls":         func(p *planner.PhaseResult) bool { return p.MaxConcurrentCalls.Valid },
	"peak_concurrent_calls":        func(p *planner.PhaseResult) bool { return p.MaxConcurrentCalls.Valid },
	"required_nodes_memory":        func(p *planner.PhaseResult) bool { return p.RequiredNodesMemory.Valid },
	"effective_node_rps":           func(p *planner.PhaseResult) bool { return p.RequiredNodesMemory.Valid },
	"cost_per_million_tokens":      func(p *planner.PhaseResult) bool { return p.CostPerMillionTokens.Valid },
	"node_cost_per_million_tokens": func(p *planner.PhaseResult) bool { return p.NodeCostPerMillionTokens.Valid },
	"api_cost_per_call":            func(p *planner.PhaseResult) bool { return p.APICostPerCall.Valid },
	"build_vs_buy_calls_per_day":   func(p *planner.PhaseResult) bool { return p.APICostPerCall.Valid },
}

func servesTokens(p *planner.PhaseResult) bool { return p.Tokens != nil }

// latency renders a latency figure, or says why there is none.
func latency(c *cellCtx, f func(l *planner.Latency) string) string {
	l := &c.ph.Latency
	if !l.Estimated {
		return format.None
	}
	return f(l)
}

// dayMs renders a quantile over the day's calls: none when some hour is
// saturated (the day then has no steady-state quantile).
func dayMs(c *cellCtx, f func(l *planner.Latency) float64) string {
	return latency(c, func(l *planner.Latency) string {
		switch {
		case l.DaySaturated:
			return "saturated"
		case l.Partial:
			return format.None
		}
		return msText(f(l))
	})
}

func (c *cellCtx) perCall(d decimal.Decimal) string {
	return format.MoneyPlacesN(d, c.r.Currency, format.CostPerCallPlaces)
}

// LineByKey finds a line.
func LineByKey(key string) (*Line, bool) {
	for i := range Lines {
		if Lines[i].Key == key {
			return &Lines[i], true
		}
	}
	return nil, false
}

// ComponentKey is the line key of the plan's component j.
func ComponentKey(j int) string { return fmt.Sprintf("component_%d", j+1) }

// LinesFor is Lines with a line for each of the plan's components: at the
// end of its group, or, in cost controls, just before the total it is part
// of. The table, the grid and the workbook show r by these lines.
func LinesFor(r *planner.Result) []Line {
	lines := commitmentLines(r)
	if len(r.Phases) == 0 || len(r.Phases[0].Components) == 0 {
		return lines
	}
	comps := r.Phases[0].Components
	byGroup := map[string][]Line{}
	for j := range comps {
		k := comps[j]
		d, _ := planner.LookupDriver(k.Driver)
		unit := k.Driver
		if d != nil {
			unit = d.Label
		}
		g := planner.GroupLabel(k.Group)
		byGroup[g] = append(byGroup[g], Line{Key: ComponentKey(j), Group: g, Label: k.Name, Unit: "component, " + unit,
			Format: FormatMoney, Component: j + 1,
			phase: func(c *cellCtx) string {
				if !c.ph.Components[j].Applies {
					return format.None
				}
				return c.money(c.ph.Components[j].Cost)
			},
			total: func(r *planner.Result) string { return format.Money(r.Totals.Components[j].Cost, r.Currency) }})
	}
	onPath := false
	for _, ph := range r.Phases {
		onPath = onPath || ph.Inputs.ComponentsMs().Sign() != 0
	}
	out := make([]Line, 0, len(lines)+len(comps)+1)
	for i, l := range lines {
		if l.Key == "total_cost" {
			out = append(out, byGroup[l.Group]...)
			delete(byGroup, l.Group)
		}
		out = append(out, l)
		if l.Key == "postprocess_ms" && onPath {
			out = append(out, componentsMsLine)
		}
		if last := i == len(lines)-1 || lines[i+1].Group != l.Group; last {
			out = append(out, byGroup[l.Group]...)
			delete(byGroup, l.Group)
		}
	}
	return out
}

// commitmentLines is Lines as r shows them: the cost lines the catalogue
// shows for it (the committed and stranded lines with commitments, the spot
// line with spot), and the node-hours commitments cover after the
// node-hours.
func commitmentLines(r *planner.Result) []Line {
	held := r.HasCommitments()
	hidden := map[string]bool{}
	for i := range planner.CostLines {
		if c := &planner.CostLines[i]; !c.ShownFor(r) {
			hidden[c.LineKey] = true
		}
	}
	for k, has := range optionalLines {
		shown := false
		for i := range r.Phases {
			shown = shown || has(&r.Phases[i])
		}
		hidden[k] = !shown
	}
	out := make([]Line, 0, len(Lines)+1)
	for _, l := range Lines {
		if hidden[l.Key] {
			continue
		}
		out = append(out, l)
		if held && l.Key == "node_hours" {
			out = append(out, coveredLine)
		}
	}
	return out
}

// coveredLine is the node-hours a plan's commitments serve in a phase.
var coveredLine = Line{Key: "covered_node_hours", Format: FormatCount, Group: GroupServing, Label: "Covered by commitments", Unit: "node-hours, off on demand",
	phase: func(c *cellCtx) string { return count(c.ph.CoveredNodeHours) },
	total: func(r *planner.Result) string {
		var t int64
		for _, ph := range r.Phases {
			t += ph.CoveredNodeHours
		}
		return count(t)
	}}

// componentsMsLine is the latency the plan's components on the request path
// add to each call of a phase: shown only in plans that have some.
var componentsMsLine = Line{Key: "components_ms", Format: FormatMillis, Group: GroupLatency, Label: "Components on the path", Unit: "ms, part of the fixed latency",
	phase: func(c *cellCtx) string { return format.Trim(c.ph.Inputs.ComponentsMs()) }}
