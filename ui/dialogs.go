package ui

// Showing dialogs so that the keyboard comes back to the grid.

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// shown is a dialog the window shows.
type shown interface {
	SetOnClosed(func())
	Show()
}

// show shows d and, once it closes with nothing else on top, gives the
// keyboard back to the grid: Fyne leaves nothing focused after a dialog,
// and the keys typed next were lost.
func (w *Window) show(d shown) {
	d.SetOnClosed(w.refocus)
	d.Show()
}

func (w *Window) refocus() {
	if w.rehearsal == nil && w.win.Canvas().Overlays().Top() == nil {
		w.win.Canvas().Focus(w.grid)
	}
}

func (w *Window) showConfirm(title, msg string, f func(bool)) {
	w.show(dialog.NewConfirm(title, msg, f, w.win))
}

func (w *Window) showForm(title, confirm, dismiss string, items []*widget.FormItem, f func(bool)) {
	d := dialog.NewForm(title, confirm, dismiss, items, f, w.win)
	wireFormKeys(d, items)
	w.show(d)
}

// quitItem marks it as the menu's Quit, so Fyne adds no second one.
func quitItem(it *fyne.MenuItem) *fyne.MenuItem {
	it.IsQuit = true
	return it
}
