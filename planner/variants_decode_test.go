package planner

import (
	"strings"
	"testing"
)

func TestVariantErrorsNameThePhase(t *testing.T) {
	t.Parallel()
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
	if _, err := SetInput(loadSeed(t), 0, KeyVariant, "huge"); err == nil || !strings.Contains(err.Error(), `no variant is named "huge"; choose one of large, large-batch8, distilled, or none`) {
		t.Errorf("got %v", err)
	}
}
