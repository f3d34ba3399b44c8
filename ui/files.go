package ui

// Plans and workbooks on disk: open, save, export, recent files, quitting.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/actuals"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
	"github.com/scaleplan/scaleplan/planner/prices"
	"github.com/scaleplan/scaleplan/report"
)

// OpenPath loads a plan file into the window. An invalid or unreadable file
// leaves the current plan untouched and returns every problem found.
func (w *Window) OpenPath(path string) error {
	p, data, err := planner.LoadBytesIn(path, w.prices)
	if err != nil {
		return err
	}
	w.releaseLock()
	w.doc.Reset(p, path, false)
	w.doc.Disk = stampOf(path, data)
	w.remember(path)
	w.lockOnOpen(path)
	w.repriceOnOpen(path)
	return nil
}

// lockOnOpen takes the plan's lock file. If another scaleplan that still
// runs holds it, the person is told who, and chooses: read-only (saving
// goes to Save As) or open anyway (the lock becomes this window's). A lock
// whose process is gone is taken over, and said so.
func (w *Window) lockOnOpen(path string) {
	l, held := readLock(path)
	switch {
	case !held || l.mine():
	case l.stale():
		w.setError(fmt.Sprintf("%s had a lock left by a scaleplan that is no longer running (%s); it is this window's now.", filepath.Base(path), l.Words()))
	default:
		w.doc.ReadOnly = true // until the person answers, nothing is written over the other window's work
		var d dialog.Dialog
		msg := widget.NewLabel(fmt.Sprintf("%s is open in another window: %s.\n\nOpen it read-only (saving asks for a new file), or open it anyway (the later save replaces the other window's)?", path, l.Words()))
		msg.Wrapping = fyne.TextWrapWord
		ro := widget.NewButton("Open read-only", func() {
			d.Hide()
			w.setError(filepath.Base(path) + " is open read-only: File → Save As… saves your changes to a new file.")
		})
		ro.Importance = widget.HighImportance
		anyway := widget.NewButton("Open anyway", func() {
			d.Hide()
			w.doc.ReadOnly = false
			w.holdLock(path)
		})
		d = dialog.NewCustomWithoutButtons("Plan in use", container.NewVBox(msg, container.NewHBox(anyway, ro)), w.win)
		d.Resize(fyne.NewSize(560, 200))
		w.show(d)
		return
	}
	w.holdLock(path)
}

// holdLock writes this window's lock beside path; a folder that cannot take
// it (read-only) leaves the plan unlocked, which is said once.
func (w *Window) holdLock(path string) {
	if err := takeLock(path); err != nil {
		w.setError(fmt.Sprintf("No lock file could be written beside %s (%v): another window opening it will not be warned.", filepath.Base(path), err))
		return
	}
	w.lockHeld = path
}

// releaseLock removes the lock this window holds, if any.
func (w *Window) releaseLock() {
	if w.lockHeld != "" {
		dropLock(w.lockHeld)
		w.lockHeld = ""
	}
}

// repriceOnOpen says which of the plan's cited prices the price books now
// give differently (old → new, with dates) and takes the books' as one
// undoable edit: nothing is recomputed silently, and Ctrl+Z puts the saved
// prices back. A citation the books no longer resolve keeps its price.
func (w *Window) repriceOnOpen(path string) {
	books := w.prices
	changes := books.Changes(&w.doc.Plan)
	if len(changes) == 0 {
		return
	}
	var lines []string
	for _, c := range changes {
		lines = append(lines, "• "+report.PriceChangeWords(&c, w.doc.Plan.Currency))
	}
	msg := fmt.Sprintf("The price book differs from the prices %s was saved with:\n\n%s\n\n", filepath.Base(path), strings.Join(lines, "\n"))
	if err := w.doc.Edit(func(p planner.Plan) (planner.Plan, error) { return books.Reprice(p) }); err != nil {
		msg += "The plan keeps its saved prices: " + err.Error()
	} else {
		msg += "The plan now uses the book's prices (a citation the book no longer has keeps its saved price). Edit → Undo puts the saved prices back."
	}
	l := widget.NewLabel(msg)
	l.Wrapping = fyne.TextWrapWord
	sc := container.NewVScroll(l)
	sc.SetMinSize(fyne.NewSize(600, 200))
	w.show(dialog.NewCustom("Prices changed since this plan was saved", "OK", sc, w.win))
}

// SavePath saves the plan to path (atomically) and makes it the document's file.
func (w *Window) SavePath(path string) error {
	return w.savePath(path, false)
}

func (w *Window) savePath(path string, force bool) error {
	moved := canonicalPath(path) != canonicalPath(w.doc.Path)
	var err error
	if force {
		err = w.doc.SaveOver(path)
	} else {
		err = w.doc.SaveAs(path)
	}
	if err != nil {
		return err
	}
	if moved || w.lockHeld == "" {
		w.releaseLock()
		w.holdLock(path)
	}
	w.remember(path)
	return nil
}

// ExportPath writes the workbook off the UI goroutine and reports back on
// it; cancelled (nil: never), once it returns true, drops the workbook
// unwritten (the file at path is left as it was) and done is called with
// errExportCancelled.
func (w *Window) ExportPath(path string, done func(error), cancelled func() bool) {
	w.doc.Settle()                         // the newest plan and its figures
	p, r := w.doc.Plan, w.doc.PlanResult() // values: later edits do not touch them; the workbook is of the plan itself
	write, build := w.exporter.Write, w.exporter.Bytes
	if write == nil && build == nil {
		done(errors.New("this build of scaleplan cannot write workbooks"))
		return
	}
	stop := func() bool { return cancelled != nil && cancelled() }
	bills, usage := w.actuals.bills, w.actuals.usage
	if len(bills) > 0 && w.exporter.BytesActuals != nil {
		withActuals, without := w.exporter.BytesActuals, build
		build = func(p planner.Plan, r *planner.Result, cat prices.Catalog) ([]byte, error) {
			rep, err := actuals.Against(&p, r, bills, usage, actuals.Options{})
			if err != nil && without != nil { // the bill cannot be held against the plan: the workbook is still wanted
				return without(p, r, cat)
			} else if err != nil {
				return nil, err
			}
			return withActuals(p, r, cat, rep)
		}
	}
	go func() {
		var err error
		if build != nil {
			var data []byte
			if data, err = build(p, &r, w.prices); err == nil {
				if stop() {
					err = errExportCancelled
				} else {
					err = jsonfile.WriteFileAtomic(path, data)
				}
			}
		} else {
			err = write(p, &r, w.prices, path)
		}
		fyne.Do(func() { done(err) })
	}()
}

// errExportCancelled is an export the person cancelled: nothing was written.
var errExportCancelled = errors.New("the export was cancelled; nothing was written")

func (w *Window) newPlan() {
	w.confirmDiscard("starting a new plan", func() {
		w.releaseLock()
		w.doc.Reset(planner.NewPlan(w.doc.Plan.StartDate), "", false)
	})
}

func (w *Window) openDialog() {
	w.confirmDiscard("opening another plan", func() {
		d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
			if err != nil || rc == nil {
				return // cancelled
			}
			path := rc.URI().Path()
			rc.Close()
			w.openAndReport(path)
		}, w.win)
		d.SetFilter(planFilter)
		w.show(d)
	})
}

func (w *Window) openAndReport(path string) {
	if err := w.OpenPath(path); err != nil {
		w.showLoadError(path, err)
	}
}

// showLoadError lists every problem the planner found, in a dialog that
// scrolls when there are many.
func (w *Window) showLoadError(path string, err error) {
	msg := err.Error()
	var errs planner.Errors
	if errors.As(err, &errs) {
		msg = fmt.Sprintf("%s is not a valid plan (%s). Your current plan is unchanged.\n\n%s", filepath.Base(path), format.Plural(int64(len(errs)), "problem", "problems"), errs.Error())
	}
	l := widget.NewLabel(msg)
	l.Wrapping = fyne.TextWrapWord
	s := container.NewVScroll(l)
	s.SetMinSize(fyne.NewSize(560, 260))
	w.show(dialog.NewCustom("Could not open "+filepath.Base(path), "Close", s, w.win))
}

func (w *Window) save() {
	switch {
	case w.recoveryOffered:
		return // the restore question decides what this window's plan is first
	case w.doc.Path == "" || w.doc.ReadOnly:
		w.saveAsDialog()
		return
	}
	w.saveHere(false)
}

// saveHere saves to the document's own file; if another program changed
// it since, the person chooses whose version stays.
func (w *Window) saveHere(force bool) {
	err := w.savePath(w.doc.Path, force)
	switch {
	case errors.Is(err, ErrChangedOnDisk):
		w.askChangedOnDisk()
	case err != nil:
		w.saveFailed(err)
	}
}

// checkDisk, when the window comes back to the front, says so if another
// program changed the plan's file meanwhile (a stat; the file is hashed only
// when its size or time moved). Save then asks whose version stays.
func (w *Window) checkDisk() {
	if w.doc.Path == "" {
		return
	}
	if changed, _ := w.doc.Disk.changedOnDisk(w.doc.Path); changed {
		w.setError(filepath.Base(w.doc.Path) + " was changed by another program since it was opened or saved here; File → Save asks whose version to keep.")
	}
}

// saveFailed says a save failed, naming the plan, and how to keep the work.
func (w *Window) saveFailed(err error) {
	w.show(dialog.NewError(fmt.Errorf("the plan was not saved: %w.\n\nYour changes are still here: File → Save As… can save them to another file", err), w.win))
}

// askChangedOnDisk asks, as office suites do, what to do when the file on
// disk is no longer what this window read or wrote: keep theirs (reload;
// Ctrl+Z brings this window's version back), keep mine (overwrite), or
// save this version elsewhere.
func (w *Window) askChangedOnDisk() {
	path := w.doc.Path
	var d dialog.Dialog
	msg := widget.NewLabel(fmt.Sprintf("%s was changed by another program since you opened or last saved it here.\n\nKeep theirs (the file is read again; Edit → Undo brings your version back), keep yours (the file is overwritten), or save yours as a new file?", path))
	msg.Wrapping = fyne.TextWrapWord
	theirs := widget.NewButton("Keep theirs", func() {
		d.Hide()
		p, data, err := planner.LoadBytesIn(path, w.prices)
		if err != nil {
			w.showLoadError(path, err)
			return
		}
		w.doc.TakeDisk(p, data)
	})
	mine := widget.NewButton("Keep mine", func() { d.Hide(); w.saveHere(true) })
	saveAs := widget.NewButton("Save As…", func() { d.Hide(); w.saveAsDialog() })
	saveAs.Importance = widget.HighImportance
	cancel := widget.NewButton("Cancel", func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons("File changed on disk", container.NewVBox(msg, container.NewHBox(cancel, theirs, mine, saveAs)), w.win)
	d.Resize(fyne.NewSize(600, 220))
	w.show(d)
}

func (w *Window) saveAsDialog() {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		path := wc.URI().Path()
		wc.Close() // closed empty, it changed nothing (safeFiles); the planner writes atomically itself
		w.withSuffix(path, ".json", func(path string) {
			if err := w.savePath(path, true); err != nil { // the dialog already asked about replacing a file
				w.saveFailed(err)
			}
		})
	}, w.win)
	d.SetFileName(suggestName(w.doc, ".json"))
	d.SetFilter(planFilter)
	w.startIn(d)
	w.show(d)
}

func (w *Window) exportDialog() {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		path := wc.URI().Path()
		wc.Close() // closed empty, it changed nothing (safeFiles); the export writes atomically itself
		w.withSuffix(path, ".xlsx", func(path string) {
			var cancelled atomic.Bool
			var prog dialog.Dialog
			cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { cancelled.Store(true); prog.Hide() })
			prog = dialog.NewCustomWithoutButtons("Exporting…", container.NewVBox(widget.NewProgressBarInfinite(), container.NewCenter(cancel)), w.win)
			prog.Show()
			w.exportCancel = cancel
			w.ExportPath(path, func(err error) {
				prog.Hide()
				w.exportCancel = nil
				if errors.Is(err, errExportCancelled) {
					w.setError("The export was cancelled; " + filepath.Base(path) + " was not written.")
					return
				}
				if err != nil {
					w.show(dialog.NewError(fmt.Errorf("the workbook was not written: %w", err), w.win))
					return
				}
				msg := "Wrote " + path
				if fit := w.exporter.Fit; fit == nil {
				} else if _, notes := fit(w.doc.Plan); len(notes) > 0 {
					msg += ".\n\nThe workbook could not hold some text as it is:\n" + strings.Join(notes, "\n")
				}
				w.show(dialog.NewInformation("Exported", msg, w.win))
			}, cancelled.Load)
		})
	}, w.win)
	d.SetFileName(suggestName(w.doc, ".xlsx"))
	w.startIn(d)
	w.show(d)
}

// withSuffix runs then on path with ext added when the name lacks it. The
// dialog asked about the name as typed; when adding ext names a different
// file that exists, it asks before replacing that one.
func (w *Window) withSuffix(path, ext string, then func(string)) {
	if strings.HasSuffix(path, ext) {
		then(path)
		return
	}
	path += ext
	if _, err := os.Stat(path); err != nil {
		then(path)
		return
	}
	w.showConfirm("Replace "+filepath.Base(path)+"?",
		filepath.Base(path)+" already exists in "+filepath.Dir(path)+". Replace it?", func(ok bool) {
			if ok {
				then(path)
			}
		})
}

// startIn opens a file dialog in the plan's folder, when it has one.
func (w *Window) startIn(d *dialog.FileDialog) {
	if w.doc.Path == "" {
		return
	}
	if dir, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(w.doc.Path))); err == nil {
		d.SetLocation(dir)
	}
}

func suggestName(d *Document, ext string) string {
	if d.Path != "" {
		return strings.TrimSuffix(filepath.Base(d.Path), ".json") + ext
	}
	return "plan" + ext
}

// confirmDiscard runs then at once when nothing is unsaved, or after the
// person chose to save or to discard their changes.
func (w *Window) confirmDiscard(doing string, then func()) {
	if !w.doc.Dirty() {
		then()
		return
	}
	var d dialog.Dialog
	msg := widget.NewLabel(fmt.Sprintf("%s has unsaved changes. Save them before %s?", w.doc.Name(), doing))
	msg.Wrapping = fyne.TextWrapWord
	saveBtn := widget.NewButton("Save", func() {
		d.Hide()
		if w.doc.Path == "" {
			w.saveAsDialog()
			return
		}
		if err := w.SavePath(w.doc.Path); err != nil {
			if errors.Is(err, ErrChangedOnDisk) {
				w.askChangedOnDisk()
			} else {
				w.saveFailed(err)
			}
			return
		}
		then()
	})
	saveBtn.Importance = widget.HighImportance
	discard := widget.NewButton("Don't save", func() { d.Hide(); then() })
	cancel := widget.NewButton("Cancel", func() { d.Hide() })
	d = dialog.NewCustomWithoutButtons("Unsaved changes", container.NewVBox(msg, container.NewHBox(cancel, discard, saveBtn)), w.win)
	d.Resize(fyne.NewSize(460, 160))
	w.show(d)
}

func (w *Window) quit() {
	if w.recovery != nil {
		w.recovery.Keep(nil) // the person chose: nothing of this window to recover
		w.recovery.Flush()
	}
	if w.pendingOrphan != nil {
		w.pendingOrphan.release() // unanswered: it stays for next time
	}
	w.releaseLock()
	if w.recoveryLock != nil {
		w.recoveryLock()
		if w.recovery != nil {
			os.Remove(w.recovery.file + ".lock")
		}
	}
	w.win.Close()
	w.app.Quit()
}

var planFilter = storageFilter(".json")

const prefRecent = "recent_plans"

func (w *Window) remember(path string) {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	list := []string{abs}
	for _, p := range w.app.Preferences().StringList(prefRecent) {
		if p != abs && len(list) < 8 {
			list = append(list, p)
		}
	}
	w.app.Preferences().SetStringList(prefRecent, list)
	w.refreshRecent()
}

func (w *Window) refreshRecent() {
	if w.recent == nil {
		return
	}
	var items []*fyne.MenuItem
	for _, p := range w.app.Preferences().StringList(prefRecent) {
		path := p
		items = append(items, fyne.NewMenuItem(path, func() {
			w.confirmDiscard("opening another plan", func() { w.openAndReport(path) })
		}))
	}
	if len(items) == 0 {
		items = append(items, &fyne.MenuItem{Label: "No recent plans", Disabled: true})
	}
	w.recent.ChildMenu.Items = items
	if mm := w.win.MainMenu(); mm != nil {
		mm.Refresh()
	}
}

// LastPlan is the plan opened most recently, if any.
func LastPlan(a fyne.App) string {
	if list := a.Preferences().StringList(prefRecent); len(list) > 0 {
		return list[0]
	}
	return ""
}
