package simulate

import (
	"math"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/simulate/llm"
)

// TokenHour is one hour of a token-mode phase: the model's TTFT and TPOT
// p99 beside the step-by-step simulator's, with its 95 % half-widths, in
// ms (TTFT with the fixed latency, as the model reports it).
type TokenHour struct {
	Hour                     int
	LoadRPS                  float64
	Nodes                    int64
	Saturated, Idle          bool
	ModelTTFTp99, ModelTPOT  float64
	Sim                      llm.Stats
	ErrTTFT, ErrTPOT         float64 // model ÷ simulation − 1; NaN when there is none
	SimSeconds               float64 // the stretch of the hour simulated
	ModelGoodput, SimGoodput float64 // NaN with no token target
}

// TokenCheck is a token-mode phase's typical day, model against the
// simulator that serves calls by the rules.
type TokenCheck struct {
	Phase int
	Name  string
	Seed  uint64
	Hours [24]TokenHour
}

// maxTokenCalls bounds the calls an hour simulates: past it the hour is
// simulated for that many calls' worth of seconds (at 100 calls/s, the
// whole hour).
const maxTokenCalls = 400_000

// CheckTokens simulates each hour of a token-mode phase on the fleet the
// model gives it, stopping with ErrStopped once stop says so.
func CheckTokens(ph *planner.PhaseResult, seed uint64, progress func(float64), stop func() bool) (TokenCheck, error) {
	t := ph.Tokens
	c := TokenCheck{Phase: ph.Index, Name: ph.Name, Seed: seed}
	m := &t.Model
	for h := range c.Hours {
		if stop != nil && stop() {
			return TokenCheck{}, ErrStopped
		}
		d := &t.Day.Hours[h]
		th := &c.Hours[h]
		th.Hour, th.LoadRPS, th.Nodes, th.Saturated = h, d.Rate, d.Nodes, d.Saturated
		th.ErrTTFT, th.ErrTPOT, th.ModelGoodput, th.SimGoodput = math.NaN(), math.NaN(), d.Goodput, math.NaN()
		th.Idle = !d.Saturated && (d.Rate <= 0 || d.Nodes <= 0)
		if th.Idle || th.Saturated {
			continue
		}
		th.ModelTTFTp99, th.ModelTPOT = d.TTFTp99, d.TPOTp99
		cfg := llm.Config{Replicas: int(d.Nodes) * m.PerNode, MaxBatch: m.MaxBatch, StepBaseMs: m.StepBaseMs, StepPerSeqMs: m.StepPerSeqMs,
			PrefillTokensPerS: m.PrefillTokensPerS, FixedMs: m.FixedMs}
		th.SimSeconds = math.Min(3600, maxTokenCalls/d.Rate)
		th.Sim = llm.Hour(cfg, llm.Workload{Rate: d.Rate, Input: int(m.Input), OutputMean: m.Output, Geometric: m.Geometric},
			llm.Targets{TTFTms: t.Targets.TTFTp99, TPOTms: t.Targets.TPOTp99}, th.SimSeconds, seed+uint64(h))
		th.SimGoodput = th.Sim.Goodput
		if th.Sim.TTFTp99 > 0 {
			th.ErrTTFT = th.ModelTTFTp99/th.Sim.TTFTp99 - 1
		}
		if th.Sim.TPOTp99 > 0 {
			th.ErrTPOT = th.ModelTPOT/th.Sim.TPOTp99 - 1
		}
		if progress != nil {
			progress(float64(h+1) / 24)
		}
	}
	return c, nil
}
