package planner

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

func TestRangeMedians(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		r     Range
		whole bool
		want  string
	}{
		{newRange(dec("5.5"), dec("8.5"), Normal, Opt[decimal.Decimal]{}, ""), false, "7"},
		{newRange(dec("-2"), dec("3"), "", Opt[decimal.Decimal]{}, ""), false, "0.5"}, // normal by default through 0
		{newRange(dec("1"), dec("4"), Uniform, Opt[decimal.Decimal]{}, ""), false, "2.5"},
		{newRange(dec("1"), dec("4"), Triangular, Some(dec("3.5")), ""), false, "3.5"},
		{newRange(dec("400000"), dec("650000"), "", Opt[decimal.Decimal]{}, ""), true, "509902"}, // √2.6e11 = 509,901.95
		{newRange(dec("1"), dec("2"), Uniform, Opt[decimal.Decimal]{}, ""), true, "2"},           // 1.5 half away from zero
		{newRange(dec("-2"), dec("-1"), Uniform, Opt[decimal.Decimal]{}, ""), true, "-2"},        // −1.5 half away from zero
	} {
		if got := c.r.Median(c.whole); !got.Equal(dec(c.want)) {
			t.Errorf("median of %s (%s, whole %v) = %s, want %s", c.r.Words(), c.r.Kind(), c.whole, got, c.want)
		}
	}
}

func loadUncertain(t testing.TB) Plan {
	t.Helper()
	p, err := Load("../testdata/uncertain-roadmap.json")
	if err != nil {
		t.Fatalf("uncertain plan: %v", err)
	}
	return p
}

func TestRangesLoadAsMediansAndSaveAsWritten(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../testdata/uncertain-roadmap.json")
	if err != nil {
		t.Fatal(err)
	}
	p := loadUncertain(t)
	if len(p.Ranges) != 5 {
		t.Fatalf("ranges = %d, want 5 (price, throughput, three phases' calls)", len(p.Ranges))
	}
	// Node price 5.5 to 8.5: √46.75 = 6.837397165588…
	assertDec(t, "node price median", p.Assumptions.NodeHourly, 12, "6.837397165589")
	// Baseline calls 400,000 to 650,000: √(2.6·10¹¹) = 509,901.95, a whole number.
	if p.Phases[0].CallsPerDay != 509902 {
		t.Errorf("Baseline calls/day = %d, want 509,902", p.Phases[0].CallsPerDay)
	}
	r, ok := p.RangeAt("phases[Phase 2].calls_per_day")
	if !ok || r.Group != "demand" || !r.Low.Equal(dec("4000000")) {
		t.Errorf("Phase 2's range = %+v, %v", r, ok)
	}
	if got := Marshal(p); !bytes.Equal(got, data) {
		t.Errorf("saving the plan changed it:\n%s", got)
	}
	if FormatOf(p) != 2 {
		t.Errorf("a plan with ranges is format %d, want 2", FormatOf(p))
	}
	// Renaming a phase carries its range.
	q, err := SetInput(p, 0, KeyName, "Launch")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := q.RangeAt("phases[Launch].calls_per_day"); !ok {
		t.Error("the range did not follow the phase's rename")
	}
	if _, ok := q.RangeAt("phases[Baseline].calls_per_day"); ok {
		t.Error("the old name still holds a range")
	}
	// Deleting it drops it.
	q, err = DeletePhase(q, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range q.Ranges {
		if strings.Contains(r.Path, "Launch") {
			t.Errorf("a deleted phase's range stayed: %s", r.Path)
		}
	}
}

func TestBadRangesAreNamedByPath(t *testing.T) {
	t.Parallel()
	seed, err := os.ReadFile("../testdata/seed-roadmap.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ from, to, path, says string }{
		{`"node_hourly": 6.88`, `"node_hourly": {"low": 9, "high": 5}`, "assumptions.node_hourly", "low 9 is above high 5"},
		{`"node_hourly": 6.88`, `"node_hourly": {"low": 0, "high": 5, "dist": "lognormal"}`, "assumptions.node_hourly", "lognormal range needs low > 0"},
		{`"node_hourly": 6.88`, `"node_hourly": {"low": 1, "high": 5, "dist": "triangular", "mode": 7}`, "assumptions.node_hourly", "mode 7 is outside 1 to 5"},
		{`"node_hourly": 6.88`, `"node_hourly": {"low": 1, "high": 5, "dist": "triangular"}`, "assumptions.node_hourly", "needs a \"mode\""},
		{`"node_hourly": 6.88`, `"node_hourly": {"low": 1, "high": 5, "dist": "beta"}`, "assumptions.node_hourly.dist", `must be one of "lognormal"`},
		{`"node_hourly": 6.88`, `"node_hourly": {"low": 1}`, "assumptions.node_hourly.high", "missing"},
		{`"node_hourly": 6.88`, `"node_hourly": {"low": -1, "high": 5, "dist": "normal"}`, "assumptions.node_hourly.low", "must be a number ≥ 0"},
		{`"target_utilization": 0.7`, `"target_utilization": {"low": 0.5, "high": 1.2}`, "assumptions.target_utilization.high", "≤ 1"},
		{`"node_type": "p5.4xlarge (1x H100 80GB)"`, `"node_type": {"low": 1, "high": 2}`, "assumptions.node_type", "cannot be a range"},
		{`"days": 90,`, `"days": {"low": 80, "high": 100},`, "phases[0].days", "cannot be a range"},
	} {
		text := strings.Replace(string(seed), c.from, c.to, 1)
		if text == string(seed) {
			t.Fatalf("%q is not in the seed", c.from)
		}
		_, err := Parse([]byte(text))
		if err == nil {
			t.Errorf("%s: accepted", c.to)
			continue
		}
		if !strings.Contains(err.Error(), c.path+": ") || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: error %q does not name %s with %q", c.to, err, c.path, c.says)
		}
		if strings.Count(err.Error(), c.path) > 1 {
			t.Errorf("%s: reported twice: %q", c.to, err)
		}
	}
}

func TestRangesTypedInTheGrid(t *testing.T) {
	t.Parallel()
	p := loadSeed(t)
	q, err := SetInputText(p, PlanDefault, "node_hourly", "$5.50 to $8.50")
	if err != nil {
		t.Fatal(err)
	}
	r, ok := q.RangeAt("assumptions.node_hourly")
	if !ok || !r.Low.Equal(dec("5.5")) || !r.High.Equal(dec("8.5")) {
		t.Fatalf("range = %+v, %v", r, ok)
	}
	assertDec(t, "node price", q.Assumptions.NodeHourly, 12, "6.837397165589")
	if r.Words() != "5.5–8.5" {
		t.Errorf("shown as %q, want 5.5–8.5", r.Words())
	}
	for _, text := range []string{"2M..3M", "2M – 3M", "2,000,000 to 3,000,000"} {
		q2, err := SetInputText(q, 1, KeyCallsPerDay, text)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		if r, ok := q2.RangeAt("phases[Phase 1].calls_per_day"); !ok || !r.High.Equal(dec("3000000")) {
			t.Errorf("%q gave %+v", text, r)
		}
		if q2.Phases[1].CallsPerDay != 2449490 { // √(6·10¹²) = 2,449,489.74
			t.Errorf("%q: calls/day = %d, want 2,449,490", text, q2.Phases[1].CallsPerDay)
		}
	}
	// A share typed as percentages.
	q3, err := SetInputText(q, PlanDefault, "target_utilization", "60% to 80%")
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := q3.RangeAt("assumptions.target_utilization"); !r.High.Equal(dec("0.8")) {
		t.Errorf("60%% to 80%% gave %+v", r)
	}
	// A plain number makes it certain again.
	q4, err := SetInputText(q, PlanDefault, "node_hourly", "7")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := q4.RangeAt("assumptions.node_hourly"); ok || !q4.Assumptions.NodeHourly.Equal(dec("7")) {
		t.Error("a number did not replace the range")
	}
	// Bad ranges change nothing and say why.
	for text, says := range map[string]string{
		"9 to 5":   "low 9 is above high 5",
		"-1 to 5":  "must be a number ≥ 0", // normal through 0, and a price below 0
		"x to 5":   "LOW to HIGH",
		"0.5 to 2": "", // utilization above 1
	} {
		key := "node_hourly"
		if text == "0.5 to 2" {
			key, says = "target_utilization", "≤ 1"
		}
		got, err := SetInputText(q, PlanDefault, key, text)
		if err == nil || !strings.Contains(err.Error(), says) {
			t.Errorf("%q: error %v, want one saying %q", text, err, says)
		}
		if !bytes.Equal(Marshal(got), Marshal(q)) {
			t.Errorf("%q changed the plan", text)
		}
	}
}

// newRange is a range from low to high with an optional named
// distribution, mode and group.
func newRange(low, high decimal.Decimal, dist Dist, mode Opt[decimal.Decimal], group string) Range {
	return Range{Low: low, High: high, Dist: dist, Mode: mode, Group: group, named: dist != ""}
}
