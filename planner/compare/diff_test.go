package compare

import (
	"math/rand/v2"
	"testing"

	"github.com/scaleplan/scaleplan/internal/plantest"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/shopspring/decimal"
)

func diffOf(a, b planner.Plan) Diff {
	ra, rb := planner.Compute(a), planner.Compute(b)
	return Plans(a, &ra, b, &rb)
}

// Changing only the node price from 6.88 to 5.50 changes GPU cost by
// exactly −1.38 × node-hours in every phase and the total, leaves every
// other cost line's Δ at 0, and lists one changed input.
func TestDiffOfANodePriceChange(t *testing.T) {
	t.Parallel()
	a := plantest.Seed(t)
	b := a.Clone()
	b.Assumptions.NodeHourly = plantest.Dec("5.50")
	d := diffOf(a, b)
	if len(d.Inputs) != 1 || d.Inputs[0].Path != "assumptions.node_hourly" || d.Inputs[0].From != "6.88" || d.Inputs[0].To != "5.5" {
		t.Fatalf("changed inputs: %+v", d.Inputs)
	}
	ra := planner.Compute(a)
	check := func(where string, lines []Line, nodeHours int64) {
		t.Helper()
		for _, l := range lines {
			delta := l.Delta()
			switch {
			case l.Key == "gpu":
				want := plantest.Dec("-1.38").Mul(decimal.NewFromInt(nodeHours))
				if !delta.Valid || !delta.Val.Equal(want) {
					t.Errorf("%s gpu Δ = %v, want %s", where, delta, want)
				}
			case l.Money && l.Key != "total_cost" && l.Key != "cost_per_call" && l.Key != "margin":
				if !delta.Valid || !delta.Val.IsZero() {
					t.Errorf("%s %s Δ = %v, want 0", where, l.Key, delta)
				}
			case l.Key == "total_cost":
				want := plantest.Dec("-1.38").Mul(decimal.NewFromInt(nodeHours))
				if !delta.Valid || !delta.Val.Equal(want) {
					t.Errorf("%s total Δ = %v, want %s", where, delta, want)
				}
			}
		}
	}
	for i, ph := range d.Phases {
		check(ph.Name, ph.Lines, ra.Phases[i].NodeHours)
	}
	check("totals", d.Totals, ra.Totals.NodeHours)
}

// A plan against itself: every Δ zero, no input changed; and diff(A, B) is
// −diff(B, A), line by line, on random pairs.
func TestDiffIdentityAndAntisymmetry(t *testing.T) {
	t.Parallel()
	seed := plantest.Seed(t)
	self := diffOf(seed, seed)
	if self.ChangedLines() != 0 || len(self.Inputs) != 0 || len(self.Added)+len(self.Removed) != 0 {
		t.Errorf("a plan against itself: %d lines changed, inputs %v", self.ChangedLines(), self.Inputs)
	}
	for s := uint64(0); s < 40; s++ {
		a, b := editedSeed(t, rand.New(rand.NewPCG(s, 21))), editedSeed(t, rand.New(rand.NewPCG(s, 22)))
		if planner.Validate(a) != nil || planner.Validate(b) != nil {
			continue
		}
		ab, ba := diffOf(a, b), diffOf(b, a)
		for k := range ab.Totals {
			x, y := ab.Totals[k].Delta(), ba.Totals[k].Delta()
			if x.Valid != y.Valid || (x.Valid && !x.Val.Neg().Equal(y.Val)) {
				t.Fatalf("seed %d %s: Δ(A,B) %v, Δ(B,A) %v", s, ab.Totals[k].Key, x, y)
			}
		}
		if len(ab.Phases) != len(ba.Phases) || len(ab.Added) != len(ba.Removed) || len(ab.Inputs) != len(ba.Inputs) {
			t.Fatalf("seed %d: phases %d/%d, added %d removed %d, inputs %d/%d", s, len(ab.Phases), len(ba.Phases), len(ab.Added), len(ba.Removed), len(ab.Inputs), len(ba.Inputs))
		}
		for k, ph := range ab.Phases {
			for m := range ph.Lines {
				x, y := ph.Lines[m].Delta(), ba.Phases[k].Lines[m].Delta()
				if ba.Phases[k].Name != ph.Name {
					break // matched in another order: compared through the totals
				}
				if x.Valid != y.Valid || (x.Valid && !x.Val.Neg().Equal(y.Val)) {
					t.Fatalf("seed %d %s %s: Δ(A,B) %v, Δ(B,A) %v", s, ph.Name, ph.Lines[m].Key, x, y)
				}
			}
		}
	}
}

// Inputs are compared by value, phases matched by name: "6.880" is 6.88;
// a phase added and one removed are listed as such, not as changed inputs
// of the phases around them.
func TestDiffInputsByValueAndPhasesByName(t *testing.T) {
	t.Parallel()
	a := plantest.Seed(t)
	b := a.Clone()
	b.Assumptions.NodeHourly = plantest.Dec("6.880")
	if d := diffOf(a, b); len(d.Inputs) != 0 {
		t.Errorf("6.880 against 6.88: %v", d.Inputs)
	}
	// Drop Baseline, add a "Phase 3", and change Phase 2's calls: Phase 1
	// and Phase 2 are still matched though their indices moved.
	b = a.Clone()
	p3 := b.Phases[2]
	p3.Name = "Phase 3"
	b.Phases = append(b.Phases[1:], p3)
	b.Phases[1].CallsPerDay = 6_000_000
	d := diffOf(a, b)
	if len(d.Removed) != 1 || d.Removed[0] != "Baseline" || len(d.Added) != 1 || d.Added[0] != "Phase 3" {
		t.Fatalf("added %v, removed %v", d.Added, d.Removed)
	}
	if len(d.Phases) != 2 || d.Phases[0].Name != "Phase 1" || d.Phases[0].A != 1 || d.Phases[0].B != 0 {
		t.Fatalf("matched phases: %+v", d.Phases)
	}
	found := false
	for _, c := range d.Inputs {
		if c.Path == "phases[1].calls_per_day" && c.From == "5000000" && c.To == "6000000" {
			found = true
		}
		if c.Path == "phases[0].calls_per_day" {
			t.Errorf("Phase 1 moved, it did not change: %+v", c)
		}
	}
	if !found {
		t.Errorf("Phase 2's calls change is not listed: %+v", d.Inputs)
	}
}

func TestFailOnGrammar(t *testing.T) {
	t.Parallel()
	a := plantest.Seed(t)
	b := a.Clone()
	b.Assumptions.NodeHourly = plantest.Dec("8.256") // +20 %: GPU cost +20 % in every phase
	d := diffOf(a, b)
	for expr, want := range map[string]bool{
		"gpu>+19%": true, "gpu>+21%": false, "gpu<-1%": false,
		"total_cost>+0": true, "total_cost<+0": false,
		"nodes>100": false, "nodes<100": true,
		"storage>+0": false, "iops>-1": true,
	} {
		f, err := ParseFailOn(expr)
		if err != nil {
			t.Errorf("%s: %v", expr, err)
			continue
		}
		if got, _ := f.Holds(&d); got != want {
			t.Errorf("%s holds = %v, want %v", expr, got, want)
		}
	}
	for _, bad := range []string{"gpu", "gpu>", "gpu>x", "gpoo>+5%", ">5", "gpu>5%"} {
		if _, err := ParseFailOn(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// editedSeed is the seed plan with a few of its inputs set at random, as a
// person editing the grid would: prices, throughput, volumes, fleets and
// scaling, at the plan level or a phase's own.
func editedSeed(t *testing.T, rng *rand.Rand) planner.Plan {
	p := plantest.Seed(t)
	keys := []struct {
		key string
		max int64
	}{{"node_hourly", 20}, {"node_rps", 60}, {"target_utilization", 1}, {"calls_per_day", 9_000_000}, {"nodes", 40}, {"min_nodes", 6}, {"batch_cost_per_call", 1}}
	for n := rng.IntN(5); n >= 0; n-- {
		k := keys[rng.IntN(len(keys))]
		v := decimal.New(rng.Int64N(k.max*100)+1, -2)
		if k.key == "calls_per_day" || k.key == "nodes" || k.key == "min_nodes" {
			v = v.Round(0)
		}
		if q, err := planner.SetInput(p, rng.IntN(len(p.Phases)+1)-1, k.key, v.String()); err == nil {
			p = q
		}
	}
	return p
}
