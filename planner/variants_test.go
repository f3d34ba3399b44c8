package planner

import (
	"strings"
	"testing"
)

func TestVariantsApplyAndCompare(t *testing.T) {
	p := loadSeed(t)
	// Phase 2 runs "large", whose figures equal the plan defaults; "distilled"
	// would run 30 req/s per node at 18 ms on a $1.861/h node.
	q, err := SetInput(p, 2, KeyVariant, "distilled")
	if err != nil {
		t.Fatal(err)
	}
	a := q.Effective(2)
	if !a.NodeRPS.Equal(dec("30")) || !a.ServiceMs.Equal(dec("18")) || !a.NodeHourly.Equal(dec("1.861")) {
		t.Errorf("distilled effective %s req/s, %s ms, %s/h", a.NodeRPS, a.ServiceMs, a.NodeHourly)
	}
	if b := q.Effective(1); !b.NodeRPS.Equal(dec("8.5")) {
		t.Errorf("another phase changed")
	}
	cmp := CompareVariants(p, 2)
	if len(cmp.Variants) != 2 || !cmp.Variants[0].Chosen || cmp.Variants[1].Chosen {
		t.Fatalf("variants %+v", cmp.Variants)
	}
	d := cmp.Variants[1].Phase
	// Sized to its own needs: ⌈111.111 / (30 × 0.7 = 21)⌉ = ⌈5.29⌉ = 6 nodes.
	// At 13:00: c = 6, a = 111.111/30 = 3.704, C = 0.2176, p99 wait =
	// ln(21.76)/(180 − 111.111) s = 44.7 ms × 0.625 = 27.9 ms; p99 = 25 + 18 + 27.9 = 70.9 ms.
	if d.RequiredNodes != 6 || d.Nodes != 6 || !near(d.Latency.P99Ms, 70.94, 0.01) {
		t.Errorf("distilled: %d nodes, p99 %.3f", d.RequiredNodes, d.Latency.P99Ms)
	}
	if cmp.Cheapest != 1 || !cmp.Variants[1].MeetsSLOs || !cmp.Variants[1].MeetsFloor {
		t.Errorf("cheapest %d %+v", cmp.Cheapest, cmp.Variants[1].FailedNames)
	}
	// 0.93 − 0.885 = 4.5 points of accuracy given up.
	if !strings.Contains(cmp.Verdict, "distilled is the cheapest variant that meets every SLO") ||
		!strings.Contains(cmp.Verdict, "against the chosen large it gives up 4.5 points of accuracy to save $") {
		t.Errorf("verdict %q", cmp.Verdict)
	}
	// An accuracy floor above the distilled model rules it out.
	p.SLO.MinAccuracy = Some(dec("0.9"))
	if c := CompareVariants(p, 2); c.Cheapest != 0 || c.Variants[1].MeetsFloor {
		t.Errorf("with a 0.9 floor the cheapest should be large: %d", c.Cheapest)
	}
}

func TestVariantErrorsNameThePhase(t *testing.T) {
	src := strings.Replace(minimal, `"phases": [`, `"variants": [{"name": "a", "accuracy": 0.9, "node_rps": 5}, {"name": "a", "accuracy": 1.2, "node_rps": 5}], "phases": [`, 1)
	src = strings.Replace(src, `"calls_per_day": 86400}`, `"calls_per_day": 86400, "variant": "b"}`, 1)
	_, err := Parse([]byte(src))
	if err == nil {
		t.Fatal("accepted")
	}
	want := `variants[1].accuracy: must be a number from 0 to 1, got 1.2`
	if !strings.Contains(err.Error(), want) {
		t.Errorf("missing %q in %v", want, err)
	}
	src = strings.Replace(src, `"accuracy": 1.2`, `"accuracy": 0.8`, 1)
	_, err = Parse([]byte(src))
	for _, want := range []string{`variants[1].name: "a" names two variants; names must differ`, `phases[0].variant: no variant is named "b"; the plan lists "a", "a"`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("missing %q in %v", want, err)
		}
	}
	if _, err := SetInput(loadSeed(t), 0, KeyVariant, "huge"); err == nil || !strings.Contains(err.Error(), `no variant is named "huge"; choose one of large, distilled, or none`) {
		t.Errorf("got %v", err)
	}
}
