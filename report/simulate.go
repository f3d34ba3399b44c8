package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/simulate"
)

// SimulationTable writes a phase's simulated day beside the model's
// figures: every hour's p50 and p99, each simulated one with its 95 %
// half-width, the relative error of the model's p99 and whether it is
// inside the validated band of its region.
func SimulationTable(c *simulate.Check) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s — its typical day simulated (seed %d): %s calls; ms, simulated ± 95 %% half-width\n", c.Name, c.Seed, format.Count(int64(c.Calls)))
	fmt.Fprintf(&b, "%-5s  %8s  %-6s  %7s  %9s  %-12s  %9s  %-14s  %8s  %s\n",
		"Hour", "Load/s", "Nodes", "Busy", "p50 model", "p50 sim", "p99 model", "p99 sim", "Error", "Band")
	for _, h := range c.Hours {
		nodes := format.Count(h.Nodes)
		if h.Nodes > 0 && h.Servers != h.Nodes {
			nodes += "×" + format.Count(h.Servers/h.Nodes)
		}
		head := fmt.Sprintf("%02d:00  %8.2f  %-6s", h.Hour, h.LoadRPS, nodes)
		switch {
		case h.Idle:
			fmt.Fprintf(&b, "%s  no calls served\n", head)
			continue
		case h.Saturated:
			fmt.Fprintf(&b, "%s  %5.0f %%  saturated: no steady state to compare\n", head, 100*h.Utilization)
			continue
		}
		within, band := "ok", bandWords(h.Band.Low, h.Band.High)
		switch {
		case h.Band.Unmeasured:
			within, band = "—", "beyond the validated grid"
		case !h.Within:
			within = "OUT"
		}
		fmt.Fprintf(&b, "%s  %5.1f %%  %9s  %-12s  %9s  %-14s  %+6.1f %%  %s %s\n", head, 100*h.Utilization,
			msWords(h.ModelP50), est(h.SimP50), msWords(h.ModelP99), est(h.SimP99), 100*h.ErrP99, within, band)
	}
	fmt.Fprintf(&b, "Verdict: %s.\n", c.Verdict())
	if c.DayValid && c.Calls > 0 {
		fmt.Fprintf(&b, "Day: model p50 %s ms, simulated %s; model p99 %s ms, simulated %s (%+.1f %%)\n",
			msWords(c.ModelP50), est(c.SimP50), msWords(c.ModelP99Day), est(c.SimP99), 100*c.ErrP99Day)
	} else if c.Calls > 0 {
		fmt.Fprintf(&b, "Day: some hour is saturated, so the model has no day quantiles; simulated p50 %s, p99 %s\n", est(c.SimP50), est(c.SimP99))
	}
	return b.String()
}

func msWords(x float64) string { return fmt.Sprintf("%.1f", x) }

func est(e simulate.Estimate) string { return estN(e, 1) }

// estN is an estimate and its half-width to places; "—" for none.
func estN(e simulate.Estimate, places int) string {
	switch {
	case math.IsNaN(e.Value):
		return "—"
	case math.IsNaN(e.Half):
		return fmt.Sprintf("%.*f", places, e.Value)
	}
	return fmt.Sprintf("%.*f ± %.*f", places, e.Value, places, e.Half)
}

func bandWords(lo, hi float64) string {
	if lo == -hi {
		return fmt.Sprintf("±%.0f %%", 100*hi)
	}
	return fmt.Sprintf("%+.0f to %+.0f %%", 100*lo, 100*hi)
}

type jsonSimHour struct {
	Hour        int          `json:"hour"`
	LoadRPS     json.Number  `json:"load_rps"`
	Nodes       int64        `json:"nodes"`
	Servers     int64        `json:"servers"`
	Utilization json.Number  `json:"utilization"`
	Saturated   bool         `json:"saturated"`
	Calls       int          `json:"calls"`
	ModelP50Ms  *json.Number `json:"model_p50_ms"`
	ModelP99Ms  *json.Number `json:"model_p99_ms"`
	jsonSimulated
	RelErrorP99 *json.Number `json:"relative_error_p99"`
	BandRegion  *string      `json:"band_region,omitempty"`
	WithinBand  *bool        `json:"within_band"`
}

type jsonSim struct {
	Phase      string        `json:"phase"`
	Seed       uint64        `json:"seed"`
	Calls      int           `json:"calls"`
	Hours      []jsonSimHour `json:"hours"`
	ModelP50Ms *json.Number  `json:"model_p50_ms"`
	ModelP99Ms *json.Number  `json:"model_p99_day_ms"`
	jsonSimulated
	RelErrorP99 *json.Number `json:"relative_error_p99_day"`
}

// jsonSimulated is what the simulator measured of an hour or a day: each
// quantile with its 95 % half-width, in ms. Its fields sit inline in the
// object that embeds it.
type jsonSimulated struct {
	SimP50Ms   *json.Number `json:"simulated_p50_ms"`
	SimP50Half *json.Number `json:"simulated_p50_half_width_ms"`
	SimP99Ms   *json.Number `json:"simulated_p99_ms"`
	SimP99Half *json.Number `json:"simulated_p99_half_width_ms"`
}

func simulated(p50, p99 simulate.Estimate) jsonSimulated {
	return jsonSimulated{num(p50.Value, 1), num(p50.Half, 1), num(p99.Value, 1), num(p99.Half, 1)}
}

func num(x float64, places int) *json.Number {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	n := floatNum(x, int32(places))
	return &n
}

// SimulationJSON renders simulated phases as JSON.
func SimulationJSON(checks []simulate.Check) []byte {
	out := make([]jsonSim, 0, len(checks))
	for _, c := range checks {
		js := jsonSim{Phase: c.Name, Seed: c.Seed, Calls: c.Calls, Hours: make([]jsonSimHour, 0, 24)}
		for _, h := range c.Hours {
			jh := jsonSimHour{Hour: h.Hour, LoadRPS: *num(h.LoadRPS, 3), Nodes: h.Nodes, Servers: h.Servers,
				Utilization: *num(h.Utilization, 4), Saturated: h.Saturated, Calls: h.Sim.Calls}
			if !h.Idle && !h.Saturated {
				jh.ModelP50Ms, jh.ModelP99Ms = num(h.ModelP50, 1), num(h.ModelP99, 1)
				if h.Compared() {
					jh.jsonSimulated = simulated(h.SimP50, h.SimP99)
					jh.RelErrorP99 = num(h.ErrP99, 4)
					region, within := h.Band.Region, h.Within
					jh.BandRegion = &region
					if !h.Band.Unmeasured { // beyond the grid there is no band to be within: null
						jh.WithinBand = &within
					}
				}
			}
			js.Hours = append(js.Hours, jh)
		}
		if c.DayValid {
			js.ModelP50Ms, js.ModelP99Ms, js.RelErrorP99 = num(c.ModelP50, 1), num(c.ModelP99Day, 1), num(c.ErrP99Day, 4)
		}
		if c.Calls > 0 {
			js.jsonSimulated = simulated(c.SimP50, c.SimP99)
		}
		out = append(out, js)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(out)
	return buf.Bytes()
}
