package estimate

import (
	"testing"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/gpus"
	"github.com/scaleplan/scaleplan/planner/prices"
)

// The seed's Phase 2 ranked over the built-in book: 17 candidates, each
// estimated, sized and priced three times (estimate, P10, P90).
func BenchmarkCheapestSeedPhase(b *testing.B) {
	p, err := planner.Load("../../testdata/seed-roadmap.json")
	if err != nil {
		b.Fatal(err)
	}
	var cat prices.Catalog
	for b.Loop() {
		if _, err := Cheapest(p, cat, []int{2}, Options{In: 1470, Out: 1}); err != nil {
			b.Fatal(err)
		}
	}
}

// One estimate read from the seed: the roofline and the memory rule's
// calls held (a phase computed on the GPU).
func BenchmarkEstimateSeed(b *testing.B) {
	p, err := planner.Load("../../testdata/seed-roadmap.json")
	if err != nil {
		b.Fatal(err)
	}
	h100, _ := gpus.Lookup("H100 SXM")
	for b.Loop() {
		if _, err := FromPlan(&p, 2, "large", h100, 1, 1470, 1); err != nil {
			b.Fatal(err)
		}
	}
}
