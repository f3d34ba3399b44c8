package planner

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzParseCompute feeds arbitrary bytes to the loader and every plan it
// accepts to the model: never a panic, every error located, every accepted
// plan computable without negative costs, and saved plans reload unchanged.
func FuzzParseCompute(f *testing.F) {
	files, _ := filepath.Glob("../testdata/*.json")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(minimal))
	f.Add([]byte(strings.Replace(minimal, `"days": 30`, `"days": 90.5`, 1)))
	f.Add([]byte(`{"format": 1, "phases": [{"nodes": null}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			var errs Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("error is not a located list: %#v", err)
			}
			for _, e := range errs {
				if e.Path == "" || e.Msg == "" {
					t.Fatalf("error without a path or message: %#v", e)
				}
			}
			return
		}
		r := Compute(p)
		for _, ph := range r.Phases {
			for _, l := range CostLines {
				if ph.Cost.Of(l.Key).IsNegative() {
					t.Fatalf("%s cost is negative in phase %q", l.JSONKey, ph.Name)
				}
			}
			if ph.OverflowCalls.IsNegative() || ph.NodeHours < 0 {
				t.Fatalf("overflow or node-hours negative in phase %q", ph.Name)
			}
		}
		q, err := Parse(Marshal(p))
		if err != nil {
			t.Fatalf("a saved plan does not reload: %v", err)
		}
		if string(Marshal(q)) != string(Marshal(p)) {
			t.Fatalf("save→load changed the plan")
		}
	})
}
