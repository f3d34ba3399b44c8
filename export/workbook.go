package export

import (
	"bytes"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/actuals"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
	"github.com/scaleplan/scaleplan/planner/prices"
	"github.com/scaleplan/scaleplan/planner/risk"
)

// Sheet names.
const (
	sheetSummary  = "Summary"
	sheetRoadmap  = "Roadmap"
	sheetModel    = "Model"
	sheetInputs   = "Inputs"
	sheetHourly   = "Hourly"
	sheetTimeline = "Timeline"
)

// none is what a cell shows where the engine says a quantity does not exist.
const none = format.None

// WriteFile writes the workbook for p (computed as r) to path atomically:
// a failed export leaves any earlier file untouched.
func WriteFile(p planner.Plan, r *planner.Result, cat prices.Catalog, path string) error {
	var buf bytes.Buffer
	if err := Write(&buf, p, r, cat); err != nil {
		return err
	}
	return jsonfile.WriteFileAtomic(path, buf.Bytes())
}

// Bytes is the workbook for p, computed as r: what WriteFile writes, for a
// caller that decides afterwards whether to write it (the app's Cancel).
func Bytes(p planner.Plan, r *planner.Result, cat prices.Catalog) ([]byte, error) {
	var buf bytes.Buffer
	if err := Write(&buf, p, r, cat); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Write writes the workbook for p, computed as r, to buf; cat is the
// price books its citations were read with (the Commitments sheet starts
// from the cited offer's committed-use option). Text a cell cannot hold is
// fitted first (see Fit, which says what changes).
func Write(buf *bytes.Buffer, p planner.Plan, r *planner.Result, cat prices.Catalog) error {
	return write(buf, p, r, cat, nil)
}

// write is Write with, when rep is not nil, the Actuals sheet.
func write(buf *bytes.Buffer, p planner.Plan, r *planner.Result, cat prices.Catalog, rep *actuals.Report) error {
	if q, notes := Fit(p); len(notes) > 0 {
		p = q
		fitted := planner.Compute(q) // the same figures, with the fitted names
		r = &fitted
	}
	b := &builder{p: &p, r: r, cat: cat, f: excelize.NewFile(), act: rep}
	defer b.f.Close()
	b.st = newStyles(b.f)
	if err := b.build(); err != nil {
		return err
	}
	if b.st.err != nil {
		return b.st.err
	}
	_, err := b.f.WriteTo(buf)
	return err
}

// builder holds what the sheets need to refer to each other.
type builder struct {
	p   *planner.Plan
	r   *planner.Result
	cat prices.Catalog // the price books the plan was read with
	f   *excelize.File
	st  *styles

	inRow     map[string]int // Inputs: row of each input, by plan-file key
	profRow   int            // Inputs: row of hour 0 of the hourly profile
	modelRow  map[string]int // Model: row of each line, by key
	hourFirst int            // Hourly: first data row
	dayFirst  int            // Timeline: first data row
	dayLast   int
	whatIf    *whatIfs
	scenarios []*builder // each scenario's live model (its own Inputs, Model, Hourly and Timeline)
	// The Risk sheet's draws (risk.go), run while other sheets are written;
	// riskDone is nil for a plan without ranges.
	riskDone chan struct{}
	risk     *risk.Result
	riskErr  error
	// tag is appended to the sheets and names of a scenario's live model
	// ("_S1"); "" for the plan's own.
	tag string
	act *actuals.Report // the plan against its bill: the Actuals sheet; nil for none
}

func (b *builder) build() error {
	b.f.SetSheetName("Sheet1", sheetSummary)
	sheets := []string{sheetRoadmap, sheetModel, sheetInputs, sheetHourly}
	extra := []string{sheetCurve, sheetSensitivity, sheetTimeline}
	if len(b.p.Scenarios) > 0 {
		extra = append(extra, sheetScenarios)
	}
	extra = append(extra, sheetCommit)
	if len(b.p.Ranges) > 0 {
		extra = append(extra, sheetRisk)
	}
	if b.act != nil {
		extra = append(extra, sheetActuals)
	}
	b.scenarios = b.scenarioModels()
	for _, s := range b.scenarios {
		if s == nil {
			continue
		}
		for _, name := range []string{sheetInputs, sheetModel, sheetHourly, sheetTimeline} {
			extra = append(extra, s.sheet(name))
		}
	}
	for _, name := range append(sheets, extra...) {
		if _, err := b.f.NewSheet(name); err != nil {
			return err
		}
	}
	// Rows are laid out first so every sheet can refer to every other.
	b.layout()
	for _, s := range b.scenarios {
		if s != nil {
			s.layout()
		}
	}
	b.startWhatIfs()
	defer func() { <-b.whatIf.done }() // never leave the goroutine behind on an error
	b.startRisk()
	defer func() {
		if b.riskDone != nil {
			<-b.riskDone
		}
	}()
	steps := []func() error{b.inputs, b.model, b.hourly, b.curveSheet, b.sensitivitySheet, b.timeline}
	for _, s := range b.scenarios {
		if s != nil {
			steps = append(steps, s.inputs, s.model, s.hourly, s.timeline)
		}
	}
	steps = append(steps, b.commitmentsSheet, b.riskSheet, b.scenariosSheet, b.actualsSheet, b.roadmap, b.summary, b.workbookProps)
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func (b *builder) workbookProps() error {
	yes := true
	if err := b.f.SetCalcProps(&excelize.CalcPropsOptions{FullCalcOnLoad: &yes}); err != nil {
		return err
	}
	return b.f.SetDocProps(&excelize.DocProperties{
		Title:       b.p.Name,
		Subject:     "Inference capacity and cost model",
		Creator:     "scaleplan",
		Description: "Exported by scaleplan. Blue cells on the Inputs sheet are inputs; everything else is a live formula.",
		Keywords:    "capacity plan, GPU, cost model",
	})
}

// phaseCol is the column letter of phase i on the Inputs and Model sheets.
func phaseCol(i int) string {
	name, _ := excelize.ColumnNumberToName(4 + i)
	return name
}

func colName(n int) string {
	name, _ := excelize.ColumnNumberToName(n)
	return name
}

// num converts an exact decimal to the float a spreadsheet stores. Excel
// keeps 15 significant digits, so rounding there first loses nothing a
// reader can see, and lets the conversion take decimal's fast exact path
// instead of a big.Rat for each of the model's 20-place quotients.
func num(d decimal.Decimal) float64 {
	if d.IsZero() {
		return 0
	}
	magnitude := int32(d.NumDigits()) + d.Exponent() // digits before the point
	if places := 15 - magnitude; places < -d.Exponent() {
		d = d.Round(places)
	}
	return d.InexactFloat64()
}

// opt is a number, or the dash for none.
func opt(o planner.Opt[decimal.Decimal]) any {
	if !o.Valid {
		return none
	}
	return num(o.Val)
}

var excelEpoch = planner.NewDate(1899, time.December, 30)

// serial is a date as a spreadsheet day number.
func serial(d planner.Date) float64 { return float64(d.DaysSince(excelEpoch)) }

// sheetWriter streams one sheet's rows in order.
type sheetWriter struct {
	sw    *excelize.StreamWriter
	row   int
	err   error
	plain excelize.RowOpts
}

// printable opens a sheet that prints one page wide, with a coloured tab.
func (b *builder) printable(sheet, tab string) (*sheetWriter, error) {
	yes := true
	// Sheet properties are written when the stream starts: set them first.
	if err := b.f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &yes, TabColorRGB: &tab}); err != nil {
		return nil, err
	}
	return b.stream(sheet)
}

// grid opens the Inputs or Model sheet: label, unit and default/total
// columns, then n phase columns, frozen below the header and right of the
// third column.
func (b *builder) grid(sheet, tab string, label, unit float64) (*sheetWriter, error) {
	w, err := b.printable(sheet, tab)
	if err != nil {
		return nil, err
	}
	if err := b.widths(w.sw, label, unit, 16, len(b.p.Phases)); err != nil {
		return nil, err
	}
	return w, w.sw.SetPanes(frozen("D4", 3, 3))
}

// table opens a sheet of rows under a three-row heading: column widths set,
// the heading frozen; printable ones print one page wide.
func (b *builder) table(sheet, tab string, printable bool, widths ...float64) (*sheetWriter, error) {
	open := b.stream
	if printable {
		open = func(s string) (*sheetWriter, error) { return b.printable(s, tab) }
	}
	w, err := open(sheet)
	if err != nil {
		return nil, err
	}
	for c, width := range widths {
		if err := w.sw.SetColWidth(c+1, c+1, width); err != nil {
			return nil, err
		}
	}
	return w, w.sw.SetPanes(frozen("A4", 0, 3))
}

func (b *builder) stream(sheet string) (*sheetWriter, error) {
	sw, err := b.f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	// A plain row style lets excelize skip its per-cell search of column
	// styles, which is quadratic in the number of phase columns.
	return &sheetWriter{sw: sw, plain: excelize.RowOpts{StyleID: b.st.plain}}, nil
}

// put writes the next row, starting at column A.
func (w *sheetWriter) put(cells ...any) {
	w.row++
	if w.err == nil && len(cells) > 0 {
		w.err = w.sw.SetRow(fmt.Sprintf("A%d", w.row), cells, w.plain)
	}
}

// putTall writes the next row at a height in points, for wrapped text.
func (w *sheetWriter) putTall(height float64, cells ...any) {
	w.row++
	if w.err == nil {
		opts := w.plain
		opts.Height = height
		w.err = w.sw.SetRow(fmt.Sprintf("A%d", w.row), cells, opts)
	}
}

// skip leaves n empty rows.
func (w *sheetWriter) skip(n int) { w.row += n }

func (w *sheetWriter) flush() error {
	if w.err != nil {
		return w.err
	}
	return w.sw.Flush()
}

// cell is a styled value.
func cell(style int, v any) excelize.Cell { return excelize.Cell{StyleID: style, Value: v} }

// formula is a styled live cell that also stores the engine's value.
func formula(style int, f string, v any) excelize.Cell {
	return excelize.Cell{StyleID: style, Formula: f, Value: v}
}

// sheet is the name of one of the model's sheets in this builder's set: the
// plan's own, or a scenario's (its tag appended).
func (b *builder) sheet(s string) string { return s + b.tag }

// name is a workbook-wide defined name in this builder's set.
func (b *builder) name(s string) string { return s + b.tag }
