package planner

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
)

// The latency model (docs/model.md, "Latency budget").
//
// At a phase's busiest hour the node pool is an M/M/c queue: c = the nodes
// running that hour, each a server of rate μ = node_rps, arrivals at
// λ = peak_rps. A request's latency is its fixed components (network,
// pre- and post-processing) plus its service time plus its wait in the
// queue. The wait is M/M/c's — zero with probability 1 − C, exponential with
// rate cμ − λ otherwise, C being Erlang C — scaled by the Allen–Cunneen
// factor (c_a² + c_s²)/2 = (1 + service_cv²)/2 for service times less
// variable than exponential (batched inference is nearly constant).
//
// Latency is not money: it is computed in float64 and shown to 0.1 ms.

// Latency is a phase's latency at its busiest hour.
type Latency struct {
	Estimated bool // false without a service time: nothing below is set
	Saturated bool // λ ≥ cμ: the queue grows without bound
	Hour      int
	Nodes     int64   // nodes running at that hour
	LoadRPS   float64 // λ
	ServeRPS  float64 // cμ, what the nodes serve at 100 % busy
	WaitProb  float64 // Erlang C: the share of calls that queue at all

	NetworkMs, PreprocessMs, PostprocessMs, ServiceMs float64
	FixedMs                                           float64 // network + pre + post
	QueueP50Ms, QueueP99Ms                            float64
	P50Ms, P99Ms                                      float64
}

// ErlangC is the probability that an arrival waits in an M/M/c queue with
// offered load a = λ/μ Erlangs (a < c). It goes through the Erlang B
// recursion B(k) = a·B(k−1) / (k + a·B(k−1)), which stays stable for large
// c where the textbook sum of a^k/k! overflows.
func ErlangC(c int64, a float64) float64 {
	if c <= 0 || a >= float64(c) {
		return 1
	}
	b := 1.0
	for k := int64(1); k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return float64(c) * b / (float64(c) - a*(1-b))
}

// queueWait is the q-quantile of the wait in seconds,
// max(0, ln(C/(1−q)) / (cμ − λ)), for Erlang C = C.
func queueWait(C float64, c int64, lambda, mu, q float64) float64 {
	if C <= 1-q {
		return 0
	}
	return math.Log(C/(1-q)) / (float64(c)*mu - lambda)
}

// latencyModel holds one phase's latency inputs as floats.
type latencyModel struct {
	mu, fixed, service, factor float64
}

func newLatencyModel(a *Assumptions) (latencyModel, bool) {
	if a.ServiceMs.Sign() <= 0 {
		return latencyModel{}, false
	}
	cv := a.ServiceCV.InexactFloat64()
	return latencyModel{
		mu:      a.NodeRPS.InexactFloat64(),
		fixed:   a.NetworkMs.Add(a.PreprocessMs).Add(a.PostprocessMs).InexactFloat64(),
		service: a.ServiceMs.InexactFloat64(),
		factor:  (1 + cv*cv) / 2,
	}, true
}

// p99 is the 99th-percentile latency in ms with c nodes at load λ; +Inf
// when saturated.
func (m latencyModel) p99(c int64, lambda float64) float64 {
	if float64(c)*m.mu <= lambda {
		return math.Inf(1)
	}
	return m.p99With(ErlangC(c, lambda/m.mu), c, lambda)
}

func (m latencyModel) p99With(C float64, c int64, lambda float64) float64 {
	return m.fixed + m.service + 1000*m.factor*queueWait(C, c, lambda, m.mu, 0.99)
}

// nodesForP99 is the smallest node count whose p99 at load λ meets target,
// and "" — or a reason it cannot be met. It walks up from the smallest
// stable pool carrying Erlang B along (B(n+1) from B(n) is one step), so a
// fleet of thousands costs one pass rather than a recursion per candidate.
func (m latencyModel) nodesForP99(lambda, target float64) (int64, string) {
	if m.fixed+m.service > target {
		return 0, fmt.Sprintf("the p99 target of %s ms is below the %s ms a call takes without queueing (fixed components and service)",
			ms(target), ms(m.fixed+m.service))
	}
	a := lambda / m.mu
	n := int64(math.Floor(a)) + 1 // the smallest stable pool (P99SearchStart)
	b := 1.0
	for k := int64(1); k <= n; k++ {
		b = a * b / (float64(k) + a*b)
	}
	for ; n <= MaxNodes; n++ {
		C := float64(n) * b / (float64(n) - a*(1-b))
		if m.p99With(C, n, lambda) <= target {
			return n, ""
		}
		b = a * b / (float64(n+1) + a*b)
	}
	return 0, fmt.Sprintf("meeting the p99 target would take more than %s nodes", format.Count(MaxNodes))
}

// estimate is the latency with c nodes at load λ.
func (m latencyModel) estimate(a *Assumptions, c int64, lambda float64, hour int) Latency {
	l := Latency{
		Estimated: true, Hour: hour, Nodes: c, LoadRPS: lambda, ServeRPS: float64(c) * m.mu,
		NetworkMs: a.NetworkMs.InexactFloat64(), PreprocessMs: a.PreprocessMs.InexactFloat64(),
		PostprocessMs: a.PostprocessMs.InexactFloat64(), ServiceMs: m.service, FixedMs: m.fixed,
	}
	if l.ServeRPS <= lambda {
		l.Saturated = true
		l.WaitProb = 1
		return l
	}
	l.WaitProb = ErlangC(c, lambda/m.mu)
	l.QueueP50Ms = 1000 * m.factor * queueWait(l.WaitProb, c, lambda, m.mu, 0.5)
	l.QueueP99Ms = 1000 * m.factor * queueWait(l.WaitProb, c, lambda, m.mu, 0.99)
	l.P50Ms = m.fixed + m.service + l.QueueP50Ms
	l.P99Ms = m.fixed + m.service + l.QueueP99Ms
	return l
}

// ms writes milliseconds to 0.1 ms.
func ms(x float64) string { return format.Decimal(decimal.NewFromFloat(x), 1) }

// LatencyWith is the phase's latency at its busiest hour as if the given
// number of nodes ran then: the model behind p99 sizing, exposed so a
// renderer (the workbook's sizing table) can show the candidates it tried.
func (p *PhaseResult) LatencyWith(nodes int64) Latency {
	m, ok := newLatencyModel(&p.Inputs)
	if !ok {
		return Latency{}
	}
	return m.estimate(&p.Inputs, nodes, p.PeakRPS.InexactFloat64(), p.PeakHour)
}

// P99SearchStart is the first node count p99 sizing considers: the smallest
// pool that is stable at the peak, floor(peak_rps / node_rps) + 1.
func (p *PhaseResult) P99SearchStart() int64 {
	return int64(math.Floor(p.PeakRPS.InexactFloat64()/p.Inputs.NodeRPS.InexactFloat64())) + 1
}
