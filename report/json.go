package report

import (
	"bytes"
	"encoding/json"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
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
}

type jsonCost struct {
	GPU     string `json:"gpu"`
	Storage string `json:"storage"`
	IOPS    string `json:"iops"`
	Network string `json:"network"`
	Batch   string `json:"batch"`
	Fixed   string `json:"fixed"`
	Total   string `json:"total"`
}

type jsonPhase struct {
	Name                 string       `json:"name"`
	StartDate            string       `json:"start_date"`
	EndDate              string       `json:"end_date"`
	Days                 int64        `json:"days"`
	Scaling              string       `json:"scaling"`
	CallsPerDay          int64        `json:"calls_per_day"`
	Calls                int64        `json:"calls"`
	AvgRPS               json.Number  `json:"avg_rps"`
	PeakRPS              json.Number  `json:"peak_rps"`
	RequiredNodes        int64        `json:"required_nodes"`
	RequiredNodesUtil    int64        `json:"required_nodes_utilization"`
	RequiredNodesP99     *int64       `json:"required_nodes_p99"`
	SizingBound          string       `json:"sizing_bound"`
	SizingNote           string       `json:"sizing_note,omitempty"`
	P50Ms                *json.Number `json:"p50_ms"`
	P99Ms                *json.Number `json:"p99_ms"`
	LatencyBudget        *jsonLatency `json:"latency_budget"`
	Variant              *string      `json:"variant"`
	Variants             *jsonCompare `json:"variants,omitempty"`
	Nodes                int64        `json:"nodes"`
	NodesAuto            bool         `json:"nodes_auto"`
	NodeHours            int64        `json:"node_hours"`
	AvgUtilization       *json.Number `json:"avg_utilization"`
	PeakUtilization      *json.Number `json:"peak_utilization"`
	OverflowCalls        json.Number  `json:"overflow_calls"`
	Cost                 jsonCost     `json:"cost"`
	CostPerCall          *string      `json:"cost_per_call"`
	Revenue              string       `json:"revenue"`
	Margin               string       `json:"margin"`
	BreakEvenCallsPerDay *int64       `json:"break_even_calls_per_day"`
	Checks               []jsonCheck  `json:"checks"`
}

// jsonCompare is every model variant in one phase, each sized to its own
// needs, and the cheapest that meets every SLO and the accuracy floor.
type jsonCompare struct {
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

func compareJSON(c planner.VariantComparison) *jsonCompare {
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

// jsonLatency is the latency budget at the busiest hour; null when the plan
// has no latency model. When saturated the queueing and totals are null.
type jsonLatency struct {
	Hour            int          `json:"hour"`
	Nodes           int64        `json:"nodes"`
	LoadRPS         json.Number  `json:"load_rps"`
	CapacityRPS     json.Number  `json:"capacity_rps"`
	Saturated       bool         `json:"saturated"`
	WaitProbability json.Number  `json:"wait_probability"`
	NetworkMs       json.Number  `json:"network_ms"`
	PreprocessMs    json.Number  `json:"preprocess_ms"`
	PostprocessMs   json.Number  `json:"postprocess_ms"`
	ServiceMs       json.Number  `json:"service_ms"`
	QueueP50Ms      *json.Number `json:"queue_p50_ms"`
	QueueP99Ms      *json.Number `json:"queue_p99_ms"`
	P50Ms           *json.Number `json:"p50_ms"`
	P99Ms           *json.Number `json:"p99_ms"`
	TargetMs        *json.Number `json:"target_ms"`
}

func msNum(x float64) json.Number { return number(decimal.NewFromFloat(x), 1) }

func latencyJSON(l *planner.Latency, target planner.Opt[decimal.Decimal]) *jsonLatency {
	if !l.Estimated {
		return nil
	}
	j := &jsonLatency{Hour: l.Hour, Nodes: l.Nodes, LoadRPS: number(decimal.NewFromFloat(l.LoadRPS), format.RPSPlaces),
		CapacityRPS: number(decimal.NewFromFloat(l.ServeRPS), format.RPSPlaces), Saturated: l.Saturated,
		WaitProbability: number(decimal.NewFromFloat(l.WaitProb), format.SharePlaces),
		NetworkMs:       msNum(l.NetworkMs), PreprocessMs: msNum(l.PreprocessMs), PostprocessMs: msNum(l.PostprocessMs), ServiceMs: msNum(l.ServiceMs)}
	if target.Valid {
		t := number(target.Val, 1)
		j.TargetMs = &t
	}
	if !l.Saturated {
		q50, q99, p50, p99 := msNum(l.QueueP50Ms), msNum(l.QueueP99Ms), msNum(l.P50Ms), msNum(l.P99Ms)
		j.QueueP50Ms, j.QueueP99Ms, j.P50Ms, j.P99Ms = &q50, &q99, &p50, &p99
	}
	return j
}

type jsonCheck struct {
	Name   string `json:"name"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

type jsonTotals struct {
	Calls         int64       `json:"calls"`
	Cost          jsonCost    `json:"cost"`
	CostPerCall   *string     `json:"cost_per_call"`
	Revenue       string      `json:"revenue"`
	Margin        string      `json:"margin"`
	NodeHours     int64       `json:"node_hours"`
	OverflowCalls json.Number `json:"overflow_calls"`
}

type jsonBE struct {
	Day  *int64  `json:"day"`
	Date *string `json:"date"`
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

func costs(c planner.Costs) jsonCost {
	return jsonCost{money(c.GPU), money(c.Storage), money(c.IOPS), money(c.Network), money(c.Batch), money(c.Fixed), money(c.Total)}
}

// JSON renders r as indented JSON. With the plan, phases also carry the
// comparison of the plan's model variants.
func JSON(r *planner.Result, plan ...planner.Plan) []byte {
	out := jsonResult{
		Name: r.Name, Currency: r.Currency, StartDate: r.StartDate.String(), EndDate: r.EndDate.String(), Days: r.Days,
		Phases: make([]jsonPhase, len(r.Phases)),
		Totals: jsonTotals{
			Calls: r.Totals.Calls, Cost: costs(r.Totals.Cost), CostPerCall: optPerCall(r.Totals.CostPerCall),
			Revenue: money(r.Totals.Revenue), Margin: money(r.Totals.Margin), NodeHours: r.Totals.NodeHours,
			OverflowCalls: number(r.Totals.OverflowCalls, 0),
		},
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
			Cost:            costs(p.Cost), CostPerCall: optPerCall(p.CostPerCall),
			Revenue: money(p.Revenue), Margin: money(p.Margin),
			Checks: make([]jsonCheck, len(p.Checks)),
		}
		if p.BreakEvenCallsPerDay.Valid {
			v := p.BreakEvenCallsPerDay.Val
			jp.BreakEvenCallsPerDay = &v
		}
		jp.RequiredNodesUtil, jp.SizingBound, jp.SizingNote = p.RequiredNodesUtilization, p.SizingBound, p.SizingNote
		if p.RequiredNodesP99.Valid {
			v := p.RequiredNodesP99.Val
			jp.RequiredNodesP99 = &v
		}
		if jp.LatencyBudget = latencyJSON(&p.Latency, r.SLO.P99Ms); jp.LatencyBudget != nil {
			jp.P50Ms, jp.P99Ms = jp.LatencyBudget.P50Ms, jp.LatencyBudget.P99Ms
		}
		if p.VariantName != "" {
			v := p.VariantName
			jp.Variant = &v
		}
		if len(plan) > 0 {
			jp.Variants = compareJSON(planner.CompareVariants(plan[0], i))
		}
		for j, c := range p.Checks {
			jp.Checks[j] = jsonCheck{c.Name, c.OK, c.Detail()}
		}
		out.Phases[i] = jp
	}
	if r.BreakEven.Day.Valid {
		d, date := r.BreakEven.Day.Val, r.BreakEven.Date.Val.String()
		out.BreakEven = jsonBE{Day: &d, Date: &date}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(out) // only strings, numbers and bools: cannot fail
	return buf.Bytes()
}
