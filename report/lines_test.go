package report

import (
	"testing"

	"github.com/scaleplan/scaleplan/planner"
)

func TestLinesAreGroupedInOrderWithUniqueKeys(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	g := 0
	for _, l := range Lines {
		if seen[l.Key] {
			t.Errorf("duplicate line key %q", l.Key)
		}
		seen[l.Key] = true
		for g < len(Groups) && Groups[g] != l.Group {
			g++
		}
		if g == len(Groups) {
			t.Fatalf("line %q is out of group order (group %q)", l.Key, l.Group)
		}
		if l.IsInput() != (l.Field != "") {
			t.Errorf("line %q: input lines need a field and computed ones none", l.Key)
		}
		if l.Kind == AssumptionInput {
			if _, ok := planner.LookupField(l.Field); !ok {
				t.Errorf("line %q names unknown assumption %q", l.Key, l.Field)
			}
		}
	}
	// Every assumption a person can set appears as a line.
	for _, f := range planner.AssumptionFields() {
		found := false
		for _, l := range Lines {
			found = found || (l.Kind == AssumptionInput && l.Field == f.Key)
		}
		if !found {
			t.Errorf("assumption %q has no line", f.Key)
		}
	}
}

func TestCellsShowADashForNone(t *testing.T) {
	t.Parallel()
	p, err := planner.Load("../testdata/unprofitable-chat.json")
	if err != nil {
		t.Fatal(err)
	}
	r := planner.Compute(p)
	for key, want := range map[string]string{
		"cost_per_call":            "—",
		"break_even_calls_per_day": "—",
		"overflow_share":           "—",
		// 2 × 24 × 90 × €55.04 = 237,772.80; IOPS 16,000 × 0.065 × 1,080/365 = 3,077.26;
		// fixed 40,000 × 1,080/365 = 118,356.16; no calls, so no egress; but the
		// data General availability wrote (4M × 40 KB = 160 GB a day, kept 90
		// days) is still held as it expires: Σ_{k=1}^{90} 160 × (90 − k) = 640,800
		// GB-days × 0.023 × 12/365 = 484.55
		"total_cost": "€359,690.77",
		"node_hours": "4,320", // 2 nodes × 24 h × 90 days
	} {
		l, _ := LineByKey(key)
		if got := l.Phase(&r, 2); got != want {
			t.Errorf("%s in the quiet phase = %q, want %q", key, got, want)
		}
	}
}
