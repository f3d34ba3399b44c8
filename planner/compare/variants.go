package compare

import (
	"fmt"
	"strings"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/shopspring/decimal"
)

// VariantResult is one variant's showing in one phase, sized to its own
// needs (the phase's node ceiling set aside, so a slower model is not judged
// on a fleet sized for a faster one).
type VariantResult struct {
	Name        string
	Accuracy    decimal.Decimal
	Chosen      bool // the variant the plan runs in this phase
	Phase       planner.PhaseResult
	MeetsSLOs   bool // every check passes
	MeetsFloor  bool // accuracy ≥ slo.min_accuracy (true without a floor)
	FailedNames []string
}

// VariantComparison is every variant of a plan in one phase, and the verdict.
type VariantComparison struct {
	Variants []VariantResult
	Cheapest int    // index of the cheapest variant meeting every SLO and the floor; -1 when none does
	Verdict  string // the finding in words

	currency string
}

// Variants runs phase i under each of the plan's variants.
func Variants(p planner.Plan, i int) VariantComparison {
	if len(p.Variants) == 0 {
		return VariantComparison{Cheapest: -1}
	}
	r := planner.Compute(p)
	return VariantsIn(p, &r, i)
}

// VariantsIn is Variants on a plan already computed as r: each
// variant costs one phase, so comparing every phase of a long plan is
// linear in its length.
func VariantsIn(p planner.Plan, r *planner.Result, i int) VariantComparison {
	cmp := VariantComparison{Cheapest: -1, currency: p.Currency}
	if len(p.Variants) == 0 {
		return cmp
	}
	for _, v := range p.Variants {
		q := p.Phases[i]
		q.Variant = v.Name
		q.Nodes = planner.Opt[int64]{}
		a := q.Overrides.Apply(v.Apply(p.Assumptions))
		ph := r.WhatIf(&p, i, q, a)
		vr := VariantResult{Name: v.Name, Accuracy: v.Accuracy, Chosen: p.Phases[i].Variant == v.Name, Phase: ph, MeetsSLOs: true, MeetsFloor: true}
		for _, c := range ph.Checks {
			if !c.OK {
				vr.MeetsSLOs = false
				vr.FailedNames = append(vr.FailedNames, c.Name)
			}
		}
		if ph.Nodes > planner.MaxNodes {
			vr.MeetsSLOs = false
			vr.FailedNames = append(vr.FailedNames, fmt.Sprintf("fleet size (%s nodes, over the %s a plan allows)", format.Count(ph.Nodes), format.Count(planner.MaxNodes)))
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
	return "p99 " + format.Decimal(decimal.NewFromFloat(l.P99Ms), 1) + " ms"
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

// Hypothesis is the batch-size hypothesis — "if we increase batch size, we
// can halve GPU cost" — put to the model: a variant that runs the same model
// (same accuracy and node price) with more slots, set against the one with
// fewer, each sized to its own needs.
type Hypothesis struct {
	Base, Batched string
	BaseSlots     int64
	BatchedSlots  int64
	GPUSaving     float64 // share of the base's GPU cost the batched variant saves
	Halves        bool    // it saves at least half
	UtilBase      planner.Opt[decimal.Decimal]
	UtilBatched   planner.Opt[decimal.Decimal]
	P99Base       string // "p99 176.5 ms", "saturated" or "p99 not estimated"
	P99Batched    string
	MeetsP99      bool // the batched variant passes its p99 check (true with none)
	Words         string
}

// Hypotheses finds the batch-size pairs among the compared variants.
func (c *VariantComparison) Hypotheses() []Hypothesis {
	var out []Hypothesis
	for i := range c.Variants {
		for j := range c.Variants {
			a, b := &c.Variants[i], &c.Variants[j]
			ai, bi := &a.Phase.Inputs, &b.Phase.Inputs
			if bi.Slots <= ai.Slots || !a.Accuracy.Equal(b.Accuracy) || !ai.NodeHourly.Equal(bi.NodeHourly) || a.Phase.Cost.Of(planner.CostGPU).IsZero() {
				continue
			}
			h := Hypothesis{Base: a.Name, Batched: b.Name, BaseSlots: ai.Slots, BatchedSlots: bi.Slots,
				GPUSaving:   a.Phase.Cost.Of(planner.CostGPU).Sub(b.Phase.Cost.Of(planner.CostGPU)).Div(a.Phase.Cost.Of(planner.CostGPU)).InexactFloat64(),
				UtilBase:    a.Phase.AvgUtilization,
				UtilBatched: b.Phase.AvgUtilization,
				P99Base:     a.LatencyWords(), P99Batched: b.LatencyWords(), MeetsP99: true}
			h.Halves = h.GPUSaving >= 0.5
			for _, ch := range b.Phase.Checks {
				if ch.Name == planner.CheckP99 && !ch.OK {
					h.MeetsP99 = false
				}
			}
			verdict := "refuted: batching does not halve GPU cost"
			switch {
			case h.Halves && h.MeetsP99:
				verdict = "confirmed: GPU cost halves and the p99 target still holds"
			case h.Halves:
				verdict = "confirmed on cost, refuted by latency: the p99 target fails"
			case !h.MeetsP99:
				verdict = "refuted: GPU cost does not halve, and the p99 target fails"
			}
			h.Words = fmt.Sprintf("Batch-size hypothesis (\"increase batch size to halve GPU cost\"): %s runs %s a node against %s's %s — GPU %s against %s (%s), average utilization %s against %s, %s against %s; %s",
				b.Name, format.Plural(bi.Slots, "slot", "slots"), a.Name, format.Plural(ai.Slots, "slot", "slots"), format.Money(b.Phase.Cost.Of(planner.CostGPU), c.currency), format.Money(a.Phase.Cost.Of(planner.CostGPU), c.currency),
				savingWords(h.GPUSaving), optShare(h.UtilBatched), optShare(h.UtilBase), h.P99Batched, h.P99Base, verdict)
			out = append(out, h)
		}
	}
	return out
}

func savingWords(s float64) string {
	if s >= 0 {
		return fmt.Sprintf("%.1f %% less; halving is 50 %%", 100*s)
	}
	return fmt.Sprintf("%.1f %% more", -100*s)
}

func optShare(o planner.Opt[decimal.Decimal]) string {
	if !o.Valid {
		return format.None
	}
	return format.Percent(o.Val, 1)
}
