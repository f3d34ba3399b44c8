package ui

import (
	"fmt"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/compare"
)

// Scale shows, for the phase selected in the grid, how its cost per call
// moves with volume (the cost-to-scale curve, node steps marked) and which
// inputs move it most (a tornado of ±20 %).
type Scale struct {
	widget.BaseWidget
	doc   *Document
	phase func() int
}

// NewScale shows the phase phase() returns.
func NewScale(doc *Document, phase func() int) *Scale {
	s := &Scale{doc: doc, phase: phase}
	s.ExtendBaseWidget(s)
	return s
}

const curvePoints = 40

func (s *Scale) CreateRenderer() fyne.WidgetRenderer {
	return &chartRenderer{w: s, draw: s.draw, min: fyne.NewSize(480, 460)}
}

func (s *Scale) draw(size fyne.Size) []fyne.CanvasObject {
	i := max(0, min(s.phase(), len(s.doc.View.Phases)-1))
	cur := s.doc.View.Currency
	small := theme.CaptionTextSize()
	var objs []fyne.CanvasObject
	perCall := func(v float64) string {
		return format.MoneyPlacesN(decimal.NewFromFloat(v), cur, format.CostPerCallPlaces)
	}

	// Upper half: cost per call against calls per day.
	c := compare.CostCurve(s.doc.View, i, curvePoints)
	x, y := float32(costsLeft), float32(costsTop)
	w, h := size.Width-costsLeft-costsRight-70, size.Height*0.5-costsTop-costsLegend // room on the right for the daily axis
	name := s.doc.View.Phases[i].Name
	objs = append(objs, text(fmt.Sprintf("%s: cost per call as volume grows (the fleet sized at each volume)", name), x, 4, theme.TextSize(), fg(), fyne.TextAlignLeading))
	top := 0.0
	for _, pt := range c.Points {
		if pt.CostPerCall.Valid {
			top = math.Max(top, pt.CostPerCall.Val.InexactFloat64())
		}
	}
	step := niceStep(top)
	axis := step * float64(int(top/step)+1)
	for v := 0.0; v <= axis+step/2; v += step {
		yy := y + h - float32(v/axis)*h
		objs = append(objs, line(x, yy, x+w, yy, gridLn(), 1), text(perCall(v), x-6, yy-small/2-2, small, muted(), fyne.TextAlignTrailing))
	}
	maxX := float64(c.Points[len(c.Points)-1].CallsPerDay)
	px := func(cpd int64) float32 { return x + float32(float64(cpd)/maxX)*w }
	py := func(v float64) float32 { return y + h - float32(v/axis)*h }
	// Cost per day on its own scale, labelled on the right, in the revenue
	// colour's sibling so the two lines read apart.
	topDay := 0.0
	for _, pt := range c.Points {
		topDay = math.Max(topDay, pt.DailyCost.InexactFloat64())
	}
	dayStep := niceStep(topDay)
	dayAxis := dayStep * float64(int(topDay/dayStep)+1)
	pyDay := func(v float64) float32 { return y + h - float32(v/dayAxis)*h }
	for v := 0.0; v <= dayAxis+dayStep/2; v += dayStep {
		objs = append(objs, text(format.CompactMoney(decimal.NewFromFloat(v), cur)+"/day", x+w+4, pyDay(v)-small/2-2, small, costColor, fyne.TextAlignLeading))
	}
	for k := 1; k < len(c.Points); k++ {
		a, b := &c.Points[k-1], &c.Points[k]
		objs = append(objs, line(px(a.CallsPerDay), pyDay(a.DailyCost.InexactFloat64()), px(b.CallsPerDay), pyDay(b.DailyCost.InexactFloat64()), costColor, 1.5))
	}
	var prev *compare.CurvePoint
	for k := range c.Points {
		pt := &c.Points[k]
		if prev != nil && prev.CostPerCall.Valid && pt.CostPerCall.Valid {
			objs = append(objs, line(px(prev.CallsPerDay), py(prev.CostPerCall.Val.InexactFloat64()), px(pt.CallsPerDay), py(pt.CostPerCall.Val.InexactFloat64()), primary(), 2))
		}
		prev = pt
	}
	for n, k := range c.NodeSteps {
		if n%max(1, len(c.NodeSteps)/8) != 0 {
			continue // label about eight steps, however many there are
		}
		pt := &c.Points[k]
		objs = append(objs, text(format.Count(pt.Nodes), px(pt.CallsPerDay), py(pt.CostPerCall.Val.InexactFloat64())-small-4, small, muted(), fyne.TextAlignCenter))
	}
	marker := func(cpd int64, label string) {
		if float64(cpd) > maxX {
			return
		}
		xx := px(cpd)
		objs = append(objs, line(xx, y, xx, y+h, fg(), 1), text(label, xx+4, y+2, small, fg(), fyne.TextAlignLeading))
	}
	marker(c.CallsPerDay, "planned "+format.Compact(decimal.NewFromInt(c.CallsPerDay)))
	if c.BreakEven.Valid {
		marker(c.BreakEven.Val, "break-even "+format.Compact(decimal.NewFromInt(c.BreakEven.Val)))
	}
	note := "blue: cost per call (left) · red: cost per day (right) · labels: nodes at each step up"
	if c.CostCeiling.Valid {
		if ce := c.CostCeiling.Val.InexactFloat64(); ce <= axis {
			objs = append(objs, line(x, py(ce), x+w, py(ce), fg(), 1))
			note += " · flat line: the cost ceiling"
		} else {
			note += " · the " + perCall(ce) + " ceiling is above the chart"
		}
	}
	objs = append(objs, text(note, x, y+h+4, small, muted(), fyne.TextAlignLeading),
		text(format.Compact(decimal.NewFromFloat(maxX))+" calls/day", x+w, y+h+4, small, muted(), fyne.TextAlignTrailing))

	// Lower half: the tornado.
	base, rows := compare.SensitivityOf(s.doc.View, i)
	y2 := size.Height*0.5 + costsTop
	objs = append(objs, text("What moves cost per call: each input 20 % down and up, largest first", x, y2-costsTop+4, theme.TextSize(), fg(), fyne.TextAlignLeading))
	if !base.CostPerCall.Valid || len(rows) == 0 {
		return append(objs, text("no calls in this phase: nothing to compare", x, y2, small, muted(), fyne.TextAlignLeading))
	}
	rows = rows[:min(len(rows), 8)]
	b0 := base.CostPerCall.Val.InexactFloat64()
	span := 0.0
	for _, r := range rows {
		span = math.Max(span, r.Swing.InexactFloat64())
	}
	if span == 0 {
		span = 1
	}
	labelW, valuesW := float32(150), float32(170) // input names on the left, the values tried on the right
	cx := x + labelW + (w-labelW-valuesW)/2
	half := (w - labelW - valuesW) / 2 * 0.95
	rowH := (size.Height - y2 - 20) / float32(len(rows))
	objs = append(objs, line(cx, y2, cx, y2+rowH*float32(len(rows)), fg(), 1))
	for k, r := range rows {
		yy := y2 + rowH*float32(k)
		objs = append(objs, text(r.Label, x+labelW-8, yy+rowH/2-small/2-2, small, fg(), fyne.TextAlignTrailing))
		for _, side := range []struct {
			o   planner.Opt[decimal.Decimal]
			col fyne.CanvasObject
		}{{r.CostPerCallLow, nil}, {r.CostPerCallHigh, nil}} {
			if !side.o.Valid {
				continue
			}
			d := side.o.Val.InexactFloat64() - b0
			bw := float32(math.Abs(d)/span) * half
			bx := cx
			col := revenueColor // cheaper
			if d < 0 {
				bx = cx - bw
			} else {
				col = costColor
			}
			objs = append(objs, rect(bx, yy+rowH*0.2, bw, rowH*0.6, col))
		}
		objs = append(objs, text(fmt.Sprintf("%s … %s", format.Trim(r.Low), format.Trim(r.High)), x+w, yy+rowH/2-small/2-2, small, muted(), fyne.TextAlignTrailing))
	}
	objs = append(objs, text("cost per call "+perCall(b0)+" · green: cheaper · red: dearer", cx, y2+rowH*float32(len(rows))+2, small, muted(), fyne.TextAlignCenter))
	return objs
}

// Name, Icon and Content make the Scale chart a tab of the window (view.go).
func (s *Scale) Name() string               { return tabScale }
func (s *Scale) Icon() fyne.Resource        { return theme.ZoomInIcon() }
func (s *Scale) Content() fyne.CanvasObject { return s }
