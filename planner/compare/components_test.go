package compare

import (
	"fmt"
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/internal/plantest"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/shopspring/decimal"
)

func TestComponentSensitivityByRerunning(t *testing.T) {
	t.Parallel()
	p, err := planner.Parse([]byte(plantest.Text(t, "components-by-hand.json")))
	if err != nil {
		t.Fatal(err)
	}
	_, ranking := SensitivityOf(p, 1)
	seen := 0
	for _, s := range ranking {
		var j int
		if _, err := fmt.Sscanf(s.Key, "components[%d].price", &j); err != nil {
			continue
		}
		seen++
		for _, tried := range []struct {
			price decimal.Decimal
			want  planner.Opt[decimal.Decimal]
		}{{s.Low, s.CostPerCallLow}, {s.High, s.CostPerCallHigh}} {
			q := p.Clone()
			q.Components[j].Price = tried.price
			got := planner.Compute(q).Phases[1].CostPerCall.Val
			if got.Sub(tried.want.Val).Abs().GreaterThan(decimal.New(1, -15)) {
				t.Errorf("%s at %s: tornado says %s a call, re-running %s", s.Label, tried.price, tried.want.Val, got)
			}
		}
	}
	// In P2, every component but G export (P1 only) costs something.
	if seen != 6 {
		t.Errorf("%d components in P2's tornado, want 6", seen)
	}
}

func TestScalingAlternativesByRerunning(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"../../testdata/seed-roadmap.json", "../../testdata/components-roadmap.json", "../../testdata/every-input-set.json"} {
		p, err := planner.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		r := planner.Compute(p)
		for i := range p.Phases {
			for sc, got := range ScalingAlternatives(&r, p, i) {
				q := p.Clone()
				q.Phases[i].Scaling = sc
				want := planner.Compute(q).Phases[i]
				if !got.Cost.Total.Equal(want.Cost.Total) || got.NodeHours != want.NodeHours || !got.OverflowCalls.Equal(want.OverflowCalls) {
					t.Errorf("%s phase %d %s: what-if %s / %d node-hours / %s overflow, re-run %s / %d / %s", path, i, sc,
						got.Cost.Total, got.NodeHours, got.OverflowCalls, want.Cost.Total, want.NodeHours, want.OverflowCalls)
				}
			}
		}
	}
}

func TestSeedScenarios(t *testing.T) {
	t.Parallel()
	p := plantest.Seed(t)
	base := planner.Compute(p)
	old, err := p.Scenario("Before the mid-2025 price cut")
	if err != nil {
		t.Fatal(err)
	}
	ro := planner.Compute(old)
	for i, ph := range ro.Phases {
		want := decimal.NewFromInt(base.Phases[i].NodeHours).Mul(plantest.Dec("12.29"))
		if !ph.Cost.Of(planner.CostGPU).Equal(want) {
			t.Errorf("%s GPU at the old price = %s, want %s", ph.Name, ph.Cost.Of(planner.CostGPU), want)
		}
	}
	// 19,170 node-hours × (12.29 − 6.88) = 103,709.70 more in total.
	if d := ro.Totals.Cost.Total.Sub(base.Totals.Cost.Total); !d.Equal(plantest.Dec("103709.7")) {
		t.Errorf("the old price adds %s, want 103,709.70", d)
	}
	hot, err := p.Scenario("Traffic 30 % higher")
	if err != nil {
		t.Fatal(err)
	}
	for i := range hot.Phases {
		if got, want := hot.Phases[i].CallsPerDay, p.Phases[i].CallsPerDay*13/10; got != want {
			t.Errorf("phase %d: %d calls a day, want %d", i, got, want)
		}
	}
	small, err := p.Scenario("Distilled everywhere")
	if err != nil {
		t.Fatal(err)
	}
	for _, ph := range planner.Compute(small).Phases {
		if ph.VariantName != "distilled" || !ph.Inputs.NodeHourly.Equal(plantest.Dec("1.861")) {
			t.Errorf("%s runs %q at %s", ph.Name, ph.VariantName, ph.Inputs.NodeHourly)
		}
	}
	if _, err := p.Scenario("Nope"); err == nil || !strings.Contains(err.Error(), `"Distilled everywhere"`) {
		t.Errorf("an unknown scenario: %v", err)
	}
	// A scenario applied is the plan with its overrides, nothing else.
	ra := planner.Compute(old)
	d := Plans(p, &base, old, &ra)
	if len(d.Inputs) != 1 || d.Inputs[0].Path != "assumptions.node_hourly" {
		t.Errorf("the scenario changes %+v", d.Inputs)
	}
}
