// Package schema makes the JSON Schema (2020-12) of plan files from the
// plan's own field catalogues (docs/plan.schema.json, `scaleplan
// schema`): every key, its type, unit and meaning, allowed values and
// ranges, numbers as a plan accepts them (a number, or a decimal in
// quotes), ranges, citations, scenarios, components, commitments,
// measured records and the actuals mapping. Made, not written, so it
// cannot drift from what the reader accepts; what a schema cannot say
// (rules across fields) is listed in docs/plan-format.md.
package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
)

// ID is the schema's $id: where a plan file's "$schema" may point.
const ID = "https://scaleplan.dev/schema/plan.schema.json"

// obj is a JSON object that keeps its keys in the order they were set.
type obj struct {
	keys []string
	vals map[string]any
}

func o(kv ...any) *obj {
	m := &obj{vals: map[string]any{}}
	for i := 0; i+1 < len(kv); i += 2 {
		m.set(kv[i].(string), kv[i+1])
	}
	return m
}

func (m *obj) set(k string, v any) *obj {
	if _, ok := m.vals[k]; !ok {
		m.keys = append(m.keys, k)
	}
	m.vals[k] = v
	return m
}

func (m *obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range m.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
		vb, err := marshal(m.vals[k])
		if err != nil {
			return nil, err
		}
		b.Write(vb)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(b.Bytes(), "\n"), nil
}

func describe(label, unit string) string {
	switch {
	case unit == "":
		return label
	case label == "":
		return unit
	}
	return label + " (" + unit + ")"
}

// decimalPattern is a number written in quotes, as the reader takes one.
const decimalPattern = `^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]{1,3})?$`

func num(d decimal.Decimal) json.Number { return json.Number(d.String()) }

// number is a numeric input: a JSON number within the rule, or a decimal
// in quotes (whose bounds the reader checks, a pattern cannot).
func number(r jsonfile.Rule, description string) *obj {
	n := o("type", "number")
	if r.Whole {
		n.set("multipleOf", 1)
	}
	if r.MinOpen {
		n.set("exclusiveMinimum", num(r.Min))
	} else {
		n.set("minimum", num(r.Min))
	}
	if r.HasMax {
		n.set("maximum", num(r.Max))
	}
	return o("description", description+"; "+r.ExpectedText+", as a number or a decimal in quotes",
		"anyOf", []any{n, o("type", "string", "pattern", decimalPattern)})
}

// input is a number that may also be written as a range of its
// uncertainty ({"low", "high", …}) or, for a node's price, as a citation
// of a price book ({"book", "instance", …}).
func input(r jsonfile.Rule, description string, ranged, cited bool) *obj {
	n := number(r, description)
	if !ranged && !cited {
		return n
	}
	alts := n.vals["anyOf"].([]any)
	if ranged {
		alts = append(alts, o("$ref", "#/$defs/range"))
	}
	if cited {
		alts = append(alts, o("$ref", "#/$defs/citation"))
	}
	n.set("anyOf", alts)
	return n
}

func text(description string) *obj {
	return o("type", "string", "description", description, "maxLength", jsonfile.MaxText)
}

// name is a name: not blank, at most jsonfile.MaxName characters.
func name(description string) *obj {
	return o("type", "string", "description", description, "minLength", 1, "maxLength", jsonfile.MaxName, "pattern", `\S`)
}

func date(description string) *obj {
	return o("type", "string", "pattern", `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`, "description", description+" (YYYY-MM-DD)")
}

func object(props *obj, required []string, description string) *obj {
	out := o("type", "object")
	if description != "" {
		out.set("description", description)
	}
	out.set("properties", props)
	if len(required) > 0 {
		out.set("required", required)
	}
	return out.set("additionalProperties", false)
}

func list(items any, description string) *obj {
	return o("type", "array", "description", description, "items", items)
}

// assumptions is the plan's defaults (required keys required) or a
// phase's overrides (none required). A key written "group.key" is a key
// of an object "group" ("decode_step_ms": {"base", "per_seq"}).
func assumptions(required bool) *obj {
	props := o()
	groups := map[string]*obj{}
	var req []string
	for _, f := range planner.AssumptionFields() {
		var s *obj
		desc := describe(f.Label, f.Unit)
		if f.Since >= 2 {
			desc += "; format 2"
		}
		switch f.Kind {
		case planner.KindText:
			s = text(desc)
			if c := f.Choices(); len(c) > 0 {
				s.set("enum", c)
			}
		case planner.KindProfile:
			s = o("type", "array", "description", desc+": 24 weights, hours 0 to 23", "minItems", 24, "maxItems", 24,
				"items", number(jsonfile.Rule{Min: decimal.Zero, Max: jsonfile.MaxAmount, HasMax: true, ExpectedText: "a weight ≥ 0"}, "the hour's weight"))
		default:
			ranged, _ := planner.RangeSlot("assumptions", f.Key)
			s = input(f.Rule(), desc, ranged, f.Key == "node_hourly")
		}
		if group, key, ok := strings.Cut(f.Key, "."); ok {
			g := groups[group]
			if g == nil {
				g = o()
				groups[group] = g
				props.set(group, object(g, nil, "a group of inputs"))
			}
			g.set(key, s)
			continue
		}
		props.set(f.Key, s)
		if required && f.Required {
			req = append(req, f.Key)
		}
	}
	desc := "the inputs every phase uses unless it overrides them"
	if !required {
		desc = "inputs this phase sets instead of the plan's defaults"
	}
	out := object(props, req, desc)
	if required {
		// node_rps is not required of a plan that serves tokens: the serving
		// rules give the capacity.
		out.set("required", without(req, "node_rps"))
		out.set("if", o("not", o("required", []string{planner.KeyServing}, "properties", o(planner.KeyServing, o("const", planner.ServingTokens)))))
		out.set("then", o("required", []string{"node_rps"}))
	}
	return out
}

func without(ss []string, s string) []string {
	var out []string
	for _, x := range ss {
		if x != s {
			out = append(out, x)
		}
	}
	return out
}

func slo() *obj {
	props := o()
	for _, f := range planner.SLOFields() {
		desc := describe(f.Label, f.Unit)
		if f.Since >= 2 {
			desc += "; format 2"
		}
		n := number(f.Rule(), desc)
		n.set("anyOf", append(n.vals["anyOf"].([]any), o("type", "null")))
		props.set(f.Key, n)
	}
	return object(props, nil, "the service-level objectives the checks test against; null or absent for none")
}

func variant() *obj {
	props := o("name", name("the variant's name, which phases choose it by"))
	req := []string{"name"}
	for _, v := range planner.VariantRules() {
		ranged, _ := planner.RangeSlot("variants", v.Key)
		props.set(v.Key, input(v.Rule, "the variant's "+v.Key, ranged, v.Key == "node_hourly"))
		if v.Required {
			req = append(req, v.Key)
		}
	}
	return object(props, req, "a model the phases may run instead, with its figures")
}

func phase() *obj {
	props := o()
	var req []string
	for _, f := range planner.PhaseFields() {
		desc := describe(f.Label, f.Unit)
		var s *obj
		switch {
		case f.Key == planner.KeyScaling:
			var modes []string
			for _, m := range planner.Scalings {
				modes = append(modes, string(m))
			}
			s = text(desc).set("enum", modes)
		case planner.PhaseRules[f.Key] != (jsonfile.Rule{}):
			ranged := f.Key == planner.KeyCallsPerDay || f.Key == planner.KeyNodes || f.Key == planner.KeyOneTime
			s = input(planner.PhaseRules[f.Key], desc, ranged, false)
			if !f.Required {
				s.set("anyOf", append(s.vals["anyOf"].([]any), o("type", "null")))
			}
		case f.Key == planner.KeyName:
			s = name(desc)
		default:
			s = text(desc)
		}
		props.set(f.Key, s)
		if f.Required {
			req = append(req, f.Key)
		}
	}
	props.set("overrides", assumptions(false))
	return object(props, req, "a stretch of the roadmap: its days, its volume and what it changes")
}

func component() *obj {
	var groups, drivers []string
	groups = append(groups, planner.Groups...)
	for _, d := range planner.Drivers {
		drivers = append(drivers, d.Key)
	}
	props := o("name", name("the component's name"),
		"group", text("the design group it belongs to").set("enum", groups),
		"driver", text("what its price follows").set("enum", drivers))
	for _, k := range []string{"price", "latency_ms", "bytes_per_call", "retention_days"} {
		props.set(k, number(planner.ComponentRules[k], "the component's "+k))
	}
	props.set("phases", list(text("a phase's name"), "the phases it applies to; absent for every phase"))
	props.set("notes", text("notes"))
	return object(props, []string{"name", "group", "driver", "price"}, "a design element tied to a cost")
}

func commitment() *obj {
	props := o("name", name("the commitment's name"), "start", date("its first day; the plan's first day when absent"))
	for _, k := range []string{"term_months", "nodes", "rate", "upfront"} {
		s := number(planner.CommitmentRules[k], "the commitment's "+k)
		if k == "nodes" {
			s.set("anyOf", append(s.vals["anyOf"].([]any), o("const", "optimal")))
		}
		props.set(k, s)
	}
	props.set("option", text("the price book's committed-use option it takes its rate, upfront and term from"))
	props.set("as_of", date("the day its price was read"))
	props.set("notes", text("notes"))
	return object(props, []string{"name"}, "capacity bought for a term, billed every hour of it")
}

func measured() *obj {
	file := object(o("tool", text("the load-test tool"), "file", text("the file's name"),
		"sha256", o("type", "string", "pattern", "^[0-9a-f]{64}$", "description", "the file's SHA-256"),
		"run_date", date("the day the test ran")), []string{"tool", "file", "sha256"}, "")
	return object(o("path", text("the input measured, as a path (variants[NAME].node_rps)"), "imported", date("the day it was imported"),
		"files", o("type", "array", "minItems", 1, "items", file)), []string{"path", "imported", "files"}, "where a measured input came from")
}

func mappingRule() *obj {
	match := o()
	for _, k := range planner.ActualsMatchKeys {
		match.set(k, text("the row's "+k+" (a tag's key for tag; its value for value; a prefix for ResourceId)"))
	}
	var lines []string
	for _, l := range planner.CostLines {
		lines = append(lines, l.JSONKey)
	}
	m := object(match, nil, "what the row must have; every test given must hold")
	m.set("minProperties", 1)
	r := object(o("match", m, "line", text("the cost line the row's cost goes to").set("enum", lines),
		"component", text("the component the row's cost goes to")), []string{"match"}, "a rule mapping a bill's rows (docs/actuals.md)")
	r.set("oneOf", []any{o("required", []string{"line"}), o("required", []string{"component"})})
	return r
}

func scenario() *obj {
	value := o("anyOf", []any{o("type", "number"), o("type", "string"), o("type", "null")})
	return object(o("name", name("the scenario's name"), "notes", text("its hypothesis"),
		"overrides", o("type", "object", "description", "inputs it changes, by path (phases[NAME].calls_per_day) to value",
			"additionalProperties", value)), []string{"name"}, "an alternative design, as overrides on the plan")
}

// Schema is the plan files' JSON Schema.
func Schema() *obj {
	defs := o(
		"range", object(o(
			"low", o("type", []string{"number", "string"}, "description", "the low end: the 5th percentile, or the bound of a uniform or triangle"),
			"high", o("type", []string{"number", "string"}, "description", "the high end: the 95th percentile, or the bound of a uniform or triangle"),
			"dist", text("the distribution").set("enum", rangeDists()),
			"mode", o("type", []string{"number", "string"}, "description", "a triangle's most likely value"),
			"group", text("inputs of one group move together")), []string{"low", "high"}, "an uncertain input: its range (docs/risk.md)"),
		"citation", object(o(
			"book", text("the price book"), "instance", text("the offer's instance"), "region", text("its region"),
			"option", text("the price option: on demand, spot, a commitment"),
			"hourly", o("type", []string{"number", "string"}, "description", "the price the plan was saved with"),
			"as_of", date("the day the price was read"), "source", text("where the price was read")),
			[]string{"book", "instance"}, "a node price cited from a price book (docs/prices.md)"),
		"assumptions", assumptions(true),
		"overrides", assumptions(false),
		"slo", slo(),
		"variant", variant(),
		"phase", phase(),
		"component", component(),
		"commitment", commitment(),
		"measurement", measured(),
		"mapping_rule", mappingRule(),
		"scenario", scenario(),
	)
	props := o(
		"$schema", text("the schema this file follows, for editors"),
		"format", number(jsonfile.Rule{Min: decimal.NewFromInt(1), Max: decimal.NewFromInt(planner.FormatVersion), HasMax: true, Whole: true,
			ExpectedText: fmt.Sprintf("1, or %d for files that use what it added", planner.FormatVersion)}, "the plan format"),
		"name", name("the plan's name"),
		"currency", o("type", "string", "pattern", "^[A-Z]{3}$", "description", "an ISO 4217 code such as USD"),
		"start_date", date("the plan's first day"),
		"notes", text("notes: where the figures come from"),
		"assumptions", o("$ref", "#/$defs/assumptions"),
		"slo", o("$ref", "#/$defs/slo"),
		"variants", list(o("$ref", "#/$defs/variant"), "models the phases may run instead; format 2"),
		"components", list(o("$ref", "#/$defs/component"), "design elements tied to a cost; format 2"),
		"commitments", list(o("$ref", "#/$defs/commitment"), "capacity bought for a term; format 2"),
		"measured", list(o("$ref", "#/$defs/measurement"), "inputs read from load tests; format 2"),
		"actuals_mapping", list(o("$ref", "#/$defs/mapping_rule"), "how a bill's rows map to the plan's lines; format 2"),
		"scenarios", list(o("$ref", "#/$defs/scenario"), "alternative designs; format 2"),
		"phases", o("type", "array", "description", "the roadmap's phases, in order", "minItems", 1, "items", o("$ref", "#/$defs/phase")),
	)
	// A phase's overrides are the assumptions without required keys.
	defs.vals["phase"].(*obj).vals["properties"].(*obj).set("overrides", o("$ref", "#/$defs/overrides"))
	return o("$schema", "https://json-schema.org/draft/2020-12/schema", "$id", ID,
		"title", "scaleplan plan file",
		"description", "A phased roadmap for an AI inference service: its inputs, per phase, and what the model works out from them (docs/plan-format.md). Made from scaleplan's field catalogues.",
		"type", "object", "properties", props,
		"required", []string{"format", "name", "start_date", "assumptions", "phases"},
		"additionalProperties", false, "$defs", defs)
}

func rangeDists() []string {
	var out []string
	for _, d := range planner.Dists {
		out = append(out, string(d))
	}
	return out
}

// JSON is the schema, indented, as docs/plan.schema.json holds it.
func JSON() []byte {
	b, _ := marshal(Schema()) // strings, numbers and lists only
	var out bytes.Buffer
	_ = json.Indent(&out, b, "", "  ")
	out.WriteByte('\n')
	return out.Bytes()
}
