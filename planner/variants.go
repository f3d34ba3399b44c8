package planner

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
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
}

// variant returns the plan's variant called name.
func (p *Plan) variant(name string) (*Variant, bool) {
	for i := range p.Variants {
		if p.Variants[i].Name == name {
			return &p.Variants[i], true
		}
	}
	return nil, false
}

// VariantOf returns the variant phase i runs, if any.
func (p *Plan) VariantOf(i int) (*Variant, bool) { return p.variant(p.Phases[i].Variant) }

// Sets reports whether choosing the variant replaces the assumption key.
func (v *Variant) Sets(key string) bool {
	return key == "node_rps" || key == "service_ms" || (key == "node_hourly" && v.NodeHourly.Valid)
}

// apply lays the variant's numbers over a.
func (v *Variant) apply(a Assumptions) Assumptions {
	a.NodeRPS, a.ServiceMs = v.NodeRPS, v.ServiceMs
	if v.NodeHourly.Valid {
		a.NodeHourly = v.NodeHourly.Val
	}
	return a
}

// VariantResult is one variant's showing in one phase, sized to its own
// needs (the phase's node ceiling set aside, so a slower model is not judged
// on a fleet sized for a faster one).
type VariantResult struct {
	Name        string
	Accuracy    decimal.Decimal
	Chosen      bool // the variant the plan runs in this phase
	Phase       PhaseResult
	MeetsSLOs   bool // every check passes
	MeetsFloor  bool // accuracy ≥ slo.min_accuracy (true without a floor)
	FailedNames []string
}

// VariantComparison is every variant of a plan in one phase, and the verdict.
type VariantComparison struct {
	Variants []VariantResult
	Cheapest int    // index of the cheapest variant meeting every SLO and the floor; -1 when none does
	Verdict  string // the finding in words
}

// CompareVariants runs phase i under each of the plan's variants.
func CompareVariants(p Plan, i int) VariantComparison {
	cmp := VariantComparison{Cheapest: -1}
	if len(p.Variants) == 0 {
		return cmp
	}
	for _, v := range p.Variants {
		q := p.Clone()
		q.Phases[i].Variant = v.Name
		q.Phases[i].Nodes = Opt[int64]{}
		ph := Compute(q).Phases[i]
		vr := VariantResult{Name: v.Name, Accuracy: v.Accuracy, Chosen: p.Phases[i].Variant == v.Name, Phase: ph, MeetsSLOs: true, MeetsFloor: true}
		for _, c := range ph.Checks {
			if !c.OK {
				vr.MeetsSLOs = false
				vr.FailedNames = append(vr.FailedNames, c.Name)
			}
		}
		if p.SLO.MinAccuracy.Valid && v.Accuracy.LessThan(p.SLO.MinAccuracy.Val) {
			vr.MeetsFloor = false
		}
		cmp.Variants = append(cmp.Variants, vr)
	}
	for k, v := range cmp.Variants {
		if v.MeetsSLOs && v.MeetsFloor && (cmp.Cheapest < 0 || v.Phase.Cost.Total.LessThan(cmp.Variants[cmp.Cheapest].Phase.Cost.Total)) {
			cmp.Cheapest = k
		}
	}
	cmp.Verdict = cmp.verdict(p.Currency)
	return cmp
}

func (c *VariantComparison) verdict(currency string) string {
	if c.Cheapest < 0 {
		return "no variant meets every SLO and the accuracy floor when sized to its own needs"
	}
	best := &c.Variants[c.Cheapest]
	chosen := -1
	for k := range c.Variants {
		if c.Variants[k].Chosen {
			chosen = k
		}
	}
	s := fmt.Sprintf("%s is the cheapest variant that meets every SLO: %s", best.Name, moneyWords(best.Phase.Cost.Total, currency))
	if chosen < 0 || chosen == c.Cheapest {
		return s
	}
	ch := &c.Variants[chosen]
	saving := ch.Phase.Cost.Total.Sub(best.Phase.Cost.Total)
	lost := ch.Accuracy.Sub(best.Accuracy)
	switch {
	case saving.Sign() > 0 && lost.Sign() > 0:
		return s + fmt.Sprintf("; against the chosen %s it gives up %s points of accuracy to save %s", ch.Name, pointsWords(lost), moneyWords(saving, currency))
	case saving.Sign() > 0:
		return s + fmt.Sprintf("; it is also at least as accurate as the chosen %s and saves %s", ch.Name, moneyWords(saving, currency))
	}
	return s
}

func moneyWords(d decimal.Decimal, currency string) string { return format.Money(d, currency) }

func pointsWords(d decimal.Decimal) string { return format.Decimal(d.Shift(2), 1) }

// LatencyWords says the variant's p99 in the phase: "p99 70.9 ms",
// "saturated" or "p99 not estimated".
func (v *VariantResult) LatencyWords() string {
	l := v.Phase.Latency
	switch {
	case !l.Estimated:
		return "p99 not estimated"
	case l.Saturated:
		return "saturated"
	}
	return "p99 " + ms(l.P99Ms) + " ms"
}

// Standing says whether the variant passes: "meets every SLO", or which
// checks it fails and whether it is below the accuracy floor.
func (v *VariantResult) Standing() string {
	s := "meets every SLO"
	if !v.MeetsSLOs {
		s = "fails " + strings.Join(v.FailedNames, ", ")
	}
	if !v.MeetsFloor {
		s += ", below the accuracy floor"
	}
	return s
}
