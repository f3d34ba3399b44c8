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

// TokenSimulationTable is a token-mode phase's day, the model's TTFT and
// TPOT p99 beside the step-by-step simulator's.
func TokenSimulationTable(c *simulate.TokenCheck) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s — its typical day served token by token (seed %d); ms, simulated ± 95 %% half-width\n", c.Name, c.Seed)
	fmt.Fprintf(&b, "%-5s  %8s  %-5s  %10s  %-16s  %7s  %10s  %-14s  %7s  %s\n",
		"Hour", "Load/s", "Nodes", "TTFT model", "TTFT sim", "Error", "TPOT model", "TPOT sim", "Error", "Goodput sim")
	for _, h := range c.Hours {
		head := fmt.Sprintf("%02d:00  %8.2f  %-5s", h.Hour, h.LoadRPS, format.Count(h.Nodes))
		switch {
		case h.Idle:
			fmt.Fprintf(&b, "%s  no calls served\n", head)
			continue
		case h.Saturated:
			fmt.Fprintf(&b, "%s  saturated: no steady state to compare\n", head)
			continue
		}
		good := "—"
		if !math.IsNaN(h.SimGoodput) {
			good = fmt.Sprintf("%.1f %%", 100*h.SimGoodput)
		}
		fmt.Fprintf(&b, "%s  %10.1f  %-16s  %7s  %10.2f  %-14s  %7s  %s\n", head,
			h.ModelTTFTp99, estN(simulate.Estimate{Value: h.Sim.TTFTp99, Half: h.Sim.TTFTHalf}, 1), relPct(h.ErrTTFT),
			h.ModelTPOT, estN(simulate.Estimate{Value: h.Sim.TPOTp99, Half: h.Sim.TPOTHalf}, 2), relPct(h.ErrTPOT), good)
	}
	return b.String()
}

func relPct(e float64) string {
	if math.IsNaN(e) {
		return "—"
	}
	return fmt.Sprintf("%+.1f %%", 100*e)
}

type jsonTokenSim struct {
	Phase string             `json:"phase"`
	Seed  uint64             `json:"seed"`
	Hours []jsonTokenSimHour `json:"hours"`
}

type jsonTokenSimHour struct {
	Hour             int          `json:"hour"`
	LoadRPS          json.Number  `json:"load_rps"`
	Nodes            int64        `json:"nodes"`
	Saturated        bool         `json:"saturated"`
	Calls            int          `json:"calls"`
	SimulatedSeconds *json.Number `json:"simulated_seconds"`
	ModelTTFT        *json.Number `json:"model_ttft_p99_ms"`
	ModelTPOT        *json.Number `json:"model_tpot_p99_ms"`
	SimTTFT          *json.Number `json:"simulated_ttft_p99_ms"`
	SimTTFTHalf      *json.Number `json:"simulated_ttft_p99_half_width_ms"`
	SimTPOT          *json.Number `json:"simulated_tpot_p99_ms"`
	SimTPOTHalf      *json.Number `json:"simulated_tpot_p99_half_width_ms"`
	SimGoodput       *json.Number `json:"simulated_goodput"`
	ModelGoodput     *json.Number `json:"model_goodput"`
	ErrTTFT          *json.Number `json:"relative_error_ttft_p99"`
	ErrTPOT          *json.Number `json:"relative_error_tpot_p99"`
}

// TokenSimulationJSON is the token-mode phases' days as JSON.
func TokenSimulationJSON(checks []simulate.TokenCheck) []byte {
	out := make([]jsonTokenSim, 0, len(checks))
	for _, c := range checks {
		js := jsonTokenSim{Phase: c.Name, Seed: c.Seed, Hours: make([]jsonTokenSimHour, 0, 24)}
		for _, h := range c.Hours {
			jh := jsonTokenSimHour{Hour: h.Hour, LoadRPS: *num(h.LoadRPS, 3), Nodes: h.Nodes, Saturated: h.Saturated, Calls: h.Sim.Calls}
			if !h.Idle && !h.Saturated {
				jh.SimulatedSeconds = num(h.SimSeconds, 1)
				jh.ModelTTFT, jh.ModelTPOT = num(h.ModelTTFTp99, 1), num(h.ModelTPOT, 2)
				jh.SimTTFT, jh.SimTTFTHalf = num(h.Sim.TTFTp99, 1), num(h.Sim.TTFTHalf, 1)
				jh.SimTPOT, jh.SimTPOTHalf = num(h.Sim.TPOTp99, 2), num(h.Sim.TPOTHalf, 2)
				jh.SimGoodput, jh.ModelGoodput = num(h.SimGoodput, 4), num(h.ModelGoodput, 4)
				jh.ErrTTFT, jh.ErrTPOT = num(h.ErrTTFT, 4), num(h.ErrTPOT, 4)
			}
			js.Hours = append(js.Hours, jh)
		}
		out = append(out, js)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(out)
	return buf.Bytes()
}

// TokenSimulationWords says a token simulation's verdict: how far the
// model's TTFT and TPOT p99 stood from the simulator's over the hours
// compared.
func TokenSimulationWords(c *simulate.TokenCheck) string {
	lo, hi := [2]float64{math.Inf(1), math.Inf(1)}, [2]float64{math.Inf(-1), math.Inf(-1)}
	hours, calls := 0, 0
	for _, h := range c.Hours {
		if h.Idle || h.Saturated {
			continue
		}
		hours++
		calls += h.Sim.Calls
		for k, e := range [2]float64{h.ErrTTFT, h.ErrTPOT} {
			if !math.IsNaN(e) {
				lo[k], hi[k] = math.Min(lo[k], e), math.Max(hi[k], e)
			}
		}
	}
	if hours == 0 {
		return fmt.Sprintf("Nothing to compare (seed %d): every hour is idle or saturated.", c.Seed)
	}
	s := fmt.Sprintf("Served %s calls token by token (seed %d) over %s: the model's TTFT p99 was %s to %s of the simulator's",
		format.Count(int64(calls)), c.Seed, format.Plural(int64(hours), "hour", "hours"), relPct(lo[0]), relPct(hi[0]))
	if !math.IsInf(lo[1], 1) {
		s += fmt.Sprintf(", TPOT p99 %s to %s", relPct(lo[1]), relPct(hi[1]))
	}
	return s + "."
}
