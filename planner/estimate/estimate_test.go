package estimate

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/planner/gpus"
)

func runs(t *testing.T) []Run {
	t.Helper()
	rs, err := Runs("../../testdata/estimate/trtllm-v0.6.1.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) < 8 {
		t.Fatalf("%d published runs; the issue asks for at least eight", len(rs))
	}
	return rs
}

// By hand: an 8B dense model in BF16 on one H100 SXM at the defaults.
// Prefill 0.65 × 989e12 ÷ (2 × 8.03e9) = 40,025 tokens/s; the step's base
// reads 16.06 GB at 0.9 × 3.35 TB/s: 5.327 ms; a sequence adds its compute,
// 2 × 8.03e9 ÷ (0.65 × 989e12) = 0.02498 ms, and its KV cache, 131,072 bytes
// a token × 1,200 tokens of context ÷ (0.9 × 3.35e12) = 0.05217 ms.
func TestAnEstimateByHand(t *testing.T) {
	h100, _ := gpus.Lookup("H100 SXM")
	e, err := Serving(Model{ParamsB: 8.03, WeightBytes: 2, KVRankBytesPerToken: 131072}, Node{GPU: h100, TensorParallel: 1}, Defaults, 1000, 400)
	if err != nil {
		t.Fatal(err)
	}
	near := func(got, want, tol float64) bool { return math.Abs(got-want) <= tol*want }
	if !near(e.PrefillTokensPerS.Mid, 40025, 1e-3) || !near(e.StepBaseMs.Mid, 5.327, 1e-3) || !near(e.StepPerSeqMs.Mid, 0.02498+0.05217, 1e-3) {
		t.Errorf("prefill %v, base %v, per sequence %v", e.PrefillTokensPerS.Mid, e.StepBaseMs.Mid, e.StepPerSeqMs.Mid)
	}
	if !near(e.PrefillTokensPerS.Low, 0.75*40025, 1e-3) || !near(e.StepBaseMs.High, 1.25*5.327, 1e-3) {
		t.Errorf("the band: prefill low %v, base high %v", e.PrefillTokensPerS.Low, e.StepBaseMs.High)
	}
}

// No estimate beats physics, on any GPU of the table at any width: its
// fastest prefill is at most the dense peak (2 FLOPs a parameter a token),
// its shortest step base at least the weights read at peak bandwidth, even
// at efficiencies of 1 and at the band's optimistic end.
func TestNoEstimateBeatsPhysics(t *testing.T) {
	for _, g := range gpus.All() {
		for _, wb := range []float64{1, 2} {
			for _, tp := range []int{1, 2, 8} {
				for _, e := range []Efficiency{Defaults, {1, 1, 1}} {
					m := Model{ParamsB: 70, WeightBytes: wb, KVRankBytesPerToken: 1e5}
					est, err := Serving(m, Node{GPU: g, TensorParallel: tp}, e, 500, 500)
					if err != nil {
						t.Fatalf("%s: %v", g.Name, err)
					}
					flops, _ := g.Dense(wb)
					peak := flops.Value * 1e12 * float64(tp) / (2 * 70e9)
					floor := 1000 * 70e9 * wb / float64(tp) / (g.BandwidthTBs.Value * 1e12)
					if est.PrefillTokensPerS.High > peak*(1+1e-12) || est.PrefillTokensPerS.Mid > peak*(1+1e-12) {
						t.Errorf("%s tp %d bytes %v eff %+v: prefill up to %v, peak %v", g.Name, tp, wb, e, est.PrefillTokensPerS.High, peak)
					}
					if est.StepBaseMs.Low < floor*(1-1e-12) || est.StepBaseMs.Mid < floor*(1-1e-12) {
						t.Errorf("%s tp %d bytes %v eff %+v: step base from %v ms, reading the weights takes %v", g.Name, tp, wb, e, est.StepBaseMs.Low, floor)
					}
				}
			}
		}
	}
}

// The efficiencies shipped are the fit to the published runs, and the
// band holds: each run estimated with efficiencies fitted to the other
// runs (it left out) lies within ±25 % in at least 80 % of runs.
func TestTheBandHoldsOnPublishedRuns(t *testing.T) {
	rs := runs(t)
	if got := Fit(rs); got != Defaults {
		t.Errorf("the fit is %+v; Defaults say %+v", got, Defaults)
	}
	loo := LeaveOneOut(rs)
	covered := 0
	for i := range rs {
		if Covered(loo[i], rs[i].Measured) {
			covered++
		}
	}
	if share := float64(covered) / float64(len(rs)); share < 0.8 {
		t.Errorf("left out, %d of %d runs (%.0f %%) lie in the ±25 %% band; at least 80 %% must", covered, len(rs), 100*share)
	}
	table := ValidationTable(rs, loo)
	const begin, end = "<!-- estimate-validation: begin -->\n", "<!-- estimate-validation: end -->"
	doc, err := os.ReadFile("../../docs/estimate.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(doc)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		t.Fatal("docs/estimate.md has no validation table markers")
	}
	if s[i+len(begin):j] != table {
		if os.Getenv("SCALEPLAN_UPDATE_DOCS") != "" {
			s = s[:i+len(begin)] + table + s[j:]
			if err := os.WriteFile("../../docs/estimate.md", []byte(s), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("docs/estimate.md's validation table is not what the runs give (SCALEPLAN_UPDATE_DOCS=1 rewrites it):\n%s", table)
	}
}

// Bad inputs are refused with words, not estimated.
func TestBadInputsAreRefused(t *testing.T) {
	a100, _ := gpus.Lookup("A100 SXM 80GB")
	for _, tc := range []struct {
		m    Model
		e    Efficiency
		want string
	}{
		{Model{}, Defaults, "params_b"},
		{Model{ParamsB: 7}, Efficiency{0, 0.5, 0.5}, "efficiencies"},
		{Model{ParamsB: 7}, Efficiency{1.2, 0.5, 0.5}, "efficiencies"},
	} {
		if _, err := Serving(tc.m, Node{GPU: a100, TensorParallel: 1}, tc.e, 100, 100); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v", tc, err)
		}
	}
	// FP8 weights on an A100 compute in BF16: the table has no FP8 there.
	est, err := Serving(Model{ParamsB: 7, WeightBytes: 1}, Node{GPU: a100, TensorParallel: 1}, Defaults, 100, 100)
	if err != nil || est.Precision != "BF16" {
		t.Errorf("FP8 weights on an A100: %v, %s", err, est.Precision)
	}
	_ = fmt.Sprint
}

// An estimate on a GPU whose throughput figure is not from its own
// datasheet says so.
func TestAnUnverifiedFigureIsSaid(t *testing.T) {
	a10g, _ := gpus.Lookup("A10G")
	est, err := Serving(Model{ParamsB: 1}, Node{GPU: a10g, TensorParallel: 1}, Defaults, 100, 10)
	if err != nil {
		t.Fatal(err)
	}
	said := false
	for _, n := range est.Notes {
		said = said || strings.Contains(n, "A10G's BF16 figure is unverified")
	}
	if !said {
		t.Errorf("notes %q", est.Notes)
	}
}

// The P10 and P90 a cheapest row shows read each input's triangular range
// on the faster or slower side. For a triangle on 0.75–1.25 peaking at 1,
// F(x) = (x − 0.75)² ÷ (0.5 × 0.25) below the peak: the 10th percentile is
// 0.75 + √0.0125 = 0.86180, the 90th 1.25 − √0.0125 = 1.13820.
func TestFastAndSlowAreTheRangesPercentiles(t *testing.T) {
	r := Range{Low: 0.75, Mid: 1, High: 1.25}
	time, rate := Input{Key: "service_ms", Range: r}, Input{Key: "node_rps", Range: r}
	for _, tc := range []struct {
		got, want float64
	}{{Fast(time), 0.86180}, {Slow(time), 1.13820}, {Fast(rate), 1.13820}, {Slow(rate), 0.86180}, {Middle(time), 1}} {
		if math.Abs(tc.got-tc.want) > 1e-5 {
			t.Errorf("got %v, want %v", tc.got, tc.want)
		}
	}
}
