package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// cellKind is what a grid cell shows, which decides how it looks.
type cellKind int

const (
	kindComputed cellKind = iota
	kindInput
	kindOverride // an input that overrides the plan default in this phase
	kindHeader   // the phase names row and the label column's title
	kindGroup    // a group heading
	kindLabel    // a line's name and unit
	kindTotal
	kindScenario // an input the shown scenario overrides
	kindRange    // an uncertain input: its range, its median below
)

// Tints laid over the theme's background, so they read in light and dark.
var (
	tintOverride = color.NRGBA{R: 0xF0, G: 0x8C, B: 0x28, A: 0x48}
	tintFail     = color.NRGBA{R: 0xE0, G: 0x30, B: 0x30, A: 0x40}
	tintScenario = color.NRGBA{R: 0x8E, G: 0x44, B: 0xAD, A: 0x48}
	tintRange    = color.NRGBA{R: 0x17, G: 0x9C, B: 0xB0, A: 0x48} // an uncertain input: a range
)

// gridCell is one cell of the model grid: a background, a main text and an
// optional small second line (a unit or a date range). It is a template the
// table recycles, so update sets every field every time.
type gridCell struct {
	widget.BaseWidget
	bg, outline *canvas.Rectangle
	text, sub   *canvas.Text
}

func newGridCell() *gridCell {
	c := &gridCell{
		bg:      canvas.NewRectangle(color.Transparent),
		outline: canvas.NewRectangle(color.Transparent),
		text:    canvas.NewText("", theme.Color(theme.ColorNameForeground)),
		sub:     canvas.NewText("", theme.Color(theme.ColorNamePlaceHolder)),
	}
	c.outline.StrokeWidth = 2
	c.sub.TextSize = theme.CaptionTextSize()
	c.ExtendBaseWidget(c)
	return c
}

// cellLook is everything update needs to draw a cell.
type cellLook struct {
	text, sub         string
	kind              cellKind
	failing, selected bool
	invalid           bool
	leading           bool        // a header cell over the label column
	subColor          color.Color // the second line's colour; nil for the muted default
}

func (c *gridCell) update(l cellLook) {
	fg := theme.Color(theme.ColorNameForeground)
	c.text.Text, c.sub.Text = l.text, l.sub
	c.text.TextStyle = fyne.TextStyle{}
	c.text.Alignment, c.sub.Alignment = fyne.TextAlignTrailing, fyne.TextAlignTrailing
	c.text.Color = fg
	var bg color.Color = color.Transparent
	switch l.kind {
	case kindInput:
		bg = theme.Color(theme.ColorNameInputBackground)
		c.text.Color = theme.Color(theme.ColorNamePrimary)
	case kindOverride:
		bg = tintOverride
		c.text.Color = theme.Color(theme.ColorNamePrimary)
		c.text.TextStyle.Bold = true
	case kindScenario:
		bg = tintScenario
		c.text.Color = theme.Color(theme.ColorNamePrimary)
		c.text.TextStyle.Bold = true
	case kindRange:
		bg = tintRange
		c.text.Color = theme.Color(theme.ColorNamePrimary)
		c.text.TextStyle.Italic = true
	case kindHeader:
		bg = theme.Color(theme.ColorNameHeaderBackground)
		c.text.TextStyle.Bold = true
		if l.leading {
			c.text.Alignment, c.sub.Alignment = fyne.TextAlignLeading, fyne.TextAlignLeading
		}
	case kindGroup:
		bg = theme.Color(theme.ColorNameHeaderBackground)
		c.text.TextStyle.Bold = true
		c.text.Alignment = fyne.TextAlignLeading
	case kindLabel:
		c.text.Alignment, c.sub.Alignment = fyne.TextAlignLeading, fyne.TextAlignLeading
	case kindTotal:
		c.text.TextStyle.Bold = true
	}
	if l.failing {
		bg = tintFail
	}
	c.bg.FillColor = bg
	switch {
	case l.invalid:
		c.outline.StrokeColor = theme.Color(theme.ColorNameError)
	case l.selected:
		c.outline.StrokeColor = theme.Color(theme.ColorNamePrimary)
	default:
		c.outline.StrokeColor = color.Transparent
	}
	c.sub.Color = theme.Color(theme.ColorNamePlaceHolder)
	if l.subColor != nil {
		c.sub.Color = l.subColor
	}
	c.Refresh()
}

func (c *gridCell) CreateRenderer() fyne.WidgetRenderer {
	return &gridCellRenderer{c: c, objects: []fyne.CanvasObject{c.bg, c.text, c.sub, c.outline}}
}

type gridCellRenderer struct {
	c       *gridCell
	objects []fyne.CanvasObject
}

func (r *gridCellRenderer) Layout(size fyne.Size) {
	c := r.c
	c.bg.Resize(size)
	c.bg.Move(fyne.NewPos(0, 0))
	c.outline.Resize(size)
	pad := theme.InnerPadding() / 2
	inner := fyne.NewSize(size.Width-2*pad, size.Height)
	th := c.text.MinSize().Height
	if c.sub.Text == "" {
		c.text.Resize(fyne.NewSize(inner.Width, th))
		c.text.Move(fyne.NewPos(pad, (size.Height-th)/2))
		c.sub.Hide()
		return
	}
	c.sub.Show()
	sh := c.sub.MinSize().Height
	top := (size.Height - th - sh) / 2
	c.text.Resize(fyne.NewSize(inner.Width, th))
	c.text.Move(fyne.NewPos(pad, top))
	c.sub.Resize(fyne.NewSize(inner.Width, sh))
	c.sub.Move(fyne.NewPos(pad, top+th))
}

func (r *gridCellRenderer) MinSize() fyne.Size {
	return fyne.NewSize(80, r.c.text.MinSize().Height+r.c.sub.MinSize().Height+theme.InnerPadding()/2)
}

func (r *gridCellRenderer) Refresh() {
	r.Layout(r.c.Size())
	canvas.Refresh(r.c)
}

func (r *gridCellRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *gridCellRenderer) Destroy()                     {}
