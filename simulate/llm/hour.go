package llm

import (
	"math"
	"math/rand/v2"
	"sort"

	"gonum.org/v1/gonum/stat"
)

// Workload is an hour's calls: Poisson arrivals at Rate a second, Input
// prompt tokens each, and output tokens of mean OutputMean — every call
// exactly that (rounded), or, Geometric, drawn on 1, 2, … with that mean.
type Workload struct {
	Rate       float64
	Input      int
	OutputMean float64
	Geometric  bool
}

// Targets are the token objectives; 0 sets none.
type Targets struct{ TTFTms, TPOTms float64 }

// Stats are an hour's figures, in milliseconds, with 95 % half-widths of
// the p99s (batch means over 20 consecutive batches of calls).
type Stats struct {
	Calls                      int
	TTFTp50, TTFTp99, TTFTHalf float64
	TPOTp50, TPOTp99, TPOTHalf float64 // NaN when no call has more than one output token
	EndToEndP99                float64
	Goodput                    float64 // NaN with no target set
}

// batches is how many consecutive batches the half-widths are taken over;
// t975 is Student's t at 97.5 % with batches − 1 degrees of freedom.
const (
	batches = 20
	t975    = 2.093
)

// Hour simulates seconds of the workload on the replicas, after a warm-up
// of a tenth of that (at most a minute) whose calls are not counted.
func Hour(c Config, w Workload, t Targets, seconds float64, seed uint64) Stats {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	warm := math.Min(seconds/10, 60)
	var calls []Call
	for at := rng.ExpFloat64() / w.Rate; at < warm+seconds; at += rng.ExpFloat64() / w.Rate {
		calls = append(calls, Call{Arrival: at, Input: w.Input, Output: outputTokens(rng, w)})
	}
	served := Run(c, calls)
	var ttft, tpot, e2e []float64
	var ttftB, tpotB [batches][]float64
	met, counted := 0, 0
	for i := range served {
		s := &served[i]
		if s.Arrival < warm {
			continue
		}
		b := min(int((s.Arrival-warm)/seconds*batches), batches-1)
		x := s.TTFTms(&c)
		ttft, ttftB[b] = append(ttft, x), append(ttftB[b], x)
		e2e = append(e2e, s.EndToEndMs(&c))
		ok := t.TTFTms <= 0 || x <= t.TTFTms
		if y, has := s.TPOTms(); has {
			tpot, tpotB[b] = append(tpot, y), append(tpotB[b], y)
			ok = ok && (t.TPOTms <= 0 || y <= t.TPOTms)
		}
		counted++
		if ok {
			met++
		}
	}
	st := Stats{Calls: counted, Goodput: math.NaN(), TPOTp50: math.NaN(), TPOTp99: math.NaN(), TPOTHalf: math.NaN()}
	if counted == 0 {
		st.TTFTp50, st.TTFTp99, st.TTFTHalf, st.EndToEndP99 = math.NaN(), math.NaN(), math.NaN(), math.NaN()
		return st
	}
	st.TTFTp50, st.TTFTp99 = quantile(ttft, 0.5), quantile(ttft, 0.99)
	st.TTFTHalf = halfWidth(ttftB[:])
	st.EndToEndP99 = quantile(e2e, 0.99)
	if len(tpot) > 0 {
		st.TPOTp50, st.TPOTp99 = quantile(tpot, 0.5), quantile(tpot, 0.99)
		st.TPOTHalf = halfWidth(tpotB[:])
	}
	if t.TTFTms > 0 || t.TPOTms > 0 {
		st.Goodput = float64(met) / float64(counted)
	}
	return st
}

// outputTokens draws a call's output tokens.
func outputTokens(rng *rand.Rand, w Workload) int {
	if !w.Geometric || w.OutputMean <= 1 {
		return max(1, int(math.Round(w.OutputMean)))
	}
	// Geometric on 1, 2, …: P(k) = (1 − p)^(k−1)·p, mean 1/p.
	p := 1 / w.OutputMean
	return 1 + int(math.Floor(math.Log(1-rng.Float64())/math.Log(1-p)))
}

func quantile(x []float64, p float64) float64 {
	s := append([]float64(nil), x...)
	sort.Float64s(s)
	return stat.Quantile(p, stat.Empirical, s, nil)
}

// halfWidth is the 95 % half-width of the p99 from the batches' own p99s;
// NaN when a batch is empty.
func halfWidth(bs [][]float64) float64 {
	var q []float64
	for _, b := range bs {
		if len(b) == 0 {
			return math.NaN()
		}
		q = append(q, quantile(b, 0.99))
	}
	_, sd := stat.MeanStdDev(q, nil)
	return t975 * sd / math.Sqrt(float64(len(q)))
}
