package prices

import (
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/internal/plantest"
	"github.com/scaleplan/scaleplan/planner"
)

// Every shipped offer has a source and a date for every price, and the
// book reads cleanly.
func TestBuiltinBookIsSourcedAndDated(t *testing.T) {
	t.Parallel()
	b := BuiltinBook()
	if len(b.Offers) < 8 {
		t.Fatalf("the built-in book has %d offers", len(b.Offers))
	}
	for _, o := range b.Offers {
		for _, p := range o.Prices() {
			if strings.TrimSpace(p.Source) == "" || p.AsOf.IsZero() {
				t.Errorf("%s %s %s: %s has no source or date", o.Provider, o.Instance, o.Region, p.Option)
			}
			if p.Hourly.Sign() <= 0 {
				t.Errorf("%s %s: %s costs %s", o.Provider, o.Instance, p.Option, p.Hourly)
			}
		}
		if o.GPUs.Count < 1 || o.GPUs.Model == "" || o.GPUs.MemoryGiB.Sign() <= 0 {
			t.Errorf("%s: GPUs %+v", o.Instance, o.GPUs)
		}
	}
	// The seed's node is in it, at the seed's price.
	o, err := b.Find("p5.4xlarge", "us-east-1", "")
	if err != nil || !o.OnDemand.Hourly.Equal(plantest.Dec("6.88")) {
		t.Errorf("p5.4xlarge: %v, %v", o, err)
	}
	// p5.48xlarge is 8 H100s: $55.04 / 8 = $6.88 a GPU-hour.
	o, _ = b.Find("p5.48xlarge", "", "aws")
	if got := o.PerGPU(o.OnDemand.Hourly); !got.Equal(plantest.Dec("6.88")) {
		t.Errorf("per GPU-hour %s", got)
	}
}

const book = `{"format": 1, "name": "mine", "offers": [
  {"provider": "aws", "instance": "x1", "region": "r1", "gpus": {"count": 1, "model": "H100 SXM", "memory_gib": 80},
   "on_demand": {"hourly": 0.126, "as_of": "2026-06-01", "source": "a quote"},
   "commitments": [{"name": "1y", "kind": "reserved", "term_months": 12, "payment": "partial", "upfront": 236.52, "hourly": 0.047, "as_of": "2026-11-20", "source": "a quote"}]}
]}`

// prices check: a price read more than the limit before today is stale
// (age > limit), one within it is not; dates are days apart by the
// calendar.
func TestStalePricesByAge(t *testing.T) {
	t.Parallel()
	b, err := ParseBook([]byte(book))
	if err != nil {
		t.Fatal(err)
	}
	today, _ := planner.ParseDate("2026-11-26")
	// 2026-06-01 to 2026-11-26 is 178 days.
	if s := b.Stale(today, 178); len(s) != 0 {
		t.Errorf("at a 178-day limit: %+v", s)
	}
	s := b.Stale(today, 177)
	if len(s) != 1 || s[0].Path != "offers[0].on_demand" || s[0].AgeDays != 178 {
		t.Fatalf("at 177 days: %+v", s)
	}
	if s := b.Stale(today, 5); len(s) != 2 || s[1].Path != "offers[0].commitments[0]" || s[1].AgeDays != 6 {
		t.Errorf("at 5 days: %+v", s)
	}
	// Cloudability's example: $0.047 an hour plus $236.52 upfront over
	// 8,760 hours is $0.074 an hour effective.
	if got := b.Offers[0].Commitments[0].Effective(); !got.Equal(plantest.Dec("0.074")) {
		t.Errorf("effective rate %s, want 0.074", got)
	}
	for text, want := range map[string]int64{"180d": 180, "26w": 182, "6m": 180, "90": 90} {
		if got, err := ParseMaxAge(text); err != nil || got != want {
			t.Errorf("ParseMaxAge(%q) = %d, %v", text, got, err)
		}
	}
	if _, err := ParseMaxAge("soon"); err == nil {
		t.Error("ParseMaxAge accepted soon")
	}
}

func TestBadBooksAreNamedByPath(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ from, to, path, says string }{
		{`"as_of": "2026-06-01"`, `"as_of": "2026-13-01"`, "offers[0].on_demand.as_of", "real date"},
		{`"source": "a quote"}`, `"source": " "}`, "offers[0].on_demand.source", "where the price was read"},
		{`"kind": "reserved"`, `"kind": "lease"`, "offers[0].commitments[0].kind", `must be one of "reserved"`},
		{`"term_months": 12`, `"term_months": 0`, "offers[0].commitments[0].term_months", "from 1 to 120"},
		{`"name": "1y"`, `"name": "spot"`, "offers[0].commitments[0].name", "names another"},
		{`"memory_gib": 80`, `"memory_gib": 0`, "offers[0].gpus.memory_gib", "> 0"},
		{`"hourly": 0.126, `, ``, "offers[0].on_demand.hourly", "missing"},
	} {
		text := strings.Replace(book, c.from, c.to, 1)
		_, err := ParseBook([]byte(text))
		if err == nil || !strings.Contains(err.Error(), c.path+": ") || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: error %v, want %s with %q", c.to, err, c.path, c.says)
		}
	}
}

// An age past the limit is refused with what was typed, suffix and all.
func TestParseMaxAgeEchoesWhatWasTyped(t *testing.T) {
	t.Parallel()
	for typed, want := range map[string]string{
		"99999999d":            `must be an age of at most 36500 days, got "99999999d"`,
		"2000m":                `must be an age of at most 36500 days, got "2000m"`,
		"9223372036854775807m": `must be an age of at most 36500 days, got "9223372036854775807m"`,
		"soon":                 `must be an age such as 180d, 26w or 6m, got "soon"`,
	} {
		if _, err := ParseMaxAge(typed); err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %q", typed, err, want)
		}
	}
	if n, err := ParseMaxAge("6m"); err != nil || n != 180 {
		t.Errorf("6m: %d, %v", n, err)
	}
}
