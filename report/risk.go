package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/risk"
)

// Renderings of a risk.Result: JSON (percentiles as decimal strings, odds
// as numbers from 0 to 1, null when not asked) and a table.

// riskPlaces is how many decimal places each unit's percentiles keep in
// JSON: cents, cost per call to a millionth, p99 to 0.1 ms.
var riskPlaces = map[string]int32{
	risk.UnitMoney: 2, risk.UnitPerCall: 6, risk.UnitCount: 2, risk.UnitMs: 1, risk.UnitDay: 1,
}

// spreadJSON is a Spread with each figure a decimal string, null where it
// does not exist or is unbounded (a saturated p99, never breaking even).
func spreadJSON(s risk.Spread, unit string) jsonObject {
	var out jsonObject
	for _, f := range []struct {
		k string
		v float64
	}{{"mean", s.Mean}, {"p5", s.P5}, {"p10", s.P10}, {"p50", s.P50}, {"p90", s.P90}, {"p95", s.P95}} {
		if math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			out.add(f.k, nil)
			continue
		}
		d := decimal.NewFromFloat(f.v)
		if unit == risk.UnitMoney {
			out.add(f.k, d.StringFixed(2)) // as compute writes money
			continue
		}
		out.add(f.k, d.Round(riskPlaces[unit]).String())
	}
	return out
}

func oddJSON(o planner.Opt[float64]) *json.Number {
	if !o.Valid {
		return nil
	}
	n := json.Number(decimal.NewFromFloat(o.Val).Round(6).String())
	return &n
}

// jsonObject writes keys in the order given.
type jsonObject []struct {
	k string
	v any
}

func (o jsonObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, kv := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(kv.k)
		v, err := json.Marshal(kv.v)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (o *jsonObject) add(k string, v any) {
	*o = append(*o, struct {
		k string
		v any
	}{k, v})
}

// WriteRiskJSON writes a risk run as JSON. The same run gives the same
// bytes.
func WriteRiskJSON(w io.Writer, plan string, r *risk.Result) error {
	var top jsonObject
	top.add("plan", plan)
	top.add("draws", r.Draws)
	if r.Asked > 0 {
		top.add("draws_asked", r.Asked)
		top.add("draws_words", r.DrawsWords())
	}
	top.add("seed", r.Seed)
	inputs := []jsonObject{}
	for _, in := range r.Inputs {
		var o jsonObject
		o.add("path", in.Path)
		o.add("label", planner.InputLabel(in.Path))
		o.add("low", in.Low.String())
		o.add("high", in.High.String())
		o.add("dist", string(in.Kind()))
		if in.Mode.Valid {
			o.add("mode", in.Mode.Val.String())
		}
		if in.Group != "" {
			o.add("group", in.Group)
		}
		inputs = append(inputs, o)
	}
	top.add("inputs", inputs)
	phases := []jsonObject{}
	for i := range r.Phases {
		ph := &r.Phases[i]
		var o jsonObject
		o.add("name", ph.Name)
		for _, m := range risk.Metrics {
			if m.Phase != nil {
				o.add(m.Key, spreadJSON(m.Phase(ph), m.Unit))
			}
		}
		var odds jsonObject
		odds.add("cost_per_call_over_ceiling", oddJSON(ph.CostPerCallOverCeiling))
		odds.add("p99_over_target", oddJSON(ph.P99OverTarget))
		o.add("probabilities", odds)
		phases = append(phases, o)
	}
	top.add("phases", phases)
	var totals jsonObject
	for _, m := range risk.Metrics {
		totals.add(m.Key, spreadJSON(m.Total(&r.Totals), m.Unit))
	}
	top.add("totals", totals)
	var odds jsonObject
	for _, o := range r.OddsList("") {
		odds.add(o.Key, oddJSON(o.P))
	}
	top.add("probabilities", odds)
	drivers := []jsonObject{}
	for _, d := range r.Drivers {
		var o jsonObject
		o.add("path", d.Path)
		o.add("label", d.Label)
		if math.IsNaN(d.Rho) {
			o.add("spearman", nil)
		} else {
			o.add("spearman", json.Number(decimal.NewFromFloat(d.Rho).Round(4).String()))
		}
		drivers = append(drivers, o)
	}
	top.add("drivers", drivers)
	top.add("clamped_draws", r.Clamped)
	out, err := json.MarshalIndent(top, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(out, '\n'))
	return err
}

// RiskValue writes one figure of a metric as people read it: money to the
// cent, cost per call to CostPerCallPlaces, "saturated" for an unbounded
// p99, "never" for an unbounded break-even day.
func RiskValue(v float64, unit, currency string) string {
	switch {
	case math.IsNaN(v):
		return format.None
	case math.IsInf(v, 1) && unit == risk.UnitDay:
		return "never"
	case math.IsInf(v, 1):
		return "saturated"
	}
	d := decimal.NewFromFloat(v)
	switch unit {
	case risk.UnitMoney:
		return format.Money(d, currency)
	case risk.UnitPerCall:
		return format.MoneyPlacesN(d, currency, format.CostPerCallPlaces)
	case risk.UnitMs:
		return format.Decimal(d, 1)
	case risk.UnitCount, risk.UnitDay:
		return format.Decimal(d, 1)
	}
	return format.Decimal(d, 2)
}

// WriteRiskTable writes a risk run for the terminal.
func WriteRiskTable(w io.Writer, plan, currency string, r *risk.Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "Risk of %q: %s draws, seed %d.\n", plan, format.Count(int64(r.Draws)), r.Seed)
	if words := r.DrawsWords(); words != "" {
		fmt.Fprintf(&b, "Drew %s.\n", words)
	}
	if len(r.Inputs) == 0 {
		b.WriteString("The plan has no ranges: every draw is the plan itself. Write an input as {\"low\": L, \"high\": H} (or type \"L to H\" in the app) to make it uncertain.\n")
	} else {
		b.WriteString("Uncertain inputs (90 % ranges):\n")
		for _, in := range r.Inputs {
			fmt.Fprintf(&b, "  %s: %s, %s\n", planner.InputLabel(in.Path), in.Words(), in.Kind())
		}
	}
	b.WriteString("\nThe plan\n")
	rows := [][]string{{"", "Mean", "P5", "P10", "P50", "P90", "P95"}}
	spreadRow := func(label, unit string, s risk.Spread) []string {
		return []string{label, RiskValue(s.Mean, unit, currency), RiskValue(s.P5, unit, currency), RiskValue(s.P10, unit, currency),
			RiskValue(s.P50, unit, currency), RiskValue(s.P90, unit, currency), RiskValue(s.P95, unit, currency)}
	}
	for _, m := range risk.Metrics {
		rows = append(rows, spreadRow(m.Label, m.Unit, m.Total(&r.Totals)))
	}
	writeAligned(&b, rows, 1)
	b.WriteString("\nOdds\n")
	for _, o := range r.OddsList(currency) {
		if o.Asked {
			fmt.Fprintf(&b, "  P(%s) = %s\n", o.Event, format.Odds(o.P.Val))
		}
	}
	for i := range r.Phases {
		ph := &r.Phases[i]
		fmt.Fprintf(&b, "\n%s\n", ph.Name)
		rows := [][]string{{"", "Mean", "P5", "P10", "P50", "P90", "P95"}}
		for _, m := range risk.Metrics {
			if m.Phase != nil {
				rows = append(rows, spreadRow(m.Label, m.Unit, m.Phase(ph)))
			}
		}
		writeAligned(&b, rows, 1)
		if o := ph.CostPerCallOverCeiling; o.Valid {
			fmt.Fprintf(&b, "  P(cost per call over the ceiling) = %s\n", format.Odds(o.Val))
		}
		if o := ph.P99OverTarget; o.Valid {
			fmt.Fprintf(&b, "  P(p99 over the target) = %s\n", format.Odds(o.Val))
		}
	}
	if len(r.Drivers) > 0 {
		b.WriteString("\nWhat drives total cost (Spearman rank correlation)\n")
		rows := [][]string{}
		for _, d := range r.Drivers {
			bar := ""
			if !math.IsNaN(d.Rho) {
				bar = strings.Repeat("█", int(math.Round(math.Abs(d.Rho)*20)))
			}
			rows = append(rows, []string{d.Label, RiskRho(d.Rho) + "  " + bar})
		}
		writeAligned(&b, rows, 2)
	}
	if r.Clamped > 0 {
		fmt.Fprintf(&b, "\n%s drawn values fell outside what their input accepts (a normal range's tail below 0, a share above 1) and were set to the range's nearer end.\n", format.Count(int64(r.Clamped)))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// RiskRho writes a rank correlation with its sign: "+0.82".
func RiskRho(rho float64) string {
	if math.IsNaN(rho) {
		return format.None
	}
	return fmt.Sprintf("%+.2f", rho)
}
