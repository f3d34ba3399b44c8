package llm

import (
	"fmt"
	"math"
	"os"
	"sync"
	"testing"

	model "github.com/scaleplan/scaleplan/planner/llm"
)

// TestValidationGrid serves a grid of configurations step by step and
// prints the model's TTFT and TPOT p99 against the simulator's, one line a
// point (make validate-latency runs it; docs/model.md, "LLM serving",
// holds its table). It is not part of make test: it takes minutes.
func TestValidationGrid(t *testing.T) {
	if os.Getenv("SCALEPLAN_TOKEN_GRID") == "" {
		t.Skip("SCALEPLAN_TOKEN_GRID=1 runs the token validation grid (make validate-latency)")
	}
	type point struct {
		B, reps   int
		in        int
		out, load float64
		geo       bool
	}
	var pts []point
	for _, B := range []int{1, 16, 256} {
		for _, out := range []float64{16, 300, 2000} {
			for _, in := range []int{100, 2000, 8000} {
				for _, geo := range []bool{false, true} {
					for _, reps := range []int{1, 2, 4, 16, 100} {
						for _, load := range []float64{0.1, 0.5, 0.8, 0.95} {
							pts = append(pts, point{B, reps, in, out, load, geo})
						}
					}
				}
			}
		}
	}
	fmt.Println("# B replicas in out geometric load  model_ttft sim_ttft half  model_tpot sim_tpot half calls")
	var wg sync.WaitGroup
	var mu sync.Mutex
	next := make(chan int)
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				p := pts[i]
				c := Config{Replicas: p.reps, MaxBatch: p.B, StepBaseMs: 8, StepPerSeqMs: 0.05, PrefillTokensPerS: 15_000}
				r := model.Replica{MaxBatch: p.B, StepBaseMs: c.StepBaseMs, StepPerSeqMs: c.StepPerSeqMs, PrefillTokensPerS: c.PrefillTokensPerS,
					Input: float64(p.in), Output: p.out, Geometric: p.geo}
				rate := p.load * r.Capacity() * float64(p.reps)
				l, _ := r.At(rate, p.reps)
				f := l.Figures()
				steps := 1000 / r.StepMs(float64(p.B)) * float64(p.reps) // steps a second, at most
				secs := math.Min(math.Min(20000/rate, 3_000_000/steps), 7200)
				s := Hour(c, Workload{Rate: rate, Input: p.in, OutputMean: p.out, Geometric: p.geo}, Targets{}, secs, 1)
				line := fmt.Sprintf("%d %d %d %.0f %v %.2f  %.3f %.3f %.3f  %.4f %.4f %.4f %d",
					p.B, p.reps, p.in, p.out, p.geo, p.load, f.TTFTp99, s.TTFTp99, s.TTFTHalf, f.TPOTp99, s.TPOTp99, s.TPOTHalf, s.Calls)
				mu.Lock()
				fmt.Println(line)
				mu.Unlock()
			}
		}()
	}
	for i := range pts {
		next <- i
	}
	close(next)
	wg.Wait()
}
