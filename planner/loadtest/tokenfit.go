package loadtest

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/planner"
)

// TokenFit is what the runs say of the token serving rules' inputs (issue
// #19): the decode step's base and per-sequence time and the prefill rate,
// where the runs determine them, and each run's figures beside what the
// fitted inputs give.
//
// A run's calls running a node are its rate a node times its mean latency
// (Little's law), n. Its mean inter-token latency is a decode step with n
// running, a + b·n; over runs at two or more loads a and b are the least
// squares line (one run fixes only a + b·n). Its mean TTFT is the fixed
// latency, then the call's own step, which decodes beside the others and
// prefills it: fixed + (a + b·n) + P, so P = TTFT − fixed − ITL and the
// prefill rate is 1000 × input tokens ÷ P (the plan's input tokens a call).
// The runs never show max_batch: it is not fitted.
type TokenFit struct {
	Runs              []TokenRun
	StepBaseMs        planner.Opt[decimal.Decimal]
	StepPerSeqMs      planner.Opt[decimal.Decimal]
	StepAtMs          planner.Opt[decimal.Decimal] // with one run: a + b·n at its n, all it determines
	PrefillTokensPerS planner.Opt[decimal.Decimal]
	InputTokens       planner.Opt[int64] // the plan's, the prefill rate is for
	Undetermined      []string           // the inputs the runs could not determine, and why
	Notes             []string           // what the figures assume
}

// TokenRun is one run as the fit sees it.
type TokenRun struct {
	Label               string
	InFlight            float64 // calls running a node (Little's law)
	ITLMs, TTFTMs       float64 // measured means
	FitITLMs, FitTTFTMs planner.Opt[float64]
}

// fitTokens fits the runs that give TTFT and ITL means, a rate and a mean
// latency; nil when none does.
func fitTokens(runs []MeasuredRun, fixedMs decimal.Decimal, in planner.Opt[int64]) *TokenFit {
	t := &TokenFit{InputTokens: in}
	for _, r := range runs {
		if r.LeftOut || !r.TTFT.MeanMs.Valid || !r.ITL.MeanMs.Valid || !r.MeanMs.Valid || r.NodeRPS.Sign() <= 0 {
			continue
		}
		t.Runs = append(t.Runs, TokenRun{Label: r.Label,
			InFlight: r.NodeRPS.InexactFloat64() * r.MeanMs.Val.InexactFloat64() / 1000,
			ITLMs:    r.ITL.MeanMs.Val.InexactFloat64(), TTFTMs: r.TTFT.MeanMs.Val.InexactFloat64()})
	}
	if len(t.Runs) == 0 {
		return nil
	}
	// The decode step: least squares of ITL on calls in flight.
	var sx, sy, sxx, sxy float64
	for _, r := range t.Runs {
		sx, sy, sxx, sxy = sx+r.InFlight, sy+r.ITLMs, sxx+r.InFlight*r.InFlight, sxy+r.InFlight*r.ITLMs
	}
	k := float64(len(t.Runs))
	den := k*sxx - sx*sx
	step := func(r TokenRun) float64 { return r.ITLMs } // what the fit says a run's decode step is
	switch {
	case len(t.Runs) == 1:
		r := t.Runs[0]
		t.StepAtMs = planner.Some(round(r.ITLMs))
		t.Undetermined = append(t.Undetermined, fmt.Sprintf("%s and %s: one run fixes only their sum at its load, %.2f ms with %.1f calls running; runs at two or more loads separate them",
			planner.KeyStepBase, planner.KeyStepPerSeq, r.ITLMs, r.InFlight))
	case den <= 1e-9*sxx:
		t.Undetermined = append(t.Undetermined, fmt.Sprintf("%s and %s: the runs ran the same number of calls at once, so they cannot separate the base from the per-sequence time",
			planner.KeyStepBase, planner.KeyStepPerSeq))
	default:
		b := (k*sxy - sx*sy) / den
		a := (sy - b*sx) / k
		if a <= 0 || b < 0 {
			t.Undetermined = append(t.Undetermined, fmt.Sprintf("%s and %s: the runs' line comes out at base %.3f ms, %.4f ms a sequence, which no server runs; the runs do not show a step growing with the batch",
				planner.KeyStepBase, planner.KeyStepPerSeq, a, b))
			break
		}
		t.StepBaseMs, t.StepPerSeqMs = planner.Some(round(a)), planner.Some(round(b))
		step = func(r TokenRun) float64 { return a + b*r.InFlight }
	}
	// The prefill: what TTFT holds beyond the fixed latency and a step.
	fixed := fixedMs.InexactFloat64()
	sum, n := 0.0, 0
	for _, r := range t.Runs {
		if p := r.TTFTMs - fixed - step(r); p > 0 {
			sum, n = sum+p, n+1
		}
	}
	switch {
	case !in.Valid || in.Val <= 0:
		t.Undetermined = append(t.Undetermined, planner.KeyPrefill+": the fit needs the input tokens a call (the plan's input_tokens; import for a plan that gives them)")
	case n == 0:
		t.Undetermined = append(t.Undetermined, fmt.Sprintf("%s: no run's TTFT is longer than the plan's fixed %s ms plus a decode step, so nothing of it is left for the prefill (was the test run closer to the server than the plan's network?)",
			planner.KeyPrefill, fixedMs))
	default:
		P := sum / float64(n)
		t.PrefillTokensPerS = planner.Some(round(1000 * float64(in.Val) / P))
		t.Notes = append(t.Notes, fmt.Sprintf("%s takes the plan's %d input tokens a call and %s ms of fixed latency; the files do not give their prompts' length, so where the test's prompts were longer or shorter the rate is off in proportion",
			planner.KeyPrefill, in.Val, fixedMs))
		for i := range t.Runs {
			r := &t.Runs[i]
			r.FitTTFTMs = planner.Some(fixed + step(*r) + P)
		}
	}
	for i := range t.Runs {
		if t.StepBaseMs.Valid {
			t.Runs[i].FitITLMs = planner.Some(step(t.Runs[i]))
		}
	}
	t.Undetermined = append(t.Undetermined, planner.KeyMaxBatch+": the runs do not show where a replica's batch stops growing")
	return t
}

// round keeps a fitted figure to four significant places past the point a
// plan needs: 0.0634, 6.02, 25,310.
func round(x float64) decimal.Decimal {
	d := decimal.NewFromFloat(x)
	switch {
	case x >= 100:
		return d.Round(0)
	case x >= 1:
		return d.Round(2)
	}
	return d.Round(4)
}

// inputs are the token inputs the runs fix, as a plan is written.
func (t *TokenFit) inputs() [][2]string {
	if t == nil {
		return nil
	}
	var out [][2]string
	for _, f := range []struct {
		key string
		v   planner.Opt[decimal.Decimal]
	}{{planner.KeyStepBase, t.StepBaseMs}, {planner.KeyStepPerSeq, t.StepPerSeqMs}, {planner.KeyPrefill, t.PrefillTokensPerS}} {
		if f.v.Valid {
			out = append(out, [2]string{f.key, f.v.Val.String()})
		}
	}
	return out
}
