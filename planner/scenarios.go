package planner

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/scaleplan/scaleplan/planner/jsonfile"
	"github.com/shopspring/decimal"
)

// Scenario is an alternative design held in the plan: a set of overrides
// on the base plan, each keyed by the path of the input it changes. A
// format-2 key.
//
// Paths: "assumptions.KEY", "slo.KEY", "phases[NAME].KEY" (a phase input, or
// an assumption the phase then overrides), "components[NAME].KEY" and
// "variants[NAME].KEY". Phases, components and variants are addressed by
// name; renaming one in the app renames it in every scenario.
type Scenario struct {
	Name      string
	Notes     string
	Overrides []ScenarioOverride // in file order
}

// ScenarioOverride is one input a scenario changes: its path and its value
// as a plan file writes it ("5.5", "predictive", "" for none).
type ScenarioOverride struct {
	Path  string
	Value string
	// Num, when set, is Value as a number already (a risk draw's): an
	// input's number is then checked by its rule without going through text.
	Num Opt[decimal.Decimal]
}

// MaxScenarios bounds a plan's scenarios.
const MaxScenarios = 100

// Scenario returns the plan with the named scenario's overrides applied,
// or an error naming the override that does not apply.
func (p *Plan) Scenario(name string) (Plan, error) {
	for i := range p.Scenarios {
		if p.Scenarios[i].Name == name {
			return p.applyScenario(i)
		}
	}
	names := make([]string, len(p.Scenarios))
	for i, s := range p.Scenarios {
		names[i] = fmt.Sprintf("%q", s.Name)
	}
	known := "the plan has no scenarios"
	if len(names) > 0 {
		known = "the plan has " + strings.Join(names, ", ")
	}
	return *p, fmt.Errorf("no scenario is named %q; %s", name, known)
}

// applyScenario is the plan with scenario i's overrides on it. Every
// override that does not apply is reported, each by its path (Errors), not
// the first alone; a null value is called null.
func (p *Plan) applyScenario(i int) (Plan, error) {
	// Every override set on one copy, each checked by its input's own rule,
	// and the plan's checks across inputs run once at the end: linear in the
	// overrides and the phases. Only when those find a problem are the
	// overrides set again one by one, each checked, to say whose it is.
	q := p.Clone()
	q.Scenarios = nil
	var errs Errors
	word := func(o ScenarioOverride, err error) FieldError {
		msg := strings.TrimPrefix(err.Error(), errPrefix(err))
		if o.Value == "" { // written as null, and read as it was written
			msg = strings.ReplaceAll(msg, `got ""`, "got null")
		}
		return FieldError{Path: fmt.Sprintf("scenarios[%d].overrides[%q]", i, o.Path), Msg: msg}
	}
	overrides := p.Scenarios[i].Overrides
	bad := make([]bool, len(overrides))
	for k, o := range overrides {
		next, err := applyPath(q, o, false)
		if err != nil {
			errs, bad[k] = append(errs, word(o, err)), true
			continue
		}
		q = next
	}
	if len(crossCheck(q)) > 0 {
		q = p.Clone()
		q.Scenarios = nil
		for k, o := range overrides {
			if bad[k] {
				continue
			}
			next, err := applyOverride(q, o)
			if err != nil {
				errs = append(errs, word(o, err))
				continue
			}
			q = next
		}
		sortByPath(errs, overrides, i)
	}
	switch len(errs) {
	case 0:
	case 1:
		return *p, &errs[0]
	default:
		return *p, errs
	}
	q.Scenarios = p.Scenarios
	return q, nil
}

// sortByPath puts a scenario's problems in the order of its overrides.
func sortByPath(errs Errors, overrides []ScenarioOverride, i int) {
	at := map[string]int{}
	for k, o := range overrides {
		at[fmt.Sprintf("scenarios[%d].overrides[%q]", i, o.Path)] = k
	}
	sort.SliceStable(errs, func(a, b int) bool { return at[errs[a].Path] < at[errs[b].Path] })
}

// errPrefix is the "path: " a FieldError's text starts with, so a
// scenario's error names the scenario's path instead.
func errPrefix(err error) string {
	if fe, ok := err.(*FieldError); ok {
		return fe.Path + ": "
	}
	return ""
}

// SplitPath reads an override path, "section[name].key" or "section.key".
func SplitPath(path string) (section, name, key string, ok bool) {
	dot := strings.LastIndex(path, ".")
	if dot <= 0 || dot == len(path)-1 {
		return "", "", "", false
	}
	head, key := path[:dot], path[dot+1:]
	if d := strings.LastIndex(head, "."); d > 0 && fieldIndex(head[d+1:]+"."+key) >= 0 {
		head, key = head[:d], head[d+1:]+"."+key // a grouped key: decode_step_ms.base
	}
	if open := strings.Index(head, "["); open > 0 && strings.HasSuffix(head, "]") {
		return head[:open], head[open+1 : len(head)-1], key, true
	}
	if strings.ContainsAny(head, "[]") {
		return "", "", "", false
	}
	return head, "", key, true
}

func applyOverride(q Plan, o ScenarioOverride) (Plan, error) {
	return applyPath(q, o, true)
}

// SetPathUnchecked sets the input at o.Path to o.Value as a scenario
// would, without SetInput's checks across the plan: a risk draw sets many
// inputs and validates the whole once.
func SetPathUnchecked(q Plan, o ScenarioOverride) (Plan, error) { return applyPath(q, o, false) }

// applyPath is applyOverride; check false skips SetInput's checks across
// the plan (see setInput).
func applyPath(q Plan, o ScenarioOverride, check bool) (Plan, error) {
	section, name, key, ok := SplitPath(o.Path)
	bad := func(msg string, args ...any) (Plan, error) { return q, &FieldError{Msg: fmt.Sprintf(msg, args...)} }
	if !ok {
		return bad("not an input's path; paths are assumptions.KEY, slo.KEY, phases[NAME].KEY, components[NAME].KEY or variants[NAME].KEY")
	}
	switch {
	case section == "assumptions" && name == "":
		if fieldIndex(key) < 0 {
			return bad("no assumption is named %q", key)
		}
		return setInput(q, PlanDefault, key, o.Value, o.Num, check)
	case section == "slo" && name == "":
		if !isSLO(key) {
			return bad("no objective is named %q; objectives are %s", key, jsonfile.Quoted(sloKeys()))
		}
		return setInput(q, PlanDefault, key, o.Value, o.Num, check)
	case section == "phases":
		i := -1 // a scan, not a map a call: ranges and draws set many
		for j := range q.Phases {
			if q.Phases[j].Name == name {
				i = j
				break
			}
		}
		if i < 0 {
			return bad("no phase is named %q", name)
		}
		if _, isPhase := LookupPhaseField(key); !isPhase && fieldIndex(key) < 0 {
			return bad("a phase has no input %q", key)
		}
		return setInput(q, i, key, o.Value, o.Num, check)
	case section == "components":
		for j := range q.Components {
			if q.Components[j].Name == name {
				return setComponent(q, j, key, o.Value, check)
			}
		}
		return bad("no component is named %q", name)
	case section == "variants":
		return SetVariant(q, name, key, o.Value)
	}
	return bad("not an input's path; paths start with assumptions, slo, phases[NAME], components[NAME] or variants[NAME]")
}

// SetVariant sets one figure of the named variant from text.
func SetVariant(q Plan, name, key, text string) (Plan, error) {
	j := -1
	for k := range q.Variants {
		if q.Variants[k].Name == name {
			j = k
		}
	}
	if j < 0 {
		return q, &FieldError{Msg: fmt.Sprintf("no variant is named %q", name)}
	}
	q = q.Clone()
	v := &q.Variants[j]
	st, ok := lookupVariantSetting(key)
	if !ok {
		var own, figs []string
		for _, s := range variantSettings {
			if s.figure {
				figs = append(figs, s.Key)
			} else {
				own = append(own, s.Key)
			}
		}
		return q, &FieldError{Msg: fmt.Sprintf("a variant has no figure %q; figures are %s and %s", key, strings.Join(own, ", "), strings.Join(figs, ", "))}
	}
	if st.figure && strings.TrimSpace(text) == "" {
		st.set(v, Opt[decimal.Decimal]{})
		return q, nil
	}
	d, msg := typedNumber(strings.TrimSpace(text), st.rule, st.share)
	if msg != "" {
		return q, &FieldError{Msg: msg}
	}
	st.set(v, Some(d))
	return q, nil
}

var scenarioKeys = []string{"name", "notes", "overrides"}

func (d *decoder) scenarios(path string, v any) []Scenario {
	arr, ok := d.List(path, v, "scenarios", MaxScenarios)
	if !ok {
		return nil
	}
	out := make([]Scenario, len(arr))
	for i, e := range arr {
		sp := fmt.Sprintf("%s[%d]", path, i)
		s := &out[i]
		d.Fields(sp, e, scenarioKeys, []string{"name", "overrides"}, func(k string, v any, path string) {
			switch k {
			case "name":
				s.Name = d.Name(path, v)
			case "notes":
				s.Notes, _ = d.Text(path, v)
			case "overrides":
				o, ok := v.(*jsonfile.Object)
				if !ok {
					d.Fail(path, "must be an object of input paths and values, got %s", jsonfile.Describe(v))
					return
				}
				for _, key := range o.Keys {
					val := ""
					switch t := o.Vals[key].(type) {
					case json.Number:
						val = string(t)
					case string:
						val = t
					case nil:
					default:
						d.Fail(fmt.Sprintf("%s[%q]", path, key), "must be a number, text or null, got %s", jsonfile.Describe(t))
						continue
					}
					s.Overrides = append(s.Overrides, ScenarioOverride{Path: key, Value: val})
				}
			}
		})
	}
	return out
}

// checkScenarios applies every scenario to the plan: each override must
// name an input the plan has and hold a value it accepts.
func checkScenarios(p Plan, errs *Errors) {
	seen := map[string]bool{}
	for i, s := range p.Scenarios {
		if seen[s.Name] {
			errs.Add(fmt.Sprintf("scenarios[%d].name", i), fmt.Sprintf("%q names two scenarios; names must differ", s.Name))
		}
		seen[s.Name] = true
		_, err := p.applyScenario(i)
		var fe *FieldError
		var all Errors
		switch {
		case errors.As(err, &fe):
			errs.Add(fe.Path, fe.Msg)
		case errors.As(err, &all):
			for _, e := range all {
				errs.Add(e.Path, e.Msg)
			}
		}
	}
}

func (w *jsonWriter) scenarios(ss []Scenario) {
	if len(ss) == 0 {
		return
	}
	w.key("scenarios").open('[')
	for _, s := range ss {
		w.item().open('{')
		w.key("name").str(s.Name)
		if s.Notes != "" {
			w.key("notes").str(s.Notes)
		}
		w.key("overrides").open('{')
		for _, o := range s.Overrides {
			w.key(o.Path)
			switch d, err := decimal.NewFromString(o.Value); {
			case o.Value == "":
				w.raw("null")
			case err == nil && jsonfile.IsDecimal(o.Value):
				w.dec(d)
			default:
				w.str(o.Value)
			}
		}
		w.close('}')
		w.close('}')
	}
	w.close(']')
}

// renameIn follows a rename of a phase, component or variant into every
// scenario's paths: section is "phases", "components" or "variants".
func renameIn(q *Plan, section, from, to string) {
	renameRanges(q, section, from, to)
	old, new := section+"["+from+"].", section+"["+to+"]."
	for i := range q.Scenarios {
		for k, o := range q.Scenarios[i].Overrides {
			if strings.HasPrefix(o.Path, old) {
				q.Scenarios[i].Overrides[k].Path = new + strings.TrimPrefix(o.Path, old)
			}
		}
	}
}

// dropOverrides removes every scenario override under section[name]: the
// item is gone, and so is what the scenarios changed of it.
func dropOverrides(q *Plan, section, name string) {
	dropRanges(q, section, name)
	prefix := section + "[" + name + "]."
	for i := range q.Scenarios {
		kept := q.Scenarios[i].Overrides[:0]
		for _, o := range q.Scenarios[i].Overrides {
			if !strings.HasPrefix(o.Path, prefix) {
				kept = append(kept, o)
			}
		}
		q.Scenarios[i].Overrides = kept
	}
}

// ScenarioPath is the override path of an edit of key in phase (PlanDefault
// for a plan-wide input).
func ScenarioPath(p Plan, phase int, key string) string {
	switch {
	case isSLO(key):
		return "slo." + key
	case phase == PlanDefault:
		return "assumptions." + key
	}
	return "phases[" + p.Phases[phase].Name + "]." + key
}

// ScenarioIndex finds a scenario by name.
func (p *Plan) ScenarioIndex(name string) int {
	for i := range p.Scenarios {
		if p.Scenarios[i].Name == name {
			return i
		}
	}
	return -1
}

// ScenarioOverrides maps the paths scenario name overrides to their values.
func (p *Plan) ScenarioOverrides(name string) map[string]string {
	out := map[string]string{}
	if i := p.ScenarioIndex(name); i >= 0 {
		for _, o := range p.Scenarios[i].Overrides {
			out[o.Path] = o.Value
		}
	}
	return out
}

// SetScenarioInput sets an input in the named scenario: the scenario's plan
// must accept the value (with the words a cell edit gets), and the override
// keeps it as an editor shows it. A value equal to the plan's own removes
// the override.
func SetScenarioInput(p Plan, scenario string, phase int, key, text string) (Plan, error) {
	i := p.ScenarioIndex(scenario)
	if i < 0 {
		return p, &FieldError{Path: "scenarios", Msg: fmt.Sprintf("no scenario is named %q", scenario)}
	}
	view, err := p.Scenario(scenario)
	if err != nil {
		return p, err
	}
	set, err := SetInput(view, phase, key, text)
	if err != nil {
		return p, err
	}
	path := ScenarioPath(p, phase, key)
	value, baseValue := inputText(set, phase, key), inputText(p, phase, key)
	q := ResetScenarioInput(p, scenario, path)
	if value != baseValue {
		q.Scenarios[i].Overrides = append(q.Scenarios[i].Overrides, ScenarioOverride{Path: path, Value: value})
	}
	return q, nil
}

// ResetScenarioInput removes the named scenario's override of path.
func ResetScenarioInput(p Plan, scenario, path string) Plan {
	i := p.ScenarioIndex(scenario)
	if i < 0 {
		return p
	}
	q := p.Clone()
	s := &q.Scenarios[i]
	kept := s.Overrides[:0]
	for _, o := range s.Overrides {
		if o.Path != path {
			kept = append(kept, o)
		}
	}
	s.Overrides = kept
	return q
}

// inputText is an input's value as an editor shows it, "" for none.
func inputText(p Plan, phase int, key string) string {
	if f, ok := LookupSLO(key); ok {
		if o := f.Of(p.SLO); o.Valid {
			return o.Val.String()
		}
		return ""
	}
	if f, ok := LookupPhaseField(key); ok && phase != PlanDefault {
		return f.Text(&p.Phases[phase])
	}
	f, _ := LookupField(key)
	if phase == PlanDefault {
		return f.Text(&p.Assumptions)
	}
	a := p.Effective(phase)
	return f.Text(&a)
}

// AddScenario adds an empty scenario with a name no other has, and returns
// that name. from, when not "", is a scenario whose overrides it copies.
func AddScenario(p Plan, name, from string) (Plan, string, error) {
	if len(p.Scenarios) >= MaxScenarios {
		return p, "", &FieldError{Path: "scenarios", Msg: fmt.Sprintf("a plan may have at most %d scenarios", MaxScenarios)}
	}
	if msg := nameProblem(name); msg != "" {
		return p, "", &FieldError{Path: "scenarios", Msg: msg}
	}
	q := p.Clone()
	name = unique(name, func(n string) bool { return q.ScenarioIndex(n) >= 0 })
	s := Scenario{Name: name}
	if i := q.ScenarioIndex(from); i >= 0 {
		s.Notes = q.Scenarios[i].Notes
		s.Overrides = append([]ScenarioOverride(nil), q.Scenarios[i].Overrides...)
	}
	q.Scenarios = append(q.Scenarios, s)
	return q, name, nil
}

// RenameScenario renames a scenario; the new name must be free.
func RenameScenario(p Plan, from, to string) (Plan, error) {
	i := p.ScenarioIndex(from)
	if i < 0 {
		return p, &FieldError{Path: "scenarios", Msg: fmt.Sprintf("no scenario is named %q", from)}
	}
	if msg := nameProblem(to); msg != "" {
		return p, &FieldError{Path: fmt.Sprintf("scenarios[%d].name", i), Msg: msg}
	}
	if j := p.ScenarioIndex(to); j >= 0 && j != i {
		return p, &FieldError{Path: fmt.Sprintf("scenarios[%d].name", i), Msg: fmt.Sprintf("%q names another scenario; names must differ", to)}
	}
	q := p.Clone()
	q.Scenarios[i].Name = to
	return q, nil
}

// DeleteScenario removes a scenario.
func DeleteScenario(p Plan, name string) Plan {
	i := p.ScenarioIndex(name)
	if i < 0 {
		return p
	}
	q := p.Clone()
	q.Scenarios = append(q.Scenarios[:i], q.Scenarios[i+1:]...)
	if len(q.Scenarios) == 0 {
		q.Scenarios = nil
	}
	return q
}
