package ui

// Scenarios in the window: the switcher in the toolbar shows the plan
// itself or one of its scenarios; with a scenario shown, editing a cell
// writes that scenario's override (tinted purple) and Reset puts the cell
// back to the plan's value. New, duplicate, rename and delete are in the
// Edit menu, each one undoable step.

import (
	"fmt"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/planner"
)

// planItself is the switcher's entry for the plan without a scenario.
const planItself = "The plan itself"

// newScenarioSwitch is the toolbar's scenario menu.
func (w *Window) newScenarioSwitch() *widget.Select {
	s := widget.NewSelect(nil, func(name string) {
		if name == planItself {
			name = ""
		}
		if name != w.doc.Scenario {
			w.doc.ShowScenario(name)
			w.refocus() // the keyboard goes back to the grid
		}
	})
	s.PlaceHolder = planItself
	return s
}

// refreshScenarioSwitch keeps the switcher's entries and choice in step
// with the plan (a scenario added, renamed, deleted or undone).
func (w *Window) refreshScenarioSwitch() {
	opts := []string{planItself}
	for _, s := range w.doc.Plan.Scenarios {
		opts = append(opts, s.Name)
	}
	w.scenarioSwitch.SetOptions(opts)
	shown := w.doc.Scenario
	if shown == "" {
		shown = planItself
	}
	if w.scenarioSwitch.Selected != shown {
		w.scenarioSwitch.SetSelected(shown)
	}
	if len(opts) == 1 {
		w.scenarioSwitch.Disable()
	} else {
		w.scenarioSwitch.Enable()
	}
}

// newScenario adds a scenario (a copy of the one shown, when one is) and
// shows it.
func (w *Window) newScenario(duplicate bool) {
	from, base := "", "New scenario"
	if duplicate {
		if w.doc.Scenario == "" {
			w.setError("Show a scenario in the toolbar's menu to duplicate it.")
			return
		}
		from, base = w.doc.Scenario, w.doc.Scenario+" (copy)"
	}
	p, name, err := planner.AddScenario(w.doc.Latest(), base, from)
	if err != nil {
		w.show(dialog.NewError(err, w.win))
		return
	}
	w.doc.Apply(p)
	w.doc.ShowScenario(name)
}

func (w *Window) renameScenario() {
	old := w.doc.Scenario
	if old == "" {
		w.setError("Show a scenario in the toolbar's menu to rename it.")
		return
	}
	e := newFormEntry(false)
	e.SetText(old)
	w.showForm("Rename scenario", "Rename", "Cancel", []*widget.FormItem{widget.NewFormItem("Name", e)}, func(ok bool) {
		if !ok {
			return
		}
		if err := w.doc.Edit(func(p planner.Plan) (planner.Plan, error) { return planner.RenameScenario(p, old, e.Text) }); err != nil {
			w.show(dialog.NewError(err, w.win))
			return
		}
		w.doc.ShowScenario(e.Text)
	})
}

func (w *Window) deleteScenario() {
	name := w.doc.Scenario
	if name == "" {
		w.setError("Show a scenario in the toolbar's menu to delete it.")
		return
	}
	w.doc.Scenario = ""
	w.doc.Apply(planner.DeleteScenario(w.doc.Latest(), name))
	w.setError(fmt.Sprintf("Deleted the scenario %q; Ctrl+Z brings it back.", name))
}

// resetToBase puts a cell the shown scenario overrides back to the plan's
// value; it reports whether there was one.
func (w *Window) resetToBase() bool {
	s := w.doc.Scenario
	path := w.grid.scenarioPath(w.grid.Selected())
	if s == "" || path == "" || !w.grid.scenarioPaths[path] {
		return false
	}
	w.doc.Apply(planner.ResetScenarioInput(w.doc.Latest(), s, path))
	return true
}
