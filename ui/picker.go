package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/estimate"
	"github.com/scaleplan/scaleplan/planner/gpus"
	"github.com/scaleplan/scaleplan/planner/prices"
	"github.com/scaleplan/scaleplan/report"
)

// nodePicker is Edit → Pick a node from the price book…: the price books'
// offers, cheapest GPU-hour first, filtered as one types (GPU, provider,
// instance, region); choosing one and an option sets the node type and
// cites the price, for the plan's default or one phase, in one undoable
// edit.
type nodePicker struct {
	w      *Window
	search *formEntry
	list   *widget.List
	option *widget.Select
	target *widget.Select
	detail *widget.Label
	// The estimate of the target phase's model on the chosen offer's GPU
	// (docs/estimate.md), shown before it is applied; useEst sets its
	// inputs as ranges in the same undoable edit.
	est     *widget.Label
	useEst  *widget.Check
	offers  []prices.BookOffer // all of them, cheapest GPU-hour first
	shown   []int              // indexes into offers matching the search
	chosen  int                // index into offers; -1 for none
	applied func()             // tests: an offer was applied; nil otherwise
}

func newNodePicker(w *Window) *nodePicker {
	pk := &nodePicker{w: w, chosen: -1, offers: prices.OffersByPrice(w.prices.Books())}
	pk.search = newFormEntry(false)
	pk.search.SetPlaceHolder("search: H100, L4, aws, us-east-1, <3 (per GPU-hour)…")
	pk.search.OnChanged = func(string) { pk.filter() }
	pk.list = widget.NewList(func() int { return len(pk.shown) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(id widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(pk.line(pk.offers[pk.shown[id]].Offer))
		})
	pk.list.OnSelected = func(id widget.ListItemID) { pk.choose(pk.shown[id]) }
	pk.option = widget.NewSelect(nil, func(string) { pk.describe() })
	names := []string{"Plan default"}
	for _, ph := range w.doc.Plan.Phases {
		names = append(names, ph.Name+" only")
	}
	pk.target = widget.NewSelect(names, func(string) { pk.describe() })
	pk.detail = widget.NewLabel("Choose an offer.")
	pk.detail.Wrapping = fyne.TextWrapWord
	pk.est = widget.NewLabel("")
	pk.est.Wrapping = fyne.TextWrapWord
	pk.useEst = widget.NewCheck("Also set the estimated serving inputs, as ranges", nil)
	pk.useEst.Disable()
	pk.target.SetSelected(names[0])
	pk.filter()
	return pk
}

// line is an offer as the list shows it.
func (pk *nodePicker) line(o *prices.Offer) string {
	return fmt.Sprintf("%s %s (%s) · %d× %s %s GiB · %s an hour, %s a GPU-hour · as of %s",
		o.Provider, o.Instance, o.Region, o.GPUs.Count, o.GPUs.Model, o.GPUs.MemoryGiB,
		format.UnitPrice(o.OnDemand.Hourly, "USD"), format.UnitPrice(o.PerGPU(o.OnDemand.Hourly), "USD"), o.OnDemand.AsOf)
}

func (pk *nodePicker) filter() {
	pk.shown = pk.shown[:0]
	for i := range pk.offers {
		if prices.OfferMatches(pk.offers[i].Offer, pk.search.Text) {
			pk.shown = append(pk.shown, i)
		}
	}
	pk.list.UnselectAll()
	pk.list.Refresh()
	if len(pk.shown) == 1 {
		pk.list.Select(0)
	}
}

func (pk *nodePicker) choose(i int) {
	pk.chosen = i
	var opts []string
	for _, np := range pk.offers[i].Offer.Prices() {
		opts = append(opts, np.Option)
	}
	pk.option.SetOptions(opts)
	pk.option.SetSelected(opts[0])
	pk.describe()
}

// describe says what the chosen option costs, as of when and from where.
func (pk *nodePicker) describe() {
	if pk.chosen < 0 {
		return
	}
	o := pk.offers[pk.chosen].Offer
	for _, np := range o.Prices() {
		if np.Option == pk.option.Selected {
			pk.detail.SetText(fmt.Sprintf("%s, %s: %s a node-hour as of %s.\nSource: %s", o.Label(), np.Option,
				format.UnitPrice(np.Hourly, "USD"), np.AsOf, np.Source))
		}
	}
	f, err := pk.estimate(pk.w.doc.Plan)
	if err != nil {
		pk.est.SetText("No estimate of the model on this GPU: " + err.Error() + ".")
		pk.useEst.SetChecked(false)
		pk.useEst.Disable()
		return
	}
	pk.est.SetText(report.EstimateWords(&f))
	pk.useEst.Enable()
}

// phase is the target's phase: the one chosen, or for the plan's default
// the first phase that runs a variant (whose model is estimated).
func (pk *nodePicker) phase(p *planner.Plan) (phase, model int) {
	phase, model = planner.PlanDefault, 0
	for i, ph := range p.Phases {
		if pk.target.Selected == ph.Name+" only" {
			return i, i
		}
	}
	for i, ph := range p.Phases {
		if ph.Variant != "" {
			return phase, i
		}
	}
	return phase, model
}

// estimate is the chosen offer's estimate for the target's model.
func (pk *nodePicker) estimate(p planner.Plan) (estimate.ForPlan, error) {
	o := pk.offers[pk.chosen].Offer
	g, _ := gpus.Lookup(o.GPUs.Model)
	_, model := pk.phase(&p)
	return estimate.FromPlan(&p, model, "", g, int(o.GPUs.Count), 0, 0)
}

// apply cites the chosen offer for the target, in one undoable edit.
func (pk *nodePicker) apply() error {
	if pk.chosen < 0 {
		return fmt.Errorf("choose an offer first")
	}
	c := pk.offers[pk.chosen]
	withEst := pk.useEst.Checked && !pk.useEst.Disabled()
	return pk.w.doc.Edit(func(p planner.Plan) (planner.Plan, error) {
		phase, _ := pk.phase(&p)
		q, err := pk.w.prices.UseOffer(p, phase, c.Book, c.Offer, pk.option.Selected)
		if err != nil || !withEst {
			return q, err
		}
		f, err := pk.estimate(q)
		if err != nil {
			return p, err
		}
		return f.Write(q, planner.Today())
	})
}

func (pk *nodePicker) show() {
	list := container.NewGridWrap(fyne.NewSize(760, 180), pk.list)
	detail := container.NewGridWrap(fyne.NewSize(760, 70), pk.detail) // a wrapped label's height is not its lines'
	form := container.NewVBox(pk.search, list,
		container.NewHBox(widget.NewLabel("Price:"), pk.option, widget.NewLabel("For:"), pk.target), detail,
		widget.NewSeparator(), widget.NewLabelWithStyle("Estimate before a load test", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.NewGridWrap(fyne.NewSize(760, 200), container.NewVScroll(pk.est)), pk.useEst)
	d := pk.w.useItDialog("Pick a node from the price book", form, pk.apply, "Node chosen from the price book; Ctrl+Z undoes it.", &pk.applied)
	pk.search.onEscape = d.Hide
	pk.search.OnSubmitted = func(string) {
		if pk.chosen >= 0 {
			d.Confirm()
		}
	}
	pk.w.show(d)
	pk.w.win.Canvas().Focus(pk.search)
}

// useItDialog is a form with Use it and Cancel: Use it runs apply (one
// undoable edit) and says done, or the error; applied, when a test set
// it, is called after.
func (w *Window) useItDialog(title string, form fyne.CanvasObject, apply func() error, done string, applied *func()) *dialog.ConfirmDialog {
	return dialog.NewCustomConfirm(title, "Use it", "Cancel", form, func(ok bool) {
		if !ok {
			return
		}
		if err := apply(); err != nil {
			w.setError(err.Error())
			return
		}
		w.setError(done)
		if *applied != nil {
			(*applied)()
		}
	}, w.win)
}

// pickNode opens the node picker; a shown scenario holds single values,
// so the plan itself must be shown.
func (w *Window) pickNode() {
	if !w.planShown("cite a price from the book") {
		return
	}
	newNodePicker(w).show()
}

// planShown reports whether the plan itself is shown, and says why an
// action that needs it cannot run when a scenario is: a scenario holds
// single values.
func (w *Window) planShown(action string) bool {
	if w.doc.Scenario != "" {
		w.setError("A scenario holds single values: show the plan itself to " + action + ".")
		return false
	}
	return true
}
