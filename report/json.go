package report

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/compare"
	"github.com/scaleplan/scaleplan/planner/llm"
)

// The JSON form of a Result, as `scaleplan compute --json` prints it. Money
// is a decimal string rounded to cents (cost per call to 6 places) so that no
// reader's float parsing changes it; rates and shares are JSON numbers
// rounded by the same rules as the table; a quantity that does not exist is
// null.
type jsonResult struct {
	Name      string      `json:"name"`
	Currency  string      `json:"currency"`
	StartDate string      `json:"start_date"`
	EndDate   string      `json:"end_date"`
	Days      int64       `json:"days"`
	Phases    []jsonPhase `json:"phases"`
	Totals    jsonTotals  `json:"totals"`
	BreakEven jsonBE      `json:"break_even"`
	Prices    []jsonPrice `json:"prices,omitempty"`
}

// jsonPrice is a node price the plan cites from a price book.
type jsonPrice struct {
	Path     string `json:"path"`
	Book     string `json:"book"`
	Instance string `json:"instance"`
	Region   string `json:"region,omitempty"`
	Option   string `json:"option"`
	Hourly   string `json:"hourly"`
	AsOf     string `json:"as_of"`
	Source   string `json:"source"`
}

// jsonCost is a cost object: one key per built-in cost line, in catalogue
// order, then "total" (which includes the components).
type jsonCost struct{ c planner.Costs }

func (j jsonCost) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for _, l := range planner.CostLines {
		fmt.Fprintf(&b, "%q:%q,", l.JSONKey, money(j.c.Of(l.Key)))
	}
	fmt.Fprintf(&b, "\"total\":%q}", money(j.c.Total))
	return b.Bytes(), nil
}

// jsonFocus is a cost by FOCUS pricing category (Standard, Committed,
// Dynamic, Other), beside the cost object, never inside it.
type jsonFocus struct{ c planner.Costs }

func (j jsonFocus) MarshalJSON() ([]byte, error) {
	by := j.c.ByFocus()
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range planner.FocusCategories {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:%q", f, money(by[f]))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// jsonComponent is one of the plan's components in a phase or the totals.
type jsonComponent struct {
	Name   string `json:"name"`
	Driver string `json:"driver"`
	Cost   string `json:"cost"`
}

func componentsJSON(ks []planner.ComponentCost) []jsonComponent {
	var out []jsonComponent
	for _, k := range ks {
		out = append(out, jsonComponent{k.Name, k.Driver, money(k.Cost)})
	}
	return out
}

type jsonPhase struct {
	Name                 string          `json:"name"`
	StartDate            string          `json:"start_date"`
	EndDate              string          `json:"end_date"`
	Days                 int64           `json:"days"`
	Scaling              string          `json:"scaling"`
	CallsPerDay          int64           `json:"calls_per_day"`
	Calls                int64           `json:"calls"`
	AvgRPS               json.Number     `json:"avg_rps"`
	PeakRPS              json.Number     `json:"peak_rps"`
	RequiredNodes        int64           `json:"required_nodes"`
	RequiredNodesUtil    int64           `json:"required_nodes_utilization"`
	RequiredNodesP99     *int64          `json:"required_nodes_p99"`
	SizingBound          string          `json:"sizing_bound"`
	SizingNote           string          `json:"sizing_note,omitempty"`
	P50Ms                *json.Number    `json:"p50_ms"`
	P99Ms                *json.Number    `json:"p99_ms"`
	P99Hour              *int            `json:"p99_hour"`
	P99DayMs             *json.Number    `json:"p99_day_ms"`
	LatencyBudget        *jsonLatency    `json:"latency_budget"`
	Hours                []jsonHour      `json:"hours"`
	Variant              *string         `json:"variant"`
	Variants             *jsonCompare    `json:"variants,omitempty"`
	Nodes                int64           `json:"nodes"`
	NodesAuto            bool            `json:"nodes_auto"`
	NodeHours            int64           `json:"node_hours"`
	AvgUtilization       *json.Number    `json:"avg_utilization"`
	PeakUtilization      *json.Number    `json:"peak_utilization"`
	OverflowCalls        json.Number     `json:"overflow_calls"`
	Cost                 jsonCost        `json:"cost"`
	CostCategories       jsonFocus       `json:"cost_categories"`
	Components           []jsonComponent `json:"components,omitempty"`
	CostPerCall          *string         `json:"cost_per_call"`
	Revenue              string          `json:"revenue"`
	Margin               string          `json:"margin"`
	BreakEvenCallsPerDay *int64          `json:"break_even_calls_per_day"`
	BreakEvenRegions     []jsonRegion    `json:"break_even_regions"`
	// A node runs min(slots, calls its KV caches hold) at once; capacity
	// follows (docs/measured.md, "GPU memory").
	EffectiveSlots   int64       `json:"effective_slots"`
	EffectiveNodeRPS json.Number `json:"effective_node_rps"`
	BreakEvenWords   string      `json:"break_even_words"`
	// Tokens and GPU memory (docs/measured.md): present when the phase has them.
	InputTokens              *int64       `json:"input_tokens,omitempty"`
	OutputTokens             *int64       `json:"output_tokens,omitempty"`
	NodeRPSFromTokens        bool         `json:"node_rps_from_tokens,omitempty"`
	CostPerMillionTokens     *string      `json:"cost_per_million_tokens,omitempty"`
	NodeCostPerMillionTokens *string      `json:"node_cost_per_million_tokens,omitempty"`
	Buy                      *jsonBuy     `json:"buy,omitempty"`
	KVBytesPerToken          *json.Number `json:"kv_bytes_per_token,omitempty"`
	*jsonTokenPhase
	KVBudgetGiB         *json.Number `json:"kv_budget_gib,omitempty"`
	KVBlocks            *int64       `json:"kv_blocks,omitempty"`
	MaxConcurrentCalls  *int64       `json:"max_concurrent_calls,omitempty"`
	PeakConcurrentCalls *json.Number `json:"peak_concurrent_calls,omitempty"`
	RequiredNodesMemory *int64       `json:"required_nodes_memory,omitempty"`
	MemoryNote          string       `json:"memory_note,omitempty"`
	Checks              []jsonCheck  `json:"checks"`
}

// jsonBuy is the API alternative in one phase: buying the calls' tokens
// against serving them.
type jsonBuy struct {
	APICostPerCall        string       `json:"api_cost_per_call"`
	APICost               string       `json:"api_cost"`
	ServingCost           string       `json:"serving_cost"`
	TotalCost             string       `json:"total_cost"` // the phase's total with its calls bought
	BuildVsBuyCallsPerDay *int64       `json:"build_vs_buy_calls_per_day"`
	BuildVsBuyRegions     []jsonRegion `json:"build_vs_buy_regions"`
	Words                 string       `json:"words"`
}

// jsonRegion is a run of whole calls a day, both ends included; "to" is
// null when it reaches the search's limit (100× the phase's volume).
type jsonRegion struct {
	From int64  `json:"from"`
	To   *int64 `json:"to"`
}

func regionsJSON(rs []planner.Region) []jsonRegion {
	out := make([]jsonRegion, len(rs))
	for k, g := range rs {
		out[k] = jsonRegion{From: g.From, To: optInt(g.To)}
	}
	return out
}

func optInt(o planner.Opt[int64]) *int64 {
	if !o.Valid {
		return nil
	}
	v := o.Val
	return &v
}

// tokensJSON fills a phase's token, API and memory figures.
func tokensJSON(jp *jsonPhase, p *planner.PhaseResult, currency string) {
	a := &p.Inputs
	jp.InputTokens, jp.OutputTokens = optInt(a.InputTokens()), optInt(a.OutputTokens())
	jp.NodeRPSFromTokens = a.NodeRPSFromTokens()
	jp.CostPerMillionTokens = optPerCall(p.CostPerMillionTokens)
	jp.NodeCostPerMillionTokens = optPerCall(p.NodeCostPerMillionTokens)
	if p.APICostPerCall.Valid {
		jp.Buy = &jsonBuy{APICostPerCall: p.APICostPerCall.Val.Round(format.CostPerCallPlaces).String(), APICost: money(p.APICost.Val),
			ServingCost: money(p.ServingCost()), TotalCost: money(p.BuyTotal().Val), BuildVsBuyCallsPerDay: optInt(p.BuildVsBuyCallsPerDay),
			BuildVsBuyRegions: regionsJSON(p.BuildVsBuyRegions), Words: BuyWords(p, currency)}
	}
	if p.KVBytesPerToken.Valid {
		n := json.Number(p.KVBytesPerToken.Val.String()) // exact: a whole number of bytes but for sub-byte caches
		jp.KVBytesPerToken = &n
	}
	jp.KVBudgetGiB = optNumber(p.KVBudgetGiB, 3)
	jp.KVBlocks = optInt(p.KVBlocks)
	jp.MaxConcurrentCalls = optInt(p.MaxConcurrentCalls)
	if p.MaxConcurrentCalls.Valid {
		jp.PeakConcurrentCalls = optNumber(p.PeakConcurrentPerNode, 3)
	}
	jp.RequiredNodesMemory = optInt(p.RequiredNodesMemory)
	jp.MemoryNote = p.MemoryNote
}

// jsonCompare is every model variant in one phase, each sized to its own
// needs, and the cheapest that meets every SLO and the accuracy floor.
type jsonCompare struct {
	Buy      *jsonBuy      `json:"buy,omitempty"`
	Options  []jsonVariant `json:"options"`
	Cheapest *string       `json:"cheapest"`
	Verdict  string        `json:"verdict"`
}

type jsonVariant struct {
	Name        string       `json:"name"`
	Accuracy    json.Number  `json:"accuracy"`
	Chosen      bool         `json:"chosen"`
	Nodes       int64        `json:"nodes"`
	P99Ms       *json.Number `json:"p99_ms"`
	TotalCost   string       `json:"total_cost"`
	CostPerCall *string      `json:"cost_per_call"`
	MeetsSLOs   bool         `json:"meets_slos"`
	MeetsFloor  bool         `json:"meets_accuracy_floor"`
	Failed      []string     `json:"failed_checks"`
}

func compareJSON(c compare.VariantComparison) *jsonCompare {
	if len(c.Variants) == 0 {
		return nil
	}
	out := &jsonCompare{Verdict: c.Verdict}
	for k, v := range c.Variants {
		jv := jsonVariant{Name: v.Name, Accuracy: number(v.Accuracy, 4), Chosen: v.Chosen, Nodes: v.Phase.Nodes,
			TotalCost: money(v.Phase.Cost.Total), CostPerCall: optPerCall(v.Phase.CostPerCall), MeetsSLOs: v.MeetsSLOs,
			MeetsFloor: v.MeetsFloor, Failed: append([]string{}, v.FailedNames...)}
		if l := v.Phase.Latency; l.Estimated && !l.Saturated {
			n := msNum(l.P99Ms)
			jv.P99Ms = &n
		}
		out.Options = append(out.Options, jv)
		if k == c.Cheapest {
			name := v.Name
			out.Cheapest = &name
		}
	}
	return out
}

// jsonLatency is the latency budget at the phase's worst hour; null when
// latency is not estimated. When that hour is saturated its quantiles are
// null.
type jsonLatency struct {
	Hour            int          `json:"hour"`
	Nodes           int64        `json:"nodes"`
	Slots           int64        `json:"slots"`
	Servers         int64        `json:"servers"`
	LoadRPS         json.Number  `json:"load_rps"`
	Utilization     json.Number  `json:"utilization"`
	Saturated       bool         `json:"saturated"`
	WaitProbability json.Number  `json:"wait_probability"`
	NetworkMs       json.Number  `json:"network_ms"`
	PreprocessMs    json.Number  `json:"preprocess_ms"`
	PostprocessMs   json.Number  `json:"postprocess_ms"`
	ComponentsMs    *json.Number `json:"components_ms,omitempty"` // the plan's components on the request path
	ServiceMs       json.Number  `json:"service_ms"`
	ServiceCV       json.Number  `json:"service_cv"`
	QueueP99Ms      *json.Number `json:"queue_p99_ms"`
	P50Ms           *json.Number `json:"p50_ms"`
	P99Ms           *json.Number `json:"p99_ms"`
	TargetMs        *json.Number `json:"target_ms"`
	HoursOver       int          `json:"hours_over_target"`
	CallsOverShare  json.Number  `json:"calls_over_target_share"`
	BandRegion      *string      `json:"validated_region,omitempty"`
	BandLow         *json.Number `json:"validated_error_low,omitempty"`
	BandHigh        *json.Number `json:"validated_error_high,omitempty"`
	HoursOutside    int          `json:"hours_outside_validated_grid,omitempty"`
	OutsideWords    string       `json:"outside_validated_grid,omitempty"`
}

// jsonHour is one hour of the typical day's latency.
type jsonHour struct {
	Hour        int          `json:"hour"`
	LoadRPS     json.Number  `json:"load_rps"`
	Nodes       int64        `json:"nodes"`
	Servers     int64        `json:"servers"`
	Utilization *json.Number `json:"utilization"`
	P50Ms       *json.Number `json:"p50_ms"`
	P99Ms       *json.Number `json:"p99_ms"`
	Saturated   bool         `json:"saturated"`
	Outside     string       `json:"outside_validated_grid,omitempty"`
	*jsonTokenHour
}

// jsonTokenHour is a token-mode hour's figures (issue #19); null when
// the hour is saturated or idle.
type jsonTokenHour struct {
	TTFTp50        *json.Number    `json:"ttft_p50_ms"`
	TTFTp99        *json.Number    `json:"ttft_p99_ms"`
	TPOTp50        *json.Number    `json:"tpot_p50_ms"`
	TPOTp99        *json.Number    `json:"tpot_p99_ms"`
	Goodput        *json.Number    `json:"goodput"`
	BatchMean      *json.Number    `json:"batch_mean"`
	BatchFullShare *json.Number    `json:"batch_full_share"`
	TTFTValidated  *[2]json.Number `json:"ttft_validated_error"`
	TPOTValidated  *[2]json.Number `json:"tpot_validated_error"`
	Region         string          `json:"validated_region"`
	Within10       bool            `json:"validated_within_10_percent"` // both errors were measured within ±10 % in the region
}

// jsonTokenPhase is a token-mode phase's figures.
type jsonTokenPhase struct {
	Serving     string       `json:"serving"`
	CapacityRPS json.Number  `json:"capacity_rps"`
	Batch       int64        `json:"batch"`
	Replicas    int64        `json:"replicas"`
	TTFTp99     *json.Number `json:"ttft_p99_ms"`
	TTFTp99Hour *int         `json:"ttft_p99_hour"`
	TPOTp99     *json.Number `json:"tpot_p99_ms"`
	TPOTp99Hour *int         `json:"tpot_p99_hour"`
	Goodput     *json.Number `json:"goodput"`
}

func msNum(x float64) json.Number { return number(decimal.NewFromFloat(x), 1) }

func msPtr(x float64) *json.Number {
	n := msNum(x)
	return &n
}

func floatNum(x float64, places int32) json.Number { return number(decimal.NewFromFloat(x), places) }

func latencyJSON(l *planner.Latency, target planner.Opt[decimal.Decimal]) *jsonLatency {
	if !l.Estimated {
		return nil
	}
	w := l.Worst()
	j := &jsonLatency{Hour: l.Hour, Nodes: w.Nodes, Slots: l.Slots, Servers: w.Servers,
		LoadRPS: floatNum(w.LoadRPS, format.RPSPlaces), Utilization: floatNum(w.Utilization, format.SharePlaces), Saturated: l.Saturated,
		WaitProbability: floatNum(w.WaitProb, format.SharePlaces),
		NetworkMs:       msNum(l.NetworkMs), PreprocessMs: msNum(l.PreprocessMs), PostprocessMs: msNum(l.PostprocessMs),
		ServiceMs: msNum(l.ServiceMs), ServiceCV: floatNum(l.ServiceCV, 2),
		HoursOver: l.HoursOver, CallsOverShare: floatNum(l.CallsOverShare, format.SharePlaces)}
	if target.Valid {
		t := number(target.Val, 1)
		j.TargetMs = &t
	}
	if l.ComponentsMs > 0 {
		j.ComponentsMs = msPtr(l.ComponentsMs)
	}
	if !l.Saturated {
		j.QueueP99Ms, j.P50Ms, j.P99Ms = msPtr(w.QueueP99Ms), msPtr(w.P50Ms), msPtr(w.P99Ms)
	}
	if b := l.Band; b != nil {
		region := b.Region
		j.BandRegion = &region
		if !b.Unmeasured { // outside the grid no error range was measured, so none is claimed
			lo, hi := floatNum(b.Low, 2), floatNum(b.High, 2)
			j.BandLow, j.BandHigh = &lo, &hi
		}
	}
	j.HoursOutside, j.OutsideWords = l.HoursOutside, l.OutsideWords()
	return j
}

func hoursJSON(l *planner.Latency) []jsonHour {
	if !l.Estimated {
		return nil
	}
	out := make([]jsonHour, 24)
	for h := range l.Hours {
		hl := &l.Hours[h]
		jh := jsonHour{Hour: h, LoadRPS: floatNum(hl.LoadRPS, format.RPSPlaces), Nodes: hl.Nodes, Servers: hl.Servers, Saturated: hl.Saturated}
		if hl.Servers > 0 {
			u := floatNum(hl.Utilization, format.SharePlaces)
			jh.Utilization = &u
		}
		if !hl.Saturated && !hl.Idle {
			jh.P50Ms, jh.P99Ms = msPtr(hl.P50Ms), msPtr(hl.P99Ms)
			jh.Outside = hl.Outside
		}
		out[h] = jh
	}
	return out
}

type jsonCheck struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

type jsonTotals struct {
	Calls          int64           `json:"calls"`
	Cost           jsonCost        `json:"cost"`
	CostCategories jsonFocus       `json:"cost_categories"`
	Components     []jsonComponent `json:"components,omitempty"`
	CostPerCall    *string         `json:"cost_per_call"`
	Revenue        string          `json:"revenue"`
	Margin         string          `json:"margin"`
	NodeHours      int64           `json:"node_hours"`
	OverflowCalls  json.Number     `json:"overflow_calls"`
}

type jsonBE struct {
	Day       *int64  `json:"day"`
	Date      *string `json:"date"`
	FirstEven *int64  `json:"first_even_day,omitempty"`
	Lost      *int64  `json:"lost_day,omitempty"`
	Words     string  `json:"words"`
}

func money(d decimal.Decimal) string {
	return d.Round(format.MoneyPlaces).StringFixed(format.MoneyPlaces)
}

func number(d decimal.Decimal, places int32) json.Number {
	return json.Number(d.Round(places).StringFixed(places))
}

func optNumber(o planner.Opt[decimal.Decimal], places int32) *json.Number {
	if !o.Valid {
		return nil
	}
	n := number(o.Val, places)
	return &n
}

func optPerCall(o planner.Opt[decimal.Decimal]) *string {
	if !o.Valid {
		return nil
	}
	s := o.Val.Round(format.CostPerCallPlaces).StringFixed(format.CostPerCallPlaces)
	return &s
}

func costs(c planner.Costs) jsonCost { return jsonCost{c} }

// JSON renders r as indented JSON. With the plan, phases also carry the
// comparison of the plan's model variants.
func JSON(r *planner.Result, plan ...planner.Plan) []byte {
	out := jsonResult{
		Name: r.Name, Currency: r.Currency, StartDate: r.StartDate.String(), EndDate: r.EndDate.String(), Days: r.Days,
		Phases: make([]jsonPhase, len(r.Phases)),
		Totals: jsonTotals{
			Calls: r.Totals.Calls, Cost: costs(r.Totals.Cost), CostCategories: jsonFocus{r.Totals.Cost}, Components: componentsJSON(r.Totals.Components), CostPerCall: optPerCall(r.Totals.CostPerCall),
			Revenue: money(r.Totals.Revenue), Margin: money(r.Totals.Margin), NodeHours: r.Totals.NodeHours,
			OverflowCalls: number(r.Totals.OverflowCalls, 0),
		},
	}
	for _, c := range r.Prices {
		out.Prices = append(out.Prices, jsonPrice{c.Path, c.Book, c.Instance, c.Region, c.Option, c.Hourly.String(), c.AsOf.String(), c.Source})
	}
	for i := range r.Phases {
		p := &r.Phases[i]
		jp := jsonPhase{
			Name: p.Name, StartDate: p.StartDate.String(), EndDate: p.EndDate.String(), Days: p.Days, Scaling: string(p.Scaling),
			CallsPerDay: p.CallsPerDay, Calls: p.Calls,
			AvgRPS: number(p.AvgRPS, format.RPSPlaces), PeakRPS: number(p.PeakRPS, format.RPSPlaces),
			RequiredNodes: p.RequiredNodes, Nodes: p.Nodes, NodesAuto: p.NodesAuto, NodeHours: p.NodeHours,
			AvgUtilization:  optNumber(p.AvgUtilization, format.SharePlaces),
			PeakUtilization: optNumber(p.PeakUtilization, format.SharePlaces),
			OverflowCalls:   number(p.OverflowCalls, 0),
			Cost:            costs(p.Cost), CostCategories: jsonFocus{p.Cost}, Components: componentsJSON(p.Components), CostPerCall: optPerCall(p.CostPerCall),
			Revenue: money(p.Revenue), Margin: money(p.Margin),
			Checks: make([]jsonCheck, len(p.Checks)),
		}
		if p.BreakEvenCallsPerDay.Valid {
			v := p.BreakEvenCallsPerDay.Val
			jp.BreakEvenCallsPerDay = &v
		}
		jp.BreakEvenRegions, jp.BreakEvenWords = regionsJSON(p.BreakEvenRegions), BreakEvenWords(p)
		jp.EffectiveSlots, jp.EffectiveNodeRPS = p.EffectiveSlots, number(p.EffectiveNodeRPS, format.RPSPlaces)
		jp.RequiredNodesUtil, jp.SizingBound, jp.SizingNote = p.RequiredNodesUtilization, p.SizingBound, p.SizingNote
		if p.RequiredNodesP99.Valid {
			v := p.RequiredNodesP99.Val
			jp.RequiredNodesP99 = &v
		}
		if l := &p.Latency; l.Estimated {
			jp.LatencyBudget = latencyJSON(l, r.SLO.P99Ms)
			jp.Hours = hoursJSON(l)
			hour := l.Hour
			jp.P99Hour = &hour
			if !l.Saturated {
				jp.P99Ms = msPtr(l.P99Ms)
			}
			if l.HasDay() {
				jp.P50Ms, jp.P99DayMs = msPtr(l.P50Ms), msPtr(l.P99DayMs)
			}
		}
		if p.VariantName != "" {
			v := p.VariantName
			jp.Variant = &v
		}
		if len(plan) > 0 {
			jp.Variants = compareJSON(compare.VariantsIn(plan[0], r, i))
		}
		tokensJSON(&jp, p, r.Currency)
		tokenServingJSON(&jp, p)
		if jp.Variants != nil {
			jp.Variants.Buy = jp.Buy // the API joins the comparison as "buy"
		}
		for j, c := range p.Checks {
			jp.Checks[j] = jsonCheck{c.Name, c.OK, CheckDetail(c)}
		}
		out.Phases[i] = jp
	}
	out.BreakEven.Words = BreakEvenDay(r.BreakEven)
	if be := r.BreakEven; be.Day.Valid {
		d, date := be.Day.Val, be.Date.Val.String()
		out.BreakEven.Day, out.BreakEven.Date = &d, &date
		if be.FirstEven.Valid {
			f, l := be.FirstEven.Val, be.Lost.Val
			out.BreakEven.FirstEven, out.BreakEven.Lost = &f, &l
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(out) // only strings, numbers and bools: cannot fail
	return buf.Bytes()
}

// tokenServingJSON adds a token-mode phase's figures and its hours'.
func tokenServingJSON(jp *jsonPhase, p *planner.PhaseResult) {
	t := p.Tokens
	if t == nil {
		return
	}
	fin := func(x float64, places int) *json.Number { return num(x, places) }
	d := &t.Day
	jt := &jsonTokenPhase{Serving: planner.ServingTokens, CapacityRPS: number(t.CapacityRPS, format.RPSPlaces), Batch: t.Batch, Replicas: t.Replicas,
		Goodput: fin(d.Goodput, 4)}
	if !d.Saturated {
		if h := d.TTFTp99Hour; h >= 0 {
			jt.TTFTp99, jt.TTFTp99Hour = fin(d.Hours[h].TTFTp99, 1), &h
		}
		if h := d.TPOTp99Hour; h >= 0 && t.Model.Output > 1 {
			jt.TPOTp99, jt.TPOTp99Hour = fin(d.Hours[h].TPOTp99, 2), &h
		}
	}
	jp.jsonTokenPhase = jt
	for h := range jp.Hours {
		th := &d.Hours[h]
		if th.Saturated || th.Rate <= 0 || th.Nodes <= 0 {
			jp.Hours[h].jsonTokenHour = &jsonTokenHour{}
			continue
		}
		jh := &jsonTokenHour{TTFTp50: fin(th.TTFTp50, 1), TTFTp99: fin(th.TTFTp99, 1), Goodput: fin(th.Goodput, 4),
			BatchMean: fin(th.BatchMean, 2), BatchFullShare: fin(th.BatchFull, 4)}
		if t.Model.Output > 1 || t.Model.Geometric {
			jh.TPOTp50, jh.TPOTp99 = fin(th.TPOTp50, 2), fin(th.TPOTp99, 2)
		}
		b := llm.Validated(&t.Model, th.Rate, th.Nodes)
		jh.Region, jh.Within10 = b.Region, b.Within10()
		if b.Measured {
			jh.TTFTValidated = &[2]json.Number{floatNum(b.TTFT[0], 2), floatNum(b.TTFT[1], 2)}
			jh.TPOTValidated = &[2]json.Number{floatNum(b.TPOT[0], 2), floatNum(b.TPOT[1], 2)}
		}
		jp.Hours[h].jsonTokenHour = jh
	}
}
