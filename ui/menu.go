package ui

// The main menu and its shortcuts.

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// menu builds the main menu. Shortcuts sit on menu items, which since Fyne
// 2.6 run before a focused Entry takes the keys.
func (w *Window) menu() *fyne.MainMenu {
	sc := func(k fyne.KeyName, shift bool) fyne.Shortcut {
		m := fyne.KeyModifierShortcutDefault
		if shift {
			m |= fyne.KeyModifierShift
		}
		return &desktop.CustomShortcut{KeyName: k, Modifier: m}
	}
	item := func(label string, f func(), s fyne.Shortcut) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, f)
		it.Shortcut = s
		return it
	}
	w.recent = fyne.NewMenuItem("Open Recent", nil)
	w.recent.ChildMenu = fyne.NewMenu("")
	w.refreshRecent()
	file := fyne.NewMenu("File",
		item("New", w.newPlan, sc(fyne.KeyN, false)),
		item("Open…", w.openDialog, sc(fyne.KeyO, false)),
		w.recent,
		fyne.NewMenuItemSeparator(),
		item("Save", w.save, sc(fyne.KeyS, false)),
		item("Save As…", w.saveAsDialog, sc(fyne.KeyS, true)),
		item("Export to Excel…", w.exportDialog, sc(fyne.KeyE, false)),
		item("Export report…", w.reportDialog, sc(fyne.KeyE, true)),
		item("Import load test…", w.importBenchDialog, sc(fyne.KeyI, false)),
		item("Import actuals…", w.importActualsDialog, sc(fyne.KeyI, true)),
		fyne.NewMenuItemSeparator(),
		item("Rehearse", func() {
			if w.rehearsal == nil {
				w.StartRehearsal()
			}
		}, sc(fyne.KeyR, false)),
		fyne.NewMenuItemSeparator(),
		quitItem(item("Quit", func() { w.confirmDiscard("quitting", w.quit) }, sc(fyne.KeyQ, false))),
	)
	// The desktop driver delivers Ctrl+Z as fyne.ShortcutUndo and Ctrl+Y as
	// fyne.ShortcutRedo, never as a custom Ctrl+Z: the menu must name them
	// so (a custom shortcut for Z never fired in the real window). Ctrl+Shift+Z
	// arrives as a custom shortcut and is the Redo item's; Ctrl+Y reaches the
	// canvas (see build).
	edit := fyne.NewMenu("Edit",
		item("Undo", w.undo, &fyne.ShortcutUndo{}),
		item("Redo", w.redo, sc(fyne.KeyZ, true)),
		fyne.NewMenuItemSeparator(),
		item("Add phase", w.addPhase, nil),
		item("Duplicate phase", w.duplicatePhase, nil),
		item("Delete phase", w.deletePhase, nil),
		item("Move phase left", func() { w.movePhase(-1) }, nil),
		item("Move phase right", func() { w.movePhase(+1) }, nil),
		item("Rename phase…", w.renamePhase, nil),
		item("Reset cell to default (the plan's, in a scenario)", w.resetOverride, nil),
		fyne.NewMenuItemSeparator(),
		item("New scenario", func() { w.newScenario(false) }, nil),
		item("Duplicate scenario", func() { w.newScenario(true) }, nil),
		item("Rename scenario…", w.renameScenario, nil),
		item("Delete scenario", w.deleteScenario, nil),
		fyne.NewMenuItemSeparator(),
		item("Add component…", w.addComponent, nil),
		item("Edit component…", func() { w.editComponent(w.selectedComponent()) }, nil),
		item("Delete component", func() { w.deleteComponent(w.selectedComponent()) }, nil),
		item("Move component up", func() { w.moveComponent(w.selectedComponent(), -1) }, nil),
		item("Move component down", func() { w.moveComponent(w.selectedComponent(), +1) }, nil),
		fyne.NewMenuItemSeparator(),
		item("Pick a node from the price book…", w.pickNode, sc(fyne.KeyB, false)),
		item("Find the cheapest offer…", w.findCheapest, sc(fyne.KeyB, true)),
		item("Plan settings…", w.settings, nil),
	)
	// Ctrl+1 … Ctrl+9, then Ctrl+0, show the tabs in order.
	var views []*fyne.MenuItem
	for i, t := range w.tabList {
		name := t.Name()
		var s fyne.Shortcut
		if k, ok := viewKey(i); ok {
			s = sc(k, false)
		}
		views = append(views, item(name, func() { w.showTab(name) }, s))
	}
	views = append(views, fyne.NewMenuItemSeparator(),
		item("Check latency with simulation", func() { w.showTab(tabLatency); w.latency.Simulate() }, sc(fyne.KeyL, false)))
	view := fyne.NewMenu("View", views...)
	help := fyne.NewMenu("Help",
		item("Keyboard shortcuts", w.showShortcuts, nil),
		item("About scaleplan", w.showAbout, nil),
	)
	return fyne.NewMainMenu(file, edit, view, help)
}
