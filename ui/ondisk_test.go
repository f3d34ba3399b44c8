package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/planner"
)

// planCopy is the seed plan written to a fresh folder, for a test to open.
func planCopy(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(seedPath)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// openWindow is a window on path, opened as File → Open does.
func openWindow(t *testing.T, path string) *Window {
	t.Helper()
	a := test.NewTempApp(t)
	w := NewWindow(a, NewDocument(planner.NewPlan(planner.NewDate(2027, 1, 1)), ""), "", testExporter)
	w.Win().Resize(fyne.NewSize(1280, 800))
	t.Cleanup(func() { w.releaseLock(); w.Win().Close() })
	if err := w.OpenPath(path); err != nil {
		t.Fatal(err)
	}
	return w
}

func overlayText(w *Window) string {
	var b strings.Builder
	walkObjects(w.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		switch v := o.(type) {
		case *widget.Label:
			b.WriteString(v.Text + "\n")
		case *widget.Button:
			b.WriteString("[" + v.Text + "]\n")
		}
		return false
	})
	return b.String()
}

// Another program changes the file while it is open: Save asks instead of
// overwriting; "Keep theirs" reads the file again as one undoable edit;
// "Keep mine" overwrites; a file nobody touched saves without a question.
func TestSaveAsksWhenAnotherProgramChangedTheFile(t *testing.T) {
	path := planCopy(t)
	w := openWindow(t, path)
	editCell(t, w, "calls_per_day", 1, "2500000")
	w.doc.Settle()
	theirs := strings.Replace(string(mustRead(t, path)), `"notes": "`, `"notes": "Their note. `, 1)
	if err := os.WriteFile(path, []byte(theirs), 0o644); err != nil {
		t.Fatal(err)
	}
	w.checkDisk() // the window comes back to the front
	if !strings.Contains(w.entryErr.Text, "plan.json was changed by another program since it was opened or saved here") {
		t.Errorf("coming back to the front says nothing of the change: %q", w.entryErr.Text)
	}
	useMenu(t, w, "File", "Save")
	if got := overlayText(w); !strings.Contains(got, "was changed by another program since you opened or last saved it here") || !strings.Contains(got, "[Keep theirs]") {
		t.Fatalf("no question before overwriting; dialog: %q", got)
	}
	if string(mustRead(t, path)) != theirs {
		t.Fatal("the other program's change was overwritten without an answer")
	}
	test.Tap(overlayButton(t, w, "Keep theirs"))
	w.doc.Settle()
	if !strings.HasPrefix(w.doc.Plan.Notes, "Their note. ") || w.doc.Plan.Phases[1].CallsPerDay == 2_500_000 || w.doc.Dirty() {
		t.Errorf("after Keep theirs: notes %.20q, dirty %v", w.doc.Plan.Notes, w.doc.Dirty())
	}
	useMenu(t, w, "Edit", "Undo")
	w.doc.Settle()
	if w.doc.Plan.Phases[1].CallsPerDay != 2_500_000 {
		t.Errorf("Undo did not bring back the window's version: %d calls a day", w.doc.Plan.Phases[1].CallsPerDay)
	}
	// Changed again behind its back; this time keep mine.
	if err := os.WriteFile(path, []byte(strings.Replace(theirs, "Their note. ", "A third note. ", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	useMenu(t, w, "File", "Save")
	test.Tap(overlayButton(t, w, "Keep mine"))
	if p, err := planner.Load(path); err != nil || p.Phases[1].CallsPerDay != 2_500_000 {
		t.Fatalf("Keep mine did not write this window's version: %v", err)
	}
	// Nothing changed since: a plain save, no question.
	editCell(t, w, "calls_per_day", 1, "2600000")
	w.doc.Settle()
	useMenu(t, w, "File", "Save")
	if p, _ := planner.Load(path); p.Phases[1].CallsPerDay != 2_600_000 || w.win.Canvas().Overlays().Top() != nil {
		t.Errorf("an untouched file did not simply save")
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// Two windows on one file: the first writes a lock file beside it; the
// second is told who has it and, read-only, saves only through Save As; a
// lock whose process is gone is taken over; a clean close leaves no lock.
func TestASecondOpenerIsToldWhoHasThePlan(t *testing.T) {
	path := planCopy(t)
	first := openWindow(t, path)
	l, ok := readLock(path)
	if !ok || !l.mine() {
		t.Fatalf("no lock beside the open plan: %v %+v", ok, l)
	}
	// The lock as another live scaleplan on this computer would have it.
	other := thisLock()
	other.PID = os.Getppid()
	if err := os.WriteFile(lockPath(path), []byte(other.line()), 0o644); err != nil {
		t.Fatal(err)
	}
	second := openWindow(t, path)
	if got := overlayText(second); !strings.Contains(got, "is open in another window: "+other.User) || !strings.Contains(got, "[Open read-only]") {
		t.Fatalf("the second opener was not told: %q", got)
	}
	test.Tap(overlayButton(t, second, "Open read-only"))
	editCell(t, second, "calls_per_day", 1, "2500000")
	second.doc.Settle()
	before := mustRead(t, path)
	second.save()
	if string(mustRead(t, path)) != string(before) {
		t.Error("a read-only window wrote over the plan")
	}
	if got := overlayText(second); !strings.Contains(got, "Save") {
		t.Errorf("Save from a read-only window did not ask for a new file: %q", got)
	}
	if l, _ := readLock(path); l.PID != other.PID {
		t.Errorf("the read-only window took the lock: %+v", l)
	}
	// A lock left by a process that is gone is taken over, and said.
	gone := thisLock()
	gone.PID = 1 << 22 // beyond pid_max's default: no such process
	os.WriteFile(lockPath(path), []byte(gone.line()), 0o644)
	third := openWindow(t, path)
	if l, _ := readLock(path); !l.mine() || !strings.Contains(third.entryErr.Text, "no longer running") {
		t.Errorf("a stale lock was not taken over: %+v, %q", l, third.entryErr.Text)
	}
	third.releaseLock()
	if _, err := os.Stat(lockPath(path)); !os.IsNotExist(err) {
		t.Error("the lock outlived a clean close")
	}
	_ = first
}

// Unsaved work is restored onto its own file only: kept with its absolute
// path and the version it was made on; a relative path from an older
// scaleplan, or a file that changed since, restores as a new unsaved plan.
func TestRestoreNeverLandsOnAnotherFile(t *testing.T) {
	path := planCopy(t)
	w := openWindow(t, path)
	editCell(t, w, "calls_per_day", 1, "2500000")
	w.doc.Settle()
	snap := w.doc.RecoverySnapshot()
	file := filepath.Join(t.TempDir(), "recovery.json")
	if err := os.WriteFile(file, snap, 0o600); err != nil {
		t.Fatal(err)
	}
	rec, err := ReadRecovery(file)
	if err != nil {
		t.Fatal(err)
	}
	if got, same, why := rec.RecoveredFrom(); got != canonicalPath(path) || !filepath.IsAbs(got) || !same {
		t.Errorf("recovered from %q (same %v: %s), want %q", got, same, why, canonicalPath(path))
	}
	// The file changed since: not the same one.
	os.WriteFile(path, []byte(strings.Replace(string(mustRead(t, path)), `"notes": "`, `"notes": "Changed. `, 1)), 0o644)
	if _, same, why := rec.RecoveredFrom(); same || !strings.Contains(why, "has changed since the unsaved work was made on it") {
		t.Errorf("a changed file counts as the recovery's own: %v %q", same, why)
	}
	// An older recovery file kept the path as typed.
	old := strings.Replace(string(snap), `"path":"`+canonicalPath(path)+`"`, `"path":"plan.json"`, 1)
	os.WriteFile(file, []byte(old), 0o600)
	rec, err = ReadRecovery(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, same, why := rec.RecoveredFrom(); same || !strings.Contains(why, "relative to a folder it did not record") {
		t.Errorf("a relative path is trusted: %v %q", same, why)
	}
	// Restoring it gives a plan with no file: Ctrl+S asks where.
	w2 := openWindow(t, planCopy(t))
	w2.offerRecovery(rec, orphan{file: file, release: func() {}}, nil)
	if got := overlayText(w2); !strings.Contains(got, "as a new, unsaved plan") {
		t.Fatalf("the question does not say where the work goes: %q", got)
	}
	w2.save() // Ctrl+S while the question is open does nothing
	test.Tap(overlayButton(t, w2, "Yes"))
	if w2.doc.Path != "" || w2.doc.Plan.Phases[1].CallsPerDay != 2_500_000 {
		t.Errorf("restored onto %q", w2.doc.Path)
	}
}

// A cancelled export writes nothing: the workbook already there stays as it
// was; an export not cancelled writes it.
func TestACancelledExportWritesNothing(t *testing.T) {
	w := newTestWindow(t)
	path := filepath.Join(t.TempDir(), "plan.xlsx")
	os.WriteFile(path, []byte("the old workbook"), 0o644)
	done := make(chan error, 1)
	w.ExportPath(path, func(err error) { done <- err }, func() bool { return true })
	if err := <-done; err != errExportCancelled {
		t.Fatalf("cancelled export: %v", err)
	}
	if string(mustRead(t, path)) != "the old workbook" {
		t.Error("a cancelled export wrote over the workbook")
	}
	w.ExportPath(path, func(err error) { done <- err }, func() bool { return false })
	if err := <-done; err != nil || !strings.HasPrefix(string(mustRead(t, path)), "PK") {
		t.Errorf("export: %v", err)
	}
}

// Help → Keyboard shortcuts is made from the menu: every item with a
// shortcut is in it (Ctrl+I, which the hand-typed list missed, among them),
// and every tab's Ctrl+digit.
func TestShortcutHelpListsEveryMenuShortcut(t *testing.T) {
	w := newTestWindow(t)
	m := w.win.MainMenu()
	if m == nil {
		t.Fatal("the window has no menu")
	}
	help := fmt.Sprint(shortcutHelp(m))
	for _, want := range []string{"Ctrl+I File → Import load test", "Ctrl+B Edit → Pick a node from the price book", "Ctrl+L View → Check latency with simulation",
		"Ctrl+Shift+S File → Save As", "Ctrl+Z Edit → Undo", "Ctrl+Shift+I File → Import actuals", "Ctrl+1 … Ctrl+0 show a tab: Model, Roadmap, Costs, Explain, Scale, Latency, Compare, Risk, Commitments, Actuals"} {
		if !strings.Contains(help, want) {
			t.Errorf("the shortcuts lack %q:\n%s", want, help)
		}
	}
	n := 0
	for _, menu := range m.Items {
		for _, it := range menu.Items {
			if it.Shortcut != nil {
				n++
				if k := shortcutKeys(it.Shortcut); !strings.Contains(help, k) && !(menu.Label == "View" && strings.Contains(help, "show a tab: ") && strings.Contains(help, it.Label)) {
					t.Errorf("%s → %s (%s) is not in the help", menu.Label, it.Label, shortcutKeys(it.Shortcut))
				}
			}
		}
	}
	if n < 15 {
		t.Errorf("only %d menu shortcuts", n)
	}
}

// Asked by the system to stop (SIGTERM, SIGHUP), a window asks nothing,
// keeps its unsaved work in its recovery file and takes its lock off the
// plan.
func TestTerminatedKeepsTheWorkAndDropsTheLock(t *testing.T) {
	path := planCopy(t)
	a := test.NewTempApp(t)
	file := filepath.Join(t.TempDir(), "recovery.json")
	w := NewWindow(a, NewDocument(planner.NewPlan(planner.NewDate(2027, 1, 1)), ""), file, testExporter)
	t.Cleanup(w.Win().Close)
	if err := w.OpenPath(path); err != nil {
		t.Fatal(err)
	}
	editCell(t, w, "calls_per_day", 1, "2500000")
	w.doc.Settle()
	w.terminated()
	if _, err := os.Stat(lockPath(path)); !os.IsNotExist(err) {
		t.Error("the lock outlived the window")
	}
	rec, err := ReadRecovery(file)
	if err != nil || rec.Plan.Phases[1].CallsPerDay != 2_500_000 {
		t.Errorf("the unsaved work is not kept: %v", err)
	}
}
