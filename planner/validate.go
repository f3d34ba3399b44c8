package planner

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
)

// Validate checks a plan built in code (an edited copy, say) by the same
// rules a plan file is held to. It returns Errors, each with a JSON path, or
// nil.
func Validate(p Plan) error {
	_, err := Parse(Marshal(p))
	return err
}

// crossCheck finds problems that no single value shows: limits on the plan
// as a whole. It runs after every value has been read successfully.
func crossCheck(p Plan) Errors {
	var errs Errors
	var total int64
	for _, ph := range p.Phases {
		total += ph.Days
	}
	if total > MaxDays {
		errs.Add("phases", fmt.Sprintf("the phases add up to %s days; a plan may span at most %s days",
			format.Count(total), format.Count(MaxDays)))
	} else if end := p.StartDate.AddDays(total - 1); end.After(jsonfile.LastDate) {
		errs.Add("phases", fmt.Sprintf("the plan would end on %s, after %s, the last date a workbook can hold", end, jsonfile.LastDate))
	}
	if p.StartDate.Before(jsonfile.FirstDate) {
		errs.Add("start_date", fmt.Sprintf("must be on or after %s, the first date a workbook counts correctly, got %s", jsonfile.FirstDate, p.StartDate))
	}
	seen := map[string]bool{}
	var names []string
	for i, v := range p.Variants {
		if seen[v.Name] {
			errs.Add(fmt.Sprintf("variants[%d].name", i), fmt.Sprintf("%q names two variants; names must differ", v.Name))
		}
		seen[v.Name] = true
		names = append(names, fmt.Sprintf("%q", v.Name))
		checkArchitecture(fmt.Sprintf("variants[%d]", i), &v.Figures, &errs)
	}
	for i, ph := range p.Phases {
		if ph.Variant != "" && !seen[ph.Variant] {
			known := "the plan lists no variants"
			if len(names) > 0 {
				known = "the plan lists " + strings.Join(names, ", ")
			}
			errs.Add(fmt.Sprintf("phases[%d].variant", i), fmt.Sprintf("no variant is named %q; %s", ph.Variant, known))
		}
	}
	checkComponents(p, &errs)
	checkCommitments(p, &errs)
	checkMeasured(p, &errs)
	checkActualsMapping(p, &errs)
	checkServing(p, &errs)
	if len(errs) > 0 {
		return errs // a phase's figures depend on its variant: size nothing until they resolve
	}
	for i := range p.Phases {
		if a := p.Effective(i); a.GPUsPerNode > 0 && a.TensorParallel > a.GPUsPerNode {
			path := "assumptions.tensor_parallel"
			if p.Phases[i].Overrides.Has("tensor_parallel") || p.Phases[i].Overrides.Has("gpus_per_node") {
				path = fmt.Sprintf("phases[%d].overrides", i)
			}
			errs.Add(path, fmt.Sprintf("a model replica spans %d GPUs (tensor_parallel) but a node has %d (gpus_per_node): no replica fits on a node", a.TensorParallel, a.GPUsPerNode))
			break
		}
	}
	for i := range p.Phases {
		if need := peakNodes(p.Phases[i].CallsPerDay, p.Effective(i)); need.GreaterThan(decimal.NewFromInt(MaxNodes)) {
			errs.Add(fmt.Sprintf("phases[%d]", i), fmt.Sprintf(
				"at its busiest hour this phase would need %s nodes, more than the %s a plan may have; check calls_per_day, node_rps and target_utilization",
				format.Decimal(need, 0), format.Count(MaxNodes)))
		}
	}
	if len(errs) == 0 { // scenarios are overrides on a plan that holds
		checkScenarios(p, &errs)
	}
	return errs
}

// peakNodes is ceil(peak_rps / (node_rps × target_utilization)), the fleet a
// phase needs at its busiest hour.
func peakNodes(callsPerDay int64, a Assumptions) decimal.Decimal {
	maxW := decimal.Zero
	for _, w := range a.HourlyProfile {
		maxW = decimal.Max(maxW, w)
	}
	load := decimal.NewFromInt(callsPerDay).Mul(hoursPerDay).Mul(maxW)
	perNode := secondsPerDay.Mul(a.HourlyProfile.sum()).Mul(a.NodeRPS).Mul(a.TargetUtilization)
	if perNode.Sign() <= 0 {
		return decimal.Zero // refused elsewhere: node_rps and target_utilization must be > 0
	}
	return ceilDiv(load, perNode)
}

// checkArchitecture asks a variant's attention shape to be whole: the KV
// cache a token needs layers and either kv_heads and head_dim or, for
// multi-head latent attention, kv_lora_rank (memory.go).
func checkArchitecture(path string, f *VariantFigures, errs *Errors) {
	heads := f.KVHeads.Valid || f.HeadDim.Valid
	mla := f.KVLoraRank.Valid || f.QKRopeHeadDim.Valid
	switch {
	case heads && mla:
		errs.Add(path, "gives both kv_heads/head_dim and kv_lora_rank/qk_rope_head_dim; the KV cache is one or the other (grouped-query or multi-head latent attention)")
	case (heads || mla) && !f.Layers.Valid:
		errs.Add(path, "gives its attention shape but not its layers; the KV cache a token is layers × the shape")
	case f.Layers.Valid && heads && !(f.KVHeads.Valid && f.HeadDim.Valid):
		errs.Add(path, "needs both kv_heads and head_dim to size its KV cache")
	case f.Layers.Valid && mla && !f.KVLoraRank.Valid:
		errs.Add(path, "needs kv_lora_rank to size its multi-head latent attention cache")
	case f.Layers.Valid && !heads && !mla:
		errs.Add(path+".layers", "sizes the KV cache with kv_heads and head_dim, or with kv_lora_rank (multi-head latent attention); the variant gives neither")
	}
	switch {
	case f.SlidingWindow.Valid != f.SlidingWindowLayers.Valid:
		errs.Add(path, "needs both sliding_window (tokens a window layer keeps) and sliding_window_layers (how many layers use it)")
	case f.SlidingWindowLayers.Valid && !f.Layers.Valid:
		errs.Add(path+".sliding_window_layers", "needs layers: the window layers are some of them")
	case f.SlidingWindowLayers.Valid && f.SlidingWindowLayers.Val.GreaterThan(f.Layers.Val):
		errs.Add(path+".sliding_window_layers", fmt.Sprintf("is %s, more than the variant's %s layers", f.SlidingWindowLayers.Val, f.Layers.Val))
	}
}
