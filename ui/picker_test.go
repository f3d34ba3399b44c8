package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
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
