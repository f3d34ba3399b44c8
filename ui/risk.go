package ui

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"runtime"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
	"github.com/scaleplan/scaleplan/planner/risk"
	"github.com/scaleplan/scaleplan/report"
)

// riskView is the Risk tab: a Monte Carlo run over the plan's ranges
// (risk.Run), off the UI goroutine with a progress bar, re-run a
// moment after the last edit. It shows histograms of total cost and cost
// per call with P10/P50/P90 and the ceiling or budget marked, a fan of
// cumulative cost and revenue with the break-even day's spread, the odds
// in words, and the rank-correlation tornado.
type riskView struct {
	doc *Document

	title    *widget.Label
	summary  *widget.Label
	progress *widget.ProgressBar
	cancel   *widget.Button  // stops the run under way
	busy     *fyne.Container // holds cancel: shown and hidden as a container, which lays nothing out then
	budget   *widget.Entry
	costHist *drawing
	callHist *drawing
	fan      *drawing
	tornado  *drawing
	root     fyne.CanvasObject

	risk      *risk.Result // the last finished run, for key
	key       []byte       // what it ran: the plan, the scenario, the budget
	cancelled []byte       // a run cancelled for this key: not started again until the key changes
	gen       atomic.Int64 // bumped by every request; a run of an older one stops
	timer     *time.Timer
	running   bool
	draws     int           // riskDraws; fewer in tests
	done      func()        // tests wait on this; nil otherwise
	started   func()        // tests: a run has started; nil otherwise
	gate      chan struct{} // tests hold a run back on this; nil otherwise
}

// riskDebounce is how long the tab waits after an edit before it draws
// again: typing a number is several edits.
const riskDebounce = 400 * time.Millisecond

// riskDraws and riskSeed are the app's run: the CLI's defaults.
const (
	riskDraws = risk.DefaultDraws
	riskSeed  = risk.DefaultSeed
)

func newRiskView(doc *Document) *riskView {
	v := &riskView{doc: doc, draws: riskDraws}
	v.title = widget.NewLabelWithStyle("Risk", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.summary = widget.NewLabel("")
	v.summary.Wrapping = fyne.TextWrapWord
	v.progress = widget.NewProgressBar()
	v.progress.Hide()
	v.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), v.Cancel)
	v.busy = container.NewHBox(v.cancel)
	v.busy.Hide()
	v.budget = widget.NewEntry()
	v.budget.SetPlaceHolder("e.g. $350k")
	v.budget.OnChanged = func(string) { v.Refresh() }
	v.costHist = newDrawing(fyne.NewSize(360, 170), func(s fyne.Size) []fyne.CanvasObject { return v.drawHistogram(s, risk.UnitMoney) })
	v.callHist = newDrawing(fyne.NewSize(360, 170), func(s fyne.Size) []fyne.CanvasObject { return v.drawHistogram(s, risk.UnitPerCall) })
	v.fan = newDrawing(fyne.NewSize(360, 180), v.drawFan)
	v.tornado = newDrawing(fyne.NewSize(360, 180), v.drawTornado)
	budget := container.NewBorder(nil, nil, widget.NewLabel("Budget:"), nil, container.NewGridWrap(fyne.NewSize(130, v.budget.MinSize().Height), v.budget))
	bar := container.NewBorder(nil, nil, v.title, container.NewHBox(container.NewGridWrap(fyne.NewSize(160, v.progress.MinSize().Height), v.progress), v.busy, budget))
	charts := container.NewGridWithColumns(2, v.costHist, v.callHist, v.fan, v.tornado)
	v.root = container.NewBorder(container.NewVBox(bar, v.summary), nil, nil, nil, charts)
	return v
}

// budgetValue reads the budget entry; ok false when it holds something
// that is not an amount.
func (v *riskView) budgetValue() (planner.Opt[decimal.Decimal], bool) {
	t := strings.TrimSpace(v.budget.Text)
	if t == "" {
		return planner.Opt[decimal.Decimal]{}, true
	}
	d, ok := jsonfile.ParseAmount(t, false)
	if !ok || d.Sign() < 0 {
		return planner.Opt[decimal.Decimal]{}, false
	}
	return planner.Some(d), true
}

// Refresh draws the last run when it is of the plan as it is; otherwise it
// asks for a new run a moment from now.
func (v *riskView) Refresh() {
	name := v.doc.View.Name
	if v.doc.Scenario != "" {
		name += " — scenario " + v.doc.Scenario
	}
	v.title.SetText("Risk: " + name)
	budget, ok := v.budgetValue()
	if !ok {
		v.summary.SetText(fmt.Sprintf("The budget must be an amount of money such as 350000 or $350k, not %q.", v.budget.Text))
		return
	}
	if len(v.doc.Plan.Ranges) == 0 {
		v.gen.Add(1)
		v.risk, v.key = nil, nil
		v.summary.SetText("This plan has no ranges, so its figures are single numbers. Type a range such as 5.5 to 8.5 into an input cell " +
			"(a node's price, its throughput, a phase's calls per day) to make it uncertain; this tab then draws the plan " +
			format.Count(riskDraws) + " times and shows how sure its figures are.")
		v.redraw()
		return
	}
	key := v.runKey(budget)
	if v.risk != nil && bytes.Equal(key, v.key) {
		v.redraw()
		return
	}
	if v.cancelled != nil && bytes.Equal(key, v.cancelled) {
		return // cancelled: the tab draws again once the plan or the budget changes
	}
	g := v.gen.Add(1)
	if v.timer != nil {
		v.timer.Stop()
	}
	v.timer = time.AfterFunc(riskDebounce, func() {
		fyne.Do(func() {
			if v.gen.Load() == g {
				v.start(g, key, budget)
			}
		})
	})
}

// Cancel stops the run under way; the tab draws again only once the plan
// or the budget changes.
func (v *riskView) Cancel() {
	if !v.running {
		return
	}
	budget, _ := v.budgetValue()
	v.cancelled = v.runKey(budget)
	v.gen.Add(1) // the run's Stop sees a newer request and gives up
	v.running = false
	v.progress.Hide()
	v.busy.Hide()
	v.summary.SetText("The draws were cancelled. The tab draws again when the plan or the budget changes.")
	if v.done != nil {
		v.done()
	}
}

// runKey is what a run is of: the plan, the scenario shown, the budget.
func (v *riskView) runKey(budget planner.Opt[decimal.Decimal]) []byte {
	return append(planner.Marshal(v.doc.Plan), []byte("\x00"+v.doc.Scenario+"\x00"+budget.Val.String())...)
}

// current is the last run when it is of the plan as it is now; nil
// otherwise.
func (v *riskView) current() *risk.Result {
	budget, ok := v.budgetValue()
	if !ok || v.risk == nil || !bytes.Equal(v.key, v.runKey(budget)) {
		return nil
	}
	return v.risk
}

// start runs the draws for request g off the UI goroutine.
func (v *riskView) start(g int64, key []byte, budget planner.Opt[decimal.Decimal]) {
	plan, scenario := v.doc.Plan.Clone(), v.doc.Scenario
	v.running = true
	v.cancelled = nil
	v.progress.SetValue(0)
	v.progress.Show()
	v.busy.Show()
	if v.risk == nil {
		v.summary.SetText(fmt.Sprintf("Drawing the plan %s times…", format.Count(int64(v.draws))))
	}
	gate := v.gate
	go func() {
		if gate != nil {
			<-gate
		}
		r, err := risk.Run(plan, scenario, risk.Options{Draws: drawsFor(plan, v.draws), Seed: riskSeed, Budget: budget,
			Stop: func() bool { return v.gen.Load() != g },
			Progress: func(done, total int) {
				fyne.Do(func() {
					if v.gen.Load() == g {
						v.progress.SetValue(float64(done) / float64(total))
					}
				})
			}})
		fyne.Do(func() {
			if v.gen.Load() != g {
				return // a newer request owns the tab
			}
			v.running = false
			v.progress.Hide()
			v.busy.Hide()
			if err != nil {
				v.summary.SetText(err.Error())
			} else {
				v.risk, v.key = &r, key
				v.redraw()
			}
			if v.done != nil {
				v.done()
			}
		})
	}()
	if v.started != nil {
		v.started()
	}
}

// riskBudget is about how long the tab lets a run take: a long plan draws
// fewer times (at least minRiskDraws), and says how many.
const (
	riskBudget   = 15 * time.Second
	minRiskDraws = 1000
)

// drawsFor is how many draws fit riskBudget for this plan, at most want:
// one full compute, timed, stands for a draw (a draw does less).
func drawsFor(p planner.Plan, want int) int {
	if want <= minRiskDraws {
		return want
	}
	start := time.Now()
	planner.Compute(p)
	return drawsFit(time.Since(start), want, runtime.GOMAXPROCS(0))
}

// drawsFit is how many draws of per each fit riskBudget on cores, at most
// want and at least minRiskDraws.
func drawsFit(per time.Duration, want, cores int) int {
	if fit := int(riskBudget * time.Duration(cores) / max(per, time.Microsecond)); fit < want {
		return max(minRiskDraws, fit)
	}
	return want
}

// redraw shows the last run's words and charts.
func (v *riskView) redraw() {
	if r := v.risk; r != nil {
		v.summary.SetText(report.RiskSummary(r, v.doc.View.Currency, v.doc.View.StartDate))
	}
	for _, c := range []*drawing{v.costHist, v.callHist, v.fan, v.tornado} {
		c.Refresh()
	}
}

// drawing is a chart drawn afresh by a function on every layout: the Risk
// and Commitments tabs' charts.
type drawing struct {
	widget.BaseWidget
	draw func(fyne.Size) []fyne.CanvasObject
	min  fyne.Size
}

func newDrawing(min fyne.Size, draw func(fyne.Size) []fyne.CanvasObject) *drawing {
	c := &drawing{draw: draw, min: min}
	c.ExtendBaseWidget(c)
	return c
}

func (c *drawing) CreateRenderer() fyne.WidgetRenderer {
	return &chartRenderer{w: c, draw: c.draw, min: c.min}
}

func withAlpha(c color.Color, a uint8) color.NRGBA {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), a}
}

// axisMoney writes an axis figure: "$1.2M", "$0.00048".
func axisValue(x float64, unit, cur string) string {
	switch unit {
	case risk.UnitMoney:
		return format.CompactMoney(decimal.NewFromFloat(x), cur)
	case risk.UnitPerCall:
		return report.RiskValue(x, unit, cur)
	}
	return format.Compact(decimal.NewFromFloat(x))
}

// drawHistogram draws the draws of total cost or cost per call: 30 bins,
// P10, P50 and P90 marked, and the budget or the cost ceiling in red.
func (v *riskView) drawHistogram(size fyne.Size, unit string) []fyne.CanvasObject {
	title := "Total cost over the plan"
	if unit == risk.UnitPerCall {
		title = "Cost per call, the whole plan"
	}
	objs := []fyne.CanvasObject{rect(0, 0, size.Width, size.Height, color.Transparent), text(title, 8, 2, 13, fg(), fyne.TextAlignLeading)}
	r := v.risk
	if r == nil {
		return objs
	}
	cur := v.doc.View.Currency
	values, spread := r.TotalCost, r.Totals.TotalCost
	var limit planner.Opt[decimal.Decimal]
	limitName := "budget"
	if unit == risk.UnitPerCall {
		values, spread, limit, limitName = r.CostPerCall, r.Totals.CostPerCall, r.Ceiling, "ceiling"
	} else {
		limit = r.Budget
	}
	lo, hi, ok := risk.FiniteRange(values)
	if !ok {
		return objs
	}
	note := ""
	limitText := ""
	if limit.Valid {
		l := limit.Val.InexactFloat64()
		limitText = limitName + " " + format.UnitPrice(limit.Val, cur)
		switch {
		case l >= lo-(hi-lo)*0.25 && l <= hi+(hi-lo)*0.25:
			lo, hi = math.Min(lo, l), math.Max(hi, l)
		case l > hi:
			note = limitText + ": above every draw"
		default:
			note = limitText + ": below every draw"
		}
	}
	if hi == lo {
		lo, hi = lo*0.99-1e-9, hi*1.01+1e-9
	}
	const bins = 30
	_, counts := risk.Histogram(values, lo, hi, bins)
	most := 1
	for _, c := range counts {
		most = max(most, c)
	}
	left, right, top, bottom := float32(10), size.Width-10, float32(40), size.Height-30
	xAt := func(x float64) float32 { return left + float32((x-lo)/(hi-lo))*(right-left) }
	bw := (right - left) / bins
	bar := withAlpha(primary(), 0xA0)
	for k, c := range counts {
		h := float32(c) / float32(most) * (bottom - top)
		objs = append(objs, rect(left+float32(k)*bw+1, bottom-h, bw-2, h, bar))
	}
	objs = append(objs, line(left, bottom, right, bottom, gridLn(), 1))
	// Axis: the ends and the median.
	objs = append(objs,
		text(axisValue(lo, unit, cur), left, bottom+4, 11, muted(), fyne.TextAlignLeading),
		text(axisValue(hi, unit, cur), right, bottom+4, 11, muted(), fyne.TextAlignTrailing))
	for _, m := range []struct {
		name string
		x    float64
	}{{"P10", spread.P10}, {"P50", spread.P50}, {"P90", spread.P90}} {
		if math.IsNaN(m.x) || math.IsInf(m.x, 0) {
			continue
		}
		x := xAt(m.x)
		objs = append(objs, line(x, top-4, x, bottom, fg(), 1.5), text(m.name, x, top-18, 11, fg(), fyne.TextAlignCenter))
	}
	objs = append(objs, text(fmt.Sprintf("P10 %s · P50 %s · P90 %s", report.RiskValue(spread.P10, unit, cur), report.RiskValue(spread.P50, unit, cur), report.RiskValue(spread.P90, unit, cur)),
		size.Width/2, bottom+4, 11, fg(), fyne.TextAlignCenter))
	if limit.Valid && note == "" {
		x := xAt(limit.Val.InexactFloat64())
		objs = append(objs, line(x, top-4, x, bottom, costColor, 2),
			text(limitText, x, top-32, 11, costColor, alignFor(x, size.Width)))
	}
	if note != "" {
		objs = append(objs, text(note, right, 2, 11, costColor, fyne.TextAlignTrailing))
	}
	return objs
}

// alignFor keeps a label near an edge inside the chart.
func alignFor(x, width float32) fyne.TextAlign {
	switch {
	case x < width*0.2:
		return fyne.TextAlignLeading
	case x > width*0.8:
		return fyne.TextAlignTrailing
	}
	return fyne.TextAlignCenter
}

// drawFan draws cumulative cost and revenue over the plan's days, each a
// P10–P90 band around its median, and the break-even day's spread.
func (v *riskView) drawFan(size fyne.Size) []fyne.CanvasObject {
	objs := []fyne.CanvasObject{rect(0, 0, size.Width, size.Height, color.Transparent), text("Cumulative cost and revenue, P10–P90", 8, 2, 13, fg(), fyne.TextAlignLeading)}
	r := v.risk
	if r == nil || len(r.Fan.Days) == 0 {
		return objs
	}
	f := &r.Fan
	n := len(f.Days)
	days := float64(f.Days[n-1])
	top := 0.0
	for j := range f.Days {
		top = math.Max(top, math.Max(f.CostP90[j], f.RevenueP90[j]))
	}
	if top <= 0 {
		top = 1
	}
	cur := v.doc.View.Currency
	left, right, y0, bottom := float32(58), size.Width-10, float32(40), size.Height-30
	xAt := func(d float64) float32 { return left + float32(d/days)*(right-left) }
	yAt := func(m float64) float32 { return bottom - float32(m/top)*(bottom-y0) }
	step := niceStep(top)
	for m := 0.0; m <= top; m += step {
		y := yAt(m)
		objs = append(objs, line(left, y, right, y, gridLn(), 1), text(axisValue(m, risk.UnitMoney, cur), left-4, y-8, 11, muted(), fyne.TextAlignTrailing))
	}
	be := r.Totals.BreakEvenDay
	if !math.IsNaN(be.P10) && !math.IsInf(be.P10, 1) {
		hiDay := be.P90
		if math.IsInf(hiDay, 1) {
			hiDay = days
		}
		objs = append(objs, rect(xAt(be.P10), y0, xAt(hiDay)-xAt(be.P10), bottom-y0, withAlpha(muted(), 0x30)))
	}
	band := func(lo, hi []float64, c color.Color) {
		prev := 0.0
		for j := range f.Days {
			x1, x2 := xAt(prev), xAt(float64(f.Days[j]))
			objs = append(objs, rect(x1, yAt(hi[j]), x2-x1, yAt(lo[j])-yAt(hi[j]), withAlpha(c, 0x50)))
			prev = float64(f.Days[j])
		}
	}
	median := func(mid []float64, c color.Color) {
		px, py := xAt(0), yAt(0)
		for j := range f.Days {
			x, y := xAt(float64(f.Days[j])), yAt(mid[j])
			objs = append(objs, line(px, py, x, y, c, 2))
			px, py = x, y
		}
	}
	band(f.CostP10, f.CostP90, costColor)
	band(f.RevenueP10, f.RevenueP90, revenueColor)
	median(f.CostP50, costColor)
	median(f.RevenueP50, revenueColor)
	objs = append(objs, line(left, bottom, right, bottom, gridLn(), 1),
		text("day 1", left, bottom+4, 11, muted(), fyne.TextAlignLeading),
		text("day "+format.Count(f.Days[n-1]), right, bottom+4, 11, muted(), fyne.TextAlignTrailing),
		text("cost", right-120, 22, 11, costColor, fyne.TextAlignLeading),
		text("revenue", right-70, 22, 11, revenueColor, fyne.TextAlignLeading))
	words := "break-even: never in any draw"
	switch {
	case math.IsNaN(be.P50):
	case math.IsInf(be.P10, 1):
	case math.IsInf(be.P50, 1):
		words = fmt.Sprintf("break-even: P10 day %.0f; the median draw never", be.P10)
	default:
		hi := "never"
		if !math.IsInf(be.P90, 1) {
			hi = fmt.Sprintf("%.0f", be.P90)
		}
		words = fmt.Sprintf("break-even day %.0f (P10–P90 %.0f–%s, shaded)", be.P50, be.P10, hi)
		x := xAt(be.P50)
		objs = append(objs, line(x, y0, x, bottom, fg(), 1))
	}
	objs = append(objs, text(words, size.Width/2, bottom+4, 11, fg(), fyne.TextAlignCenter))
	return objs
}

// drawTornado ranks the uncertain inputs by their rank correlation with
// total cost: bars right for inputs that raise cost as they rise, left for
// those that lower it.
func (v *riskView) drawTornado(size fyne.Size) []fyne.CanvasObject {
	objs := []fyne.CanvasObject{rect(0, 0, size.Width, size.Height, color.Transparent), text("What drives total cost (Spearman ρ)", 8, 2, 13, fg(), fyne.TextAlignLeading)}
	r := v.risk
	if r == nil || len(r.Drivers) == 0 {
		return objs
	}
	drivers := r.Drivers
	if len(drivers) > 8 {
		drivers = drivers[:8]
	}
	labelW := size.Width * 0.42
	mid := labelW + (size.Width-labelW-10)/2
	half := (size.Width - labelW - 10) / 2
	rowH := min(float32(26), (size.Height-50)/float32(len(drivers)))
	objs = append(objs, line(mid, 30, mid, 30+rowH*float32(len(drivers)), gridLn(), 1))
	for k, d := range drivers {
		y := 30 + float32(k)*rowH
		label := d.Label
		for utf8.RuneCountInString(label) > 4 && fyne.MeasureText(label, 12, fyne.TextStyle{}).Width > labelW-12 {
			rs := []rune(strings.TrimSuffix(label, "…"))
			label = string(rs[:len(rs)-1]) + "…"
		}
		objs = append(objs, text(label, 8, y+4, 12, fg(), fyne.TextAlignLeading))
		rho := d.Rho
		if math.IsNaN(rho) {
			objs = append(objs, text("does not vary", mid+4, y+4, 11, muted(), fyne.TextAlignLeading))
			continue
		}
		w := float32(math.Abs(rho)) * half
		c, x := costColor, mid
		if rho < 0 {
			c, x = revenueColor, mid-w
		}
		objs = append(objs, rect(x, y+3, w, rowH-6, withAlpha(c, 0xC0)))
		if rho >= 0 {
			objs = append(objs, text(report.RiskRho(rho), mid-4, y+4, 11, fg(), fyne.TextAlignTrailing))
		} else {
			objs = append(objs, text(report.RiskRho(rho), mid+4, y+4, 11, fg(), fyne.TextAlignLeading))
		}
	}
	return objs
}

// Name, Icon and Content make the risk view a tab of the window (view.go).
func (v *riskView) Name() string               { return tabRisk }
func (v *riskView) Icon() fyne.Resource        { return theme.WarningIcon() }
func (v *riskView) Content() fyne.CanvasObject { return v.root }
