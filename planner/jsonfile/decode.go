// Package jsonfile reads and writes the JSON files scaleplan keeps — a
// plan, a price book — strictly and safely: objects that remember their key
// order and refuse duplicates, exact decimals, every problem collected with
// its path and reported at once, files read through one guard
// (ReadFileCapped) and written atomically (WriteFileAtomic), and the dates
// they hold. It knows no plan: planner and planner/prices read their own
// keys through its Decoder.
package jsonfile

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
)

// Decoder reads a file's values, collecting every problem with its path.
type Decoder struct {
	Errs Errors
	// Skip, when set, says a value was already reported where it was read:
	// Fields passes over its key.
	Skip func(v any) bool
	// Expect, when set, says what a missing required key should hold
	// ("a value" otherwise).
	Expect func(key string) string
}

func (d *Decoder) expect(key string) string {
	if d.Expect != nil {
		return d.Expect(key)
	}
	return "a value"
}

// List reads a list of what ("phases"), of at most max items when max > 0.
func (d *Decoder) List(path string, v any, what string, max int) ([]any, bool) {
	arr, ok := v.([]any)
	switch {
	case !ok:
		d.Fail(path, "must be a list of %s, got %s", what, Describe(v))
		return nil, false
	case max > 0 && len(arr) > max:
		d.Fail(path, "has %d %s; at most %d are allowed", len(arr), what, max)
		return nil, false
	}
	return arr, true
}

// Err is every problem recorded, or nil.
func (d *Decoder) Err() error { return d.Errs.Err() }

// Rule is a numeric range with the words that explain it.
type Rule struct {
	Min, Max     decimal.Decimal
	MinOpen      bool // Min itself is refused
	HasMax       bool
	Whole        bool
	ExpectedText string // "a whole number from 0 to 1,000,000"
}

// MaxAmount bounds every decimal input so that a typo such as 1e300 is a
// clear error rather than a slow or absurd computation.
var MaxAmount = decimal.New(1, 15)

// WholeRule is a whole number from min to max.
func WholeRule(min, max int64) Rule {
	return Rule{Min: decimal.NewFromInt(min), Max: decimal.NewFromInt(max), HasMax: true, Whole: true,
		ExpectedText: "a whole number from " + format.Count(min) + " to " + format.Count(max)}
}

// Check returns "" when d obeys r, or the expectation it breaks.
func (r Rule) Check(d decimal.Decimal) string {
	if r.Whole && !d.IsInteger() {
		return "must be " + r.ExpectedText
	}
	c := d.Cmp(r.Min)
	if c < 0 || (c == 0 && r.MinOpen) || (r.HasMax && d.Cmp(r.Max) > 0) {
		return "must be " + r.ExpectedText
	}
	return ""
}

// Quoted lists names for a message: "a", "b" or "c".
func Quoted(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

func (d *Decoder) Fail(path, format string, args ...any) {
	d.Errs.Add(path, fmt.Sprintf(format, args...))
}

// Fields walks an object's keys in file order, refusing unknown ones and
// reporting missing required ones.
func (d *Decoder) Fields(path string, v any, known []string, required []string, each func(key string, v any, path string)) bool {
	o, ok := v.(*Object)
	if !ok {
		where := path
		if where == "" {
			where = "file" // the top level has no key of its own
		}
		d.Fail(where, "must be an object, got %s", Describe(v))
		return false
	}
	for _, k := range o.Keys {
		if !Contains(known, k) {
			msg := "unknown key"
			if s := Closest(k, known); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			d.Fail(Join(path, k), "%s", msg)
			continue
		}
		if d.Skip != nil && d.Skip(o.Vals[k]) {
			continue // reported where it was read
		}
		each(k, o.Vals[k], Join(path, k))
	}
	for _, k := range required {
		if _, ok := o.Vals[k]; !ok {
			d.Fail(Join(path, k), "missing; expected %s", d.expect(k))
		}
	}
	return true
}

func (d *Decoder) Name(path string, v any) string {
	if s, ok := v.(string); ok {
		if n := utf8.RuneCountInString(s); n > MaxName {
			d.Fail(path, "has %s characters; a name may have at most %d", format.Count(int64(n)), MaxName)
			return ""
		}
	}
	s, ok := d.Text(path, v)
	if ok && strings.TrimSpace(s) == "" {
		d.Fail(path, "must not be empty")
	}
	return s
}

// Limits on text, so a plan's table, workbook and window stay usable: a
// 5-million-character phase name made a 325 MB table.
const (
	MaxName = 200
	MaxText = 100_000 // notes, labels
)

func (d *Decoder) Text(path string, v any) (string, bool) {
	s, ok := v.(string)
	if !ok {
		d.Fail(path, "must be text in quotes, got %s", Describe(v))
		return s, false
	}
	if n := utf8.RuneCountInString(s); n > MaxText {
		d.Fail(path, "has %s characters; text may have at most %s", format.Count(int64(n)), format.Count(MaxText))
		return "", false
	}
	return s, ok
}

// Number reads a JSON number or a decimal string exactly and checks it
// against r.
func (d *Decoder) Number(path string, v any, r Rule) (decimal.Decimal, bool) {
	var lit string
	switch t := v.(type) {
	case json.Number:
		lit = string(t)
	case string:
		lit = t
	default:
		d.Fail(path, "must be %s, got %s", r.ExpectedText, Describe(v))
		return decimal.Zero, false
	}
	n, msg := ParseDecimal(lit)
	if msg == ErrNotNumber {
		msg = "must be " + r.ExpectedText
	} else if msg == "" {
		msg = r.Check(n)
	}
	if msg != "" {
		d.Fail(path, "%s, got %s", msg, Describe(v))
		return decimal.Zero, false
	}
	return n, true
}

// MaxPlaces is the most decimal places an input may carry.
const MaxPlaces = 15

// ErrNotNumber is ParseDecimal's message for text that is no number at all.
const ErrNotNumber = "must be a number"

// IsDecimal says whether s is a plain decimal literal, as a plan writes one.
func IsDecimal(s string) bool { return decimalPat.MatchString(s) }

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
		return decimal.Zero, ErrNotNumber
	}
	if m := exponentPat.FindStringSubmatch(s); m != nil && decimalPat.MatchString(m[1]) {
		// An exponent past what any plan number can carry: say which limit.
		if m[2] == "-" {
			return decimal.Zero, fmt.Sprintf("must have at most %d decimal places", MaxPlaces)
		}
		return decimal.Zero, "must be at most 1,000,000,000,000,000"
	}
	if !decimalPat.MatchString(s) {
		return decimal.Zero, ErrNotNumber
	}
	n, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Zero, ErrNotNumber
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

var plainKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Join extends a JSON path by a key: a.b for plain keys, a["odd key"] for
// others (an empty key still gets a visible path).
func Join(path, key string) string {
	if !plainKey.MatchString(key) {
		return fmt.Sprintf("%s[%q]", path, key)
	}
	if path == "" {
		return key
	}
	return path + "." + key
}

// Contains says whether s is in list.
func Contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// Closest suggests the known key a typo most likely meant, or "" when none is
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

func (d *Decoder) OneOf(path string, v any, allowed []string) string {
	s, ok := d.Text(path, v)
	if ok && !Contains(allowed, s) {
		d.Fail(path, "must be one of %s, got %q", Quoted(allowed), s)
	}
	return s
}

func (d *Decoder) Date(path string, v any) Date {
	s, ok := d.Text(path, v)
	if !ok {
		return Date{}
	}
	date, err := ParseDate(s)
	if err != nil {
		d.Fail(path, "must be a real date written YYYY-MM-DD, got %s", Describe(v))
	}
	return date
}
