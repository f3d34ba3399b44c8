package planner

import (
	"time"

	"github.com/scaleplan/scaleplan/planner/jsonfile"
)

// A plan file is read and written through planner/jsonfile; these are its
// names as a plan's API speaks them.
type (
	// FieldError is one thing wrong with a plan, at a JSON path such as
	// "phases[1].days".
	FieldError = jsonfile.FieldError
	// Errors is every problem found in a plan, in the order of the file. A
	// plan with any of them is refused whole.
	Errors = jsonfile.Errors
	// Date is a calendar day, in UTC.
	Date = jsonfile.Date

	rule = jsonfile.Rule
)

// MaxAmount bounds every decimal input: a typo such as 1e300 is a clear
// error rather than a slow or absurd computation.
var MaxAmount = jsonfile.MaxAmount

// ParseDate reads a date written YYYY-MM-DD.
func ParseDate(s string) (Date, error) { return jsonfile.ParseDate(s) }

// NewDate is the date of that year, month and day.
func NewDate(year int, month time.Month, day int) Date { return jsonfile.NewDate(year, month, day) }

// Today is the date now, in UTC.
func Today() Date { return jsonfile.Today() }

// decoder reads a plan file: jsonfile's strict reading, with the price
// books its citations resolve against.
type decoder struct {
	jsonfile.Decoder
	src PriceSource
}

// NewDecoder is a decoder that says what a missing key of a plan should
// hold, and passes over a range already reported: for other rooms' files
// (a price book) read with a plan's words.
func NewDecoder() jsonfile.Decoder {
	return jsonfile.Decoder{
		Skip:   func(v any) bool { _, bad := v.(badRange); return bad },
		Expect: expectationOf,
	}
}

// NonNegative is a number ≥ 0, at most MaxAmount.
func NonNegative() jsonfile.Rule { return nonNegative }

// Positive is a number > 0, at most MaxAmount.
func Positive() jsonfile.Rule { return positive }
