package planner

import (
	"fmt"

	"github.com/scaleplan/scaleplan/planner/jsonfile"
)

// ActualsRule maps a bill's rows to a cost line or a component
// (planner/actuals, docs/actuals.md): rules are tried in order and the
// first whose every test holds takes the row. A format-2 key,
// "actuals_mapping": {"match": {…}, "line": KEY} or {…, "component": NAME}.
type ActualsRule struct {
	Match     map[string]string // ActualsMatchKeys → the text to match; "tag" with "value"
	Line      string            // a cost line's JSON key, or ""
	Component string            // a component's name, or ""
}

// ActualsMatchKeys are what a rule's match may test: a tag's key (and
// value, any value when absent), the row's FOCUS ServiceCategory,
// ServiceName, SkuId (equal) or ResourceId (a prefix).
var ActualsMatchKeys = []string{"tag", "value", "ServiceCategory", "ServiceName", "ResourceId", "SkuId"}

func (d *decoder) actualsMapping(path string, v any) []ActualsRule {
	arr, ok := d.List(path, v, "mapping rules", 0)
	out := make([]ActualsRule, len(arr))
	for i, e := range arr {
		r := &out[i]
		d.Fields(fmt.Sprintf("%s[%d]", path, i), e, []string{"match", "line", "component"}, []string{"match"}, func(k string, v any, path string) {
			switch k {
			case "line":
				r.Line, _ = d.Text(path, v)
			case "component":
				r.Component, _ = d.Text(path, v)
			default:
				r.Match = map[string]string{}
				d.Fields(path, v, ActualsMatchKeys, nil, func(k string, v any, path string) { r.Match[k], _ = d.Text(path, v) })
				if o, _ := v.(*jsonfile.Object); o != nil && len(o.Vals) == 0 {
					d.Fail(path, "must test at least one of %v: an empty match takes every row", ActualsMatchKeys)
				}
			}
		})
	}
	if !ok {
		return nil
	}
	return out
}

// checkActualsMapping asks each rule for exactly one known target, and a
// value only beside a tag.
func checkActualsMapping(p Plan, errs *Errors) {
	lines := map[string]bool{}
	for _, l := range CostLines {
		lines[l.JSONKey] = true
	}
	for i, r := range p.ActualsMapping {
		path := fmt.Sprintf("actuals_mapping[%d]", i)
		switch {
		case (r.Line == "") == (r.Component == ""):
			errs.Add(path, "must name either a \"line\" (a cost line's key, e.g. \"gpu\") or a \"component\", not both or neither")
		case r.Line != "" && !lines[r.Line]:
			errs.Add(path+".line", fmt.Sprintf("no cost line is keyed %q; lines are %v", r.Line, costKeys()))
		case r.Component != "" && !hasComponent(p, r.Component):
			errs.Add(path+".component", fmt.Sprintf("no component is named %q", r.Component))
		}
		if _, has := r.Match["value"]; has && r.Match["tag"] == "" {
			errs.Add(path+".match.value", "a value is a tag's: give the tag's key as \"tag\" too")
		}
	}
}

func hasComponent(p Plan, name string) bool {
	for _, c := range p.Components {
		if c.Name == name {
			return true
		}
	}
	return false
}

func costKeys() []string {
	out := make([]string, len(CostLines))
	for i, l := range CostLines {
		out[i] = l.JSONKey
	}
	return out
}

func (w *jsonWriter) actualsMapping(rs []ActualsRule) {
	if len(rs) == 0 {
		return
	}
	w.key("actuals_mapping").open('[')
	for _, r := range rs {
		w.item().open('{')
		w.key("match").open('{')
		for _, k := range ActualsMatchKeys {
			if v, ok := r.Match[k]; ok {
				w.key(k).str(v)
			}
		}
		w.close('}')
		if r.Line != "" {
			w.key("line").str(r.Line)
		} else {
			w.key("component").str(r.Component)
		}
		w.close('}')
	}
	w.close(']')
}
