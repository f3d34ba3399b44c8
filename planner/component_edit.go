package planner

import (
	"fmt"
	"strings"

	"github.com/scaleplan/scaleplan/planner/jsonfile"
	"github.com/shopspring/decimal"
)

// Edits of a plan's components, each returning a new plan (the one given is
// unchanged) or an error naming the field and what it accepts. Keys are
// the plan file's: name, group, driver, price, phases, latency_ms,
// bytes_per_call, retention_days, notes.

// ComponentKeys lists what a component edit can set, in form order.
var ComponentKeys = componentKeys

// AddComponent appends c (with a name no other component has) and returns
// its index.
func AddComponent(p Plan, c Component) (Plan, int, error) {
	q := p.Clone()
	if len(q.Components) >= MaxComponents {
		return p, -1, &FieldError{Path: "components", Msg: fmt.Sprintf("a plan may have at most %d components", MaxComponents)}
	}
	c.Name = uniqueComponentName(q, c.Name)
	q.Components = append(q.Components, c)
	if err := Validate(q); err != nil {
		return p, -1, err
	}
	return q, len(q.Components) - 1, nil
}

// NewComponent is what Edit → Add component starts from: a monthly cost in
// the cost-controls group, priced at nothing until someone says.
func NewComponent(p Plan) Component {
	return Component{Name: uniqueComponentName(p, "New component"), Group: GroupCost, Driver: DriverPerMonth, Price: decimal.Zero}
}

// SetComponent sets one key of component j from text as people type it.
// Phases are names separated by commas; empty or "all" means every phase.
// An empty latency_ms takes the component off the request path.
func SetComponent(p Plan, j int, key, text string) (Plan, error) {
	return setComponent(p, j, key, text, true)
}

// setComponent is SetComponent; check false sets the key in place on a plan
// the caller owns (a draw's, a scenario's copy) and leaves the plan's own
// checks to the caller, which runs them once for many keys.
func setComponent(p Plan, j int, key, text string, check bool) (Plan, error) {
	path := fmt.Sprintf("components[%d].%s", j, key)
	if j < 0 || j >= len(p.Components) {
		return p, &FieldError{Path: fmt.Sprintf("components[%d]", j), Msg: "no such component"}
	}
	q := p
	if check || key == "name" { // a rename rewrites paths across the plan: never in place
		q = p.Clone()
	}
	c := &q.Components[j]
	text = strings.TrimSpace(text)
	num := func(r rule) (decimal.Decimal, error) {
		d, ok := jsonfile.ParseAmount(text, false)
		if !ok {
			return d, &FieldError{Path: path, Msg: fmt.Sprintf("must be %s, got %q", r.ExpectedText, text)}
		}
		if msg := r.Check(d); msg != "" {
			return d, &FieldError{Path: path, Msg: fmt.Sprintf("%s, got %s", msg, text)}
		}
		return d, nil
	}
	switch key {
	case "name":
		if msg := nameProblem(text); msg != "" {
			return p, &FieldError{Path: path, Msg: msg}
		}
		renameIn(&q, "components", c.Name, text)
		for i, r := range q.ActualsMapping {
			if r.Component == c.Name {
				q.ActualsMapping[i].Component = text
			}
		}
		c.Name = text
	case "group":
		g := groupByText(text)
		if g == "" {
			return p, &FieldError{Path: path, Msg: fmt.Sprintf("must be one of %s, got %q", jsonfile.Quoted(Groups), text)}
		}
		c.Group = g
	case "driver":
		d, ok := LookupDriver(text)
		if !ok {
			return p, &FieldError{Path: path, Msg: fmt.Sprintf("must be one of %s, got %q", jsonfile.Quoted(driverKeys()), text)}
		}
		c.Driver = d.Key
		if !d.Bytes {
			c.BytesPerCall = 0
		}
		if !d.Retention {
			c.RetentionDays = 0
		}
	case "price":
		d, err := num(nonNegative)
		if err != nil {
			return p, err
		}
		c.Price = d
	case "phases":
		if text == "" || strings.EqualFold(text, "all") {
			c.Phases = nil
			break
		}
		c.Phases = nil
		for _, n := range strings.Split(text, ",") {
			if n = strings.TrimSpace(n); n != "" {
				c.Phases = append(c.Phases, n)
			}
		}
	case "latency_ms":
		if text == "" {
			c.LatencyMs = Opt[decimal.Decimal]{}
			break
		}
		d, err := num(milliseconds)
		if err != nil {
			return p, err
		}
		c.LatencyMs = Some(d)
	case "bytes_per_call", "retention_days":
		r := wholeRule(0, MaxBytes)
		if key == "retention_days" {
			r = wholeRule(0, MaxDays)
		}
		d, err := num(r)
		if err != nil {
			return p, err
		}
		if key == "bytes_per_call" {
			c.BytesPerCall = d.IntPart()
		} else {
			c.RetentionDays = d.IntPart()
		}
	case "notes":
		if msg := TextProblem(text); msg != "" {
			return p, &FieldError{Path: path, Msg: msg}
		}
		c.Notes = text
	default:
		return p, &FieldError{Path: path, Msg: "not a component key"}
	}
	if !check {
		return q, nil
	}
	if err := Validate(q); err != nil {
		return p, err
	}
	return q, nil
}

// groupByText finds a group by key or by label, in any case.
func groupByText(s string) string {
	for _, g := range Groups {
		if strings.EqualFold(s, g) || strings.EqualFold(s, GroupLabel(g)) {
			return g
		}
	}
	return ""
}

// DeleteComponent removes component j.
func DeleteComponent(p Plan, j int) Plan {
	if j < 0 || j >= len(p.Components) {
		return p
	}
	q := p.Clone()
	dropOverrides(&q, "components", q.Components[j].Name) // Ctrl+Z brings them back with it
	kept := q.ActualsMapping[:0]
	for _, r := range q.ActualsMapping {
		if r.Component != q.Components[j].Name {
			kept = append(kept, r)
		}
	}
	q.ActualsMapping = kept
	q.Components = append(q.Components[:j], q.Components[j+1:]...)
	if len(q.Components) == 0 {
		q.Components = nil
	}
	return q
}

// MoveComponent moves component j by delta places and returns its new
// index; at either end it stays put.
func MoveComponent(p Plan, j, delta int) (Plan, int) {
	k := j + delta
	if j < 0 || k < 0 || k >= len(p.Components) {
		return p, j
	}
	q := p.Clone()
	q.Components[j], q.Components[k] = q.Components[k], q.Components[j]
	return q, k
}

func uniqueComponentName(p Plan, base string) string {
	return unique(base, func(name string) bool {
		for _, c := range p.Components {
			if c.Name == name {
				return true
			}
		}
		return false
	})
}

// renamePhaseIn follows a phase's rename in the components that name it.
func renamePhaseIn(q *Plan, from, to string) {
	for j := range q.Components {
		for k, n := range q.Components[j].Phases {
			if n == from {
				q.Components[j].Phases[k] = to
			}
		}
	}
}

// dropPhaseFrom takes a deleted phase out of the components that name it,
// or says which component would be left applying to no phase.
func dropPhaseFrom(q *Plan, name string) error {
	for j := range q.Components {
		c := &q.Components[j]
		if c.Phases == nil {
			continue
		}
		var kept []string
		for _, n := range c.Phases {
			if n != name {
				kept = append(kept, n)
			}
		}
		if len(kept) == 0 {
			return &FieldError{Path: fmt.Sprintf("components[%d].phases", j),
				Msg: fmt.Sprintf("the component %q applies only to %q; delete the component or give it other phases first", c.Name, name)}
		}
		c.Phases = kept
	}
	return nil
}
