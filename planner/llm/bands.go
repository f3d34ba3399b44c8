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
// a region: its points' least and greatest error (bands_table.go, which
// scripts/llm-bands.py writes from docs/llm-validation-grid.txt).
type band struct {
	dist, batch, replicas, load string
	points                      int
	ttft, tpot                  [2]float64
}

// Validated is the band measured in the region an hour lies in: the
// output spread, B, the replicas serving and the load's share of capacity.
func Validated(s *Serving, rate float64, nodes int64) Band {
	reps := nodes * int64(max(s.PerNode, 1))
	load := rate / (s.Capacity() * float64(reps))
	switch {
	case s.MaxBatch > 256 || s.Output < 16 || s.Output > 2000 || s.Input < 100 || s.Input > 8000 || reps > 100 || load > 0.95+1e-9:
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
