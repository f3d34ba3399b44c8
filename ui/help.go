package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/internal/version"
)

// shortcutHelp lists what the keys do, as the Help → Keyboard shortcuts
// dialog and README show them.
var shortcutHelp = [][2]string{
	{"Arrows, Tab, Shift+Tab", "move in the grid"},
	{"Typing, or Enter", "edit the selected input in the bar above the grid"},
	{"Enter / Tab", "apply, and move down / right"},
	{"Esc", "cancel the edit"},
	{"Ctrl+Z", "undo (in the cell editor: its typing)"},
	{"Ctrl+Shift+Z or Ctrl+Y", "redo"},
	{"Ctrl+N, Ctrl+O", "new plan, open a plan"},
	{"Ctrl+S, Ctrl+Shift+S", "save, save as"},
	{"Ctrl+E", "export to Excel"},
	{"Ctrl+Q", "quit (asks first when there are unsaved changes)"},
	{"Ctrl+R", "rehearse: → or Space next, ← back, Q quiz, Esc leave"},
	{"Ctrl+1 … Ctrl+9", "Model, Roadmap, Costs, Explain, Scale, Latency, Compare, Risk, Commitments"},
	{"Ctrl+L", "check the selected phase's latency with the simulator"},
	{"Ctrl+B", "pick a node from the price book"},
}

func (w *Window) showShortcuts() {
	grid := container.NewGridWithColumns(2)
	for _, s := range shortcutHelp {
		grid.Add(widget.NewLabelWithStyle(s[0], fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		grid.Add(widget.NewLabel(s[1]))
	}
	d := dialog.NewCustom("Keyboard shortcuts", "Close", grid, w.win)
	w.show(d)
}

func (w *Window) showAbout() {
	text := widget.NewLabel(version.String() + ".\n\nPlans how an AI inference service scales and what it costs: " +
		"nodes, GPU, storage and network cost, latency hour by hour (checked against a simulator), SLO checks and break-even. " +
		"The model is written down in docs/model.md.")
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("About scaleplan", "Close", text, w.win)
	d.Resize(fyne.NewSize(520, 240))
	w.show(d)
}
