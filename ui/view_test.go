package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// probeView is a tab made for the test: what a new view is, one file with
// these four methods.
type probeView struct {
	label     *widget.Label
	refreshed int
}

func (v *probeView) Name() string               { return "Probe" }
func (v *probeView) Icon() fyne.Resource        { return theme.SearchIcon() }
func (v *probeView) Content() fyne.CanvasObject { return v.label }
func (v *probeView) Refresh()                   { v.refreshed++ }

// A new tab is a view and one entry in the list: it is a tab, the View
// menu shows it with the next Ctrl+digit (the tenth is Ctrl+0), the menu
// item selects it, selecting it redraws it, and Help → Keyboard shortcuts
// names it. More views than Ctrl+digits is a test failure, not a tab
// without a key.
func TestANewViewIsOneEntry(t *testing.T) {
	w := newTestWindow(t)
	n := len(w.views())
	if n > maxViews {
		t.Fatalf("%d views, and only %d have a Ctrl+digit", n, maxViews)
	}
	if n == maxViews { // every digit is taken: the probe stands in for the last view
		w.tabs.RemoveIndex(n - 1)
		w.tabList = w.tabList[:n-1]
	}
	v := &probeView{label: widget.NewLabel("probe")}
	w.appendView(v)
	w.win.SetMainMenu(w.menu())
	if n := len(w.tabs.Items); n != len(w.tabList) || w.tabs.Items[n-1].Text != "Probe" {
		t.Fatalf("the tabs end with %q, %d of them for %d views", w.tabs.Items[n-1].Text, n, len(w.tabList))
	}
	item := menuItem(t, w, "View", "Probe")
	key, _ := viewKey(len(w.tabList) - 1)
	if s, ok := item.Shortcut.(*desktop.CustomShortcut); !ok || s.KeyName != key || s.Modifier != fyne.KeyModifierShortcutDefault {
		t.Errorf("Probe's shortcut %+v, want Ctrl+%s", item.Shortcut, key)
	}
	before := v.refreshed
	item.Action()
	if got := w.tabs.Selected(); got == nil || got.Text != "Probe" || v.refreshed == before {
		t.Errorf("the menu item shows %v and redrew the view %d times", got, v.refreshed-before)
	}
	help := fmt.Sprint(shortcutHelp(w.win.MainMenu()))
	if !strings.Contains(help, "Ctrl+1 … Ctrl+"+string(key)+" show a tab: ") || !strings.Contains(help, "Commitments, Probe") {
		t.Errorf("the help does not name the new tab and its key:\n%s", help)
	}
}

// The digits run 1 … 9, then 0; past ten there is none.
func TestViewKeys(t *testing.T) {
	for i, want := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"} {
		if k, ok := viewKey(i); !ok || string(k) != want {
			t.Errorf("view %d: %q %v, want %s", i, k, ok, want)
		}
	}
	if _, ok := viewKey(maxViews); ok {
		t.Error("an eleventh view has a key")
	}
}

// useMenu does what choosing a menu item does, through the window's menu,
// so a test exercises the item a person uses and not the handler behind it.
func useMenu(t *testing.T, w *Window, menu, label string) {
	t.Helper()
	menuItem(t, w, menu, label).Action()
}
