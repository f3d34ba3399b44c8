package loadtest

import (
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/planner"
)

// Every real file's token latencies are read as the README's "Token
// latencies" table has them, worked out by hand from each file's fields
// and units (GuideLLM in ms, AIPerf with its unit, LLMPerf in seconds).
func TestRealFilesTokenLatencies(t *testing.T) {
	t.Parallel()
	rows := 0
	for _, cells := range realTokenTable(t) {
		rows++
		data, err := os.ReadFile("../../testdata/bench/real/" + cells[0])
		if err != nil {
			t.Fatal(err)
		}
		f, err := Read(cells[0], data)
		if err != nil {
			t.Fatalf("%s: %v", cells[0], err)
		}
		if len(f.Runs) != 1 {
			t.Fatalf("%s: %d runs, want the one the table has", cells[0], len(f.Runs))
		}
		r := f.Runs[0]
		for k, got := range []planner.Opt[decimal.Decimal]{r.TTFT.MeanMs, r.TTFT.P50Ms, r.TTFT.P99Ms, r.ITL.MeanMs, r.ITL.P50Ms, r.ITL.P99Ms} {
			if want := cells[k+1]; !got.Valid || got.Val.StringFixed(3) != want {
				t.Errorf("%s column %d: %v, want %s", cells[0], k+1, got, want)
			}
		}
	}
	if rows < 8 {
		t.Errorf("the table has %d files, want every real JSON file with token latencies", rows)
	}
}

// realTokenTable is the real files' README's "Token latencies" table, a
// row a file: its name, then TTFT mean, p50, p99 and ITL mean, p50, p99.
func realTokenTable(t *testing.T) [][]string {
	t.Helper()
	readme, err := os.ReadFile("../../testdata/bench/real/README.md")
	if err != nil {
		t.Fatal(err)
	}
	section := string(readme)[strings.Index(string(readme), "## Token latencies"):]
	var rows [][]string
	for _, line := range strings.Split(section, "\n") {
		if cells := strings.Split(strings.Trim(line, "| "), " | "); len(cells) == 7 && strings.HasSuffix(cells[0], ".json") {
			rows = append(rows, cells)
		}
	}
	return rows
}
