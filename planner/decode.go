package planner

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"unicode/utf8"

	"github.com/scaleplan/scaleplan/planner/jsonfile"
	"github.com/shopspring/decimal"
)

// Parse reads a plan file. It reports every problem at once, each with its
// JSON path, and returns no plan at all when there is any: a bad file never
// half-loads.
func Parse(data []byte) (Plan, error) { return ParseIn(data, nil) }

// ParseIn is Parse with the price books the plan's citations resolve
// against (a citation that carries its price needs none).
func ParseIn(data []byte, src PriceSource) (Plan, error) {
	// A UTF-8 byte-order mark (some editors write one) is not content.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		bad := 0
		for bad < len(data) {
			r, size := utf8.DecodeRune(data[bad:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			bad += size
		}
		return Plan{}, Errors{{Path: jsonfile.Where(data, int64(bad)), Msg: "the file is not UTF-8 text; is it a plan file?"}}
	}
	tree, err := jsonfile.ParseTree(data)
	if err != nil {
		return Plan{}, err
	}
	d := decoder{Decoder: NewDecoder(), src: src}
	d.flattenPlan(tree)
	reads, refs := d.takeInputObjects(tree)
	p := d.plan(tree)
	for _, r := range reads {
		p.Ranges = append(p.Ranges, r.InputRange)
	}
	sort.SliceStable(p.Ranges, func(i, j int) bool { return p.Ranges[i].Path < p.Ranges[j].Path })
	p.PriceRefs = refs
	sort.SliceStable(p.PriceRefs, func(i, j int) bool { return p.PriceRefs[i].Path < p.PriceRefs[j].Path })
	if top, ok := tree.(*jsonfile.Object); ok && len(d.Errs) == 0 {
		raw, _ := top.Vals["commitments"].([]any)
		resolveOptions(&p, raw, d.prices(), &d.Errs) // an option of the cited offer: its rate, upfront and term
	}
	if len(d.Errs) == 0 {
		d.Errs = crossCheck(p)
	}
	if len(d.Errs) == 0 {
		checkRanges(p, reads, &d.Errs)
	}
	ungroupPaths(d.Errs)
	if err := d.Errs.Err(); err != nil {
		return Plan{}, err
	}
	return p, nil
}

// prices is what citations resolve against: none when the plan is read
// without books.
func (d *decoder) prices() PriceSource {
	if d.src == nil {
		return noBooks{}
	}
	return d.src
}

var topKeys = []string{"$schema", "format", "name", "currency", "start_date", "notes", "assumptions", "slo", "variants", "components", "commitments", "measured", "actuals_mapping", "scenarios", "phases"}
var variantKeys = append([]string{"name"}, variantSettingKeys()...)

var variantRequired = func() []string {
	out := []string{"name"}
	for _, s := range variantSettings {
		if s.required {
			out = append(out, s.Key)
		}
	}
	return out
}()

var (
	daysRule    = wholeRule(1, MaxDays)
	callsRule   = wholeRule(0, MaxCallsPerDay)
	tokensRule  = wholeRule(0, MaxTokens)
	nodesRule   = wholeRule(0, MaxNodes)
	currencyPat = regexp.MustCompile(`^[A-Z]{3}$`)
)

func (d *decoder) plan(tree any) Plan {
	p := Plan{Currency: DefaultCurrency, Assumptions: Assumptions{HourlyProfile: FlatProfile(), ServiceCV: one, Slots: 1, TensorParallel: 1, GPUMemoryUtilization: defaultGPUMemoryUtilization, MaxBatch: DefaultMaxBatch}}
	d.Fields("", tree, topKeys, []string{"format", "name", "start_date", "assumptions", "phases"}, func(k string, v any, path string) {
		switch k {
		case "format":
			// Formats 1 and 2 are read alike: a file that says 1 but uses
			// format-2 keys is read as format 2, never refused for it.
			n, ok := d.Number(path, v, wholeRule(1, 1_000_000))
			if ok && n.GreaterThan(decimal.NewFromInt(FormatVersion)) {
				d.Fail(path, "this plan was written by a newer scaleplan (format %s); this version reads formats 1 to %d", n, FormatVersion)
			}
		case "$schema":
			p.Schema, _ = d.Text(path, v)
		case "name":
			p.Name = d.Name(path, v)
		case "currency":
			if s, ok := d.Text(path, v); ok {
				if !currencyPat.MatchString(s) {
					d.Fail(path, "must be a three-letter ISO 4217 code such as \"USD\", got %s", jsonfile.Describe(v))
				} else {
					p.Currency = s
				}
			}
		case "start_date":
			if s, ok := d.Text(path, v); ok {
				date, err := ParseDate(s)
				if err != nil {
					d.Fail(path, "must be a real date written YYYY-MM-DD, got %s", jsonfile.Describe(v))
				}
				p.StartDate = date
			}
		case "notes":
			p.Notes, _ = d.Text(path, v)
		case "assumptions":
			d.assumptions(path, v, &p.Assumptions, nil)
		case "slo":
			d.slo(path, v, &p.SLO)
		case "variants":
			p.Variants = d.variants(path, v)
		case "components":
			p.Components = d.components(path, v)
		case "commitments":
			p.Commitments = d.commitments(path, v)
		case "measured":
			p.Measured = d.measured(path, v)
		case "actuals_mapping":
			p.ActualsMapping = d.actualsMapping(path, v)
		case "scenarios":
			p.Scenarios = d.scenarios(path, v)
		case "phases":
			p.Phases = d.phases(path, v)
		}
	})
	return p
}

func (d *decoder) slo(path string, v any, s *SLO) {
	d.Fields(path, v, sloKeys(), nil, func(k string, v any, path string) {
		f, _ := LookupSLO(k)
		if v == nil { // an explicit null means "not set", as omitting it does
			return
		}
		if n, ok := d.Number(path, v, f.rule); ok {
			*f.get(s) = Some(n)
		}
	})
}

// assumptions reads either the plan's defaults (set == nil: required keys
// must be there) or one phase's overrides (set != nil: records which keys
// the phase gives).
func (d *decoder) assumptions(path string, v any, a *Assumptions, set *uint64) {
	known := make([]string, len(assumptionFields))
	var required []string
	for i, f := range assumptionFields {
		known[i] = f.Key
		if f.Required && set == nil && !(f.Key == "node_rps" && servesTokens(v)) {
			required = append(required, f.Key)
		}
	}
	d.Fields(path, v, known, required, func(k string, v any, path string) {
		i := fieldIndex(k)
		if d.field(path, v, &assumptionFields[i], a) && set != nil {
			*set |= 1 << i
		}
	})
}

// servesTokens says whether an assumptions object sets "serving": "tokens"
// (then node_rps is not required: the serving rules give the capacity).
func servesTokens(v any) bool {
	o, ok := v.(*jsonfile.Object)
	if !ok {
		return false
	}
	v, has := o.Vals[KeyServing]
	return has && v != ServingCalls && v != "" // a misspelt mode is reported by name, not as a missing node_rps
}

// field reads one assumption into a; it reports whether the value was good.
func (d *decoder) field(path string, v any, f *Field, a *Assumptions) bool {
	switch f.Kind {
	case KindText:
		s, ok := d.Text(path, v)
		*f.txt(a) = s
		return ok
	case KindDecimal:
		n, ok := d.Number(path, v, f.rule)
		*f.dec(a) = n
		return ok
	case KindCount:
		n, ok := d.Number(path, v, f.rule)
		*f.cnt(a) = n.IntPart()
		return ok
	default:
		prof, ok := d.profile(path, v)
		*f.prof(a) = prof
		return ok
	}
}

func (d *decoder) profile(path string, v any) (Profile, bool) {
	var p Profile
	arr, ok := v.([]any)
	if !ok {
		d.Fail(path, "must be a list of 24 weights (hours 0–23), got %s", jsonfile.Describe(v))
		return p, false
	}
	if len(arr) != 24 {
		d.Fail(path, "must list 24 weights, one for each hour 0–23, got %d", len(arr))
		return p, false
	}
	good := true
	for i, e := range arr {
		n, ok := d.Number(fmt.Sprintf("%s[%d]", path, i), e, nonNegative)
		good = good && ok
		p[i] = n
	}
	if good && p.sum().IsZero() {
		d.Fail(path, "must not be all 0: some hour must carry load")
		return p, false
	}
	return p, good
}

func (d *decoder) variants(path string, v any) []Variant {
	arr, ok := d.List(path, v, "model variants", 0)
	if !ok {
		return nil
	}
	out := make([]Variant, len(arr))
	for i, e := range arr {
		vp := fmt.Sprintf("%s[%d]", path, i)
		vr := &out[i]
		d.Fields(vp, e, variantKeys, variantRequired, func(k string, v any, path string) {
			if k == "name" {
				vr.Name = d.Name(path, v)
			} else if s, ok := lookupVariantSetting(k); ok {
				if n, ok := d.Number(path, v, s.rule); ok {
					s.set(vr, Some(n))
				}
			}
		})
	}
	return out
}

func (d *decoder) phases(path string, v any) []Phase {
	arr, ok := d.List(path, v, "phases", 0)
	if !ok {
		return nil
	}
	if len(arr) == 0 {
		d.Fail(path, "must list at least one phase")
		return nil
	}
	if len(arr) > MaxPhases {
		d.Fail(path, "has %d phases; at most %d are allowed", len(arr), MaxPhases)
		return nil
	}
	out := make([]Phase, len(arr))
	for i, e := range arr {
		out[i] = d.phase(fmt.Sprintf("%s[%d]", path, i), e)
	}
	return out
}

func (d *decoder) phase(path string, v any) Phase {
	ph := Phase{Scaling: Fixed}
	d.Fields(path, v, phaseKeys(), requiredPhaseKeys(), func(k string, v any, path string) {
		if k == "overrides" {
			d.assumptions(path, v, &ph.Overrides.vals, &ph.Overrides.set)
			return
		}
		f, _ := LookupPhaseField(k)
		f.read(d, path, v, &ph)
	})
	return ph
}

// ParseScaling reads a scaling mode by name.
func ParseScaling(s string) (Scaling, error) {
	for _, sc := range Scalings {
		if string(sc) == s {
			return sc, nil
		}
	}
	return Fixed, fmt.Errorf("must be one of \"fixed\", \"autoscale\" or \"predictive\", got %q", s)
}

func (p Profile) sum() decimal.Decimal {
	s := decimal.Zero
	for _, w := range p {
		s = s.Add(w)
	}
	return s
}

// expectationOf says what a missing required key should hold.
func expectationOf(key string) string {
	switch key {
	case "format":
		return fmt.Sprint(FormatVersion)
	case "name":
		return "a name in quotes"
	case "start_date":
		return "a date written YYYY-MM-DD"
	case "assumptions":
		return "an object of assumptions"
	case "phases":
		return "a list of phases"
	case "accuracy":
		return fraction0.ExpectedText
	case "node_rps":
		return positive.ExpectedText
	case "days":
		return daysRule.ExpectedText
	case "calls_per_day":
		return callsRule.ExpectedText
	}
	if f, ok := LookupField(key); ok {
		return f.Expected()
	}
	return "a value"
}
