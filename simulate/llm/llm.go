// Package llm serves calls to an LLM the way issue #19 states the serving
// rules, step by step, so that the token-level latency model can be checked
// against it (as simulate checks the per-call model):
//
//  1. Calls arrive as a Poisson process at the hour's rate; each goes to the
//     replica with the fewest calls present (running plus waiting), ties to
//     the lowest-numbered.
//  2. A replica keeps a first-come-first-served queue and runs at most B
//     sequences. It works in steps, back to back, while it has running or
//     waiting calls; an idle replica starts a step the moment a call
//     arrives (and that step admits it).
//  3. At the start of a step the replica admits waiting calls, in order,
//     while fewer than B run. The step lasts a + b·d milliseconds plus
//     1000 × (the input tokens of the calls admitted at this step) ÷ the
//     prefill rate, d being the sequences admitted at earlier steps that
//     are still running (each decodes one token in this step).
//  4. At the end of the step every call admitted at it emits its first
//     token, and every decoding sequence one more; a call that has emitted
//     its last token finishes and frees its place (a call of one output
//     token finishes at the end of its prefill step).
//  5. A call that arrives during a step, or at the very instant a step
//     starts, waits for the next step's start. No preemption, no chunked
//     prefill, no prefix cache.
//  6. A call's TPOT is (finish − first token) ÷ (output tokens − 1), for
//     calls of more than one output token; goodput is the share of calls
//     meeting every token target set.
//  7. Each model replica is one server with its own queue and batch.
//  8. The fixed latency is added to TTFT and to the end-to-end time, not to
//     TPOT.
//
// At one instant, a step's end (its tokens, its finishes and the next
// step's admissions) comes before an arrival: rule 5 for a busy replica, and
// a replica whose last call finishes then is idle for the arrival.
package llm

import (
	"container/heap"
	"sort"
)

// Config is how the replicas serve.
type Config struct {
	Replicas          int     // servers: a node's replicas × nodes
	MaxBatch          int     // B, sequences a replica runs at once
	StepBaseMs        float64 // a
	StepPerSeqMs      float64 // b, a decoding sequence's share of a step
	PrefillTokensPerS float64 // prompt tokens a replica prefills a second
	FixedMs           float64 // network, processing and components: added to TTFT and end-to-end
}

// Call is one call: when it arrives (seconds) and its tokens.
type Call struct {
	Arrival       float64
	Input, Output int // Output ≥ 1
}

// Served is a call as served: the replica and the instants (seconds) of
// its first token and its last, before the fixed latency.
type Served struct {
	Call
	Replica            int
	FirstToken, Finish float64
}

// TTFTms is the time to first token, fixed latency included.
func (s *Served) TTFTms(c *Config) float64 { return 1000*(s.FirstToken-s.Arrival) + c.FixedMs }

// TPOTms is the time per output token after the first; ok is false for a
// call of one output token, which has none.
func (s *Served) TPOTms() (float64, bool) {
	if s.Output <= 1 {
		return 0, false
	}
	return 1000 * (s.Finish - s.FirstToken) / float64(s.Output-1), true
}

// EndToEndMs is arrival to last token, fixed latency included.
func (s *Served) EndToEndMs(c *Config) float64 { return 1000*(s.Finish-s.Arrival) + c.FixedMs }

// running is a replica's running sequences by the step at whose end each
// finishes (a min-heap).
type running []seq

type seq struct {
	finishStep int64
	call       int
}

func (h running) Len() int           { return len(h) }
func (h running) Less(i, j int) bool { return h[i].finishStep < h[j].finishStep }
func (h running) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *running) Push(x any)        { *h = append(*h, x.(seq)) }
func (h *running) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

type replica struct {
	queue    []int // waiting calls, first come first
	head     int   // queue[head:] wait
	run      running
	step     int64   // steps begun
	busy     bool    // a step is in progress
	end      float64 // when it ends
	admitted []int   // calls admitted at the step in progress
}

func (r *replica) present() int { return len(r.queue) - r.head + len(r.run) }

// Run serves the calls by the rules, in order of arrival (calls arriving at
// one instant in the order given); the result is in the calls' order.
func Run(c Config, calls []Call) []Served {
	out := make([]Served, len(calls))
	for i := range calls {
		out[i].Call = calls[i]
	}
	reps := make([]replica, max(c.Replicas, 1))
	ends := &endHeap{}
	start := func(k int, t float64) {
		r := &reps[k]
		d := len(r.run)
		r.admitted = r.admitted[:0]
		inputs := 0
		for r.head < len(r.queue) && d+len(r.admitted) < c.MaxBatch {
			i := r.queue[r.head]
			r.head++
			r.admitted = append(r.admitted, i)
			inputs += calls[i].Input
		}
		if r.head == len(r.queue) {
			r.queue, r.head = r.queue[:0], 0
		}
		r.step++
		for _, i := range r.admitted {
			heap.Push(&r.run, seq{finishStep: r.step + int64(calls[i].Output) - 1, call: i})
		}
		ms := c.StepBaseMs + c.StepPerSeqMs*float64(d) + 1000*float64(inputs)/c.PrefillTokensPerS
		r.busy, r.end = true, t+ms/1000
		heap.Push(ends, stepEnd{at: r.end, replica: k})
	}
	finish := func(k int) {
		r := &reps[k]
		t := r.end
		for _, i := range r.admitted {
			out[i].FirstToken = t
		}
		for len(r.run) > 0 && r.run[0].finishStep == r.step {
			s := heap.Pop(&r.run).(seq)
			out[s.call].Finish = t
		}
		r.busy = false
		if r.present() > 0 {
			start(k, t) // back to back
		}
	}
	order := make([]int, len(calls))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return calls[order[a]].Arrival < calls[order[b]].Arrival })
	next := 0
	for next < len(order) || ends.Len() > 0 {
		if ends.Len() > 0 && (next == len(order) || (*ends)[0].at <= calls[order[next]].Arrival) {
			e := heap.Pop(ends).(stepEnd)
			finish(e.replica)
			continue
		}
		i := order[next]
		next++
		k := 0
		for j := 1; j < len(reps); j++ {
			if reps[j].present() < reps[k].present() {
				k = j
			}
		}
		out[i].Replica = k
		reps[k].queue = append(reps[k].queue, i)
		if !reps[k].busy {
			start(k, calls[i].Arrival)
		}
	}
	return out
}

// stepEnd is when a replica's step ends; ends at one instant are taken in
// replica order.
type stepEnd struct {
	at      float64
	replica int
}

type endHeap []stepEnd

func (h endHeap) Len() int { return len(h) }
func (h endHeap) Less(i, j int) bool {
	return h[i].at < h[j].at || (h[i].at == h[j].at && h[i].replica < h[j].replica)
}
func (h endHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *endHeap) Push(x any)   { *h = append(*h, x.(stepEnd)) }
func (h *endHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// CapacityRPS is a replica's calls a second at a full batch, from the
// rules: B calls, each in + out tokens, take out·a + (out − 1)·b·B +
// B·1000·in ÷ prefill milliseconds of steps.
func CapacityRPS(c Config, in, out float64) float64 {
	B := float64(c.MaxBatch)
	return 1000 * B / (out*c.StepBaseMs + (out-1)*c.StepPerSeqMs*B + B*1000*in/c.PrefillTokensPerS)
}
