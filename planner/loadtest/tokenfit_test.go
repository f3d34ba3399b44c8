package loadtest

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/internal/plantest"
	"github.com/scaleplan/scaleplan/planner"
)

// On the real files, each one run at one load: the decode step's base and
// per-sequence time are said to be undetermined (one run fixes their sum),
// and the prefill rate is 1000 × the plan's 1,000 input tokens ÷ (TTFT −
// the plan's fixed 50 ms − ITL), from the README's hand-read means; where
// that is not positive (GuideLLM's test ran beside its server: TTFT 16.8
// ms), the rate is undetermined and says why.
func TestTokenFitOnTheRealFiles(t *testing.T) {
	t.Parallel()
	p, err := planner.Load(plantest.Testdata("llm-chat-roadmap.json"))
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, cells := range realTokenTable(t) {
		rows++
		ttft, _ := strconv.ParseFloat(cells[1], 64)
		itl, _ := strconv.ParseFloat(cells[4], 64)
		f := readBenchFile(t, "real/"+cells[0])
		b, err := Import([]File{f}, Options{Plan: &p, Target: Target{Phase: 0}, IncludeFailed: true})
		if err != nil {
			t.Fatalf("%s: %v", cells[0], err)
		}
		tf := b.Tokens
		if tf == nil || tf.StepBaseMs.Valid || tf.StepPerSeqMs.Valid || !strings.Contains(strings.Join(tf.Undetermined, "\n"), "one run fixes only their sum") {
			t.Fatalf("%s: %+v", cells[0], tf)
		}
		if got := tf.StepAtMs.Val.InexactFloat64(); math.Abs(got-itl) > 0.006 {
			t.Errorf("%s: the step at the run's load is %v, want its ITL %v", cells[0], got, itl)
		}
		P := ttft - 50 - itl
		if P <= 0 {
			if tf.PrefillTokensPerS.Valid || !strings.Contains(strings.Join(tf.Undetermined, "\n"), "nothing of it is left for the prefill") {
				t.Errorf("%s: TTFT %v leaves nothing, yet %+v", cells[0], ttft, tf)
			}
			continue
		}
		if want := 1000 * 1000 / P; !tf.PrefillTokensPerS.Valid || math.Abs(tf.PrefillTokensPerS.Val.InexactFloat64()-want) > 0.5 {
			t.Errorf("%s: prefill %v, want 1000 × 1000 ÷ %.3f = %.1f", cells[0], tf.PrefillTokensPerS, P, want)
		}
	}
	if rows < 8 {
		t.Fatalf("%d files in the table", rows)
	}
}

// Runs at three loads, made by hand from a = 6 ms, b = 0.05 ms, a prefill
// of 40 ms and 50 ms fixed: 2, 10 and 30 calls running give ITL 6.1, 6.5
// and 7.5 ms and TTFT 96.1, 96.5 and 97.5 ms; the fit finds them again.
func TestTokenFitSeparatesTheStepAcrossLoads(t *testing.T) {
	var runs []MeasuredRun
	for _, n := range []float64{2, 10, 30} {
		itl := 6 + 0.05*n
		r := MeasuredRun{Run: Run{Label: "load", TTFT: Latency{MeanMs: planner.Some(dec(strconv.FormatFloat(50+itl+40, 'f', -1, 64)))},
			ITL: Latency{MeanMs: planner.Some(dec(strconv.FormatFloat(itl, 'f', -1, 64)))}, MeanMs: planner.Some(dec("1000"))},
			NodeRPS: dec(strconv.FormatFloat(n, 'f', -1, 64))} // n a second × 1 s: n running
		runs = append(runs, r)
	}
	tf := fitTokens(runs, dec("50"), planner.Some(int64(1000)))
	if !tf.StepBaseMs.Valid || tf.StepBaseMs.Val.String() != "6" || tf.StepPerSeqMs.Val.String() != "0.05" {
		t.Fatalf("base %v, per_seq %v; undetermined %v", tf.StepBaseMs, tf.StepPerSeqMs, tf.Undetermined)
	}
	if tf.PrefillTokensPerS.Val.String() != "25000" { // 1000 tokens in 40 ms
		t.Errorf("prefill %v", tf.PrefillTokensPerS)
	}
	for _, r := range tf.Runs {
		if math.Abs(r.FitITLMs.Val-r.ITLMs) > 1e-9 || math.Abs(r.FitTTFTMs.Val-r.TTFTMs) > 1e-9 {
			t.Errorf("%+v", r)
		}
	}
}

// Writing into a plan that serves tokens sets the token inputs the runs
// fix — LLMPerf's Groq run fixes the prefill rate, 1000 × 1000 ÷ (227.860 −
// 50 − 5.384) = 5798 tokens/s — records where it came from, and leaves the
// per-call inputs alone; runs that fix none (GuideLLM's, beside its
// server) are refused with why, changing nothing.
func TestTokenInputsWrittenIntoATokenPlan(t *testing.T) {
	p, err := planner.Load(plantest.Testdata("llm-chat-roadmap.json"))
	if err != nil {
		t.Fatal(err)
	}
	groq := readBenchFile(t, "real/llmperf-groq_70b.json")
	target := Target{Phase: -1}
	b, err := Import([]File{groq}, Options{Plan: &p, Target: target})
	if err != nil {
		t.Fatal(err)
	}
	q, err := Apply(p, &b, target, p.StartDate)
	if err != nil {
		t.Fatal(err)
	}
	if got := q.Assumptions.PrefillTokensPerS.String(); got != "5798" {
		t.Errorf("prefill_tokens_per_s %s, want 5798", got)
	}
	if !q.Assumptions.NodeRPS.IsZero() || q.Assumptions.ServiceMs.Sign() != 0 || q.Assumptions.StepBaseMs.String() != "6" {
		t.Errorf("other inputs changed: %+v", q.Assumptions)
	}
	if m, ok := q.MeasurementAt("assumptions.prefill_tokens_per_s"); !ok || len(m.Files) != 1 || !strings.Contains(q.Notes, "prefill_tokens_per_s 5798 of assumptions") {
		t.Errorf("provenance: %v %+v\n%s", ok, m, q.Notes)
	}
	before := planner.Marshal(p)
	guide := readBenchFile(t, "real/guidellm-2025-07-sweep-synchronous.json")
	b, err = Import([]File{guide}, Options{Plan: &p, Target: target})
	if err != nil {
		t.Fatal(err)
	}
	q, err = Apply(p, &b, target, p.StartDate)
	if err == nil || !strings.Contains(err.Error(), "the runs fix none of its token inputs") || string(planner.Marshal(q)) != string(before) {
		t.Errorf("GuideLLM: %v", err)
	}
}
