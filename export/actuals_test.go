package export

import (
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/actuals"
	"github.com/scaleplan/scaleplan/planner/prices"
)

// seedActuals is the seed plan held against its 120-day bill and usage.
func seedActuals(t *testing.T) (planner.Plan, planner.Result, *actuals.Report) {
	t.Helper()
	p, err := planner.LoadIn("../testdata/seed-roadmap.json", prices.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	r := planner.Compute(p)
	bills, err := actuals.ReadBills([]string{"../testdata/actuals/seed-bill-120-days.csv"})
	if err != nil {
		t.Fatal(err)
	}
	var u actuals.Usage
	if err := u.ReadUsage("../testdata/actuals/seed-usage-120-days.csv"); err != nil {
		t.Fatal(err)
	}
	rep, err := actuals.Against(&p, &r, bills, u, actuals.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return p, r, rep
}

// The Actuals sheet's variances are live: LibreOffice, recalculating the
// workbook from scratch, gets every formula cell the engine stored —
// planned from the Model and Timeline sheets' cells, actual by SUMIFS
// over the days — and the hand-worked totals (Phase 1's GPU $14,860.80
// against $12,177.60) are where they belong.
func TestTheActualsSheetIsLiveAndAgreesWithTheEngine(t *testing.T) {
	p, r, rep := seedActuals(t)
	path := filepath.Join(t.TempDir(), "actuals.xlsx")
	if err := WriteFileWithActuals(p, &r, prices.Builtin(), rep, path); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(sheetActuals, excelize.Options{RawCellValue: true})
	f.Close()
	found := false
	for i, row := range rows {
		if len(row) >= 5 && row[0] == "Phase 1" && row[1] == "GPU" {
			found = true
			if row[3] != "12177.6" || row[4] != "14860.8" {
				t.Errorf("row %d: Phase 1 GPU planned %s, actual %s", i+1, row[3], row[4])
			}
		}
	}
	if !found {
		t.Fatal("no Phase 1 GPU row")
	}
	sheets := recalc(t, path)
	cells := formulaCells(t, path)
	n, bad := 0, 0
	for _, s := range cells {
		if s.sheet != sheetActuals {
			continue
		}
		n++
		if got := cellAt(sheets, s.sheet, s.ref); !agree(s, got) {
			bad++
			if bad <= 10 {
				t.Errorf("%s!%s = %s\n    recalculated %q, engine %q", s.sheet, s.ref, s.formula, got, s.value)
			}
		}
	}
	if n < 500 || bad > 0 {
		t.Errorf("%d of %d Actuals formula cells disagree", bad, n)
	}
}
