package loadtest

import (
	"math"
	"os"
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
	readme, err := os.ReadFile("../../testdata/bench/real/README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme)[strings.Index(string(readme), "## Token latencies"):]
	rows := 0
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) != 7 || !strings.HasSuffix(cells[0], ".json") {
			continue
		}
		rows++
		ttft, _ := strconv.ParseFloat(cells[1], 64)
		itl, _ := strconv.ParseFloat(cells[4], 64)
		data, err := os.ReadFile("../../testdata/bench/real/" + cells[0])
		if err != nil {
			t.Fatal(err)
		}
		f, err := Read(cells[0], data)
		if err != nil {
			t.Fatal(err)
		}
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

// Writing the per-call inputs into a plan that serves tokens is refused,
// naming why, and changes nothing.
func TestNoPerCallInputsIntoATokenPlan(t *testing.T) {
	p, err := planner.Load(plantest.Testdata("llm-chat-roadmap.json"))
	if err != nil {
		t.Fatal(err)
	}
	before := planner.Marshal(p)
	f := readRealFile(t, "llmperf-groq_70b.json")
	for _, target := range []Target{{Phase: -1}, {Phase: 1}} {
		b, err := Import([]File{f}, Options{Plan: &p, Target: target})
		if err != nil {
			t.Fatal(err)
		}
		q, err := Apply(p, &b, target, planner.Date{})
		if err == nil || !strings.Contains(err.Error(), "serve tokens") || string(planner.Marshal(q)) != string(before) {
			t.Errorf("%+v: %v", target, err)
		}
	}
}

func readRealFile(t *testing.T, name string) File {
	t.Helper()
	data, err := os.ReadFile("../../testdata/bench/real/" + name)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Read(name, data)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
