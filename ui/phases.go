package ui

// Phase and plan-wide edits from the toolbar and the Edit menu.

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/report"
)

// phase returns the selected phase, or the first when none is selected.
func (w *Window) phase() int { return max(w.grid.SelectedPhase(), 0) }

func (w *Window) addPhase() {
	p, at, err := planner.AddPhase(w.doc.Latest(), w.phase())
	if err != nil {
		w.show(dialog.NewError(fmt.Errorf("no phase was added: %w", err), w.win))
		return
	}
	w.doc.Apply(p)
	w.grid.SelectPhase(at)
}

func (w *Window) duplicatePhase() {
	p, at, err := planner.DuplicatePhase(w.doc.Latest(), w.phase())
	if err != nil {
		w.show(dialog.NewError(fmt.Errorf("the phase was not duplicated: %w", err), w.win))
		return
	}
	w.doc.Apply(p)
	w.grid.SelectPhase(at)
}

func (w *Window) deletePhase() {
	i := w.phase()
	if err := w.doc.Edit(func(p planner.Plan) (planner.Plan, error) { return planner.DeletePhase(p, i) }); err != nil {
		w.show(dialog.NewError(err, w.win))
		return
	}
	w.grid.SelectPhase(min(i, len(w.doc.Plan.Phases)-1))
}

func (w *Window) movePhase(delta int) {
	p, at := planner.MovePhase(w.doc.Latest(), w.phase(), delta)
	if at != w.phase() {
		w.doc.Apply(p)
		w.grid.SelectPhase(at)
	}
}

func (w *Window) renamePhase() {
	i := w.phase()
	e := newFormEntry(false)
	e.SetText(w.doc.Plan.Phases[i].Name)
	w.showForm("Rename phase", "Rename", "Cancel", []*widget.FormItem{widget.NewFormItem("Name", e)}, func(ok bool) {
		if !ok {
			return
		}
		if err := w.doc.Edit(func(p planner.Plan) (planner.Plan, error) { return planner.SetInput(p, i, planner.KeyName, e.Text) }); err != nil {
			w.show(dialog.NewError(err, w.win))
		}
	})
}

func (w *Window) resetOverride() {
	if w.resetToBase() {
		return
	}
	id := w.grid.Selected()
	l := w.grid.line(id.Row)
	i := w.grid.SelectedPhase()
	if l == nil || i < 0 || l.Kind != report.AssumptionInput || !w.doc.Plan.Phases[i].Overrides.Has(l.Field) {
		w.setError("Select a cell that overrides the plan default (shaded orange) to reset it.")
		return
	}
	w.doc.Apply(planner.ResetOverride(w.doc.Latest(), i, l.Field))
}

// settings edits the plan-wide values in one undoable step.
func (w *Window) settings() {
	p := w.doc.Latest()
	opt := func(o planner.Opt[decimalT]) string {
		if !o.Valid {
			return ""
		}
		return o.Val.String()
	}
	name, cur, start := newFormEntry(false), newFormEntry(false), newFormEntry(false)
	notes := newFormEntry(true)
	notes.SetMinRowsVisible(5)
	name.SetText(p.Name)
	cur.SetText(p.Currency)
	start.SetText(p.StartDate.String())
	notes.SetText(p.Notes)
	items := []*widget.FormItem{widget.NewFormItem("Name", name), widget.NewFormItem("Currency", cur), widget.NewFormItem("Start date", start)}
	// One entry per objective, from the planner's list of them.
	slos := planner.SLOFields()
	sloEntries := make([]*formEntry, len(slos))
	for k, f := range slos {
		e := newFormEntry(false)
		e.SetText(opt(f.Of(p.SLO)))
		hint := "blank: not checked"
		if f.Share {
			hint = "e.g. 0.5 or 50% (" + hint + ")"
		}
		e.SetPlaceHolder(hint)
		sloEntries[k] = e
		items = append(items, widget.NewFormItem(fmt.Sprintf("%s (%s)", f.Label, f.Unit), e))
	}
	items = append(items, widget.NewFormItem("Notes", notes))
	d := dialog.NewForm("Plan settings", "Apply", "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		err := w.doc.Edit(func(p planner.Plan) (planner.Plan, error) {
			var err error
			for _, s := range []struct{ key, text string }{{"name", name.Text}, {"currency", cur.Text}, {"start_date", start.Text}, {"notes", notes.Text}} {
				if p, err = planner.SetPlanField(p, s.key, s.text); err != nil {
					return p, err
				}
			}
			for k, f := range slos {
				if p, err = planner.SetInput(p, planner.PlanDefault, f.Key, sloEntries[k].Text); err != nil {
					return p, err
				}
			}
			return p, nil
		})
		if err != nil {
			w.show(dialog.NewError(fmt.Errorf("nothing was changed: %w", err), w.win))
		}
	}, w.win)
	wireFormKeys(d, items)
	d.Resize(fyne.NewSize(640, 540))
	w.show(d)
}
