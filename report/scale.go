package report

import "math"

// NiceStep is a round gridline step (1, 2 or 5 times a power of ten) that
// cuts 0 to top into about five: the app's charts and the HTML report's.
func NiceStep(top float64) float64 {
	if top <= 0 || math.IsNaN(top) || math.IsInf(top, 0) {
		return 1
	}
	raw := top / 5
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}
