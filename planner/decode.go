package planner

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/scaleplan/scaleplan/format"

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
		return Plan{}, Errors{{Path: where(data, int64(bad)), Msg: "the file is not UTF-8 text; is it a plan file?"}}
	}
	tree, err := parseTree(data)
	if err != nil {
		se := err.(*syntaxError)
		return Plan{}, Errors{{Path: se.where, Msg: se.msg}}
	}
	d := decoder{src: src}
	reads, refs := d.takeInputObjects(tree)
	p := d.plan(tree)
	for _, r := range reads {
		p.Ranges = append(p.Ranges, r.InputRange)
	}
	sort.SliceStable(p.Ranges, func(i, j int) bool { return p.Ranges[i].Path < p.Ranges[j].Path })
	p.PriceRefs = refs
	sort.SliceStable(p.PriceRefs, func(i, j int) bool { return p.PriceRefs[i].Path < p.PriceRefs[j].Path })
	if top, ok := tree.(*object); ok && len(d.errs) == 0 {
		raw, _ := top.vals["commitments"].([]any)
		resolveOptions(&p, raw, d.prices(), &d.errs) // an option of the cited offer: its rate, upfront and term
	}
	if len(d.errs) == 0 {
		d.errs = crossCheck(p)
	}
	if len(d.errs) == 0 {
		checkRanges(p, reads, &d.errs)
	}
	if err := d.errs.err(); err != nil {
		return Plan{}, err
	}
	return p, nil
}

type decoder struct {
	errs Errors
	src  PriceSource // what the plan's citations resolve against
}

// prices is what citations resolve against: none when the plan is read
// without books.
func (d *decoder) prices() PriceSource {
	if d.src == nil {
		return noBooks{}
	}
	return d.src
}

func (d *decoder) fail(path, format string, args ...any) {
	d.errs.add(path, fmt.Sprintf(format, args...))
}

// fields walks an object's keys in file order, refusing unknown ones and
// reporting missing required ones.
func (d *decoder) fields(path string, v any, known []string, required []string, each func(key string, v any, path string)) bool {
	o, ok := v.(*object)
	if !ok {
		where := path
		if where == "" {
			where = "file" // the top level has no key of its own
		}
		d.fail(where, "must be an object, got %s", Describe(v))
		return false
	}
	for _, k := range o.keys {
		if !contains(known, k) {
			msg := "unknown key"
			if s := Closest(k, known); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			d.fail(join(path, k), "%s", msg)
			continue
		}
		if _, bad := o.vals[k].(badRange); bad {
			continue // reported where the range was read
		}
		each(k, o.vals[k], join(path, k))
	}
	for _, k := range required {
		if _, ok := o.vals[k]; !ok {
			d.fail(join(path, k), "missing; expected %s", expectationOf(k))
		}
	}
	return true
}

var topKeys = []string{"format", "name", "currency", "start_date", "notes", "assumptions", "slo", "variants", "components", "commitments", "measured", "scenarios", "phases"}
var variantKeys = append([]string{"name", "accuracy", "node_rps", "service_ms", "node_hourly", "slots", "service_cv"}, variantFigureKeys()...)

var (
	daysRule    = wholeRule(1, MaxDays)
	callsRule   = wholeRule(0, MaxCallsPerDay)
	tokensRule  = wholeRule(0, MaxTokens)
	nodesRule   = wholeRule(0, MaxNodes)
	currencyPat = regexp.MustCompile(`^[A-Z]{3}$`)
)

func (d *decoder) plan(tree any) Plan {
	p := Plan{Currency: DefaultCurrency, Assumptions: Assumptions{HourlyProfile: FlatProfile(), ServiceCV: one, Slots: 1, TensorParallel: 1, GPUMemoryUtilization: defaultGPUMemoryUtilization}}
	d.fields("", tree, topKeys, []string{"format", "name", "start_date", "assumptions", "phases"}, func(k string, v any, path string) {
		switch k {
		case "format":
			// Formats 1 and 2 are read alike: a file that says 1 but uses
			// format-2 keys is read as format 2, never refused for it.
			n, ok := d.number(path, v, wholeRule(1, 1_000_000))
			if ok && n.GreaterThan(decimal.NewFromInt(FormatVersion)) {
				d.fail(path, "this plan was written by a newer scaleplan (format %s); this version reads formats 1 to %d", n, FormatVersion)
			}
		case "name":
			p.Name = d.name(path, v)
		case "currency":
			if s, ok := d.text(path, v); ok {
				if !currencyPat.MatchString(s) {
					d.fail(path, "must be a three-letter ISO 4217 code such as \"USD\", got %s", Describe(v))
				} else {
					p.Currency = s
				}
			}
		case "start_date":
			if s, ok := d.text(path, v); ok {
				date, err := ParseDate(s)
				if err != nil {
					d.fail(path, "must be a real date written YYYY-MM-DD, got %s", Describe(v))
				}
				p.StartDate = date
			}
		case "notes":
			p.Notes, _ = d.text(path, v)
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
		case "scenarios":
			p.Scenarios = d.scenarios(path, v)
		case "phases":
			p.Phases = d.phases(path, v)
		}
	})
	return p
}

func (d *decoder) slo(path string, v any, s *SLO) {
	d.fields(path, v, sloKeys(), nil, func(k string, v any, path string) {
		f, _ := LookupSLO(k)
		if v == nil { // an explicit null means "not set", as omitting it does
			return
		}
		if n, ok := d.number(path, v, f.rule); ok {
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
		if f.Required && set == nil {
			required = append(required, f.Key)
		}
	}
	d.fields(path, v, known, required, func(k string, v any, path string) {
		i := fieldIndex(k)
		if d.field(path, v, &assumptionFields[i], a) && set != nil {
			*set |= 1 << i
		}
	})
}

// field reads one assumption into a; it reports whether the value was good.
func (d *decoder) field(path string, v any, f *Field, a *Assumptions) bool {
	switch f.Kind {
	case KindText:
		s, ok := d.text(path, v)
		*f.txt(a) = s
		return ok
	case KindDecimal:
		n, ok := d.number(path, v, f.rule)
		*f.dec(a) = n
		return ok
	case KindCount:
		n, ok := d.number(path, v, f.rule)
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
		d.fail(path, "must be a list of 24 weights (hours 0–23), got %s", Describe(v))
		return p, false
	}
	if len(arr) != 24 {
		d.fail(path, "must list 24 weights, one for each hour 0–23, got %d", len(arr))
		return p, false
	}
	good := true
	for i, e := range arr {
		n, ok := d.number(fmt.Sprintf("%s[%d]", path, i), e, nonNegative)
		good = good && ok
		p[i] = n
	}
	if good && p.sum().IsZero() {
		d.fail(path, "must not be all 0: some hour must carry load")
		return p, false
	}
	return p, good
}

func (d *decoder) variants(path string, v any) []Variant {
	arr, ok := v.([]any)
	if !ok {
		d.fail(path, "must be a list of model variants, got %s", Describe(v))
		return nil
	}
	out := make([]Variant, len(arr))
	for i, e := range arr {
		vp := fmt.Sprintf("%s[%d]", path, i)
		vr := &out[i]
		d.fields(vp, e, variantKeys, []string{"name", "accuracy", "node_rps"}, func(k string, v any, path string) {
			switch k {
			case "name":
				vr.Name = d.name(path, v)
			case "accuracy":
				vr.Accuracy, _ = d.number(path, v, fraction0)
			case "node_rps":
				vr.NodeRPS, _ = d.number(path, v, positive)
			case "service_ms":
				vr.ServiceMs, _ = d.number(path, v, milliseconds)
			case "node_hourly":
				if n, ok := d.number(path, v, nonNegative); ok {
					vr.NodeHourly = Some(n)
				}
			case "slots":
				if n, ok := d.number(path, v, wholeRule(1, MaxSlots)); ok {
					vr.Slots = Some(n.IntPart())
				}
			case "service_cv":
				if n, ok := d.number(path, v, variability); ok {
					vr.ServiceCV = Some(n)
				}
			default:
				if f, ok := lookupVariantFigure(k); ok {
					if n, ok := d.number(path, v, f.rule); ok {
						*f.get(&vr.Figures) = Some(n)
					}
				}
			}
		})
	}
	return out
}

func (d *decoder) phases(path string, v any) []Phase {
	arr, ok := v.([]any)
	if !ok {
		d.fail(path, "must be a list of phases, got %s", Describe(v))
		return nil
	}
	if len(arr) == 0 {
		d.fail(path, "must list at least one phase")
		return nil
	}
	if len(arr) > MaxPhases {
		d.fail(path, "has %d phases; at most %d are allowed", len(arr), MaxPhases)
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
	d.fields(path, v, phaseKeys(), requiredPhaseKeys(), func(k string, v any, path string) {
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

func (d *decoder) name(path string, v any) string {
	if s, ok := v.(string); ok {
		if n := utf8.RuneCountInString(s); n > MaxName {
			d.fail(path, "has %s characters; a name may have at most %d", format.Count(int64(n)), MaxName)
			return ""
		}
	}
	s, ok := d.text(path, v)
	if ok && strings.TrimSpace(s) == "" {
		d.fail(path, "must not be empty")
	}
	return s
}

// Limits on text, so a plan's table, workbook and window stay usable: a
// 5-million-character phase name made a 325 MB table.
const (
	MaxName = 200
	MaxText = 100_000 // notes, labels
)

func (d *decoder) text(path string, v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		d.fail(path, "must be text in quotes, got %s", Describe(v))
		return s, false
	}
	if n := utf8.RuneCountInString(s); n > MaxText {
		d.fail(path, "has %s characters; text may have at most %s", format.Count(int64(n)), format.Count(MaxText))
		return "", false
	}
	return s, ok
}

// number reads a JSON number or a decimal string exactly and checks it
// against r.
func (d *decoder) number(path string, v any, r rule) (decimal.Decimal, bool) {
	var lit string
	switch t := v.(type) {
	case json.Number:
		lit = string(t)
	case string:
		lit = t
	default:
		d.fail(path, "must be %s, got %s", r.expectedText, Describe(v))
		return decimal.Zero, false
	}
	n, msg := ParseDecimal(lit)
	if msg == errNotNumber {
		msg = "must be " + r.expectedText
	} else if msg == "" {
		msg = r.check(n)
	}
	if msg != "" {
		d.fail(path, "%s, got %s", msg, Describe(v))
		return decimal.Zero, false
	}
	return n, true
}

// MaxPlaces is the most decimal places an input may carry.
const MaxPlaces = 15

const errNotNumber = "must be a number"

var decimalPat = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]{1,3})?$`)

// A number whose exponent has four or more digits (1e999999999).
var exponentPat = regexp.MustCompile(`^(-?[0-9]+(?:\.[0-9]+)?)[eE]([-+]?)[0-9]{4,}$`)

// Any long run that looks like a number, to say it is too long rather than not a number.
var longNumberPat = regexp.MustCompile(`^-?[0-9.eE+-]+$`)

// MaxLiteral is the longest number literal a plan may hold: far more digits
// than any amount needs (15 places after the point, 10^15 before).
const MaxLiteral = 64

// ParseDecimal reads an exact decimal as written in a plan file: a JSON
// number's text such as "6.88", "-2" or "5e6". It returns a message rather
// than an error so callers can add the path and the offending value.
func ParseDecimal(s string) (decimal.Decimal, string) {
	// Refuse over-long literals before any arithmetic: a million-digit
	// number took seconds to convert (the conversion is quadratic).
	if len(s) > MaxLiteral {
		if decimalPat.MatchString(s) || longNumberPat.MatchString(s) {
			return decimal.Zero, fmt.Sprintf("has %s characters, more than the %d a plan's number may have", format.Count(int64(len(s))), MaxLiteral)
		}
		return decimal.Zero, errNotNumber
	}
	if m := exponentPat.FindStringSubmatch(s); m != nil && decimalPat.MatchString(m[1]) {
		// An exponent past what any plan number can carry: say which limit.
		if m[2] == "-" {
			return decimal.Zero, fmt.Sprintf("must have at most %d decimal places", MaxPlaces)
		}
		return decimal.Zero, "must be at most 1,000,000,000,000,000"
	}
	if !decimalPat.MatchString(s) {
		return decimal.Zero, errNotNumber
	}
	n, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero, errNotNumber
	}
	if n.Abs().GreaterThan(MaxAmount) {
		return decimal.Zero, "must be at most 1,000,000,000,000,000"
	}
	if -n.Exponent() > MaxPlaces {
		r := n.Round(MaxPlaces)
		if !n.Equal(r) {
			return decimal.Zero, fmt.Sprintf("must have at most %d decimal places", MaxPlaces)
		}
		n = r // "0e-999" is 0: keep the exponent small, or every sum rescales by 10^999
	}
	return n, ""
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
		return fraction0.expectedText
	case "node_rps":
		return positive.expectedText
	case "days":
		return daysRule.expectedText
	case "calls_per_day":
		return callsRule.expectedText
	}
	if f, ok := LookupField(key); ok {
		return f.Expected()
	}
	return "a value"
}

var plainKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// join extends a JSON path by a key: a.b for plain keys, a["odd key"] for
// others (an empty key still gets a visible path).
func join(path, key string) string {
	if !plainKey.MatchString(key) {
		return fmt.Sprintf("%s[%q]", path, key)
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// closest suggests the known key a typo most likely meant, or "" when none is
// near enough to be a useful hint.
func Closest(s string, known []string) string {
	best, bestDist := "", 3
	cands := append([]string(nil), known...)
	sort.Strings(cands)
	for _, k := range cands {
		if dist := editDistance(strings.ToLower(s), k); dist < bestDist {
			best, bestDist = k, dist
		}
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func (d *decoder) oneOf(path string, v any, allowed []string) string {
	s, ok := d.text(path, v)
	if ok && !contains(allowed, s) {
		d.fail(path, "must be one of %s, got %q", quoted(allowed), s)
	}
	return s
}

func (d *decoder) date(path string, v any) Date {
	s, ok := d.text(path, v)
	if !ok {
		return Date{}
	}
	date, err := ParseDate(s)
	if err != nil {
		d.fail(path, "must be a real date written YYYY-MM-DD, got %s", Describe(v))
	}
	return date
}
