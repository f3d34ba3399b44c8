package ui

// The status bar and the checks panel.

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/report"
)

func (w *Window) refreshStatus() {
	r := &w.doc.Result
	parts := []string{w.doc.Name()}
	if w.doc.Dirty() {
		parts[0] += " (unsaved)"
	}
	if s := w.doc.Scenario; s != "" {
		parts = append(parts, "scenario: "+s+" (edits write its overrides)")
	}
	parts = append(parts, "total "+format.Money(r.Totals.Cost.Total, r.Currency))
	if r.Totals.CostPerCall.Valid {
		parts = append(parts, format.MoneyPlacesN(r.Totals.CostPerCall.Val, r.Currency, format.CostPerCallPlaces)+" per call")
	}
	if r.BreakEven.Day.Valid {
		parts = append(parts, fmt.Sprintf("break-even %s (day %s)", r.BreakEven.Date.Val, format.Count(r.BreakEven.Day.Val)))
	} else {
		parts = append(parts, "no break-even within the plan")
	}
	if w.doc.Computing() {
		parts = append(parts, "recomputing…")
	}
	w.status.SetText(strings.Join(parts, "   ·   "))
	title := w.doc.Name() + " — scaleplan"
	if w.doc.Dirty() {
		title = "● " + title
	}
	w.win.SetTitle(title)
}

// CheckLines lists every failing check in words, phase by phase.
func (w *Window) CheckLines() []string {
	var out []string
	for i := range w.doc.Result.Phases {
		p := &w.doc.Result.Phases[i]
		for _, c := range p.FailedChecks() {
			out = append(out, p.Name+": "+report.CheckDetail(c))
		}
	}
	return out
}

func (w *Window) refreshChecks() {
	failing := w.CheckLines()
	total := 0
	for i := range w.doc.Result.Phases {
		total += len(w.doc.Result.Phases[i].Checks)
	}
	lines := make([]string, 0, len(failing)+1)
	for _, s := range failing {
		lines = append(lines, "✗ "+s)
	}
	if len(failing) == 0 {
		lines = append(lines, fmt.Sprintf("All %d checks pass.", total))
	} else {
		lines = append(lines, fmt.Sprintf("%d of %d checks pass.", total-len(failing), total))
	}
	// Most edits change one phase's checks: keep every label whose words are
	// unchanged, so the panel does not re-measure a hundred wrapped labels
	// on each keystroke.
	changed := len(lines) != len(w.checkLabels)
	for len(w.checkLabels) < len(lines) {
		l := widget.NewLabel("")
		l.Wrapping = fyne.TextWrapWord
		w.checkLabels = append(w.checkLabels, l)
	}
	w.checkLabels = w.checkLabels[:len(lines)]
	for k, text := range lines {
		l := w.checkLabels[k]
		imp := widget.DangerImportance
		if k == len(lines)-1 {
			imp = widget.MediumImportance
			if len(failing) == 0 {
				imp = widget.SuccessImportance
			}
		}
		if l.Text != text || l.Importance != imp {
			l.Importance = imp
			l.SetText(text)
		}
	}
	if changed {
		objs := make([]fyne.CanvasObject, len(w.checkLabels))
		for k, l := range w.checkLabels {
			objs[k] = l
		}
		w.checks.Objects = objs
		w.checks.Refresh()
	}
}
