package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"
)

// Opening a plan whose cited price the book now gives differently says so,
// old → new with dates, and takes the book's price as one undoable edit;
// the grid shows where each cited price comes from.
func TestOpeningAPlanWithAChangedBookPrice(t *testing.T) {
	data, err := os.ReadFile("../testdata/book-prices-roadmap.json")
	if err != nil {
		t.Fatal(err)
	}
	old := strings.Replace(string(data), `"hourly": 6.88, "as_of": "2026-09-29"`, `"hourly": 7.5, "as_of": "2026-01-01"`, 1)
	path := filepath.Join(t.TempDir(), "old-prices.json")
	if err := os.WriteFile(path, []byte(old), 0o644); err != nil {
		t.Fatal(err)
	}
	w := newTestWindow(t)
	if err := w.OpenPath(path); err != nil {
		t.Fatal(err)
	}
	w.doc.Settle()
	if !w.doc.Plan.Assumptions.NodeHourly.Equal(decimal.RequireFromString("6.88")) || !w.doc.Dirty() || !w.doc.CanUndo() {
		t.Errorf("after opening: price %s, dirty %v, undo %v", w.doc.Plan.Assumptions.NodeHourly, w.doc.Dirty(), w.doc.CanUndo())
	}
	inOverlay(t, w, func(o fyne.CanvasObject) bool {
		l, ok := o.(*widget.Label)
		return ok && strings.Contains(l.Text, "assumptions.node_hourly, p5.4xlarge on_demand (builtin book, us-east-1): $7.50 (2026-01-01) → $6.88 (2026-09-29)")
	})
	id := widget.TableCellID{Row: rowOf(t, w.grid, "node_hourly"), Col: 1}
	if got := w.grid.look(id).sub; got != "p5.4xlarge · as of 2026-09-29" {
		t.Errorf("the cell's second line is %q", got)
	}
	useMenu(t, w, "Edit", "Undo")
	w.doc.Settle()
	if !w.doc.Plan.Assumptions.NodeHourly.Equal(decimal.RequireFromString("7.5")) {
		t.Errorf("undo left the price at %s", w.doc.Plan.Assumptions.NodeHourly)
	}
}
