package prices

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/internal/plantest"
	"github.com/scaleplan/scaleplan/planner"
)

func loadCited(t *testing.T) planner.Plan {
	t.Helper()
	p, err := planner.LoadIn(plantest.Testdata("book-prices-roadmap.json"), Builtin())
	if err != nil {
		t.Fatalf("cited plan: %v", err)
	}
	return p
}

// A cited node price is the book's, keeps its date and source, saves as
// written, and computes exactly as the same price typed: the cited plan
// costs what the seed costs without its scenarios.
func TestCitedPricesResolveAndRoundTrip(t *testing.T) {
	t.Parallel()
	p := loadCited(t)
	if !p.Assumptions.NodeHourly.Equal(plantest.Dec("6.88")) || len(p.PriceRefs) != 2 {
		t.Fatalf("node price %s, refs %d", p.Assumptions.NodeHourly, len(p.PriceRefs))
	}
	r, ok := p.PriceRefAt("variants[distilled].node_hourly")
	if !ok || !r.Hourly.Equal(plantest.Dec("1.861")) || r.AsOf.String() != "2026-09-29" || !strings.Contains(r.Source, "aws.amazon.com") {
		t.Errorf("distilled's price: %+v", r)
	}
	data, _ := os.ReadFile(plantest.Testdata("book-prices-roadmap.json"))
	if !bytes.Equal(planner.Marshal(p), data) {
		t.Error("saving the cited plan changed it")
	}
	seed := plantest.Seed(t)
	seed.Scenarios = nil
	if a, b := planner.Compute(p).Totals.Cost.Total, planner.Compute(seed).Totals.Cost.Total; !a.Equal(b) {
		t.Errorf("cited plan costs %s, the seed %s", a, b)
	}
	// A reference written without a price takes the book's.
	text := strings.Replace(string(data), `"hourly": 6.88, "as_of": "2026-09-29", `, ``, 1)
	q, err := planner.ParseIn([]byte(text), Builtin())
	if err != nil || !q.Assumptions.NodeHourly.Equal(plantest.Dec("6.88")) {
		t.Errorf("a bare reference: %v, %s", err, q.Assumptions.NodeHourly)
	}
	// One the book cannot resolve is refused, by its path, when it has no price of its own.
	bad := strings.Replace(text, `"instance": "p5.4xlarge"`, `"instance": "p9.nope"`, 1)
	if _, err := planner.ParseIn([]byte(bad), Builtin()); err == nil || !strings.Contains(err.Error(), "assumptions.node_hourly: the builtin book has no p9.nope in us-east-1") {
		t.Errorf("an unresolvable reference: %v", err)
	}
	// Typing a number makes the price bare again.
	q, err = planner.SetInputText(p, planner.PlanDefault, "node_hourly", "7")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := q.PriceRefAt("assumptions.node_hourly"); ok {
		t.Error("a typed price still cites the book")
	}
}

// When the book's price moves, the plan says so (old → new, with dates)
// and Reprice takes the new one; a reference the book no longer resolves
// keeps the plan's price and is reported.
func TestChangedBookPricesAreReported(t *testing.T) {
	t.Parallel()
	p := loadCited(t)
	if ch := Builtin().Changes(&p); len(ch) != 0 {
		t.Fatalf("changes against the book it was priced from: %+v", ch)
	}
	newer, err := ParseBook([]byte(`{"format": 1, "name": "builtin", "offers": [
	  {"provider": "aws", "instance": "p5.4xlarge", "region": "us-east-1", "gpus": {"count": 1, "model": "H100 SXM", "memory_gib": 80},
	   "on_demand": {"hourly": 6.5, "as_of": "2026-12-01", "source": "a newer reading"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	ch := Catalog{user: []Book{newer}}.Changes(&p)
	if len(ch) != 2 {
		t.Fatalf("changes: %+v", ch)
	}
	if c := ch[0]; c.Ref.Path != "assumptions.node_hourly" || !c.Ref.Hourly.Equal(plantest.Dec("6.88")) || !c.New.Hourly.Equal(plantest.Dec("6.5")) || c.New.AsOf.String() != "2026-12-01" {
		t.Errorf("the moved price: %+v", c)
	}
	if !strings.Contains(ch[1].Error, "the builtin book has no g6e.xlarge") {
		t.Errorf("the lost offer: %q", ch[1].Error)
	}
	q, err := Catalog{user: []Book{newer}}.Reprice(p)
	if err != nil {
		t.Fatal(err)
	}
	if !q.Assumptions.NodeHourly.Equal(plantest.Dec("6.5")) {
		t.Errorf("repriced node price %s", q.Assumptions.NodeHourly)
	}
	if r, _ := q.PriceRefAt("assumptions.node_hourly"); r.AsOf.String() != "2026-12-01" || r.Source != "a newer reading" {
		t.Errorf("repriced reference %+v", r)
	}
	if r, _ := q.PriceRefAt("variants[distilled].node_hourly"); !r.Hourly.Equal(plantest.Dec("1.861")) {
		t.Errorf("the unresolvable one moved: %+v", r)
	}
	// GPU cost moves with the price: 6.5 / 6.88 of the seed's $131,889.60.
	rq := planner.Compute(q)
	got := rq.Totals.Cost.Of(planner.CostGPU)
	if want := plantest.Dec("131889.60").Mul(plantest.Dec("6.5")).Div(plantest.Dec("6.88")); !got.Round(2).Equal(want.Round(2)) {
		t.Errorf("GPU cost %s, want %s", got.Round(2), want.Round(2))
	}
}

// Choosing an offer sets the node type and cites its price; a phase's
// choice is an override of both.
func TestUseOffer(t *testing.T) {
	t.Parallel()
	p := plantest.Seed(t)
	b := BuiltinBook()
	o, err := b.Find("g6e.xlarge", "", "")
	if err != nil {
		t.Fatal(err)
	}
	q, err := Builtin().UseOffer(p, 1, b.Name, o, planner.OptionOnDemand)
	if err != nil {
		t.Fatal(err)
	}
	a := q.Effective(1)
	if !a.NodeHourly.Equal(plantest.Dec("1.861")) || a.NodeType != "g6e.xlarge (1× L40S 48 GiB, aws us-east-1)" {
		t.Errorf("Phase 1 runs %q at %s", a.NodeType, a.NodeHourly)
	}
	if r, ok := q.PriceRefAt("phases[Phase 1].node_hourly"); !ok || r.Instance != "g6e.xlarge" {
		t.Errorf("citation %+v", r)
	}
	if !q.Assumptions.NodeHourly.Equal(plantest.Dec("6.88")) {
		t.Error("the plan default moved")
	}
	if _, err := Builtin().UseOffer(p, planner.PlanDefault, b.Name, o, "3y-reserved"); err == nil || !strings.Contains(err.Error(), `has no option "3y-reserved"`) {
		t.Errorf("an option the offer lacks: %v", err)
	}
	// g6e.xlarge is $1.861 a GPU-hour.
	for search, want := range map[string]bool{"l40s": true, "aws L40S": true, "gcp l40s": false, "": true, "g6e": true, "<2": true, "<$1.80": false, "aws ≤1.861": true} {
		if got := OfferMatches(o, search); got != want {
			t.Errorf("%q matches: %v", search, got)
		}
	}
}
