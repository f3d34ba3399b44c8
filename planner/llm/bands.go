package llm

import "fmt"

// Band is what the validation grid measured in a region (docs/model.md,
// "LLM serving"): the model's relative error against simulate/llm, low
// to high, on TTFT p99 and TPOT p99. Measured is false beyond the grid,
// where no band is claimed.
type Band struct {
	Region     string
	Measured   bool
	Points     int
	TTFT, TPOT [2]float64
}

// Within10 says whether both errors were measured within ±10 %.
func (b Band) Within10() bool {
	return b.Measured && b.TTFT[0] >= -0.1 && b.TTFT[1] <= 0.1 && b.TPOT[0] >= -0.1 && b.TPOT[1] <= 0.1
}

// The grid (simulate/llm's TestValidationGrid, SCALEPLAN_TOKEN_GRID=1):
// B 1, 16, 256; output tokens 16, 300, 2,000, fixed and geometric; input
// 100, 2,000, 8,000; replicas 1, 2, 4, 16, 100; load 0.1, 0.5, 0.8, 0.95
// of capacity; a = 8 ms, b = 0.05 ms, prefill 15,000 tokens/s. Each row is
// a region: its points' least and greatest error.
var bands = []struct {
	dist, batch, replicas, load string
	points                      int
	ttft, tpot                  [2]float64
}{
	{"fixed", "B=1", "R=1", "ρ<0.5", 9, [2]float64{0.18, 0.77}, [2]float64{0.00, 0.00}},
	{"fixed", "B=1", "R=1", "ρ<0.9", 18, [2]float64{-0.05, 0.85}, [2]float64{0.00, 0.00}},
	{"fixed", "B=1", "R=1", "ρ≤0.95", 9, [2]float64{-0.30, 2.95}, [2]float64{0.00, 0.00}},
	{"fixed", "B=1", "R≤100", "ρ<0.5", 27, [2]float64{0.00, 0.00}, [2]float64{0.00, 0.00}},
	{"fixed", "B=1", "R≤100", "ρ<0.9", 54, [2]float64{-1.00, 371.09}, [2]float64{0.00, 0.00}},
	{"fixed", "B=1", "R≤100", "ρ≤0.95", 27, [2]float64{-0.25, 1.16}, [2]float64{0.00, 0.00}},
	{"fixed", "B=1", "R≤3", "ρ<0.5", 9, [2]float64{-0.09, 331.86}, [2]float64{0.00, 0.00}},
	{"fixed", "B=1", "R≤3", "ρ<0.9", 18, [2]float64{0.04, 0.43}, [2]float64{0.00, 0.00}},
	{"fixed", "B=1", "R≤3", "ρ≤0.95", 9, [2]float64{-0.29, 1.68}, [2]float64{0.00, 0.00}},
	{"fixed", "B≤256", "R=1", "ρ<0.5", 9, [2]float64{-0.48, -0.00}, [2]float64{-0.11, 0.01}},
	{"fixed", "B≤256", "R=1", "ρ<0.9", 18, [2]float64{-0.16, -0.01}, [2]float64{-0.63, 0.01}},
	{"fixed", "B≤256", "R=1", "ρ≤0.95", 9, [2]float64{-0.70, 0.29}, [2]float64{-0.48, 0.00}},
	{"fixed", "B≤256", "R≤100", "ρ<0.5", 27, [2]float64{-0.01, 0.18}, [2]float64{-0.18, 0.00}},
	{"fixed", "B≤256", "R≤100", "ρ<0.9", 54, [2]float64{-0.83, 6.60}, [2]float64{-0.64, 0.13}},
	{"fixed", "B≤256", "R≤100", "ρ≤0.95", 27, [2]float64{-0.94, 7.19}, [2]float64{-0.78, 0.36}},
	{"fixed", "B≤256", "R≤3", "ρ<0.5", 9, [2]float64{-0.28, 0.15}, [2]float64{-0.05, 0.01}},
	{"fixed", "B≤256", "R≤3", "ρ<0.9", 18, [2]float64{-0.41, 0.63}, [2]float64{-0.65, 0.00}},
	{"fixed", "B≤256", "R≤3", "ρ≤0.95", 9, [2]float64{-0.83, 0.45}, [2]float64{-0.73, 0.00}},
	{"fixed", "B≤32", "R=1", "ρ<0.5", 9, [2]float64{-0.49, 0.15}, [2]float64{-0.06, 0.01}},
	{"fixed", "B≤32", "R=1", "ρ<0.9", 18, [2]float64{-0.92, 0.18}, [2]float64{-0.23, 0.02}},
	{"fixed", "B≤32", "R=1", "ρ≤0.95", 9, [2]float64{-0.37, 0.12}, [2]float64{-0.06, 0.00}},
	{"fixed", "B≤32", "R≤100", "ρ<0.5", 27, [2]float64{-0.00, 0.50}, [2]float64{-0.06, 0.00}},
	{"fixed", "B≤32", "R≤100", "ρ<0.9", 54, [2]float64{-0.50, 5.94}, [2]float64{-0.60, 0.00}},
	{"fixed", "B≤32", "R≤100", "ρ≤0.95", 27, [2]float64{-0.57, 6.78}, [2]float64{-0.40, 0.00}},
	{"fixed", "B≤32", "R≤3", "ρ<0.5", 9, [2]float64{-0.27, 0.46}, [2]float64{-0.05, 0.00}},
	{"fixed", "B≤32", "R≤3", "ρ<0.9", 18, [2]float64{-0.32, 0.81}, [2]float64{-0.29, 0.01}},
	{"fixed", "B≤32", "R≤3", "ρ≤0.95", 9, [2]float64{-0.32, 0.41}, [2]float64{-0.06, 0.00}},
	{"geometric", "B=1", "R=1", "ρ<0.5", 9, [2]float64{-0.14, 0.57}, [2]float64{0.00, 0.00}},
	{"geometric", "B=1", "R=1", "ρ<0.9", 18, [2]float64{0.05, 1.25}, [2]float64{0.00, 0.00}},
	{"geometric", "B=1", "R=1", "ρ≤0.95", 9, [2]float64{0.62, 6.03}, [2]float64{0.00, 0.00}},
	{"geometric", "B=1", "R≤100", "ρ<0.5", 27, [2]float64{0.00, 0.00}, [2]float64{0.00, 0.00}},
	{"geometric", "B=1", "R≤100", "ρ<0.9", 54, [2]float64{-0.07, 741.69}, [2]float64{0.00, 0.00}},
	{"geometric", "B=1", "R≤100", "ρ≤0.95", 27, [2]float64{0.19, 1.31}, [2]float64{0.00, 0.00}},
	{"geometric", "B=1", "R≤3", "ρ<0.5", 9, [2]float64{-0.74, 0.23}, [2]float64{0.00, 0.00}},
	{"geometric", "B=1", "R≤3", "ρ<0.9", 18, [2]float64{-0.02, 1.08}, [2]float64{0.00, 0.00}},
	{"geometric", "B=1", "R≤3", "ρ≤0.95", 9, [2]float64{0.54, 1.30}, [2]float64{0.00, 0.00}},
	{"geometric", "B≤256", "R=1", "ρ<0.5", 9, [2]float64{-0.38, -0.00}, [2]float64{-0.73, 0.01}},
	{"geometric", "B≤256", "R=1", "ρ<0.9", 18, [2]float64{-0.13, 0.10}, [2]float64{-0.90, 0.04}},
	{"geometric", "B≤256", "R=1", "ρ≤0.95", 9, [2]float64{-0.25, 3.45}, [2]float64{-0.89, 0.00}},
	{"geometric", "B≤256", "R≤100", "ρ<0.5", 27, [2]float64{-0.01, 0.21}, [2]float64{-0.25, 0.00}},
	{"geometric", "B≤256", "R≤100", "ρ<0.9", 54, [2]float64{0.00, 6.63}, [2]float64{-0.86, 0.24}},
	{"geometric", "B≤256", "R≤100", "ρ≤0.95", 27, [2]float64{0.06, 13.15}, [2]float64{-0.87, 0.46}},
	{"geometric", "B≤256", "R≤3", "ρ<0.5", 9, [2]float64{-0.28, 0.14}, [2]float64{-0.39, 0.01}},
	{"geometric", "B≤256", "R≤3", "ρ<0.9", 18, [2]float64{0.02, 0.75}, [2]float64{-0.87, 0.04}},
	{"geometric", "B≤256", "R≤3", "ρ≤0.95", 9, [2]float64{0.11, 48.93}, [2]float64{-0.89, 0.03}},
	{"geometric", "B≤32", "R=1", "ρ<0.5", 9, [2]float64{-0.46, -0.00}, [2]float64{-0.73, 0.00}},
	{"geometric", "B≤32", "R=1", "ρ<0.9", 18, [2]float64{-0.13, 0.99}, [2]float64{-0.87, 0.01}},
	{"geometric", "B≤32", "R=1", "ρ≤0.95", 9, [2]float64{0.62, 2.14}, [2]float64{-0.74, -0.01}},
	{"geometric", "B≤32", "R≤100", "ρ<0.5", 27, [2]float64{0.00, 0.50}, [2]float64{-0.10, 0.01}},
	{"geometric", "B≤32", "R≤100", "ρ<0.9", 54, [2]float64{-0.01, 5.99}, [2]float64{-0.86, 0.00}},
	{"geometric", "B≤32", "R≤100", "ρ≤0.95", 27, [2]float64{0.22, 30.65}, [2]float64{-0.74, -0.00}},
	{"geometric", "B≤32", "R≤3", "ρ<0.5", 9, [2]float64{-0.28, 0.13}, [2]float64{-0.34, -0.00}},
	{"geometric", "B≤32", "R≤3", "ρ<0.9", 18, [2]float64{-0.00, 0.95}, [2]float64{-0.84, 0.00}},
	{"geometric", "B≤32", "R≤3", "ρ≤0.95", 9, [2]float64{0.71, 1.41}, [2]float64{-0.72, -0.01}}}

// Validated is the band measured in the region an hour lies in: the
// output spread, B, the replicas serving and the load's share of capacity.
func Validated(s *Serving, rate float64, nodes int64) Band {
	reps := nodes * int64(max(s.PerNode, 1))
	load := rate / (s.Capacity() * float64(reps))
	switch {
	case s.MaxBatch > 256 || s.Output < 16 || s.Output > 2000 || s.Input < 100 || s.Input > 8000 || reps > 100 || load > 0.95:
		return Band{Region: "beyond the validated grid"}
	}
	dist := "fixed"
	if s.Geometric {
		dist = "geometric"
	}
	batch := "B≤256"
	switch {
	case s.MaxBatch == 1:
		batch = "B=1"
	case s.MaxBatch <= 32:
		batch = "B≤32"
	}
	r := "R≤100"
	switch {
	case reps == 1:
		r = "R=1"
	case reps <= 3:
		r = "R≤3"
	}
	l := "ρ≤0.95"
	switch {
	case load < 0.5:
		l = "ρ<0.5"
	case load < 0.9:
		l = "ρ<0.9"
	}
	for _, b := range bands {
		if b.dist == dist && b.batch == batch && b.replicas == r && b.load == l {
			return Band{Region: fmt.Sprintf("%s, %s, %s, %s", dist, batch, r, l), Measured: true, Points: b.points, TTFT: b.ttft, TPOT: b.tpot}
		}
	}
	return Band{Region: "beyond the validated grid"}
}
