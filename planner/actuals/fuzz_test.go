package actuals

import (
	"os"
	"path/filepath"
	"testing"
)

// Any bytes, read as a bill or as usage, give a reading or a refusal in
// words: never a panic, and never both.
func FuzzReadActuals(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/actuals/*.csv")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		if len(b) > 4000 {
			b = b[:4000]
		}
		f.Add(b)
	}
	f.Add([]byte(`{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1798416000,"1"]]}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ParseBill("fuzz.csv", data)
		if err == nil && b.SHA256 == "" || err != nil && err.Error() == "" {
			t.Fatalf("bill: %v", err)
		}
		var u Usage
		if err := u.ParseCSV("fuzz.csv", data); err != nil && len(u.Days) > 0 {
			t.Fatalf("a refused usage CSV left days: %v", err)
		}
		var v Usage
		if err := v.ParsePrometheus("calls", "fuzz.json", data); err != nil && len(v.Days) > 0 {
			t.Fatalf("a refused query left days: %v", err)
		}
	})
}
