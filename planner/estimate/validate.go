package estimate

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/planner/gpu"
	"github.com/scaleplan/scaleplan/planner/gpus"
)

// A published run the method is validated on: a model on a GPU at a
// tensor-parallel width, a static batch of calls of In and Out tokens, and
// the output tokens a second a GPU measured.
type Run struct {
	GPU, Model string
	Batch, TP  int
	In, Out    float64
	Measured   float64
	model      Model
	node       Node
}

// Runs reads a file of published runs (testdata/estimate).
func Runs(path string) ([]Run, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var raw struct {
		Models map[string]map[string]any `json:"models"`
		GPUs   map[string]map[string]any `json:"gpus"`
		Runs   [][]any                   `json:"runs"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	num := func(m map[string]any, k string) float64 { x, _ := m[k].(float64); return x }
	var out []Run
	for i, r := range raw.Runs {
		if len(r) != 7 {
			return nil, fmt.Errorf("%s: runs[%d] has %d fields, want 7", path, i, len(r))
		}
		gname, _ := r[0].(string)
		mname, _ := r[1].(string)
		gm, mm := raw.GPUs[gname], raw.Models[mname]
		if gm == nil || mm == nil {
			return nil, fmt.Errorf("%s: runs[%d] names an unknown GPU %q or model %q", path, i, gname, mname)
		}
		gpuName, _ := gm["gpu"].(string)
		g, ok := gpus.Lookup(gpuName)
		if !ok {
			return nil, fmt.Errorf("%s: %s", path, gpus.Unknown(gpuName))
		}
		n := func(x any) float64 { v, _ := x.(float64); return v }
		run := Run{GPU: gpuName, Model: mname, Batch: int(n(r[2])), TP: int(n(r[3])), In: n(r[4]), Out: n(r[5]), Measured: n(r[6])}
		bytes := num(gm, "bytes")
		arch := gpu.Model{Layers: nd(num(mm, "layers")), KVHeads: nd(num(mm, "kv_heads")), HeadDim: nd(num(mm, "head_dim")), KVBytes: nd(bytes)}
		kv, _ := arch.KVRankBytesPerToken(int64(run.TP))
		run.model = Model{ParamsB: num(mm, "params_b"), WeightBytes: bytes, KVRankBytesPerToken: kv.InexactFloat64()}
		run.node = Node{GPU: g, TensorParallel: run.TP}
		out = append(out, run)
	}
	return out, nil
}

func nd(x float64) decimal.NullDecimal {
	return decimal.NullDecimal{Decimal: decimal.NewFromFloat(x), Valid: x != 0}
}

// Estimated is the run's output tokens a second a GPU by the method at e.
func (r *Run) Estimated(e Efficiency) float64 {
	est, err := Serving(r.model, r.node, e, r.In, r.Out)
	if err != nil {
		return math.NaN()
	}
	return est.StaticBatchTokensPerS(float64(r.Batch), r.In, r.Out) / float64(r.TP)
}

// Covered says the measurement lies in the band the estimate claims.
func Covered(estimated, measured float64) bool {
	return measured >= estimated*(1-Band) && measured <= estimated*(1+Band)
}

// score is how well e serves runs: the share covered, then the median
// |measured ÷ estimated − 1| (lower is better).
func score(runs []Run, e Efficiency) (covered float64, median float64) {
	errs := make([]float64, 0, len(runs))
	for i := range runs {
		est := runs[i].Estimated(e)
		if Covered(est, runs[i].Measured) {
			covered++
		}
		errs = append(errs, math.Abs(runs[i].Measured/est-1))
	}
	slices.Sort(errs)
	return covered / float64(len(runs)), errs[len(errs)/2]
}

// Fit is the efficiencies, on a grid of 0.05, that cover the most runs,
// ties going to the smaller median error.
func Fit(runs []Run) Efficiency {
	best, bc, bm := Efficiency{}, -1.0, math.Inf(1)
	for p := 30; p <= 100; p += 5 {
		for d := 40; d <= 100; d += 5 {
			for t := 20; t <= 100; t += 5 {
				e := Efficiency{Prefill: float64(p) / 100, Decode: float64(d) / 100, TP: float64(t) / 100}
				c, m := score(runs, e)
				if c > bc || c == bc && m < bm {
					best, bc, bm = e, c, m
				}
			}
		}
	}
	return best
}

// LeaveOneOut estimates each run with efficiencies fitted to the others.
func LeaveOneOut(runs []Run) []float64 {
	out := make([]float64, len(runs))
	for i := range runs {
		rest := append(slices.Clone(runs[:i]), runs[i+1:]...)
		e := Fit(rest)
		out[i] = runs[i].Estimated(e)
	}
	return out
}

// ValidationTable is the published runs beside the estimate, in Markdown:
// the estimate with the shipped efficiencies and with those fitted to the
// other runs (loo), each with its error, and whether the band holds.
func ValidationTable(runs []Run, loo []float64) string {
	var b strings.Builder
	b.WriteString("| GPU | model | batch | TP | in / out | measured (tok/s a GPU) | estimated | error | left out: estimated | error | measured within ±25 % of it |\n")
	b.WriteString("|---|---|---:|---:|---|---:|---:|---:|---:|---:|---|\n")
	in, inLOO := 0, 0
	for i := range runs {
		r := &runs[i]
		est := r.Estimated(Defaults)
		mark := "no"
		if Covered(loo[i], r.Measured) {
			mark, inLOO = "yes", inLOO+1
		}
		if Covered(est, r.Measured) {
			in++
		}
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %.0f / %.0f | %.0f | %.0f | %+.0f %% | %.0f | %+.0f %% | %s |\n",
			r.GPU, r.Model, r.Batch, r.TP, r.In, r.Out, r.Measured, est, 100*(est/r.Measured-1), loo[i], 100*(loo[i]/r.Measured-1), mark)
	}
	fmt.Fprintf(&b, "\nWith the shipped efficiencies %d of %d runs lie in the band; each left out of the fit, %d of %d (%.0f %%).\n",
		in, len(runs), inLOO, len(runs), 100*float64(inLOO)/float64(len(runs)))
	return b.String()
}
