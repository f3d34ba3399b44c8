package planner

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/planner/jsonfile"
	"github.com/scaleplan/scaleplan/planner/llm"
)

// LLM serving (issue #19, docs/model.md "LLM serving"). With `serving`
// "tokens" a phase's replicas batch continuously, step by step, as
// planner/llm models and simulate/llm serves them: its capacity follows
// from the step times, the prefill rate and the batch, and each hour's
// fleet is the fewest nodes meeting the TTFT, TPOT, goodput and
// end-to-end p99 objectives as well as utilization and memory. Plans that
// say nothing keep the per-call model.

// The serving inputs' keys and values.
const (
	KeyServing    = "serving"
	KeyOutputDist = "output_tokens_dist"
	KeyPrefill    = "prefill_tokens_per_s"
	KeyStepBase   = "decode_step_ms.base"
	KeyStepPerSeq = "decode_step_ms.per_seq"
	KeyMaxBatch   = "max_batch"
	KeyTTFTp99    = "ttft_p99_ms"
	KeyTPOTp99    = "tpot_p99_ms"
	KeyGoodputMin = "goodput_min"

	ServingCalls  = "calls"
	ServingTokens = "tokens"
	DistFixed     = "fixed"
	DistGeometric = "geometric"

	// DefaultMaxBatch is vLLM's default max_num_seqs.
	DefaultMaxBatch = 256

	// The token checks and sizing bounds, as JSON names them.
	CheckTTFT    = llm.BoundTTFT
	CheckTPOT    = llm.BoundTPOT
	CheckGoodput = llm.BoundGoodput
	BoundTTFT    = llm.BoundTTFT
	BoundTPOT    = llm.BoundTPOT
	BoundGoodput = llm.BoundGoodput
)

var (
	servingModes = []string{ServingCalls, ServingTokens}
	outputDists  = []string{DistFixed, DistGeometric}
)

// TokenMode says whether the phase serves in token mode.
func (a *Assumptions) TokenMode() bool { return a.Serving == ServingTokens }

// TokenServing is what token mode works out for a phase.
type TokenServing struct {
	Replicas     int64           // a node's replicas: gpus_per_node ÷ tensor_parallel, or 1
	Batch        int64           // B: min(max_batch, the calls a replica's KV cache holds)
	MemoryBatch  bool            // the KV cache, not max_batch, set B
	CapacityRPS  decimal.Decimal // a node's calls a second at a full batch
	NodeRPSGiven bool            // the plan typed a node_rps, checked against CapacityRPS
	Targets      llm.Targets
	Model        llm.Serving
	Day          llm.Day // each hour on its fleet
}

// flattenGroups turns {"decode_step_ms": {"base": a, "per_seq": b}} in an
// assumptions or overrides object into the keys the fields are known by
// ("decode_step_ms.base"), in place, so that paths, ranges and errors read
// as the file does.
func flattenGroups(d *decoder, path string, o *jsonfile.Object) {
	const group = "decode_step_ms"
	v, ok := o.Vals[group]
	if !ok {
		return
	}
	g, isObj := v.(*jsonfile.Object)
	if !isObj {
		d.Fail(jsonfile.Join(path, group), `must be an object {"base": ms, "per_seq": ms}, got %s`, jsonfile.Describe(v))
		delete(o.Vals, group)
		o.Keys = slices.DeleteFunc(o.Keys, func(k string) bool { return k == group })
		return
	}
	i := slices.Index(o.Keys, group)
	keys := make([]string, len(g.Keys))
	for j, k := range g.Keys {
		keys[j] = group + "." + k
		o.Vals[keys[j]] = g.Vals[k]
	}
	delete(o.Vals, group)
	o.Keys = slices.Replace(o.Keys, i, i+1, keys...)
}

// flattenPlan flattens the grouped keys of a plan file's assumptions and
// phase overrides.
func (d *decoder) flattenPlan(tree any) {
	top, ok := tree.(*jsonfile.Object)
	if !ok {
		return
	}
	if a, ok := top.Vals["assumptions"].(*jsonfile.Object); ok {
		flattenGroups(d, "assumptions", a)
	}
	arr, _ := top.Vals["phases"].([]any)
	for i, e := range arr {
		if o, ok := e.(*jsonfile.Object); ok {
			if ov, ok := o.Vals["overrides"].(*jsonfile.Object); ok {
				flattenGroups(d, fmt.Sprintf("phases[%d].overrides", i), ov)
			}
		}
	}
	vars, _ := top.Vals["variants"].([]any)
	for i, e := range vars {
		if o, ok := e.(*jsonfile.Object); ok {
			flattenGroups(d, fmt.Sprintf("variants[%d]", i), o)
		}
	}
}

// checkServing refuses what token mode cannot run: an unknown mode or
// spread, a token phase without its tokens, prefill rate or step time, a
// call phase without node_rps.
func checkServing(p Plan, errs *Errors) {
	for i := range assumptionFields {
		f := &assumptionFields[i]
		if len(f.choices) == 0 {
			continue
		}
		bad := func(path, v string) {
			errs.Add(path, fmt.Sprintf("must be one of %s, got %q", jsonfile.Quoted(f.choices), v))
		}
		if v := *f.txt(&p.Assumptions); v != "" && !slices.Contains(f.choices, v) {
			bad("assumptions."+f.Key, v)
		}
		for j := range p.Phases {
			if o := &p.Phases[j].Overrides; o.Has(f.Key) {
				if v := *f.txt(&o.vals); v != "" && !slices.Contains(f.choices, v) {
					bad(fmt.Sprintf("phases[%d].overrides.%s", j, f.Key), v)
				}
			}
		}
	}
	if len(*errs) > 0 {
		return
	}
	for i := range p.Phases {
		a := p.Effective(i)
		at := func(key string) string {
			if p.Phases[i].Overrides.Has(key) || !p.Assumptions.TokenMode() {
				return fmt.Sprintf("phases[%d].overrides.%s", i, key)
			}
			return "assumptions." + key
		}
		if !a.TokenMode() {
			if a.NodeRPS.Sign() <= 0 {
				errs.Add(fmt.Sprintf("phases[%d].overrides.node_rps", i), `the phase serves calls ("serving": "calls") and needs node_rps > 0; give it, or serve tokens`)
			}
			continue
		}
		var missing []string
		if !a.InputTokens().Valid {
			missing = append(missing, KeyInputTokens)
		}
		if !a.OutputTokens().Valid || a.OutputTokens().Val < 1 {
			missing = append(missing, KeyOutputTokens+" (≥ 1)")
		}
		if a.PrefillTokensPerS.Sign() <= 0 {
			missing = append(missing, KeyPrefill+" (> 0)")
		}
		if a.StepBaseMs.Sign() <= 0 {
			missing = append(missing, KeyStepBase+" (> 0)")
		}
		if len(missing) > 0 {
			errs.Add(fmt.Sprintf("phases[%d]", i), fmt.Sprintf("serves tokens but gives no %s; token mode needs each (at %s or on the phase)",
				strings.Join(missing, ", "), at(KeyServing)))
		}
	}
}

// tokenServing is the phase's replicas as planner/llm models them; B is
// max_batch, or fewer when a replica's KV cache holds fewer calls (held is
// a node's, known when memKnown).
// tokenMemo is a scratch's last tokenServing, by the inputs it reads: a
// break-even search prices one phase at many volumes, the capacity the same.
type tokenMemo struct {
	base, perSeq, prefill, fixed   decimal.Decimal
	in, out, batch, held, replicas int64
	geometric, memKnown, ok        bool
	t                              TokenServing
}

func (m *tokenMemo) serving(a *Assumptions, held int64, memKnown bool) *TokenServing {
	fixed := a.FixedMs()
	same := m.ok && m.held == held && m.memKnown == memKnown && m.replicas == replicas(a) && m.batch == maxBatch(a) &&
		m.in == a.InputTokens().Val && m.out == a.OutputTokens().Val && m.geometric == (a.OutputDist == DistGeometric) &&
		m.base.Equal(a.StepBaseMs) && m.perSeq.Equal(a.StepPerSeqMs) && m.prefill.Equal(a.PrefillTokensPerS) && m.fixed.Equal(fixed)
	if !same {
		*m = tokenMemo{a.StepBaseMs, a.StepPerSeqMs, a.PrefillTokensPerS, fixed, a.InputTokens().Val, a.OutputTokens().Val, maxBatch(a), held,
			replicas(a), a.OutputDist == DistGeometric, memKnown, true, *tokenServing(a, held, memKnown)}
	}
	return new(m.t) // a copy: the caller sets its targets
}

func tokenServing(a *Assumptions, held int64, memKnown bool) *TokenServing {
	t := &TokenServing{Replicas: replicas(a), Batch: maxBatch(a)}
	if memKnown && held > 0 && held/t.Replicas < t.Batch {
		t.Batch, t.MemoryBatch = held/t.Replicas, true
	}
	t.Model = llm.Serving{Replica: llm.Replica{MaxBatch: int(t.Batch),
		StepBaseMs: a.StepBaseMs.InexactFloat64(), StepPerSeqMs: a.StepPerSeqMs.InexactFloat64(),
		PrefillTokensPerS: a.PrefillTokensPerS.InexactFloat64(),
		Input:             float64(a.InputTokens().Val), Output: float64(max(a.OutputTokens().Val, 1)),
		Geometric: a.OutputDist == DistGeometric}, PerNode: int(t.Replicas), FixedMs: a.FixedMs().InexactFloat64()}
	t.CapacityRPS = tokenCapacity(a, t.Batch, t.Replicas)
	return t
}

// tokenCapacity is a node's calls a second at a full batch of b, exactly
// as the issue states it: replicas × 1000·B ÷ (out·a + (out − 1)·b·B +
// B·1000·in ÷ prefill), to TokenPlaces.
func tokenCapacity(a *Assumptions, batch, replicas int64) decimal.Decimal {
	B, in, out := decimal.NewFromInt(batch), decimal.NewFromInt(a.InputTokens().Val), decimal.NewFromInt(max(a.OutputTokens().Val, 1))
	thousand := decimal.NewFromInt(1000)
	den := out.Mul(a.StepBaseMs).Add(out.Sub(one).Mul(a.StepPerSeqMs).Mul(B))
	if a.PrefillTokensPerS.Sign() > 0 {
		den = den.Add(B.Mul(thousand).Mul(in).DivRound(a.PrefillTokensPerS, DivPlaces))
	}
	if den.Sign() <= 0 {
		return decimal.Zero
	}
	return thousand.Mul(B).Mul(decimal.NewFromInt(replicas)).DivRound(den, TokenPlaces)
}

// tokenTargets are the plan's objectives as planner/llm reads them.
func tokenTargets(slo SLO) llm.Targets {
	f := func(o Opt[decimal.Decimal]) float64 {
		if !o.Valid {
			return 0
		}
		return o.Val.InexactFloat64()
	}
	return llm.Targets{TTFTp99: f(slo.TTFTp99Ms), TPOTp99: f(slo.TPOTp99Ms), Goodput: f(slo.GoodputMin), EndToEndP99: f(slo.P99Ms)}
}

// tokenNeeds sizes each hour by the token objectives into t; the need is
// nil (and why says why) when no fleet meets them.
func tokenNeeds(t *TokenServing, c *Cache, load *[24]float64) (*[24]int64, string) {
	k := tokNeedKey{m: t.Model, load: *load, t: t.Targets}
	v, ok := c.tokNeed.Get(k)
	if !ok {
		v.need, v.why = t.Model.Needs(load, t.Targets, fleetMemo{c, t.Model, t.Targets})
		c.tokNeed.Put(k, v)
	}
	if v.why != "" {
		return nil, v.why
	}
	return &v.need, ""
}

// fleetMemo keeps, in the cache, what each fleet of m at t was seen to
// do (llm.Memo): the hours, the phases and the break-even searches of a
// plan ask about the same fleets at many loads.
type fleetMemo struct {
	c *Cache
	m llm.Serving
	t llm.Targets
}

func (f fleetMemo) Get(n int64) (llm.Bounds, bool) { return f.c.tokFleet.Get(tokFleetKey{f.m, f.t, n}) }
func (f fleetMemo) Put(n int64, b llm.Bounds)      { f.c.tokFleet.Put(tokFleetKey{f.m, f.t, n}, b) }

type tokFleetKey struct {
	m llm.Serving
	t llm.Targets
	n int64
}

type tokNeedKey struct {
	m    llm.Serving
	load [24]float64
	t    llm.Targets
}

type tokNeedVal struct {
	need [24]int64
	why  string
}

type tokDayKey struct {
	m     llm.Serving
	load  [24]float64
	nodes [24]int64
	t     llm.Targets
}

// sizeTokens is computePhase's token-mode sizing: the fleet each hour's
// objectives need, into out, and the per-hour need the day walk follows.
func sizeTokens(out *PhaseResult, t *TokenServing, c *Cache, load *[24]float64, peak int) *[24]int64 {
	need, why := tokenNeeds(t, c, load)
	if why != "" {
		out.SizingNote = why
		return nil
	}
	out.HourP99Nodes, out.RequiredNodesP99 = Some(*need), Some(need[peak])
	if need[peak] > out.RequiredNodes {
		out.RequiredNodes, out.SizingBound = need[peak], t.Model.Binding(load[peak], need[peak], t.Targets)
	}
	return need
}

// tokenNeedFullBatch is the busiest hour's need were the batch max_batch,
// not what memory holds: what memory's bound is measured against.
func tokenNeedFullBatch(t *TokenServing, c *Cache, load *[24]float64, a *Assumptions, peak int) int64 {
	full := *t
	full.Model.MaxBatch = int(maxBatch(a))
	need, why := tokenNeeds(&full, c, load)
	if why != "" {
		return 0
	}
	return need[peak]
}

// tokenDay works out each hour of the day on its fleet, and the view of it
// the per-call renderers read (end-to-end p99 as p99_ms, rule 8).
func tokenDay(out *PhaseResult, c *Cache, load *[24]float64, slo SLO) Latency {
	t := out.Tokens
	k := tokDayKey{m: t.Model, load: *load, nodes: out.HourNodes, t: t.Targets}
	d, ok := c.tokDay.Get(k)
	if !ok {
		d = t.Model.Eval(load, &out.HourNodes, t.Targets)
		c.tokDay.Put(k, d)
	}
	t.Day = d
	a := &out.Inputs
	l := Latency{Estimated: true, Partial: true, Slots: t.Batch * t.Replicas, FixedMs: t.Model.FixedMs,
		NetworkMs: a.NetworkMs.InexactFloat64(), PreprocessMs: a.PreprocessMs.InexactFloat64(), PostprocessMs: a.PostprocessMs.InexactFloat64(),
		ComponentsMs: a.componentsMs.InexactFloat64(), Hour: -1}
	capF := t.CapacityRPS.InexactFloat64()
	for h := range l.Hours {
		th, hl := &d.Hours[h], &l.Hours[h]
		hl.Hour, hl.LoadRPS, hl.Nodes, hl.Servers = h, th.Rate, th.Nodes, th.Nodes*t.Batch*t.Replicas
		hl.Saturated, hl.Idle = th.Saturated, !th.Saturated && (th.Rate <= 0 || th.Nodes <= 0)
		if th.Nodes > 0 {
			hl.Utilization = th.Rate / (float64(th.Nodes) * capF)
		}
		if !hl.Saturated && !hl.Idle {
			hl.P50Ms, hl.P99Ms = th.EndToEndP50, th.EndToEndP99
		}
		if hl.Idle {
			continue
		}
		if w := l.Hour; w < 0 || (hl.Saturated && !l.Hours[w].Saturated) || (!l.Hours[w].Saturated && hl.P99Ms > l.Hours[w].P99Ms) {
			l.Hour = h
		}
		if slo.P99Ms.Valid && (hl.Saturated || hl.P99Ms > slo.P99Ms.Val.InexactFloat64()) {
			l.HoursOver++
		}
	}
	l.Hour = max(l.Hour, 0)
	l.Saturated, l.DaySaturated = l.Hours[l.Hour].Saturated, d.Saturated
	l.P99Ms = l.Hours[l.Hour].P99Ms
	return l
}

// tokenChecks are the TTFT, TPOT and goodput checks of a token phase.
func tokenChecks(p *PhaseResult, slo SLO, currency string) []Check {
	t := p.Tokens
	if t == nil {
		return nil
	}
	var out []Check
	worst := func(name string, target Opt[decimal.Decimal], hour int, of func(*llm.Hour) float64) {
		if !target.Valid {
			return
		}
		c := Check{Name: name, Limit: target.Val, Currency: currency, Phase: p}
		if !t.Day.Saturated && hour >= 0 {
			c.Value = decimal.NewFromFloat(of(&t.Day.Hours[hour]))
			c.OK = of(&t.Day.Hours[hour]) <= target.Val.InexactFloat64()
		}
		out = append(out, c)
	}
	worst(CheckTTFT, slo.TTFTp99Ms, t.Day.TTFTp99Hour, func(h *llm.Hour) float64 { return h.TTFTp99 })
	if t.Model.Output > 1 || t.Model.Geometric {
		worst(CheckTPOT, slo.TPOTp99Ms, t.Day.TPOTp99Hour, func(h *llm.Hour) float64 { return h.TPOTp99 })
	}
	if slo.GoodputMin.Valid && !math.IsNaN(t.Day.Goodput) {
		out = append(out, Check{Name: CheckGoodput, OK: t.Day.Goodput >= slo.GoodputMin.Val.InexactFloat64(),
			Value: decimal.NewFromFloat(t.Day.Goodput), Limit: slo.GoodputMin.Val, Currency: currency, Phase: p})
	}
	return out
}

// tokenConsistency compares a node_rps given in token mode with the
// capacity the serving rules give.
func (p *PhaseResult) tokenConsistency() (Check, bool) {
	a := &p.Inputs
	if p.Tokens == nil || a.NodeRPSFromServing() {
		return Check{}, false
	}
	gap := p.Tokens.CapacityRPS.Sub(a.NodeRPS).Abs()
	return Check{Name: CheckConsistency, OK: gap.LessThanOrEqual(a.NodeRPS.Mul(ConsistencyTolerance)), Value: p.Tokens.CapacityRPS, Limit: a.NodeRPS, Inputs: a, Phase: p}, true
}

// omitNodeRPS says node_rps is not written: a token plan that gives none
// (the serving rules give its capacity).
func omitNodeRPS(f *Field, a *Assumptions) bool {
	return f.Key == "node_rps" && a.TokenMode() && a.NodeRPS.IsZero()
}

// groupedPath writes a grouped key's path as the file nests it:
// assumptions.decode_step_ms.base, not assumptions["decode_step_ms.base"].
var groupedPath = regexp.MustCompile(`\["(decode_step_ms)\.([^"]*)"\]`)

func ungroupPaths(errs Errors) {
	for i := range errs {
		errs[i].Path = groupedPath.ReplaceAllString(errs[i].Path, ".$1.$2")
	}
}

// NodeRPSFromServing reports whether the phase's node throughput is the
// serving rules' capacity at max_batch, no node_rps being given.
func (a *Assumptions) NodeRPSFromServing() bool { return a.rpsFromServing }

// replicas is a node's model replicas (rule 7): gpus_per_node ÷
// tensor_parallel, one when the memory inputs are not given.
func replicas(a *Assumptions) int64 {
	return max(1, a.GPUsPerNode/max(a.TensorParallel, 1))
}

// maxBatch is max_batch; 0 (a plan made in code) is the default.
func maxBatch(a *Assumptions) int64 {
	if a.MaxBatch <= 0 {
		return DefaultMaxBatch
	}
	return a.MaxBatch
}
