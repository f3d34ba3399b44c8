package planner_test

import (
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/internal/plantest"
	"github.com/scaleplan/scaleplan/planner"
)

// The example reads, and its decode step is written back as the object
// the issue states, in format 2; a save and a read give the plan again.
func TestTokenPlanRoundTrips(t *testing.T) {
	p, err := planner.Load(plantest.Testdata("llm-chat-roadmap.json"))
	if err != nil {
		t.Fatal(err)
	}
	a := p.Assumptions
	if !a.TokenMode() || a.StepBaseMs.String() != "6" || a.StepPerSeqMs.String() != "0.06" || a.MaxBatch != 256 || a.OutputDist != planner.DistGeometric {
		t.Fatalf("read %+v", a)
	}
	out := planner.Marshal(p)
	if !bytes.Contains(out, []byte("\"decode_step_ms\": {\n      \"base\": 6,\n      \"per_seq\": 0.06\n    }")) || !bytes.HasPrefix(out, []byte("{\n  \"format\": 2")) {
		t.Fatalf("written as:\n%s", out)
	}
	q, err := planner.Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(planner.Marshal(q), out) {
		t.Fatal("a second save differs")
	}
	// A plan that serves calls writes none of it and stays format 1.
	if s := string(planner.Marshal(plantest.Seed(t))); strings.Contains(s, "serving") || strings.Contains(s, "decode_step") || strings.Contains(s, "max_batch") {
		t.Fatal("the seed plan gained token keys")
	}
}

// Bad token inputs are refused with their path and what is wrong.
func TestBadTokenInputsAreNamed(t *testing.T) {
	base, err := planner.Load(plantest.Testdata("llm-chat-roadmap.json"))
	if err != nil {
		t.Fatal(err)
	}
	_ = base
	good := plantest.Text(t, "llm-chat-roadmap.json")
	for _, tc := range []struct{ from, to, path, says string }{
		{`"serving": "tokens"`, `"serving": "token"`, "assumptions.serving", `one of "calls" or "tokens", got "token"`},
		{`"output_tokens_dist": "geometric"`, `"output_tokens_dist": "poisson"`, "assumptions.output_tokens_dist", `"fixed" or "geometric"`},
		{"\"decode_step_ms\": {\n      \"base\": 6,", "\"decode_step_ms\": {\n      \"base\": -6,", "assumptions.decode_step_ms.base", "from 0"},
		{"\"per_seq\": 0.06", "\"per_seq\": 0.06,\n      \"per_token\": 1", "assumptions.decode_step_ms.per_token", "unknown"},
		{`"prefill_tokens_per_s": 25000,`, ``, "phases[0]", "prefill_tokens_per_s"},
		{`"prefill_tokens_per_s": 25000,`, `"prefill_tokens_per_s": 25000, "max_batch": 5000,`, "assumptions.max_batch", "4,096"},
	} {
		bad := strings.Replace(good, tc.from, tc.to, 1)
		if bad == good {
			t.Fatalf("%q is not in the example", tc.from)
		}
		_, err := planner.Parse([]byte(bad))
		if err == nil || !strings.Contains(err.Error(), tc.path) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%s → %s: %v; want %s and %q", tc.from, tc.to, err, tc.path, tc.says)
		}
	}
	bad := strings.Replace(good, "\"decode_step_ms\": {\n      \"base\": 6,\n      \"per_seq\": 0.06\n    }", `"decode_step_ms": 6`, 1)
	if _, err := planner.Parse([]byte(bad)); err == nil || !strings.Contains(err.Error(), "assumptions.decode_step_ms: must be an object") {
		t.Errorf("decode_step_ms as a number: %v", err)
	}
}

// The example's capacity is the formula by hand, and its
// scenario is one where TPOT sets the fleet.
func TestTheChatExample(t *testing.T) {
	p, err := planner.Load(plantest.Testdata("llm-chat-roadmap.json"))
	if err != nil {
		t.Fatal(err)
	}
	r := planner.Compute(p)
	// 1000·256 ÷ (300·6 + 299·0.06·256 + 256·1000·1000/25,000) = 256000 ÷ 16632.64
	for _, ph := range r.Phases {
		if got := ph.Tokens.CapacityRPS.InexactFloat64(); got < 15.3914 || got > 15.3915 {
			t.Fatalf("%s: capacity %v, want 256000/16632.64 = 15.39142", ph.Name, got)
		}
		for _, c := range ph.Checks {
			if !c.OK {
				t.Errorf("%s: check %s fails", ph.Name, c.Name)
			}
		}
	}
	fast, err := p.Scenario("Fast streaming")
	if err != nil {
		t.Fatal(err)
	}
	binds := false
	for i, ph := range planner.Compute(fast).Phases {
		if ph.SizingBound != planner.BoundTPOT {
			continue
		}
		binds = true
		// One node fewer at the busiest hour misses the TPOT target there.
		q := fast.Clone()
		q.Phases[i].Nodes = planner.Some(ph.RequiredNodes - 1)
		q.Phases[i].Scaling = planner.Fixed
		for _, c := range planner.Compute(q).Phases[i].Checks {
			if c.Name == planner.CheckTPOT && c.OK {
				t.Errorf("%s: %d nodes, one fewer than sized, still meet TPOT", ph.Name, ph.RequiredNodes-1)
			}
		}
	}
	if !binds {
		t.Fatal("TPOT sets no phase's fleet in the Fast streaming scenario")
	}
}

// memoryPlan is the example on a 20 GiB GPU whose KV cache holds fewer
// calls than max_batch, running an 8B variant that gives its architecture.
func memoryPlan(t *testing.T) planner.Plan {
	t.Helper()
	text := plantest.Text(t, "llm-chat-roadmap.json")
	text = strings.Replace(text, `"serving": "tokens",`, `"serving": "tokens", "gpus_per_node": 1, "gpu_memory_gib": 20,`, 1)
	text = strings.Replace(text, `"scenarios": [`, `"variants": [{"name": "llama8b", "accuracy": 0.9, "node_rps": 6.55,
	  "params_b": 8, "weight_bytes": 2, "layers": 32, "kv_heads": 8, "head_dim": 128, "kv_bytes": 2}],
	"scenarios": [`, 1)
	text = strings.ReplaceAll(text, `"output_tokens": 300,`, `"output_tokens": 300, "variant": "llama8b",`)
	p, err := planner.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// With the memory inputs, B is what a replica's KV cache holds, worked by
// hand: 20 GiB × 0.9 − 16 GB of weights = 3,327,352,832 bytes, 1,586
// blocks of 16 tokens at 131,072 bytes a token (32 × 8 × 128 × 2 × 2); a
// call of 1,300 tokens takes 82 blocks, so 19 calls. The capacity follows
// at B = 19: 19,000 ÷ (300·6 + 299·0.06·19 + 19·1000·1000/25,000) calls/s;
// the given node_rps 6.55 agrees with it; and memory, not the targets,
// sets the fleet where max_batch's 256 would need fewer nodes.
func TestMemoryHoldsTheTokenBatch(t *testing.T) {
	r := planner.Compute(memoryPlan(t))
	want := 19000 / (1800 + 299*0.06*19 + 760.0)
	for _, ph := range r.Phases {
		tk := ph.Tokens
		if tk.Batch != 19 || !tk.MemoryBatch {
			t.Fatalf("%s: batch %d (memory %v), want 19 held by memory", ph.Name, tk.Batch, tk.MemoryBatch)
		}
		if got := tk.CapacityRPS.InexactFloat64(); got < want-1e-6 || got > want+1e-6 {
			t.Errorf("%s: capacity %v, want %v", ph.Name, got, want)
		}
		for _, c := range ph.Checks {
			if c.Name == planner.CheckConsistency && !c.OK {
				t.Errorf("%s: node_rps 6.55 disagrees with %v", ph.Name, c.Value)
			}
		}
		if ph.SizingBound != planner.BoundMemory || !ph.RequiredNodesFullSlots.Valid || ph.RequiredNodesFullSlots.Val >= ph.RequiredNodes {
			t.Errorf("%s: bound %q, %d nodes, %v at max_batch", ph.Name, ph.SizingBound, ph.RequiredNodes, ph.RequiredNodesFullSlots)
		}
	}
}

// tokenPlan is the chat example with n phases: its three repeated, or,
// distinct, each with its own volume (no two phases share a figure).
func tokenPlan(b *testing.B, n int, distinct bool) planner.Plan {
	p, err := planner.Load(plantest.Testdata("llm-chat-roadmap.json"))
	if err != nil {
		b.Fatal(err)
	}
	base := p.Phases
	p.Phases = make([]planner.Phase, n)
	p.Scenarios = nil
	for i := range p.Phases {
		p.Phases[i] = base[i%len(base)]
		p.Phases[i].Name = "Phase " + strconv.Itoa(i+1)
		p.Phases[i].Days = 7
		if distinct {
			p.Phases[i].CallsPerDay = 500_000 + int64(i)*4_500
		}
	}
	return p
}

func BenchmarkTokenPlanSeedSized(b *testing.B) {
	p := tokenPlan(b, 3, false)
	for b.Loop() {
		planner.Compute(p)
	}
}

func BenchmarkTokenPlan1000Phases(b *testing.B) {
	p := tokenPlan(b, 1000, false)
	for b.Loop() {
		planner.Compute(p)
	}
}

func BenchmarkTokenPlan1000DistinctPhases(b *testing.B) {
	p := tokenPlan(b, 1000, true)
	for b.Loop() {
		planner.Compute(p)
	}
}

// The app's case: the document keeps its Cache across edits, so an edit
// that leaves the token figures alone (a price) recomputes from it.
func BenchmarkTokenPlanSeedSizedWarm(b *testing.B) {
	p := tokenPlan(b, 3, false)
	var c planner.Cache
	c.Compute(p)
	for b.Loop() {
		p.Assumptions.NodeHourly = p.Assumptions.NodeHourly.Add(plantest.Dec("0.01"))
		c.Compute(p)
	}
}
