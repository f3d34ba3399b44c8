package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/report/page"
)

// importActuals reads a file into the Actuals tab as File → Import
// actuals… does, and waits for the read, which runs off the UI goroutine.
func importActuals(t *testing.T, w *Window, path string) {
	t.Helper()
	v := w.actuals
	done := make(chan struct{}, 1)
	v.done = func() { done <- struct{}{} }
	v.gate = make(chan struct{})
	w.ImportActualsPath(path, "")
	close(v.gate)
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the read did not finish")
	}
	v.gate, v.done = nil, nil
}

// actualsRowOf finds the variance table's row of a line in a section.
func actualsRowOf(t *testing.T, v *actualsView, section, label string) int {
	t.Helper()
	in := false
	for i, r := range v.rows {
		if r.line == nil {
			in = r.title == section
			continue
		}
		if in && r.line.Label == label {
			return i
		}
	}
	t.Fatalf("no row %q under %q", label, section)
	return -1
}

func cellOf(v *actualsView, row, col int) *widget.Label {
	l := widget.NewLabel("")
	v.cell(widget.TableCellID{Row: row, Col: col}, l)
	return l
}

// The seed's 120-day bill and usage, imported: the tab shows the plan
// against them line by line, coloured by whether reality is worse or
// better; Write as scenario adds "As observed" in one edit that Ctrl+Z
// takes back; a file that is neither a bill nor usage is refused and what
// was read stays.
func TestTheActualsTabHoldsThePlanAgainstTheBill(t *testing.T) {
	w := newTestWindow(t)
	v := w.actuals
	if !v.write.Disabled() || v.rep != nil {
		t.Fatal("with no actuals, there is nothing to write")
	}
	importActuals(t, w, "../testdata/actuals/seed-bill-120-days.csv")
	importActuals(t, w, "../testdata/actuals/seed-usage-120-days.csv")
	if v.rep == nil || len(v.bills) != 1 || !v.usage.Has("calls") {
		t.Fatalf("read: %v, %d bills; %s", v.rep != nil, len(v.bills), v.headline.Text)
	}
	if sel := w.tabs.Selected(); sel == nil || sel.Text != tabActuals {
		t.Errorf("the tab shown is %v", sel)
	}
	gpu := actualsRowOf(t, v, "Phase 1: 30 of 90 days", "GPU")
	if got := cellOf(v, gpu, 2).Text; got != "$14,860.80" {
		t.Errorf("Phase 1 GPU actual %q", got)
	}
	if l := cellOf(v, gpu, 4); l.Text != "+22.03 %" || l.Importance != widget.DangerImportance {
		t.Errorf("Phase 1 GPU Δ %% %q, importance %v: over plan is red", l.Text, l.Importance)
	}
	if l := cellOf(v, actualsRowOf(t, v, "Phase 1: 30 of 90 days", "Network"), 3); l.Text != "-$1.20" || l.Importance != widget.SuccessImportance {
		t.Errorf("Phase 1 network Δ %q, importance %v: under plan is green", l.Text, l.Importance)
	}
	if l := cellOf(v, actualsRowOf(t, v, "Phase 1: 30 of 90 days", "Revenue"), 3); l.Text != "+$4,500.00" || l.Importance != widget.SuccessImportance {
		t.Errorf("revenue Δ %q, importance %v: more revenue is better", l.Text, l.Importance)
	}
	if v.chart.MinSize().Width == 0 || len(v.draw(v.chart.Size().Max(v.chart.MinSize()))) < 100 {
		t.Error("the chart draws nothing")
	}
	before := len(w.doc.Plan.Scenarios)
	test.Tap(v.write)
	w.doc.Settle()
	if n := len(w.doc.Plan.Scenarios); n != before+1 || w.doc.Plan.ScenarioOverrides(actualsScenario)["phases[Phase 1].calls_per_day"] != "2100000" {
		t.Fatalf("%d scenarios; %v", n, w.doc.Plan.ScenarioOverrides(actualsScenario))
	}
	useMenu(t, w, "Edit", "Undo")
	w.doc.Settle()
	if n := len(w.doc.Plan.Scenarios); n != before {
		t.Errorf("after Ctrl+Z, %d scenarios, want %d", n, before)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	_ = os.WriteFile(bad, []byte("when,how much\nyesterday,5\n"), 0o644)
	importActuals(t, w, bad)
	if len(v.bills) != 1 || v.rep == nil {
		t.Error("a refused file dropped what was read")
	}
	test.Tap(v.clear)
	if v.rep != nil || len(v.rows) != 0 || !v.write.Disabled() {
		t.Error("Clear left the actuals")
	}
}

// File → Export report… writes the page the command line writes, byte for
// byte (the same options, page.Defaults), for a plan with ranges too.
func TestExportReportWritesThePage(t *testing.T) {
	w := openTestWindow(t, "../testdata/uncertain-roadmap.json")
	menuItem(t, w, "File", "Export report…") // the menu has it
	path := filepath.Join(t.TempDir(), "plan.html")
	done := make(chan error, 1)
	w.ReportPath(path, func(err error) { done <- err })
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("the report was not written")
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := w.doc.PlanResult()
	var want bytes.Buffer
	if err := page.Write(&want, w.doc.Plan, &r, page.Defaults); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) || !strings.Contains(string(got), `<section id="risk"`) {
		t.Errorf("the app's page differs from the command line's (%d bytes against %d), or has no risk section", len(got), want.Len())
	}
}
