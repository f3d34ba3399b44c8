package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Blocks and the clipboard, as in a spreadsheet: Shift with the arrows
// stretches the selection into a block from where it started; Ctrl+C copies
// the cell or block as tab-separated text (inputs exactly as typed,
// computed cells as shown); Ctrl+V pastes a value or a block into input
// cells through the planner's validation as one undoable step, refused
// whole, naming the cell, if any value would be.

// KeyDown notes Shift, which arrows then use to stretch the block.
func (g *Grid) KeyDown(ev *fyne.KeyEvent) {
	if ev.Name == desktop.KeyShiftLeft || ev.Name == desktop.KeyShiftRight {
		g.shift = true
	}
}

// KeyUp notes Shift let go.
func (g *Grid) KeyUp(ev *fyne.KeyEvent) {
	if ev.Name == desktop.KeyShiftLeft || ev.Name == desktop.KeyShiftRight {
		g.shift = false
	}
}

// block is the selected rectangle: rows r0..r1, columns c0..c1.
func (g *Grid) block() (r0, c0, r1, c1 int) {
	a, b := g.anchor, g.sel
	return min(a.Row, b.Row), min(a.Col, b.Col), max(a.Row, b.Row), max(a.Col, b.Col)
}

// inBlock reports whether id is in the selected block.
func (g *Grid) inBlock(id widget.TableCellID) bool {
	r0, c0, r1, c1 := g.block()
	return id.Row >= r0 && id.Row <= r1 && id.Col >= c0 && id.Col <= c1
}

// blockRows is the line rows of the block, group headings left out.
func (g *Grid) blockRows() []int {
	r0, _, r1, _ := g.block()
	var out []int
	for r := r0; r <= r1; r++ {
		if g.line(r) != nil {
			out = append(out, r)
		}
	}
	return out
}

// cellText is a cell's text for the clipboard.
func (g *Grid) cellText(id widget.TableCellID) string {
	if g.Editable(id) {
		return g.EditText(id)
	}
	return g.look(id).text
}

// TypedShortcut takes copy and paste; the rest go to the window (redo).
func (g *Grid) TypedShortcut(s fyne.Shortcut) {
	switch sc := s.(type) {
	case *fyne.ShortcutCopy:
		g.copyBlock(clipboardOf(sc.Clipboard))
	case *fyne.ShortcutPaste:
		if err := g.paste(clipboardOf(sc.Clipboard).Content()); err != nil && g.onError != nil {
			g.onError(err.Error())
		}
	default:
		if g.otherShortcut != nil {
			g.otherShortcut(s)
		}
	}
}

func clipboardOf(c fyne.Clipboard) fyne.Clipboard {
	if c != nil {
		return c
	}
	return fyne.CurrentApp().Clipboard()
}

// copyBlock puts the block on the clipboard as tab-separated text.
func (g *Grid) copyBlock(c fyne.Clipboard) {
	_, c0, _, c1 := g.block()
	var lines []string
	for _, r := range g.blockRows() {
		var cells []string
		for col := c0; col <= c1; col++ {
			cells = append(cells, g.cellText(widget.TableCellID{Row: r, Col: col}))
		}
		lines = append(lines, strings.Join(cells, "\t"))
	}
	c.SetContent(strings.Join(lines, "\n"))
}

// paste applies tab-separated text from the block's top-left cell, or one
// value to every cell of the block, as one step; nothing changes if any
// cell would refuse its value.
func (g *Grid) paste(text string) error {
	text = strings.TrimRight(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	if text == "" {
		return nil
	}
	var values [][]string
	for _, line := range strings.Split(text, "\n") {
		values = append(values, strings.Split(line, "\t"))
	}
	_, c0, _, c1 := g.block()
	rows := g.blockRows()
	if len(values) == 1 && len(values[0]) == 1 && (len(rows) > 1 || c1 > c0) {
		// One value into a block: every cell of it.
		v := values[0][0]
		values = make([][]string, len(rows))
		for i := range values {
			values[i] = make([]string, c1-c0+1)
			for j := range values[i] {
				values[i][j] = v
			}
		}
	} else {
		// A block from the top-left cell, over the line rows below it.
		rows = rows[:1]
		for r := rows[0] + 1; len(rows) < len(values); r++ {
			if r > len(g.rows) {
				return fmt.Errorf("nothing was pasted: the block is %d rows and only %d fit below", len(values), len(rows))
			}
			if g.line(r) != nil {
				rows = append(rows, r)
			}
		}
	}
	p := g.doc.Latest()
	for i, vs := range values {
		for j, v := range vs {
			id := widget.TableCellID{Row: rows[i], Col: c0 + j}
			if !g.Editable(id) {
				return fmt.Errorf("nothing was pasted: %s is computed; paste only into input cells (blue)", g.cellName(id))
			}
			q, err := g.set(p, id, v)
			if err != nil {
				return fmt.Errorf("nothing was pasted: %s: %w", g.cellName(id), err)
			}
			p = q
		}
	}
	g.doc.Apply(p)
	return nil
}

// cellName is "Phase 1 · Calls per day".
func (g *Grid) cellName(id widget.TableCellID) string {
	name := "Total"
	if id.Col >= 1 && id.Col-1 < len(g.doc.Result.Phases) {
		name = g.doc.Result.Phases[id.Col-1].Name
	}
	if l := g.line(id.Row); l != nil {
		return name + " · " + l.Label
	}
	return name
}
