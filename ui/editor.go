package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// cellEntry is the editor bar's text field: Enter commits, Tab commits and
// moves right, Escape cancels. It is the one editor for the whole grid, the
// sturdy pattern for a Fyne table (an Entry in every recycled cell loses
// edits and swallows the arrow keys).
type cellEntry struct {
	widget.Entry
	onCommit func(moveRight bool)
	onCancel func()
}

func newCellEntry() *cellEntry {
	e := &cellEntry{}
	e.ExtendBaseWidget(e)
	e.OnSubmitted = func(string) {
		if e.onCommit != nil {
			e.onCommit(false)
		}
	}
	return e
}

// TypedKey handles Escape and Tab before the Entry sees them.
func (e *cellEntry) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyEscape:
		if e.onCancel != nil {
			e.onCancel()
		}
	case fyne.KeyTab:
		if e.onCommit != nil {
			e.onCommit(true)
		}
	default:
		e.Entry.TypedKey(ev)
	}
}

// AcceptsTab lets Tab commit and move right instead of leaving the field.
func (e *cellEntry) AcceptsTab() bool { return true }

// formEntry is a text field of a form dialog that answers the keys a
// person expects of one: Escape cancels the form and, in a one-line field,
// Enter applies it (Fyne's form dialogs answer neither by themselves).
type formEntry struct {
	widget.Entry
	onEscape func()
}

func newFormEntry(multiLine bool) *formEntry {
	e := &formEntry{}
	e.MultiLine = multiLine
	if multiLine {
		e.Wrapping = fyne.TextWrapWord
	}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey cancels the form on Escape.
func (e *formEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(ev)
}

// wireFormKeys makes the form's text fields answer Escape (cancel) and
// Enter (apply, in one-line fields).
func wireFormKeys(d *dialog.FormDialog, items []*widget.FormItem) {
	for _, it := range items {
		if e, ok := it.Widget.(*formEntry); ok {
			e.onEscape = d.Hide
			if !e.MultiLine {
				e.OnSubmitted = func(string) { d.Submit() }
			}
		}
	}
}

var _ fyne.Focusable = (*formEntry)(nil)
