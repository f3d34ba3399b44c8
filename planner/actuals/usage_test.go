package actuals

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scaleplan/scaleplan/planner"
)

func TestAUsageCSVIsReadByDay(t *testing.T) {
	var u Usage
	err := u.ParseCSV("u.csv", []byte("\ufeffDate,calls,p99_ms,nodes\n2027-01-04,480000,150,2\n2027-01-05,480000.4,,2.5\n"))
	if err != nil {
		t.Fatal(err)
	}
	d1, d2 := planner.NewDate(2027, 1, 4), planner.NewDate(2027, 1, 5)
	if u.Days["calls"][d2].String() != "480000" || u.Days["nodes"][d2].String() != "2.5" || u.Days["p99_ms"][d1].String() != "150" {
		t.Errorf("read %v", u.Days)
	}
	if _, ok := u.Days["p99_ms"][d2]; ok {
		t.Error("an empty cell is no value, not 0")
	}
	if f := u.Files[0]; f.Kind != "usage CSV" || f.First != d1 || f.Last != d2 || len(f.SHA256) != 64 {
		t.Errorf("file %+v", f)
	}
}

func TestBadUsageIsRefusedByRowAndColumn(t *testing.T) {
	for _, c := range []struct{ csv, want string }{
		{"day,calls\n2027-01-04,5\n", `column 1, "day" is not a figure scaleplan reads`},
		{"date,callz\n", `column 2, "callz" is not a figure`},
		{"date\n2027-01-04\n", "needs a date column and at least one of calls"},
		{"date,calls\n2027-02-30,5\n", `line 2, date: "2027-02-30" is not a date written YYYY-MM-DD`},
		{"date,calls\n2027-01-04,5\n2027-01-04,6\n", "line 3, date: 2027-01-04 is on line 2 already"},
		{"date,calls\n2027-01-04,five\n", `line 2, calls: "five" is not a number`},
		{"date,calls\n2027-01-04,-5\n", "line 2, calls: -5 is below zero"},
		{"date,utilization\n2027-01-04,1.5\n", "line 2, utilization: 1.5 is more than 1"},
		{"date,calls\n", "a header and no days"},
	} {
		var u Usage
		if err := u.ParseCSV("u.csv", []byte(c.csv)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.csv, err, c.want)
		}
		if len(u.Days) != 0 {
			t.Errorf("%q: a refused file left %v", c.csv, u.Days)
		}
	}
}

// A Prometheus range query's JSON, as its HTTP API documents it: values
// are [unix seconds, "text"]. With step=1d, a sample at midnight UTC is
// the day that ended then.
func TestPrometheusMatrixIsReadByTheDayItStandsFor(t *testing.T) {
	mid := time.Date(2027, 1, 5, 0, 0, 0, 0, time.UTC).Unix() // 2027-01-05T00:00Z: the day 2027-01-04
	if SampleDay(time.Unix(mid, 0)) != planner.NewDate(2027, 1, 4) || SampleDay(time.Unix(mid+1, 0)) != planner.NewDate(2027, 1, 5) {
		t.Fatal("midnight rule")
	}
	calls := `{"status":"success","data":{"resultType":"matrix","result":[
	  {"metric":{"instance":"vllm-0"},"values":[[1798416000,"240000.6"],[1798502400,"250000"]]},
	  {"metric":{"instance":"vllm-1"},"values":[[1798416000,"240000"],[1798502400,"NaN"]]}]}}`
	var u Usage
	if err := u.ParsePrometheus("calls", "calls.json", []byte(calls)); err != nil {
		t.Fatal(err)
	}
	// 1798416000 is 2026-12-28T00:00Z: the day 2026-12-27; the two series add
	// (240,001 rounded + 240,000); NaN is no sample.
	if got := u.Days["calls"][planner.NewDate(2026, 12, 27)].String(); got != "480001" {
		t.Errorf("calls on 2026-12-27: %s", got)
	}
	if got := u.Days["calls"][planner.NewDate(2026, 12, 28)].String(); got != "250000" {
		t.Errorf("calls on 2026-12-28: %s", got)
	}
	// A latency's day keeps its worst sample; nodes average.
	p99 := `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1798420000,"150"],[1798430000,"190.5"],[1798440000,"170"]]}]}}`
	if err := u.ParsePrometheus("p99_ms", "p99.json", []byte(p99)); err != nil {
		t.Fatal(err)
	}
	if got := u.Days["p99_ms"][planner.NewDate(2026, 12, 28)].String(); got != "190.5" {
		t.Errorf("p99 %s", got)
	}
	// Prometheus writes floats in full (17 significant digits) and a step
	// not aligned to the second: both are read exactly.
	fine := `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"x"},"values":[[1798420000.132,"189.74293514080933"]]}]}}`
	if err := u.ParsePrometheus("ttft_p99_ms", "fine.json", []byte(fine)); err != nil {
		t.Fatal(err)
	}
	if got := u.Days["ttft_p99_ms"][planner.NewDate(2026, 12, 28)].String(); got != "189.74293514080933" {
		t.Errorf("ttft %s", got)
	}
	nodes := `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1798420000,"2"],[1798430000,"3"]]}]}}`
	if err := u.ParsePrometheus("nodes", "n.json", []byte(nodes)); err != nil {
		t.Fatal(err)
	}
	if got := u.Days["nodes"][planner.NewDate(2026, 12, 28)].String(); got != "2.5" {
		t.Errorf("nodes %s", got)
	}
	for _, c := range []struct{ key, json, want string }{
		{"calls", `{"status":"error","errorType":"bad_data","error":"parse error at char 5"}`, "the query failed: bad_data: parse error at char 5"},
		{"calls", `{"status":"success","data":{"resultType":"vector","result":[]}}`, `resultType is "vector"`},
		{"calls", `{"status":"success","data":{"resultType":"matrix","result":[]}}`, "returned no series"},
		{"p99_ms", `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"]]},{"metric":{},"values":[[1,"2"]]}]}}`, "2 series; a latency quantile cannot be added"},
		{"p99_ms", `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1798420000,"+Inf"]]}]}}`, "data.result[0].values[0]: +Inf"},
		{"calls", `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[["x","1"]]}]}}`, "data.result[0].values[0]: expected [unix time"},
		{"calls", `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1798420000,"NaN"]]}]}}`, "every sample is NaN"},
		{"calls", `date,calls`, "not the JSON of a Prometheus query"},
	} {
		var u Usage
		if err := u.ParsePrometheus(c.key, "q.json", []byte(c.json)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.json, err, c.want)
		}
	}
	if err := u.ReadUsage("latency=q.json"); err == nil || !strings.Contains(err.Error(), `no figure is named "latency"`) {
		t.Errorf("unknown figure: %v", err)
	}
}

// Files are read through the guarded reader: a 1 GB file is refused by
// its size before a byte is read, and a folder of bill parts is read
// part by part.
func TestHugeFilesAreRefusedAndFoldersRead(t *testing.T) {
	dir := t.TempDir()
	huge := filepath.Join(dir, "huge.csv")
	f, err := os.Create(huge)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 30); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	if _, err := ReadBill(huge); err == nil || !strings.Contains(err.Error(), "is larger than") {
		t.Errorf("1 GB bill: %v", err)
	}
	var u Usage
	if err := u.ReadUsage(huge); err == nil || !strings.Contains(err.Error(), "is larger than") {
		t.Errorf("1 GB usage: %v", err)
	}
	parts := filepath.Join(dir, "parts")
	_ = os.Mkdir(parts, 0o755)
	head := "ChargePeriodStart,ChargePeriodEnd,ChargeCategory,EffectiveCost\n"
	_ = os.WriteFile(filepath.Join(parts, "part-0.csv"), []byte(head+"2027-01-04T00:00:00Z,2027-01-05T00:00:00Z,Usage,1\n"), 0o644)
	_ = os.WriteFile(filepath.Join(parts, "part-1.csv"), []byte(head+"2027-01-05T00:00:00Z,2027-01-06T00:00:00Z,Usage,2\n"), 0o644)
	_ = os.WriteFile(filepath.Join(parts, "manifest.json"), []byte("{}"), 0o644)
	bills, err := ReadBills([]string{parts})
	if err != nil || len(bills) != 2 || len(bills[0].Rows)+len(bills[1].Rows) != 2 {
		t.Errorf("folder: %v, %d bills", err, len(bills))
	}
	empty := filepath.Join(dir, "empty")
	_ = os.Mkdir(empty, 0o755)
	if _, err := ReadBills([]string{empty}); err == nil || !strings.Contains(err.Error(), "no .csv or .csv.gz part") {
		t.Errorf("empty folder: %v", err)
	}
}
