package export

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/prices"
)

// A plan too long for a bounded risk run still exports: its Risk sheet says
// why it was not drawn, instead of the whole workbook failing.
func TestALongPlanExportsWithARiskSheetThatSaysWhy(t *testing.T) {
	p, err := planner.Load("../testdata/seed-roadmap.json")
	if err != nil {
		t.Fatal(err)
	}
	base := p.Phases
	p.Phases = nil
	p.Scenarios = nil
	for i := 0; i < 1500; i++ {
		ph := base[i%len(base)]
		ph.Name, ph.Days = fmt.Sprintf("Phase %d", i+1), 10
		p.Phases = append(p.Phases, ph)
	}
	if p, err = planner.SetRange(p, "assumptions.node_hourly", planner.Range{Low: decimalOf("5"), High: decimalOf("9")}); err != nil {
		t.Fatal(err)
	}
	r := planner.Compute(p)
	path := filepath.Join(t.TempDir(), "long.xlsx")
	if err := WriteFile(p, &r, prices.Builtin(), path); err != nil {
		t.Fatalf("the export failed: %v", err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Risk")
	text := fmt.Sprint(rows)
	// 200,000 phase-draws ÷ 1,500 phases = 133 draws, under the 200 a run makes at least.
	if !strings.Contains(text, "Risk: not drawn") || !strings.Contains(text, "this plan's 1,500 phases allow 133") {
		t.Errorf("Risk sheet: %s", text)
	}
}
