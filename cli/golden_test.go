package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/scaleplan/scaleplan/export"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/prices"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/golden from the current outputs")

// Every example plan's outputs, kept in testdata/golden: compute --json,
// explain, risk --seed 1, a diff against the seed, and the exported
// workbook's every cell (its formula and its value), as a digest. A change
// that is meant to move no figure — a refactor — must leave them all
// identical; one that moves figures regenerates them (go test ./cli -run
// Golden -update-golden) and the diff shows what moved.
func TestExampleOutputsAreUnchanged(t *testing.T) {
	plans, _ := filepath.Glob("../testdata/*.json")
	for _, plan := range plans {
		name := strings.TrimSuffix(filepath.Base(plan), ".json")
		if name == "invalid-plan" {
			continue
		}
		outputs := map[string][]string{
			"compute.json": {"compute", "--json", plan},
			"explain.txt":  {"explain", plan},
			"risk.json":    {"risk", "--seed", "1", "--draws", "300", "--json", plan},
			"diff.md":      {"diff", "--markdown", "../testdata/seed-roadmap.json", plan},
		}
		keys := make([]string, 0, len(outputs))
		for k := range outputs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			_, out, errs := run(outputs[k]...)
			golden(t, name+"."+k, out+errs)
		}
		golden(t, name+".xlsx.sha256", workbookDigest(t, plan))
	}
}

func golden(t *testing.T, file, got string) {
	t.Helper()
	path := filepath.Join("..", "testdata", "golden", file)
	if *updateGolden {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v (run with -update-golden to write it)", file, err)
	}
	if string(want) != got {
		t.Errorf("%s changed:\n%s", file, firstDifference(string(want), got))
	}
}

// firstDifference shows the first line that differs.
func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d:\n  was: %s\n  now: %s", i+1, x, y)
		}
	}
	return "(same lines, different endings)"
}

// workbookDigest is the SHA-256 of every cell of the plan's workbook, sheet
// by sheet, each as its address, formula and cached value.
func workbookDigest(t *testing.T, plan string) string {
	t.Helper()
	p := loadFor(t, plan)
	path := filepath.Join(t.TempDir(), "w.xlsx")
	r := computeFor(p)
	if err := export.WriteFile(p, &r, prices.Builtin(), path); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h := sha256.New()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for ri, row := range rows {
			for ci, v := range row {
				cell, _ := excelize.CoordinatesToCellName(ci+1, ri+1)
				formula, _ := f.GetCellFormula(sheet, cell)
				fmt.Fprintf(h, "%s!%s=%s|%s\n", sheet, cell, formula, v)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)) + "\n"
}

func loadFor(t *testing.T, path string) planner.Plan {
	t.Helper()
	p, err := planner.LoadIn(path, prices.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	q, err := prices.Builtin().Reprice(p) // as compute and export see it
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func computeFor(p planner.Plan) planner.Result { return planner.Compute(p) }
