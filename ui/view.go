package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/report"
)

// view is one tab of the window, each in a file of its own: its name and
// icon, what it shows, and how it redraws after an edit (only the tab
// shown redraws; the others when they are selected). Window.views lists
// them in tab order, and the tabs, the View menu, Ctrl+digit and Help →
// Keyboard shortcuts are all made from that list: a new tab is a file and
// one entry there.
type view interface {
	Name() string
	Icon() fyne.Resource
	Content() fyne.CanvasObject
	Refresh()
}

// maxViews is how many tabs Ctrl+1 … Ctrl+9 and Ctrl+0 can show.
const maxViews = 10

// viewKey is the digit that shows the i-th view (0-based): 1 … 9, then 0.
func viewKey(i int) (fyne.KeyName, bool) {
	switch {
	case i < 9:
		return fyne.KeyName(fmt.Sprint(i + 1)), true
	case i == 9:
		return fyne.Key0, true
	}
	return "", false
}

// views are the window's tabs, in order.
func (w *Window) views() []view {
	return []view{
		&modelView{w.grid},
		&roadmapView{w.roadmap, w.info},
		&costsView{w.costs, w.costInfo},
		&explainView{doc: w.doc},
		w.scale,
		w.latency,
		w.compare,
		w.risk,
		w.commit,
		w.actuals,
	}
}

// modelView is the grid: it redraws itself.
type modelView struct{ grid *Grid }

func (v *modelView) Name() string               { return tabModel }
func (v *modelView) Icon() fyne.Resource        { return theme.GridIcon() }
func (v *modelView) Content() fyne.CanvasObject { return v.grid }
func (v *modelView) Refresh()                   {}

// roadmapView is the phases as bars on a calendar, with the bar's numbers below.
type roadmapView struct {
	roadmap *Roadmap
	info    *widget.Label
}

func (v *roadmapView) Name() string        { return tabRoadmap }
func (v *roadmapView) Icon() fyne.Resource { return theme.ListIcon() }
func (v *roadmapView) Content() fyne.CanvasObject {
	return container.NewBorder(nil, container.NewPadded(v.info), nil, nil, container.NewVScroll(v.roadmap))
}
func (v *roadmapView) Refresh() { v.roadmap.Refresh() }

// costsView is each phase's cost, stacked by line, with a column's numbers below.
type costsView struct {
	costs *Costs
	info  *widget.Label
}

func (v *costsView) Name() string        { return tabCosts }
func (v *costsView) Icon() fyne.Resource { return theme.InfoIcon() }
func (v *costsView) Content() fyne.CanvasObject {
	return container.NewBorder(nil, container.NewPadded(v.info), nil, nil, v.costs)
}
func (v *costsView) Refresh() { v.costs.Refresh() }

// explainView is the sizing derivation, phase by phase, in words.
type explainView struct {
	doc   *Document
	label *widget.Label
}

func (v *explainView) Name() string        { return tabExplain }
func (v *explainView) Icon() fyne.Resource { return theme.HelpIcon() }
func (v *explainView) Content() fyne.CanvasObject {
	if v.label == nil {
		v.label = widget.NewLabel("")
		v.label.Wrapping = fyne.TextWrapWord
	}
	return container.NewVScroll(container.NewPadded(v.label))
}
func (v *explainView) Refresh() { v.label.SetText(report.Explain(v.doc.View, &v.doc.Result)) }

// explainText is what the Explain tab shows (tests).
func (w *Window) explainText() string {
	for _, v := range w.tabList {
		if e, ok := v.(*explainView); ok {
			return e.label.Text
		}
	}
	return ""
}
