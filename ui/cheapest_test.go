package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/planner"
)

// withArchitecture gives the seed's 8B variant its architecture and Phase
// 2 its prompt, as a person would in the grid.
func withArchitecture(t *testing.T, w *Window) {
	t.Helper()
	if err := w.doc.Edit(func(p planner.Plan) (planner.Plan, error) {
		var err error
		for k, v := range map[string]string{"params_b": "8.03", "layers": "32", "kv_heads": "8", "head_dim": "128"} {
			if p, err = planner.SetVariant(p, "large", k, v); err != nil {
				return p, err
			}
		}
		p, err = planner.SetInput(p, 2, "input_tokens", "1470")
		if err != nil {
			return p, err
		}
		return planner.SetInput(p, 2, "output_tokens", "1")
	}); err != nil {
		t.Fatal(err)
	}
	w.doc.Settle()
}

// The ranking is worked off the UI goroutine; its rows are cheapest
// first, re-sorted by the column chosen; Use it sets the phase's node to
// the row selected, with the estimate as ranges, and one undo takes it
// back.
func TestCheapestViewRanksAndApplies(t *testing.T) {
	w := newTestWindow(t)
	withArchitecture(t, w)
	before := w.doc.Plan.Clone()
	v := rankPhase2(t, w)
	if len(v.rows) < 10 {
		t.Fatalf("%d rows; %s", len(v.rows), v.status.Text)
	}
	for k := 1; k < len(v.rows); k++ {
		if v.rows[k].Cost.LessThan(v.rows[k-1].Cost) {
			t.Fatalf("row %d is cheaper than the one before", k+1)
		}
	}
	v.sortBy.SetSelected("nodes")
	for k := 1; k < len(v.rows); k++ {
		if v.rows[k].Nodes < v.rows[k-1].Nodes {
			t.Fatalf("sorted by nodes, row %d has fewer than the one before", k+1)
		}
	}
	row := -1
	for k, c := range v.rows {
		if c.Instance == "g6e.xlarge" {
			row = k
		}
	}
	v.table.Select(widgetCell(row))
	test.Tap(overlayButton(t, w, "Use it"))
	w.doc.Settle()
	a := w.doc.Plan.Effective(2)
	if !strings.HasPrefix(a.NodeType, "g6e.xlarge") || a.NodeHourly.String() != "1.861" || a.GPUMemoryGiB.String() != "48" {
		t.Errorf("Phase 2 runs %q at %s with %s GiB", a.NodeType, a.NodeHourly, a.GPUMemoryGiB)
	}
	if _, ok := w.doc.Plan.RangeAt("variants[large].service_ms"); !ok {
		t.Error("the estimate was not written as a range")
	}
	useMenu(t, w, "Edit", "Undo")
	w.doc.Settle()
	if w.doc.Plan.Effective(2).NodeType != before.Effective(2).NodeType || len(w.doc.Plan.Ranges) != len(before.Ranges) {
		t.Error("one undo did not take the choice back")
	}
}

// Without the phase's prompt the ranking says what to set: the seed gives
// its models' architecture but no tokens.
func TestCheapestViewSaysWhatIsMissing(t *testing.T) {
	w := newTestWindow(t)
	v := rankPhase2(t, w)
	if !strings.Contains(v.status.Text, "Set the phase's Input tokens in the grid") {
		t.Errorf("status %q", v.status.Text)
	}
}

func widgetCell(row int) widget.TableCellID { return widget.TableCellID{Row: row, Col: 0} }

// rankPhase2 opens the ranking on Phase 2 and waits for its search.
func rankPhase2(t *testing.T, w *Window) *cheapestView {
	t.Helper()
	v := newCheapestView(w)
	done := make(chan struct{}, 4)
	v.done = func() { done <- struct{}{} }
	v.gate = make(chan struct{})
	v.show()
	v.phase.SetSelected("Phase 2")
	close(v.gate) // the search draws only once the test waits
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the ranking did not finish")
	}
	return v
}
