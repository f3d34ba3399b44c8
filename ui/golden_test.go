package ui

import (
	"fmt"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/planner"
)

// Markup goldens pin down what the grid and the charts draw: which texts,
// where, in which theme colours. Regenerate deliberately (delete the file,
// run the test, read the new one) when the look changes or Fyne is upgraded.

func seedDoc(t testing.TB) *Document {
	p, err := planner.Load(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	return NewDocument(p, seedPath)
}

func TestGridMarkup(t *testing.T) {
	test.NewTempApp(t)
	g := NewGrid(seedDoc(t))
	w := test.NewTempWindow(t, g)
	w.Resize(fyne.NewSize(1000, 520))
	g.Select(widget.TableCellID{Row: rowOf(t, g, "calls_per_day"), Col: 2})
	test.AssertRendersToMarkup(t, "grid.xml", w.Canvas())
}

func TestRoadmapMarkup(t *testing.T) {
	test.NewTempApp(t)
	r := NewRoadmap(seedDoc(t))
	w := test.NewTempWindow(t, r)
	w.Resize(fyne.NewSize(900, 260))
	test.AssertRendersToMarkup(t, "roadmap.xml", w.Canvas())
}

func TestCostsMarkup(t *testing.T) {
	test.NewTempApp(t)
	c := NewCosts(seedDoc(t))
	w := test.NewTempWindow(t, c)
	w.Resize(fyne.NewSize(900, 560))
	test.AssertRendersToMarkup(t, "costs.xml", w.Canvas())
}

// BenchmarkEditRecomputeRefresh is one keystroke's worth of work on a
// 100-phase plan: a cell edit through the planner, a recompute of the whole
// plan, and the window's refresh (grid, charts, checks, status).
func BenchmarkEditRecomputeRefresh(b *testing.B) {
	test.NewTempApp(b)
	p, err := planner.Load(seedPath)
	if err != nil {
		b.Fatal(err)
	}
	base := p.Phases
	p.Phases = make([]planner.Phase, 100)
	p.Scenarios = nil // they name the seed's phases, renamed here
	for i := range p.Phases {
		p.Phases[i] = base[i%3]
		p.Phases[i].Name = fmt.Sprintf("Phase %d", i+1)
	}
	w := NewWindow(fyne.CurrentApp(), NewDocument(p, ""), "", testExporter)
	w.Win().Resize(fyne.NewSize(1280, 800))
	g := w.grid
	id := widget.TableCellID{Row: rowOfB(g, "calls_per_day"), Col: 50}
	g.Select(id)
	values := []string{"2000000", "2100000"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := g.Commit(id, values[i%2]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func rowOfB(g *Grid, key string) int {
	for i, r := range g.rows {
		if r.line != nil && r.line.Key == key {
			return i + 1
		}
	}
	return -1
}

func TestScaleMarkup(t *testing.T) {
	test.NewTempApp(t)
	s := NewScale(seedDoc(t), func() int { return 2 })
	w := test.NewTempWindow(t, s)
	w.Resize(fyne.NewSize(900, 620))
	test.AssertRendersToMarkup(t, "scale.xml", w.Canvas())
}
