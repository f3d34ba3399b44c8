package llm

import (
	"math"
	"math/rand/v2"
	"testing"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

// The hand-worked case: one replica, B = 2, a step of 10 ms plus
// 5 ms a decoding sequence, prefill at 100,000 tokens a second (10 µs a
// token), 25 ms fixed. C1 arrives at 0 ms (1,000 in, 3 out), C2 at 5 ms
// (500 in, 2 out), C3 at 12 ms (200 in, 1 out). By hand:
//
//	step 1  0–20 ms   idle, C1's arrival starts it: admits C1, d 0: 10 + 10 ms prefill
//	step 2  20–40 ms  d 1 (C1); admits C2 (2 run = B), C3 waits: 10 + 5 + 5 ms
//	step 3  40–60 ms  d 2, the batch is full: 10 + 10 ms; C1's 3rd and C2's 2nd token end both
//	step 4  60–72 ms  d 0; admits C3: 10 + 2 ms; its one token ends it
//
// C1: first token 20 ms, finish 60 ms, TTFT 45 ms, TPOT (60 − 20) ÷ 2 = 20 ms.
// C2: first 40 ms, finish 60 ms, TTFT 35 + 25 = 60 ms, TPOT 20 ms.
// C3: first = finish = 72 ms, TTFT 60 + 25 = 85 ms, no TPOT.
func TestThreeCallsByHand(t *testing.T) {
	c := Config{Replicas: 1, MaxBatch: 2, StepBaseMs: 10, StepPerSeqMs: 5, PrefillTokensPerS: 100_000, FixedMs: 25}
	got := Run(c, []Call{{0, 1000, 3}, {0.005, 500, 2}, {0.012, 200, 1}})
	want := []struct{ first, finish, ttft, tpot float64 }{
		{0.020, 0.060, 45, 20},
		{0.040, 0.060, 60, 20},
		{0.072, 0.072, 85, -1},
	}
	for i, w := range want {
		s := &got[i]
		tpot, has := s.TPOTms()
		if !near(s.FirstToken, w.first) || !near(s.Finish, w.finish) || !near(s.TTFTms(&c), w.ttft) || has != (w.tpot >= 0) || (has && !near(tpot, w.tpot)) {
			t.Errorf("C%d: first %.6f s, finish %.6f s, TTFT %.3f ms, TPOT %.3f (%v); want %.3f, %.3f, %.0f, %.0f",
				i+1, s.FirstToken, s.Finish, s.TTFTms(&c), tpot, has, w.first, w.finish, w.ttft, w.tpot)
		}
	}
	if e := got[0].EndToEndMs(&c); !near(e, 85) {
		t.Errorf("C1 end to end %.3f ms, want 60 + 25", e)
	}
}

// A call that arrives at the very instant a step starts waits for the next
// one (rule 5): C2 arrives at 20 ms, when step 2 begins back to back after
// step 1 (C1 still decoding), so it is admitted at step 3.
func TestAnArrivalAtAStepsStartWaits(t *testing.T) {
	c := Config{Replicas: 1, MaxBatch: 4, StepBaseMs: 10, StepPerSeqMs: 0, PrefillTokensPerS: 1e6}
	got := Run(c, []Call{{0, 10000, 3}, {0.020, 0, 2}})
	// Step 1: 0–20 ms (10 + 10 ms prefill). Step 2: 20–30 ms, d 1, C2 waits.
	// Step 3: 30–40 ms admits C2: its first token at 40 ms, its second at 50.
	if !near(got[1].FirstToken, 0.040) || !near(got[1].Finish, 0.050) || !near(got[0].Finish, 0.040) {
		t.Errorf("C1 finish %.6f; C2 first %.6f, finish %.6f; want 0.040; 0.040, 0.050", got[0].Finish, got[1].FirstToken, got[1].Finish)
	}
}

// Routing: each call goes to the replica with the fewest calls present,
// ties to the lowest-numbered (rule 1).
func TestRoutingToTheFewestPresent(t *testing.T) {
	c := Config{Replicas: 3, MaxBatch: 8, StepBaseMs: 100, PrefillTokensPerS: 1e6}
	calls := []Call{{0, 0, 50}, {0.001, 0, 50}, {0.002, 0, 50}, {0.003, 0, 50}, {0.004, 0, 50}}
	got := Run(c, calls)
	for i, want := range []int{0, 1, 2, 0, 1} {
		if got[i].Replica != want {
			t.Errorf("call %d on replica %d, want %d", i, got[i].Replica, want)
		}
	}
}

// At a full batch a replica serves exactly CapacityRPS: with every call
// waiting from the start, B calls of out tokens take out steps of a + b·B,
// less b·B for the first step (no one decodes yet), plus their prefill.
func TestCapacityIsTheFullBatchRate(t *testing.T) {
	c := Config{Replicas: 1, MaxBatch: 4, StepBaseMs: 8, StepPerSeqMs: 2, PrefillTokensPerS: 50_000}
	in, out := 1000, 10
	var calls []Call
	for i := 0; i < 4000; i++ {
		calls = append(calls, Call{0, in, out})
	}
	got := Run(c, calls)
	last := 0.0
	for i := range got {
		last = math.Max(last, got[i].Finish)
	}
	rate := float64(len(calls)) / last
	// The first call alone starts the first step (an idle replica admits the
	// arrival), so the first batch is one call: a second's worth of calls
	// later, the steady rate is within 1 % of the formula.
	if want := CapacityRPS(c, float64(in), float64(out)); math.Abs(rate/want-1) > 0.01 {
		t.Errorf("%.3f calls/s served flat out, the formula %.3f", rate, want)
	}
}

// An hour's figures: the same seed gives the same hour; geometric output
// tokens have the mean asked for; the quantiles are ordered; goodput is a
// share, and every call meets targets far above its latencies.
func TestHourIsReproducibleAndConsistent(t *testing.T) {
	c := Config{Replicas: 2, MaxBatch: 32, StepBaseMs: 8, StepPerSeqMs: 0.2, PrefillTokensPerS: 20_000, FixedMs: 30}
	w := Workload{Rate: 4, Input: 500, OutputMean: 40, Geometric: true}
	a := Hour(c, w, Targets{TTFTms: 1e6, TPOTms: 1e6}, 600, 3)
	b := Hour(c, w, Targets{TTFTms: 1e6, TPOTms: 1e6}, 600, 3)
	if a != b {
		t.Errorf("the same seed gave %+v and %+v", a, b)
	}
	if a.Calls < 2000 || a.Calls > 2800 { // 4 calls/s × 600 s = 2,400
		t.Errorf("%d calls in 600 s at 4 a second", a.Calls)
	}
	if !(a.TTFTp50 <= a.TTFTp99 && a.TPOTp50 <= a.TPOTp99 && a.TTFTp50 >= c.FixedMs) || a.Goodput != 1 {
		t.Errorf("figures out of order: %+v", a)
	}
	// A target at the p99 is met by at least 99 % of calls; one below the
	// fixed latency by none.
	if at99 := Hour(c, w, Targets{TTFTms: a.TTFTp99}, 600, 3); at99.Goodput < 0.99 {
		t.Errorf("a TTFT target at the p99 meets %.4f of calls", at99.Goodput)
	}
	if none := Hour(c, w, Targets{TTFTms: c.FixedMs / 2}, 600, 3); none.Goodput != 0 {
		t.Errorf("a TTFT target under the fixed latency meets %.4f of calls", none.Goodput)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	sum := 0
	for i := 0; i < 100_000; i++ {
		sum += outputTokens(rng, w)
	}
	if mean := float64(sum) / 100_000; math.Abs(mean/40-1) > 0.01 {
		t.Errorf("geometric output tokens average %.2f, want 40", mean)
	}
}

// The speed target: an hour at 100 calls a second of 1,000 input
// and 500 output tokens, on replicas run at 80 % of their capacity.
func BenchmarkHour100RPS(b *testing.B) {
	c := Config{MaxBatch: 256, StepBaseMs: 12, StepPerSeqMs: 0.08, PrefillTokensPerS: 30_000}
	c.Replicas = int(math.Ceil(100 / (0.8 * CapacityRPS(c, 1000, 500))))
	w := Workload{Rate: 100, Input: 1000, OutputMean: 500}
	for b.Loop() {
		Hour(c, w, Targets{}, 3600, 1)
	}
}

// With room for one sequence and one output token, a replica is an M/D/1
// queue: each call is one step of a + prefill, served first come first
// served (an idle replica starts at the arrival; a busy one takes the next
// call when its step ends). Its mean wait is ρ·S ÷ (2(1 − ρ)) and the
// share of calls that wait none 1 − ρ (Pollaczek–Khinchine): at S = 20 ms
// and ρ = 0.7, 23.33 ms and 0.30, so the mean TTFT is 43.33 ms.
func TestOneSlotOneTokenIsMD1(t *testing.T) {
	c := Config{Replicas: 1, MaxBatch: 1, StepBaseMs: 10, StepPerSeqMs: 5, PrefillTokensPerS: 100_000}
	const S, rho = 0.020, 0.7
	rng := rand.New(rand.NewPCG(11, 13))
	var calls []Call
	for at := 0.0; len(calls) < 300_000; at += rng.ExpFloat64() * S / rho {
		calls = append(calls, Call{Arrival: at, Input: 1000, Output: 1}) // 10 ms of prefill
	}
	served := Run(c, calls)
	sum, none := 0.0, 0
	for i := range served {
		ttft := served[i].TTFTms(&c)
		sum += ttft
		if math.Abs(ttft-1000*S) < 1e-6 {
			none++
		}
	}
	mean := sum / float64(len(served))
	want := 1000 * (S + rho*S/(2*(1-rho)))
	t.Logf("mean TTFT %.3f ms (M/D/1 %.3f); %.4f wait none (M/D/1 %.2f)", mean, want, float64(none)/float64(len(served)), 1-rho)
	if math.Abs(mean/want-1) > 0.02 {
		t.Errorf("mean TTFT %.3f ms, M/D/1 gives %.3f", mean, want)
	}
	if share := float64(none) / float64(len(served)); math.Abs(share-(1-rho)) > 0.01 {
		t.Errorf("%.4f of calls wait none, M/D/1 gives %.2f", share, 1-rho)
	}
}
