package report

import (
	"testing"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/prices"
	"github.com/shopspring/decimal"
)

// A measured input says its tool and the run's date in a cell's width, and
// how many files more.
func TestMeasurementShort(t *testing.T) {
	t.Parallel()
	one := planner.Measurement{Files: []planner.MeasuredFile{{Tool: "AIPerf", RunDate: "2025-10-17"}}}
	for _, c := range []struct {
		m    planner.Measurement
		want string
	}{
		{one, "AIPerf · run 2025-10-17"},
		{planner.Measurement{Files: []planner.MeasuredFile{{Tool: "GuideLLM"}, {Tool: "GuideLLM"}}}, "GuideLLM · measured +1"},
		{planner.Measurement{}, "measured"},
	} {
		if got := MeasurementShort(c.m); got != c.want {
			t.Errorf("%+v: %q, want %q", c.m, got, c.want)
		}
	}
}

// The break-even day, and a plan that was even, lost it and came back.
func TestBreakEvenDay(t *testing.T) {
	t.Parallel()
	d := planner.NewDate(2027, 6, 10)
	for _, c := range []struct {
		b    planner.BreakEven
		want string
	}{
		{planner.BreakEven{}, "never within the plan"},
		{planner.BreakEven{Day: planner.Some[int64](161), Date: planner.Some(d)}, "day 161 (2027-06-10)"},
		{planner.BreakEven{Day: planner.Some[int64](161), Date: planner.Some(d), FirstEven: planner.Some[int64](1), Lost: planner.Some[int64](91)},
			"first even on day 1, lost on day 91, even for good from day 161 (2027-06-10)"},
	} {
		if got := BreakEvenDay(c.b); got != c.want {
			t.Errorf("%+v: %q, want %q", c.b, got, c.want)
		}
	}
}

// A price the book moved, and one it no longer gives, said old → new.
func TestPriceChangeWords(t *testing.T) {
	t.Parallel()
	ref := planner.PriceRef{Path: "assumptions.node_hourly", Book: "builtin", Instance: "p5.4xlarge", Region: "us-east-1", Option: "on_demand",
		Hourly: decimal.RequireFromString("6.88"), AsOf: planner.NewDate(2026, 9, 29)}
	moved := prices.PriceChange{Ref: ref, New: planner.Quote{Hourly: decimal.RequireFromString("6.5"), AsOf: planner.NewDate(2026, 12, 1)}}
	if got, want := PriceChangeWords(&moved, "USD"), "assumptions.node_hourly, p5.4xlarge on_demand (builtin book, us-east-1): $6.88 (2026-09-29) → $6.50 (2026-12-01)"; got != want {
		t.Errorf("moved: %q\nwant   %q", got, want)
	}
	lost := prices.PriceChange{Ref: ref, Error: "the builtin book has no p5.4xlarge in us-east-1"}
	if got, want := PriceChangeWords(&lost, "USD"), "assumptions.node_hourly, p5.4xlarge on_demand (builtin book, us-east-1): the plan uses $6.88 (2026-09-29), but the builtin book has no p5.4xlarge in us-east-1"; got != want {
		t.Errorf("lost: %q\nwant  %q", got, want)
	}
}
