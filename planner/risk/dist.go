package risk

import (
	"math"

	"github.com/scaleplan/scaleplan/planner"
	"gonum.org/v1/gonum/stat/distuv"
)

// z95 is the standard normal's 95th percentile: a 90 % interval spans
// 2 × z95 standard deviations.
var z95 = distuv.UnitNormal.Quantile(0.95)

// Quantile is a range's value at cumulative probability u in (0, 1).
func Quantile(r planner.Range, u float64) float64 {
	lo, hi := r.Low.InexactFloat64(), r.High.InexactFloat64()
	if r.Low.Equal(r.High) {
		return lo
	}
	switch r.Kind() {
	case planner.Lognormal:
		mu, sigma := LogParams(r)
		return distuv.LogNormal{Mu: mu, Sigma: sigma}.Quantile(u)
	case planner.Uniform:
		return distuv.Uniform{Min: lo, Max: hi}.Quantile(u)
	case planner.Triangular:
		return distuv.NewTriangle(lo, hi, r.Mode.Val.InexactFloat64(), nil).Quantile(u)
	}
	return distuv.Normal{Mu: (lo + hi) / 2, Sigma: (hi - lo) / (2 * z95)}.Quantile(u)
}

// LogParams are a lognormal range's μ and σ: ln L and ln H are μ ∓ z95·σ.
func LogParams(r planner.Range) (mu, sigma float64) {
	ll, lh := math.Log(r.Low.InexactFloat64()), math.Log(r.High.InexactFloat64())
	return (ll + lh) / 2, (lh - ll) / (2 * z95)
}
