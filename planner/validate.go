package planner

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
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
		errs.add("phases", fmt.Sprintf("the phases add up to %s days; a plan may span at most %s days",
			format.Count(total), format.Count(MaxDays)))
	} else if end := p.StartDate.AddDays(total - 1); end.After(LastDate) {
		errs.add("phases", fmt.Sprintf("the plan would end on %s, after %s, the last date a workbook can hold", end, LastDate))
	}
	if p.StartDate.Before(FirstDate) {
		errs.add("start_date", fmt.Sprintf("must be on or after %s, the first date a workbook counts correctly, got %s", FirstDate, p.StartDate))
	}
	seen := map[string]bool{}
	var names []string
	for i, v := range p.Variants {
		if seen[v.Name] {
			errs.add(fmt.Sprintf("variants[%d].name", i), fmt.Sprintf("%q names two variants; names must differ", v.Name))
		}
		seen[v.Name] = true
		names = append(names, fmt.Sprintf("%q", v.Name))
	}
	for i, ph := range p.Phases {
		if ph.Variant != "" && !seen[ph.Variant] {
			known := "the plan lists no variants"
			if len(names) > 0 {
				known = "the plan lists " + strings.Join(names, ", ")
			}
			errs.add(fmt.Sprintf("phases[%d].variant", i), fmt.Sprintf("no variant is named %q; %s", ph.Variant, known))
		}
	}
	checkComponents(p, &errs)
	checkCommitments(p, &errs)
	if len(errs) > 0 {
		return errs // a phase's figures depend on its variant: size nothing until they resolve
	}
	for i := range p.Phases {
		if need := peakNodes(p.Phases[i].CallsPerDay, p.Effective(i)); need.GreaterThan(decimal.NewFromInt(MaxNodes)) {
			errs.add(fmt.Sprintf("phases[%d]", i), fmt.Sprintf(
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
