package llm

import (
	"math"
	"testing"
)

// The capacity is the formula, worked by hand: B = 2, a = 10 ms,
// b = 1 ms, 100 input and 3 output tokens, 1,000 prefill tokens/s:
// 1000·2 ÷ (3·10 + 2·1·2 + 2·1000·100/1000) = 2000 ÷ 234 calls/s.
func TestCapacityByHand(t *testing.T) {
	r := Replica{MaxBatch: 2, StepBaseMs: 10, StepPerSeqMs: 1, PrefillTokensPerS: 1000, Input: 100, Output: 3}
	if got, want := r.Capacity(), 2000.0/234; math.Abs(got-want) > 1e-12 {
		t.Fatalf("capacity = %v, want 2000/234 = %v", got, want)
	}
}

// One call alone: its TTFT is one step (a + its prefill), its TPOT a
// decode step with one sequence (a + b), no matter the batch.
func TestAnIdleReplicaByHand(t *testing.T) {
	r := Replica{MaxBatch: 64, StepBaseMs: 8, StepPerSeqMs: 0.5, PrefillTokensPerS: 10_000, Input: 500, Output: 100}
	l, ok := r.At(1e-6, 1) // a call a million seconds: never two at once
	if !ok {
		t.Fatal("no steady state at a vanishing load")
	}
	f := l.Figures()
	if math.Abs(f.TTFTp99-58) > 0.01 || math.Abs(f.TTFTp50-58) > 0.01 { // 8 + 1000·500/10,000
		t.Errorf("TTFT p50/p99 = %v/%v ms, want 58", f.TTFTp50, f.TTFTp99)
	}
	if math.Abs(f.TPOTp99-8.5) > 0.01 {
		t.Errorf("TPOT p99 = %v ms, want 8.5", f.TPOTp99)
	}
}

// Sizing is the fewest nodes: the count NodesFor gives meets every
// target, and one node fewer misses the one it names.
func TestSizingIsTheFewestNodes(t *testing.T) {
	s := Serving{Replica: Replica{MaxBatch: 256, StepBaseMs: 6, StepPerSeqMs: 0.06, PrefillTokensPerS: 25_000, Input: 1000, Output: 300, Geometric: true},
		PerNode: 1, FixedMs: 50}
	for _, tc := range []struct {
		rate float64
		t    Targets
		want string
	}{
		{111, Targets{TTFTp99: 800, TPOTp99: 18}, BoundTPOT},
		{111, Targets{TTFTp99: 250, TPOTp99: 60}, BoundTTFT},
		{40, Targets{TTFTp99: 800, TPOTp99: 40, Goodput: 0.999}, ""},
	} {
		n, why := s.NodesFor(tc.rate, tc.t, 0, nil)
		if why != "" {
			t.Fatalf("%+v: %s", tc, why)
		}
		bound := s.Binding(tc.rate, n, tc.t)
		if s.failing(tc.rate, n, tc.t) != "" {
			t.Errorf("%+v: %d nodes miss %s", tc, n, s.failing(tc.rate, n, tc.t))
		}
		l, ok := s.at(tc.rate, n-1)
		missTTFT := !ok || l.TTFTCDF(tc.t.TTFTp99-s.FixedMs) < 0.99
		missTPOT := !ok || l.TPOTCDF(tc.t.TPOTp99) < 0.99
		missGood := !ok || (tc.t.Goodput > 0 && l.Goodput(s.FixedMs, tc.t.TTFTp99, tc.t.TPOTp99) < tc.t.Goodput)
		if !missTTFT && !missTPOT && !missGood {
			t.Errorf("%+v: %d nodes also meet every target", tc, n-1)
		}
		if tc.want != "" && bound != tc.want {
			t.Errorf("%+v: bound %q, want %q", tc, bound, tc.want)
		}
	}
}

// A target below what one call alone gets cannot be met by adding nodes:
// it is said, not searched for.
func TestAnImpossibleTargetIsSaid(t *testing.T) {
	s := Serving{Replica: Replica{MaxBatch: 8, StepBaseMs: 10, StepPerSeqMs: 1, PrefillTokensPerS: 1000, Input: 1000, Output: 10}, PerNode: 1}
	if _, why := s.NodesFor(5, Targets{TTFTp99: 500}, 0, nil); why == "" { // alone: 10 + 1000 ms
		t.Fatal("a TTFT target under one step's prefill was searched for")
	}
}

// The table the end-to-end mixture reads is TTFTCDF itself at its points:
// the sweep over the busy parts' ramps agrees with summing them one by one.
func TestTheTTFTTableIsTheCDF(t *testing.T) {
	for _, g := range []bool{false, true} {
		for _, load := range []float64{0.2, 0.7, 0.97} {
			r := Replica{MaxBatch: 16, StepBaseMs: 6, StepPerSeqMs: 0.06, PrefillTokensPerS: 5_000, Input: 1000, Output: 50, Geometric: g}
			l, ok := r.At(load*3*r.Capacity(), 3)
			if !ok {
				t.Fatal("no steady state")
			}
			grid := l.ttftGrid(7.3, 400)
			for i, c := range grid {
				if want := l.TTFTCDF(7.3 * float64(i)); math.Abs(c-want) > 1e-9 {
					t.Fatalf("geometric %v, load %v: at %v ms the table holds %v, TTFTCDF %v", g, load, 7.3*float64(i), c, want)
				}
			}
		}
	}
}
