package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/compare"
)

func optMs(o planner.Opt[float64]) *json.Number {
	if !o.Valid {
		return nil
	}
	n := msNum(o.Val)
	return &n
}

type jsonCurvePoint struct {
	CallsPerDay int64        `json:"calls_per_day"`
	Nodes       int64        `json:"nodes"`
	DailyCost   string       `json:"daily_cost"`
	CostPerCall *string      `json:"cost_per_call"`
	P99Ms       *json.Number `json:"p99_ms"`
	NodeStep    bool         `json:"node_step"`
	Planned     bool         `json:"planned"`
}

type jsonCurve struct {
	Phase                string           `json:"phase"`
	Currency             string           `json:"currency"`
	CallsPerDay          int64            `json:"calls_per_day"`
	BreakEvenCallsPerDay *int64           `json:"break_even_calls_per_day"`
	CostCeiling          *string          `json:"cost_ceiling"`
	Points               []jsonCurvePoint `json:"points"`
}

func isStep(c *compare.Curve, k int) bool {
	for _, s := range c.NodeSteps {
		if s == k {
			return true
		}
	}
	return false
}

// CurveJSON renders a cost-to-scale curve as JSON.
func CurveJSON(p planner.Plan, c *compare.Curve) []byte {
	out := jsonCurve{Phase: p.Phases[c.Phase].Name, Currency: p.Currency, CallsPerDay: c.CallsPerDay, CostCeiling: optPerCall(c.CostCeiling)}
	if c.BreakEven.Valid {
		v := c.BreakEven.Val
		out.BreakEvenCallsPerDay = &v
	}
	for k, pt := range c.Points {
		out.Points = append(out.Points, jsonCurvePoint{CallsPerDay: pt.CallsPerDay, Nodes: pt.Nodes, DailyCost: money(pt.DailyCost),
			CostPerCall: optPerCall(pt.CostPerCall), P99Ms: optMs(pt.P99Ms), NodeStep: isStep(c, k), Planned: k == c.PlannedPoint})
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	return append(b, '\n')
}

// WriteCurveCSV writes a cost-to-scale curve as CSV, one volume a row.
func WriteCurveCSV(w io.Writer, c *compare.Curve) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"calls_per_day", "nodes", "daily_cost", "cost_per_call", "p99_ms", "note"})
	for k, pt := range c.Points {
		cpc, p99 := "", ""
		if pt.CostPerCall.Valid {
			cpc = pt.CostPerCall.Val.Round(format.CostPerCallPlaces).StringFixed(format.CostPerCallPlaces)
		}
		if pt.P99Ms.Valid {
			p99 = string(msNum(pt.P99Ms.Val))
		}
		var notes []string
		if k == c.PlannedPoint {
			notes = append(notes, "planned volume")
		}
		if isStep(c, k) {
			notes = append(notes, "node step")
		}
		cw.Write([]string{fmt.Sprint(pt.CallsPerDay), fmt.Sprint(pt.Nodes), money(pt.DailyCost), cpc, p99, strings.Join(notes, "; ")})
	}
	cw.Flush()
	return cw.Error()
}

type jsonSensitivity struct {
	Input           string       `json:"input"`
	Label           string       `json:"label"`
	Low             json.Number  `json:"low"`
	High            json.Number  `json:"high"`
	CostPerCallLow  *string      `json:"cost_per_call_low"`
	CostPerCallHigh *string      `json:"cost_per_call_high"`
	Swing           string       `json:"cost_per_call_swing"`
	P99Low          *json.Number `json:"p99_ms_low"`
	P99High         *json.Number `json:"p99_ms_high"`
}

type jsonPhaseSensitivity struct {
	Phase       string            `json:"phase"`
	CostPerCall *string           `json:"cost_per_call"`
	P99Ms       *json.Number      `json:"p99_ms"`
	Ranking     []jsonSensitivity `json:"ranking"`
}

// SensitivityJSON renders the tornado ranking of each listed phase.
func SensitivityJSON(p planner.Plan, phases []int) []byte {
	var out []jsonPhaseSensitivity
	r := planner.Compute(p) // once: each phase's tornado is then one phase's what-ifs
	for _, i := range phases {
		base, rows := compare.SensitivityIn(p, &r, i)
		jp := jsonPhaseSensitivity{Phase: base.Name, CostPerCall: optPerCall(base.CostPerCall)}
		if l := base.Latency; l.Estimated && !l.Saturated {
			n := msNum(l.P99Ms)
			jp.P99Ms = &n
		}
		for _, s := range rows {
			jp.Ranking = append(jp.Ranking, jsonSensitivity{Input: s.Key, Label: s.Label, Low: json.Number(s.Low.String()), High: json.Number(s.High.String()),
				CostPerCallLow: optPerCall(s.CostPerCallLow), CostPerCallHigh: optPerCall(s.CostPerCallHigh),
				Swing: s.Swing.Round(9).StringFixed(9), P99Low: optMs(s.P99Low), P99High: optMs(s.P99High)})
		}
		out = append(out, jp)
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	return append(b, '\n')
}

// WriteSensitivity prints the tornado ranking of each listed phase as a table.
func WriteSensitivity(w io.Writer, p planner.Plan, phases []int) error {
	var b bytes.Buffer
	cur := p.Currency
	r := planner.Compute(p)
	for n, i := range phases {
		base, rows := compare.SensitivityIn(p, &r, i)
		if n > 0 {
			b.WriteString("\n")
		}
		cpc := format.None
		if base.CostPerCall.Valid {
			cpc = format.MoneyPlacesN(base.CostPerCall.Val, cur, format.CostPerCallPlaces)
		}
		fmt.Fprintf(&b, "%s: cost per call %s; each input moved 20 %% down and up, largest effect first\n", base.Name, cpc)
		table := [][]string{{"Input", "−20 % → +20 %", "Cost per call", "Swing", "p99 (ms)"}}
		for _, s := range rows {
			pc := func(o planner.Opt[decimal.Decimal]) string {
				if !o.Valid {
					return format.None
				}
				return format.MoneyPlacesN(o.Val, cur, format.CostPerCallPlaces)
			}
			p99 := format.None
			if s.P99Low.Valid || s.P99High.Valid {
				p99 = fmt.Sprintf("%s … %s", msOpt(s.P99Low), msOpt(s.P99High))
			}
			table = append(table, []string{s.Label, fmt.Sprintf("%s … %s", format.Trim(s.Low), format.Trim(s.High)),
				fmt.Sprintf("%s … %s", pc(s.CostPerCallLow), pc(s.CostPerCallHigh)),
				"±" + format.MoneyPlacesN(s.Swing, cur, format.CostPerCallPlaces), p99})
		}
		writeAligned(&b, table, len(table[0]))
	}
	_, err := w.Write(b.Bytes())
	return err
}

func msOpt(o planner.Opt[float64]) string {
	if !o.Valid {
		return format.None
	}
	return msText(o.Val)
}

// writeAligned writes rows with columns padded to line up: the columns
// from rightFrom on right-aligned (numbers), the others left-aligned.
// Aligned lays rows out as a table: columns padded to their widest cell,
// two spaces apart, left-aligned before column rightFrom and right-aligned
// from it.
func Aligned(rows [][]string, rightFrom int) string {
	var b strings.Builder
	writeAligned(&b, rows, rightFrom)
	return b.String()
}

func writeAligned(b interface{ WriteString(string) (int, error) }, rows [][]string, rightFrom int) {
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for c, cell := range r {
			widths[c] = max(widths[c], utf8.RuneCountInString(cell))
		}
	}
	for _, r := range rows {
		var line strings.Builder
		for c, cell := range r {
			if c > 0 {
				line.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[c]-utf8.RuneCountInString(cell))
			if c >= rightFrom {
				line.WriteString(pad + cell)
			} else {
				line.WriteString(cell + pad)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}
