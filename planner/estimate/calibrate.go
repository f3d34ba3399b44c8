package estimate

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/scaleplan/scaleplan/planner"
)

// MinBand is the narrowest band a calibrated estimate claims: a load test's
// own runs vary by a few per cent, and one test is not every day's load.
const MinBand = 0.05

// Calibration is an estimate fitted to a load test of the same model and
// GPU: the efficiencies that make the estimate meet what the test fixed,
// each input's error before and after, and the band left.
type Calibration struct {
	Source     string // the load test, as its provenance reads
	Efficiency Efficiency
	Rows       []CalibrationRow
	Band       float64
}

// CalibrationRow is one input the test fixed.
type CalibrationRow struct {
	Key                     string
	Measured, Before, After float64
}

// Calibrate fits f's efficiencies to measured (plan input keys and the
// values the load test gave) and re-estimates: the prefill efficiency to
// the measured prefill rate (or, for a plan that serves calls, to the
// measured service time), the decode efficiency to the measured step base.
// Neither passes 1 (an estimate never beats physics). The band becomes
// the largest error left on any input the test fixed, at least MinBand and
// at most Band. p and the phase are the estimate's own.
func Calibrate(p *planner.Plan, f ForPlan, measured map[string]float64, source string) (ForPlan, error) {
	rows := map[string]*CalibrationRow{}
	var order []string
	for _, in := range f.Inputs {
		if m, ok := measured[in.Key]; ok && m > 0 {
			rows[in.Key] = &CalibrationRow{Key: in.Key, Measured: m, Before: in.Mid}
			order = append(order, in.Key)
		}
	}
	if len(rows) == 0 {
		return f, fmt.Errorf("the load test fixes none of the estimated inputs (%s)", keysOf(f.Inputs))
	}
	e := f.Efficiency
	clamp := func(x float64) float64 { return math.Min(math.Max(x, 1e-3), 1) }
	if r := rows[planner.KeyPrefill]; r != nil {
		e.Prefill = clamp(e.Prefill * r.Measured / r.Before)
	}
	if r := rows[planner.KeyStepBase]; r != nil {
		e.Decode = clamp(e.Decode * r.Before / r.Measured)
	}
	redo := func(e Efficiency) (ForPlan, error) {
		return FromPlanWith(p, f.phase, f.Variant, f.GPU, f.GPUsPerNode, f.In, f.Out, e, Band)
	}
	if r := rows["service_ms"]; r != nil && rows[planner.KeyPrefill] == nil {
		// The service time falls as the prefill efficiency rises: bisect.
		lo, hi := 1e-3, 1.0
		for range 60 {
			mid := (lo + hi) / 2
			g, err := redo(Efficiency{Prefill: mid, Decode: e.Decode, TP: e.TP})
			if err != nil {
				return f, err
			}
			if g.Inputs[0].Mid > r.Measured {
				lo = mid
			} else {
				hi = mid
			}
		}
		e.Prefill = (lo + hi) / 2
	}
	g, err := redo(e)
	if err != nil {
		return f, err
	}
	left := 0.0
	for _, in := range g.Inputs {
		if r := rows[in.Key]; r != nil {
			r.After = in.Mid
			left = math.Max(left, math.Abs(in.Mid/r.Measured-1))
		}
	}
	band := math.Min(math.Max(left, MinBand), Band)
	if g, err = FromPlanWith(p, f.phase, f.Variant, f.GPU, f.GPUsPerNode, f.In, f.Out, e, band); err != nil {
		return f, err
	}
	c := &Calibration{Source: source, Efficiency: e, Band: band}
	for _, k := range order {
		c.Rows = append(c.Rows, *rows[k])
	}
	g.Calibrated = c
	return g, nil
}

// Measured reads a load test's fitted inputs (key, decimal text) as
// numbers, for Calibrate.
func Measured(inputs [][2]string) map[string]float64 {
	out := map[string]float64{}
	for _, kv := range inputs {
		if x, err := strconv.ParseFloat(kv[1], 64); err == nil {
			out[kv[0]] = x
		}
	}
	return out
}

func keysOf(ins []Input) string {
	var keys []string
	for _, in := range ins {
		keys = append(keys, in.Key)
	}
	return strings.Join(keys, ", ")
}
