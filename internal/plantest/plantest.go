// Package plantest holds the plans the tests of planner's rooms share: the
// example plans in testdata and long plans built from the seed. Tests
// only; nothing outside a _test.go file imports it.
package plantest

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/shopspring/decimal"
)

// Testdata is the path of a file in the repository's testdata folder,
// wherever the test that asks runs.
func Testdata(name string) string {
	_, here, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(here), "..", "..", "testdata", name)
}

// Text is a testdata file's text, or fails the test.
func Text(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(Testdata(name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Load loads an example plan from testdata or fails the test.
func Load(t testing.TB, name string) planner.Plan {
	t.Helper()
	p, err := planner.Load(Testdata(name))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return p
}

// Seed is testdata/seed-roadmap.json.
func Seed(t testing.TB) planner.Plan { t.Helper(); return Load(t, "seed-roadmap.json") }

// Uncertain is testdata/uncertain-roadmap.json, the plan with ranges.
func Uncertain(t testing.TB) planner.Plan { t.Helper(); return Load(t, "uncertain-roadmap.json") }

// Dec is a decimal from its text; the text is the test's own.
func Dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// ManyPhases repeats the seed's three phases to n phases of the given days
// each, keeping all three scaling modes in the mix (at 3 days a phase a
// 10,000-phase plan fits the century a plan may span).
func ManyPhases(t testing.TB, n int, days int64) planner.Plan {
	t.Helper()
	p := Seed(t)
	base := p.Phases
	p.Phases = make([]planner.Phase, n)
	p.Scenarios = nil // they name the seed's phases, renamed here
	for i := range p.Phases {
		p.Phases[i] = base[i%len(base)]
		p.Phases[i].Name = fmt.Sprintf("Phase %d", i+1)
		p.Phases[i].Days = days
	}
	if err := planner.Validate(p); err != nil {
		t.Fatal(err)
	}
	return p
}
