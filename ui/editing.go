package ui

// Editing cells: the editor bar, committing and cancelling, undo and redo.

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/report"
)

// selected shows the selected cell in the editor bar.
func (w *Window) selected(id widget.TableCellID) {
	w.grid.ClearInvalid()
	w.setError("")
	l := w.grid.line(id.Row)
	phase := w.grid.SelectedPhase()
	switch {
	case l == nil || phase < 0:
		w.cellName.SetText("")
		w.entry.SetText("")
		w.entry.Disable()
		return
	case l.Component > 0:
		w.cellName.SetText(w.doc.Result.Phases[phase].Name + " · " + l.Label)
		w.entry.SetText(l.Phase(&w.doc.Result, phase) + "   (a component: Enter edits it, Delete removes it)")
		w.entry.Disable()
		return
	case !w.grid.Editable(id):
		w.cellName.SetText(w.doc.Result.Phases[phase].Name + " · " + l.Label)
		w.entry.SetText(l.Phase(&w.doc.Result, phase) + "   (computed)")
		w.entry.Disable()
		return
	}
	name := w.doc.Result.Phases[phase].Name + " · " + l.Label
	if l.Kind == report.PlanInput {
		name = "Plan · " + l.Label
	}
	w.cellName.SetText(name)
	w.entry.Enable()
	w.entry.SetText(w.grid.EditText(id))
}

// editHint sits under the editor when there is no error, so the layout does
// not jump when a message appears.
const editHint = "Type or press Enter to edit the selected input · Enter applies · Tab applies and moves right · Esc cancels"

// setError shows a refused edit's message under the editor, or the hint.
func (w *Window) setError(msg string) {
	w.editErr = msg
	if msg == "" {
		w.entryErr.Importance = widget.LowImportance
		w.entryErr.SetText(editHint)
		return
	}
	w.entryErr.Importance = widget.DangerImportance
	w.entryErr.SetText(msg)
}

// setNote shows what an action did, under the editor, in the plain colour
// (setError's red is for what was refused).
func (w *Window) setNote(msg string) {
	w.setError(msg)
	w.entryErr.Importance = widget.MediumImportance
	w.entryErr.Refresh()
}

func (w *Window) startEdit(initial string, keep bool) {
	if !keep {
		w.entry.SetText(initial)
	}
	w.win.Canvas().Focus(w.entry)
	w.entry.CursorColumn = len([]rune(w.entry.Text))
	w.entry.Refresh()
}

func (w *Window) commitEdit(moveRight bool) {
	id := w.grid.Selected()
	if err := w.grid.Commit(id, w.entry.Text); err != nil {
		w.setError(err.Error())
		return
	}
	w.setError("")
	w.win.Canvas().Focus(w.grid)
	if moveRight {
		w.grid.move(0, 1)
	} else {
		w.grid.move(1, 0)
	}
}

func (w *Window) cancelEdit() {
	w.grid.ClearInvalid()
	w.setError("")
	w.entry.SetText(w.grid.EditText(w.grid.Selected()))
	w.win.Canvas().Focus(w.grid)
}

// undo undoes the last plan edit, or the typing in the editor while it has
// the keyboard (as a spreadsheet's cell editor does).
func (w *Window) undo() {
	if w.win.Canvas().Focused() == w.entry {
		w.entry.Entry.TypedShortcut(&fyne.ShortcutUndo{})
		return
	}
	w.doc.Undo()
}

// redo redoes the last undone plan edit, or the editor's typing.
func (w *Window) redo() {
	if w.win.Canvas().Focused() == w.entry {
		w.entry.Entry.TypedShortcut(&fyne.ShortcutRedo{})
		return
	}
	w.doc.Redo()
}
