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

// Sets reports whether choosing the variant replaces the assumption key.
func (v *Variant) Sets(key string) bool {
	return key == "node_rps" || key == "service_ms" || (key == "node_hourly" && v.NodeHourly.Valid) ||
		(key == "slots" && v.Slots.Valid) || (key == "service_cv" && v.ServiceCV.Valid) ||
		(key == "tokens_per_s" && v.Figures.TokensPerS.Valid)
}

// apply lays the variant's numbers over a.
func (v *Variant) Apply(a Assumptions) Assumptions {
	a.NodeRPS, a.ServiceMs = v.NodeRPS, v.ServiceMs
	if v.NodeHourly.Valid {
		a.NodeHourly = v.NodeHourly.Val
	}
	if v.Slots.Valid {
		a.Slots = v.Slots.Val
	}
	if v.ServiceCV.Valid {
		a.ServiceCV = v.ServiceCV.Val
	}
	if v.Figures.TokensPerS.Valid {
		a.TokensPerS = v.Figures.TokensPerS.Val
	}
	return a
}
