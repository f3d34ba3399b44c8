package planner

import "github.com/scaleplan/scaleplan/planner/jsonfile"

// The catalogues' rules, read by planner/schema to make the plan files'
// JSON Schema from them (docs/plan.schema.json), so it cannot drift.

// Rule is what the field accepts; Choices a text field's allowed values.
func (f Field) Rule() jsonfile.Rule { return f.rule }
func (f Field) Choices() []string   { return f.choices }

// Rule is what the objective accepts.
func (f SLOField) Rule() jsonfile.Rule { return f.rule }

// VariantRule is one of a variant's numeric keys and what it accepts.
type VariantRule struct {
	Key             string
	Rule            jsonfile.Rule
	Required, Share bool
}

// VariantRules lists a variant's numeric keys in file order.
func VariantRules() []VariantRule {
	out := make([]VariantRule, len(variantSettings))
	for i, s := range variantSettings {
		out[i] = VariantRule{Key: s.Key, Rule: s.rule, Required: s.required, Share: s.share}
	}
	return out
}

// Rules of the other numeric keys a plan file has, by where they are.
var (
	PhaseRules = map[string]jsonfile.Rule{KeyDays: daysRule, KeyCallsPerDay: callsRule, KeyInputTokens: tokensRule,
		KeyOutputTokens: tokensRule, KeyNodes: nodesRule, KeyOneTime: nonNegative}
	ComponentRules = map[string]jsonfile.Rule{"price": nonNegative, "latency_ms": milliseconds, "bytes_per_call": wholeRule(0, MaxBytes),
		"retention_days": wholeRule(0, MaxDays)}
	CommitmentRules = map[string]jsonfile.Rule{"term_months": wholeRule(1, 120), "nodes": nodesRule, "rate": nonNegative, "upfront": nonNegative}
)
