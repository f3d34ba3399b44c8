package actuals

import (
	"strconv"
	"strings"

	"github.com/scaleplan/scaleplan/planner"
)

// TagLine is the tag a bill's row may carry to name the cost line (its
// JSON key, "gpu") or the component it belongs to, with no mapping at all.
const TagLine = "scaleplan-line"

// ComponentPrefix marks a component among the targets a row maps to:
// "component:Vector DB".
const ComponentPrefix = "component:"

// Apart are the charge categories FOCUS keeps apart from usage and that a
// plan's lines never hold: they are shown beside the comparison, not in
// it. A purchase is an upfront commitment fee, which effective cost
// already spreads over the usage it covers.
var Apart = []string{"Purchase", "Tax", "Credit", "Adjustment"}

// Mapper takes a bill's rows to the plan's cost lines and components.
type Mapper struct {
	rules      []planner.ActualsRule
	lines      map[string]bool
	components map[string]bool
}

// NewMapper is the mapper of plan p: its actuals_mapping first, then the
// defaults.
func NewMapper(p *planner.Plan) *Mapper {
	m := &Mapper{rules: p.ActualsMapping, lines: map[string]bool{}, components: map[string]bool{}}
	for _, l := range planner.CostLines {
		m.lines[l.JSONKey] = true
	}
	for _, c := range p.Components {
		m.components[c.Name] = true
	}
	return m
}

// Map says where the row goes: a cost line's key or ComponentPrefix and a
// component's name, and why (the rule's number, or the default that
// took it); "" for a row nothing takes.
func (m *Mapper) Map(r *Row) (target, why string) {
	for i, rule := range m.rules {
		if matches(rule.Match, r) {
			if rule.Component != "" {
				return ComponentPrefix + rule.Component, ruleWords(i)
			}
			return rule.Line, ruleWords(i)
		}
	}
	if v, ok := r.Tags[TagLine]; ok {
		switch {
		case m.lines[v]:
			return v, "tag " + TagLine
		case m.components[v]:
			return ComponentPrefix + v, "tag " + TagLine
		}
	}
	switch r.PricingCategory {
	case "Committed":
		return "committed", "PricingCategory Committed"
	case "Dynamic":
		return "spot", "PricingCategory Dynamic"
	}
	switch r.ServiceCategory {
	case "Compute", "AI and Machine Learning":
		return "gpu", "ServiceCategory " + r.ServiceCategory
	case "Storage":
		return "storage", "ServiceCategory Storage"
	case "Networking":
		return "network", "ServiceCategory Networking"
	}
	return "", ""
}

func ruleWords(i int) string { return "actuals_mapping[" + strconv.Itoa(i) + "]" }

// matches says whether every test of a rule's match holds for the row.
func matches(match map[string]string, r *Row) bool {
	for k, want := range match {
		switch k {
		case "tag":
			got, ok := r.Tags[want]
			if !ok {
				return false
			}
			if v, has := match["value"]; has && v != got {
				return false
			}
		case "value": // tested with its tag
		case "ServiceCategory":
			if r.ServiceCategory != want {
				return false
			}
		case "ServiceName":
			if r.ServiceName != want {
				return false
			}
		case "SkuId":
			if r.SkuID != want {
				return false
			}
		case "ResourceId":
			if !strings.HasPrefix(r.ResourceID, want) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// unmappedKey names the service an unmapped row's spend is reported under.
func unmappedKey(r *Row) string {
	switch {
	case r.ServiceName != "":
		return r.ServiceName
	case r.ServiceCategory != "":
		return r.ServiceCategory
	}
	return "(no service named)"
}
