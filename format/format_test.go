package format

import (
	"testing"

	"github.com/shopspring/decimal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestMoneyRoundsHalfAwayFromZeroAndGroups(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, cur, want string
	}{
		{"1234567.891", "USD", "$1,234,567.89"},
		{"0.005", "USD", "$0.01"},   // half away from zero, as ROUND does
		{"-0.005", "USD", "-$0.01"}, // and for losses
		{"-0.004", "USD", "$0.00"},  // no "-$0.00"
		{"12", "EUR", "€12.00"},
		{"999.999", "GBP", "£1,000.00"},
		{"5", "CHF", "CHF 5.00"}, // no well-known symbol: the code
	}
	for _, c := range cases {
		if got := Money(d(c.in), c.cur); got != c.want {
			t.Errorf("Money(%s, %s) = %q, want %q", c.in, c.cur, got, c.want)
		}
	}
	if got := MoneyPlacesN(d("0.0004715"), "USD", CostPerCallPlaces); got != "$0.000472" {
		t.Errorf("cost per call = %q", got)
	}
}

func TestCountsPercentsAndCompact(t *testing.T) {
	t.Parallel()
	if got := Count(675000000); got != "675,000,000" {
		t.Errorf("Count = %q", got)
	}
	if got := Count(-1000); got != "-1,000" {
		t.Errorf("Count(-1000) = %q", got)
	}
	if got := Percent(d("0.70449"), 1); got != "70.4 %" {
		t.Errorf("Percent = %q", got)
	}
	for in, want := range map[string]string{"738000": "738k", "1400000": "1.4M", "950": "950", "175073684.2": "175.1M", "2500000000": "2.5B"} {
		if got := Compact(d(in)); got != want {
			t.Errorf("Compact(%s) = %q, want %q", in, got, want)
		}
	}
	if got := Decimal(d("-0.0001"), 2); got != "0.00" {
		t.Errorf("Decimal(-0.0001, 2) = %q, want 0.00", got)
	}
	if got := Trim(d("1000000.50")); got != "1,000,000.5" {
		t.Errorf("Trim = %q", got)
	}
}

func TestPlural(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{0: "0 nodes", 1: "1 node", 2: "2 nodes", 1500: "1,500 nodes"} {
		if got := Nodes(n); got != want {
			t.Errorf("Nodes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestUnitPriceKeepsItsDigits(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"0.005": "$0.005", "6.88": "$6.88", "1200": "$1,200.00", "0.000003": "$0.000003", "4.128": "$4.128"} {
		if got := UnitPrice(d(in), "USD"); got != want {
			t.Errorf("UnitPrice(%s) = %q, want %q", in, got, want)
		}
	}
}

func TestOddsInWords(t *testing.T) {
	t.Parallel()
	for p, want := range map[float64]string{
		0.125:  "12.5 % (1 in 8)",
		0.041:  "4.1 % (1 in 24)",
		0:      "0.0 % (none of the draws)",
		1:      "100.0 % (every draw)",
		0.62:   "62.0 % (6 in 10)",
		0.97:   "97.0 % (nearly every draw)",
		0.5:    "50.0 % (5 in 10)",
		0.0003: "0.03 % (1 in 3,333)",
	} {
		if got := Odds(p); got != want {
			t.Errorf("Odds(%v) = %q, want %q", p, got, want)
		}
	}
}

func TestPlacesAndCompactMoney(t *testing.T) {
	t.Parallel()
	if got := Places(d("4.0000000000"), 6); got.String() != "4" || got.Exponent() != 0 {
		t.Errorf("Places(4.0000000000) = %s (exponent %d)", got, got.Exponent())
	}
	if got := Places(d("2.7517808219"), 6); got.String() != "2.751781" {
		t.Errorf("Places(2.7517808219, 6) = %s", got)
	}
	if got := UnitPrice(Places(d("4.000000"), 6), "USD"); got != "$4.00" {
		t.Errorf("a whole rate shows %s", got)
	}
	if got := CompactMoney(d("1234567"), "USD"); got != "$1.2M" {
		t.Errorf("CompactMoney = %s", got)
	}
}

func TestCapitalize(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"nearly every draw": "Nearly every draw", "élan": "Élan", "": "", "9 nodes": "9 nodes", "Already": "Already"} {
		if got := Capitalize(in); got != want {
			t.Errorf("Capitalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestList(t *testing.T) {
	for want, words := range map[string][]string{"": nil, "a": {"a"}, "a and b": {"a", "b"}, "a, b and c": {"a", "b", "c"}} {
		if got := List(words); got != want {
			t.Errorf("List(%q) = %q, want %q", words, got, want)
		}
	}
}
