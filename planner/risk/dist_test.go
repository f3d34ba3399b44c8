package risk

import (
	"math"
	"testing"

	"github.com/scaleplan/scaleplan/internal/plantest"
	"github.com/scaleplan/scaleplan/planner"
)

// Squiggle's "5 to 10": a lognormal whose 5th and 95th percentiles are 5
// and 10 has μ = 1.956012, σ = 0.210702, median 7.0711 and mean 7.2298
// (Squiggle's documentation of "to").
func TestLognormalRangeMatchesSquiggle(t *testing.T) {
	t.Parallel()
	r := planner.Range{Low: plantest.Dec("5"), High: plantest.Dec("10")}
	if r.Kind() != planner.Lognormal {
		t.Fatalf("a range with low > 0 is %s, want lognormal", r.Kind())
	}
	mu, sigma := LogParams(r)
	near := func(what string, got, want, tol float64) {
		t.Helper()
		if math.Abs(got-want) > tol {
			t.Errorf("%s = %.7f, want %.7f", what, got, want)
		}
	}
	near("μ", mu, 1.956012, 5e-7)
	near("σ", sigma, 0.210702, 5e-7)
	near("5th percentile", Quantile(r, 0.05), 5, 1e-9)
	near("95th percentile", Quantile(r, 0.95), 10, 1e-9)
	near("mean", math.Exp(mu+sigma*sigma/2), 7.2298, 5e-5)
	// √50 = 7.0710678118654752…, rounded to 12 places.
	if m := r.Median(false); !m.Equal(plantest.Dec("7.071067811865")) {
		t.Errorf("median = %s, want 7.071067811865", m)
	}
	if m := (planner.Range{Low: plantest.Dec("4"), High: plantest.Dec("9")}).Median(false); !m.Equal(plantest.Dec("6")) {
		t.Errorf("median of 4 to 9 = %s, want exactly 6", m)
	}
}
