package ui

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/compare"
	"github.com/scaleplan/scaleplan/report"
)

// Costs draws cost by category per phase as stacked columns, and cumulative
// cost against cumulative revenue by plan day with the break-even day
// marked. Tapping a column shows its numbers.
type Costs struct {
	widget.BaseWidget
	doc      *Document
	onSelect func(phase int)
	onInfo   func(text string)
	selected int
}

// NewCosts shows doc's costs.
func NewCosts(doc *Document) *Costs {
	c := &Costs{doc: doc, selected: -1}
	c.ExtendBaseWidget(c)
	return c
}

const (
	costsLeft   = 96
	costsRight  = 24
	costsTop    = 30
	costsLegend = 40
)

func (c *Costs) CreateRenderer() fyne.WidgetRenderer {
	return &chartRenderer{w: c, draw: c.draw, min: fyne.NewSize(480, 420)}
}

// legendRow is the height of one more row of the stacks' legend.
const legendRow = 16

// legendRows is how many rows the stacks' legend takes at width w: one,
// unless the plan's components make it longer than the chart is wide.
func (c *Costs) legendRows(w float32) int {
	rows, lx := 1, float32(0)
	for _, part := range report.ChartParts(&c.doc.Result) {
		iw := 24 + fyne.MeasureText(part.Label, theme.CaptionTextSize(), fyne.TextStyle{}).Width
		if lx > 0 && lx+iw > w {
			rows, lx = rows+1, 0
		}
		lx += iw
	}
	return rows
}

// barsArea is the upper chart's plot rectangle, above its legend.
func (c *Costs) barsArea(size fyne.Size) (x, y, w, h float32) {
	w = size.Width - costsLeft - costsRight
	extra := float32(c.legendRows(w)-1) * legendRow
	return costsLeft, costsTop, w, size.Height*0.5 - costsTop - costsLegend - extra
}

func (c *Costs) phaseAt(pos fyne.Position) int {
	x, y, w, h := c.barsArea(c.Size())
	n := len(c.doc.Result.Phases)
	if pos.X < x || pos.X > x+w || pos.Y < y || pos.Y > y+h || n == 0 {
		return -1
	}
	return min(int((pos.X-x)/(w/float32(n))), n-1)
}

// Tapped shows the numbers of the phase under the pointer.
func (c *Costs) Tapped(ev *fyne.PointEvent) {
	i := c.phaseAt(ev.Position)
	if i < 0 {
		return
	}
	c.selected = i
	if c.onSelect != nil {
		c.onSelect(i)
	}
	if c.onInfo != nil {
		c.onInfo(c.info(i))
	}
	c.Refresh()
}

func (c *Costs) info(i int) string {
	res := &c.doc.Result
	p := &res.Phases[i]
	s := p.Name + ":"
	for _, part := range report.ChartParts(res) {
		s += fmt.Sprintf(" %s %s ·", part.Label, format.Money(part.Of(p), res.Currency))
	}
	return s + " total " + format.Money(p.Cost.Total, res.Currency)
}

func (c *Costs) draw(size fyne.Size) []fyne.CanvasObject {
	res := &c.doc.Result
	cur := res.Currency
	small := theme.CaptionTextSize()
	var objs []fyne.CanvasObject
	money := func(v float64) string { return format.CompactMoney(decimal.NewFromFloat(v), cur) }

	// Upper: stacked columns.
	parts := report.ChartParts(res)
	x, y, w, h := c.barsArea(size)
	n := len(res.Phases)
	top := 0.0
	for i := range res.Phases {
		top = max(top, res.Phases[i].Cost.Total.InexactFloat64())
	}
	step := niceStep(top)
	axisTop := step * float64(int(top/step)+1)
	objs = append(objs, text("Cost by category per phase", x, 4, theme.TextSize(), fg(), fyne.TextAlignLeading))
	for v := 0.0; v <= axisTop+step/2; v += step {
		yy := y + h - float32(v/axisTop)*h
		objs = append(objs, line(x, yy, x+w, yy, gridLn(), 1), text(money(v), x-6, yy-small/2-2, small, muted(), fyne.TextAlignTrailing))
	}
	slot := w / float32(max(n, 1))
	barW := min(slot*0.6, 90)
	for i := range res.Phases {
		p := &res.Phases[i]
		bx := x + slot*float32(i) + (slot-barW)/2
		base := y + h
		for _, part := range parts {
			bh := float32(part.Of(p).InexactFloat64()/axisTop) * h
			objs = append(objs, rect(bx, base-bh, barW, bh, hexColour(part.Colour)))
			base -= bh
		}
		if i == c.selected {
			sel := rect(bx-2, base-2, barW+4, y+h-base+4, color.Transparent)
			sel.StrokeColor, sel.StrokeWidth = fg(), 2
			objs = append(objs, sel)
		}
		if n <= 24 {
			objs = append(objs, text(p.Name, bx+barW/2, y+h+2, small, fg(), fyne.TextAlignCenter))
		}
	}
	lx, ly := x, y+h+costsLegend
	for _, part := range parts {
		if iw := 24 + fyne.MeasureText(part.Label, small, fyne.TextStyle{}).Width; lx > x && lx+iw > x+w {
			lx, ly = x, ly+legendRow // the next row of the legend
		}
		objs = append(objs, rect(lx, ly-12, 10, 10, hexColour(part.Colour)))
		t := text(part.Label, lx+14, ly-15, small, fg(), fyne.TextAlignLeading)
		objs = append(objs, t)
		lx += 24 + t.MinSize().Width
	}

	// Lower: cumulative cost and revenue by day.
	y2 := size.Height*0.5 + costsTop
	h2 := size.Height - y2 - costsLegend - 18
	days := res.Timeline()
	if len(days) == 0 {
		return objs
	}
	// Costs and revenue are never negative, so the running totals peak on the last day.
	last := days[len(days)-1]
	top2 := max(last.CumCost.InexactFloat64(), last.CumRevenue.InexactFloat64())
	others := c.otherDesigns()
	for _, o := range others {
		if n := len(o.days); n > 0 {
			top2 = max(top2, o.days[n-1].CumCost.InexactFloat64(), o.days[n-1].CumRevenue.InexactFloat64())
		}
	}
	step2 := niceStep(top2)
	axis2 := step2 * float64(int(top2/step2)+1)
	objs = append(objs, text("Cumulative cost and revenue by plan day", x, y2-costsTop+4, theme.TextSize(), fg(), fyne.TextAlignLeading))
	for v := 0.0; v <= axis2+step2/2; v += step2 {
		yy := y2 + h2 - float32(v/axis2)*h2
		objs = append(objs, line(x, yy, x+w, yy, gridLn(), 1), text(money(v), x-6, yy-small/2-2, small, muted(), fyne.TextAlignTrailing))
	}
	px := func(day int64) float32 { return x + float32(day-1)/float32(max(res.Days-1, 1))*w }
	py := func(v decimal.Decimal) float32 { return y2 + h2 - float32(v.InexactFloat64()/axis2)*h2 }
	// The other designs (the plan's scenarios, or the plan itself while a
	// scenario is shown): thin lines, cost solid, revenue faint.
	for _, o := range others {
		if len(o.days) == 0 {
			continue
		}
		faint := o.colour
		faint.A = 0x70
		so := max(1, len(o.days)/400)
		for k := so; k < len(o.days); k += so {
			a, b := o.days[k-so], o.days[k]
			if b.Day > res.Days {
				break // a scenario longer than the plan shown is drawn to its end of the axis
			}
			objs = append(objs,
				line(px(a.Day), py(a.CumCost), px(b.Day), py(b.CumCost), o.colour, 1),
				line(px(a.Day), py(a.CumRevenue), px(b.Day), py(b.CumRevenue), faint, 1))
		}
	}
	// At most about 400 segments a line, however long the plan.
	stride := max(1, len(days)/400)
	for k := stride; k < len(days); k += stride {
		a, b := days[k-stride], days[k]
		objs = append(objs,
			line(px(a.Day), py(a.CumCost), px(b.Day), py(b.CumCost), costColor, 2),
			line(px(a.Day), py(a.CumRevenue), px(b.Day), py(b.CumRevenue), revenueColor, 2))
	}
	for _, d := range []int64{1, res.Days / 2, res.Days} {
		objs = append(objs, text(fmt.Sprintf("day %s", format.Count(d)), px(d), y2+h2+2, small, muted(), fyne.TextAlignCenter))
	}
	if be := res.BreakEven; be.Day.Valid {
		bx := px(be.Day.Val)
		objs = append(objs, line(bx, y2, bx, y2+h2, fg(), 1),
			text(fmt.Sprintf("break-even day %s (%s)", format.Count(be.Day.Val), be.Date.Val), bx+4, y2, small, fg(), fyne.TextAlignLeading))
	} else {
		objs = append(objs, text("no break-even within the plan", x+w, y2, small, fg(), fyne.TextAlignTrailing))
	}
	ly = y2 + h2 + costsLegend
	objs = append(objs, rect(x, ly, 14, 3, costColor), text("cumulative cost", x+18, ly-8, small, fg(), fyne.TextAlignLeading),
		rect(x+140, ly, 14, 3, revenueColor), text("cumulative revenue", x+158, ly-8, small, fg(), fyne.TextAlignLeading))
	if len(others) > 0 {
		lx = x + 300
		t := text("thin: the other designs' cost, their revenue faint —", lx, ly-8, small, muted(), fyne.TextAlignLeading)
		objs = append(objs, t)
		lx += t.MinSize().Width + 8
		for _, o := range others {
			t := text(o.name, lx+18, ly-8, small, fg(), fyne.TextAlignLeading)
			if lx+18+t.MinSize().Width > x+w { // the next row of the legend
				lx, ly = x+300, ly+legendRow
				t = text(o.name, lx+18, ly-8, small, fg(), fyne.TextAlignLeading)
			}
			objs = append(objs, rect(lx, ly, 14, 2, o.colour), t)
			lx += 30 + t.MinSize().Width
		}
	}
	return objs
}

// overlay is another design drawn over the cumulative chart.
type overlay struct {
	name   string
	colour color.NRGBA
	days   []planner.Day
}

// overlayColours tell the other designs apart, away from the cost and
// revenue lines' red and green.
var overlayColours = []color.NRGBA{{0x8E, 0x44, 0xAD, 0xFF}, {0x1F, 0x77, 0xB4, 0xFF}, {0xFF, 0x7F, 0x0E, 0xFF}, {0x17, 0xBE, 0xCF, 0xFF}}

// otherDesigns are the plan's scenarios, or, while one is shown, the plan
// itself and the other scenarios: at most as many as there are colours.
func (c *Costs) otherDesigns() []overlay {
	if len(c.doc.Plan.Scenarios) == 0 {
		return nil
	}
	base := c.doc.PlanResult()
	var out []overlay
	for _, o := range compare.Scenarios(c.doc.Plan, &base) {
		if o.Name == c.doc.Scenario || o.Err != nil || len(out) == len(overlayColours) {
			continue // the design shown is drawn as the plan's lines
		}
		name := o.Name
		if name == "" {
			name = "the plan itself"
		}
		out = append(out, overlay{name: name, colour: overlayColours[len(out)], days: o.Result.Timeline()})
	}
	return out
}
