package ui

import (
	_ "embed"
	"os"
	"path/filepath"

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
// into the presenter view. It returns when the window closes.
func Run(path string, rehearse bool) error {
	a := app.NewWithID(AppID)
	a.SetIcon(Icon)
	recoveryFile := filepath.Join(a.Storage().RootURI().Path(), "recovery.json")
	doc := NewDocument(planner.NewPlan(planner.NewDate(2027, 1, 1)), "")
	w := NewWindow(a, doc, "")
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
	w.keepRecovery(recoveryFile)
	if rec, err := ReadRecovery(recoveryFile); err == nil {
		w.offerRecovery(rec)
	} else if rehearse && openErr == nil {
		w.StartRehearsal()
	}
	w.win.ShowAndRun()
	return nil
}

func startCandidates(path string, a fyne.App) []string {
	if path != "" {
		return []string{path}
	}
	exe, _ := os.Executable()
	return []string{LastPlan(a), seedPlan, filepath.Join(filepath.Dir(exe), "..", seedPlan)}
}

// offerRecovery asks whether to bring back unsaved work from a session that
// ended without saving (a crash, a kill).
func (w *Window) offerRecovery(rec *Document) {
	name := rec.Plan.Name
	if rec.Path != "" {
		name = filepath.Base(rec.Path)
	}
	w.recoveryOffered = true // until answered, the recovery file is the person's, not ours to delete
	dialog.ShowConfirm("Restore unsaved changes?",
		"scaleplan closed with unsaved changes to "+name+". Restore them?", func(ok bool) {
			w.recoveryOffered = false
			if ok {
				w.doc.Reset(rec.Plan, rec.Path, true)
				return
			}
			w.recovery.Keep(nil)
		}, w.win)
}

//go:embed assets/icon.png
var iconPNG []byte

// Icon is scaleplan's application icon.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
