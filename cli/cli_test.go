package cli

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/prices"
)

const seed = "../testdata/seed-roadmap.json"

func run(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Run(&Env{Stdout: &out, Stderr: &errb}, args)
	return code, out.String(), errb.String()
}

func TestValidateExitCodes(t *testing.T) {
	if code, out, _ := run("validate", seed); code != ExitOK || !strings.Contains(out, "valid plan") {
		t.Errorf("valid plan: exit %d, %q", code, out)
	}
	code, _, errs := run("validate", "../testdata/invalid-plan.json")
	if code != ExitInvalid {
		t.Errorf("invalid plan: exit %d, want 1", code)
	}
	for _, want := range []string{
		"is not a valid plan (5 problems):",
		`start_date: must be a real date written YYYY-MM-DD, got "2027-02-30"`,
		"assumptions.target_utilization: must be a number > 0 and ≤ 1, got 1.2",
		"phases[1].days: must be a whole number from 1 to 36,500, got 0",
		"phases[1].nodes: must be a whole number from 0 to 1,000,000, got 1.5",
		`phases[1].scaling: must be one of "fixed", "autoscale" or "predictive", got "elastic"`,
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if code, _, errs := run("validate", "no-such-plan.json"); code != ExitInvalid || !strings.Contains(errs, "no such file") {
		t.Errorf("missing file: exit %d, %q", code, errs)
	}
	if code, _, _ := run("validate"); code != ExitUsage {
		t.Errorf("no argument: exit %d, want 2", code)
	}
	if code, _, _ := run("validate", "--bogus", seed); code != ExitUsage {
		t.Errorf("unknown flag: exit %d, want 2", code)
	}
	if code, _, _ := run("frobnicate", "x", "y"); code != ExitUsage {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
}

func TestHelpOnEveryCommand(t *testing.T) {
	args := [][]string{{"--help"}}
	for _, c := range commands {
		args = append(args, []string{c.name, "--help"})
	}
	args = append(args, []string{"compute", "-h"}, []string{"import-bench", "x.json", "-help"})
	for _, args := range args {
		code, out, errs := run(args...)
		if code != ExitOK || !strings.Contains(out, "Usage") && !strings.Contains(out, "usage") {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
		if errs != "" || strings.Count(out, "Usage") > 1 {
			t.Errorf("%v: help said twice, or on standard error: %q / %q", args, out, errs)
		}
	}
	if _, out, _ := run("compute", "--help"); !strings.Contains(out, "-json") {
		t.Errorf("compute --help does not describe --json:\n%s", out)
	}
}

func TestComputeTableShowsTheModel(t *testing.T) {
	code, out, errs := run("compute", seed)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// Figures from the hand-worked seed (planner/model_test.go).
	for _, want := range []string{
		"Baseline", "Phase 1", "Phase 2", "Total",
		"2027-01-04 – 2027-04-03",
		"DATA INGESTION", "MODEL SERVING", "LATENCY BUDGET", "COST CONTROLS",
		"$29,721.60", "$88,949.21", "$115,912.28", "$125,321.71",
		"Break-even on day 112 (2027-04-25), in Phase 1.",
		"✗ Phase 1: p99 223.8 ms at 08:00, the worst hour, is over the 200 ms target",
		"✗ Baseline: average GPU utilization 13.0 % is below the 40.0 % floor",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q", want)
		}
	}
}

func TestComputeJSONShape(t *testing.T) {
	for _, args := range [][]string{{"compute", "--json", seed}, {"compute", seed, "--json"}} {
		code, out, errs := run(args...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d: %s", args, code, errs)
		}
		var got struct {
			Name   string
			Phases []struct {
				Name           string           `json:"name"`
				EndDate        string           `json:"end_date"`
				RequiredNodes  int64            `json:"required_nodes"`
				NodeHours      int64            `json:"node_hours"`
				OverflowCalls  json.Number      `json:"overflow_calls"`
				AvgUtilization *json.Number     `json:"avg_utilization"`
				Cost           map[string]any   `json:"cost"`
				CostPerCall    *string          `json:"cost_per_call"`
				BreakEven      *int64           `json:"break_even_calls_per_day"`
				Checks         []map[string]any `json:"checks"`
			} `json:"phases"`
			Totals struct {
				Calls int64             `json:"calls"`
				Cost  map[string]string `json:"cost"`
			} `json:"totals"`
			BreakEven struct {
				Day  *int64  `json:"day"`
				Date *string `json:"date"`
			} `json:"break_even"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out)
		}
		p1 := got.Phases[1]
		if p1.NodeHours != 5310 || p1.OverflowCalls != "0" || p1.Cost["batch"] != "0.00" || p1.Cost["total"] != "115912.28" {
			t.Errorf("phase 1 = %+v", p1)
		}
		if got.Phases[0].CostPerCall == nil || *got.Phases[0].CostPerCall != "0.001977" || got.Phases[0].BreakEven == nil || *got.Phases[0].BreakEven != 659000 {
			t.Errorf("baseline per-call figures wrong: %+v", got.Phases[0])
		}
		if string(*got.Phases[0].AvgUtilization) != "0.1303" {
			t.Errorf("utilization = %s, want 0.1303 (a fraction, 4 places)", *got.Phases[0].AvgUtilization)
		}
		if got.BreakEven.Day == nil || *got.BreakEven.Day != 112 || *got.BreakEven.Date != "2027-04-25" {
			t.Errorf("break_even = %+v", got.BreakEven)
		}
		if got.Totals.Calls != 675_000_000 {
			t.Errorf("totals.calls = %d", got.Totals.Calls)
		}
		for _, k := range []string{"gpu", "storage", "iops", "network", "batch", "fixed", "total"} {
			if _, ok := got.Totals.Cost[k]; !ok {
				t.Errorf("totals.cost lacks %q", k)
			}
		}
		if len(p1.Checks) != 5 || p1.Checks[0]["name"] != "consistency" || p1.Checks[4]["name"] != "overflow" || p1.Checks[4]["ok"] != true ||
			p1.Checks[3]["name"] != "p99" || p1.Checks[3]["ok"] != false {
			t.Errorf("checks = %v", p1.Checks)
		}
	}
}

func TestComputeJSONLatency(t *testing.T) {
	_, out, _ := run("compute", "--json", seed)
	var got struct {
		Phases []struct {
			P99Ms         *float64 `json:"p99_ms"`
			P99Hour       *int     `json:"p99_hour"`
			P99DayMs      *float64 `json:"p99_day_ms"`
			P50Ms         *float64 `json:"p50_ms"`
			RequiredP99   *int64   `json:"required_nodes_p99"`
			RequiredUtil  int64    `json:"required_nodes_utilization"`
			SizingBound   string   `json:"sizing_bound"`
			LatencyBudget *struct {
				Nodes       int64    `json:"nodes"`
				ServiceMs   float64  `json:"service_ms"`
				Utilization float64  `json:"utilization"`
				QueueP99Ms  *float64 `json:"queue_p99_ms"`
				TargetMs    *float64 `json:"target_ms"`
			} `json:"latency_budget"`
			Hours []struct {
				Hour  int      `json:"hour"`
				Nodes int64    `json:"nodes"`
				P99Ms *float64 `json:"p99_ms"`
			} `json:"hours"`
		} `json:"phases"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	// Phase 2's worst hour is 21:00 (planner/latency_test.go): 3 nodes at
	// ρ = 41.67 × 0.045 / 3 = 0.625. The JSON renders the engine's figures to 0.1 ms.
	p, err := planner.Load(seed)
	if err != nil {
		t.Fatal(err)
	}
	l := planner.Compute(p).Phases[2].Latency
	p2 := got.Phases[2]
	if p2.P99Ms == nil || *p2.P99Ms != math.Round(l.P99Ms*10)/10 || p2.P99Hour == nil || *p2.P99Hour != 21 || p2.LatencyBudget == nil ||
		p2.LatencyBudget.Nodes != 3 || *p2.LatencyBudget.TargetMs != 200 || p2.LatencyBudget.ServiceMs != 45 ||
		*p2.LatencyBudget.QueueP99Ms != math.Round(l.Worst().QueueP99Ms*10)/10 || p2.LatencyBudget.Utilization != 0.625 {
		t.Errorf("Phase 2 latency: %+v %+v", p2, p2.LatencyBudget)
	}
	if len(p2.Hours) != 24 || p2.Hours[21].Nodes != 3 || p2.Hours[13].Nodes != 8 || p2.P99DayMs == nil || p2.P50Ms == nil {
		t.Errorf("Phase 2 hours: %+v", p2.Hours)
	}
	if *p2.RequiredP99 != 6 || p2.RequiredUtil != 8 || p2.SizingBound != "utilization" {
		t.Errorf("Phase 2 sizing: %+v", p2)
	}
	b := got.Phases[0]
	if *b.RequiredP99 != 2 || b.SizingBound != "min_nodes" {
		t.Errorf("Baseline sizing: %+v", b)
	}
	// A plan without latency inputs: null, not zero.
	_, out, _ = run("compute", "--json", "../testdata/l4-fleet.json")
	if !strings.Contains(out, `"p99_ms": null`) || !strings.Contains(out, `"latency_budget": null`) {
		t.Errorf("a plan without a latency model should give null latency")
	}
}

func TestComputeJSONUsesNullForNone(t *testing.T) {
	_, out, _ := run("compute", "--json", "../testdata/unprofitable-chat.json")
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	quiet := got["phases"].([]any)[2].(map[string]any)
	if quiet["cost_per_call"] != nil || quiet["break_even_calls_per_day"] != nil {
		t.Errorf("a phase without calls: cost_per_call %v, break-even %v; want null", quiet["cost_per_call"], quiet["break_even_calls_per_day"])
	}
	be := got["break_even"].(map[string]any)
	if be["day"] != nil || be["date"] != nil {
		t.Errorf("break_even = %v, want nulls", be)
	}
	if strings.Contains(out, "NaN") || strings.Contains(out, "Inf") {
		t.Errorf("NaN or Inf in output")
	}
}

func TestOpenAppAndExportAreWiredThroughEnv(t *testing.T) {
	var opened, scenario string
	rehearsing := false
	env := &Env{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, OpenApp: func(p string, o AppOptions) error {
		opened, rehearsing, scenario = p, o.Rehearse, o.Scenario
		return nil
	}}
	if code := Run(env, []string{seed}); code != ExitOK || opened != seed {
		t.Errorf("scaleplan PLAN: exit %d opened %q", code, opened)
	}
	if code := Run(env, nil); code != ExitOK || opened != "" || rehearsing {
		t.Errorf("scaleplan: exit %d opened %q", code, opened)
	}
	if code := Run(env, []string{"rehearse", seed}); code != ExitOK || opened != seed || !rehearsing {
		t.Errorf("scaleplan rehearse: exit %d opened %q rehearse=%v", code, opened, rehearsing)
	}
	if code := Run(env, []string{"rehearse", seed, "--scenario", "Traffic 30 % higher"}); code != ExitOK || scenario != "Traffic 30 % higher" || !rehearsing {
		t.Errorf("scaleplan rehearse --scenario: exit %d, scenario %q", code, scenario)
	}
	if code := Run(env, []string{"rehearse", "../testdata/invalid-plan.json"}); code != ExitInvalid {
		t.Errorf("rehearsing an invalid plan: exit %d, want 1", code)
	}
	var exported string
	env.Export = func(p planner.Plan, r *planner.Result, _ prices.Catalog, out string) error {
		exported = out
		return nil
	}
	if code := Run(env, []string{"export", seed}); code != ExitOK || exported != "../testdata/seed-roadmap.xlsx" {
		t.Errorf("export default name: exit %d, %q", code, exported)
	}
	if code := Run(env, []string{"export", seed, "-o", "x.xlsx"}); code != ExitOK || exported != "x.xlsx" {
		t.Errorf("export -o: exit %d, %q", code, exported)
	}
	if code := Run(env, []string{"export", "../testdata/invalid-plan.json", "-o", "y.xlsx"}); code != ExitInvalid || exported != "x.xlsx" {
		t.Errorf("export of an invalid plan: exit %d, wrote %q", code, exported)
	}
}

func TestExplainSaysTheSizingAloud(t *testing.T) {
	code, out, errs := run("explain", seed)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{
		"1. Rough estimate: 5,000,000 calls a day is 57.870 req/s on average",
		"2. Back of the envelope: a node serves 22.2 req/s flat out; planned at 70 % it carries 15.54 req/s, so the peak needs 8 nodes",
		"The worst hour is 21:00: 41.7 req/s on 3 nodes (3 servers) at 62.5 % utilization",
		"The autoscaler runs at 08:00 what the previous hour's load needed (2 nodes), a step behind the ramp; predictive provisioning",
		"4. Cost: GPU $65,635.20 = 9,540 node-hours × $6.88",
		"Batch-size hypothesis", "large-batch8 runs 8 slots a node against large's 1 slot", "refuted",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("explain lacks %q", want)
		}
	}
	if _, out, _ := run("explain", "../testdata/l4-fleet.json"); !strings.Contains(out, "3. Latency: not estimated") {
		t.Errorf("a plan without a latency model should say so")
	}
	if code, _, _ := run("explain", "../testdata/invalid-plan.json"); code != ExitInvalid {
		t.Errorf("invalid plan: exit %d", code)
	}
}

func TestCurveAndSensitivityCommands(t *testing.T) {
	code, out, errs := run("curve", seed, "--phase", "3", "--points", "8")
	if code != ExitOK {
		t.Fatalf("curve: exit %d %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	// A header and 8 volumes: 1.25M, 2.5M … 10M calls a day; the planned 5M is
	// Phase 2's own day on 8 nodes: 125,321.71 / 90 = 1,392.46 and $0.000278 a call.
	if len(lines) != 9 || !strings.HasPrefix(lines[4], "5000000,8,1392.46,0.000278,") || !strings.HasSuffix(lines[4], ",planned volume; node step") {
		t.Errorf("curve CSV:\n%s", out)
	}
	code, out, _ = run("curve", seed, "--phase", "Phase 2", "--json", "--points", "4")
	if code != ExitOK || !strings.Contains(out, `"break_even_calls_per_day": 659098`) || !strings.Contains(out, `"planned": true`) {
		t.Errorf("curve JSON: exit %d\n%s", code, out)
	}
	if code, _, errs := run("curve", seed); code != ExitUsage || !strings.Contains(errs, "--phase is required") {
		t.Errorf("curve without --phase: exit %d %q", code, errs)
	}
	if code, _, errs := run("curve", seed, "--phase", "9"); code != ExitUsage || !strings.Contains(errs, `no phase "9"`) {
		t.Errorf("curve --phase 9: exit %d %q", code, errs)
	}
	code, out, _ = run("sensitivity", seed, "--phase", "3")
	// Node price for Phase 2: ±20 % of $65,635.20 of GPU over 450M calls is
	// ±$0.0000292 around $0.000278: $0.000249 … $0.000308.
	if code != ExitOK || !regexp.MustCompile(`Node price +5\.504 … 8\.256 +\$0\.000249 … \$0\.000308 +±\$0\.000029`).MatchString(out) {
		t.Errorf("sensitivity:\n%s", out)
	}
	code, out, _ = run("sensitivity", seed, "--json")
	if code != ExitOK || strings.Count(out, `"phase":`) != 3 || !strings.Contains(out, `"input": "node_hourly"`) {
		t.Errorf("sensitivity JSON: exit %d", code)
	}
}

// "-" reads the plan from standard input instead of spinning forever, and
// a pipe or a directory is refused at once, not waited on (issue #10, item 9).
func TestDashAndNonRegularFiles(t *testing.T) {
	data, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	var out, errs bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errs, Stdin: bytes.NewReader(data)}
	done := make(chan int, 1)
	go func() { done <- Run(env, []string{"validate", "-"}) }()
	select {
	case code := <-done:
		if code != ExitOK || !strings.Contains(out.String(), "valid plan") {
			t.Errorf("validate -: exit %d\n%s%s", code, out.String(), errs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("validate - did not finish")
	}
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{fifo: "is a named pipe, not a plan file", dir: "is a directory, not a plan file"} {
		go func() { code, _, errs := run("validate", path); done <- code; _ = errs }()
		select {
		case code := <-done:
			if code != ExitInvalid {
				t.Errorf("validate %s: exit %d", path, code)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("validate %s blocked", path)
		}
		if _, _, errs := run("validate", path); !strings.Contains(errs, want) {
			t.Errorf("validate %s: %q lacks %q", path, errs, want)
		}
	}
}

// Exporting onto the plan itself is refused and the plan is untouched
// (issue #10, item 7), through a link as well.
func TestExportRefusesToOverwriteThePlan(t *testing.T) {
	dir, plan, data := seedCopy(t)
	link := filepath.Join(dir, "link.json")
	os.Symlink(plan, link)
	for _, target := range []string{plan, link, filepath.Join(dir, ".", "plan.json")} {
		code, _, errs := run("export", plan, "-o", target)
		if code != ExitUsage || !strings.Contains(errs, "is the plan itself") {
			t.Errorf("export -o %s: exit %d %q", target, code, errs)
		}
		if got, _ := os.ReadFile(plan); !bytes.Equal(got, data) {
			t.Fatalf("the plan was changed")
		}
	}
}

// Escape sequences in plan text are written escaped, never raw, so printing
// a plan cannot retitle or clear the terminal (issue #10, item 13).
func TestPlanTextIsTerminalSafe(t *testing.T) {
	data, _ := os.ReadFile(seed)
	evil := strings.Replace(string(data), `"name": "Baseline"`, `"name": "Base\u001b]0;pwned\u0007line\u009b2J"`, 1)
	evil = strings.ReplaceAll(evil, `phases[Baseline]`, `phases[Base\u001b]0;pwned\u0007line\u009b2J]`) // the scenarios follow the rename
	path := filepath.Join(t.TempDir(), "evil.json")
	os.WriteFile(path, []byte(evil), 0o644)
	for _, args := range [][]string{{"compute", path}, {"explain", path}, {"sensitivity", path, "--phase", "1"}, {"simulate", path, "--phase", "1"}} {
		code, out, errs := run(args...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d %s", args, code, errs)
		}
		if strings.ContainsAny(out, "\x1b\x07\u009b") {
			t.Errorf("%v printed a raw control character", args)
		}
		if !strings.Contains(out, `Base\x1b]0;pwned\x07line\u009b2J`) {
			t.Errorf("%v: the name is not shown escaped", args)
		}
	}
	// JSON keeps its own escapes and stays valid.
	if _, out, _ := run("compute", "--json", path); !json.Valid([]byte(out)) || !strings.Contains(out, `\u001b`) {
		t.Errorf("compute --json is not valid JSON with the name escaped")
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := run("--version")
	if code != ExitOK || !strings.HasPrefix(out, "scaleplan 0.2.0") || !strings.Contains(out, "reads plan formats 1 to 2") {
		t.Errorf("--version: exit %d %q", code, out)
	}
}
