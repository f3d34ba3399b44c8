package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/planner"
)

// seedWithArchitecture is the seed plan with its variants' architecture as
// its notes describe them: an 8B dense model (Llama 3.1 8B: 32 layers, 8
// KV heads of 128) and a 1B student (Llama 3.2 1B: 16 layers, 8 KV heads
// of 64).
func seedWithArchitecture(t *testing.T) string {
	t.Helper()
	p, err := planner.Load("../testdata/seed-roadmap.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []struct{ name, params, layers, heads, dim string }{
		{"large", "8.03", "32", "8", "128"}, {"large-batch8", "8.03", "32", "8", "128"}, {"distilled", "1.24", "16", "8", "64"}} {
		for k, x := range map[string]string{"params_b": v.params, "layers": v.layers, "kv_heads": v.heads, "head_dim": v.dim} {
			if p, err = planner.SetVariant(p, v.name, k, x); err != nil {
				t.Fatal(err)
			}
		}
	}
	path := filepath.Join(t.TempDir(), "seed.json")
	if err := planner.Save(path, p); err != nil {
		t.Fatal(err)
	}
	return path
}

type estimateOut struct {
	Inputs []struct {
		Key       string
		Low, High float64
		Estimate  float64 `json:"estimate"`
	}
	Serving string
}

func estimateJSON(t *testing.T, args ...string) estimateOut {
	t.Helper()
	code, out, errs := run(append([]string{"estimate", "--json"}, args...)...)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var e estimateOut
	if err := json.Unmarshal([]byte(out), &e); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return e
}

// The seed's notes work its service times out by hand from FLOPs and
// datasheets: 45 ms and 22.2 calls/s for the 8B model on an H100 (1,470
// prompt tokens, a short label out), 16 ms and 62.5 calls/s for the 1B
// student on an L40S, and 317 ms and 25.2 calls/s for eight calls sharing
// a prefill pass (slots 8). The estimate's band holds each.
func TestEstimateReproducesTheSeedsHandWork(t *testing.T) {
	path := seedWithArchitecture(t)
	for _, tc := range []struct {
		variant, offer string
		ms, rps        float64
	}{{"large", "p5.4xlarge", 45, 22.2}, {"large-batch8", "p5.4xlarge", 317, 25.2}, {"distilled", "g6e.xlarge", 16, 62.5}} {
		e := estimateJSON(t, path, "--variant", tc.variant, "--offer", tc.offer, "--input-tokens", "1470", "--output-tokens", "1")
		if e.Serving != "calls" || len(e.Inputs) != 2 {
			t.Fatalf("%s: %+v", tc.variant, e)
		}
		for _, in := range e.Inputs {
			want := map[string]float64{"service_ms": tc.ms, "node_rps": tc.rps}[in.Key]
			if want < in.Low || want > in.High {
				t.Errorf("%s: %s %.4g to %.4g (estimate %.4g) does not hold the notes' %v", tc.variant, in.Key, in.Low, in.High, in.Estimate, want)
			}
		}
	}
}

// --write sets the estimate into the plan as ranges, says where they came
// from in its notes, and the plan still loads and computes; the file is
// left alone when the estimate cannot be made.
func TestEstimateWritesRanges(t *testing.T) {
	path := seedWithArchitecture(t)
	code, _, errs := run("estimate", path, "--variant", "large", "--offer", "p5.4xlarge", "--input-tokens", "1470", "--output-tokens", "1", "--write")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	p, err := planner.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	r, ok := p.RangeAt("variants[large].service_ms")
	if !ok || !r.Low.LessThan(r.High) {
		t.Fatalf("variants[large].service_ms: %+v, %v", r, ok)
	}
	if _, ok := p.RangeAt("variants[large].node_rps"); !ok {
		t.Error("node_rps is not a range")
	}
	if !strings.Contains(p.Notes, "Estimated on") || !strings.Contains(p.Notes, "H100 SXM") {
		t.Errorf("the notes do not say where the estimate came from: %s", p.Notes)
	}
	if code, _, errs := run("compute", path); code != ExitOK {
		t.Errorf("the written plan does not compute: %s", errs)
	}
}

// Each way an estimate cannot be made is said, naming what is missing.
func TestEstimateRefusals(t *testing.T) {
	path := seedWithArchitecture(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"../testdata/seed-roadmap.json", "--variant", "large", "--gpu", "H100 SXM", "--input-tokens", "100"}, "params_b"},
		{[]string{path, "--variant", "large", "--gpu", "H100"}, `"H100 SXM" or "H100 PCIe"`},
		{[]string{path, "--variant", "large", "--gpu", "H100 SXM"}, "--input-tokens"},
		{[]string{path, "--variant", "nope", "--gpu", "L4", "--input-tokens", "10"}, `no variant "nope"`},
		{[]string{path, "--variant", "large", "--gpu", "L4", "--offer", "g6.xlarge"}, "not both"},
	} {
		code, _, errs := run(append([]string{"estimate"}, tc.args...)...)
		if code == ExitOK || !strings.Contains(errs, tc.want) {
			t.Errorf("%v: exit %d, %q; want it to say %q", tc.args, code, errs, tc.want)
		}
	}
}

// scaleplan gpus --json gives every cell with its source and date.
func TestGPUsJSON(t *testing.T) {
	code, out, errs := run("gpus", "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got struct {
		GPUs []struct {
			Name    string
			Figures map[string]struct {
				Value  *float64
				Source string
				AsOf   string `json:"as_of"`
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, g := range got.GPUs {
		for k, f := range g.Figures {
			if f.Source == "" || f.AsOf == "" {
				t.Errorf("%s %s has no source or date", g.Name, k)
			}
		}
		if g.Name == "H100 SXM" {
			found = true
			if f := g.Figures["bf16_dense_tflops"]; f.Value == nil || *f.Value != 989 {
				t.Errorf("H100 SXM BF16 = %v", f.Value)
			}
		}
	}
	if !found {
		t.Error("no H100 SXM")
	}
}
