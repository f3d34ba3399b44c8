package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/planner"
)

// File → Import load test…: the runs, the inputs and the calibration are
// shown before anything is written; Apply sets them for the variant chosen
// in one undoable edit; a file that is not a load test changes nothing.
func TestImportLoadTestShowsThenAppliesUndoably(t *testing.T) {
	w := newTestWindow(t)
	bi, err := w.readBench("../testdata/bench/seed-distilled-guidellm.json")
	if err != nil {
		t.Fatal(err)
	}
	bi.show()
	bi.target.SetSelected("Variant distilled")
	// Three simulated constant-rate levels and the level at capacity.
	if got := strings.Count(bi.runs.Text, "\n"); got != 4 || !strings.Contains(bi.runs.Text, "saturated") {
		t.Errorf("runs table:\n%s", bi.runs.Text)
	}
	for _, want := range []string{"node_rps: 62.5", "slots: 1", "service_ms: 16", "service_cv: 0.5", "goodput: 35.000 req/s a node", "% MAPE"} {
		if !strings.Contains(bi.inputs.Text, want) {
			t.Errorf("inputs lack %q:\n%s", want, bi.inputs.Text)
		}
	}
	before := w.doc.Plan
	if v, _ := before.VariantOf(2); v == nil && len(before.Variants) == 0 {
		t.Fatal("the test plan has no variants")
	}
	test.Tap(overlayButton(t, w, "Apply"))
	w.doc.Settle()
	var distilled = -1
	for i, v := range w.doc.Plan.Variants {
		if v.Name == "distilled" {
			distilled = i
		}
	}
	v := w.doc.Plan.Variants[distilled]
	if !v.Slots.Valid || v.Slots.Val != 1 || v.ServiceCV.Val.String() != "0.5" || !strings.Contains(w.doc.Plan.Notes, "seed-distilled-guidellm.json (SHA-256 ") {
		t.Errorf("variant after Apply: %+v; notes end %q", v, tail(w.doc.Plan.Notes))
	}
	useMenu(t, w, "Edit", "Undo")
	w.doc.Settle()
	if w.doc.Plan.Variants[distilled].Slots.Valid || w.doc.Plan.Notes != before.Notes {
		t.Error("one undo did not take the import back")
	}

	// Two nodes in the test halve node_rps; a bad count is said and not applied.
	bi, _ = w.readBench("../testdata/bench/profile_export_aiperf.json")
	bi.show()
	test.Type(bi.nodes, "x")
	if bi.err == nil || !strings.Contains(bi.warning.Text, "nodes in the test must be a whole number") {
		t.Errorf("bad node count: %v, %q", bi.err, bi.warning.Text)
	}
	if err := bi.apply(); err == nil {
		t.Error("applied with a bad node count")
	}
	bi.nodes.SetText("2")
	if !strings.Contains(bi.inputs.Text, "node_rps: 6.58042278189696") {
		t.Errorf("two nodes: %s", bi.inputs.Text)
	}

	odd := filepath.Join(t.TempDir(), "odd.json")
	os.WriteFile(odd, []byte(`{"hello": 1}`), 0o644)
	if _, err := w.readBench(odd); err == nil || !strings.Contains(err.Error(), "odd.json: not a load-test summary") {
		t.Errorf("odd file: %v", err)
	}
}

func tail(s string) string {
	if len(s) > 200 {
		return s[len(s)-200:]
	}
	return s
}

// In the app the plan is always there: without a p99 target the goodput
// says so in the plan's words, not the command line's.
func TestImportLoadTestWithoutATargetSaysSo(t *testing.T) {
	w := newTestWindow(t)
	if err := w.doc.Edit(func(p planner.Plan) (planner.Plan, error) {
		return planner.SetInput(p, planner.PlanDefault, "p99_ms", "")
	}); err != nil {
		t.Fatal(err)
	}
	w.doc.Settle()
	bi, err := w.readBench("../testdata/bench/guidellm-benchmarks.json")
	if err != nil {
		t.Fatal(err)
	}
	bi.show()
	if !strings.Contains(bi.inputs.Text, "goodput: — — the plan sets no p99 target (slo.p99_ms) to meet") || strings.Contains(bi.inputs.Text, "--plan") {
		t.Errorf("inputs:\n%s", bi.inputs.Text)
	}
}

// A measured cell says where its value was measured, under it; typing over
// it makes it a plain input again.
func TestMeasuredCellsSayWhence(t *testing.T) {
	w := newTestWindow(t)
	bi, err := w.readBench("../testdata/bench/profile_export_aiperf.json")
	if err != nil {
		t.Fatal(err)
	}
	bi.show()
	bi.target.SetSelected("Plan defaults")
	test.Tap(overlayButton(t, w, "Apply"))
	w.doc.Settle()
	row := -1
	for r, gr := range w.grid.rows {
		if gr.line != nil && gr.line.Key == "slots" {
			row = r + 1
		}
	}
	id := widget.TableCellID{Row: row, Col: 1}
	if look := w.grid.look(id); look.text != "86" || look.sub != "AIPerf · run 2025-10-17" {
		t.Errorf("Baseline's slots: %q / %q", look.text, look.sub)
	}
	if err := w.doc.Edit(func(p planner.Plan) (planner.Plan, error) {
		return planner.SetInputText(p, planner.PlanDefault, "slots", "4")
	}); err != nil {
		t.Fatal(err)
	}
	w.doc.Settle()
	if look := w.grid.look(id); look.sub != "" {
		t.Errorf("a typed value still says %q", look.sub)
	}
}

// A real AIPerf run with 11 % of its requests cancelled is left out of the
// fit: the dialog says so and Apply changes nothing; ticking the check box
// fits it, and Apply then writes the inputs the corpus README derives.
func TestImportDialogFitsFailedRunsOnlyWhenTicked(t *testing.T) {
	w := newTestWindow(t)
	bi, err := w.readBench("../testdata/bench/real/aiperf-records-gpt-oss-20b.json")
	if err != nil {
		t.Fatal(err)
	}
	bi.show()
	bi.target.SetSelected("Plan defaults")
	if !strings.Contains(bi.warning.Text, "every run had more than 1 % of its requests errored or cancelled") {
		t.Errorf("warning %q, want the failed requests named", bi.warning.Text)
	}
	before := w.doc.Plan.Assumptions
	test.Tap(overlayButton(t, w, "Apply"))
	w.doc.Settle()
	if !w.doc.Plan.Assumptions.NodeRPS.Equal(before.NodeRPS) {
		t.Fatal("Apply wrote a fit of a run left out")
	}
	bi, _ = w.readBench("../testdata/bench/real/aiperf-records-gpt-oss-20b.json")
	bi.show()
	bi.target.SetSelected("Plan defaults")
	test.Tap(bi.failed)
	if !strings.Contains(bi.warning.Text, "11 of 100 requests fail (0 errored, 11 cancelled: 11.0 %, over 1 %); fitted as asked") {
		t.Errorf("warning %q, want the fitted run's failures said", bi.warning.Text)
	}
	test.Tap(overlayButton(t, w, "Apply"))
	w.doc.Settle()
	if a := w.doc.Plan.Assumptions; a.NodeRPS.String() != "9.551622221540914" || a.Slots != 87 {
		t.Errorf("after Apply node_rps %s, slots %d; want 9.551622221540914 and 87 (testdata/bench/real/README.md)", a.NodeRPS, a.Slots)
	}
}
