package llm

import "testing"

// The chat example's replica (B 256, 1,000 in, 300 out geometric) at 70 %
// of ten nodes' capacity: what one sizing step costs.
func BenchmarkAtTenNodes(b *testing.B) {
	r := Replica{MaxBatch: 256, StepBaseMs: 6, StepPerSeqMs: 0.06, PrefillTokensPerS: 25_000, Input: 1000, Output: 300, Geometric: true}
	rate := 0.7 * 10 * r.Capacity()
	for b.Loop() {
		l, _ := r.At(rate, 10)
		l.TTFTCDF(750)
		l.TPOTCDF(40)
	}
}

// A day of the example's busiest phase worked out hour by hour.
func BenchmarkEvalDay(b *testing.B) {
	s := Serving{Replica: Replica{MaxBatch: 256, StepBaseMs: 6, StepPerSeqMs: 0.06, PrefillTokensPerS: 25_000, Input: 1000, Output: 300, Geometric: true}, PerNode: 1, FixedMs: 50}
	var load [24]float64
	var nodes [24]int64
	for h := range load {
		load[h] = 20 + 4*float64(h)
		nodes[h] = int64(load[h]/(0.8*s.NodeCapacity())) + 1
	}
	for b.Loop() {
		s.Eval(&load, &nodes, Targets{TTFTp99: 800, TPOTp99: 40})
	}
}

// The chain alone at a thousand replicas near saturation: the widest walk
// a break-even search asks for.
func BenchmarkChainThousandReplicas(b *testing.B) {
	r := Replica{MaxBatch: 256, StepBaseMs: 6, StepPerSeqMs: 0.06, PrefillTokensPerS: 25_000, Input: 1000, Output: 300, Geometric: true}
	rate := 0.9 * 1000 * r.Capacity()
	for b.Loop() {
		r.At(rate, 1000)
	}
}
