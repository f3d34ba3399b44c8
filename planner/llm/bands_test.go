package llm

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
)

// Every point of the validation grid, placed by Validated, lies inside the
// band its region claims, and every region claimed was measured: a JSON
// label never claims a band the grid did not measure.
func TestBandsAreWhatTheGridMeasured(t *testing.T) {
	f, err := os.Open("../../docs/llm-validation-grid.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen := map[string]int{}
	sc := bufio.NewScanner(f)
	points := 0
	for sc.Scan() {
		p := strings.Fields(sc.Text())
		if len(p) != 13 || strings.HasPrefix(p[0], "#") {
			continue
		}
		n := make([]float64, 13)
		for i, s := range p {
			if i == 4 {
				continue
			}
			if n[i], err = strconv.ParseFloat(s, 64); err != nil {
				t.Fatalf("%q: %v", sc.Text(), err)
			}
		}
		points++
		// The grid's step figures (TestValidationGrid).
		s := Serving{Replica: Replica{MaxBatch: int(n[0]), StepBaseMs: 8, StepPerSeqMs: 0.05, PrefillTokensPerS: 15_000,
			Input: n[2], Output: n[3], Geometric: p[4] == "true"}, PerNode: 1}
		rate := n[5] * s.Capacity() * n[1]
		b := Validated(&s, rate, int64(n[1]))
		if !b.Measured {
			t.Fatalf("%q: a grid point lies beyond the grid (%s)", sc.Text(), b.Region)
		}
		seen[b.Region]++
		if want := b.TTFT[0] >= -0.1 && b.TTFT[1] <= 0.1 && b.TPOT[0] >= -0.1 && b.TPOT[1] <= 0.1; b.Within10() != want {
			t.Errorf("%s: within ±10 %% says %v", b.Region, b.Within10())
		}
		if e := n[6]/n[7] - 1; e < b.TTFT[0] || e > b.TTFT[1] {
			t.Errorf("%q: TTFT error %+.3f outside %s's band %v", sc.Text(), e, b.Region, b.TTFT)
		}
		if n[3] > 1 && n[10] > 0 {
			if e := n[9]/n[10] - 1; e < b.TPOT[0] || e > b.TPOT[1] {
				t.Errorf("%q: TPOT error %+.3f outside %s's band %v", sc.Text(), e, b.Region, b.TPOT)
			}
		}
	}
	if points != 1080 {
		t.Fatalf("read %d points, want the grid's 1,080", points)
	}
	for _, b := range bands {
		if seen[b.dist+", "+b.batch+", "+b.replicas+", "+b.load] != b.points {
			t.Errorf("region %v claims %d points, the grid puts %d there", b, b.points, seen[b.dist+", "+b.batch+", "+b.replicas+", "+b.load])
		}
	}
	s := Serving{Replica: Replica{MaxBatch: 512, StepBaseMs: 8, PrefillTokensPerS: 15_000, Input: 1000, Output: 300}, PerNode: 1}
	if b := Validated(&s, 1, 1); b.Measured {
		t.Errorf("B = 512 was never measured, yet %+v", b)
	}
}
