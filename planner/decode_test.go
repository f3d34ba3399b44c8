package planner

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/scaleplan/scaleplan/planner/jsonfile"
)

// minimal is the smallest valid plan; tests splice bad values into it.
const minimal = `{
  "format": 1,
  "name": "Minimal",
  "start_date": "2027-01-01",
  "assumptions": {"node_hourly": 1, "node_rps": 10, "target_utilization": 0.5},
  "phases": [{"name": "Only", "days": 30, "calls_per_day": 86400}]
}`

func TestParseMinimalAppliesDefaults(t *testing.T) {
	t.Parallel()
	p, err := Parse([]byte(minimal))
	if err != nil {
		t.Fatal(err)
	}
	if p.Currency != "USD" {
		t.Errorf("currency = %q, want the USD default", p.Currency)
	}
	ph := p.Phases[0]
	if ph.Scaling != Fixed || ph.Nodes.Valid || !ph.OneTime.IsZero() || ph.Overrides.Len() != 0 {
		t.Errorf("phase defaults wrong: %+v", ph)
	}
	if !p.Assumptions.HourlyProfile.Equal(FlatProfile()) {
		t.Errorf("profile default is not flat: %v", p.Assumptions.HourlyProfile)
	}
	if p.SLO.P99Ms.Valid || p.SLO.MaxCostPerCall.Valid || p.SLO.MinUtilization.Valid {
		t.Errorf("SLOs should be unset: %+v", p.SLO)
	}
}

func TestParseNumbersAreExact(t *testing.T) {
	t.Parallel()
	// 0.1 + 0.2 style values and strings must survive without float64.
	src := strings.Replace(minimal, `"node_hourly": 1`, `"node_hourly": "6.880000000000001"`, 1)
	src = strings.Replace(src, `"node_rps": 10`, `"node_rps": 0.1`, 1)
	src = strings.Replace(src, `"days": 30`, `"days": 3e1`, 1)
	p, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if p.Assumptions.NodeHourly.String() != "6.880000000000001" {
		t.Errorf("node_hourly = %s", p.Assumptions.NodeHourly)
	}
	if p.Assumptions.NodeRPS.String() != "0.1" {
		t.Errorf("node_rps = %s", p.Assumptions.NodeRPS)
	}
	if p.Phases[0].Days != 30 {
		t.Errorf("3e1 days = %d, want 30", p.Phases[0].Days)
	}
}

// Each case replaces one piece of the minimal plan and expects one message.
func TestParseReportsEachProblemWithItsPath(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, old, new, want string }{
		{"zero days", `"days": 30`, `"days": 0`, `phases[0].days: must be a whole number from 1 to 36,500, got 0`},
		{"fractional days", `"days": 30`, `"days": 90.5`, `phases[0].days: must be a whole number from 1 to 36,500, got 90.5`},
		{"days as text", `"days": 30`, `"days": "abc"`, `phases[0].days: must be a whole number from 1 to 36,500, got "abc"`},
		{"negative calls", `"calls_per_day": 86400`, `"calls_per_day": -5`, `phases[0].calls_per_day: must be a whole number from 0 to 1,000,000,000,000, got -5`},
		{"fractional nodes", `"calls_per_day": 86400`, `"calls_per_day": 86400, "nodes": 1.5`, `phases[0].nodes: must be a whole number from 0 to 1,000,000, got 1.5`},
		{"utilization above 1", `"target_utilization": 0.5`, `"target_utilization": 1.2`, `assumptions.target_utilization: must be a number > 0 and ≤ 1, got 1.2`},
		{"zero throughput", `"node_rps": 10`, `"node_rps": 0`, `assumptions.node_rps: must be a number > 0, got 0`},
		{"bad scaling", `"calls_per_day": 86400`, `"calls_per_day": 86400, "scaling": "elastic"`, `phases[0].scaling: must be one of "fixed", "autoscale" or "predictive", got "elastic"`},
		{"impossible date", `"2027-01-01"`, `"2027-02-30"`, `start_date: must be a real date written YYYY-MM-DD, got "2027-02-30"`},
		{"unknown key with hint", `"node_rps": 10`, `"node_rps": 10, "node_rsp": 3`, `assumptions.node_rsp: unknown key (did you mean "node_rps"?)`},
		{"unknown top key", `"format": 1,`, `"format": 1, "colour": "red",`, `colour: unknown key`},
		{"missing name", `"name": "Only", `, ``, `phases[0].name: missing; expected a name in quotes`},
		{"missing required assumption", `"node_rps": 10, `, ``, `assumptions.node_rps: missing; expected a number > 0`},
		{"short profile", `"target_utilization": 0.5`, `"target_utilization": 0.5, "hourly_profile": [1, 2, 3]`, `assumptions.hourly_profile: must list 24 weights, one for each hour 0–23, got 3`},
		{"all-zero profile", `"target_utilization": 0.5`, `"target_utilization": 0.5, "hourly_profile": [0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]`, `assumptions.hourly_profile: must not be all 0: some hour must carry load`},
		{"negative weight", `"target_utilization": 0.5`, `"target_utilization": 0.5, "hourly_profile": [1,1,1,-1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]`, `assumptions.hourly_profile[3]: must be a number ≥ 0, got -1`},
		{"bad override", `"calls_per_day": 86400`, `"calls_per_day": 86400, "overrides": {"node_rps": -1}`, `phases[0].overrides.node_rps: must be a number > 0, got -1`},
		{"unknown override", `"calls_per_day": 86400`, `"calls_per_day": 86400, "overrides": {"gpu_price": 1}`, `phases[0].overrides.gpu_price: unknown key`},
		{"bad currency", `"format": 1,`, `"format": 1, "currency": "dollars",`, `currency: must be a three-letter ISO 4217 code such as "USD", got "dollars"`},
		{"newer format", `"format": 1`, `"format": 3`, `format: this plan was written by a newer scaleplan (format 3); this version reads formats 1 to 2`},
		{"no phases", `[{"name": "Only", "days": 30, "calls_per_day": 86400}]`, `[]`, `phases: must list at least one phase`},
		{"huge number", `"node_hourly": 1`, `"node_hourly": 1e300`, `assumptions.node_hourly: must be at most 1,000,000,000,000,000, got 1e300`},
		{"too precise", `"node_hourly": 1`, `"node_hourly": 0.0000000000000001`, `assumptions.node_hourly: must have at most 15 decimal places, got 0.0000000000000001`},
		{"NaN text", `"node_hourly": 1`, `"node_hourly": "NaN"`, `assumptions.node_hourly: must be a number ≥ 0, got "NaN"`},
		{"empty name", `"name": "Minimal"`, `"name": "  "`, `name: must not be empty`},
		{"text as number", `"name": "Minimal"`, `"name": 7`, `name: must be text in quotes, got 7`},
		{"too many nodes needed", `"calls_per_day": 86400`, `"calls_per_day": 1000000000000`, `phases[0]: at its busiest hour this phase would need 2,314,815 nodes, more than the 1,000,000 a plan may have; check calls_per_day, node_rps and target_utilization`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(minimal, c.old) {
				t.Fatalf("test is broken: %q is not in the minimal plan", c.old)
			}
			p, err := Parse([]byte(strings.Replace(minimal, c.old, c.new, 1)))
			var errs Errors
			if !errors.As(err, &errs) {
				t.Fatalf("want Errors, got %v", err)
			}
			if len(errs) != 1 || errs[0].Error() != c.want {
				t.Errorf("got:\n%v\nwant:\n%s", err, c.want)
			}
			if p.Name != "" || p.Phases != nil {
				t.Errorf("a bad file half-loaded: %+v", p)
			}
		})
	}
}

func TestParseReportsEveryProblemAtOnceInFileOrder(t *testing.T) {
	t.Parallel()
	src := `{
  "format": 1,
  "name": "Broken",
  "start_date": "2027-13-01",
  "assumptions": {"node_hourly": -1, "node_rps": 10, "target_utilization": 2},
  "phases": [
    {"name": "A", "days": 90, "calls_per_day": 5},
    {"name": "B", "days": 0, "calls_per_day": 1.5, "extra": true}
  ]
}`
	_, err := Parse([]byte(src))
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("want Errors, got %v", err)
	}
	want := []string{
		`start_date: must be a real date written YYYY-MM-DD, got "2027-13-01"`,
		`assumptions.node_hourly: must be a number ≥ 0, got -1`,
		`assumptions.target_utilization: must be a number > 0 and ≤ 1, got 2`,
		`phases[1].days: must be a whole number from 1 to 36,500, got 0`,
		`phases[1].calls_per_day: must be a whole number from 0 to 1,000,000,000,000, got 1.5`,
		`phases[1].extra: unknown key`,
	}
	if len(errs) != len(want) {
		t.Fatalf("got %d errors:\n%v", len(errs), err)
	}
	for i := range want {
		if errs[i].Error() != want[i] {
			t.Errorf("error %d = %q, want %q", i, errs[i].Error(), want[i])
		}
	}
}

func TestParseRefusesBrokenFiles(t *testing.T) {
	t.Parallel()
	cases := map[string]struct{ src, want string }{
		"truncated":      {minimal[:60], "the file ends in the middle of the plan"},
		"syntax":         {`{"format": 1,, "name": "x"}`, "line 1, column 14: not valid JSON"},
		"second line":    {"{\n  \"format\": 1 \"name\": 2}", "line 2, column 15: not valid JSON"},
		"trailing":       {minimal + ` {}`, "unexpected data after the plan's closing brace"},
		"duplicate key":  {`{"format": 1, "format": 1}`, `key "format" appears twice`},
		"not an object":  {`[1, 2]`, "file: must be an object, got a list of 2"},
		"binary":         {"\xff\xfe\x00garbage", "not UTF-8 text"},
		"empty":          {"", "the file ends in the middle of the plan"},
		"deeply nested":  {strings.Repeat("[", 100) + strings.Repeat("]", 100), "nested more than 64 levels deep"},
		"null top level": {"null", "must be an object, got null"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(c.src))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want a message containing %q", err, c.want)
			}
		})
	}
}

func TestOverridesApplyPerPhaseOnly(t *testing.T) {
	t.Parallel()
	src := strings.Replace(minimal, `"calls_per_day": 86400}`,
		`"calls_per_day": 86400, "overrides": {"node_hourly": "2.5", "min_nodes": 3}}, {"name": "Two", "days": 1, "calls_per_day": 0}`, 1)
	p, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	o := p.Phases[0].Overrides
	if !o.Has("node_hourly") || !o.Has("min_nodes") || o.Has("node_rps") || o.Len() != 2 {
		t.Errorf("overrides = %v", o.Keys())
	}
	a0, a1 := p.Effective(0), p.Effective(1)
	if !a0.NodeHourly.Equal(dec("2.5")) || a0.MinNodes != 3 || !a0.NodeRPS.Equal(dec("10")) {
		t.Errorf("phase 0 effective = %+v", a0)
	}
	if !a1.NodeHourly.Equal(dec("1")) || a1.MinNodes != 0 {
		t.Errorf("phase 1 should use the defaults: %+v", a1)
	}
	p.Phases[0].Overrides.Clear("node_hourly")
	if p.Phases[0].Overrides.Has("node_hourly") || !p.Effective(0).NodeHourly.Equal(dec("1")) {
		t.Errorf("clearing an override did not restore the default")
	}
}

func TestParseKeepsExponentsSmall(t *testing.T) {
	t.Parallel()
	for _, lit := range []string{"0e-999", "1.000000000000000000000", "5e-20"} {
		d, msg := jsonfile.ParseDecimal(lit)
		if lit == "5e-20" {
			if msg == "" {
				t.Errorf("%s accepted though it has 20 places", lit)
			}
			continue
		}
		if msg != "" || d.Exponent() < -jsonfile.MaxPlaces {
			t.Errorf("%s parsed to %s (exponent %d), %q", lit, d, d.Exponent(), msg)
		}
	}
}

// Bad input of the kinds found by attacking the loader (issue #10, items 10
// and 13): each is answered at once, in words, with the echo kept short.
func TestHostileNumbersAndMarks(t *testing.T) {
	seedText, err := os.ReadFile("../testdata/seed-roadmap.json")
	if err != nil {
		t.Fatal(err)
	}
	// A byte-order mark is read past.
	if _, err := Parse(append([]byte("\xef\xbb\xbf"), seedText...)); err != nil {
		t.Errorf("a plan with a UTF-8 BOM: %v", err)
	}
	cases := []struct{ literal, want string }{
		{"1e999999999", "must be at most 1,000,000,000,000,000, got 1e999999999"},
		{"1e-999999999", "must have at most 15 decimal places"},
		{strings.Repeat("9", 10_000_000), "has 10,000,000 characters, more than the 64 a plan's number may have, got 9999999999999999999999999999999999999… (10000000 characters)"},
		{`"` + strings.Repeat("1", 3_000_000) + `"`, "has 3,000,000 characters"},
	}
	for _, c := range cases {
		src := strings.Replace(string(seedText), `"node_hourly": 6.88`, `"node_hourly": `+c.literal, 1)
		start := time.Now()
		_, err := Parse([]byte(src))
		// A quadratic conversion of the 10-million-digit number took minutes;
		// the bound only has to tell that from a linear scan.
		if took := time.Since(start); took > raceSlowdown*3*time.Second {
			t.Errorf("%.20s…: %v to refuse", c.literal, took)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%.20s…: %v, want %q", c.literal, err, c.want)
		}
		if err != nil && len(err.Error()) > 400 {
			t.Errorf("%.20s…: a %d-character message echoes too much", c.literal, len(err.Error()))
		}
	}
}

// Floods under the size cap are told briefly: at most 100 problems listed,
// and names and text of a size that would swamp a table are refused
// (issue #10, item 12).
func TestFloodsAreToldBriefly(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`{"format": 1, "name": "Flood", "start_date": "2027-01-01", "assumptions": {"node_hourly": 1, "node_rps": 10, "target_utilization": 0.5`)
	for i := 0; i < 100_000; i++ {
		fmt.Fprintf(&b, `, "junk%d": 1`, i)
	}
	b.WriteString(`}, "phases": [{"name": "Only", "days": 30, "calls_per_day": 86400}]}`)
	_, err := Parse([]byte(b.String()))
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != jsonfile.MaxProblems+1 || !strings.Contains(errs[jsonfile.MaxProblems].Msg, "more problems") {
		t.Errorf("%d problems listed, want %d and a note", len(errs), jsonfile.MaxProblems+1)
	}
	// The note is located too, at the first problem it does not list: the
	// 101st unknown key.
	if last := errs[len(errs)-1]; last.Path != `assumptions.junk100` {
		t.Errorf("the note is at %q, want assumptions.junk100", last.Path)
	}
	long := strings.Replace(minimal, `"name": "Only"`, `"name": "`+strings.Repeat("x", 5_000_000)+`"`, 1)
	if _, err := Parse([]byte(long)); err == nil || !strings.Contains(err.Error(), "has 5,000,000 characters; a name may have at most 200") {
		t.Errorf("a 5M-character name: %v", err)
	}
	p := parseMinimal(t, "", "")
	if _, err := SetInput(p, 0, KeyName, strings.Repeat("y", 201)); err == nil {
		t.Errorf("a 201-character name was typed in")
	}
}

// A plan spans only dates a workbook can hold, and day counts are right
// centuries away from 1899 (issue #10, item 8).
func TestDatesAWorkbookCanHold(t *testing.T) {
	t.Parallel()
	// 30 days from 9999-12-15: the last is 10000-01-13.
	late := strings.Replace(minimal, `"start_date": "2027-01-01"`, `"start_date": "9999-12-15"`, 1)
	if _, err := Parse([]byte(late)); err == nil || !strings.Contains(err.Error(), "the plan would end on 10000-01-13, after 9999-12-31") {
		t.Errorf("a plan past 9999: %v", err)
	}
	early := strings.Replace(minimal, `"start_date": "2027-01-01"`, `"start_date": "1900-02-28"`, 1)
	if _, err := Parse([]byte(early)); err == nil || !strings.Contains(err.Error(), "start_date: must be on or after 1900-03-01") {
		t.Errorf("a plan before March 1900: %v", err)
	}
	// 1899-12-30 to 9999-12-31 is 2,958,465 days (Excel's serial of 9999-12-31).
	if got := NewDate(9999, 12, 31).DaysSince(NewDate(1899, 12, 30)); got != 2_958_465 {
		t.Errorf("days to 9999-12-31 = %d, want 2,958,465", got)
	}
}
