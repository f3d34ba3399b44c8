package export

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/scaleplan/scaleplan/planner"
)

// A cell holds at most 32,767 characters, and XML 1.0 — the format's — has
// no place for most control characters (excelize would write U+FFFD for
// them). Rather than let text change silently, the workbook gets a copy of
// the plan whose text fits, and Notes says what had to change and where.

const maxCellText = 32_767

// fitText is s as a cell can hold it: control characters other than tab,
// line feed and carriage return written out as \xNN, and at most
// maxCellText characters (ending in "…" when cut). It reports what it did.
func fitText(s string) (out string, escaped, cut bool) {
	var b strings.Builder
	for _, r := range s {
		if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f || r == 0xFFFE || r == 0xFFFF {
			fmt.Fprintf(&b, `\x%02x`, r)
			escaped = true
			continue
		}
		b.WriteRune(r)
	}
	out = b.String()
	if utf8.RuneCountInString(out) > maxCellText {
		out = string([]rune(out)[:maxCellText-1]) + "…"
		cut = true
	}
	return out, escaped, cut
}

// Fit returns a copy of p whose text every cell can hold, and what changed,
// one line per field: "phases[2].name: control characters written as \x1b".
func Fit(p planner.Plan) (planner.Plan, []string) {
	q := p.Clone()
	var notes []string
	fix := func(path string, s *string) {
		out, escaped, cut := fitText(*s)
		if escaped {
			notes = append(notes, path+": control characters are written out as \\xNN, since a workbook cannot hold them")
		}
		if cut {
			notes = append(notes, fmt.Sprintf("%s: shortened to %s characters, the most a workbook cell holds", path, "32,767"))
		}
		*s = out
	}
	fix("name", &q.Name)
	fix("notes", &q.Notes)
	fix("assumptions.node_type", &q.Assumptions.NodeType)
	for i := range q.Phases {
		ph := &q.Phases[i]
		fix(fmt.Sprintf("phases[%d].name", i), &ph.Name)
		fix(fmt.Sprintf("phases[%d].notes", i), &ph.Notes)
		if ph.Variant != "" {
			ph.Variant, _, _ = fitText(ph.Variant) // as its variant's name is fitted below
		}
		if ph.Overrides.Has("node_type") {
			t := q.Effective(i).NodeType
			fix(fmt.Sprintf("phases[%d].overrides.node_type", i), &t)
			if r, err := planner.SetInput(q, i, "node_type", t); err == nil {
				q = r
			}
		}
	}
	for i := range q.Variants {
		fix(fmt.Sprintf("variants[%d].name", i), &q.Variants[i].Name)
	}
	return q, notes
}
