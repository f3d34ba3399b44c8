package report

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"golang.org/x/net/html"
)

// tables parses rendered HTML and returns each table's rows of cells.
func tables(t *testing.T, page []byte) [][][]string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var out [][][]string
	var text func(n *html.Node) string
	text = func(n *html.Node) string {
		if n.Type == html.TextNode {
			return n.Data
		}
		var b strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			b.WriteString(text(c))
		}
		return b.String()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "table" {
			var rows [][]string
			var row func(n *html.Node)
			row = func(n *html.Node) {
				if n.Type == html.ElementNode && n.Data == "tr" {
					var cells []string
					for c := n.FirstChild; c != nil; c = c.NextSibling {
						if c.Type == html.ElementNode && (c.Data == "td" || c.Data == "th") {
							cells = append(cells, strings.TrimSpace(text(c)))
						}
					}
					rows = append(rows, cells)
					return
				}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					row(c)
				}
			}
			row(n)
			out = append(out, rows)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// The pull-request comment, rendered as GitHub renders Markdown (goldmark
// with the GFM table extension): the changed inputs and the lines come out
// as two tables with their columns, every row as wide as its header, and a
// value with a pipe in it stays in its cell.
func TestDiffMarkdownRendersAsTables(t *testing.T) {
	md, err := os.ReadFile("../testdata/diff/seed-5.50.md")
	if err != nil {
		t.Fatal(err)
	}
	var page bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM)).Convert(md, &page); err != nil {
		t.Fatal(err)
	}
	ts := tables(t, page.Bytes())
	if len(ts) != 2 {
		t.Fatalf("%d tables, want 2 (inputs, lines):\n%s", len(ts), page.String())
	}
	want := [][]string{{"Changed input", "From", "To"}, {"Line", "A", "B", "Δ", "Δ %"}}
	for i, tab := range ts {
		if strings.Join(tab[0], "|") != strings.Join(want[i], "|") {
			t.Errorf("table %d header %q, want %q", i+1, tab[0], want[i])
		}
		for r, row := range tab {
			if len(row) != len(want[i]) {
				t.Errorf("table %d row %d has %d cells: %q", i+1, r+1, len(row), row)
			}
		}
	}
	found := false
	for _, row := range ts[1] {
		if strings.Join(row, "|") == "GPU|$131,889.60|$105,435.00|-$26,454.60|-20.06 %" {
			found = true
		}
	}
	if !found {
		t.Error("the GPU row did not render as five cells")
	}
	if !strings.Contains(page.String(), "<strong>Total cost</strong>") {
		t.Error("the headline's bold did not render")
	}
}
