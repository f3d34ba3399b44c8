package ui

import (
	"bytes"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/planner/jsonfile"
	"github.com/scaleplan/scaleplan/report/page"
)

// reportDialog is File → Export report…: the plan as one self-contained
// HTML page (report/page, as `scaleplan report` writes it), written off
// the UI goroutine.
func (w *Window) reportDialog() {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		path := wc.URI().Path()
		wc.Close() // closed empty, it changed nothing (safeFiles); the page is written atomically
		w.withSuffix(path, ".html", func(path string) {
			prog := dialog.NewCustomWithoutButtons("Writing the report…", container.NewVBox(widget.NewProgressBarInfinite()), w.win)
			prog.Show()
			w.ReportPath(path, func(err error) {
				prog.Hide()
				if err != nil {
					w.show(dialog.NewError(fmt.Errorf("the report was not written: %w", err), w.win))
					return
				}
				w.show(dialog.NewInformation("Report written", "Wrote "+path, w.win)) // it opens in any browser, with no network
			})
		})
	}, w.win)
	d.SetFileName(suggestName(w.doc, ".html"))
	w.startIn(d)
	w.show(d)
}

// ReportPath writes the plan's page to path off the UI goroutine and calls
// done on it.
func (w *Window) ReportPath(path string, done func(error)) {
	w.doc.Settle()
	p, r := w.doc.Plan, w.doc.PlanResult()
	go func() {
		var b bytes.Buffer
		err := page.Write(&b, p, &r, page.Defaults) // as `scaleplan report` writes it
		if err == nil {
			err = jsonfile.WriteFileAtomic(path, b.Bytes())
		}
		fyne.Do(func() { done(err) })
	}()
}
