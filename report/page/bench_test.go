package page

import (
	"bytes"
	"testing"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/prices"
)

// The seed plan's page (no ranges: no draws), from a computed result.
func BenchmarkSeedPage(b *testing.B) {
	p, err := planner.LoadIn("../../testdata/seed-roadmap.json", prices.Builtin())
	if err != nil {
		b.Fatal(err)
	}
	r := planner.Compute(p)
	for b.Loop() {
		var buf bytes.Buffer
		if err := Write(&buf, p, &r, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
