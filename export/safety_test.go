package export

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/scaleplan/scaleplan/internal/plantest"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/prices"
)

var hostile = []string{`=HYPERLINK("http://x","y")`, `+1+1`, `@SUM(A1)`, `-2+3`}

func hostilePlan(t *testing.T) planner.Plan {
	p := examplePlans(t)["seed-roadmap"].Clone()
	p.Scenarios = nil // they name the seed's phases, replaced below
	p.Name = `=1+1`
	p.Notes = `=WEBSERVICE("http://x")`
	p.Assumptions.NodeType = `=cmd|' /C calc'!A0`
	base := p.Phases[0]
	p.Phases = nil
	for _, name := range hostile {
		ph := base
		ph.Name = name
		p.Phases = append(p.Phases, ph)
	}
	if err := planner.Validate(p); err != nil {
		t.Fatal(err)
	}
	return p
}

// Text from a plan is written as text cells: never as a formula, and shown
// as the characters typed.
func TestPlanTextIsNeverAFormula(t *testing.T) {
	p := hostilePlan(t)
	path := exportPlan(t, p, t.TempDir(), "hostile")
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i, name := range hostile {
		ref := fmt.Sprintf("%s%d", phaseCol(i), inHeader)
		if fm, _ := f.GetCellFormula(sheetInputs, ref); fm != "" {
			t.Errorf("Inputs!%s holds the formula %q", ref, fm)
		}
		if v, _ := f.GetCellValue(sheetInputs, ref); v != name {
			t.Errorf("Inputs!%s = %q, want %q", ref, v, name)
		}
	}
	for sheet, ref := range map[string]string{sheetSummary: "A1", sheetModel: "A1"} {
		if fm, _ := f.GetCellFormula(sheet, ref); fm != "" {
			t.Errorf("%s!%s (the plan name) holds the formula %q", sheet, ref, fm)
		}
	}
	// After a real recalculation the names read as typed wherever they appear.
	sheets := recalc(t, path)
	for i, name := range hostile {
		if got := cellAt(sheets, sheetInputs, fmt.Sprintf("%s%d", phaseCol(i), inHeader)); got != name {
			t.Errorf("Inputs shows %q, want %q", got, name)
		}
		if got := cellAt(sheets, sheetModel, fmt.Sprintf("%s%d", phaseCol(i), modelHeader)); got != name {
			t.Errorf("Model header shows %q, want %q", got, name)
		}
		if got := cellAt(sheets, sheetRoadmap, fmt.Sprintf("A%d", 4+i)); got != name {
			t.Errorf("Roadmap shows %q, want %q", got, name)
		}
	}
	if got := cellAt(sheets, sheetSummary, "A1"); got != p.Name {
		t.Errorf("Summary title shows %q, want %q", got, p.Name)
	}
}

// chartXML returns the drawing parts of the workbook's charts.
func chartXML(t *testing.T, path string) []string {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var charts []string
	for _, f := range zr.File {
		if strings.HasPrefix(f.Name, "xl/charts/chart") {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			charts = append(charts, string(b))
		}
	}
	return charts
}

func TestChartsPointAtTheModel(t *testing.T) {
	p := examplePlans(t)["seed-roadmap"]
	path := exportPlan(t, p, t.TempDir(), "seed")
	charts := chartXML(t, path)
	if len(charts) != 3 {
		t.Fatalf("%d charts, want 3 (costs, cumulative, load-duration)", len(charts))
	}
	r := planner.Compute(p) // the rows the workbook has depend on what the model shows (the KV cache a token, …)
	b := &builder{r: &r, p: &p}
	b.layout()
	var costs, cumulative, duration string
	for _, c := range charts {
		switch {
		case strings.Contains(c, "<barChart>") && strings.Contains(c, `<grouping val="stacked">`):
			costs = c
		case strings.Contains(c, "<barChart>"):
			duration = c
		case strings.Contains(c, "<scatterChart>"):
			cumulative = c
		}
	}
	// The load-duration curve: the shares of k = 1 … 8, the seed's peak.
	if !strings.Contains(duration, "<f>Commitments!$C$15:$C$22</f>") || !strings.Contains(duration, "<f>Commitments!$A$15:$A$22</f>") {
		t.Errorf("the load-duration chart does not point at the curve:\n%.600s", duration)
	}
	// Stacked columns: six cost lines over the three phase columns D:F.
	if !strings.Contains(costs, `<grouping val="stacked">`) {
		t.Errorf("the cost chart is not stacked")
	}
	for _, key := range []string{"gpu_cost", "storage_cost", "iops_cost", "network_cost", "batch_cost", "fixed_cost"} {
		row := b.modelRow[key]
		want := fmt.Sprintf("<f>Model!$D$%d:$F$%d</f>", row, row)
		if !strings.Contains(costs, want) {
			t.Errorf("cost chart lacks the %s series %s", key, want)
		}
	}
	if !strings.Contains(costs, "<f>Model!$D$3:$F$3</f>") {
		t.Errorf("cost chart categories are not the phase names")
	}
	// Cumulative cost and revenue (columns K and L): 270 days from row 4 of the Timeline.
	for _, col := range []string{"K", "L"} {
		want := fmt.Sprintf("<f>Timeline!$%s$4:$%s$273</f>", col, col)
		if !strings.Contains(cumulative, want) {
			t.Errorf("cumulative chart lacks %s", want)
		}
	}
}

func TestExportLeavesNoPartialFile(t *testing.T) {
	dir := t.TempDir()
	p := examplePlans(t)["seed-roadmap"]
	r := planner.Compute(p)
	// Writing into a directory that does not exist fails and creates nothing.
	if err := WriteFile(p, &r, prices.Builtin(), filepath.Join(dir, "missing", "x.xlsx")); err == nil {
		t.Errorf("export into a missing folder succeeded")
	}
	var buf bytes.Buffer
	if err := Write(&buf, p, &r, prices.Builtin()); err != nil || buf.Len() == 0 {
		t.Fatalf("in-memory export: %v (%d bytes)", err, buf.Len())
	}
	if _, err := excelize.OpenReader(&buf); err != nil {
		t.Errorf("the workbook does not reopen: %v", err)
	}
}

// The what-if sheets carry the engine's curve and tornado.
func TestCurveAndSensitivitySheets(t *testing.T) {
	p := examplePlans(t)["seed-roadmap"]
	path := exportPlan(t, p, t.TempDir(), "seed")
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows(sheetCurve, excelize.Options{RawCellValue: true})
	found := false
	for _, r := range rows {
		// Phase 2 at its planned 5M calls a day: 125,321.710685 / 90 = 1,392.4635 a day on 8 nodes.
		if len(r) >= 7 && r[0] == "Phase 2" && r[6] == "planned volume" {
			found = true
			if r[1] != "5000000" || r[2] != "8" || !strings.HasPrefix(r[3], "1392.46") {
				t.Errorf("planned row %v", r)
			}
		}
	}
	if !found || len(rows) != 3+3*analysisPoints {
		t.Errorf("curve sheet: %d rows, planned row found %v", len(rows), found)
	}
	rows, _ = f.GetRows(sheetSensitivity, excelize.Options{RawCellValue: true})
	priced := false
	for _, r := range rows {
		// Phase 2's node price: ±20 % of $65,635.20 of GPU over 450M calls = ±0.0000291712 a call.
		if len(r) >= 8 && r[0] == "Phase 2" && r[2] == "Node price" {
			priced = true
			if r[7] != "0.0000291712" {
				t.Errorf("Phase 2's node price row %v", r)
			}
		}
	}
	if !priced {
		t.Errorf("no node price row for Phase 2")
	}
}

// Text a cell cannot hold is fitted, and said (issue #10, item 8): notes past
// 32,767 characters are shortened, control characters written out.
func TestTextTheWorkbookCannotHoldIsFittedAndSaid(t *testing.T) {
	p := plantest.Seed(t)
	p.Notes = strings.Repeat("n", 40_000)
	p.Phases[0].Name = "Base\x1bline"
	q, notes := Fit(p)
	if len(notes) != 2 || !strings.Contains(notes[0], "notes: shortened to 32,767 characters") ||
		!strings.Contains(notes[1], `phases[0].name: control characters are written out as \xNN`) {
		t.Errorf("notes %q", notes)
	}
	if len([]rune(q.Notes)) != 32_767 || q.Phases[0].Name != `Base\x1bline` {
		t.Errorf("fitted: %d characters, name %q", len([]rune(q.Notes)), q.Phases[0].Name)
	}
	r := planner.Compute(p)
	path := filepath.Join(t.TempDir(), "fit.xlsx")
	if err := WriteFile(p, &r, prices.Builtin(), path); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue(sheetInputs, "D3"); !strings.Contains(v, `\x1b`) {
		t.Errorf("the phase name in the workbook is %q", v)
	}
	if _, notes := Fit(plantest.Seed(t)); len(notes) != 0 {
		t.Errorf("the seed needs no fitting: %q", notes)
	}
}
