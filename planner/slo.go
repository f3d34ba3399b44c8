package planner

import "github.com/shopspring/decimal"

// SLOField describes one service-level objective: its key (in a plan
// file's slo object, and in an edit), how people name it, and what values
// it accepts. Decoding, saving, editing, the settings form and the
// workbook's Inputs sheet all loop over SLOFields, so an objective added
// here is read, written, edited and exported alike (its check, if it has
// one, is in model.go).
type SLOField struct {
	Key   string
	Label string
	Unit  string
	Share bool // a fraction, typed as one or as a percentage ("60%")
	Money bool // an amount in the plan's currency
	Since int  // the plan format that introduced it (0 means 1)

	rule rule
	get  func(*SLO) *Opt[decimal.Decimal]
}

var sloFields = []SLOField{
	{Key: KeyP99Ms, Label: "p99 latency target", Unit: "ms", rule: positive,
		get: func(s *SLO) *Opt[decimal.Decimal] { return &s.P99Ms }},
	{Key: KeyMaxCostPerCall, Label: "Cost ceiling", Unit: "per call", Money: true, rule: nonNegative,
		get: func(s *SLO) *Opt[decimal.Decimal] { return &s.MaxCostPerCall }},
	{Key: KeyMinUtilization, Label: "Minimum utilization", Unit: "average", Share: true, rule: fraction0,
		get: func(s *SLO) *Opt[decimal.Decimal] { return &s.MinUtilization }},
	{Key: KeyMinAccuracy, Label: "Accuracy floor", Unit: "a model variant must meet", Share: true, rule: fraction0,
		get: func(s *SLO) *Opt[decimal.Decimal] { return &s.MinAccuracy }},
	{Key: KeyTTFTp99, Label: "TTFT p99 target", Unit: "ms to the first token", rule: positive, Since: 2,
		get: func(s *SLO) *Opt[decimal.Decimal] { return &s.TTFTp99Ms }},
	{Key: KeyTPOTp99, Label: "TPOT p99 target", Unit: "ms a token after the first", rule: positive, Since: 2,
		get: func(s *SLO) *Opt[decimal.Decimal] { return &s.TPOTp99Ms }},
	{Key: KeyGoodputMin, Label: "Goodput floor", Unit: "share of calls meeting both", Share: true, rule: fraction, Since: 2,
		get: func(s *SLO) *Opt[decimal.Decimal] { return &s.GoodputMin }},
}

// SLOFields lists the objectives in the order files and forms show them.
func SLOFields() []SLOField { return append([]SLOField(nil), sloFields...) }

// LookupSLO finds an objective by key.
func LookupSLO(key string) (SLOField, bool) {
	for _, f := range sloFields {
		if f.Key == key {
			return f, true
		}
	}
	return SLOField{}, false
}

// Of is the objective's value in s; unset when not checked.
func (f SLOField) Of(s SLO) Opt[decimal.Decimal] { return *f.get(&s) }

// Expected says what the objective accepts: "a number > 0".
func (f SLOField) Expected() string { return f.rule.ExpectedText }

func sloKeys() []string {
	out := make([]string, len(sloFields))
	for i, f := range sloFields {
		out[i] = f.Key
	}
	return out
}

// anySLO reports whether s sets any objective.
func anySLO(s SLO) bool {
	for _, f := range sloFields {
		if f.Of(s).Valid {
			return true
		}
	}
	return false
}
