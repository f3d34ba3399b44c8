package planner_test

import (
	"fmt"
	"sort"
	"testing"

	"github.com/scaleplan/scaleplan/internal/plantest"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/compare"
	"github.com/shopspring/decimal"
)

func BenchmarkComputeSeed(b *testing.B) {
	p := plantest.Seed(b)
	b.ReportAllocs()
	for b.Loop() {
		planner.Compute(p)
	}
}

// The app's recompute after an edit: its document's Cache holds the
// latency figures of the phases the edit did not touch.
func BenchmarkCompute1000Phases(b *testing.B) {
	p := plantest.ManyPhases(b, 1000, 10)
	var cache planner.Cache
	b.ReportAllocs()
	for b.Loop() {
		cache.Compute(p)
	}
}

func BenchmarkParseSeed(b *testing.B) {
	data := planner.Marshal(plantest.Seed(b))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := planner.Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// The same with no figures kept, as on opening a plan or in the CLI.
func BenchmarkCompute1000PhasesCold(b *testing.B) {
	p := plantest.ManyPhases(b, 1000, 10)
	b.ReportAllocs()
	for b.Loop() {
		planner.Compute(p)
	}
}

// compute --json's path: every phase with its variants compared (the seed
// has three), in the plan's context.
func BenchmarkComputeJSON1000PhasesVariants(b *testing.B) {
	p := plantest.ManyPhases(b, 1000, 10)
	b.ReportAllocs()
	for b.Loop() {
		r := planner.Compute(p)
		for i := range r.Phases {
			compare.VariantsIn(p, &r, i)
		}
	}
}

// Every phase's tornado on a long plan (the CLI's `sensitivity` without
// --phase): linear in phases since each phase's edits apply to it alone.
func BenchmarkSensitivityEveryPhase300(b *testing.B) {
	p := plantest.ManyPhases(b, 300, 10)
	for b.Loop() {
		r := planner.Compute(p)
		for i := range p.Phases {
			compare.SensitivityIn(p, &r, i)
		}
	}
}

// withComponents gives p the seven components of the shipped components
// example (a stored one, a one-time one, one on the request path, …), all
// applying to every phase.
func withComponents(b *testing.B, p planner.Plan) planner.Plan {
	c, err := planner.Load("../testdata/components-roadmap.json")
	if err != nil {
		b.Fatal(err)
	}
	p.Components = c.Components
	for j := range p.Components {
		p.Components[j].Phases = nil
	}
	if err := planner.Validate(p); err != nil {
		b.Fatal(err)
	}
	return p
}

func BenchmarkComputeSeedComponents(b *testing.B) {
	p := withComponents(b, plantest.Seed(b))
	b.ReportAllocs()
	for b.Loop() {
		planner.Compute(p)
	}
}

func BenchmarkCompute1000PhasesComponents(b *testing.B) {
	p := withComponents(b, plantest.ManyPhases(b, 1000, 10))
	b.ReportAllocs()
	for b.Loop() {
		planner.Compute(p)
	}
}

func BenchmarkTimeline1000PhasesComponents(b *testing.B) {
	p := withComponents(b, plantest.ManyPhases(b, 1000, 10))
	r := planner.Compute(p)
	b.ReportAllocs()
	for b.Loop() {
		r.Timeline()
	}
}

// BenchmarkDiff1000Phases is `scaleplan diff` on two 1,000-phase plans,
// computing both: the target is 1 s (the issue allows 5).
func BenchmarkDiff1000Phases(b *testing.B) {
	pa := plantest.ManyPhases(b, 1000, 10)
	pb := pa.Clone()
	pb.Assumptions.NodeHourly = plantest.Dec("5.50")
	for i := range pb.Phases {
		if i%7 == 0 {
			pb.Phases[i].CallsPerDay += 100_000
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		ra, rb := planner.Compute(pa), planner.Compute(pb)
		compare.Plans(pa, &ra, pb, &rb)
	}
}

// Loading a plan whose ranges or scenario overrides are many: each is
// checked by its input's rule and the plan's cross-checks run once, so the
// time is linear (#17: 10,000 phases with 2,000 ranges, or one scenario of
// 1,000 overrides, in at most a second).
func BenchmarkParse10000PhasesRanges2000(b *testing.B) {
	p := plantest.ManyPhases(b, 10_000, 3)
	for i := 0; i < 2000; i++ {
		p.Ranges = append(p.Ranges, planner.InputRange{Path: fmt.Sprintf("phases[Phase %d].calls_per_day", 5*i+1), Range: planner.Range{Low: decimal.NewFromInt(400_000), High: decimal.NewFromInt(600_000)}})
	}
	sort.Slice(p.Ranges, func(i, j int) bool { return p.Ranges[i].Path < p.Ranges[j].Path })
	data := planner.Marshal(p)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := planner.Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParse10000PhasesScenario1000(b *testing.B) {
	p := plantest.ManyPhases(b, 10_000, 3)
	s := planner.Scenario{Name: "many"}
	for i := 0; i < 1000; i++ {
		s.Overrides = append(s.Overrides, planner.ScenarioOverride{Path: fmt.Sprintf("phases[Phase %d].calls_per_day", 10*i+1), Value: "700000"})
	}
	p.Scenarios = []planner.Scenario{s}
	data := planner.Marshal(p)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := planner.Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}
