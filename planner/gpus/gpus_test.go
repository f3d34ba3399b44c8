package gpus

import (
	"strings"
	"testing"
	"time"
)

// Each known trap of the public tables, guarded: vendors headline the 2:4
// sparse figure, twice the dense one a model runs at; the form factor
// changes bandwidth; B200's exposed memory is not the die's 192 GB.
func TestTheTrapsOfThePublicTables(t *testing.T) {
	for _, tc := range []struct {
		gpu, col string
		want     float64
	}{
		{"H100 SXM", "bf16_dense_tflops", 989},  // not 1,979 (sparse)
		{"H100 SXM", "fp8_dense_tflops", 1979},  // not 3,958
		{"H100 PCIe", "hbm_tb_s", 2.0},          // not the SXM's 3.35
		{"H100 PCIe", "bf16_dense_tflops", 756}, // not the SXM's 989
		{"H200 SXM", "memory_gib", 141},         //
		{"H200 SXM", "bf16_dense_tflops", 989},  // the H100's compute, more memory
		{"B200", "memory_gib", 180},             // not 192
		{"B200", "fp8_dense_tflops", 4500},      // not 9,000 (sparse)
		{"B200", "bf16_dense_tflops", 2250},     //
		{"A100 SXM 40GB", "hbm_tb_s", 1.555},    // not the 80 GB's 2.039
		{"A100 SXM 80GB", "bf16_dense_tflops", 312},
		{"L40S", "bf16_dense_tflops", 362},    // not 733
		{"L4", "fp8_dense_tflops", 242},       // not 485
		{"MI300X", "bf16_dense_tflops", 1307}, // not 2,615
	} {
		g, ok := Lookup(tc.gpu)
		if !ok {
			t.Fatalf("%s is not in the table", tc.gpu)
		}
		for _, c := range Columns {
			if c.Key == tc.col {
				if f := c.Of(&g); !f.Known || f.Value != tc.want {
					t.Errorf("%s %s = %v (known %v), want %v", tc.gpu, tc.col, f.Value, f.Known, tc.want)
				}
			}
		}
	}
}

// The issue's list is in the table, Ampere has no FP8, and a bare "H100"
// is refused with the two it may mean.
func TestTheTableHoldsTheIssuesGPUs(t *testing.T) {
	for _, n := range []string{"H100 SXM", "H100 PCIe", "H200 SXM", "B200", "A100 SXM 40GB", "A100 SXM 80GB", "L40S", "L4", "A10G", "MI300X"} {
		if _, ok := Lookup(n); !ok {
			t.Errorf("%s is missing", n)
		}
	}
	for _, n := range []string{"A100 SXM 40GB", "A100 SXM 80GB", "A10G"} {
		g, _ := Lookup(n)
		if g.FP8TFLOPS.Known {
			t.Errorf("%s has an FP8 figure", n)
		}
		if f, name := g.Dense(1); name != "BF16" || f.Value != g.BF16TFLOPS.Value {
			t.Errorf("%s computes FP8 weights at %s", n, name)
		}
	}
	msg := Unknown("H100")
	if !strings.Contains(msg, `"H100 SXM"`) || !strings.Contains(msg, `"H100 PCIe"`) {
		t.Errorf("Unknown(H100) = %q", msg)
	}
	if Unknown("h100 sxm") != "" {
		t.Error("a name in another letter case is refused")
	}
}

// A catalogue cell without a source, a date, or a value or a note is
// refused, with the GPU and the figure named.
func TestABadCatalogueIsRefused(t *testing.T) {
	cell := `{"value": 1, "source": "s", "as_of": "2026-01-01"}`
	gpu := func(mem string) string {
		return `{"gpus": [{"name": "X", "vendor": "v", "form_factor": "f", "memory_gib": ` + mem + `, "hbm_tb_s": ` + cell +
			`, "bf16_dense_tflops": ` + cell + `, "fp8_dense_tflops": ` + cell + `, "interconnect_gb_s": ` + cell + `}]}`
	}
	if _, err := read([]byte(gpu(cell))); err != nil {
		t.Fatalf("a good catalogue: %v", err)
	}
	for _, bad := range []string{`{"value": 1, "as_of": "2026-01-01"}`, `{"value": 1, "source": "s", "as_of": "soon"}`,
		`{"source": "s", "as_of": "2026-01-01"}`, `{"value": -3, "source": "s", "as_of": "2026-01-01"}`} {
		if _, err := read([]byte(gpu(bad))); err == nil || !strings.Contains(err.Error(), "X: memory_gib") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// Stale names the figures older than the age allowed.
func TestStaleNamesOldFigures(t *testing.T) {
	today, _ := time.Parse(time.DateOnly, "2026-12-05")
	if s := Stale(today, 24*time.Hour); len(s) != 0 {
		t.Errorf("fresh figures called stale: %v", s)
	}
	later := today.AddDate(1, 0, 0)
	if s := Stale(later, 180*24*time.Hour); len(s) != len(All())*len(Columns) {
		t.Errorf("a year on, %d of %d figures are stale", len(s), len(All())*len(Columns))
	}
}
