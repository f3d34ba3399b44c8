package report

import (
	"fmt"
	"os"
	"testing"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/shopspring/decimal"
)

// A component's price in the tornado moves cost per call exactly as
// re-running the plan with that price does.
// Every stack of the cost chart has a colour of its own, and the stacks add
// up to each phase's total: each component while there are colours enough,
// then one stack for all of them.
func TestChartPartsHaveColoursAndAddUp(t *testing.T) {
	t.Parallel()
	p, err := planner.Parse([]byte(plantestText(t, "components-by-hand.json")))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 3, 6, 7} {
		q := p.Clone()
		q.Components = q.Components[:n]
		r := planner.Compute(q)
		parts := ChartParts(&r)
		shown := 0
		for i := range planner.CostLines {
			if planner.CostLines[i].ShownFor(&r) {
				shown++
			}
		}
		if shown != len(planner.CostLines)-3 { // the commitments' two lines and spot's wait for a plan that has them
			t.Errorf("%d cost lines shown in a plan without commitments", shown)
		}
		want := shown + n
		if n > len(componentColours) {
			want = shown + 1
		}
		if len(parts) != want {
			t.Errorf("%d components: %d stacks, want %d", n, len(parts), want)
		}
		seen := map[string]bool{}
		for _, part := range parts {
			var x uint32
			if _, err := fmt.Sscanf(part.Colour, "#%06x", &x); err != nil || len(part.Colour) != 7 {
				t.Errorf("%s: colour %q is not #rrggbb", part.Label, part.Colour)
			}
			if seen[part.Colour] {
				t.Errorf("%s shares its colour %s", part.Label, part.Colour)
			}
			seen[part.Colour] = true
		}
		for i := range r.Phases {
			s := decimal.Zero
			for _, part := range parts {
				s = s.Add(part.Of(&r.Phases[i]))
			}
			if !s.Equal(r.Phases[i].Cost.Total) {
				t.Errorf("%d components, phase %d: stacks add to %s, total %s", n, i, s, r.Phases[i].Cost.Total)
			}
		}
	}
}

// The committed plan's chart stacks include the commitments' lines, each
// its own colour, and still add up to each phase's total; its cost by FOCUS
// category is the same total, split Standard / Committed / Other.
func TestCommittedPlanChartStacks(t *testing.T) {
	t.Parallel()
	p, err := planner.Load("../testdata/commitments-roadmap.json")
	if err != nil {
		t.Fatal(err)
	}
	r := planner.Compute(p)
	parts := ChartParts(&r)
	if len(parts) != len(planner.CostLines)-1 { // every line but spot's
		t.Errorf("%d stacks, want every cost line's but spot's, %d", len(parts), len(planner.CostLines)-1)
	}
	for i := range r.Phases {
		s := decimal.RequireFromString("0")
		for _, part := range parts {
			s = s.Add(part.Of(&r.Phases[i]))
		}
		if !s.Equal(r.Phases[i].Cost.Total) {
			t.Errorf("phase %d: stacks add to %s, total %s", i, s, r.Phases[i].Cost.Total)
		}
	}
}

// plantestText is a testdata file's text.
func plantestText(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile("../testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// NiceStep cuts a scale into about five round steps: 1, 2 or 5 times a
// power of ten, the least one whose five steps reach the top.
func TestNiceStep(t *testing.T) {
	for _, c := range []struct{ top, want float64 }{
		{330_183.20, 100_000}, // 66,037 a step, rounded up to 1e5
		{125_000, 50_000},     // 25,000 → 50,000 (2.5 is not a step)
		{4.9, 1}, {10, 2}, {24, 5}, {0, 1}, {-3, 1},
	} {
		if got := NiceStep(c.top); got != c.want {
			t.Errorf("NiceStep(%v) = %v, want %v", c.top, got, c.want)
		}
	}
}
