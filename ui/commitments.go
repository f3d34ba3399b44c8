package ui

import (
	"fmt"
	"image/color"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner/commit"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
	"github.com/scaleplan/scaleplan/planner/prices"
	"github.com/scaleplan/scaleplan/report"
)

// commitView is the Commitments tab: the load-duration curve of the plan's
// hourly fleet over a term from its first day, and, for a committed rate
// typed or taken from the price book's options for the cited node, the
// number of nodes worth committing to (k*), marked on the curve, with what
// it saves (planner.OptimalCommitment, as `scaleplan commit` runs it).
type commitView struct {
	doc    *Document
	prices *prices.Catalog // the window's price books
	rate   *widget.Entry
	option *widget.Select
	term   *widget.Select
	after  *widget.Select
	words  *widget.Label
	chart  *drawing
	root   fyne.CanvasObject

	curve  commit.LoadDuration
	best   *commit.Commitment
	opts   commit.Options
	filled bool // the option select is filling the rate and term
}

const (
	afterExtend   = "extend the last day"
	afterStranded = "stranded"
	noOption      = "a rate I type"
)

func newCommitView(doc *Document, cat *prices.Catalog) *commitView {
	v := &commitView{doc: doc, prices: cat}
	v.rate = widget.NewEntry()
	v.rate.SetPlaceHolder("e.g. 4.128")
	v.rate.OnChanged = func(string) {
		if !v.filled {
			v.option.SetSelected(noOption)
		}
		v.Refresh()
	}
	v.option = widget.NewSelect([]string{noOption}, nil)
	v.option.SetSelected(noOption)
	v.term = widget.NewSelect([]string{"12 months", "36 months"}, nil)
	v.term.SetSelected("12 months")
	v.after = widget.NewSelect([]string{afterExtend, afterStranded}, nil)
	v.after.SetSelected(afterStranded)
	// Wired once every part exists: a selection redraws the tab.
	v.option.OnChanged = func(s string) { v.useOption(s) }
	v.term.OnChanged = func(string) { v.Refresh() }
	v.after.OnChanged = func(string) { v.Refresh() }
	v.words = widget.NewLabel("")
	v.words.Wrapping = fyne.TextWrapWord
	v.chart = newDrawing(fyne.NewSize(560, 300), v.draw)
	rate := container.NewGridWrap(fyne.NewSize(110, v.rate.MinSize().Height), v.rate)
	bar := container.NewHBox(widget.NewLabel("Committed rate per node-hour:"), rate, widget.NewLabel("or"), v.option,
		widget.NewLabel("Term:"), v.term, widget.NewLabel("After the plan:"), v.after)
	v.root = container.NewBorder(container.NewVBox(container.NewHScroll(bar), v.words), nil, nil, nil, v.chart)
	return v
}

// useOption fills the rate and term from a committed-use option of the
// offer the plan's node price cites.
func (v *commitView) useOption(name string) {
	if name == noOption || name == "" {
		return
	}
	c, err := v.prices.CommitOption(&v.doc.Plan, name)
	if err != nil {
		v.words.SetText(err.Error())
		return
	}
	v.filled = true
	v.rate.SetText(format.Places(c.Effective(), 6).String())
	term := fmt.Sprintf("%d months", c.TermMonths)
	if !slices.Contains(v.term.Options, term) {
		v.term.SetOptions(append(v.term.Options, term))
	}
	v.term.SetSelected(term)
	v.filled = false
	v.Refresh()
}

// Refresh recomputes the curve and the best commitment for the plan shown.
func (v *commitView) Refresh() {
	r := &v.doc.Result
	v.options()
	// The placeholder is the rate a workbook starts from without a book's
	// option: commit.PlaceholderShare of the plan's node price.
	v.rate.SetPlaceHolder("e.g. " + format.Trim(commit.PlaceholderRate(v.doc.View.Assumptions.NodeHourly)))
	var months int64
	fmt.Sscan(v.term.Selected, &months)
	v.opts = commit.Options{TermMonths: months, AfterPlan: commit.AfterPlanStranded}
	if v.after.Selected == afterExtend {
		v.opts.AfterPlan = commit.AfterPlanExtend
	}
	v.best = nil
	curve, err := commit.LoadDurationOf(r.CommitPhases(), v.opts)
	if err != nil {
		v.words.SetText(err.Error())
		v.chart.Refresh()
		return
	}
	v.curve = curve
	text := strings.TrimSpace(v.rate.Text)
	if text == "" {
		v.words.SetText(fmt.Sprintf("The plan's hourly fleet over a %d-month term (%s hours) from %s: how many hours want at least each number of nodes. "+
			"Type the committed rate per node-hour (hourly plus upfront over the term's hours), or choose an option of the node the plan cites from the price book, "+
			"to find how many nodes to commit to.", months, format.Count(curve.TermHours), r.StartDate))
		v.chart.Refresh()
		return
	}
	rate, ok := jsonfile.ParseAmount(text, false)
	if !ok || rate.Sign() < 0 {
		v.words.SetText(fmt.Sprintf("The committed rate must be a price per node-hour such as 4.128, not %q.", text))
		v.chart.Refresh()
		return
	}
	v.opts.Rate = rate
	c, err := commit.Optimal(r.CommitPhases(), v.opts)
	if err != nil {
		v.words.SetText(err.Error())
		v.chart.Refresh()
		return
	}
	v.best = &c
	after := " After the plan's last day the term's hours want no nodes: committed ones are stranded."
	if v.opts.AfterPlan == commit.AfterPlanExtend {
		after = " After the plan's last day its last phase's day repeats to the term's end."
	}
	v.words.SetText(commitWords(&c, r.Currency, months) + after)
	v.chart.Refresh()
}

// options lists the committed-use options of the cited offer.
func (v *commitView) options() {
	opts := []string{noOption}
	if o, _, err := v.prices.CitedOffer(&v.doc.Plan); err == nil {
		for _, c := range o.Commitments {
			opts = append(opts, c.Name)
		}
	}
	if strings.Join(opts, "\x00") != strings.Join(v.option.Options, "\x00") {
		v.option.SetOptions(opts)
	}
}

// draw is the load-duration curve: for each number of nodes k, a band as
// wide as the share of the term's hours that want at least k; the bands a
// commitment of k* covers in the commitment colour, the rest on demand;
// the break-even share ρ marked.
func (v *commitView) draw(size fyne.Size) []fyne.CanvasObject {
	objs := []fyne.CanvasObject{rect(0, 0, size.Width, size.Height, color.Transparent),
		text("Load-duration curve: nodes (up) wanted in at least this share of the term's hours (across)", 8, 2, 13, fg(), fyne.TextAlignLeading)}
	at := v.curve.AtLeast
	if len(at) < 2 || v.curve.TermHours == 0 {
		return objs
	}
	maxK := len(at) - 1
	left, right, top, bottom := float32(48), size.Width-16, float32(34), size.Height-34
	xAt := func(share float64) float32 { return left + float32(share)*(right-left) }
	yAt := func(k float64) float32 { return bottom - float32(k/float64(maxK))*(bottom-top) }
	committed := withAlpha(revenueColor, 0xC0)
	onDemand := withAlpha(primary(), 0x90)
	k := int64(-1)
	if v.best != nil {
		k = v.best.K
	}
	for n := 1; n <= maxK; n++ {
		share := float64(at[n]) / float64(v.curve.TermHours)
		c := onDemand
		if int64(n) <= k {
			c = committed
		}
		objs = append(objs, rect(left, yAt(float64(n)), xAt(share)-left, yAt(float64(n-1))-yAt(float64(n)), c))
	}
	step := niceStep(float64(maxK))
	for y := 0.0; y <= float64(maxK); y += step {
		objs = append(objs, line(left, yAt(y), right, yAt(y), gridLn(), 1), text(fmt.Sprintf("%.0f", y), left-6, yAt(y)-8, 11, muted(), fyne.TextAlignTrailing))
	}
	for _, s := range []float64{0, 0.25, 0.5, 0.75, 1} {
		objs = append(objs, text(fmt.Sprintf("%.0f %%", 100*s), xAt(s), bottom+4, 11, muted(), fyne.TextAlignCenter))
	}
	objs = append(objs, text("share of the term's hours", right, bottom+18, 11, muted(), fyne.TextAlignTrailing))
	if v.best != nil {
		rho := v.best.Rho.InexactFloat64()
		if rho > 0 && rho <= 1 {
			x := xAt(rho)
			objs = append(objs, line(x, top, x, bottom, costColor, 1.5),
				text(fmt.Sprintf("break-even use %.1f %%", 100*rho), x+4, top, 11, costColor, fyne.TextAlignLeading))
		}
		if k > 0 {
			y := yAt(float64(k))
			objs = append(objs, line(left, y, right, y, fg(), 1.5),
				text(fmt.Sprintf("commit %s", format.Nodes(k)), right, y-16, 12, fg(), fyne.TextAlignTrailing))
		}
		if k > 0 {
			objs = append(objs, text("committed", left+8, bottom-18, 11, color.White, fyne.TextAlignLeading))
		}
	}
	return objs
}

// Name, Icon and Content make the commitments view a tab of the window (view.go).
func (v *commitView) Name() string               { return tabCommit }
func (v *commitView) Icon() fyne.Resource        { return theme.StorageIcon() }
func (v *commitView) Content() fyne.CanvasObject { return v.root }

// commitWords says the best commitment as 'scaleplan commit' does.
func commitWords(c *commit.Commitment, cur string, months int64) string {
	s := report.CommitLevel(c, cur, months) + " " + report.CommitCost(c, cur, false) + " " + report.CommitUse(c)
	if w := report.CommitStranded(c, cur); w != "" {
		s += " " + w
	}
	return s
}
