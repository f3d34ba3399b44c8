package jsonfile

import (
	"time"
)

// Date is a calendar day with no time zone, as a roadmap talks about days.
type Date struct {
	t   time.Time // always midnight UTC
	set bool      // a day was given: 0001-01-01 is a day, the zero Date none
}

const dateLayout = "2006-01-02"

// ParseDate reads a YYYY-MM-DD date and refuses impossible ones (2027-02-30).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, err
	}
	return Date{t, true}, nil
}

// NewDate returns the given day.
func NewDate(year int, month time.Month, day int) Date {
	return Date{time.Date(year, month, day, 0, 0, 0, 0, time.UTC), true}
}

// AddDays returns the day n days later (earlier for negative n).
func (d Date) AddDays(n int64) Date { return Date{d.t.AddDate(0, 0, int(n)), true} }

// DaysSince returns how many days d is after e.
// (From Unix seconds: time.Duration overflows past 292 years, which gave
// wrong workbook serials for dates far from 1899.)
func (d Date) DaysSince(e Date) int64 { return (d.t.Unix() - e.t.Unix()) / 86_400 }

// IsZero reports whether d was never set.
func (d Date) IsZero() bool { return !d.set }

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return d.t }

// String writes d as YYYY-MM-DD.
func (d Date) String() string {
	if !d.set {
		return ""
	}
	return d.t.Format(dateLayout)
}

// MarshalText writes d as YYYY-MM-DD, so a Result's dates read naturally in JSON.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.t.After(e.t) }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// Today is the date now, in UTC.
func Today() Date {
	y, m, d := time.Now().UTC().Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC), true}
}

// The dates a file may hold: what spreadsheets hold as serial numbers
// (Excel's count is off by one before March 1900).
var (
	FirstDate = NewDate(1900, 3, 1)
	LastDate  = NewDate(9999, 12, 31)
)
