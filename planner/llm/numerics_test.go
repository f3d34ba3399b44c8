package llm

import (
	"math"
	"testing"
)

// The prefills chain is a branching process with immigration: each of a
// step's k prefills brings Poisson(m) calls into the next step and its base
// Poisson(ν). Its stationary mean is ν ÷ (1 − m) and its variance the mean
// ÷ (1 − m²) (the closed form in stationaryStates' comment); the direct
// solve must give both. With m = 0 the law is Poisson(ν) itself.
func TestThePrefillsChainHasItsClosedFormMoments(t *testing.T) {
	for _, tc := range []struct{ nu, m float64 }{{0.4, 0}, {2, 0}, {0.3, 0.5}, {1.5, 0.7}, {0.8, 0.9}} {
		row := func(k int) []float64 {
			mean := tc.nu + tc.m*float64(k)
			var out []float64
			for j, p := 0, math.Exp(-mean); j < 400 && (float64(j) < mean+3 || p > 1e-17); j++ {
				out = append(out, p)
				p *= mean / float64(j+1)
			}
			return out
		}
		pi := stationary(row, 200) // room enough: at m 0.9 the law reaches past 64
		mean, sq := 0.0, 0.0
		for k, p := range pi {
			mean += float64(k) * p
			sq += float64(k*k) * p
		}
		wantMean := tc.nu / (1 - tc.m)
		wantVar := wantMean / (1 - tc.m*tc.m)
		if math.Abs(mean-wantMean) > 1e-9*max(1, wantMean) || math.Abs(sq-mean*mean-wantVar) > 1e-8*max(1, wantVar) {
			t.Errorf("ν %v, m %v: mean %v, variance %v; want %v and %v", tc.nu, tc.m, mean, sq-mean*mean, wantMean, wantVar)
		}
		if tc.m == 0 {
			for k, p := range pi[:10] {
				want := math.Exp(-tc.nu) * math.Pow(tc.nu, float64(k)) / math.Gamma(float64(k+1))
				if math.Abs(p-want) > 1e-12 {
					t.Errorf("ν %v: π(%d) = %v, want the Poisson's %v", tc.nu, k, p, want)
				}
			}
		}
	}
}

// The chain of calls present, solved the long way: every state from 0 to
// R·B, each π(N) from its neighbour, the geometric tail past R·B, then
// normalised. At sums it by blocks walked out from the mode; both must
// give the same idle, busy and full shares, mean batch and occupancy law.
func TestTheChainAgreesWithTheLongWay(t *testing.T) {
	for _, tc := range []struct {
		R, B int
		load float64
	}{{1, 8, 0.5}, {3, 4, 0.9}, {7, 16, 0.3}, {4, 32, 0.97}, {50, 8, 0.8}} {
		r := Replica{MaxBatch: tc.B, StepBaseMs: 9, StepPerSeqMs: 0.4, PrefillTokensPerS: 8_000, Input: 700, Output: 40}
		rate := tc.load * r.Capacity() * float64(tc.R)
		l, ok := r.At(rate, tc.R)
		if !ok {
			t.Fatalf("%+v: no steady state", tc)
		}
		full := tc.R * tc.B
		depart := func(N int) float64 {
			q, k := N/tc.R, N%tc.R
			return float64(tc.R-k)*r.Rate(float64(min(q, tc.B))) + float64(k)*r.Rate(float64(min(q+1, tc.B)))
		}
		pi := make([]float64, full+1)
		pi[0] = 1
		for N := 1; N <= full; N++ {
			pi[N] = pi[N-1] * rate / depart(N)
		}
		rho := rate / (r.Capacity() * float64(tc.R))
		tail := pi[full] * rho / (1 - rho)
		total := tail
		for _, x := range pi {
			total += x
		}
		var idle, busy, batch, fullShare float64
		seen := make([]float64, tc.B+1)
		for N, x := range pi {
			w := x / total
			q, k := N/tc.R, N%tc.R
			lo, hi := min(q, tc.B), min(q+1, tc.B)
			batch += w * float64((tc.R-k)*lo+k*hi) / float64(tc.R)
			seen[lo] += w * float64((tc.R-k)*lo)
			seen[hi] += w * float64(k*hi)
			switch {
			case N == full:
				fullShare += w
			case q == 0:
				idle += w
			default:
				busy += w
			}
			if hi == tc.B && N < full {
				fullShare += w * float64(k) / float64(tc.R)
			}
		}
		batch += float64(tc.B) * tail / total
		seen[tc.B] += float64(full) * tail / total
		fullShare += tail / total
		near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*max(1, math.Abs(b)) }
		if !near(l.idle, idle) || !near(l.busy, busy) || !near(l.batch, batch) || !near(l.full, fullShare) || !near(l.tail, (pi[full]+tail)/total) {
			t.Errorf("%+v: idle %v busy %v batch %v full %v tail %v; the long way %v %v %v %v %v",
				tc, l.idle, l.busy, l.batch, l.full, l.tail, idle, busy, batch, fullShare, (pi[full]+tail)/total)
		}
		for m := range seen {
			if !near(l.seen[m], seen[m]) {
				t.Errorf("%+v: seen[%d] = %v, the long way %v", tc, m, l.seen[m], seen[m])
			}
		}
	}
}

// With no prefill the busy replica's TTFT is the rest of a step of a (a
// uniform share of it) and then its own step of a: a ramp from a to 2a
// holding P(busy).
func TestTheBusyLawIsARampWithoutPrefill(t *testing.T) {
	r := Replica{MaxBatch: 8, StepBaseMs: 10, StepPerSeqMs: 0, PrefillTokensPerS: math.Inf(1), Input: 100, Output: 20}
	law := r.busyLaw(0.05, 3, 0.6)
	for _, tc := range []struct{ t, want float64 }{{5, 0}, {10, 0}, {12.5, 0.15}, {15, 0.3}, {20, 0.6}, {99, 0.6}} {
		if got := law.cdf(tc.t); math.Abs(got-tc.want) > 1e-10 { // parts under 1e-12 are dropped
			t.Errorf("at %v ms: %v, want %v", tc.t, got, tc.want)
		}
	}
}

// The TPOT quantile is the least decode step whose share reaches q: the
// CDF reaches q there and not a hair below.
func TestTheTPOTQuantileIsTheLeastStep(t *testing.T) {
	r := Replica{MaxBatch: 64, StepBaseMs: 7, StepPerSeqMs: 0.11, PrefillTokensPerS: 12_000, Input: 900, Output: 200, Geometric: true}
	for _, load := range []float64{0.1, 0.6, 0.95} {
		l, _ := r.At(load*2*r.Capacity(), 2)
		for _, q := range []float64{0.5, 0.9, 0.99} {
			x := l.tpotQuantile(q)
			if l.TPOTCDF(x) < q || l.TPOTCDF(x-1e-9) >= q {
				t.Errorf("load %v, q %v: quantile %v ms, CDF %v there and %v just below", load, q, x, l.TPOTCDF(x), l.TPOTCDF(x-1e-9))
			}
		}
	}
}

// solveFrom finds an exponential's quantile, −ln(1 − q)/λ, to 0.01 %,
// from a guess far below it, far above it, or none, and never returns a
// point the CDF has not reached.
func TestSolveFindsAClosedFormQuantile(t *testing.T) {
	for _, lam := range []float64{1e-4, 0.02, 3} {
		cdf := func(x float64) float64 { return -math.Expm1(-lam * x) }
		for _, q := range []float64{0.5, 0.99, 1 - 1e-7} {
			want := -math.Log1p(-q) / lam
			for _, guess := range []float64{0, 1e-6 * want, want, 1e4 * want} {
				got := solveFrom(cdf, q, guess)
				if cdf(got) < q || got > want*(1+1e-4) {
					t.Errorf("λ %v, q %v, guess %v: %v, want %v (CDF there %v)", lam, q, guess, got, want, cdf(got))
				}
			}
		}
	}
}
