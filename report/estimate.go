package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner/estimate"
	"github.com/scaleplan/scaleplan/planner/gpus"
)

// WriteGPUs prints the GPU table: a row a GPU, then each figure's source.
func WriteGPUs(w io.Writer) error {
	var b strings.Builder
	b.WriteString("GPU                 ")
	for _, c := range gpus.Columns {
		fmt.Fprintf(&b, "%-26s", c.Label+" ("+c.Unit+")")
	}
	b.WriteString("\n")
	all := gpus.All()
	for i := range all {
		g := &all[i]
		fmt.Fprintf(&b, "%-20s", g.Name)
		for _, c := range gpus.Columns {
			f := c.Of(g)
			cell := "—"
			if f.Known {
				cell = fmt.Sprint(f.Value)
				if f.Unverified {
					cell += " (unverified)"
				}
			}
			fmt.Fprintf(&b, "%-26s", cell)
		}
		b.WriteString("\n")
	}
	b.WriteString("\nTFLOPS are dense: the 2:4-sparse figures vendors headline are twice these.\n\nSources:\n")
	for i := range all {
		g := &all[i]
		for _, c := range gpus.Columns {
			f := c.Of(g)
			fmt.Fprintf(&b, "  %s %s: %s, as of %s", g.Name, c.Key, f.Source, f.AsOf)
			if f.Note != "" {
				fmt.Fprintf(&b, " (%s)", f.Note)
			}
			b.WriteString("\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

type jsonFigure struct {
	Value      *float64 `json:"value"`
	Unverified bool     `json:"unverified,omitempty"`
	Note       string   `json:"note,omitempty"`
	Source     string   `json:"source"`
	AsOf       string   `json:"as_of"`
}

// GPUsJSON is the table with each cell's source and date.
func GPUsJSON() []byte {
	type row struct {
		Name       string                `json:"name"`
		Vendor     string                `json:"vendor"`
		FormFactor string                `json:"form_factor"`
		Figures    map[string]jsonFigure `json:"figures"`
	}
	out := struct {
		Notes string `json:"notes"`
		GPUs  []row  `json:"gpus"`
	}{Notes: gpus.Notes()}
	all := gpus.All()
	for i := range all {
		g := &all[i]
		r := row{Name: g.Name, Vendor: g.Vendor, FormFactor: g.FormFactor, Figures: map[string]jsonFigure{}}
		for _, c := range gpus.Columns {
			f := c.Of(g)
			jf := jsonFigure{Unverified: f.Unverified, Note: f.Note, Source: f.Source, AsOf: f.AsOf}
			if f.Known {
				v := f.Value
				jf.Value = &v
			}
			r.Figures[c.Key] = jf
		}
		out.GPUs = append(out.GPUs, r)
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	return append(b, '\n')
}

// WriteEstimate prints an estimate: each input with its band, the method,
// the efficiencies and their source, and the GPU figures read.
func WriteEstimate(w io.Writer, f *estimate.ForPlan) error {
	var b strings.Builder
	e := &f.Estimate
	fmt.Fprintf(&b, "Estimate for %s on %s (%d a node, %d %s), %s input and %s output tokens a call\n",
		f.Target, f.GPU.Name, f.GPUsPerNode, f.Replicas, plural(f.Replicas, "replica", "replicas"), trim(f.In), trim(f.Out))
	fmt.Fprintf(&b, "Method: %s; band ±%.0f %%; computing in %s\n\n", estimate.Method, 100*e.Band, e.Precision)
	fmt.Fprintf(&b, "%-34s %12s %12s %12s  %s\n", "input", "low", "estimate", "high", "unit")
	for _, in := range f.Inputs {
		fmt.Fprintf(&b, "%-34s %12s %12s %12s  %s\n", in.Path, sig(in.Low), sig(in.Mid), sig(in.High), in.Unit)
	}
	if f.HeldCalls.Valid {
		fmt.Fprintf(&b, "\nMemory: a node's KV caches hold %s calls at once on %d× %s (the plan's memory rule; a batch is capped there).\n",
			format.Count(f.HeldCalls.Val), f.GPUsPerNode, f.GPU.Name)
	}
	fmt.Fprintf(&b, "\nPhysical limits: prefill at most %s tokens/s (dense peak, 2 FLOPs a parameter a token); a step at least %s ms (the weights read at peak bandwidth).\n",
		sig(e.PeakPrefill), sig(e.MinStepBaseMs))
	fmt.Fprintf(&b, "Efficiencies: prefill %.3g, decode %.3g, tensor-parallel %.2f — %s.\n", f.Efficiency.Prefill, f.Efficiency.Decode, f.Efficiency.TP, f.EfficiencySource())
	if c := f.Calibrated; c != nil {
		fmt.Fprintf(&b, "\nCalibrated to the load test: each input it fixed, the estimate before and after (band now ±%.0f %%, the error left, at least %.0f %%)\n", 100*c.Band, 100*estimate.MinBand)
		fmt.Fprintf(&b, "%-28s %12s %12s %8s %12s %8s\n", "input", "measured", "before", "error", "after", "error")
		for _, r := range c.Rows {
			fmt.Fprintf(&b, "%-28s %12s %12s %+7.0f%% %12s %+7.0f%%\n", r.Key, sig(r.Measured), sig(r.Before), 100*(r.Before/r.Measured-1), sig(r.After), 100*(r.After/r.Measured-1))
		}
	}
	flops, prec := e.Dense, e.Precision
	fmt.Fprintf(&b, "GPU figures: %s dense %v TFLOPS (%s, as of %s); bandwidth %v TB/s (%s, as of %s).\n",
		prec, flops.Value, flops.Source, flops.AsOf, f.GPU.BandwidthTBs.Value, f.GPU.BandwidthTBs.Source, f.GPU.BandwidthTBs.AsOf)
	for _, n := range e.Notes {
		fmt.Fprintf(&b, "Note: %s.\n", n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// EstimateJSON is the estimate with each input's low, high, the method,
// the efficiencies and their sources.
func EstimateJSON(f *estimate.ForPlan) []byte {
	type input struct {
		Key   string  `json:"key"`
		Path  string  `json:"path"`
		Unit  string  `json:"unit"`
		Low   float64 `json:"low"`
		Value float64 `json:"estimate"`
		High  float64 `json:"high"`
	}
	e := &f.Estimate
	flops, prec := e.Dense, e.Precision
	out := map[string]any{
		"target": f.Target, "gpu": f.GPU.Name, "gpus_per_node": f.GPUsPerNode, "replicas_per_node": f.Replicas,
		"input_tokens": f.In, "output_tokens": f.Out, "serving": map[bool]string{true: "tokens", false: "calls"}[f.Tokens],
		"method": estimate.Method, "band": e.Band, "precision": e.Precision,
		"efficiencies": map[string]any{"prefill": f.Efficiency.Prefill, "decode": f.Efficiency.Decode, "tensor_parallel": f.Efficiency.TP, "source": f.EfficiencySource()},
		"gpu_figures": map[string]any{
			"dense_tflops":   map[string]any{"value": flops.Value, "precision": prec, "source": flops.Source, "as_of": flops.AsOf},
			"bandwidth_tb_s": map[string]any{"value": f.GPU.BandwidthTBs.Value, "source": f.GPU.BandwidthTBs.Source, "as_of": f.GPU.BandwidthTBs.AsOf},
		},
		"physical_limits":     map[string]any{"max_prefill_tokens_per_s": e.PeakPrefill, "min_step_base_ms": e.MinStepBaseMs},
		"calls_held_per_node": optInt(f.HeldCalls),
		"notes":               append([]string{}, e.Notes...),
	}
	var ins []input
	for _, in := range f.Inputs {
		ins = append(ins, input{Key: in.Key, Path: in.Path, Unit: in.Unit, Low: in.Low, Value: in.Mid, High: in.High})
	}
	out["inputs"] = ins
	if c := f.Calibrated; c != nil {
		type row struct {
			Key      string  `json:"key"`
			Measured float64 `json:"measured"`
			Before   float64 `json:"before"`
			After    float64 `json:"after"`
		}
		var rows []row
		for _, r := range c.Rows {
			rows = append(rows, row{r.Key, r.Measured, r.Before, r.After})
		}
		out["calibration"] = map[string]any{"source": c.Source, "band": c.Band, "inputs": rows}
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	return append(b, '\n')
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func trim(x float64) string { return fmt.Sprint(x) }

// sig is x to four significant figures, with thousands separated and no
// exponent (61,580, not 6.158e+04).
func sig(x float64) string {
	if math.Abs(x) >= 10_000 {
		return format.Count(int64(math.Round(x)))
	}
	return fmt.Sprintf("%.4g", x)
}

// EstimateWords is an estimate as a few sentences, for a form beside a
// choice (the app's node picker): each input with its band, then the
// method, the efficiencies and the GPU figures with their sources.
func EstimateWords(f *estimate.ForPlan) string {
	var b strings.Builder
	e := &f.Estimate
	for _, in := range f.Inputs {
		fmt.Fprintf(&b, "%s: %s (band %s to %s), %s\n", in.Path, sig(in.Mid), sig(in.Low), sig(in.High), in.Unit)
	}
	flops, prec := e.Dense, e.Precision
	fmt.Fprintf(&b, "For %s on %s, %d a node, %s input and %s output tokens a call; %s, band ±%.0f %%, computing in %s.\n",
		f.Variant, f.GPU.Name, f.GPUsPerNode, format.Count(int64(f.In)), format.Count(int64(f.Out)), estimate.Method, 100*e.Band, prec)
	fmt.Fprintf(&b, "Efficiencies prefill %.3g, decode %.3g, tensor-parallel %.2f: %s.\n", f.Efficiency.Prefill, f.Efficiency.Decode, f.Efficiency.TP, f.EfficiencySource())
	fmt.Fprintf(&b, "GPU figures: %s %v TFLOPS dense, %v TB/s, as of %s (%s).", prec, flops.Value, f.GPU.BandwidthTBs.Value, flops.AsOf, flops.Source)
	for _, n := range e.Notes {
		fmt.Fprintf(&b, "\nNote: %s.", n)
	}
	return b.String()
}

// WriteCheapest prints each phase's candidates, cheapest first.
func WriteCheapest(w io.Writer, phases []estimate.PhaseCandidates, currency string) error {
	var b strings.Builder
	for _, pc := range phases {
		fmt.Fprintf(&b, "Phase %d, %s: %d candidates, cheapest first (sized automatically; cost over the phase)\n\n", pc.Phase+1, pc.Name, len(pc.Candidates))
		fmt.Fprintf(&b, "%-4s %-18s %-16s %-18s %-22s %3s %6s %14s %27s %13s %11s  %s\n",
			"#", "instance", "region", "GPU", "option", "TP", "nodes", "cost", "P10 – P90", "per call", "per M tok", "bound, inputs")
		for k, c := range pc.Candidates {
			perM := "—"
			if c.CostPerMillionTokens.Valid {
				perM = format.Money(c.CostPerMillionTokens.Val, currency)
			}
			perCall := "—"
			if c.CostPerCall.Valid {
				perCall = c.CostPerCall.Val.StringFixed(6)
			}
			fmt.Fprintf(&b, "%-4d %-18s %-16s %-18s %-22s %3d %6d %14s %27s %13s %11s  %s, %s\n", k+1, c.Instance, c.Region,
				fmt.Sprintf("%d× %s", c.GPUs, c.GPU), c.Option, c.TensorParallel, c.Nodes, format.Money(c.Cost, currency),
				format.Money(c.CostLow, currency)+" – "+format.Money(c.CostHigh, currency), perCall, perM, c.SizingBound, c.Inputs)
		}
		for _, s := range pc.Skipped {
			fmt.Fprintf(&b, "  left out: %s\n", s)
		}
		b.WriteString("\n")
	}
	b.WriteString("Ranked by the cost at the estimate (the mode of each estimated input's range); P10–P90 is the phase's cost with the estimate's error moving every input together (docs/estimate.md). Offers whose spans overlap cannot be told apart.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// CheapestJSON is a list with one entry a phase and its candidates.
func CheapestJSON(phases []estimate.PhaseCandidates) []byte {
	type cand struct {
		Book                 string  `json:"book"`
		Instance             string  `json:"instance"`
		Region               string  `json:"region"`
		Option               string  `json:"option"`
		GPU                  string  `json:"gpu"`
		GPUs                 int     `json:"gpus"`
		TensorParallel       int     `json:"tensor_parallel"`
		Nodes                int64   `json:"nodes"`
		Cost                 string  `json:"cost"`
		CostLow              string  `json:"cost_low"`
		CostHigh             string  `json:"cost_high"`
		CostPerCall          *string `json:"cost_per_call"`
		CostPerMillionTokens *string `json:"cost_per_million_tokens"`
		SizingBound          string  `json:"sizing_bound"`
		Inputs               string  `json:"inputs"`
	}
	type phase struct {
		Phase      string   `json:"phase"`
		Number     int      `json:"phase_number"`
		Candidates []cand   `json:"candidates"`
		Skipped    []string `json:"left_out"`
	}
	out := []phase{}
	for _, pc := range phases {
		ph := phase{Phase: pc.Name, Number: pc.Phase + 1, Candidates: []cand{}, Skipped: append([]string{}, pc.Skipped...)}
		for _, c := range pc.Candidates {
			x := cand{Book: c.Book, Instance: c.Instance, Region: c.Region, Option: c.Option, GPU: c.GPU, GPUs: c.GPUs, TensorParallel: c.TensorParallel,
				Nodes: c.Nodes, Cost: c.Cost.String(), CostLow: c.CostLow.String(), CostHigh: c.CostHigh.String(), SizingBound: c.SizingBound, Inputs: c.Inputs}
			if c.CostPerCall.Valid {
				s := c.CostPerCall.Val.String()
				x.CostPerCall = &s
			}
			if c.CostPerMillionTokens.Valid {
				s := c.CostPerMillionTokens.Val.String()
				x.CostPerMillionTokens = &s
			}
			ph.Candidates = append(ph.Candidates, x)
		}
		out = append(out, ph)
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	return append(b, '\n')
}
