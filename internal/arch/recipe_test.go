package arch

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The recipes of docs/architecture.md, followed on a copy of the source: a
// new cost line with the input it needs, written where the recipe says and
// nowhere else, must show in every face — the result's JSON, the table,
// explain, the grid's lines, the cost chart, the workbook's Model and
// Inputs sheets, the plan file (format 2) and a scenario's edit — and must
// leave every figure of the plans that do not use it as it was. (A new CLI
// command and a new app tab are shown by cli's and ui's own tests.)
func TestTheCostLineAndInputRecipesAreComplete(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a copy of the source: not in -short")
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files, err := exec.Command("git", "-C", root, "ls-files").Output()
	if err != nil {
		t.Skip("not a git checkout:", err)
	}
	for _, f := range strings.Fields(string(files)) {
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			continue // deleted in the work tree
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	edit := func(file, anchor, insert string, after bool) {
		t.Helper()
		path := filepath.Join(dir, file)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s := string(b)
		if strings.Count(s, anchor) != 1 {
			t.Fatalf("%s: the recipe's anchor %q is not there exactly once: the recipe in docs/architecture.md needs a look", file, anchor)
		}
		if after {
			s = strings.Replace(s, anchor, anchor+insert, 1)
		} else {
			s = strings.Replace(s, anchor, insert+anchor, 1)
		}
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// 1. The input: its field in Assumptions and its Field.
	edit("planner/plan.go", "\tFixedMonthly       decimal.Decimal\n", "\tProbeDaily decimal.Decimal // the recipe test's input\n", true)
	edit("planner/fields.go", "\t{Key: \"fixed_monthly\",",
		"\t{Key: \"probe_daily\", Label: \"Probe\", Unit: \"/day\", Kind: KindDecimal, Money: true, rule: nonNegative, Since: 2,\n"+
			"\t\tdec: func(a *Assumptions) *decimal.Decimal { return &a.ProbeDaily }},\n", false)
	// 2. Its row in the grid.
	edit("report/lines.go", "\tinputLine(GroupCost, \"fixed_monthly\",",
		"\tinputLine(GroupCost, \"probe_daily\", FormatMoney, func(c *cellCtx, a *planner.Assumptions) string { return c.money(a.ProbeDaily) }),\n", false)
	// 3. The cost line: its key and catalogue entry, and its words.
	edit("planner/costlines.go", "\tnumCostLines\n", "\tCostProbe\n", false)
	edit("planner/costlines.go", "\t// A new line goes last, as its CostKey goes last above.",
		"\t{Key: CostProbe, Moves: MovesNot, Focus: FocusOther, JSONKey: \"probe\", LineKey: \"probe_cost\", Label: \"Probe\", Driver: \"probe a day × days\", Colour: \"#5b3a8e\", Formula: \"{probe_daily}*{days}\",\n"+
			"\t\tcompute: func(out *PhaseResult, a *Assumptions, _ *Phase) decimal.Decimal { return a.ProbeDaily.Mul(decimal.NewFromInt(out.Days)) }},\n", false)
	edit("report/costwords.go", "var costLineWords = map[planner.CostKey]func(p *planner.PhaseResult, cur string) string{\n",
		"\tplanner.CostProbe: func(p *planner.PhaseResult, cur string) string {\n"+
			"\t\treturn fmt.Sprintf(\"probe %s = %s days × %s\", format.Money(p.Cost.Of(planner.CostProbe), cur), format.Count(p.Days), format.Money(p.Inputs.ProbeDaily, cur))\n\t},\n", true)
	probe, err := os.ReadFile("testdata/probe_recipe_test.go.txt")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "export", "probe_recipe_test.go"), probe, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "test", "-tags", "ci", "-count=1",
		"-run", "TestProbeRecipe|Catalogue|ByHand|RoundTrip|EveryInput|Lines|PrintedParts|PhaseInputs", "./planner/", "./report/", "./export/")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the copy with the recipe's new line and input fails its tests: %v\n%s", err, out)
	}
}
