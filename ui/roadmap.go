package ui

import (
	"fmt"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
)

// Roadmap draws the phases as bars on a date axis. Dragging a bar's right
// edge changes that phase's days (whole days, undoable); tapping a bar
// selects its column in the grid; hovering shows its numbers.
type Roadmap struct {
	widget.BaseWidget
	doc *Document

	onSelect func(phase int)
	onInfo   func(text string)

	// a drag in progress
	dragging  int // phase being resized, -1 when none
	dragStart float32
	dragDays  int64
	hover     int
}

const (
	roadmapLeft   = 170 // room for phase names
	roadmapTop    = 46  // room for the date axis
	roadmapRow    = 58
	roadmapBar    = 30
	roadmapRight  = 24
	roadmapHandle = 10 // grab width of a bar's right edge
)

// NewRoadmap shows doc's phases.
func NewRoadmap(doc *Document) *Roadmap {
	r := &Roadmap{doc: doc, dragging: -1, hover: -1}
	r.ExtendBaseWidget(r)
	return r
}

// days of phase i as drawn: the drag preview while dragging.
func (r *Roadmap) days(i int) int64 {
	if i == r.dragging {
		return r.dragDays
	}
	return r.doc.Result.Phases[i].Days
}

func (r *Roadmap) totalDays() int64 {
	var t int64
	for i := range r.doc.Result.Phases {
		t += r.days(i)
	}
	return max(t, 1)
}

func (r *Roadmap) pxPerDay(width float32) float32 {
	return (width - roadmapLeft - roadmapRight) / float32(r.totalDays())
}

// barAt finds the phase under a point and whether it is on the right edge.
func (r *Roadmap) barAt(pos fyne.Position) (phase int, edge bool) {
	per := r.pxPerDay(r.Size().Width)
	i := int((pos.Y - roadmapTop) / roadmapRow)
	if pos.Y < roadmapTop || i < 0 || i >= len(r.doc.Result.Phases) {
		return -1, false
	}
	var before int64
	for k := 0; k < i; k++ {
		before += r.days(k)
	}
	x0 := roadmapLeft + float32(before)*per
	x1 := x0 + float32(r.days(i))*per
	if pos.X >= x1-roadmapHandle/2 && pos.X <= x1+roadmapHandle {
		return i, true
	}
	if pos.X >= x0 && pos.X <= x1 {
		return i, false
	}
	return -1, false
}

func (r *Roadmap) info(i int) string {
	res := &r.doc.Result
	p := &res.Phases[i]
	cpc := format.None
	if p.CostPerCall.Valid {
		cpc = format.MoneyPlacesN(p.CostPerCall.Val, res.Currency, format.CostPerCallPlaces)
	}
	return fmt.Sprintf("%s: %s → %s, %s · %s calls/day · %s (%s) · %s total, %s per call",
		p.Name, p.StartDate, p.EndDate, format.Plural(p.Days, "day", "days"), format.Count(p.CallsPerDay), format.Nodes(p.Nodes), p.Scaling,
		format.Money(p.Cost.Total, res.Currency), cpc)
}

// Tapped selects the phase under the pointer.
func (r *Roadmap) Tapped(ev *fyne.PointEvent) {
	if i, _ := r.barAt(ev.Position); i >= 0 {
		if r.onSelect != nil {
			r.onSelect(i)
		}
		if r.onInfo != nil {
			r.onInfo(r.info(i))
		}
	}
}

// Dragged resizes a phase when the drag started on its right edge.
func (r *Roadmap) Dragged(ev *fyne.DragEvent) {
	if r.dragging < 0 {
		start := fyne.NewPos(ev.Position.X-ev.Dragged.DX, ev.Position.Y-ev.Dragged.DY)
		i, edge := r.barAt(start)
		if i < 0 || !edge {
			return
		}
		r.dragging, r.dragStart, r.dragDays = i, start.X, r.doc.Result.Phases[i].Days
	}
	per := r.pxPerDay(r.Size().Width)
	orig := r.doc.Result.Phases[r.dragging].Days
	d := orig + int64(math.Round(float64((ev.Position.X-r.dragStart)/per)))
	r.dragDays = min(max(d, 1), planner.MaxDays)
	if r.onInfo != nil {
		r.onInfo(fmt.Sprintf("%s: %s days (was %s) — release to apply", r.doc.Result.Phases[r.dragging].Name,
			format.Count(r.dragDays), format.Count(orig)))
	}
	r.Refresh()
}

// DragEnd applies the new length as one undoable edit.
func (r *Roadmap) DragEnd() {
	i, days := r.dragging, r.dragDays
	r.dragging = -1
	if i < 0 {
		return
	}
	if days != r.doc.Result.Phases[i].Days {
		err := r.doc.Edit(func(p planner.Plan) (planner.Plan, error) {
			return r.doc.SetInput(p, i, planner.KeyDays, fmt.Sprint(days)) // a shown scenario's, or the plan's
		})
		if err != nil && r.onInfo != nil {
			r.onInfo(err.Error())
		}
	}
	r.Refresh()
}

// Cursor shows a resize arrow over bar edges.
func (r *Roadmap) Cursor() desktop.Cursor {
	if r.dragging >= 0 {
		return desktop.HResizeCursor
	}
	return desktop.DefaultCursor
}

// MouseIn, MouseMoved and MouseOut show the hovered phase's numbers.
func (r *Roadmap) MouseIn(ev *desktop.MouseEvent) { r.MouseMoved(ev) }
func (r *Roadmap) MouseMoved(ev *desktop.MouseEvent) {
	i, _ := r.barAt(ev.Position)
	if i != r.hover {
		r.hover = i
		if i >= 0 && r.onInfo != nil {
			r.onInfo(r.info(i))
		}
		r.Refresh()
	}
}
func (r *Roadmap) MouseOut() {
	if r.hover >= 0 {
		r.hover = -1
		r.Refresh()
	}
}

func (r *Roadmap) CreateRenderer() fyne.WidgetRenderer {
	return &chartRenderer{w: r, draw: r.draw, min: fyne.NewSize(400, roadmapTop+roadmapRow+20)}
}

func (r *Roadmap) draw(size fyne.Size) []fyne.CanvasObject {
	res := &r.doc.Result
	n := len(res.Phases)
	per := r.pxPerDay(size.Width)
	h := float32(roadmapTop + n*roadmapRow)
	small := theme.CaptionTextSize()
	var objs []fyne.CanvasObject
	// Month ticks along the top.
	total := r.totalDays()
	start := res.StartDate
	step := int64(1)
	if months := total / 30; months > 12 {
		step = (months + 11) / 12
	}
	objs = append(objs, text("plan days from "+start.String(), roadmapLeft, 2, small, muted(), fyne.TextAlignLeading))
	for m := int64(0); ; m += step {
		t := start.Time().AddDate(0, int(m), 0)
		first := planner.NewDate(t.Year(), t.Month(), 1)
		if m == 0 {
			first = start
		}
		day := first.DaysSince(start)
		if day > total {
			break
		}
		x := roadmapLeft + float32(day)*per
		objs = append(objs, line(x, roadmapTop-10, x, h, gridLn(), 1),
			text(first.Time().Format("Jan 2006"), x+3, roadmapTop-26, small, muted(), fyne.TextAlignLeading))
	}
	var before int64
	for i := 0; i < n; i++ {
		p := &res.Phases[i]
		y := float32(roadmapTop + i*roadmapRow + (roadmapRow-roadmapBar)/2)
		x0 := roadmapLeft + float32(before)*per
		w := float32(r.days(i)) * per
		before += r.days(i)
		objs = append(objs, text(p.Name, roadmapLeft-10, y+4, theme.TextSize(), fg(), fyne.TextAlignTrailing))
		bar := rect(x0, y, w, roadmapBar, primary())
		bar.CornerRadius = 4
		if i == r.hover || i == r.dragging {
			bar.StrokeColor, bar.StrokeWidth = fg(), 2
		}
		objs = append(objs, bar)
		label := fmt.Sprintf("%s calls/day · %s · %s", format.Compact(decimal.NewFromInt(p.CallsPerDay)), format.Nodes(p.Nodes), p.Scaling)
		if i == r.dragging {
			label = fmt.Sprintf("%s days", format.Count(r.dragDays))
		}
		lt := text(label, x0+8, y+roadmapBar+2, small, muted(), fyne.TextAlignLeading)
		objs = append(objs, lt)
		days := text(format.Count(r.days(i))+" d", x0+w-6, y+(roadmapBar-small)/2-2, small, theme.Color(theme.ColorNameForegroundOnPrimary), fyne.TextAlignTrailing)
		if days.MinSize().Width < w-10 {
			objs = append(objs, days)
		}
		// The grab handle on the right edge.
		objs = append(objs, rect(x0+w-4, y+6, 3, roadmapBar-12, theme.Color(theme.ColorNameForegroundOnPrimary)))
	}
	return objs
}
