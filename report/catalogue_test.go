package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
)

func load(t *testing.T, path string) (planner.Plan, planner.Result) {
	t.Helper()
	p, err := planner.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return p, planner.Compute(p)
}

// Every entry of the cost-line catalogue reaches every renderer here: a
// line in the model (the grid and the table), a key in the JSON cost
// object, words in explain; and every component a line, a JSON entry and
// words.
func TestCatalogueReachesEveryRenderer(t *testing.T) {
	t.Parallel()
	p, r := load(t, "../testdata/every-input-set.json")
	var out struct {
		Phases []struct {
			Cost       map[string]string `json:"cost"`
			Components []struct{ Name, Driver, Cost string }
		}
		Totals struct {
			Cost       map[string]string `json:"cost"`
			Components []struct{ Name, Driver, Cost string }
		}
	}
	if err := json.Unmarshal(JSON(&r), &out); err != nil {
		t.Fatal(err)
	}
	explain := Explain(p, &r)
	lines := LinesFor(&r)
	for i, l := range planner.CostLines {
		if int(l.Key) != i {
			t.Errorf("CostLines[%d] has key %d: the catalogue must be in key order", i, l.Key)
		}
		if _, ok := LineByKey(l.LineKey); !ok {
			t.Errorf("cost line %s has no model line %q", l.JSONKey, l.LineKey)
		}
		if _, ok := out.Totals.Cost[l.JSONKey]; !ok {
			t.Errorf("cost line %s is not in the JSON totals", l.JSONKey)
		}
		for k, ph := range r.Phases {
			if ph.Cost.Of(l.Key).IsZero() {
				continue
			}
			if got := out.Phases[k].Cost[l.JSONKey]; got != ph.Cost.Of(l.Key).StringFixed(2) {
				t.Errorf("%s %s in JSON = %q, engine %s", ph.Name, l.JSONKey, got, ph.Cost.Of(l.Key))
			}
			if w := CostWords(l.Key, &r.Phases[k], r.Currency); !strings.Contains(explain, w) {
				t.Errorf("explain does not say %q", w)
			}
		}
	}
	if len(out.Totals.Cost) != len(planner.CostLines)+1 {
		t.Errorf("the JSON cost object has %d keys, want the catalogue's %d and total", len(out.Totals.Cost), len(planner.CostLines))
	}
	for j, c := range p.Components {
		found := false
		for _, l := range lines {
			found = found || (l.Component == j+1 && l.Label == c.Name)
		}
		if !found {
			t.Errorf("component %q has no line", c.Name)
		}
		if got := out.Totals.Components[j]; got.Name != c.Name || got.Driver != c.Driver || got.Cost != r.Totals.Components[j].Cost.StringFixed(2) {
			t.Errorf("component %d in the JSON totals: %+v", j, got)
		}
		for k := range r.Phases {
			if w := r.Phases[k].Components[j].Words(&p.Components[j], r.Currency); r.Phases[k].Components[j].Applies && !strings.Contains(explain, w) {
				t.Errorf("explain does not say %q", w)
			}
		}
	}
}

// Printed parts, each rounded to the cent, add up to the printed total
// within a cent per part, in every phase and the totals of every example.
func TestPrintedPartsAddUpToThePrintedTotal(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"../testdata/seed-roadmap.json", "../testdata/components-roadmap.json", "../testdata/every-input-set.json", "../testdata/l4-fleet.json"} {
		_, r := load(t, path)
		var out struct {
			Phases []struct {
				Cost       map[string]string `json:"cost"`
				Components []struct{ Cost string }
			}
			Totals struct {
				Cost       map[string]string `json:"cost"`
				Components []struct{ Cost string }
			}
		}
		if err := json.Unmarshal(JSON(&r), &out); err != nil {
			t.Fatal(err)
		}
		check := func(where string, cost map[string]string, comps []struct{ Cost string }) {
			sum, n := decimal.Zero, 0
			for k, v := range cost {
				if k != "total" {
					sum, n = sum.Add(decimal.RequireFromString(v)), n+1
				}
			}
			for _, c := range comps {
				sum, n = sum.Add(decimal.RequireFromString(c.Cost)), n+1
			}
			total := decimal.RequireFromString(cost["total"])
			if gap := sum.Sub(total).Abs(); gap.GreaterThan(decimal.New(int64(n), -2)) {
				t.Errorf("%s %s: printed parts add up to %s, printed total %s (%d parts)", path, where, sum, total, n)
			}
		}
		for i, ph := range out.Phases {
			check(r.Phases[i].Name, ph.Cost, ph.Components)
		}
		check("totals", out.Totals.Cost, out.Totals.Components)
	}
}

// The table shows each component as a row under its group, with "—" in
// the phases it does not apply to, and the request-path milliseconds.
func TestTableShowsComponents(t *testing.T) {
	t.Parallel()
	p, r := load(t, "../testdata/components-roadmap.json")
	var b strings.Builder
	if err := WriteTable(&b, &r); err != nil {
		t.Fatal(err)
	}
	text := b.String()
	// The load-test campaign is paid once, in Phase 2: $13,209.60 (40 nodes × 48 h × $6.88).
	// The guardrail's 8 ms are on the request path of every phase.
	if e := Explain(p, &r); !strings.Contains(e, "latency is the fixed 33.0 ms (8.0 ms of it components on the request path)") {
		t.Errorf("explain does not say the components' share of the fixed latency")
	}
	if !strings.Contains(string(JSON(&r)), `"components_ms": 8`) {
		t.Errorf("the JSON latency budget lacks components_ms")
	}
	for _, want := range []string{"Load-test campaign", "component, once", "$13,209.60", "Components on the path"} {
		if !strings.Contains(text, want) {
			t.Errorf("the table lacks %q", want)
		}
	}
	for _, row := range strings.Split(text, "\n") {
		if strings.HasPrefix(row, "Load-test campaign") && strings.Count(row, format.None) != 2 {
			t.Errorf("the campaign should be none in the two phases before Phase 2: %q", row)
		}
	}
}

// Every phase input a spreadsheet holds is a typed line of the model, and
// every objective a line or a setting the table shows.
func TestPhaseInputsAreLines(t *testing.T) {
	t.Parallel()
	for _, f := range planner.PhaseFields() {
		if !f.Sheet {
			continue
		}
		l, ok := LineByKey(f.Key)
		if !ok || l.Kind != PhaseInput || l.Field != f.Key {
			t.Errorf("phase input %s has no typed line", f.Key)
		}
	}
}
