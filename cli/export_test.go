package cli_test

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/scaleplan/scaleplan/cli"
	"github.com/scaleplan/scaleplan/export"
)

func TestExportCommandWritesTheWorkbook(t *testing.T) {
	out := filepath.Join(t.TempDir(), "plan.xlsx")
	var stdout, stderr bytes.Buffer
	env := &cli.Env{Stdout: &stdout, Stderr: &stderr, Export: export.WriteFile}
	if code := cli.Run(env, []string{"export", "../testdata/seed-roadmap.json", "-o", out}); code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// The per-hour p99 node counts sit on the Hourly sheet (as values at
	// export); the seed's scenarios on their own sheet, each a live model
	// of its own on sheets tagged with its number.
	want := []string{"Summary", "Roadmap", "Model", "Inputs", "Hourly", "Curve", "Sensitivity", "Timeline", "Scenarios", "Commitments"}
	for _, k := range []string{"1", "2", "3"} {
		want = append(want, "Inputs_S"+k, "Model_S"+k, "Hourly_S"+k, "Timeline_S"+k)
	}
	got := f.GetSheetList()
	if len(got) != len(want) {
		t.Fatalf("sheets %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("sheet %d is %q, want %q", i, got[i], want[i])
		}
	}
	if title, _ := f.GetCellValue("Summary", "A1"); title != "Inference roadmap: 500k to 5M calls a day" {
		t.Errorf("Summary!A1 = %q", title)
	}
	props, _ := f.GetDocProps()
	if props.Title != "Inference roadmap: 500k to 5M calls a day" {
		t.Errorf("document title = %q", props.Title)
	}
}
