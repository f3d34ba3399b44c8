// Package estimate works out how a model serves on a GPU before any load
// test: the prefill rate, the decode step (a base and a cost a running
// sequence) and from them a call's service time, by a roofline with
// measured efficiencies — prefill is compute-bound (2 FLOPs a parameter a
// token at the GPU's dense throughput), a decode step reads the weights
// and every running sequence's KV cache (memory-bound) and computes its
// sequences. Every figure comes with the band the method was measured to
// hold (docs/estimate.md) and never beats physics: no prefill faster than
// the dense peak allows, no step shorter than reading the weights at peak
// bandwidth. It knows no plan: float64 in, float64 out, like planner/llm.
package estimate

import (
	"fmt"
	"math"

	"github.com/scaleplan/scaleplan/planner/gpus"
)

// Model is what the estimator reads of a model's architecture.
type Model struct {
	ParamsB       float64 // billions of parameters (weights in memory)
	ActiveParamsB float64 // billions active a token (mixture of experts); 0: ParamsB
	WeightBytes   float64 // bytes a weight (2 bf16, 1 fp8); 0: 2
	// KVRankBytesPerToken is one rank's KV cache a token across the
	// layers at the node's tensor parallelism (planner/gpu works it out);
	// 0 when the architecture does not give it (the step then has no KV
	// term and the estimate says so).
	KVRankBytesPerToken float64
}

// Node is where a replica runs: the GPU and the GPUs a replica spans.
type Node struct {
	GPU            gpus.GPU
	TensorParallel int
}

// Efficiency is the share of the roofline a serving stack reaches:
// Prefill of dense FLOPS, Decode of memory bandwidth, and TP the further
// share kept when a replica spans more than one GPU (communication).
type Efficiency struct {
	Prefill, Decode, TP float64
}

// Defaults are the efficiencies fitted to NVIDIA's published TensorRT-LLM
// v0.6.1 throughput tables (37 runs on H100, L40S and A100; testdata/
// estimate, docs/estimate.md), where a leave-one-out check measures the
// band below.
var Defaults = Efficiency{Prefill: 0.65, Decode: 0.9, TP: 0.8}

// DefaultsSource says where Defaults come from.
const DefaultsSource = "fitted to NVIDIA's TensorRT-LLM v0.6.1 performance tables (docs/source/performance.md, commit 138f96d; 37 runs on H100 SXM, L40S and A100), docs/estimate.md"

// Band is the relative error the method holds: the measurement lies within
// ±Band of the estimate in at least 80 % of the published runs, left out
// of the fit one at a time (docs/estimate.md); calibrated rooflines are
// published at 4–15 % (Vidur, BLIS) to about ±25 %.
const Band = 0.25

// Method names the estimate's method in every renderer.
const Method = "roofline with efficiencies (prefill compute-bound, decode memory-bound)"

// Range is a figure's estimate and its band, the ends clamped to physics.
type Range struct {
	Low, Mid, High float64
}

// Estimate is a replica's serving figures on a node.
type Estimate struct {
	PrefillTokensPerS Range       // prompt tokens a replica a second
	StepBaseMs        Range       // a decode step's base: the weights read
	StepPerSeqMs      Range       // what each running sequence adds
	Precision         string      // "FP8" or "BF16": what the prefill computes in
	Dense             gpus.Figure // the GPU's dense throughput at that precision, with its source
	Band              float64     // the relative band the ranges span
	// The physical limits the ranges are clamped to.
	PeakPrefill, MinStepBaseMs float64
	WeightsRankGiB             float64 // a rank's share of the weights
	Notes                      []string
}

// Serving works out m's serving figures on n for calls of in prompt and
// out output tokens (out only sets the context a step reads: in + out/2).
func Serving(m Model, n Node, e Efficiency, in, out float64) (Estimate, error) {
	return ServingBand(m, n, e, in, out, Band)
}

// ServingBand is Serving with the band given: after calibration it is
// what the load test left (Calibrate).
func ServingBand(m Model, n Node, e Efficiency, in, out, band float64) (Estimate, error) {
	var est Estimate
	g := n.GPU
	tp := float64(max(n.TensorParallel, 1))
	wb := m.WeightBytes
	if wb <= 0 {
		wb = 2
	}
	active := m.ActiveParamsB
	if active <= 0 {
		active = m.ParamsB
	}
	flops, prec := g.Dense(wb)
	switch {
	case m.ParamsB <= 0:
		return est, fmt.Errorf("the model's parameters (params_b) are not given")
	case !flops.Known || !g.BandwidthTBs.Known:
		return est, fmt.Errorf("the GPU table gives %s no %s throughput or bandwidth", g.Name, prec)
	case e.Prefill <= 0 || e.Prefill > 1 || e.Decode <= 0 || e.Decode > 1 || e.TP <= 0 || e.TP > 1:
		return est, fmt.Errorf("efficiencies must be > 0 and ≤ 1, got prefill %v, decode %v, tensor-parallel %v", e.Prefill, e.Decode, e.TP)
	}
	est.Precision, est.Dense = prec, flops
	F := flops.Value * 1e12 * tp      // a replica's dense FLOP/s
	BW := g.BandwidthTBs.Value * 1e12 // a rank's bytes/s
	eTP := 1.0
	if tp > 1 {
		eTP = e.TP
	}
	flopsToken := 2 * active * 1e9
	weightsRank := m.ParamsB * 1e9 * wb / tp
	est.PeakPrefill = F / flopsToken
	est.WeightsRankGiB = weightsRank / (1 << 30)
	est.MinStepBaseMs = 1000 * weightsRank / BW
	prefill := est.PeakPrefill * e.Prefill * eTP
	base := est.MinStepBaseMs / (e.Decode * eTP)
	ctx := in + out/2
	perSeq := 1000 * flopsToken / (F * e.Prefill * eTP) // a sequence's compute in a step
	if m.KVRankBytesPerToken > 0 {
		perSeq += 1000 * m.KVRankBytesPerToken * ctx / (BW * e.Decode * eTP)
	} else {
		est.Notes = append(est.Notes, "the architecture gives no KV cache (layers, kv_heads, head_dim): a step's per-sequence cost counts compute only")
	}
	if flops.Unverified {
		est.Notes = append(est.Notes, fmt.Sprintf("%s's %s figure is unverified: %s", g.Name, prec, flops.Note))
	}
	est.Band = band
	est.PrefillTokensPerS = Range{Low: prefill * (1 - band), Mid: prefill, High: math.Min(prefill*(1+band), est.PeakPrefill)}
	est.StepBaseMs = Range{Low: math.Max(base*(1-band), est.MinStepBaseMs), Mid: base, High: base * (1 + band)}
	est.StepPerSeqMs = Range{Low: perSeq * (1 - band), Mid: perSeq, High: perSeq * (1 + band)}
	return est, nil
}

// StaticBatchTokensPerS is the output tokens a second a replica gives
// serving a static batch of b calls of in and out tokens: the batch's
// prompts prefilled, then out − 1 decode steps with b sequences (how the
// published TensorRT-LLM tables were measured).
func (e *Estimate) StaticBatchTokensPerS(b, in, out float64) float64 {
	t := b*in/e.PrefillTokensPerS.Mid + math.Max(out-1, 0)*(e.StepBaseMs.Mid+e.StepPerSeqMs.Mid*b)/1000
	return b * out / t
}
