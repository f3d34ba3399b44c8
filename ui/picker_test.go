package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/planner"
)

// The node picker: typing filters the offers; a single match is chosen;
// Use it sets the node type and cites the price for the phase chosen, in
// one undoable edit.
func TestNodePickerCitesAnOffer(t *testing.T) {
	w := newTestWindow(t)
	pk := newNodePicker(w)
	pk.show()
	if len(pk.shown) < 8 {
		t.Fatalf("the picker offers %d", len(pk.shown))
	}
	first := pk.offers[pk.shown[0]].Offer
	if first.Instance != "g6.xlarge" { // $0.8048 a GPU-hour, the cheapest in the built-in book
		t.Errorf("cheapest first: %s", first.Instance)
	}
	test.Type(pk.search, "l40s")
	if len(pk.shown) != 1 || pk.chosen < 0 || pk.offers[pk.chosen].Offer.Instance != "g6e.xlarge" {
		t.Fatalf("after typing l40s: %d shown, chosen %d", len(pk.shown), pk.chosen)
	}
	if !strings.Contains(pk.detail.Text, "$1.861 a node-hour as of 2026-09-29") {
		t.Errorf("detail %q", pk.detail.Text)
	}
	pk.target.SetSelected("Phase 1 only")
	test.Tap(overlayButton(t, w, "Use it"))
	w.doc.Settle()
	a := w.doc.Plan.Effective(1)
	if a.NodeType != "g6e.xlarge (1× L40S 48 GiB, aws us-east-1)" || a.NodeHourly.String() != "1.861" {
		t.Errorf("Phase 1 runs %q at %s", a.NodeType, a.NodeHourly)
	}
	if w.doc.Plan.Assumptions.NodeHourly.String() != "6.88" {
		t.Error("the plan default moved")
	}
	useMenu(t, w, "Edit", "Undo")
	w.doc.Settle()
	if w.doc.Plan.Effective(1).NodeHourly.String() != "6.88" || len(w.doc.Plan.PriceRefs) != 0 {
		t.Error("one undo did not take the choice back")
	}
}

// Beside the node picker, the estimate of the target phase's model on the
// chosen offer's GPU, with its band and sources, before anything is
// applied; ticked, Use it also sets the estimated inputs as ranges, and
// one undo takes both back.
func TestNodePickerShowsAndAppliesAnEstimate(t *testing.T) {
	w := newTestWindow(t)
	if err := w.doc.Edit(func(p planner.Plan) (planner.Plan, error) {
		var err error
		for k, v := range map[string]string{"params_b": "8.03", "layers": "32", "kv_heads": "8", "head_dim": "128"} {
			if p, err = planner.SetVariant(p, "large", k, v); err != nil {
				return p, err
			}
		}
		return planner.SetInput(p, 2, "input_tokens", "1470")
	}); err != nil {
		t.Fatal(err)
	}
	w.doc.Settle()
	before := w.doc.Plan.Clone()
	pk := newNodePicker(w)
	pk.show()
	test.Type(pk.search, "p5.4x")
	pk.target.SetSelected("Phase 2 only")
	if !strings.Contains(pk.est.Text, "variants[large].service_ms") || !strings.Contains(pk.est.Text, "H100 SXM") ||
		!strings.Contains(pk.est.Text, "±25 %") || !strings.Contains(pk.est.Text, "TensorRT-LLM") {
		t.Fatalf("the estimate shown:\n%s", pk.est.Text)
	}
	if pk.useEst.Disabled() {
		t.Fatal("the estimate cannot be applied")
	}
	test.Tap(pk.useEst)
	test.Tap(overlayButton(t, w, "Use it"))
	w.doc.Settle()
	r, ok := w.doc.Plan.RangeAt("variants[large].service_ms")
	if !ok || !r.Low.LessThan(decimal.NewFromInt(45)) || !r.High.GreaterThan(decimal.NewFromInt(45)) {
		t.Errorf("variants[large].service_ms after Use it: %+v, %v", r, ok)
	}
	if !strings.HasPrefix(w.doc.Plan.Effective(2).NodeType, "p5.4xlarge") {
		t.Errorf("Phase 2 runs %q", w.doc.Plan.Effective(2).NodeType)
	}
	useMenu(t, w, "Edit", "Undo")
	w.doc.Settle()
	if _, ok := w.doc.Plan.RangeAt("variants[large].service_ms"); ok || w.doc.Plan.Notes != before.Notes || len(w.doc.Plan.PriceRefs) != 0 {
		t.Error("one undo did not take the node and the estimate back")
	}
}

// Without the tokens a call the picker says why there is no estimate,
// and cannot apply one.
func TestNodePickerSaysWhyThereIsNoEstimate(t *testing.T) {
	w := newTestWindow(t)
	pk := newNodePicker(w)
	pk.show()
	test.Type(pk.search, "l40s")
	if !strings.Contains(pk.est.Text, "no input_tokens") || !pk.useEst.Disabled() {
		t.Errorf("%q, disabled %v", pk.est.Text, pk.useEst.Disabled())
	}
}
