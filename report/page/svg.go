package page

import (
	"fmt"
	"html"
	"html/template"
	"strings"
)

// svg builds an inline SVG chart: role img, named by its title (the words
// a screen reader says and a reader sees on hover), coloured by the page's
// stylesheet so it follows light and dark.
type svg struct {
	b strings.Builder
}

func (s *svg) open(w, h float64, id, title string) {
	fmt.Fprintf(&s.b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %.0f %.0f" width="%.0f" role="img" aria-labelledby="%s">`, w, h, w, id)
	fmt.Fprintf(&s.b, `<title id="%s">%s</title>`, id, html.EscapeString(title))
}

func (s *svg) line(x1, y1, x2, y2 float64, class string) {
	fmt.Fprintf(&s.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" class="%s"/>`, x1, y1, x2, y2, class)
}

func (s *svg) rect(x, y, w, h float64, fill string) {
	fmt.Fprintf(&s.b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`, x, y, w, h, html.EscapeString(fill))
}

func (s *svg) text(x, y float64, anchor, class, t string) {
	fmt.Fprintf(&s.b, `<text x="%.1f" y="%.1f" text-anchor="%s" class="%s">%s</text>`, x, y, anchor, class, html.EscapeString(t))
}

func (s *svg) polyline(pts []string, class string) {
	fmt.Fprintf(&s.b, `<polyline points="%s" class="%s"/>`, strings.Join(pts, " "), class)
}

func (s *svg) polygon(pts []string, class string) {
	fmt.Fprintf(&s.b, `<polygon points="%s" class="%s"/>`, strings.Join(pts, " "), class)
}

// close ends the chart; its text is escaped as it was written.
func (s *svg) close() template.HTML {
	s.b.WriteString("</svg>")
	return template.HTML(s.b.String()) //nolint:gosec // every text in it went through html.EscapeString
}
