package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/report/page"
)

const (
	seedBill  = "../testdata/actuals/seed-bill-120-days.csv"
	seedUsage = "../testdata/actuals/seed-usage-120-days.csv"
)

// The seed's first 120 days cost $145,041.20 against $140,913.39 planned,
// +2.93 %; Phase 1's GPU is +22.03 % (3 nodes billed against 5,310
// node-hours planned for the phase) and its worst day's p99 240 ms
// (planner/actuals' tests work these by hand).
func TestActualsExitCodes(t *testing.T) {
	for _, c := range []struct {
		args []string
		want int
	}{
		{[]string{"actuals", seed, "--bill", seedBill}, ExitOK},
		{[]string{"actuals", seed, "--bill", seedBill, "--fail-on", "total_cost>+6%"}, ExitOK}, // Phase 1 is +5.87 %, the totals +2.93 %
		{[]string{"actuals", seed, "--bill", seedBill, "--fail-on", "total_cost>+2%"}, ExitInvalid},
		{[]string{"actuals", seed, "--bill", seedBill, "--fail-on", "gpu>+20%"}, ExitInvalid}, // Phase 1
		{[]string{"actuals", seed, "--bill", seedBill, "--usage", seedUsage, "--fail-on", "p99_ms>230"}, ExitInvalid},
		{[]string{"actuals", seed, "--bill", seedBill, "--usage", seedUsage, "--fail-on", "p99_ms>250"}, ExitOK},
		{[]string{"actuals", seed, "--bill", seedBill, "--fail-on", "unmaped>0"}, ExitUsage},
		{[]string{"actuals", seed, "--bill", seedBill, "--fail-on", "gpu>5%"}, ExitUsage},
		{[]string{"actuals", seed}, ExitUsage},
		{[]string{"actuals", seed, "--bill", "../testdata/seed-roadmap.json"}, ExitUsage},
		{[]string{"actuals", seed, "--bill", seedBill, "--usage", seed}, ExitUsage},
		{[]string{"actuals", seed, "--bill", seedBill, "--json", "--markdown"}, ExitUsage},
		{[]string{"actuals", "../testdata/invalid-plan.json", "--bill", seedBill}, ExitUsage},
		{[]string{"actuals", "-", "--bill", seedBill, "--write-scenario", "X"}, ExitUsage},
	} {
		if code, _, errs := run(c.args...); code != c.want {
			t.Errorf("%v: exit %d, want %d (%s)", c.args[1:], code, c.want, errs)
		}
	}
	_, _, errs := run("actuals", seed, "--bill", "../testdata/seed-roadmap.json")
	if !strings.Contains(errs, "is not a FOCUS bill scaleplan can read: it has no ChargePeriodStart") {
		t.Errorf("a plan as a bill: %s", errs)
	}
}

func TestActualsJSONHasEachLinesFigures(t *testing.T) {
	code, out, errs := run("actuals", seed, "--bill", seedBill, "--usage", seedUsage, "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		CostColumn string `json:"cost_column"`
		Totals     []struct {
			Key                    string
			Planned, Actual, Delta *string
			DeltaPct               *string `json:"delta_pct"`
		}
		Phases []struct {
			Name        string
			DaysCovered string  `json:"days_covered"`
			Projected   *string `json:"projected_phase_total"`
		}
		BreakEven     struct{ Planned, Projected *string } `json:"break_even"`
		Unmapped      []struct{ Name, Cost string }
		UnmappedTotal string `json:"unmapped_total"`
		Files         []struct{ Name, Kind, SHA256 string }
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	tot := map[string][4]string{}
	for _, l := range r.Totals {
		s := func(p *string) string {
			if p == nil {
				return "null"
			}
			return *p
		}
		tot[l.Key] = [4]string{s(l.Planned), s(l.Actual), s(l.Delta), s(l.DeltaPct)}
	}
	if got := tot["total_cost"]; got[1] != "145041.2" || !strings.HasPrefix(got[0], "140913.39") {
		t.Errorf("total_cost %v", got)
	}
	if got := tot["unmapped"]; got[0] != "0" || got[1] != "1440" || got[3] != "null" { // no Δ % of nothing planned
		t.Errorf("unmapped %v", got)
	}
	if r.CostColumn != "EffectiveCost" || len(r.Phases) != 2 || r.Phases[1].DaysCovered != "30" || r.Phases[0].Projected != nil || r.Phases[1].Projected == nil || *r.Phases[1].Projected != "125037.2" {
		t.Errorf("phases %+v", r.Phases)
	}
	if r.BreakEven.Planned == nil || *r.BreakEven.Planned != "2027-04-25" || r.UnmappedTotal != "1440" || len(r.Files) != 2 || len(r.Files[0].SHA256) != 64 {
		t.Errorf("break-even %v, unmapped %s, files %+v", r.BreakEven, r.UnmappedTotal, r.Files)
	}
}

func TestActualsMarkdown(t *testing.T) {
	code, out, errs := run("actuals", seed, "--bill", seedBill, "--markdown")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, s := range []string{"| Line | Planned | Actual | Δ | Δ % |", "| **Phase 1 (30 of 90 days)** | | | | |", "| GPU | $12,177.60 | $14,860.80 | +$2,683.20 | +22.03 % |", "- Unmapped spend, $1,440.00"} {
		if !strings.Contains(out, s) {
			t.Errorf("markdown lacks %q:\n%s", s, out)
		}
	}
}

// --write-scenario writes the plan back as it was saved, with one more
// scenario, and a refused write leaves the file as it was.
func TestActualsWriteScenario(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.json")
	b, _ := os.ReadFile(seed)
	_ = os.WriteFile(path, b, 0o644)
	code, _, errs := run("actuals", path, "--bill", seedBill, "--usage", seedUsage, "--write-scenario", "As observed")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	p, err := planner.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	o := p.ScenarioOverrides("As observed")
	if o["phases[Phase 1].calls_per_day"] != "2100000" || o["phases[Baseline].calls_per_day"] != "480000" {
		t.Errorf("overrides %v", o)
	}
	if !strings.Contains(errs, `wrote scenario "As observed"`) || !strings.Contains(errs, "node_rps kept: it needs calls, node-hours and --usage utilization") {
		t.Errorf("stderr %s", errs)
	}
	orig, _ := planner.Load(seed)
	if len(p.Scenarios) != len(orig.Scenarios)+1 || p.Assumptions.NodeHourly.String() != orig.Assumptions.NodeHourly.String() {
		t.Errorf("%d scenarios, node price %s", len(p.Scenarios), p.Assumptions.NodeHourly)
	}
	before, _ := os.ReadFile(path)
	code, _, _ = run("actuals", path, "--bill", seedBill, "--write-scenario", strings.Repeat("x", 500))
	after, _ := os.ReadFile(path)
	if code != ExitUsage || string(before) != string(after) {
		t.Errorf("a refused scenario: exit %d, file changed %v", code, string(before) != string(after))
	}
}

// scaleplan schema prints docs/plan.schema.json.
func TestSchemaPrintsTheSchemaFile(t *testing.T) {
	code, out, _ := run("schema")
	want, err := os.ReadFile("../docs/plan.schema.json")
	if err != nil || code != ExitOK || out != string(want) {
		t.Errorf("exit %d, %d bytes against the file's %d (%v)", code, len(out), len(want), err)
	}
	if code, _, _ := run("schema", "x"); code != ExitUsage {
		t.Errorf("schema x: exit %d", code)
	}
}

// scaleplan report writes page.Write's page of the plan as computed, with
// page.Defaults (the app's Export report… writes the same); it refuses to
// write over the plan.
func TestReportWritesThePage(t *testing.T) {
	out := filepath.Join(t.TempDir(), "plan.html")
	if code, _, errs := run("report", seed, "-o", out); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	got, _ := os.ReadFile(out)
	p := loadFor(t, seed)
	r := planner.Compute(p)
	var want bytes.Buffer
	if err := page.Write(&want, p, &r, page.Defaults); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Errorf("scaleplan report wrote %d bytes, page.Write %d", len(got), want.Len())
	}
	if code, _, _ := run("report", seed, "-o", seed); code != ExitUsage {
		t.Errorf("report over the plan: exit %d", code)
	}
}
