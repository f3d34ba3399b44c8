package planner

import (
	"github.com/shopspring/decimal"
)

// Decoder reads a JSON file's values strictly, as a plan file is read:
// unknown keys refused with a likely meaning, exact decimals, every problem
// collected with its path. Other rooms' files (a price book) are read
// through it, so their messages read like a plan's.
type Decoder struct{ d decoder }

// Rule is a numeric range an input must lie in, with the words that say it.
type Rule = rule

// WholeRule is a whole number from min to max.
func WholeRule(min, max int64) Rule { return wholeRule(min, max) }

// NonNegative is a number ≥ 0, at most MaxAmount.
func NonNegative() Rule { return nonNegative }

// Positive is a number > 0, at most MaxAmount.
func Positive() Rule { return positive }

// ParseTree reads JSON into ordered objects, lists, strings, json.Number
// and bools, refusing duplicate keys and over-deep nesting; a syntax error
// is an Errors with the line and column.
func ParseTree(data []byte) (any, error) {
	tree, err := parseTree(data)
	if err != nil {
		se := err.(*syntaxError)
		return nil, Errors{{Path: se.where, Msg: se.msg}}
	}
	return tree, nil
}

// Fail records a problem at path.
func (d *Decoder) Fail(path, format string, args ...any) { d.d.fail(path, format, args...) }

// Fields walks the object v's keys in file order, refusing unknown ones
// and reporting missing required ones; false when v is not an object.
func (d *Decoder) Fields(path string, v any, known, required []string, each func(key string, v any, path string)) bool {
	return d.d.fields(path, v, known, required, each)
}

// Number reads a JSON number or a decimal string exactly and checks it against r.
func (d *Decoder) Number(path string, v any, r Rule) (decimal.Decimal, bool) {
	return d.d.number(path, v, r)
}

// Name reads a name: text, not blank, at most MaxName characters.
func (d *Decoder) Name(path string, v any) string { return d.d.name(path, v) }

// Text reads text of at most MaxText characters.
func (d *Decoder) Text(path string, v any) (string, bool) { return d.d.text(path, v) }

// OneOf reads text that must be one of allowed.
func (d *Decoder) OneOf(path string, v any, allowed []string) string {
	return d.d.oneOf(path, v, allowed)
}

// Date reads a date written YYYY-MM-DD.
func (d *Decoder) Date(path string, v any) Date { return d.d.date(path, v) }

// Err is every problem recorded, or nil.
func (d *Decoder) Err() error { return d.d.errs.err() }
