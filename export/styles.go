package export

import (
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/report"
)

// role is what a cell is for, which decides its colours: inputs follow the
// financial-model convention of blue type on a pale fill, overrides of a
// plan default stand out in orange, computed cells are black.
type role int

const (
	computed role = iota
	input
	override
	total
	asOfExport // the engine's value at export, not a formula: grey italic
)

// numFmt returns the Excel number format for a report.Format in the plan's
// currency. Custom formats, not the built-in currency ones, which follow the
// reader's locale.
func numFmt(f report.Format, currency string) string {
	sym := `"` + strings.ReplaceAll(format.CurrencySymbol(currency), `"`, ``) + `"`
	money := func(dec string) string { return sym + "#,##0" + dec + ";[Red]-" + sym + "#,##0" + dec }
	switch f {
	case report.FormatCount:
		return "#,##0"
	case report.FormatDecimal:
		return "#,##0.######"
	case report.FormatRate:
		return "#,##0.000"
	case report.FormatShare:
		return "0.0%"
	case report.FormatShare2:
		return "0.00%"
	case report.FormatMoney:
		return money(".00")
	case report.FormatUnitPrice:
		return money(".00####")
	case report.FormatPerCall:
		return money(".000000")
	case report.FormatGB:
		return "#,##0.0"
	case report.FormatFactor:
		return `0.00"×"`
	case report.FormatMillis:
		return "#,##0.0"
	case report.FormatGiB:
		return "#,##0.00"
	}
	return "@"
}

const (
	dateFmt   = "yyyy-mm-dd"
	blue      = "1F4E9A"
	inputFill = "FFF8DC"
	overFill  = "FCD5B4"
	headFill  = "DCE6F1"
	groupFill = "F2F2F2"
)

type styleKey struct {
	fmt  string
	role role
	bold bool
}

// styles creates each distinct cell style once.
type styles struct {
	f     *excelize.File
	cache map[styleKey]int
	err   error

	title, subtitle, header, headerRight, group, label, unit, note, wrap, name int
	noteWrap                                                                   int // a note wrapped in its column, level with its row's figures
	plain                                                                      int // non-zero, looks like the default
	pass, fail, gantt, ganttCell                                               int
}

func newStyles(f *excelize.File) *styles {
	s := &styles{f: f, cache: map[styleKey]int{}}
	s.title = s.make(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16, Color: "1F3864"}})
	s.subtitle = s.make(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "595959"}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	border := []excelize.Border{{Type: "bottom", Color: "8EA9DB", Style: 1}}
	s.header = s.make(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: solid(headFill), Border: border,
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	s.headerRight = s.make(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: solid(headFill), Border: border,
		Alignment: &excelize.Alignment{Horizontal: "right", Vertical: "center", WrapText: true}})
	s.group = s.make(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "1F3864"}, Fill: solid(groupFill)})
	s.label = s.make(&excelize.Style{})
	s.plain = s.make(&excelize.Style{Alignment: &excelize.Alignment{Vertical: "bottom"}})
	s.name = s.make(&excelize.Style{NumFmt: 49, Alignment: &excelize.Alignment{Horizontal: "left"}})
	s.unit = s.make(&excelize.Style{Font: &excelize.Font{Color: "7F7F7F"}})
	s.note = s.make(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "595959"}})
	s.wrap = s.make(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	s.noteWrap = s.make(&excelize.Style{Font: &excelize.Font{Italic: true, Color: "595959"}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "bottom"}})
	s.ganttCell = s.make(&excelize.Style{Border: []excelize.Border{{Type: "left", Color: "E7E6E6", Style: 1}}})
	// Conditional formats take differential styles.
	s.pass = s.cond(&excelize.Style{Font: &excelize.Font{Color: "006100", Bold: true}, Fill: solid("C6EFCE")})
	s.fail = s.cond(&excelize.Style{Font: &excelize.Font{Color: "9C0006", Bold: true}, Fill: solid("FFC7CE")})
	s.gantt = s.cond(&excelize.Style{Fill: solid("4472C4")})
	return s
}

func solid(color string) excelize.Fill {
	return excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{color}}
}

func (s *styles) make(st *excelize.Style) int {
	id, err := s.f.NewStyle(st)
	if err != nil && s.err == nil {
		s.err = err
	}
	return id
}

func (s *styles) cond(st *excelize.Style) int {
	id, err := s.f.NewConditionalStyle(st)
	if err != nil && s.err == nil {
		s.err = err
	}
	return id
}

// cell returns the style for a number format in a role.
func (s *styles) cell(numFmt string, r role) int {
	return s.cellBold(numFmt, r, false)
}

func (s *styles) cellBold(numFmt string, r role, bold bool) int {
	k := styleKey{numFmt, r, bold}
	if id, ok := s.cache[k]; ok {
		return id
	}
	nf := numFmt
	st := &excelize.Style{CustomNumFmt: &nf, Font: &excelize.Font{Bold: bold}}
	switch r {
	case input:
		st.Font.Color, st.Fill = blue, solid(inputFill)
	case override:
		st.Font.Color, st.Fill, st.Font.Bold = blue, solid(overFill), true
	case asOfExport:
		st.Font.Italic, st.Font.Color = true, "595959"
	case total:
		st.Font.Bold = true
		st.Border = []excelize.Border{{Type: "left", Color: "BFBFBF", Style: 1}}
	}
	switch {
	case numFmt == "@": // text in a column of numbers: align with them, and shrink rather than spill
		st.Alignment = &excelize.Alignment{Horizontal: "right", ShrinkToFit: true}
	default:
		// A figure that does not exist is "—", text: on the right, with the numbers.
		st.Alignment = &excelize.Alignment{Horizontal: "right"}
	}
	id := s.make(st)
	s.cache[k] = id
	return id
}
