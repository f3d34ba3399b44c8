package export

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/scaleplan/scaleplan/internal/plantest"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/prices"
)

func benchExport(b *testing.B, p planner.Plan) {
	r := planner.Compute(p)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := Write(&buf, p, &r, prices.Builtin()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len())/1e6, "MB")
}

// exportedCells reads back every cell of the export of p: its formula and
// stored value, sheet by sheet, row by row.
func exportedCells(b *testing.B, p planner.Plan) (map[string][][]excelize.Cell, int) {
	r := planner.Compute(p)
	var buf bytes.Buffer
	if err := Write(&buf, p, &r, prices.Builtin()); err != nil {
		b.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	sheets := map[string][][]excelize.Cell{}
	n := 0
	for _, sheet := range f.GetSheetList() {
		rows, _ := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		out := make([][]excelize.Cell, len(rows))
		for r, row := range rows {
			for c, v := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				fm, _ := f.GetCellFormula(sheet, ref)
				var val any = v
				if x, err := strconv.ParseFloat(v, 64); err == nil {
					val = x
				}
				out[r] = append(out[r], excelize.Cell{Formula: fm, Value: val})
				n++
			}
		}
		sheets[sheet] = out
	}
	return sheets, n
}

// writeBare writes cells through a bare StreamWriter: no styles, no layout,
// no model, just the file format.
func writeBare(buf *bytes.Buffer, sheets map[string][][]excelize.Cell) {
	f := excelize.NewFile()
	defer f.Close()
	for sheet, rows := range sheets {
		f.NewSheet(sheet)
		sw, _ := f.NewStreamWriter(sheet)
		for r, row := range rows {
			vals := make([]any, len(row))
			for c := range row {
				vals[c] = row[c]
			}
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			sw.SetRow(cell, vals)
		}
		sw.Flush()
	}
	f.WriteTo(buf)
}

// benchBaseline writes the very cells the export writes — the same formulas
// and stored values — through a bare StreamWriter: the cost of the file
// format itself, against which the export's own work is judged.
func benchBaseline(b *testing.B, p planner.Plan) {
	sheets, n := exportedCells(b, p)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		writeBare(&buf, sheets)
	}
	b.ReportMetric(float64(n), "cells")
	b.ReportMetric(float64(buf.Len())/1e6, "MB")
}

func BenchmarkExportSeed(b *testing.B)         { benchExport(b, plantest.Seed(b)) }
func BenchmarkBaselineSeed(b *testing.B)       { benchBaseline(b, plantest.Seed(b)) }
func BenchmarkExport1000Phases(b *testing.B)   { benchExport(b, plantest.ManyPhases(b, 1000, 10)) }
func BenchmarkBaseline1000Phases(b *testing.B) { benchBaseline(b, plantest.ManyPhases(b, 1000, 10)) }

func componentsPlan(b *testing.B) planner.Plan {
	p, err := planner.Load("../testdata/components-roadmap.json")
	if err != nil {
		b.Fatal(err)
	}
	return p
}

func BenchmarkExportComponents(b *testing.B)   { benchExport(b, componentsPlan(b)) }
func BenchmarkBaselineComponents(b *testing.B) { benchBaseline(b, componentsPlan(b)) }
