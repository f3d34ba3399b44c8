package planner

import (
	"github.com/shopspring/decimal"
)

// Tokens (docs/measured.md, "Tokens"). A phase, or the variant it runs, may
// say how many tokens a call reads and writes; a node how many tokens a
// second it processes. Then the node's throughput in calls is
// tokens_per_s ÷ tokens per call, the model prices a million tokens beside a
// call, and an API priced by the token can be set against self-hosting.

// VariantFigures are a variant's optional figures beyond its throughput:
// its tokens, and its architecture for the GPU memory fit (memory.go).
type VariantFigures struct {
	InputTokens, OutputTokens, TokensPerS Opt[decimal.Decimal]

	ParamsB Opt[decimal.Decimal] // billions of parameters
	// ActiveParamsB is the billions a token passes through (a mixture of
	// experts activates a few experts a token): what the estimator's
	// FLOPs count; the weights in memory are ParamsB.
	ActiveParamsB Opt[decimal.Decimal]
	WeightBytes   Opt[decimal.Decimal] // bytes a weight: 2 bf16, 1 fp8, 0.5 int4; 2 when not given
	Layers        Opt[decimal.Decimal]
	KVHeads       Opt[decimal.Decimal] // key-value heads (grouped-query attention)
	HeadDim       Opt[decimal.Decimal]
	KVBytes       Opt[decimal.Decimal] // bytes a cached value; 2 when not given
	// Multi-head latent attention (DeepSeek-V2 and after) caches a
	// compressed latent and a rotary key a layer instead of heads.
	KVLoraRank    Opt[decimal.Decimal]
	QKRopeHeadDim Opt[decimal.Decimal]
	// Sliding-window attention (Gemma, Mistral, gpt-oss): how many tokens a
	// window layer keeps, and how many of the layers are window layers.
	SlidingWindow       Opt[decimal.Decimal]
	SlidingWindowLayers Opt[decimal.Decimal]

	// How the model serves tokens (serving.go): laid over the phase's
	// assumptions like tokens_per_s.
	PrefillTokensPerS, StepBaseMs, StepPerSeqMs, MaxBatch Opt[decimal.Decimal]
}

// VariantFigure describes one of a variant's optional figures: decoding,
// saving, scenario paths and the renderers loop over variantFigures.
type VariantFigure struct {
	Key, Label, Unit string

	rule rule
	get  func(*VariantFigures) *Opt[decimal.Decimal]
}

var (
	architectureRule = wholeRule(1, 1_000_000)
	bytesRule        = rule{Min: zero, MinOpen: true, Max: decimal.NewFromInt(8), HasMax: true, ExpectedText: "a number of bytes > 0 and ≤ 8"}
	paramsRule       = rule{Min: zero, MinOpen: true, Max: decimal.NewFromInt(1_000_000), HasMax: true, ExpectedText: "a number of billions > 0 and ≤ 1,000,000"}
)

var variantFigures = []VariantFigure{
	{Key: "input_tokens", Label: "Input tokens", Unit: "a call", rule: wholeRule(0, MaxTokens), get: func(f *VariantFigures) *Opt[decimal.Decimal] { return &f.InputTokens }},
	{Key: "output_tokens", Label: "Output tokens", Unit: "a call", rule: wholeRule(0, MaxTokens), get: func(f *VariantFigures) *Opt[decimal.Decimal] { return &f.OutputTokens }},
	{Key: "tokens_per_s", Label: "Tokens per second", Unit: "a node, input + output", rule: nonNegative, get: func(f *VariantFigures) *Opt[decimal.Decimal] { return &f.TokensPerS }},
	{Key: "params_b", Label: "Parameters", Unit: "billions", rule: paramsRule, get: func(f *VariantFigures) *Opt[decimal.Decimal] { return &f.ParamsB }},
	{Key: "active_params_b", Label: "Active parameters", Unit: "billions a token (mixture of experts)", rule: paramsRule, get: func(f *VariantFigures) *Opt[decimal.Decimal] { return &f.ActiveParamsB }},
	{Key: "weight_bytes", Label: "Bytes a weight", Unit: "2 bf16, 1 fp8, 0.5 int4", rule: bytesRule, get: func(f *VariantFigures) *Opt[decimal.Decimal] { return &f.WeightBytes }},
	{Key: "layers", Label: "Layers", Unit: "transformer layers", rule: architectureRule, get: func(f *VariantFigures) *Opt[decimal.Decimal] { return &f.Layers }},
	{Key: "kv_heads", Label: "KV heads", Unit: "key-value heads", rule: architectureRule, get: func(f *VariantFigures) *Opt[decimal.Decimal] { return &f.KVHeads }},
	{Key: "head_dim", Label: "Head dimension", Unit: "values a head", rule: architectureRule, get: func(f *VariantFigures) *Opt[decimal.Decimal] { return &f.HeadDim }},
	{Key: "kv_bytes", Label: "Bytes a KV value", Unit: "2 bf16, 1 fp8", rule: bytesRule, get: func(f *VariantFigures) *Opt[decimal.Decimal] { return &f.KVBytes }},
	{Key: "kv_lora_rank", Label: "KV latent rank", Unit: "MLA", rule: architectureRule, get: func(f *VariantFigures) *Opt[decimal.Decimal] { return &f.KVLoraRank }},
	{Key: "qk_rope_head_dim", Label: "Rotary key dimension", Unit: "MLA", rule: wholeRule(0, 1_000_000), get: func(f *VariantFigures) *Opt[decimal.Decimal] { return &f.QKRopeHeadDim }},
	{Key: "sliding_window", Label: "Sliding window", Unit: "tokens a window layer keeps", rule: wholeRule(1, MaxTokens), get: func(f *VariantFigures) *Opt[decimal.Decimal] { return &f.SlidingWindow }},
	{Key: "sliding_window_layers", Label: "Window layers", Unit: "layers with a sliding window", rule: wholeRule(0, 1_000_000), get: func(f *VariantFigures) *Opt[decimal.Decimal] { return &f.SlidingWindowLayers }},
	{Key: KeyPrefill, Label: "Prefill rate", Unit: "prompt tokens a replica a second", rule: nonNegative, get: func(f *VariantFigures) *Opt[decimal.Decimal] { return &f.PrefillTokensPerS }},
	{Key: KeyStepBase, Label: "Decode step, base", Unit: "ms a step", rule: milliseconds, get: func(f *VariantFigures) *Opt[decimal.Decimal] { return &f.StepBaseMs }},
	{Key: KeyStepPerSeq, Label: "Decode step, per sequence", Unit: "ms each running sequence adds", rule: milliseconds, get: func(f *VariantFigures) *Opt[decimal.Decimal] { return &f.StepPerSeqMs }},
	{Key: KeyMaxBatch, Label: "Max batch", Unit: "sequences a replica runs at once", rule: wholeRule(1, MaxSlots), get: func(f *VariantFigures) *Opt[decimal.Decimal] { return &f.MaxBatch }},
}

// Of is the figure's value in v.
func (f VariantFigure) Of(v *Variant) Opt[decimal.Decimal] { return *f.get(&v.Figures) }

func (f *VariantFigures) any() bool {
	for _, vf := range variantFigures {
		if vf.get(f).Valid {
			return true
		}
	}
	return false
}

// tokensPerCall is a phase's tokens a call: its own, else its variant's.
type tokensPerCall struct {
	in, out Opt[int64]
}

// Total is input + output, 0 when neither is known.
func (t tokensPerCall) total() int64 {
	var n int64
	if t.in.Valid {
		n += t.in.Val
	}
	if t.out.Valid {
		n += t.out.Val
	}
	return n
}

// tokenPlaces rounds a throughput derived from tokens: far below any
// measurement, and short enough for the exact day walk.
const TokenPlaces = 12

// applyTokens sets phase i's tokens a call and architecture in a, and its
// node throughput from tokens_per_s when both are known.
func (p *Plan) applyTokens(i int, a *Assumptions) {
	ph := &p.Phases[i]
	v, hasV := p.Variant(ph.Variant)
	pick := func(own Opt[int64], fig func(*VariantFigures) Opt[decimal.Decimal]) Opt[int64] {
		if own.Valid {
			return own
		}
		if hasV {
			if f := fig(&v.Figures); f.Valid {
				return Some(f.Val.IntPart())
			}
		}
		return Opt[int64]{}
	}
	a.tokens = tokensPerCall{
		in:  pick(ph.InputTokens, func(f *VariantFigures) Opt[decimal.Decimal] { return f.InputTokens }),
		out: pick(ph.OutputTokens, func(f *VariantFigures) Opt[decimal.Decimal] { return f.OutputTokens }),
	}
	if hasV {
		a.arch = v
	}
	if n := a.tokens.total(); n > 0 && a.TokensPerS.Sign() > 0 {
		a.NodeRPS = a.TokensPerS.DivRound(decimal.NewFromInt(n), TokenPlaces)
	}
	if a.TokenMode() && a.NodeRPS.Sign() <= 0 && a.tokens.out.Valid && a.tokens.in.Valid {
		a.NodeRPS, a.rpsFromServing = tokenCapacity(a, maxBatch(a), replicas(a)), true
	}
}

// InputTokens and OutputTokens are the tokens a call the phase runs with:
// its own, else its variant's; none when neither says.
func (a *Assumptions) InputTokens() Opt[int64]  { return a.tokens.in }
func (a *Assumptions) OutputTokens() Opt[int64] { return a.tokens.out }

// TokensPerCall is input + output tokens, none when neither is known.
func (a *Assumptions) TokensPerCall() Opt[int64] {
	if n := a.tokens.total(); n > 0 {
		return Some(n)
	}
	return Opt[int64]{}
}

// NodeRPSFromTokens reports whether the phase's node throughput is
// tokens_per_s ÷ tokens per call rather than its node_rps.
func (a *Assumptions) NodeRPSFromTokens() bool {
	return a.tokens.total() > 0 && a.TokensPerS.Sign() > 0
}

// HasAPI reports whether the plan prices an API alternative.
func (a *Assumptions) HasAPI() bool { return a.APIPriceIn.Sign() > 0 || a.APIPriceOut.Sign() > 0 }

// million is 10^6, tokens in a million.
var million = decimal.New(1, 6)

// priceTokens fills the phase's token figures: cost per million tokens,
// what a node-hour buys in tokens, and an API's price for the same calls.
func priceTokens(out *PhaseResult, a *Assumptions) {
	out.TokensPerCall = a.TokensPerCall()
	if a.TokensPerS.Sign() > 0 {
		// node_hourly ÷ (tokens/s × 3600) × 10^6
		out.NodeCostPerMillionTokens = Some(a.NodeHourly.Mul(million).DivRound(a.TokensPerS.Mul(secondsPerHour), DivPlaces))
	}
	if !out.TokensPerCall.Valid {
		return
	}
	tokens := decimal.NewFromInt(out.Calls).Mul(decimal.NewFromInt(out.TokensPerCall.Val))
	if tokens.Sign() > 0 {
		out.CostPerMillionTokens = Some(out.Cost.Total.Mul(million).DivRound(tokens, DivPlaces))
	}
	if a.HasAPI() {
		in, outT := decimal.Zero, decimal.Zero
		if a.tokens.in.Valid {
			in = decimal.NewFromInt(a.tokens.in.Val)
		}
		if a.tokens.out.Valid {
			outT = decimal.NewFromInt(a.tokens.out.Val)
		}
		per := in.Mul(a.APIPriceIn).Add(outT.Mul(a.APIPriceOut)).DivRound(million, DivPlaces)
		out.APICostPerCall = Some(per)
		out.APICost = Some(per.Mul(decimal.NewFromInt(out.Calls)))
	}
}

// ServingCost is what buying from an API would replace: GPU (on demand,
// committed, spot, stranded), batch overflow and components billed by the
// node-hour. Storage, network, IOPS, fixed costs and per-call components are
// paid either way.
func (p *PhaseResult) ServingCost() decimal.Decimal {
	s := servingCost(&p.Cost, 0, decimal.Zero)
	for _, k := range p.Components {
		if k.Applies && k.Driver == DriverPerNodeHour {
			s = s.Add(k.Cost)
		}
	}
	return s
}

// BuyTotal is the phase's total cost were its calls bought from the API:
// the total less the serving cost, plus the API's bill.
func (p *PhaseResult) BuyTotal() Opt[decimal.Decimal] {
	if !p.APICost.Valid {
		return Opt[decimal.Decimal]{}
	}
	return Some(p.Cost.Total.Sub(p.ServingCost()).Add(p.APICost.Val))
}

// servingCost is what serving calls costs: GPU on demand, committed, spot
// and stranded, and batch overflow, plus perNodeHour a node-hour for the
// components billed by the node-hour. It is what buying from an API
// replaces, and what a phase's volume moves at the break-even search.
func servingCost(c *Costs, nodeHours int64, perNodeHour decimal.Decimal) decimal.Decimal {
	return c.Of(CostGPU).Add(c.Of(CostSpot)).Add(c.Of(CostCommitted)).Add(c.Of(CostStranded)).Add(c.Of(CostBatch)).
		Add(decimal.NewFromInt(nodeHours).Mul(perNodeHour))
}
