package planner

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner/jsonfile"

	"github.com/shopspring/decimal"
)

// Edits change one value of a plan from text a person typed. Each returns a
// new plan and leaves the one it was given untouched; a refused edit returns
// a FieldError naming the JSON path and what was expected, in the same words
// a plan file would get.

// PlanDefault is the phase index that means "the plan's default" in
// SetInput and ResetOverride.
const PlanDefault = -1

// Phase input keys that are not assumptions.
const (
	KeyName         = "name"
	KeyDays         = "days"
	KeyCallsPerDay  = "calls_per_day"
	KeyNodes        = "nodes"
	KeyScaling      = "scaling"
	KeyOneTime      = "one_time"
	KeyNotes        = "notes"
	KeyVariant      = "variant"
	KeyInputTokens  = "input_tokens"
	KeyOutputTokens = "output_tokens"
)

// SLO keys, edited with phase = PlanDefault.
const (
	KeyP99Ms          = "p99_ms"
	KeyMaxCostPerCall = "max_cost_per_call"
	KeyMinUtilization = "min_utilization"
	KeyMinAccuracy    = "min_accuracy"
)

// SetInput sets one input from typed text. key is a phase key (name, days,
// calls_per_day, nodes, scaling, one_time), an assumption key, or an slo key.
// For an assumption, phase PlanDefault sets the plan default and a phase
// index sets that phase's override. Friendly forms are accepted: thousands
// separators ("2,000,000"), a currency sign ("$6.88"), a percentage for a
// fraction ("70%"), k/M/B suffixes on counts ("2M"), and "auto" or nothing
// for a phase's nodes.
func SetInput(p Plan, phase int, key, text string) (Plan, error) {
	return setInput(p, phase, key, text, Opt[decimal.Decimal]{}, true)
}

// setInput is SetInput; check false is for a risk draw: p is the caller's
// own copy, set in place, and the checks across the whole plan are skipped
// (a range's ends were checked, and no range moves a phase's days or a
// name).
func setInput(p Plan, phase int, key, text string, num Opt[decimal.Decimal], check bool) (Plan, error) {
	path := inputPath(phase, key)
	if phase != PlanDefault && (phase < 0 || phase >= len(p.Phases)) {
		return p, &FieldError{Path: path, Msg: "no such phase"}
	}
	q := p
	if check {
		q = p.Clone()
	}
	text = strings.TrimSpace(text)
	var ph *Phase
	if phase != PlanDefault {
		ph = &q.Phases[phase]
	}
	number := func(r rule, fraction bool) (decimal.Decimal, error) {
		if num.Valid { // a drawn value: a number already, only its rule to check
			if msg := r.Check(num.Val); msg != "" {
				return num.Val, &FieldError{Path: path, Msg: fmt.Sprintf("%s, got %s", msg, num.Val)}
			}
			return num.Val, nil
		}
		d, msg := typedNumber(text, r, fraction)
		if msg != "" {
			return d, &FieldError{Path: path, Msg: msg}
		}
		return d, nil
	}
	f, isPhaseField := LookupPhaseField(key)
	switch {
	case isPhaseField && ph != nil:
		if msg := f.set(&q, ph, text); msg != "" {
			return p, &FieldError{Path: path, Msg: msg}
		}
	case isSLO(key) && ph == nil:
		f, _ := LookupSLO(key)
		target := f.get(&q.SLO)
		if text == "" && !num.Valid {
			*target = Opt[decimal.Decimal]{}
			break
		}
		d, err := number(f.rule, f.Share)
		if err != nil {
			return p, err
		}
		*target = Some(d)
	default:
		i := fieldIndex(key)
		if i < 0 {
			return p, &FieldError{Path: path, Msg: "not an input"}
		}
		f := &assumptionFields[i]
		a := &q.Assumptions
		if ph != nil {
			eff := q.Effective(phase)
			a = &eff
			if key == "node_rps" && eff.NodeRPSFromTokens() {
				return p, &FieldError{Path: path, Msg: fmt.Sprintf("the phase's node throughput is tokens_per_s %s ÷ %s tokens a call; change tokens_per_s or the tokens, or set tokens_per_s to 0 to type node_rps",
					eff.TokensPerS, format.Count(eff.TokensPerCall().Val))}
			}
		}
		switch f.Kind {
		case KindText:
			*f.txt(a) = text
		case KindProfile:
			prof, err := parseProfile(text, path)
			if err != nil {
				return p, err
			}
			*f.prof(a) = prof
		default:
			d, err := number(f.rule, f.rule.Max.Equal(one) && !f.rule.Whole)
			if err != nil {
				return p, err
			}
			if f.Kind == KindCount {
				*f.cnt(a) = d.IntPart()
			} else {
				*f.dec(a) = d
			}
		}
		if ph != nil {
			f.copy(&ph.Overrides.vals, a)
			ph.Overrides.set |= 1 << i
		}
	}
	if !check {
		return q, nil
	}
	if errs := crossCheck(q); len(errs) > 0 {
		e := errs[0]
		return p, &e
	}
	return q, nil
}

// inputPath is the JSON path an edit refers to.
func inputPath(phase int, key string) string {
	switch {
	case isSLO(key):
		return "slo." + key
	case phase == PlanDefault:
		return "assumptions." + key
	case fieldIndex(key) >= 0:
		return fmt.Sprintf("phases[%d].overrides.%s", phase, key)
	}
	return fmt.Sprintf("phases[%d].%s", phase, key)
}

// parseProfile reads 24 weights separated by spaces or commas.
func parseProfile(text, path string) (Profile, error) {
	var p Profile
	fields := strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == ',' || r == ';' || r == '\t' })
	if len(fields) != 24 {
		return p, &FieldError{Path: path, Msg: fmt.Sprintf("must list 24 weights, one for each hour 0–23, got %d", len(fields))}
	}
	for i, f := range fields {
		d, msg := jsonfile.ParseDecimal(f)
		if msg == "" {
			msg = nonNegative.Check(d)
		}
		if msg != "" {
			return p, &FieldError{Path: fmt.Sprintf("%s[%d]", path, i), Msg: fmt.Sprintf("must be a number ≥ 0, got %q", f)}
		}
		p[i] = d
	}
	if p.sum().IsZero() {
		return p, &FieldError{Path: path, Msg: "must not be all 0: some hour must carry load"}
	}
	return p, nil
}

// ResetOverride makes phase i use the plan default for key again.
func ResetOverride(p Plan, i int, key string) Plan {
	q := p.bare(ScenarioPath(p, i, key))
	q = q.Clone()
	q.Phases[i].Overrides.Clear(key)
	return q
}

// AddPhase inserts a copy of phase after (its settings, a new name) right
// after it, and returns the new plan and the new phase's index. after may be
// -1 to add at the start (copying the first phase).
func AddPhase(p Plan, after int) (Plan, int, error) {
	q := p.Clone()
	src := max(0, min(after, len(q.Phases)-1))
	ph := q.Phases[src]
	ph.Name = uniqueName(q, "New phase")
	ph.OneTime = decimal.Zero
	at := after + 1
	q.Phases = append(q.Phases[:at], append([]Phase{ph}, q.Phases[at:]...)...)
	if err := Validate(q); err != nil {
		return p, after, err // e.g. past 10,000 phases or a century of days
	}
	return q, at, nil
}

// DuplicatePhase copies phase i, overrides and all, right after it.
func DuplicatePhase(p Plan, i int) (Plan, int, error) {
	q := p.Clone()
	ph := q.Phases[i]
	ph.Name = uniqueName(q, ph.Name+" (copy)")
	q.Phases = append(q.Phases[:i+1], append([]Phase{ph}, q.Phases[i+1:]...)...)
	if err := Validate(q); err != nil {
		return p, i, err
	}
	return q, i + 1, nil
}

// DeletePhase removes phase i; the last phase cannot be removed.
func DeletePhase(p Plan, i int) (Plan, error) {
	if len(p.Phases) <= 1 {
		return p, &FieldError{Path: "phases", Msg: "a plan needs at least one phase"}
	}
	q := p.Clone()
	if err := dropPhaseFrom(&q, q.Phases[i].Name); err != nil {
		return p, err
	}
	dropOverrides(&q, "phases", q.Phases[i].Name) // Ctrl+Z brings them back with the phase
	q.Phases = append(q.Phases[:i], q.Phases[i+1:]...)
	return q, nil
}

// MovePhase moves phase i by delta places (−1 left, +1 right) and returns
// its new index; at either end it stays put.
func MovePhase(p Plan, i, delta int) (Plan, int) {
	j := i + delta
	if j < 0 || j >= len(p.Phases) {
		return p, i
	}
	q := p.Clone()
	q.Phases[i], q.Phases[j] = q.Phases[j], q.Phases[i]
	return q, j
}

func uniqueName(p Plan, base string) string {
	return unique(base, func(name string) bool {
		for _, ph := range p.Phases {
			if ph.Name == name {
				return true
			}
		}
		return false
	})
}

// unique is base, or base followed by the first number from 2 that makes a
// name not taken.
func unique(base string, taken func(string) bool) string {
	name := base
	for n := 2; taken(name); n++ {
		name = fmt.Sprintf("%s %d", base, n)
	}
	return name
}

// NewPlan is the plan File → New starts from: one phase, the seed's
// assumptions' shape with neutral prices, ready to be filled in.
func NewPlan(start Date) Plan {
	return Plan{
		Name: "Untitled plan", Currency: DefaultCurrency, StartDate: start,
		Assumptions: Assumptions{
			NodeType: "GPU node", NodeHourly: decimal.NewFromInt(1), NodeRPS: decimal.NewFromInt(10),
			TargetUtilization: decimal.RequireFromString("0.7"), MinNodes: 1, HourlyProfile: FlatProfile(), ServiceCV: one, Slots: 1,
			TensorParallel: 1, GPUMemoryUtilization: defaultGPUMemoryUtilization, MaxBatch: DefaultMaxBatch,
		},
		Phases: []Phase{{Name: "Phase 1", Days: 90, CallsPerDay: 100_000, Scaling: Fixed, OneTime: decimal.Zero}},
	}
}

// SetPlanField sets a plan-wide text field: name, currency or start_date, or
// notes.
func SetPlanField(p Plan, key, text string) (Plan, error) {
	q := p.Clone()
	text = strings.TrimSpace(text)
	switch key {
	case "name":
		if msg := nameProblem(text); msg != "" {
			return p, &FieldError{Path: key, Msg: msg}
		}
		q.Name = text
	case "currency":
		if !currencyPat.MatchString(text) {
			return p, &FieldError{Path: key, Msg: fmt.Sprintf("must be a three-letter ISO 4217 code such as \"USD\", got %q", text)}
		}
		q.Currency = text
	case "start_date":
		d, err := ParseDate(text)
		if err != nil {
			return p, &FieldError{Path: key, Msg: fmt.Sprintf("must be a real date written YYYY-MM-DD, got %q", text)}
		}
		q.StartDate = d
	case "notes":
		if msg := TextProblem(text); msg != "" {
			return p, &FieldError{Path: key, Msg: msg}
		}
		q.Notes = text
	default:
		return p, &FieldError{Path: key, Msg: "not a plan setting"}
	}
	return q, nil
}

// nameProblem says what is wrong with a name typed, or "".
func nameProblem(s string) string {
	if s == "" {
		return "must not be empty"
	}
	if n := utf8.RuneCountInString(s); n > jsonfile.MaxName {
		return fmt.Sprintf("has %s characters; a name may have at most %d", format.Count(int64(n)), jsonfile.MaxName)
	}
	return ""
}

// TextProblem says what is wrong with notes typed, or "".
func TextProblem(s string) string {
	if n := utf8.RuneCountInString(s); n > jsonfile.MaxText {
		return fmt.Sprintf("has %s characters; text may have at most %s", format.Count(int64(n)), format.Count(jsonfile.MaxText))
	}
	return ""
}

func isSLO(key string) bool { _, ok := LookupSLO(key); return ok }

// FollowThroughput keeps a node's throughput and its service time one fact
// (node_rps = slots × 1000 / service_ms): with node_rps at path set to rps,
// the service time in the same place follows, when there is one.
func FollowThroughput(q Plan, path string, rps decimal.Decimal) (Plan, error) {
	section, name, _, _ := SplitPath(path)
	var ms decimal.Decimal
	slots := q.Assumptions.Slots
	switch section {
	case "assumptions":
		ms = q.Assumptions.ServiceMs
	case "phases":
		i, ok := PhaseIndex(q)[name]
		if !ok {
			return q, nil
		}
		a := q.Effective(i)
		ms, slots = a.ServiceMs, a.Slots
	case "variants":
		for _, v := range q.Variants {
			if v.Name == name {
				ms = v.ServiceMs
				if v.Slots.Valid {
					slots = v.Slots.Val
				}
			}
		}
	default:
		return q, nil
	}
	if ms.Sign() <= 0 || rps.Sign() <= 0 {
		return q, nil
	}
	follow := decimal.NewFromInt(max(slots, 1)*1000).DivRound(rps, 6)
	return applyPath(q, ScenarioOverride{Path: path[:strings.LastIndex(path, ".")+1] + "service_ms", Value: follow.String()}, false)
}
