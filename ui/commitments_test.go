package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/prices"
)

// The Commitments tab finds what `scaleplan commit` finds: on the seed, a
// 12-month commitment at $4.128 a node-hour (60 % of $6.88), stranded
// after the plan, is 2 nodes against $131,889.60 all on demand.
func TestCommitmentsTab(t *testing.T) {
	w := newTestWindow(t)
	useMenu(t, w, "View", tabCommit)
	v := w.commit
	if !strings.Contains(v.words.Text, "Type the committed rate") || len(v.curve.AtLeast) < 2 {
		t.Fatalf("before a rate: %q, curve %v", v.words.Text, v.curve.AtLeast)
	}
	test.Type(v.rate, "4.128")
	if v.best == nil || v.best.K != 2 {
		t.Fatalf("best %+v; words %q", v.best, v.words.Text)
	}
	for _, want := range []string{"Commit 2 nodes for 12 months at $4.128 a node-hour (60.0 % of the uncommitted price", "against $131,889.60 all on demand"} {
		if !strings.Contains(v.words.Text, want) {
			t.Errorf("words lack %q: %q", want, v.words.Text)
		}
	}
	v.rate.SetText("cheap")
	if v.best != nil || !strings.Contains(v.words.Text, `not "cheap"`) {
		t.Errorf("a bad rate: %q", v.words.Text)
	}
	v.rate.SetText("4.128")
	v.after.SetSelected(afterExtend)
	if v.best == nil || v.opts.AfterPlan != "extend" {
		t.Errorf("extend: %+v", v.opts)
	}
}

// A committed-use option of the node the plan cites fills the rate (its
// hourly part plus upfront over the term's hours) and the term.
func TestCommitmentsTabTakesABookOption(t *testing.T) {
	b, err := prices.ParseBook([]byte(`{"format": 1, "name": "quotes", "offers": [
	  {"provider": "aws", "instance": "p5.4xlarge", "region": "us-east-1", "gpus": {"count": 1, "model": "H100 SXM", "memory_gib": 80},
	   "on_demand": {"hourly": 6.88, "as_of": "2026-11-20", "source": "a quote"},
	   "commitments": [{"name": "3y-partial", "kind": "savings_plan", "term_months": 36, "payment": "partial", "upfront": 26280, "hourly": 2, "as_of": "2026-11-20", "source": "a quote"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	w := newTestWindow(t)
	if w.prices, err = prices.New(b); err != nil {
		t.Fatal(err)
	}
	if err := w.doc.Edit(func(p planner.Plan) (planner.Plan, error) {
		o, _ := b.Find("p5.4xlarge", "", "")
		return w.prices.UseOffer(p, planner.PlanDefault, "quotes", o, planner.OptionOnDemand)
	}); err != nil {
		t.Fatal(err)
	}
	w.doc.Settle()
	useMenu(t, w, "View", tabCommit)
	v := w.commit
	v.option.SetSelected("3y-partial")
	// 2 + 26,280 / (36 × 730) = 2 + 1 = $3 a node-hour, over 36 months.
	if v.rate.Text != "3" || v.term.Selected != "36 months" || v.best == nil {
		t.Errorf("rate %q, term %q, best %v", v.rate.Text, v.term.Selected, v.best)
	}
}
