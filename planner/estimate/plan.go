package estimate

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/gpus"
)

// ErrNoInputTokens: the plan gives no input tokens a call, and none was
// given beside it.
var ErrNoInputTokens = errors.New("the plan gives no input_tokens")

// Input is one estimated input of a plan: its key, the plan path it
// would be written to, and its range.
type Input struct {
	Key, Path, Unit string
	Range
}

// ForPlan is the estimate for a plan's phase: Target names the variant
// (its architecture is the model's) and Inputs are what --write sets —
// the token serving inputs in a plan that serves tokens, else service_ms
// and node_rps of a batch of the plan's slots calls.
type ForPlan struct {
	Target      string // "variants[NAME]": the inputs are the variant's
	Variant     string
	GPU         gpus.GPU
	GPUsPerNode int
	Replicas    int
	In, Out     float64
	Slots       float64 // calls a replica serves at once, in a plan that serves calls
	Tokens      bool
	Estimate    Estimate
	Inputs      []Input
	Efficiency  Efficiency
	Calibrated  *Calibration // the load test the efficiencies were fitted to, if any
	// HeldCalls is the calls a node's KV caches hold at once on this GPU,
	// by the plan's memory rule (planner, memory.go); none when unknown.
	HeldCalls planner.Opt[int64]
	Given     bool // the efficiencies were given, not the defaults
	phase     int
}

// FromPlan estimates phase's serving inputs on GPUs of g, gpusPerNode to
// a node; variant (or the phase's own) gives the architecture, and in and
// out, when > 0, the tokens a call where the plan gives none.
func FromPlan(p *planner.Plan, phase int, variant string, g gpus.GPU, gpusPerNode int, in, out float64) (ForPlan, error) {
	return FromPlanWith(p, phase, variant, g, gpusPerNode, in, out, Defaults, Band)
}

// FromPlanWith is FromPlan at efficiencies e and a band (Calibrate's).
func FromPlanWith(p *planner.Plan, phase int, variant string, g gpus.GPU, gpusPerNode int, in, out float64, e Efficiency, band float64) (ForPlan, error) {
	f := ForPlan{GPU: g, Efficiency: e, phase: phase}
	if phase < 0 || phase >= len(p.Phases) {
		return f, fmt.Errorf("the plan has no phase %d (it has %d)", phase+1, len(p.Phases))
	}
	a := p.Effective(phase)
	if variant == "" {
		variant = p.Phases[phase].Variant
	}
	v, ok := p.Variant(variant)
	switch {
	case variant == "":
		return f, fmt.Errorf("phase %q runs no variant: name one with --variant (its params_b, layers, kv_heads and head_dim are the model)", p.Phases[phase].Name)
	case !ok:
		return f, fmt.Errorf("the plan has no variant %q", variant)
	}
	f.Variant, f.Target = v.Name, "variants["+v.Name+"]"
	arch := v.GPU()
	if !arch.ParamsB.Valid {
		return f, fmt.Errorf("variants[%s]: no params_b; the estimate needs the model's parameters (and layers, kv_heads, head_dim for its KV cache)", v.Name)
	}
	tp := max(a.TensorParallel, 1)
	f.GPUsPerNode = gpusPerNode // the offer's, or the flag's
	if f.GPUsPerNode <= 0 {
		f.GPUsPerNode = max(int(a.GPUsPerNode), 1)
	}
	if int(tp) > f.GPUsPerNode {
		return f, fmt.Errorf("tensor_parallel %d spans more GPUs than a node's %d", tp, f.GPUsPerNode)
	}
	f.Replicas = f.GPUsPerNode / int(tp)
	f.In, f.Out = in, out
	if t := a.InputTokens(); t.Valid && in <= 0 {
		f.In = float64(t.Val)
	}
	if t := a.OutputTokens(); t.Valid && out <= 0 {
		f.Out = float64(t.Val)
	}
	if f.In <= 0 {
		return f, fmt.Errorf("%w for phase %q", ErrNoInputTokens, p.Phases[phase].Name)
	}
	f.Out = math.Max(f.Out, 1)
	m := Model{ParamsB: arch.ParamsB.Decimal.InexactFloat64(), WeightBytes: fl(arch.WeightBytes)}
	if ap := v.Figures.ActiveParamsB; ap.Valid {
		m.ActiveParamsB = ap.Val.InexactFloat64()
		if m.ActiveParamsB > m.ParamsB {
			return f, fmt.Errorf("variants[%s]: active_params_b %s is more than params_b %s", v.Name, ap.Val, arch.ParamsB.Decimal)
		}
	}
	if kv, ok := arch.KVRankBytesPerToken(tp); ok {
		m.KVRankBytesPerToken = kv.InexactFloat64()
	}
	est, err := ServingBand(m, Node{GPU: g, TensorParallel: int(tp)}, e, f.In, f.Out, band)
	if err != nil {
		return f, err
	}
	f.Estimate = est
	f.Tokens = a.TokenMode()
	f.HeldCalls = heldOn(p, phase, v.Name, g, f.GPUsPerNode, f.In, f.Out)
	path := func(k string) string { return f.Target + "." + k }
	if f.Tokens {
		f.Inputs = []Input{
			{Key: planner.KeyPrefill, Path: path(planner.KeyPrefill), Unit: "prompt tokens a replica a second", Range: est.PrefillTokensPerS},
			{Key: planner.KeyStepBase, Path: path(planner.KeyStepBase), Unit: "ms a step", Range: est.StepBaseMs},
			{Key: planner.KeyStepPerSeq, Path: path(planner.KeyStepPerSeq), Unit: "ms each running sequence adds", Range: est.StepPerSeqMs},
		}
		return f, nil
	}
	// The plan's slots calls a replica serves together, as a batch: their
	// prompts prefilled, then out − 1 steps with every one decoding; each
	// holds its slot for all of it. The ends from the ends of the parts, so
	// that the band and physics carry through.
	f.Slots = float64(max(a.Slots, 1))
	if v.Slots.Valid {
		f.Slots = float64(max(v.Slots.Val, 1))
	}
	batch := func(pre, base, per float64) float64 {
		return base + 1000*f.Slots*f.In/pre + (f.Out-1)*(base+per*f.Slots)
	}
	svc := Range{Low: batch(est.PrefillTokensPerS.High, est.StepBaseMs.Low, est.StepPerSeqMs.Low),
		Mid:  batch(est.PrefillTokensPerS.Mid, est.StepBaseMs.Mid, est.StepPerSeqMs.Mid),
		High: batch(est.PrefillTokensPerS.Low, est.StepBaseMs.High, est.StepPerSeqMs.High)}
	rps := func(ms float64) float64 { return float64(f.Replicas) * f.Slots * 1000 / ms }
	f.Inputs = []Input{
		{Key: "service_ms", Path: path("service_ms"), Unit: fmt.Sprintf("ms a call holds its slot (%s at once a replica)", format.Count(int64(f.Slots))), Range: svc},
		{Key: "node_rps", Path: path("node_rps"), Unit: "calls a node a second", Range: Range{Low: rps(svc.High), Mid: rps(svc.Mid), High: rps(svc.Low)}},
	}
	return f, nil
}

// heldOn is the calls a node of gpus GPUs of g holds in its KV caches,
// by the plan's own memory rule: the phase computed on that node.
func heldOn(p *planner.Plan, phase int, variant string, g gpus.GPU, count int, in, out float64) planner.Opt[int64] {
	q := *p
	var err error
	for _, kv := range [][2]string{{"gpus_per_node", strconv.Itoa(count)}, {"gpu_memory_gib", strconv.FormatFloat(g.MemoryGiB.Value, 'f', -1, 64)},
		{planner.KeyVariant, variant}, {planner.KeyInputTokens, strconv.FormatFloat(in, 'f', 0, 64)}, {planner.KeyOutputTokens, strconv.FormatFloat(out, 'f', 0, 64)}} {
		if q, err = planner.SetInput(q, phase, kv[0], kv[1]); err != nil {
			return planner.Opt[int64]{}
		}
	}
	return planner.ComputeDraw(q, new(planner.Cache)).Phases[phase].MaxConcurrentCalls
}

func fl(d decimal.NullDecimal) float64 {
	if !d.Valid {
		return 0
	}
	return d.Decimal.InexactFloat64()
}

// round is x to four significant figures, as a plan stores an estimate.
func round(x float64) decimal.Decimal {
	if x == 0 {
		return decimal.Zero
	}
	places := int32(3 - int(math.Floor(math.Log10(math.Abs(x)))))
	return decimal.NewFromFloat(x).Round(max(places, 0))
}

// Write sets the estimated inputs into p as ranges ({"low", "high",
// "dist": "triangular", "mode"}): the band's ends the extremes, the
// estimate the mode, which the model uses. The plan's notes say where they
// came from; a load test imported later replaces them.
func (f *ForPlan) Write(p planner.Plan, today planner.Date) (planner.Plan, error) {
	q := p.Clone()
	var err error
	for _, in := range f.Inputs {
		q, err = planner.SetRange(q, in.Path, planner.TriangularRange(round(in.Low), round(in.Mid), round(in.High)))
		if err != nil {
			return p, err
		}
	}
	note := f.Provenance(today)
	if q.Notes != "" {
		note = q.Notes + "\n\n" + note
	}
	if msg := planner.TextProblem(note); msg != "" {
		return p, fmt.Errorf("notes: with the estimate's provenance the plan's notes %s", msg)
	}
	q.Notes = note
	if err := planner.Validate(q); err != nil {
		return p, err
	}
	return q, nil
}

// Provenance is the note an estimate leaves in the plan.
func (f *ForPlan) Provenance(today planner.Date) string {
	flops, prec := f.Estimate.Dense, f.Estimate.Precision
	return fmt.Sprintf("Estimated on %s by scaleplan estimate (%s) for %s on %s (%d a node, tensor parallel %d), %s input and %s output tokens a call: %s, each as its ±%.0f %% band. "+
		"%s dense %s TFLOPS (%s, as of %s) and %s TB/s (%s, as of %s); efficiencies prefill %.2f, decode %.2f, tensor-parallel %.2f, %s. A load test imported for this model and GPU replaces them.",
		today, Method, f.Target, f.GPU.Name, f.GPUsPerNode, f.GPUsPerNode/max(f.Replicas, 1), format.Count(int64(f.In)), format.Count(int64(f.Out)), keysOf(f.Inputs), 100*f.Estimate.Band,
		prec, trimFloat(flops.Value), flops.Source, flops.AsOf, trimFloat(f.GPU.BandwidthTBs.Value), f.GPU.BandwidthTBs.Source, f.GPU.BandwidthTBs.AsOf,
		f.Efficiency.Prefill, f.Efficiency.Decode, f.Efficiency.TP, f.EfficiencySource())
}

// EfficiencySource says where the efficiencies came from.
func (f *ForPlan) EfficiencySource() string {
	if f.Calibrated != nil {
		return "calibrated to " + strings.TrimSuffix(f.Calibrated.Source, ".")
	}
	if f.Given {
		return "given on the command line"
	}
	return DefaultsSource
}

func trimFloat(x float64) string { return decimal.NewFromFloat(x).String() }
