package planner

import (
	"github.com/shopspring/decimal"
)

// Variant is a model the service could run: a large model, a distilled one.
// Choosing it for a phase replaces the node throughput, the service time
// and, when given, the node price.
type Variant struct {
	Name       string
	Accuracy   decimal.Decimal      // fraction, e.g. 0.912
	NodeRPS    decimal.Decimal      // requests/s one node sustains with this model
	ServiceMs  decimal.Decimal      // service time with this model
	NodeHourly Opt[decimal.Decimal] // a different node (a smaller GPU) for this model
	Slots      Opt[int64]           // calls a node serves at once with this model (format 2)
	ServiceCV  Opt[decimal.Decimal] // its service time's variability (format 2)
	// Figures are the model's tokens and architecture (format 2): see
	// variantFigures.
	Figures VariantFigures
}

// variant returns the plan's variant called name.
func (p *Plan) Variant(name string) (*Variant, bool) {
	for i := range p.Variants {
		if p.Variants[i].Name == name {
			return &p.Variants[i], true
		}
	}
	return nil, false
}

// VariantOf returns the variant phase i runs, if any.
func (p *Plan) VariantOf(i int) (*Variant, bool) { return p.Variant(p.Phases[i].Variant) }

// variantSetting is one number a variant may give. variantSettings lists
// them in file order, and decoding, saving, ranges, scenarios and choosing
// a variant loop over it: a new setting is one entry.
type variantSetting struct {
	Key    string
	rule   rule
	always bool // written even when zero, and required by the file when required
	// required: a file must give it; ranged: it may be a range; share:
	// typed as a share (accuracy); figure: one of Figures, emptied by
	// empty text.
	required, ranged, share, figure bool
	get                             func(*Variant) Opt[decimal.Decimal]
	set                             func(*Variant, Opt[decimal.Decimal])
}

// variantSettings are a variant's numbers, in file order: its accuracy,
// throughput, service time, node price, slots and variability, then its
// tokens and architecture (variantFigures). Those that name an assumption
// (node_rps … tokens_per_s) replace it in a phase that runs the variant.
var variantSettings = append([]variantSetting{
	{Key: "accuracy", rule: fraction0, always: true, required: true, ranged: true, share: true,
		get: func(v *Variant) Opt[decimal.Decimal] { return Some(v.Accuracy) }, set: func(v *Variant, x Opt[decimal.Decimal]) { v.Accuracy = x.Val }},
	{Key: "node_rps", rule: positive, always: true, required: true, ranged: true,
		get: func(v *Variant) Opt[decimal.Decimal] { return Some(v.NodeRPS) }, set: func(v *Variant, x Opt[decimal.Decimal]) { v.NodeRPS = x.Val }},
	{Key: "service_ms", rule: milliseconds, always: true, ranged: true,
		get: func(v *Variant) Opt[decimal.Decimal] { return Some(v.ServiceMs) }, set: func(v *Variant, x Opt[decimal.Decimal]) { v.ServiceMs = x.Val }},
	{Key: "node_hourly", rule: nonNegative, ranged: true,
		get: func(v *Variant) Opt[decimal.Decimal] { return v.NodeHourly }, set: func(v *Variant, x Opt[decimal.Decimal]) { v.NodeHourly = x }},
	{Key: "slots", rule: wholeRule(1, MaxSlots), ranged: true,
		get: func(v *Variant) Opt[decimal.Decimal] {
			if !v.Slots.Valid {
				return Opt[decimal.Decimal]{}
			}
			return Some(decimal.NewFromInt(v.Slots.Val))
		},
		set: func(v *Variant, x Opt[decimal.Decimal]) { v.Slots = Opt[int64]{Val: x.Val.IntPart(), Valid: x.Valid} }},
	{Key: "service_cv", rule: variability, ranged: true,
		get: func(v *Variant) Opt[decimal.Decimal] { return v.ServiceCV }, set: func(v *Variant, x Opt[decimal.Decimal]) { v.ServiceCV = x }},
}, figureSettings()...)

// figureSettings are the variant's figures as settings.
func figureSettings() []variantSetting {
	out := make([]variantSetting, len(variantFigures))
	for i, f := range variantFigures {
		out[i] = variantSetting{Key: f.Key, rule: f.rule, figure: true,
			get: func(v *Variant) Opt[decimal.Decimal] { return *f.get(&v.Figures) },
			set: func(v *Variant, x Opt[decimal.Decimal]) { *f.get(&v.Figures) = x }}
	}
	return out
}

func lookupVariantSetting(key string) (variantSetting, bool) {
	for _, s := range variantSettings {
		if s.Key == key {
			return s, true
		}
	}
	return variantSetting{}, false
}

func variantSettingKeys() []string {
	out := make([]string, len(variantSettings))
	for i, s := range variantSettings {
		out[i] = s.Key
	}
	return out
}

// Sets reports whether choosing the variant replaces the assumption key.
func (v *Variant) Sets(key string) bool {
	s, ok := lookupVariantSetting(key)
	_, assumption := LookupField(key)
	return ok && assumption && s.get(v).Valid
}

// Apply lays the variant's numbers over a.
func (v *Variant) Apply(a Assumptions) Assumptions {
	for _, s := range variantSettings {
		f, assumption := LookupField(s.Key)
		if x := s.get(v); assumption && x.Valid {
			f.set(&a, x.Val)
		}
	}
	return a
}
