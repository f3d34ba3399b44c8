package export

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/llm"
	"github.com/scaleplan/scaleplan/report"
	"github.com/xuri/excelize/v2"
)

// Rows of the Model sheet above the lines.
const (
	modelHeader    = 3 // line | unit | plan total | phase names
	modelStart     = 4 // start date
	modelEnd       = 5 // end date
	modelFirstDay  = 6 // plan day number of each phase's first day
	modelFirstLine = 7 // the first group heading
)

// colCtx names the cells one phase column's formulas refer to.
type colCtx struct {
	b   *builder
	i   int    // phase index
	c   string // the phase's column on Model and Inputs
	ph  *planner.PhaseResult
	cur string
}

// m is this phase's cell of a Model line.
func (c *colCtx) m(key string) string {
	row, ok := c.b.modelRow[key]
	if !ok {
		panic("export: no model row " + key) // a programming error caught by the tests
	}
	return fmt.Sprintf("%s%d", c.c, row)
}

// nodeRPS is the placeholder of what a node serves flat out: the effective
// rate when the workbook has it (memory binds in some phase), node_rps
// otherwise.
func (c *colCtx) nodeRPS() string {
	if _, ok := c.b.modelRow["effective_node_rps"]; ok {
		return "{effective_node_rps}"
	}
	return "{node_rps}"
}

// uncommitted is this phase's node-hours no commitment serves, as a
// formula over Model lines.
func (c *colCtx) uncommitted() string {
	if c.b.r.HasCommitments() {
		return "({node_hours}-{covered_node_hours})"
	}
	return "{node_hours}"
}

// in is this phase's cell of an input on the Inputs sheet.
func (c *colCtx) in(key string) string {
	return fmt.Sprintf("%s!%s%d", c.b.sheet(sheetInputs), c.c, c.b.inRow[key])
}

// hourly is this phase's 24 rows of an Hourly column.
func (c *colCtx) hourly(col string) string {
	first := c.b.hourFirst + 24*c.i
	return fmt.Sprintf("%s!%s%d:%s%d", c.b.sheet(sheetHourly), col, first, col, first+23)
}

func (c *colCtx) profile() string {
	return fmt.Sprintf("%s!%s%d:%s%d", c.b.sheet(sheetInputs), c.c, c.b.profRow, c.c, c.b.profRow+23)
}

// sub fills {key} placeholders with this phase's Model cells, so formulas
// read like the model's own equations.
func (c *colCtx) sub(f string) string {
	var out strings.Builder
	for {
		i := strings.IndexByte(f, '{')
		if i < 0 {
			out.WriteString(f)
			return out.String()
		}
		j := strings.IndexByte(f[i:], '}') + i
		out.WriteString(f[:i])
		out.WriteString(c.m(f[i+1 : j]))
		f = f[j+1:]
	}
}

// lineCell is how one Model line is written: its formula for a phase and the
// engine's value for it.
type lineCell struct {
	formula func(c *colCtx) string
	value   func(c *colCtx) any
}

func phaseInput(key string, v func(c *colCtx) any) lineCell {
	return lineCell{formula: func(c *colCtx) string { return c.in(key) }, value: v}
}

func assumption(key string) lineCell {
	f, _ := planner.LookupField(key)
	return lineCell{
		formula: func(c *colCtx) string { return c.in(key) },
		value:   func(c *colCtx) any { return assumptionValue(f, &c.ph.Inputs) },
	}
}

func eq(f string, v func(c *colCtx) any) lineCell {
	return lineCell{formula: func(c *colCtx) string { return c.sub(f) }, value: v}
}

// Money figures computed over a month use 365/12 days; see docs/model.md.
var lineCells = map[string]lineCell{
	"days":          phaseInput("days", func(c *colCtx) any { return c.ph.Days }),
	"calls_per_day": phaseInput("calls_per_day", func(c *colCtx) any { return c.ph.CallsPerDay }),
	"calls":         eq("{calls_per_day}*{days}", func(c *colCtx) any { return c.ph.Calls }),
	"avg_rps":       eq("{calls_per_day}/86400", func(c *colCtx) any { return num(c.ph.AvgRPS) }),
	"hourly_profile": {
		formula: func(c *colCtx) string { return fmt.Sprintf("MAX(%s)*24/SUM(%s)", c.profile(), c.profile()) },
		value:   func(c *colCtx) any { return num(c.ph.PeakFactor()) },
	},
	"peak_rps":         {formula: func(c *colCtx) string { return "MAX(" + c.hourly("D") + ")" }, value: func(c *colCtx) any { return num(c.ph.PeakRPS) }},
	"stored_gb":        {formula: storedGBFormula, value: func(c *colCtx) any { return num(c.ph.StoredGB) }},
	"egress_volume_gb": eq("{calls}*{egress_bytes_per_call}/1000000000", func(c *colCtx) any { return num(c.ph.EgressGB) }),

	// A text input referred to from an empty cell would read as 0; "" & keeps it text.
	"node_type": {formula: func(c *colCtx) string { return `""&` + c.in("node_type") }, value: func(c *colCtx) any { return c.ph.Inputs.NodeType }},
	"variant": {formula: func(c *colCtx) string {
		return fmt.Sprintf(`IF(%s="","%s",%s)`, c.in("variant"), none, c.in("variant"))
	},
		value: func(c *colCtx) any {
			if c.ph.VariantName == "" {
				return none
			}
			return c.ph.VariantName
		}},
	"scaling": {formula: func(c *colCtx) string { return `""&` + c.in("scaling") }, value: func(c *colCtx) any { return string(c.ph.Scaling) }},
	// ROUND(…, 9) keeps float noise (7.0000000001) from adding a node the
	// exact engine does not.
	"required_nodes_utilization": {formula: func(c *colCtx) string {
		return c.sub("MAX({min_nodes},CEILING(ROUND({peak_rps}/(" + c.nodeRPS() + "*{target_utilization}),9),1))")
	}, value: func(c *colCtx) any { return c.ph.RequiredNodesUtilization }},
	// A node runs min(slots, calls its KV cache holds): its rate is the
	// calls held × 1000 ÷ the time a call holds them (service_ms, or
	// slots ÷ node_rps without one). The row is there only when memory
	// binds in some phase (report's optional lines).
	"effective_node_rps": eq(`IF(AND(ISNUMBER({max_concurrent_calls}),N({max_concurrent_calls})>0,N({max_concurrent_calls})<MAX({slots},1)),`+
		`{max_concurrent_calls}*1000/IF({service_ms}>0,{service_ms},MAX({slots},1)*1000/{node_rps}),{node_rps})`,
		func(c *colCtx) any { return num(c.ph.EffectiveNodeRPS) }),
	// The p99 counts come from the latency model (a numerical quantile of
	// a gamma-plus-exponential sum), which a spreadsheet cannot re-derive:
	// they are values as of export, per hour on the Hourly sheet.
	"required_nodes_p99": valueOnly(func(c *colCtx) any {
		if !c.ph.RequiredNodesP99.Valid {
			return none
		}
		return c.ph.RequiredNodesP99.Val
	}),
	"required_nodes": eq(`MAX({required_nodes_utilization},IF(ISNUMBER({required_nodes_p99}),{required_nodes_p99},0))`,
		func(c *colCtx) any { return c.ph.RequiredNodes }),
	"nodes": {
		formula: func(c *colCtx) string {
			return fmt.Sprintf("IF(ISNUMBER(%s),%s,%s)", c.in("nodes"), c.in("nodes"), c.m("required_nodes"))
		},
		value: func(c *colCtx) any { return c.ph.Nodes },
	},
	"node_hours": {formula: func(c *colCtx) string { return c.sub("{days}*SUM(") + c.hourly("E") + ")" }, value: func(c *colCtx) any { return c.ph.NodeHours }},
	"avg_utilization": {
		formula: func(c *colCtx) string {
			return fmt.Sprintf(`IF(SUM(%s)>0,SUM(%s)/SUM(%s),"%s")`, c.hourly("F"), c.hourly("H"), c.hourly("F"), none)
		},
		value: func(c *colCtx) any { return opt(c.ph.AvgUtilization) },
	},
	"peak_utilization": {
		// none when nothing runs, or when an hour has load and no nodes
		formula: func(c *colCtx) string {
			return fmt.Sprintf(`IF(OR(SUM(%s)=0,COUNTIFS(%s,">0",%s,0)>0),"%s",MAX(%s))`,
				c.hourly("F"), c.hourly("D"), c.hourly("E"), none, c.hourly("I"))
		},
		value: func(c *colCtx) any { return opt(c.ph.PeakUtilization) },
	},
	// Latency is a value as of export (the quantiles below are too).
	"components_ms": valueOnly(func(c *colCtx) any { return num(c.ph.Inputs.ComponentsMs()) }),
	"p99_hour": valueOnly(func(c *colCtx) any {
		return latencyValue(c, func(l *planner.Latency) any { return fmt.Sprintf("%02d:00", l.Hour) })
	}),
	"latency_nodes": valueOnly(func(c *colCtx) any { return latencyValue(c, func(l *planner.Latency) any { return l.Worst().Nodes }) }),
	"wait_probability": valueOnly(func(c *colCtx) any {
		if c.ph.Tokens != nil { // a token phase's wait is in its TTFT
			return none
		}
		return latencyValue(c, func(l *planner.Latency) any { return l.Worst().WaitProb })
	}),
	"p99_ms": valueOnly(func(c *colCtx) any {
		return latencyValue(c, func(l *planner.Latency) any {
			if l.Saturated {
				return "saturated"
			}
			return l.P99Ms
		})
	}),
	// Token serving (planner/serving.go): values as of export, as latency is.
	"token_batch": valueOnly(func(c *colCtx) any { return tokenValue(c, func(t *planner.TokenServing) any { return t.Batch }) }),
	"capacity_rps": valueOnly(func(c *colCtx) any {
		return tokenValue(c, func(t *planner.TokenServing) any { return num(t.CapacityRPS) })
	}),
	"ttft_p99_ms": valueOnly(func(c *colCtx) any {
		return tokenValue(c, func(t *planner.TokenServing) any {
			return worstToken(t, t.Day.TTFTp99Hour, func(h *llm.Hour) float64 { return h.TTFTp99 })
		})
	}),
	"tpot_p99_ms": valueOnly(func(c *colCtx) any {
		return tokenValue(c, func(t *planner.TokenServing) any {
			return worstToken(t, t.Day.TPOTp99Hour, func(h *llm.Hour) float64 { return h.TPOTp99 })
		})
	}),
	"goodput": valueOnly(func(c *colCtx) any {
		return tokenValue(c, func(t *planner.TokenServing) any {
			if math.IsNaN(t.Day.Goodput) {
				return none
			}
			return t.Day.Goodput
		})
	}),
	"batch_mean": valueOnly(func(c *colCtx) any {
		return tokenValue(c, func(t *planner.TokenServing) any {
			return worstToken(t, t.Day.TTFTp99Hour, func(h *llm.Hour) float64 { return h.BatchMean })
		})
	}),
	"p99_day_ms": valueOnly(func(c *colCtx) any { return dayMs(c, func(l *planner.Latency) float64 { return l.P99DayMs }) }),
	"p50_ms":     valueOnly(func(c *colCtx) any { return dayMs(c, func(l *planner.Latency) float64 { return l.P50Ms }) }),
	"hours_over": valueOnly(func(c *colCtx) any {
		if !c.b.r.SLO.P99Ms.Valid {
			return none
		}
		return latencyValue(c, func(l *planner.Latency) any { return l.HoursOver })
	}),
	"p99_target":         sloTarget(planner.KeyP99Ms),
	"ttft_p99_ms_target": sloTarget(planner.KeyTTFTp99),
	"tpot_p99_ms_target": sloTarget(planner.KeyTPOTp99),
	"goodput_min_target": sloTarget(planner.KeyGoodputMin),

	"storage_cost": {formula: storageCostFormula, value: func(c *colCtx) any { return num(c.ph.Cost.Of(planner.CostStorage)) }},
	// With commitments, the node-hours they serve (as of export: the
	// hour-by-hour overlap of fleet and terms) come off the on-demand bill,
	// and the committed and stranded lines sum the Commitments sheet's held
	// commitments: their nodes, rates and hours in the phase (commitments.go).
	"gpu_cost": {formula: func(c *colCtx) string {
		f := c.uncommitted() + "*{node_hourly}"
		if c.b.r.UsesSpot() { // on spot instead where a spot price is set
			f += "*IF({spot_hourly}>0,0,1)"
		}
		return c.sub(f)
	}, value: func(c *colCtx) any { return num(c.ph.Cost.Of(planner.CostGPU)) }},
	"spot_cost": {formula: func(c *colCtx) string {
		return c.sub(c.uncommitted() + "*IF({spot_hourly}>0,(1-{spot_interruption})*{spot_hourly}+{spot_interruption}*{node_hourly},0)")
	}, value: func(c *colCtx) any { return num(c.ph.Cost.Of(planner.CostSpot)) }},
	"covered_node_hours": valueOnly(func(c *colCtx) any { return c.ph.CoveredNodeHours }),
	"committed_cost": {formula: func(c *colCtx) string { return c.b.heldFormula(c, false) },
		value: func(c *colCtx) any { return num(c.ph.Cost.Of(planner.CostCommitted)) }},
	"stranded_cost": {formula: func(c *colCtx) string { return c.b.heldFormula(c, true) },
		value: func(c *colCtx) any { return num(c.ph.Cost.Of(planner.CostStranded)) }},
	// The catalogue's lines and every component.
	"total_cost": {
		formula: func(c *colCtx) string {
			var terms []string
			for _, l := range planner.CostLines {
				if _, ok := c.b.modelRow[l.LineKey]; ok { // the commitments' lines are only in plans that hold some
					terms = append(terms, c.m(l.LineKey))
				}
			}
			for j := range c.b.p.Components {
				terms = append(terms, c.m(report.ComponentKey(j)))
			}
			return strings.Join(terms, "+")
		},
		value: func(c *colCtx) any { return num(c.ph.Cost.Total) },
	},
	"cost_per_call": eq(`IF({calls}>0,{total_cost}/{calls},"`+none+`")`, func(c *colCtx) any { return opt(c.ph.CostPerCall) }),
	"max_cost_per_call": {
		formula: func(c *colCtx) string {
			return fmt.Sprintf(`IF(ISNUMBER(%s),%s,"%s")`, c.b.name(nameMaxCost), c.b.name(nameMaxCost), none)
		},
		value: func(c *colCtx) any { return opt(c.b.r.SLO.MaxCostPerCall) },
	},
	"overflow_calls": {formula: func(c *colCtx) string { return c.sub("{days}*3600*SUM(") + c.hourly("G") + ")" }, value: func(c *colCtx) any { return num(c.ph.OverflowCalls) }},
	"overflow_share": eq(`IF({calls}>0,{overflow_calls}/{calls},"`+none+`")`, func(c *colCtx) any { return opt(c.ph.OverflowShare) }),
	"one_time":       phaseInput("one_time", func(c *colCtx) any { return num(c.ph.OneTime) }),
	"revenue":        eq("{calls}*{revenue_per_call}", func(c *colCtx) any { return num(c.ph.Revenue) }),
	"margin":         eq("{revenue}-{total_cost}", func(c *colCtx) any { return num(c.ph.Margin) }),
	// Found by re-running the model at other volumes: a value as of export.
	"input_tokens":  tokensInput("input_tokens", func(a *planner.Assumptions) planner.Opt[int64] { return a.InputTokens() }),
	"output_tokens": tokensInput("output_tokens", func(a *planner.Assumptions) planner.Opt[int64] { return a.OutputTokens() }),
	// × 10⁶ ÷ tokens served; none without tokens a call.
	"cost_per_million_tokens": eq(`IF(AND(N({input_tokens})+N({output_tokens})>0,{calls}>0),{total_cost}*1000000/({calls}*(N({input_tokens})+N({output_tokens}))),"`+none+`")`,
		func(c *colCtx) any { return opt(c.ph.CostPerMillionTokens) }),
	"node_cost_per_million_tokens": eq(`IF({tokens_per_s}>0,{node_hourly}*1000000/({tokens_per_s}*3600),"`+none+`")`,
		func(c *colCtx) any { return opt(c.ph.NodeCostPerMillionTokens) }),
	"api_cost_per_call": eq(`IF(AND(OR({api_price_in}>0,{api_price_out}>0),N({input_tokens})+N({output_tokens})>0),(N({input_tokens})*{api_price_in}+N({output_tokens})*{api_price_out})/1000000,"`+none+`")`,
		func(c *colCtx) any { return opt(c.ph.APICostPerCall) }),
	// The memory fit and the build-versus-buy volume are the engine's, as
	// of export (docs/workbook.md): a block count and a re-run search.
	"kv_bytes_per_token":    valueOnly(func(c *colCtx) any { return opt(c.ph.KVBytesPerToken) }),
	"kv_budget_gib":         valueOnly(func(c *colCtx) any { return opt(c.ph.KVBudgetGiB) }),
	"max_concurrent_calls":  valueOnly(func(c *colCtx) any { return optInt(c.ph.MaxConcurrentCalls) }),
	"peak_concurrent_calls": valueOnly(func(c *colCtx) any { return opt(c.ph.PeakConcurrentPerNode) }),
	"required_nodes_memory": valueOnly(func(c *colCtx) any { return optInt(c.ph.RequiredNodesMemory) }),
	"build_vs_buy_calls_per_day": valueOnly(func(c *colCtx) any {
		if !c.ph.APICostPerCall.Valid {
			return none
		}
		if !c.ph.BuildVsBuyCallsPerDay.Valid {
			return "never (≤ 100×)"
		}
		return c.ph.BuildVsBuyCallsPerDay.Val
	}),
	"break_even_calls_per_day": valueOnly(func(c *colCtx) any {
		if !c.ph.BreakEvenCallsPerDay.Valid {
			return none
		}
		return c.ph.BreakEvenCallsPerDay.Val
	}),
}

// cellOf is how the workbook writes a model line: a component's driver
// formula, a cost line's catalogue formula, an assumption's Inputs cell,
// or the line's own entry in lineCells.
func cellOf(l *report.Line) (lineCell, bool) {
	if l.Component > 0 {
		return componentCell(l.Component - 1), true
	}
	if lc, ok := lineCells[l.Key]; ok {
		return lc, true
	}
	for _, c := range planner.CostLines {
		if c.LineKey == l.Key && c.Formula != "" {
			k := c.Key
			return eq(c.Formula, func(cc *colCtx) any { return num(cc.ph.Cost.Of(k)) }), true
		}
	}
	if l.Kind == report.AssumptionInput {
		return assumption(l.Field), true
	}
	return lineCell{}, false
}

// valueOnly is a line the workbook shows as the engine's value at export,
// not a formula (see docs/workbook.md): latency quantiles and re-run
// searches a spreadsheet cannot re-derive.
// sloTarget is an objective's cell on the Inputs sheet, live; none unset.
func sloTarget(key string) lineCell {
	f, _ := planner.LookupSLO(key)
	return lineCell{
		formula: func(c *colCtx) string {
			n := c.b.name(sloName(key))
			return fmt.Sprintf(`IF(ISNUMBER(%s),%s,"%s")`, n, n, none)
		},
		value: func(c *colCtx) any { return opt(f.Of(c.b.r.SLO)) },
	}
}

func valueOnly(v func(c *colCtx) any) lineCell { return lineCell{value: v} }

func latencyValue(c *colCtx, f func(l *planner.Latency) any) any {
	if !c.ph.Latency.Estimated {
		return none
	}
	return f(&c.ph.Latency)
}

// dayMs is a quantile over the day's calls, "saturated" when some hour is.
func dayMs(c *colCtx, f func(l *planner.Latency) float64) any {
	return latencyValue(c, func(l *planner.Latency) any {
		switch {
		case l.DaySaturated:
			return "saturated"
		case l.Partial:
			return none
		}
		return f(l)
	})
}

// extraLine is a Model row that no other renderer shows: the daily accrual
// the timeline reads, and the checks the summary reads.
type extraLine struct {
	key, label, unit string
	format           report.Format
	cell             lineCell
}

func checkCell(name string, f func(c *colCtx) string) lineCell {
	return lineCell{formula: f, value: func(c *colCtx) any {
		for _, ch := range c.ph.Checks {
			if ch.Name == name {
				if ch.OK {
					return "PASS"
				}
				return "FAIL"
			}
		}
		return none
	}}
}

// tokenCheck compares a token figure of the phase (a value as of export:
// planner/llm works it out) with its target, live: none when the plan sets
// no target or the phase serves calls, FAIL when the hour is saturated.
func (c *colCtx) tokenCheck(figure, cmp string) string {
	target := planner.KeyGoodputMin + "_target"
	if figure != "goodput" {
		target = figure + "_target"
	}
	if _, ok := c.b.modelRow[target]; !ok {
		return `"` + none + `"`
	}
	return c.sub(fmt.Sprintf(`IF(AND(ISNUMBER({%[2]s}),{%[1]s}<>"%[3]s"),IF(ISNUMBER({%[1]s}),IF({%[1]s}%[4]s{%[2]s},"PASS","FAIL"),"FAIL"),"%[3]s")`, figure, target, none, cmp))
}

type extraGroup struct {
	title string
	lines []extraLine
}

// extras are the Model's groups below the lines: extraGroups (the token
// checks only when some phase serves tokens), then the components'
// accrual rows when the plan has components.
func (b *builder) extras() []extraGroup {
	groups := extraGroups
	if _, tokens := b.modelRow["ttft_p99_ms"]; !tokens {
		groups = make([]extraGroup, len(extraGroups))
		for i, g := range extraGroups {
			groups[i] = extraGroup{g.title, slices.DeleteFunc(slices.Clone(g.lines), func(l extraLine) bool { return tokenChecks[l.key] })}
		}
	}
	if c := b.componentExtras(); len(c) > 0 {
		return append(append([]extraGroup(nil), groups...), extraGroup{"Components (for the totals and the timeline)", c})
	}
	return groups
}

// tokenChecks are the check rows of token serving.
var tokenChecks = map[string]bool{"check_ttft": true, "check_tpot": true, "check_goodput": true}

var extraGroups = []extraGroup{
	{"Daily accrual (for the timeline)", []extraLine{
		{"daily_cost", "Cost per day", "but stored data and one-time", report.FormatMoney, lineCell{
			formula: func(c *colCtx) string {
				if len(c.b.p.Components) > 0 {
					return c.sub("({total_cost}-{one_time}-{storage_cost}-{components_once}-{components_stored})/{days}")
				}
				return c.sub("({total_cost}-{one_time}-{storage_cost})/{days}")
			},
			value: func(c *colCtx) any { return num(c.ph.DailyCost) }}},
		{"daily_revenue", "Revenue per day", "", report.FormatMoney,
			eq("{revenue}/{days}", func(c *colCtx) any { return num(c.ph.DailyRevenue) })},
		{"written_bytes", "Written a day", "bytes kept per day of calls", report.FormatCount,
			eq("{calls_per_day}*{stored_bytes_per_call}", func(c *colCtx) any { return num(c.ph.WrittenPerDay) })},
	}},
	{"Checks", []extraLine{
		{"check_consistency", "Consistent inputs", "node_rps ≈ slots × 1000 ÷ service_ms", report.FormatText,
			checkCell(planner.CheckConsistency, func(c *colCtx) string {
				return c.sub(`IF({service_ms}>0,IF(ROUND(ABS({slots}*1000/{service_ms}-{node_rps})-{node_rps}*` + planner.ConsistencyTolerance.String() + `,9)<=0,"PASS","FAIL"),"` + none + `")`)
			})},
		{"check_cost_ceiling", "Cost ceiling", "cost per call ≤ ceiling", report.FormatText,
			checkCell(planner.CheckCostCeiling, func(c *colCtx) string {
				return c.sub(fmt.Sprintf(`IF(AND(ISNUMBER({cost_per_call}),ISNUMBER(%s)),IF(ROUND({cost_per_call},12)<=%s,"PASS","FAIL"),"%s")`, c.b.name(nameMaxCost), c.b.name(nameMaxCost), none))
			})},
		{"check_min_utilization", "Minimum utilization", "average ≥ floor", report.FormatText,
			checkCell(planner.CheckMinUtilization, func(c *colCtx) string {
				return c.sub(fmt.Sprintf(`IF(AND(ISNUMBER({avg_utilization}),ISNUMBER(%s)),IF(ROUND({avg_utilization},12)>=%s,"PASS","FAIL"),"%s")`, c.b.name(nameMinUtil), c.b.name(nameMinUtil), none))
			})},
		{"check_p99", "p99 latency", "p99 ≤ target in the worst hour", report.FormatText,
			checkCell(planner.CheckP99, func(c *colCtx) string {
				return c.sub(fmt.Sprintf(`IF(AND(ISNUMBER(%s),{p99_ms}<>"%s"),IF(ISNUMBER({p99_ms}),IF({p99_ms}<=%s,"PASS","FAIL"),"FAIL"),"%s")`, c.b.name(nameP99), none, c.b.name(nameP99), none))
			})},
		{"check_ttft", "TTFT p99", "TTFT p99 ≤ target in the worst hour", report.FormatText,
			checkCell(planner.CheckTTFT, func(c *colCtx) string { return c.tokenCheck("ttft_p99_ms", "<=") })},
		{"check_tpot", "TPOT p99", "TPOT p99 ≤ target in the worst hour", report.FormatText,
			checkCell(planner.CheckTPOT, func(c *colCtx) string { return c.tokenCheck("tpot_p99_ms", "<=") })},
		{"check_goodput", "Goodput", "calls meeting TTFT and TPOT ≥ floor", report.FormatText,
			checkCell(planner.CheckGoodput, func(c *colCtx) string { return c.tokenCheck("goodput", ">=") })},
		{"check_overflow", "Overflow to batch", "no calls overflow", report.FormatText,
			checkCell(planner.CheckOverflow, func(c *colCtx) string {
				return c.sub(`IF(ROUND({overflow_calls},6)>0,"FAIL","PASS")`)
			})},
	}},
}

// totalCell is the plan-total column of a line, where a total means something.
func (b *builder) totalCell(key string, first, last string, row int) (string, any, bool) {
	rng := fmt.Sprintf("%s%d:%s%d", first, row, last, row)
	t := &b.r.Totals
	switch key {
	case "days":
		return "SUM(" + rng + ")", b.r.Days, true
	case "calls":
		return "SUM(" + rng + ")", t.Calls, true
	case "node_hours":
		return "SUM(" + rng + ")", t.NodeHours, true
	case "covered_node_hours":
		var covered int64
		for _, ph := range b.r.Phases {
			covered += ph.CoveredNodeHours
		}
		return "SUM(" + rng + ")", covered, true
	case "nodes":
		return "MAX(" + rng + ")", t.PeakNodes, true
	case "overflow_calls":
		return "SUM(" + rng + ")", num(t.OverflowCalls), true
	case "total_cost":
		return "SUM(" + rng + ")", num(t.Cost.Total), true
	case "revenue":
		return "SUM(" + rng + ")", num(t.Revenue), true
	case "margin":
		return "SUM(" + rng + ")", num(t.Margin), true
	case "components_cost":
		return "SUM(" + rng + ")", num(t.Cost.Components), true
	}
	for _, l := range planner.CostLines {
		if l.LineKey == key {
			return "SUM(" + rng + ")", num(t.Cost.Of(l.Key)), true
		}
	}
	for j, k := range t.Components {
		if report.ComponentKey(j) == key {
			return "SUM(" + rng + ")", num(k.Cost), true
		}
	}
	switch key {
	case "cost_per_call":
		return fmt.Sprintf(`IF(C%d>0,C%d/C%d,"%s")`, b.modelRow["calls"], b.modelRow["total_cost"], b.modelRow["calls"], none),
			opt(t.CostPerCall), true
	}
	return "", nil, false
}

func (b *builder) model() error {
	w, err := b.grid(b.sheet(sheetModel), "4472C4", 30, 28)
	if err != nil {
		return err
	}
	n := len(b.r.Phases)
	st, cur := b.st, b.p.Currency
	first, last := phaseCol(0), phaseCol(n-1)
	cols := make([]colCtx, n)
	for i := range cols {
		cols[i] = colCtx{b: b, i: i, c: phaseCol(i), ph: &b.r.Phases[i], cur: cur}
	}

	w.put(cell(st.title, b.p.Name))
	w.put(cell(st.note, "The model, phase by phase. Every number is a formula over the Inputs and Hourly sheets; "+
		"change an input and everything here follows. Formulas are written out in docs/model.md."))
	header := []any{cell(st.header, "Line"), cell(st.header, "Unit"), cell(st.headerRight, "Plan total")}
	for i := range cols {
		header = append(header, formula(st.headerRight, fmt.Sprintf("%s!%s%d", b.sheet(sheetInputs), cols[i].c, inHeader), b.r.Phases[i].Name))
	}
	w.put(header...)

	date := st.cell(dateFmt, computed)
	dates := func(label string, plan excelize.Cell, f func(c *colCtx) (string, any)) {
		row := []any{cell(st.label, label), cell(st.unit, ""), plan}
		for i := range cols {
			fm, v := f(&cols[i])
			row = append(row, formula(date, fm, v))
		}
		w.put(row...)
	}
	dates("Start date", formula(st.cellBold(dateFmt, total, true), b.name(nameStartDate), serial(b.r.StartDate)), func(c *colCtx) (string, any) {
		if c.i == 0 {
			return c.b.name(nameStartDate), serial(c.ph.StartDate)
		}
		return fmt.Sprintf("%s%d+1", phaseCol(c.i-1), modelEnd), serial(c.ph.StartDate)
	})
	dates("End date", formula(st.cellBold(dateFmt, total, true), fmt.Sprintf("%s%d", last, modelEnd), serial(b.r.EndDate)), func(c *colCtx) (string, any) {
		return fmt.Sprintf("%s%d+%s-1", c.c, modelStart, c.m("days")), serial(c.ph.EndDate)
	})
	count := st.cell(numFmt(report.FormatCount, cur), computed)
	row := []any{cell(st.label, "First day"), cell(st.unit, "plan day number"), nil}
	for i := range cols {
		fm := "1"
		if i > 0 {
			fm = fmt.Sprintf("%s%d+%s", phaseCol(i-1), modelFirstDay, cols[i-1].m("days"))
		}
		row = append(row, formula(count, fm, cols[i].ph.FirstDay))
	}
	w.put(row...)

	line := func(key, label, unit string, f report.Format, lc lineCell) {
		style := st.cell(numFmt(f, cur), computed)
		cells := []any{cell(st.label, label), cell(st.unit, unit), nil}
		if fm, v, ok := b.totalCell(key, first, last, b.modelRow[key]); ok {
			cells[2] = formula(st.cellBold(numFmt(f, cur), total, true), fm, v)
		}
		for i := range cols {
			if lc.formula == nil {
				cells = append(cells, cell(b.st.cell(numFmt(f, cur), asOfExport), lc.value(&cols[i])))
				continue
			}
			cells = append(cells, formula(style, lc.formula(&cols[i]), lc.value(&cols[i])))
		}
		w.put(cells...)
	}
	group := ""
	for _, l := range report.LinesFor(b.r) {
		if l.Group != group {
			group = l.Group
			w.put(b.groupRow(group)...)
		}
		lc, ok := cellOf(&l)
		if !ok {
			return fmt.Errorf("export: the model line %q has no workbook formula", l.Key)
		}
		line(l.Key, l.Label, l.Unit, l.Format, lc)
	}
	groups := b.extras()
	for _, g := range groups {
		w.put(b.groupRow(g.title)...)
		for _, l := range g.lines {
			line(l.key, l.label, l.unit, l.format, l.cell)
		}
	}
	if lastG := groups[len(groups)-1]; w.row != b.modelRow[lastG.lines[len(lastG.lines)-1].key] {
		return fmt.Errorf("export: Model rows drifted from the layout (at row %d)", w.row)
	}
	if err := b.checkFormats(b.sheet(sheetModel), first, last); err != nil {
		return err
	}
	if err := b.printSetup(b.sheet(sheetModel)); err != nil {
		return err
	}
	return w.flush()
}

// checkFormats colours PASS green and FAIL red in the check rows.
func (b *builder) checkFormats(sheet, first, last string) error {
	from, to := b.modelRow["check_consistency"], b.modelRow["check_overflow"] // the checks are consecutive rows
	return b.passFail(sheet, fmt.Sprintf("%s%d:%s%d", first, from, last, to))
}

func (b *builder) passFail(sheet, rng string) error {
	pass, fail := b.st.pass, b.st.fail
	return b.f.SetConditionalFormat(sheet, rng, []excelize.ConditionalFormatOptions{
		{Type: "cell", Criteria: "==", Format: &pass, Value: `"PASS"`},
		{Type: "cell", Criteria: "==", Format: &fail, Value: `"FAIL"`},
	})
}

// Storage accrues across phases (docs/model.md, "Storage"): with P(x) the
// bytes written on days 1..x and Q(x) = Σ_{t≤x} P(t), phase i keeps
// P(b) − P(b−R) on its last day b and pays for Q(b) − Q(a−1) − Q(b−R) +
// Q(a−1−R) byte-days, a its first day and R its retention. Writes are
// constant within a phase, so P and Q are sums over the phases of closed
// forms in m = x − first + 1 (the days of that phase elapsed by day x).
func (c *colCtx) ledgerSum(x string, q bool) string { return c.ledgerSumOf("written_bytes", x, q) }

// ledgerSumOf is ledgerSum over the writes of another Model row: a stored
// component's.
func (c *colCtx) ledgerSumOf(written, x string, q bool) string {
	n := len(c.b.r.Phases)
	rng := func(row int) string {
		return fmt.Sprintf("%s!$%s$%d:$%s$%d", c.b.sheet(sheetModel), phaseCol(0), row, phaseCol(n-1), row)
	}
	w, f, d := rng(c.b.modelRow[written]), rng(modelFirstDay), rng(c.b.modelRow["days"])
	m := fmt.Sprintf("((%s)-%s+1)", x, f)
	if q {
		return fmt.Sprintf("SUMPRODUCT(%s,(%s>0)*((%s<=%s)*%s*(%s+1)/2+(%s>%s)*(%s*(%s+1)/2+(%s-%s)*%s)))", w, m, m, d, m, m, m, d, d, d, m, d, d)
	}
	return fmt.Sprintf("SUMPRODUCT(%s,(%s>0)*((%s<=%s)*%s+(%s>%s)*%s))", w, m, m, d, m, m, d, d)
}

func storedGBFormula(c *colCtx) string {
	last := fmt.Sprintf("%s%d+%s-1", c.c, modelFirstDay, c.m("days"))
	back := fmt.Sprintf("%s-%s", last, c.m("retention_days"))
	return fmt.Sprintf("(%s-%s)/1000000000", c.ledgerSum(last, false), c.ledgerSum(back, false))
}

func storageCostFormula(c *colCtx) string {
	return storeCostFormula(c, "written_bytes", c.m("retention_days"), c.m("storage_gb_month"))
}

// storeCostFormula is the cost over this phase of a store of data written
// by the Model row written, kept retention days, at price per GB-month.
func storeCostFormula(c *colCtx, written, retention, price string) string {
	a := fmt.Sprintf("%s%d", c.c, modelFirstDay)
	b := fmt.Sprintf("%s+%s-1", a, c.m("days"))
	r := retention
	byteDays := fmt.Sprintf("%s-%s-%s+%s", c.ledgerSumOf(written, b, true), c.ledgerSumOf(written, a+"-1", true),
		c.ledgerSumOf(written, b+"-"+r, true), c.ledgerSumOf(written, a+"-1-"+r, true))
	return fmt.Sprintf("(%s)*%s*12/365/1000000000", byteDays, price)
}

// tokensInput is a phase's tokens a call, from the Inputs sheet; none when
// blank.
func tokensInput(key string, of func(a *planner.Assumptions) planner.Opt[int64]) lineCell {
	return lineCell{
		formula: func(c *colCtx) string { return fmt.Sprintf(`IF(%s="","%s",%s)`, c.in(key), none, c.in(key)) },
		value:   func(c *colCtx) any { return optInt(of(&c.ph.Inputs)) },
	}
}

func optInt(o planner.Opt[int64]) any {
	if !o.Valid {
		return none
	}
	return o.Val
}

// tokenValue is a token-mode figure; none for a phase that serves calls.
func tokenValue(c *colCtx, f func(t *planner.TokenServing) any) any {
	if c.ph.Tokens == nil {
		return none
	}
	return f(c.ph.Tokens)
}

// worstToken is a figure of the day's worst hour for it.
func worstToken(t *planner.TokenServing, h int, of func(*llm.Hour) float64) any {
	switch {
	case t.Day.Saturated:
		return "saturated"
	case h < 0:
		return none
	}
	return of(&t.Day.Hours[h])
}
