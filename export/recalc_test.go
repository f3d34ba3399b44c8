package export

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/commit"
	"github.com/scaleplan/scaleplan/planner/prices"
	"github.com/scaleplan/scaleplan/planner/risk"
	"github.com/scaleplan/scaleplan/report"
)

// soffice finds LibreOffice. Without it the recalculation tests cannot run:
// locally they skip with a loud message, in CI (CI=true) they fail.
func soffice(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("soffice")
	if err == nil {
		return path
	}
	msg := "LibreOffice (soffice) is not installed: the workbook is NOT being recalculated and checked. Run scripts/deps.sh test."
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip("\n\n*** " + msg + " ***\n")
	return ""
}

// recalc has LibreOffice recalculate the workbook from scratch (a fresh
// profile told to always recalculate on load, so stored values are ignored)
// and returns every sheet as CSV rows of raw values.
func recalc(t *testing.T, xlsx string) map[string][][]string {
	t.Helper()
	return recalcAll(t, xlsx)[xlsx]
}

// recalcAll is recalc for many workbooks with one start of LibreOffice
// (starting it is most of what a conversion costs), by path.
func recalcAll(t *testing.T, xlsx ...string) map[string]map[string][][]string {
	t.Helper()
	bin := soffice(t)
	profile := t.TempDir()
	os.MkdirAll(filepath.Join(profile, "user"), 0o755)
	xcu := `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>`
	if err := os.WriteFile(filepath.Join(profile, "user", "registrymodifications.xcu"), []byte(xcu), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	args := append([]string{"-env:UserInstallation=file://" + profile, "--headless", "--norestore",
		"--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1", "--outdir", out}, xlsx...)
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "HOME="+profile)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("soffice: %v\n%s", err, b)
	}
	all := map[string]map[string][][]string{}
	for _, path := range xlsx {
		sheets := map[string][][]string{}
		base := strings.TrimSuffix(filepath.Base(path), ".xlsx")
		files, _ := filepath.Glob(filepath.Join(out, base+"-*.csv"))
		for _, file := range files {
			name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(file), base+"-"), ".csv")
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			r := csv.NewReader(bytes.NewReader(data))
			r.FieldsPerRecord = -1
			rows, err := r.ReadAll()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			sheets[name] = rows
		}
		for _, name := range []string{sheetSummary, sheetRoadmap, sheetModel, sheetInputs, sheetHourly, sheetTimeline} {
			if _, ok := sheets[name]; !ok {
				t.Fatalf("%s: LibreOffice wrote no %s sheet", base, name)
			}
		}
		all[path] = sheets
	}
	return all
}

func exportPlan(t testing.TB, p planner.Plan, dir, name string) string {
	t.Helper()
	r := planner.Compute(p)
	path := filepath.Join(dir, name+".xlsx")
	if err := WriteFile(p, &r, prices.Builtin(), path); err != nil {
		t.Fatal(err)
	}
	return path
}

func examplePlans(t testing.TB) map[string]planner.Plan {
	names, _ := filepath.Glob("../testdata/*.json")
	plans := map[string]planner.Plan{}
	for _, n := range names {
		if strings.Contains(n, "invalid") {
			continue
		}
		p, err := planner.Load(n)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(n), ".json")
		if name == "every-input-set" {
			p = everyInput(t, p)
		}
		plans[name] = p
	}
	return plans
}

// everyInput is the fixture with any assumption it leaves at zero set to a
// small non-zero value, so that an input added to the model goes through
// the recalculation test without anyone remembering to add it here.
func everyInput(t testing.TB, p planner.Plan) planner.Plan {
	t.Helper()
	for _, f := range planner.AssumptionFields() {
		if f.Kind == planner.KindProfile || !isZero(assumptionValue(f, &p.Assumptions)) {
			continue
		}
		var err error
		for _, v := range []string{"1", "0.5", "x", "calls", "fixed"} {
			var q planner.Plan
			if q, err = planner.SetInput(p, planner.PlanDefault, f.Key, v); err == nil {
				p = q
				break
			}
		}
		if err != nil {
			t.Fatalf("the fixture leaves %s at zero and no small value is accepted: %v", f.Key, err)
		}
	}
	return p
}

func isZero(v any) bool {
	switch v := v.(type) {
	case string:
		return v == ""
	case int64:
		return v == 0
	case float64:
		return v == 0
	}
	return false
}

// stored is one formula cell as written: the engine's value and whether it
// is money.
type stored struct {
	sheet, ref, formula string
	value               string
	money, date         bool
}

// formulaCells reads back every formula cell of the workbook with the value
// stored beside it.
func formulaCells(t *testing.T, path string) []stored {
	t.Helper()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []stored
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for r, row := range rows {
			for c := range row {
				ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
				fm, _ := f.GetCellFormula(sheet, ref)
				if fm == "" {
					continue
				}
				s := stored{sheet: sheet, ref: ref, formula: fm, value: row[c]}
				if id, err := f.GetCellStyle(sheet, ref); err == nil {
					if st, err := f.GetStyle(id); err == nil && st.CustomNumFmt != nil {
						s.money = strings.Contains(*st.CustomNumFmt, `#,##0.00`) && strings.Contains(*st.CustomNumFmt, `"`)
						s.date = *st.CustomNumFmt == dateFmt || strings.Contains(*st.CustomNumFmt, "mmm")
					}
				}
				out = append(out, s)
			}
		}
	}
	return out
}

// dateSerial reads LibreOffice's rendering of a date cell back as a serial.
func dateSerial(s string) (float64, bool) {
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		if d, err = time.Parse("01/02/2006", s); err != nil { // LibreOffice's rendering of other date formats
			return 0, false
		}
	}
	return d.Sub(time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)).Hours() / 24, true
}

// agree compares a recalculated cell with the engine's: money to the cent,
// other numbers to 1e-9 relative (with a 1e-6 floor for values that should
// be 0 but come out of float arithmetic as 1e-15), text exactly.
func agree(s stored, got string) bool {
	want, errW := strconv.ParseFloat(s.value, 64)
	if errW != nil {
		return got == s.value
	}
	g, err := strconv.ParseFloat(got, 64)
	if pct, ok := strings.CutSuffix(got, "%"); ok && err != nil { // LibreOffice keeps the % of percentage cells
		g, err = strconv.ParseFloat(pct, 64)
		g /= 100
	}
	if err != nil {
		var ok bool
		if g, ok = dateSerial(got); !ok {
			return false
		}
	}
	if s.money {
		return math.Abs(g-want) <= 0.005+1e-9*math.Abs(want)
	}
	return math.Abs(g-want) <= math.Max(1e-9*math.Abs(want), 1e-6)
}

func cellAt(sheets map[string][][]string, sheet, ref string) string {
	c, r, _ := excelize.CellNameToCoordinates(ref)
	rows := sheets[sheet]
	if r-1 >= len(rows) || c-1 >= len(rows[r-1]) {
		return ""
	}
	return rows[r-1][c-1]
}

// Every formula cell, recalculated from scratch by LibreOffice, equals the
// value the engine computed and stored beside it.
func TestRecalculatedWorkbookMatchesTheEngine(t *testing.T) {
	dir := t.TempDir()
	plans := examplePlans(t)
	paths := map[string]string{}
	var all []string
	for name, p := range plans {
		paths[name] = exportPlan(t, p, dir, name)
		all = append(all, paths[name])
	}
	recalculated := recalcAll(t, all...) // one start of LibreOffice for every example
	for name := range plans {
		t.Run(name, func(t *testing.T) {
			path := paths[name]
			sheets := recalculated[path]
			cells := formulaCells(t, path)
			if len(cells) < 500 {
				t.Fatalf("only %d formula cells: the workbook is not a live model", len(cells))
			}
			bad := 0
			for _, s := range cells {
				got := cellAt(sheets, s.sheet, s.ref)
				if !agree(s, got) {
					bad++
					if bad <= 15 {
						t.Errorf("%s!%s = %s\n    recalculated %q, engine %q", s.sheet, s.ref, s.formula, got, s.value)
					}
				}
			}
			if bad > 0 {
				t.Errorf("%d of %d formula cells disagree with the engine", bad, len(cells))
			}
			for sheet, rows := range sheets {
				for r, row := range rows {
					for c, v := range row {
						if strings.HasPrefix(v, "#") || strings.HasPrefix(v, "Err:") {
							t.Errorf("%s row %d col %d shows the error %q", sheet, r+1, c+1, v)
						}
					}
				}
			}
		})
	}
}

// Change an input in the workbook, recalculate, and the model follows to
// the engine's answer for the edited plan.
func TestEditedInputFlowsThroughTheWorkbook(t *testing.T) {
	p := examplePlans(t)["seed-roadmap"]
	dir := t.TempDir()
	path := exportPlan(t, p, dir, "seed")

	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Baseline (column D) runs 3 nodes instead of 2, and Phase 1 (column E)
	// pays 50,000 once instead of 20,000. (A fixed fleet and a one-time
	// cost: neither moves the p99 node counts, which the workbook holds as
	// values at export.)
	ref := fmt.Sprintf("D%d", fieldRow(t, "nodes"))
	if v, _ := f.GetCellValue(sheetInputs, ref, excelize.Options{RawCellValue: true}); v != "2" {
		t.Fatalf("Inputs!%s = %q, expected Baseline's nodes", ref, v)
	}
	f.SetCellValue(sheetInputs, ref, 3)
	f.SetCellValue(sheetInputs, fmt.Sprintf("E%d", fieldRow(t, "one_time")), 50000)
	f.SetCellValue(sheetInputs, fmt.Sprintf("C%d", fieldRow(t, "node_hourly")), 5.5)
	edited := filepath.Join(dir, "edited.xlsx")
	if err := f.SaveAs(edited); err != nil {
		t.Fatal(err)
	}
	f.Close()

	q := p.Clone()
	q.Phases[0].Nodes = planner.Some[int64](3)
	q.Phases[1].OneTime = decimalOf("50000")
	q.Assumptions.NodeHourly = decimalOf("5.5")
	want := planner.Compute(q)
	if want.Totals.Cost.Total.Equal(planner.Compute(p).Totals.Cost.Total) {
		t.Fatal("the edit should change the total")
	}
	sheets := recalc(t, edited)
	b := &builder{r: &want, p: &q}
	b.layout()
	checks := map[string]float64{
		fmt.Sprintf("C%d", b.modelRow["total_cost"]): want.Totals.Cost.Total.InexactFloat64(),
		fmt.Sprintf("C%d", b.modelRow["calls"]):      float64(want.Totals.Calls),
		fmt.Sprintf("F%d", b.modelRow["nodes"]):      float64(want.Phases[2].Nodes),
		fmt.Sprintf("F%d", b.modelRow["gpu_cost"]):   want.Phases[2].Cost.Of(planner.CostGPU).InexactFloat64(),
		fmt.Sprintf("D%d", b.modelRow["gpu_cost"]):   want.Phases[0].Cost.Of(planner.CostGPU).InexactFloat64(),
		fmt.Sprintf("D%d", b.modelRow["node_hours"]): float64(want.Phases[0].NodeHours),
		fmt.Sprintf("E%d", b.modelRow["fixed_cost"]): want.Phases[1].Cost.Of(planner.CostFixed).InexactFloat64(),
	}
	for ref, w := range checks {
		got, err := strconv.ParseFloat(cellAt(sheets, sheetModel, ref), 64)
		if err != nil || math.Abs(got-w) > 0.005 {
			t.Errorf("Model!%s = %v after the edit, engine says %.2f", ref, cellAt(sheets, sheetModel, ref), w)
		}
	}
	if got := cellAt(sheets, sheetSummary, "B14"); got != fmt.Sprint(want.BreakEven.Day.Val) {
		t.Errorf("break-even day after the edit = %q, engine says %d", got, want.BreakEven.Day.Val)
	}
}

func fieldRow(t *testing.T, key string) int {
	b := &builder{r: &planner.Result{}, p: &planner.Plan{}}
	b.layout()
	row, ok := b.inRow[key]
	if !ok {
		t.Fatalf("no Inputs row for %s", key)
	}
	return row
}

// The fixture the recalculation test runs every input through sets every
// input: each assumption non-zero (and the hourly profile not flat), every
// SLO, an override, a variant, a node ceiling, a one-time cost, overflow to
// batch, and a component of each driver, one on the request path. A new
// assumption is set by everyInput until the fixture says what it should be.
func TestEveryInputFixtureSetsEveryInput(t *testing.T) {
	p := examplePlans(t)["every-input-set"]
	for _, f := range planner.AssumptionFields() {
		if f.Kind == planner.KindProfile {
			if p.Assumptions.HourlyProfile.Equal(planner.FlatProfile()) {
				t.Errorf("the fixture's hourly profile is flat")
			}
			continue
		}
		if v := assumptionValue(f, &p.Assumptions); isZero(v) {
			t.Errorf("the fixture leaves %s at %v", f.Key, v)
		}
	}
	s := p.SLO
	if !s.P99Ms.Valid || !s.MaxCostPerCall.Valid || !s.MinUtilization.Valid || !s.MinAccuracy.Valid {
		t.Errorf("the fixture leaves an SLO unset: %+v", s)
	}
	drivers := map[string]bool{}
	onPath := false
	for _, c := range p.Components {
		drivers[c.Driver] = true
		onPath = onPath || c.LatencyMs.Valid
	}
	for _, d := range planner.Drivers {
		if !drivers[d.Key] {
			t.Errorf("the fixture has no %s component", d.Key)
		}
	}
	var overrides, variant, ceiling, oneTime bool
	for _, ph := range p.Phases {
		overrides = overrides || ph.Overrides.Len() > 0
		variant = variant || ph.Variant != ""
		ceiling = ceiling || ph.Nodes.Valid
		oneTime = oneTime || !ph.OneTime.IsZero()
	}
	r := planner.Compute(p)
	if !onPath || !overrides || !variant || !ceiling || !oneTime || r.Totals.OverflowCalls.IsZero() {
		t.Errorf("the fixture misses something: on path %v, overrides %v, variant %v, ceiling %v, one-time %v, overflow %s",
			onPath, overrides, variant, ceiling, oneTime, r.Totals.OverflowCalls)
	}
}

// Components are live in the workbook: change a stored component's price
// and move a one-time component to an earlier phase on the Inputs sheet,
// recalculate, and the Model follows to the engine's answer for that plan.
func TestEditedComponentFlowsThroughTheWorkbook(t *testing.T) {
	p := examplePlans(t)["every-input-set"]
	dir := t.TempDir()
	path := exportPlan(t, p, dir, "components")
	r0 := planner.Compute(p)
	b0 := &builder{r: &r0, p: &p}
	b0.layout()

	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// Dashboard is component 6, Migration component 5; Launch is column E.
	f.SetCellValue(sheetInputs, fmt.Sprintf("C%d", b0.inRow[compKey(5, "price")]), 0.12)
	f.SetCellValue(sheetInputs, fmt.Sprintf("E%d", b0.inRow[compKey(4, "applies")]), 1)
	edited := filepath.Join(dir, "edited.xlsx")
	if err := f.SaveAs(edited); err != nil {
		t.Fatal(err)
	}
	f.Close()

	q, err := planner.SetComponent(p, 5, "price", "0.12")
	if err != nil {
		t.Fatal(err)
	}
	if q, err = planner.SetComponent(q, 4, "phases", "Launch, Scale"); err != nil {
		t.Fatal(err)
	}
	want := planner.Compute(q)
	sheets := recalc(t, edited)
	b := &builder{r: &want, p: &q}
	b.layout()
	checks := map[string]float64{
		fmt.Sprintf("C%d", b.modelRow["total_cost"]):                 want.Totals.Cost.Total.InexactFloat64(),
		fmt.Sprintf("E%d", b.modelRow["component_5"]):                want.Phases[1].Components[4].Cost.InexactFloat64(), // Migration, now in Launch
		fmt.Sprintf("F%d", b.modelRow["component_5"]):                want.Phases[2].Components[4].Cost.InexactFloat64(), // …and no longer in Scale
		fmt.Sprintf("F%d", b.modelRow["component_6"]):                want.Phases[2].Components[5].Cost.InexactFloat64(),
		fmt.Sprintf("E%d", b.modelRow["daily_cost"]):                 want.Phases[1].DailyCost.InexactFloat64(),
		fmt.Sprintf("C%d", b.modelRow["components_cost"]):            want.Totals.Cost.Components.InexactFloat64(),
		fmt.Sprintf("F%d", b.modelRow["margin"]):                     want.Phases[2].Margin.InexactFloat64(),
		fmt.Sprintf("D%d", b.modelRow[report.ComponentKey(3)]):       want.Phases[0].Components[3].Cost.InexactFloat64(),
		fmt.Sprintf("C%d", b.modelRow[report.ComponentKey(5)]):       want.Totals.Components[5].Cost.InexactFloat64(),
		fmt.Sprintf("E%d", b.modelRow[planner.CostLines[1].LineKey]): want.Phases[1].Cost.Of(planner.CostStorage).InexactFloat64(),
	}
	if want.Phases[2].Components[4].Cost.Sign() != 0 || want.Phases[1].Components[4].Cost.IsZero() {
		t.Fatal("the engine should now bill the migration in Launch, not Scale")
	}
	for ref, w := range checks {
		got, err := strconv.ParseFloat(cellAt(sheets, sheetModel, ref), 64)
		if err != nil || math.Abs(got-w) > 0.005 {
			t.Errorf("Model!%s = %v after the edit, engine says %.4f", ref, cellAt(sheets, sheetModel, ref), w)
		}
	}
	// The timeline's last cumulative cost is the plan's total.
	last := fmt.Sprintf("K%d", b.dayLast)
	if got, err := strconv.ParseFloat(cellAt(sheets, sheetTimeline, last), 64); err != nil || math.Abs(got-want.Totals.Cost.Total.InexactFloat64()) > 0.01 {
		t.Errorf("Timeline!%s = %v, the plan's total is %s", last, cellAt(sheets, sheetTimeline, last), want.Totals.Cost.Total.StringFixed(2))
	}
}

// Every line of the cost catalogue has a workbook formula (or, for
// storage, its closed form), so a new line cannot reach the workbook empty.
func TestEveryCostLineHasAWorkbookFormula(t *testing.T) {
	for _, c := range planner.CostLines {
		l, ok := report.LineByKey(c.LineKey)
		if !ok {
			t.Errorf("%s: no model line", c.LineKey)
			continue
		}
		if lc, ok := cellOf(l); !ok || lc.formula == nil {
			t.Errorf("%s: no workbook formula", c.LineKey)
		}
	}
}

// Each scenario is a live model: change its node price on its own Inputs
// sheet, recalculate, and the Scenarios sheet's column for it equals the
// engine's answer for the scenario with that price.
func TestScenarioModelsAreLive(t *testing.T) {
	p := examplePlans(t)["seed-roadmap"]
	dir := t.TempDir()
	path := exportPlan(t, p, dir, "seed")
	s2, err := p.Scenario("Before the mid-2025 price cut")
	if err != nil {
		t.Fatal(err)
	}
	rs2 := planner.Compute(s2)
	nb := &builder{p: &s2, r: &rs2, tag: "_S2"}
	nb.layout()
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ref := fmt.Sprintf("C%d", nb.inRow["node_hourly"])
	if v, _ := f.GetCellValue("Inputs_S2", ref, excelize.Options{RawCellValue: true}); v != "12.29" {
		t.Fatalf("Inputs_S2!%s = %q, expected the scenario's node price", ref, v)
	}
	f.SetCellValue("Inputs_S2", ref, 10)
	edited := filepath.Join(dir, "edited.xlsx")
	if err := f.SaveAs(edited); err != nil {
		t.Fatal(err)
	}
	f.Close()
	q, err := planner.SetScenarioInput(p, "Before the mid-2025 price cut", planner.PlanDefault, "node_hourly", "10")
	if err != nil {
		t.Fatal(err)
	}
	s2e, _ := q.Scenario("Before the mid-2025 price cut")
	want := planner.Compute(s2e).Totals.Cost.Total.InexactFloat64()
	sheets := recalc(t, edited)
	for _, row := range sheets[sheetScenarios] {
		if len(row) > 4 && row[0] == "Total cost" {
			got, err := strconv.ParseFloat(row[4], 64) // A line, B unit, C the plan, D _S1, E _S2
			if err != nil || math.Abs(got-want) > 0.005 {
				t.Errorf("the scenario's total after the edit: %q, engine %.2f", row[4], want)
			}
			if plan, _ := strconv.ParseFloat(row[2], 64); math.Abs(plan-planner.Compute(p).Totals.Cost.Total.InexactFloat64()) > 0.005 {
				t.Errorf("the plan's own total moved: %q", row[2])
			}
			return
		}
	}
	t.Fatal("no Total cost row on the Scenarios sheet")
}

// The Risk sheet: LibreOffice's PERCENTILE.INC and COUNTIF over the draws
// give the engine's own risk run (scaleplan risk --seed 1), and a plan
// without ranges has no Risk sheet.
func TestRiskSheetRecalculatesToTheEnginesRun(t *testing.T) {
	p, err := planner.Load("../testdata/uncertain-roadmap.json")
	if err != nil {
		t.Fatal(err)
	}
	want, err := risk.Run(p, "", risk.Options{Draws: risk.DefaultDraws, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	path := exportPlan(t, p, t.TempDir(), "uncertain")
	sheets := recalc(t, path)
	num := func(ref string) float64 {
		t.Helper()
		v, err := strconv.ParseFloat(strings.TrimSuffix(cellAt(sheets, sheetRisk, ref), "%"), 64)
		if err != nil {
			t.Fatalf("Risk!%s = %q", ref, cellAt(sheets, sheetRisk, ref))
		}
		return v
	}
	s := want.Totals.TotalCost
	for ref, v := range map[string]float64{"B4": s.Mean, "C4": s.P5, "D4": s.P10, "E4": s.P50, "F4": s.P90, "G4": s.P95,
		"F5": want.Totals.CostPerCall.P90} {
		if got := num(ref); math.Abs(got-v) > 1e-9*math.Abs(v) {
			t.Errorf("Risk!%s recalculated %v, engine %v", ref, got, v)
		}
	}
	if got := num("C9"); math.Abs(got/100-want.Odds.CostPerCallOverCeiling.Val) > 1e-12 && math.Abs(got-want.Odds.CostPerCallOverCeiling.Val) > 1e-12 {
		t.Errorf("P(over ceiling) recalculated %v, engine %v", got, want.Odds.CostPerCallOverCeiling.Val)
	}
	total := 0.0
	for r := 21; r < 21+riskBins; r++ {
		total += num(fmt.Sprintf("C%d", r))
	}
	if total != float64(risk.DefaultDraws) {
		t.Errorf("the histogram counts %v draws, want %d", total, risk.DefaultDraws)
	}
	seed := exportPlan(t, examplePlans(t)["seed-roadmap"], t.TempDir(), "seed")
	f, err := excelize.OpenFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if idx, _ := f.GetSheetIndex(sheetRisk); idx >= 0 {
		t.Error("a plan without ranges has a Risk sheet")
	}
}

// The Inputs sheet says where a default comes from: a cited price's offer,
// date and source, or a range whose median the model uses.
func TestInputsSayWhereDefaultsComeFrom(t *testing.T) {
	for plan, want := range map[string]string{
		"book-prices-roadmap": "p5.4xlarge on_demand (builtin book, us-east-1), as of 2026-09-29; source: https://aws.amazon.com/ec2/pricing/on-demand/",
		"uncertain-roadmap":   "uncertain: a 90 % range 5.5–8.5 (lognormal); the model uses its median",
	} {
		p := examplePlans(t)[plan]
		f, err := excelize.OpenFile(exportPlan(t, p, t.TempDir(), plan))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(sheetInputs)
		f.Close()
		found := false
		for _, row := range rows {
			if len(row) > 0 && row[0] == "Node price" {
				found = strings.HasPrefix(row[len(row)-1], want)
				if !found {
					t.Errorf("%s: the node price row ends %q", plan, row[len(row)-1])
				}
			}
		}
		if !found {
			t.Errorf("%s: no node price row says where it comes from", plan)
		}
	}
}

// The Commitments sheet is live over its curve: type another committed
// rate and the best level and the saving follow to what planner's rule
// (the largest k whose hours are worth more on demand) finds at that rate.
func TestCommitmentsSheetFollowsTheRate(t *testing.T) {
	p := examplePlans(t)["seed-roadmap"]
	edited := editCell(t, p, sheetCommit, "A4", "Committed rate per node-hour", "B4", 1.376) // 20 % of $6.88
	r := planner.Compute(p)
	want, err := commit.Optimal(r.CommitPhases(), commit.Options{Rate: decimalOf("1.376"), TermMonths: 12, AfterPlan: commit.AfterPlanStranded})
	if err != nil {
		t.Fatal(err)
	}
	at60, _ := commit.Optimal(r.CommitPhases(), commit.Options{Rate: decimalOf("4.128"), TermMonths: 12, AfterPlan: commit.AfterPlanStranded})
	if want.K == at60.K {
		t.Fatalf("a cheaper rate should commit more: %d at both", want.K)
	}
	sheets := recalc(t, edited)
	if got := cellAt(sheets, sheetCommit, "B8"); got != fmt.Sprint(want.K) {
		t.Errorf("best level at $1.376 = %s, planner says %d", got, want.K)
	}
	if got, _ := strconv.ParseFloat(cellAt(sheets, sheetCommit, "B11"), 64); math.Abs(got-want.Saving.InexactFloat64()) > 0.005 {
		t.Errorf("saving = %v, planner says %s", got, want.Saving)
	}
}

// A held commitment's nodes and rate are inputs the Model sheet bills:
// Base load at 3 nodes instead of 2 costs Baseline 3 × 2,160 hours ×
// $4.128 = $26,749.44 committed, after LibreOffice recalculates.
func TestHeldCommitmentsAreLive(t *testing.T) {
	p := examplePlans(t)["commitments-roadmap"]
	edited := editCell(t, p, sheetCommit, "H4", "Base load", "K4", 3)
	r := planner.Compute(p)
	b := &builder{r: &r, p: &p}
	b.layout()
	sheets := recalc(t, edited)
	ref := fmt.Sprintf("D%d", b.modelRow["committed_cost"])
	if got, err := strconv.ParseFloat(cellAt(sheets, sheetModel, ref), 64); err != nil || math.Abs(got-26749.44) > 0.005 {
		t.Errorf("Model!%s (Baseline committed) = %q, want 26,749.44", ref, cellAt(sheets, sheetModel, ref))
	}
}

// editCell exports p, checks that a label cell says what the test expects
// there, sets another cell, and returns the edited workbook's path.
func editCell(t *testing.T, p planner.Plan, sheet, labelRef, label, ref string, v any) string {
	t.Helper()
	dir := t.TempDir()
	f, err := excelize.OpenFile(exportPlan(t, p, dir, "plan"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, _ := f.GetCellValue(sheet, labelRef); got != label {
		t.Fatalf("%s!%s = %q, want %q", sheet, labelRef, got, label)
	}
	if err := f.SetCellValue(sheet, ref, v); err != nil {
		t.Fatal(err)
	}
	edited := filepath.Join(dir, "edited.xlsx")
	if err := f.SaveAs(edited); err != nil {
		t.Fatal(err)
	}
	return edited
}
