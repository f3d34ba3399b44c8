package ui

import (
	"fyne.io/fyne/v2"
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
