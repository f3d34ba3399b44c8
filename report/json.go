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

// JSON renders r as indented JSON.
func JSON(r *planner.Result) []byte {
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
