package planner

import (
	"github.com/shopspring/decimal"
)

// FormatVersion is the newest plan file format this build reads and
// writes. Plans are written in the lowest format that holds them (see
// FormatOf), so a plan that uses nothing new still saves as format 1.
const FormatVersion = 2

// DefaultCurrency is used when a plan names none.
const DefaultCurrency = "USD"

// Plan is a phased roadmap for an inference service. It is a value: copy it
// with Clone before changing a copy that others hold.
type Plan struct {
	Schema      string // "$schema": the JSON Schema the file names for editors (format 2), kept as it is
	Name        string
	Currency    string // ISO 4217 code, e.g. "USD"
	StartDate   Date
	Notes       string
	Assumptions Assumptions // defaults for every phase
	SLO         SLO
	Variants    []Variant        // models a phase may run instead; empty for most plans
	Components  []Component      // design elements tied to a cost (components.go); empty for most plans
	Scenarios   []Scenario       // alternative designs as overrides on this plan (scenarios.go)
	Ranges      []InputRange     // uncertain inputs, by path (ranges.go); the inputs hold their medians
	PriceRefs   []PriceRef       // node prices cited from a price book, by path (pricerefs.go); the inputs hold the prices
	Commitments []HeldCommitment // capacity bought for a term, billed every hour of it (held.go)
	Measured    []Measurement    // inputs read from load tests, by path (measured.go); the inputs hold the values
	// ActualsMapping maps a bill's rows to cost lines (actualsmap.go).
	ActualsMapping []ActualsRule
	Phases         []Phase
}

// Assumptions are the inputs every phase uses unless it overrides them.
// Prices are in the plan's currency; counts are whole.
type Assumptions struct {
	NodeType           string          // a label, e.g. "p5.4xlarge (1× H100)"
	NodeHourly         decimal.Decimal // price of one node for one hour
	NodeRPS            decimal.Decimal // requests/s one node sustains at 100 % busy
	TargetUtilization  decimal.Decimal // share of a node's capacity planned at peak, (0, 1]
	MinNodes           int64
	HourlyProfile      Profile // weights of the daily load by hour
	StoredBytesPerCall int64
	RetentionDays      int64
	StorageGBMonth     decimal.Decimal // price per GB-month
	ProvisionedIOPS    int64
	IOPSMonth          decimal.Decimal // price per provisioned IOPS per month
	EgressBytesPerCall int64
	EgressGB           decimal.Decimal // price per GB sent out
	BatchCostPerCall   decimal.Decimal // price of serving one overflow call by batch
	RevenuePerCall     decimal.Decimal
	FixedMonthly       decimal.Decimal
	// Spot: with SpotHourly > 0 the node-hours no commitment serves run on
	// spot, expected to cost (1 − q)·spot + q·on-demand for the share q
	// interrupted and rerun on demand. Not latency-safe. Format 2.
	SpotHourly       decimal.Decimal
	SpotInterruption decimal.Decimal

	// The latency budget. With ServiceMs 0 latency is not estimated and
	// sizing is by utilization alone, as before these inputs existed.
	ServiceMs     decimal.Decimal // time a request spends being served, ms
	NetworkMs     decimal.Decimal // network in and out, ms
	PreprocessMs  decimal.Decimal
	PostprocessMs decimal.Decimal
	ServiceCV     decimal.Decimal // coefficient of variation of service time: 1 exponential, 0 constant
	// Slots is how many calls a node serves at once (continuous batching):
	// the node's queue has nodes × slots servers. A format-2 input; 1 when
	// the plan does not say.
	Slots int64

	// Tokens and GPU memory (tokens.go, memory.go). Format 2. TokensPerS
	// is what a node processes, input and output, at full throughput; with
	// a phase's tokens per call it sets the node's throughput.
	TokensPerS           decimal.Decimal
	APIPriceIn           decimal.Decimal // an API's price per million input tokens; 0 for no API
	APIPriceOut          decimal.Decimal // per million output tokens
	GPUsPerNode          int64           // 0: node memory not given, memory not checked
	GPUMemoryGiB         decimal.Decimal // per GPU
	TensorParallel       int64           // GPUs one model replica spans
	GPUMemoryUtilization decimal.Decimal // the share of GPU memory the server may take (vLLM's 0.90)
	GPUOverheadGiB       decimal.Decimal // per GPU: activations, CUDA graphs, runtime

	// LLM serving (serving.go). Format 2. With Serving "tokens" the
	// replicas batch step by step and the phase is sized on TTFT and TPOT.
	Serving                  string // "calls" (or "") or "tokens"
	OutputDist               string // "fixed" (or "") or "geometric"
	PrefillTokensPerS        decimal.Decimal
	StepBaseMs, StepPerSeqMs decimal.Decimal // a step of n decoding sequences: base + per_seq·n ms
	MaxBatch                 int64

	// componentsMs is the request-path milliseconds of the plan's
	// components that apply to the phase: part of the fixed latency. Set
	// by Plan.Effective; not an input of its own.
	componentsMs decimal.Decimal
	// The phase's tokens per call and its variant's architecture, set by
	// Plan.Effective (tokens.go).
	tokens tokensPerCall
	arch   *Variant
	// rpsFromServing: node_rps was not given and is the serving rules'
	// capacity at max_batch (serving.go).
	rpsFromServing bool
}

// ComponentsMs is the milliseconds the plan's components add to each call.
func (a *Assumptions) ComponentsMs() decimal.Decimal { return a.componentsMs }

// FixedMs is the latency every call pays besides its queue and service:
// network, pre- and post-processing and the components on the request path.
func (a *Assumptions) FixedMs() decimal.Decimal {
	return a.NetworkMs.Add(a.PreprocessMs).Add(a.PostprocessMs).Add(a.componentsMs)
}

// Profile holds 24 non-negative weights, hour 0 to 23, of a day's load. Only
// their proportions matter.
type Profile [24]decimal.Decimal

// FlatProfile spreads load evenly over the day.
func FlatProfile() Profile {
	var p Profile
	for i := range p {
		p[i] = decimal.NewFromInt(1)
	}
	return p
}

// Equal reports whether p and q hold the same weights, exactly.
func (p Profile) Equal(q Profile) bool {
	for i := range p {
		if !p[i].Equal(q[i]) {
			return false
		}
	}
	return true
}

// SLO holds the plan's service-level objectives. An unset objective is not
// checked.
type SLO struct {
	P99Ms          Opt[decimal.Decimal] // p99 latency target, ms
	MaxCostPerCall Opt[decimal.Decimal]
	MinUtilization Opt[decimal.Decimal] // fraction, e.g. 0.6
	MinAccuracy    Opt[decimal.Decimal] // the accuracy floor a model variant must meet
	// Token objectives (serving.go), format 2.
	TTFTp99Ms, TPOTp99Ms, GoodputMin Opt[decimal.Decimal]
}

// Scaling says how a phase's node count follows its load during the day.
type Scaling string

const (
	// Fixed runs the phase's node count around the clock.
	Fixed Scaling = "fixed"
	// Autoscale follows the previous hour's load, as a reactive scaler does.
	Autoscale Scaling = "autoscale"
	// Predictive provisions each hour ahead from the forecast load.
	Predictive Scaling = "predictive"
)

// Scalings lists the valid scaling modes in the order a menu shows them.
var Scalings = []Scaling{Fixed, Autoscale, Predictive}

// Phase is one stretch of the roadmap.
type Phase struct {
	Name        string
	Days        int64
	CallsPerDay int64
	Nodes       Opt[int64] // the node ceiling; unset means sized automatically
	Scaling     Scaling
	OneTime     decimal.Decimal // paid on the phase's first day
	Notes       string          // speaker notes for presenting the phase
	Variant     string          // the model variant the phase runs; "" for the plan's own node figures
	// Tokens per call, input and output (format 2); unset, the variant's.
	InputTokens, OutputTokens Opt[int64]
	Overrides                 Overrides
}

// Opt is a value that may be absent.
type Opt[T any] struct {
	Val   T
	Valid bool
}

// Some returns a present Opt.
func Some[T any](v T) Opt[T] { return Opt[T]{Val: v, Valid: true} }

// Overrides are the assumptions one phase sets for itself. The zero value
// overrides nothing.
type Overrides struct {
	vals Assumptions
	set  uint64 // bit i set: assumptionFields[i] is overridden
}

// Has reports whether the phase overrides the assumption with the given key.
func (o Overrides) Has(key string) bool {
	i := fieldIndex(key)
	return i >= 0 && o.set&(1<<i) != 0
}

// Keys lists the overridden keys in file order.
func (o Overrides) Keys() []string {
	var keys []string
	for i, f := range assumptionFields {
		if o.set&(1<<i) != 0 {
			keys = append(keys, f.Key)
		}
	}
	return keys
}

// Len is the number of overridden assumptions.
func (o Overrides) Len() int {
	n := 0
	for s := o.set; s != 0; s &= s - 1 {
		n++
	}
	return n
}

// Clear removes the override of key, so the phase uses the plan default.
func (o *Overrides) Clear(key string) {
	if i := fieldIndex(key); i >= 0 {
		o.set &^= 1 << i
		assumptionFields[i].copy(&o.vals, &Assumptions{})
	}
}

// Apply returns defaults with this phase's overrides laid over them.
func (o Overrides) Apply(defaults Assumptions) Assumptions {
	if o.set == 0 {
		return defaults
	}
	a := defaults
	for i, f := range assumptionFields {
		if o.set&(1<<i) != 0 {
			f.copy(&a, &o.vals)
		}
	}
	return a
}

// Effective returns the assumptions phase i runs with: the plan's defaults,
// then its model variant's figures, then its own overrides.
func (p *Plan) Effective(i int) Assumptions {
	a := p.Assumptions
	if v, ok := p.Variant(p.Phases[i].Variant); ok {
		a = v.Apply(a)
	}
	a = p.Phases[i].Overrides.Apply(a)
	a.componentsMs = p.componentsMs(i)
	p.applyTokens(i, &a)
	return a
}

// Clone returns a deep copy that shares nothing mutable with p.
func (p Plan) Clone() Plan {
	c := p
	c.Phases = append([]Phase(nil), p.Phases...)
	c.Variants = append([]Variant(nil), p.Variants...)
	c.Components = append([]Component(nil), p.Components...)
	for i := range c.Components {
		if ph := c.Components[i].Phases; ph != nil {
			c.Components[i].Phases = append([]string{}, ph...)
		}
	}
	c.Scenarios = append([]Scenario(nil), p.Scenarios...)
	c.Ranges = append([]InputRange(nil), p.Ranges...)
	c.PriceRefs = append([]PriceRef(nil), p.PriceRefs...)
	c.Commitments = append([]HeldCommitment(nil), p.Commitments...)
	c.Measured = append([]Measurement(nil), p.Measured...)
	c.ActualsMapping = append([]ActualsRule(nil), p.ActualsMapping...)
	for i := range c.Scenarios {
		c.Scenarios[i].Overrides = append([]ScenarioOverride(nil), c.Scenarios[i].Overrides...)
	}
	return c
}

// PhaseIndex maps each phase name to its first index.
func PhaseIndex(p Plan) map[string]int {
	m := make(map[string]int, len(p.Phases))
	for i := len(p.Phases) - 1; i >= 0; i-- {
		m[p.Phases[i].Name] = i
	}
	return m
}
