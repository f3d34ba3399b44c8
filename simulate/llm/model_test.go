package llm

import (
	"fmt"
	"math"
	"testing"

	model "github.com/scaleplan/scaleplan/planner/llm"
)

// explore prints the model against the simulator over a small grid (run
// with -run Explore -v); not a check.
func TestExploreModelAgainstSimulator(t *testing.T) {
	if testing.Short() || !testing.Verbose() {
		t.Skip("exploration: -v to print")
	}
	for _, B := range []int{8, 64} {
		for _, out := range []float64{50, 300} {
			for _, in := range []int{500, 2000} {
				for _, load := range []float64{0.3, 0.7, 0.9} {
					for _, reps := range []int{1, 4} {
						c := Config{Replicas: reps, MaxBatch: B, StepBaseMs: 10, StepPerSeqMs: 0.15, PrefillTokensPerS: 20_000}
						r := model.Replica{MaxBatch: B, StepBaseMs: c.StepBaseMs, StepPerSeqMs: c.StepPerSeqMs, PrefillTokensPerS: c.PrefillTokensPerS, Input: float64(in), Output: out}
						rate := load * r.Capacity() * float64(reps)
						l, ok := r.At(rate, reps)
						f := l.Figures()
						secs := math.Min(3600, 40000/rate)
						s := Hour(c, Workload{Rate: rate, Input: in, OutputMean: out}, Targets{}, secs, 1)
						fmt.Printf("B %3d out %3.0f in %4d load %.1f R %d: TTFT p99 model %8.1f sim %8.1f (%+5.1f%%)  TPOT p99 model %6.2f sim %6.2f (%+5.1f%%) ok %v\n",
							B, out, in, load, reps, f.TTFTp99, s.TTFTp99, 100*(f.TTFTp99/s.TTFTp99-1), f.TPOTp99, s.TPOTp99, 100*(f.TPOTp99/s.TPOTp99-1), ok)
					}
				}
			}
		}
	}
}
