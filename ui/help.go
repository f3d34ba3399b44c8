package ui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/internal/version"
)

// gridKeys are the keys of the grid and its editor, which no menu item
// carries.
var gridKeys = [][2]string{
	{"Arrows, Tab, Shift+Tab", "move in the grid"},
	{"Typing, or Enter", "edit the selected input in the bar above the grid"},
	{"Enter / Tab", "apply, and move down / right"},
	{"Esc", "cancel the edit"},
	{"Ctrl+Y", "redo, as Ctrl+Shift+Z"},
}

// shortcutHelp is what the keys do, as Help → Keyboard shortcuts shows it:
// the grid's keys, then every menu item that has a shortcut, read from the
// menu itself (the tabs' Ctrl+digit on one line), so a new item or tab
// cannot be left out.
func shortcutHelp(m *fyne.MainMenu) [][2]string {
	out := append([][2]string(nil), gridKeys...)
	var tabs []string
	first, last := "", ""
	for _, menu := range m.Items {
		for _, it := range menu.Items {
			if it.Shortcut == nil || it.IsSeparator {
				continue
			}
			key := shortcutKeys(it.Shortcut)
			if menu.Label == "View" && len(key) == len("Ctrl+1") && key[len(key)-1] >= '0' && key[len(key)-1] <= '9' {
				if first == "" {
					first = key
				}
				last = key
				tabs = append(tabs, it.Label)
				continue
			}
			out = append(out, [2]string{key, menu.Label + " → " + strings.TrimSuffix(it.Label, "…")})
		}
	}
	if len(tabs) > 0 {
		out = append(out, [2]string{first + " … " + last, "show a tab: " + strings.Join(tabs, ", ")})
	}
	return out
}

// shortcutKeys writes a shortcut as people type it: "Ctrl+Shift+S".
func shortcutKeys(s fyne.Shortcut) string {
	switch v := s.(type) {
	case *fyne.ShortcutUndo:
		return "Ctrl+Z"
	case *fyne.ShortcutRedo:
		return "Ctrl+Y"
	case *desktop.CustomShortcut:
		k := "Ctrl+"
		if v.Modifier&fyne.KeyModifierShift != 0 {
			k += "Shift+"
		}
		return k + string(v.KeyName)
	}
	return s.ShortcutName()
}

func (w *Window) showShortcuts() {
	grid := container.New(layout.NewFormLayout()) // the keys' column as wide as the widest key
	for _, s := range shortcutHelp(w.win.MainMenu()) {
		grid.Add(widget.NewLabelWithStyle(s[0], fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		grid.Add(widget.NewLabel(s[1]))
	}
	d := dialog.NewCustom("Keyboard shortcuts", "Close", container.NewVScroll(grid), w.win)
	d.Resize(fyne.NewSize(640, 560))
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
