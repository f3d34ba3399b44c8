// Package format turns the planner's exact numbers into text for people.
//
// It is the one place that decides how money, counts, rates and shares are
// written, so the terminal table, the window and the check messages never
// disagree about a number. Rounding is half away from zero, as a spreadsheet's
// ROUND does, and happens only here: the planner keeps exact values.
package format

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// None is what a quantity that does not exist (cost per call with no calls,
// utilization with no capacity) looks like on screen.
const None = "—"

// Places used when a value is shown to people. They are the planner's
// published rounding rules; JSON output uses the same ones.
const (
	MoneyPlaces       = 2
	CostPerCallPlaces = 6
	RPSPlaces         = 3
	SharePlaces       = 4 // utilizations as fractions: 0.7123
)

// symbols covers the currencies people most often plan in; any other ISO code
// is written as a prefix ("CHF 1,234.50"), which is never ambiguous.
var symbols = map[string]string{
	"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "¥", "INR": "₹",
	"KRW": "₩", "AUD": "A$", "CAD": "C$", "NZD": "NZ$", "HKD": "HK$", "SGD": "S$",
	"BRL": "R$", "MXN": "MX$",
}

// CurrencySymbol returns the symbol written before amounts in code, or the
// code and a space when it has no well-known symbol.
func CurrencySymbol(code string) string {
	if s, ok := symbols[code]; ok {
		return s
	}
	return code + " "
}

// Money writes an amount to cents with thousands separators: "$1,234.50",
// "-$12.00".
func Money(d decimal.Decimal, currency string) string {
	return MoneyPlacesN(d, currency, MoneyPlaces)
}

// MoneyPlacesN writes an amount with the given number of decimal places; the
// cost per call needs six to be meaningful.
func MoneyPlacesN(d decimal.Decimal, currency string, places int32) string {
	s := Group(d.Round(places).StringFixed(places))
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
		if strings.Trim(s, "0.,") == "" { // -0.00 after rounding
			sign = ""
		}
	}
	return sign + CurrencySymbol(currency) + s
}

// UnitPrice writes a unit price with the digits it was typed with, and at
// least cents: 0.005 stays "$0.005", 6.88 is "$6.88", 1200 is "$1,200.00".
func UnitPrice(d decimal.Decimal, currency string) string {
	return MoneyPlacesN(d, currency, max(2, -d.Exponent()))
}

// Decimal writes d rounded to places, with thousands separators.
func Decimal(d decimal.Decimal, places int32) string {
	s := Group(d.Round(places).StringFixed(places))
	if strings.HasPrefix(s, "-") && strings.Trim(s[1:], "0.,") == "" {
		s = s[1:]
	}
	return s
}

// Trim writes d with thousands separators and no trailing zeros, for inputs
// that should read back as the user typed them ("6.88", "0.7", "1,000,000").
func Trim(d decimal.Decimal) string {
	return Group(d.String())
}

// Count writes a whole number with thousands separators.
func Count(n int64) string {
	return Group(strconv.FormatInt(n, 10))
}

// Percent writes a fraction as a percentage with the given decimal places:
// 0.7 → "70.0 %" with one place.
func Percent(frac decimal.Decimal, places int32) string {
	return Decimal(frac.Shift(2), places) + " %"
}

// Compact writes a large count the way people say it: 1,400,000 → "1.4M",
// 12,500 → "12.5k", 950 → "950".
func Compact(d decimal.Decimal) string {
	abs := d.Abs()
	type unit struct {
		shift  int32
		suffix string
	}
	for _, u := range []unit{{12, "T"}, {9, "B"}, {6, "M"}, {3, "k"}} {
		if abs.GreaterThanOrEqual(decimal.New(1, u.shift)) {
			v := d.Shift(-u.shift).Round(1)
			return strings.TrimSuffix(v.StringFixed(1), ".0") + u.suffix
		}
	}
	return d.Round(0).String()
}

// Places is d rounded to places, without trailing zeros: a derived rate
// such as an effective price (4.000000 is 4, 2.7517808219 is 2.751781).
func Places(d decimal.Decimal, places int32) decimal.Decimal {
	return decimal.RequireFromString(d.Round(places).String())
}

// CompactMoney is an amount the way an axis labels it: "$1.2M", "$950".
func CompactMoney(d decimal.Decimal, currency string) string {
	return CurrencySymbol(currency) + Compact(d)
}

// Group inserts thousands separators into a plain decimal string such as
// "-1234567.89".
func Group(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac := s, ""
	if i := strings.IndexByte(s, '.'); i >= 0 {
		intPart, frac = s[:i], s[i:]
	}
	if len(intPart) <= 3 {
		return sign + intPart + frac
	}
	var b strings.Builder
	b.Grow(len(s) + len(s)/3 + 1)
	b.WriteString(sign)
	lead := len(intPart) % 3
	if lead > 0 {
		b.WriteString(intPart[:lead])
	}
	for i := lead; i < len(intPart); i += 3 {
		if b.Len() > len(sign) {
			b.WriteByte(',')
		}
		b.WriteString(intPart[i : i+3])
	}
	b.WriteString(frac)
	return b.String()
}

// Capitalize is s with its first letter upper-case: a sentence made from a
// phrase ("nearly every draw" → "Nearly every draw").
func Capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// Plural writes a count with its noun: "1 node", "12 nodes", "1,000 nodes".
func Plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return Count(n) + " " + many
}

// Nodes is Plural for nodes.
func Nodes(n int64) string { return Plural(n, "node", "nodes") }

// Odds says a probability as a share and in words: "4.1 % (1 in 24)",
// "62.0 % (6 in 10)". 0 and 1 are "none of the draws" and "every draw":
// a Monte Carlo estimate is never a certainty, so neither is "impossible".
func Odds(p float64) string {
	places := int32(1)
	if p > 0 && p < 0.001 {
		places = 2 // 0.03 %, not 0.0 %
	}
	share := Percent(decimal.NewFromFloat(p), places)
	switch {
	case p <= 0:
		return share + " (none of the draws)"
	case p >= 1:
		return share + " (every draw)"
	case p < 0.5:
		return fmt.Sprintf("%s (1 in %s)", share, Count(int64(math.Round(1/p))))
	}
	n := int64(math.Round(p * 10))
	if n >= 10 {
		return share + " (nearly every draw)"
	}
	return fmt.Sprintf("%s (%d in 10)", share, n)
}

// List joins words as a sentence does: "a", "a and b", "a, b and c".
func List(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
