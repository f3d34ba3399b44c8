package ui

import (
	_ "embed"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/planner"
)

type decimalT = decimal.Decimal

func storageFilter(ext string) storage.FileFilter {
	return storage.NewExtensionFileFilter([]string{ext})
}

// seedPlan is where `make run` keeps the example plan, relative to the
// working directory or the binary.
const seedPlan = "testdata/seed-roadmap.json"

// Run opens the desktop app on path; with no path, on the last plan opened,
// else on the seed plan, else on a new plan. With rehearse it opens straight
// into the presenter view; exp writes its workbooks. It returns when the
// window closes.
//
// actualsFiles, when given, are read into the Actuals tab as File → Import
// actuals… reads them (a Prometheus query's JSON as FIGURE=FILE), and the
// tab is shown.
func Run(path string, rehearse bool, scenario string, exp Exporter, actualsFiles ...string) error {
	a := app.NewWithID(AppID)
	a.SetIcon(Icon)
	useSafeFiles() // save dialogs must not truncate the file they name
	storage := a.Storage().RootURI().Path()
	found := orphans(storage) // before this instance's own file exists
	recoveryFile := instanceRecovery(storage)
	doc := NewDocument(planner.NewPlan(planner.NewDate(2027, 1, 1)), "")
	w := NewWindow(a, doc, "", exp)
	var openErr error
	for _, candidate := range startCandidates(path, a) {
		if candidate == "" {
			continue
		}
		if openErr = w.OpenPath(candidate); openErr == nil || path != "" {
			break
		}
	}
	if openErr != nil && path != "" {
		w.showLoadError(path, openErr)
	}
	if openErr == nil && scenario != "" {
		w.doc.ShowScenario(scenario)
	}
	if release, ok := tryLock(recoveryFile + ".lock"); ok {
		w.recoveryLock = release
	}
	w.keepRecovery(recoveryFile)
	if !w.offerOrphans(found) && rehearse && openErr == nil {
		w.StartRehearsal()
	}
	if openErr == nil {
		for _, f := range actualsFiles {
			figure, file, ok := strings.Cut(f, "=")
			if !ok {
				figure, file = "", f
			}
			w.ImportActualsPath(file, figure)
		}
	}
	terms := make(chan os.Signal, 1)
	signal.Notify(terms, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		<-terms
		w.terminated()
		os.Exit(143) // 128 + SIGTERM, as a shell reports it
	}()
	w.win.ShowAndRun()
	return nil
}

// terminated is the window's end when the system asks it to stop (a log
// out, kill): unlike a quit it asks nothing, and it keeps the unsaved work
// in the recovery file for the next start; like a quit it takes its lock off
// the plan, so the next opener is not told the plan is in use.
func (w *Window) terminated() {
	if w.recovery != nil {
		w.recovery.Flush() // the newest snapshot is on disk; it stays there
	}
	w.releaseLock()
}

func startCandidates(path string, a fyne.App) []string {
	if path != "" {
		return []string{path}
	}
	exe, _ := os.Executable()
	return []string{LastPlan(a), seedPlan, filepath.Join(filepath.Dir(exe), "..", seedPlan)}
}

// offerOrphans offers back, one after another, the unsaved work of windows
// that ended without saving (a crash, a kill); it reports whether it asked.
// Orphans it cannot read are left alone and said so.
func (w *Window) offerOrphans(found []orphan) bool {
	for len(found) > 0 {
		o := found[0]
		found = found[1:]
		rec, err := ReadRecovery(o.file)
		if err != nil {
			o.release()
			w.show(dialog.NewError(fmt.Errorf("unsaved work from an earlier session is in %s but could not be read (%v); it was left there", o.file, err), w.win))
			continue
		}
		w.offerRecovery(rec, o, func() { w.offerOrphans(found) })
		return true
	}
	return false
}

// offerRecovery asks whether to bring back unsaved work from a session that
// ended without saving. The orphan's file is deleted only once answered;
// closing the window with the question open leaves it for next time.
func (w *Window) offerRecovery(rec *Document, o orphan, next func()) {
	path, same, why := rec.RecoveredFrom()
	question := "scaleplan closed with unsaved changes to the new plan " + rec.Plan.Name + ". Restore them?"
	switch {
	case path != "" && same:
		question = "scaleplan closed with unsaved changes to " + path + ". Restore them?"
	case path != "":
		// Never let Ctrl+S land the work on a file it was not made on.
		question = "scaleplan closed with unsaved changes to " + path + ", but " + why +
			". Restore them as a new, unsaved plan (File → Save As… chooses where it goes)?"
	}
	w.recoveryOffered = true
	w.pendingOrphan = &o
	w.showConfirm("Restore unsaved changes?", question, func(ok bool) {
		w.recoveryOffered, w.pendingOrphan = false, nil
		if ok {
			if path != "" && same {
				w.releaseLock()
				w.doc.Reset(rec.Plan, path, true) // now this window's unsaved work, kept in its own file
				w.doc.Disk = rec.Disk
				w.lockOnOpen(path)
			} else {
				w.releaseLock()
				w.doc.Reset(rec.Plan, "", true)
			}
		}
		o.settle()
		if next != nil {
			next()
		}
	})
}

//go:embed assets/icon.png
var iconPNG []byte

// Icon is scaleplan's application icon.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
