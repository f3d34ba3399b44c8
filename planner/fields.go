package planner

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
)

// FieldKind says what sort of value an assumption holds.
type FieldKind int

const (
	KindText    FieldKind = iota // a label
	KindDecimal                  // an exact decimal (prices, rates, fractions)
	KindCount                    // a whole number
	KindProfile                  // 24 hourly weights
)

// Field describes one assumption: its file key, how people name it, and what
// values it accepts. The same description drives file decoding, per-phase
// overrides and cell edits, so all three accept and refuse the same things.
type Field struct {
	Key      string
	Label    string
	Unit     string
	Kind     FieldKind
	Money    bool // a price in the plan's currency
	Required bool // a plan file must give it
	// Since is the plan format that introduced the key (0 means 1). A
	// plan default equal to Default is not written, so that a plan using
	// nothing new stays format 1.
	Since   int
	Default int64
	// DefaultDec is a decimal field's default when it is not a whole
	// number ("0.9"); Default otherwise.
	DefaultDec string

	rule    rule
	choices []string // a text field's allowed values ("" too: the default)
	dec     func(*Assumptions) *decimal.Decimal
	cnt     func(*Assumptions) *int64
	txt     func(*Assumptions) *string
	prof    func(*Assumptions) *Profile
}

// IsShare says whether the field is a share capped at 1 (a utilisation, a
// probability) rather than a whole number or an open-ended amount.
func (f *Field) IsShare() bool { return f.rule.Max.Equal(one) && !f.rule.Whole }

var (
	zero = decimal.Zero
	one  = decimal.NewFromInt(1)
)

func wholeRule(min, max int64) rule { return jsonfile.WholeRule(min, max) }

var (
	nonNegative = rule{Min: zero, Max: MaxAmount, HasMax: true, ExpectedText: "a number ≥ 0"}
	positive    = rule{Min: zero, MinOpen: true, Max: MaxAmount, HasMax: true, ExpectedText: "a number > 0"}
	fraction    = rule{Min: zero, MinOpen: true, Max: one, HasMax: true, ExpectedText: "a number > 0 and ≤ 1"}
	fraction0   = rule{Min: zero, Max: one, HasMax: true, ExpectedText: "a number from 0 to 1"}
	// An hour of latency is far beyond any inference budget: a typo, not a plan.
	milliseconds = rule{Min: zero, Max: decimal.NewFromInt(3_600_000), HasMax: true, ExpectedText: "a number of milliseconds from 0 to 3,600,000"}
	variability  = rule{Min: zero, Max: decimal.NewFromInt(10), HasMax: true, ExpectedText: "a number from 0 to 10"}
	// A petabyte of memory a GPU is a typo.
	gibibytes = rule{Min: zero, Max: decimal.NewFromInt(1_000_000), HasMax: true, ExpectedText: "a number of GiB from 0 to 1,000,000"}
)

// Limits on whole numbers. They are far beyond any real plan and keep every
// product of them inside int64 and every loop short.
const (
	MaxDays        = 36_500            // a century of phases
	MaxCallsPerDay = 1_000_000_000_000 // a trillion calls a day
	MaxNodes       = 1_000_000
	MaxBytes       = 1_000_000_000_000 // a terabyte per call
	MaxIOPS        = 1_000_000_000
	MaxPhases      = 10_000
	MaxSlots       = 4_096 // far beyond any batch a GPU runs at once
	MaxGPUs        = 1_024 // GPUs in one node
	MaxTokens      = 10_000_000
)

var assumptionFields = []Field{
	{Key: "node_type", Label: "Node type", Kind: KindText,
		txt: func(a *Assumptions) *string { return &a.NodeType }},
	{Key: "node_hourly", Label: "Node price", Unit: "/node-hour", Kind: KindDecimal, Money: true, Required: true, rule: nonNegative,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.NodeHourly }},
	{Key: "node_rps", Label: "Node throughput", Unit: "req/s at 100 %", Kind: KindDecimal, Required: true, rule: positive,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.NodeRPS }},
	{Key: "target_utilization", Label: "Target utilization", Unit: "share of capacity", Kind: KindDecimal, Required: true, rule: fraction,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.TargetUtilization }},
	{Key: "min_nodes", Label: "Minimum nodes", Unit: "nodes", Kind: KindCount, rule: wholeRule(0, MaxNodes),
		cnt: func(a *Assumptions) *int64 { return &a.MinNodes }},
	{Key: "hourly_profile", Label: "Hourly profile", Unit: "24 weights", Kind: KindProfile,
		prof: func(a *Assumptions) *Profile { return &a.HourlyProfile }},
	{Key: "stored_bytes_per_call", Label: "Stored per call", Unit: "bytes", Kind: KindCount, rule: wholeRule(0, MaxBytes),
		cnt: func(a *Assumptions) *int64 { return &a.StoredBytesPerCall }},
	{Key: "retention_days", Label: "Retention", Unit: "days", Kind: KindCount, rule: wholeRule(0, MaxDays),
		cnt: func(a *Assumptions) *int64 { return &a.RetentionDays }},
	{Key: "storage_gb_month", Label: "Storage price", Unit: "/GB-month", Kind: KindDecimal, Money: true, rule: nonNegative,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.StorageGBMonth }},
	{Key: "provisioned_iops", Label: "Provisioned IOPS", Unit: "IOPS", Kind: KindCount, rule: wholeRule(0, MaxIOPS),
		cnt: func(a *Assumptions) *int64 { return &a.ProvisionedIOPS }},
	{Key: "iops_month", Label: "IOPS price", Unit: "/IOPS-month", Kind: KindDecimal, Money: true, rule: nonNegative,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.IOPSMonth }},
	{Key: "egress_bytes_per_call", Label: "Egress per call", Unit: "bytes", Kind: KindCount, rule: wholeRule(0, MaxBytes),
		cnt: func(a *Assumptions) *int64 { return &a.EgressBytesPerCall }},
	{Key: "egress_gb", Label: "Egress price", Unit: "/GB", Kind: KindDecimal, Money: true, rule: nonNegative,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.EgressGB }},
	{Key: "batch_cost_per_call", Label: "Batch price", Unit: "/overflow call", Kind: KindDecimal, Money: true, rule: nonNegative,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.BatchCostPerCall }},
	{Key: "spot_hourly", Label: "Spot price", Unit: "/node-hour (0: none; not latency-safe)", Kind: KindDecimal, Money: true, rule: nonNegative, Since: 2,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.SpotHourly }},
	{Key: "spot_interruption", Label: "Spot interrupted", Unit: "share rerun on demand", Kind: KindDecimal, rule: fraction0, Since: 2,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.SpotInterruption }},
	{Key: "revenue_per_call", Label: "Revenue per call", Unit: "/call", Kind: KindDecimal, Money: true, rule: nonNegative,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.RevenuePerCall }},
	{Key: "fixed_monthly", Label: "Fixed cost", Unit: "/month", Kind: KindDecimal, Money: true, rule: nonNegative,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.FixedMonthly }},
	{Key: "service_ms", Label: "Service time", Unit: "ms (0: not estimated)", Kind: KindDecimal, rule: milliseconds,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.ServiceMs }},
	{Key: "network_ms", Label: "Network", Unit: "ms, in and out", Kind: KindDecimal, rule: milliseconds,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.NetworkMs }},
	{Key: "preprocess_ms", Label: "Pre-processing", Unit: "ms", Kind: KindDecimal, rule: milliseconds,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.PreprocessMs }},
	{Key: "postprocess_ms", Label: "Post-processing", Unit: "ms", Kind: KindDecimal, rule: milliseconds,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.PostprocessMs }},
	{Key: "service_cv", Label: "Service variability", Unit: "CV (1 exponential, 0 constant)", Kind: KindDecimal, rule: variability,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.ServiceCV }},
	{Key: "slots", Label: "Slots per node", Unit: "calls served at once", Kind: KindCount, rule: wholeRule(1, MaxSlots), Since: 2, Default: 1,
		cnt: func(a *Assumptions) *int64 { return &a.Slots }},
	{Key: "tokens_per_s", Label: "Tokens per second", Unit: "a node, input + output (0: not given)", Kind: KindDecimal, rule: nonNegative, Since: 2,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.TokensPerS }},
	{Key: "api_price_in", Label: "API price, input", Unit: "/million tokens (0: no API)", Kind: KindDecimal, Money: true, rule: nonNegative, Since: 2,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.APIPriceIn }},
	{Key: "api_price_out", Label: "API price, output", Unit: "/million tokens", Kind: KindDecimal, Money: true, rule: nonNegative, Since: 2,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.APIPriceOut }},
	{Key: "gpus_per_node", Label: "GPUs per node", Unit: "GPUs (0: memory not checked)", Kind: KindCount, rule: wholeRule(0, MaxGPUs), Since: 2,
		cnt: func(a *Assumptions) *int64 { return &a.GPUsPerNode }},
	{Key: "gpu_memory_gib", Label: "GPU memory", Unit: "GiB a GPU", Kind: KindDecimal, rule: gibibytes, Since: 2,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.GPUMemoryGiB }},
	{Key: "tensor_parallel", Label: "Tensor parallelism", Unit: "GPUs a model replica spans", Kind: KindCount, rule: wholeRule(1, MaxGPUs), Since: 2, Default: 1,
		cnt: func(a *Assumptions) *int64 { return &a.TensorParallel }},
	{Key: "gpu_memory_utilization", Label: "GPU memory used", Unit: "share the server may take", Kind: KindDecimal, rule: fraction, Since: 2, DefaultDec: "0.9",
		dec: func(a *Assumptions) *decimal.Decimal { return &a.GPUMemoryUtilization }},
	{Key: "gpu_overhead_gib", Label: "GPU overhead", Unit: "GiB a GPU: activations, runtime", Kind: KindDecimal, rule: gibibytes, Since: 2,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.GPUOverheadGiB }},
	// LLM serving (serving.go), format 2.
	{Key: KeyServing, Label: "Serving", Unit: "calls, or tokens (LLM steps)", Kind: KindText, Since: 2, choices: servingModes,
		txt: func(a *Assumptions) *string { return &a.Serving }},
	{Key: KeyOutputDist, Label: "Output tokens spread", Unit: "fixed or geometric", Kind: KindText, Since: 2, choices: outputDists,
		txt: func(a *Assumptions) *string { return &a.OutputDist }},
	{Key: KeyPrefill, Label: "Prefill rate", Unit: "prompt tokens a replica a second", Kind: KindDecimal, rule: nonNegative, Since: 2,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.PrefillTokensPerS }},
	{Key: KeyStepBase, Label: "Decode step, base", Unit: "ms a step", Kind: KindDecimal, rule: milliseconds, Since: 2,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.StepBaseMs }},
	{Key: KeyStepPerSeq, Label: "Decode step, per sequence", Unit: "ms each running sequence adds", Kind: KindDecimal, rule: milliseconds, Since: 2,
		dec: func(a *Assumptions) *decimal.Decimal { return &a.StepPerSeqMs }},
	{Key: KeyMaxBatch, Label: "Max batch", Unit: "sequences a replica runs at once (0: 256, vLLM's)", Kind: KindCount, rule: wholeRule(0, MaxSlots), Since: 2, Default: DefaultMaxBatch,
		cnt: func(a *Assumptions) *int64 { return &a.MaxBatch }},
}

// defaultGPUMemoryUtilization is vLLM's default share of GPU memory.
var defaultGPUMemoryUtilization = decimal.RequireFromString("0.9")

// AssumptionFields describes every assumption, in file order.
func AssumptionFields() []Field { return append([]Field(nil), assumptionFields...) }

// LookupField returns the assumption with the given file key.
func LookupField(key string) (Field, bool) {
	if i := fieldIndex(key); i >= 0 {
		return assumptionFields[i], true
	}
	return Field{}, false
}

func fieldIndex(key string) int {
	for i := range assumptionFields {
		if assumptionFields[i].Key == key {
			return i
		}
	}
	return -1
}

// copy sets f's value in dst to its value in src.
func (f *Field) copy(dst, src *Assumptions) {
	switch f.Kind {
	case KindText:
		*f.txt(dst) = *f.txt(src)
	case KindDecimal:
		*f.dec(dst) = *f.dec(src)
	case KindCount:
		*f.cnt(dst) = *f.cnt(src)
	case KindProfile:
		*f.prof(dst) = *f.prof(src)
	}
}

// isDefault reports whether a holds the field's default (format-2 counts only).
func (f *Field) isDefault(a *Assumptions) bool {
	switch f.Kind {
	case KindCount:
		return *f.cnt(a) == f.Default || (f.Key == KeyMaxBatch && *f.cnt(a) == 0)
	case KindDecimal:
		if f.DefaultDec != "" {
			return f.dec(a).Equal(decimal.RequireFromString(f.DefaultDec))
		}
		return f.dec(a).Equal(decimal.NewFromInt(f.Default))
	case KindText:
		return *f.txt(a) == ""
	}
	return false
}

// Expected says in words what the field accepts.
func (f Field) Expected() string {
	switch f.Kind {
	case KindText:
		if len(f.choices) > 0 {
			return "one of " + jsonfile.Quoted(f.choices)
		}
		return "text"
	case KindProfile:
		return "24 numbers ≥ 0, not all 0"
	}
	return f.rule.ExpectedText
}

// Text returns a's value of f as plain text, exactly (no grouping or
// rounding), the way an editor shows it for editing.
func (f Field) Text(a *Assumptions) string {
	switch f.Kind {
	case KindText:
		return *f.txt(a)
	case KindDecimal:
		return f.dec(a).String()
	case KindCount:
		return fmt.Sprint(*f.cnt(a))
	default:
		p := f.prof(a)
		s := ""
		for i, w := range p {
			if i > 0 {
				s += " "
			}
			s += w.String()
		}
		return s
	}
}

// Number returns a's value of a decimal or count field (zero for others).
func (f Field) Number(a *Assumptions) decimal.Decimal {
	switch f.Kind {
	case KindDecimal:
		return *f.dec(a)
	case KindCount:
		return decimal.NewFromInt(*f.cnt(a))
	}
	return decimal.Zero
}

// set sets a decimal or count field of a to x (a count to its whole part).
func (f *Field) set(a *Assumptions, x decimal.Decimal) {
	switch f.Kind {
	case KindDecimal:
		*f.dec(a) = x
	case KindCount:
		*f.cnt(a) = x.IntPart()
	}
}

// InputLabel names an input's path for people: "Node price (Launch)".
func InputLabel(path string) string {
	section, name, key, ok := SplitPath(path)
	if !ok {
		return path
	}
	label := key
	if f, ok := LookupField(key); ok {
		label = f.Label
	} else if f, ok := LookupPhaseField(key); ok {
		label = f.Label
	} else {
		label = strings.ReplaceAll(key, "_", " ")
		label = format.Capitalize(label)
	}
	switch section {
	case "assumptions":
		return label
	case "phases":
		return label + " (" + name + ")"
	}
	return label + " (" + strings.TrimSuffix(section, "s") + " " + name + ")"
}
