package jsonfile

import (
	"strings"

	"github.com/shopspring/decimal"
)

// ParseAmount reads a number as people type it ("2M", "$6.88", "1,200");
// percent, when true, reads "70%" as 0.7. ok is false for anything else.
func ParseAmount(s string, percent bool) (decimal.Decimal, bool) {
	d, why := ParseTyped(s, percent)
	return d, why == ""
}

// ParseTyped is ParseAmount that says why a number is refused: not a
// number at all (ErrNotNumber), or past a limit a plan's numbers keep
// ("must have at most 15 decimal places").
func ParseTyped(s string, fraction bool) (decimal.Decimal, string) {
	s = strings.TrimSpace(s)
	for _, sym := range []string{"$", "€", "£", "¥", "₹"} {
		s = strings.TrimPrefix(s, sym)
	}
	s = strings.ReplaceAll(s, ",", "")
	s = strings.ReplaceAll(s, "_", "")
	s = strings.TrimSpace(s)
	shift := int32(0)
	switch {
	case fraction && strings.HasSuffix(s, "%"):
		s, shift = strings.TrimSpace(strings.TrimSuffix(s, "%")), -2
	case strings.HasSuffix(s, "k") || strings.HasSuffix(s, "K"):
		s, shift = s[:len(s)-1], 3
	case strings.HasSuffix(s, "M"):
		s, shift = s[:len(s)-1], 6
	case strings.HasSuffix(s, "B"):
		s, shift = s[:len(s)-1], 9
	}
	d, msg := ParseDecimal(s)
	if msg != "" {
		return decimal.Zero, msg
	}
	return d.Shift(shift), ""
}
