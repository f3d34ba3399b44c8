package ui

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"

	"github.com/scaleplan/scaleplan/report"
)

// Shared pieces of the roadmap and costs views, drawn with Fyne's own canvas
// objects so they follow the theme and stay crisp at any scale.

// chartRenderer rebuilds its objects from a draw function on every layout
// or refresh: the charts are small, so redrawing is simpler and safer than
// patching objects in place.
type chartRenderer struct {
	w       fyne.CanvasObject
	draw    func(size fyne.Size) []fyne.CanvasObject
	min     fyne.Size
	objects []fyne.CanvasObject
	size    fyne.Size
}

func (r *chartRenderer) Layout(size fyne.Size) {
	r.size = size
	r.objects = r.draw(size)
}
func (r *chartRenderer) MinSize() fyne.Size           { return r.min }
func (r *chartRenderer) Refresh()                     { r.Layout(r.size); canvas.Refresh(r.w) }
func (r *chartRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *chartRenderer) Destroy()                     {}
func text(s string, x, y float32, size float32, c color.Color, align fyne.TextAlign) *canvas.Text {
	t := canvas.NewText(s, c)
	t.TextSize = size
	t.Alignment = align
	m := t.MinSize()
	switch align {
	case fyne.TextAlignCenter:
		x -= m.Width / 2
	case fyne.TextAlignTrailing:
		x -= m.Width
	}
	t.Move(fyne.NewPos(x, y))
	t.Resize(m)
	return t
}

func rect(x, y, w, h float32, c color.Color) *canvas.Rectangle {
	r := canvas.NewRectangle(c)
	r.Move(fyne.NewPos(x, y))
	r.Resize(fyne.NewSize(max(w, 0), max(h, 0)))
	return r
}

func line(x1, y1, x2, y2 float32, c color.Color, width float32) *canvas.Line {
	l := canvas.NewLine(c)
	l.StrokeWidth = width
	l.Position1, l.Position2 = fyne.NewPos(x1, y1), fyne.NewPos(x2, y2)
	return l
}

// niceStep picks a round axis step (1, 2 or 5 × 10^k) giving at most about
// five ticks up to top.
func niceStep(top float64) float64 { return report.NiceStep(top) }

// hexColour reads a "#rrggbb" colour from the planner's catalogue.
func hexColour(s string) color.NRGBA {
	var r, g, b uint8
	if _, err := fmt.Sscanf(s, "#%02x%02x%02x", &r, &g, &b); err != nil {
		return color.NRGBA{0x80, 0x80, 0x80, 0xFF}
	}
	return color.NRGBA{r, g, b, 0xFF}
}

var (
	costColor    = color.NRGBA{0xD0, 0x3B, 0x3B, 0xFF}
	revenueColor = color.NRGBA{0x2E, 0x8B, 0x57, 0xFF}
)

func fg() color.Color      { return theme.Color(theme.ColorNameForeground) }
func muted() color.Color   { return theme.Color(theme.ColorNamePlaceHolder) }
func gridLn() color.Color  { return theme.Color(theme.ColorNameSeparator) }
func primary() color.Color { return theme.Color(theme.ColorNamePrimary) }
