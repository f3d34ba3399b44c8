// Package prices holds the price books — GPU node offers, each price with
// the date it was read and where (docs/prices.md) — and the Catalog a plan's
// citations resolve against: the built-in book, read at start-up, and the
// person's own, a value each CLI run, window and test holds. It quotes a
// citation, reprices a plan and makes a node price cite an offer through
// planner's Plan.Cite. It imports planner; planner does not import it.
package prices

import (
	_ "embed"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/scaleplan/scaleplan/planner/gpus"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/commit"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
)

// A price book is a catalogue of GPU node offers, each price with the date
// it was read and where: the built-in book ships with scaleplan, and a
// person may add book files of their own (docs/prices.md).

// Book is one price book.
type Book struct {
	Name   string
	Notes  string
	Offers []Offer
	File   string // where it was read; "" for the built-in book
}

// Offer is one GPU node a provider sells in a region, and its prices.
type Offer struct {
	Provider, Instance, Region string
	GPUs                       GPUs
	OnDemand                   Price
	Spot                       planner.Opt[SpotPrice]
	Commitments                []CommitOption
	Notes                      string
}

// GPUs are an offer's accelerators.
type GPUs struct {
	Count     int64
	Model     string
	MemoryGiB decimal.Decimal // per GPU, GiB (2^30 bytes)
}

// Price is one price per node-hour, dated and sourced.
type Price struct {
	Hourly decimal.Decimal
	AsOf   planner.Date
	Source string
	// Unverified is why the price cannot be followed to something a reader
	// can open (a provider's price-list file and SKU, a catalogue at a
	// commit); "" for a price that can. prices show says it and prices
	// check flags it.
	Unverified string
}

// SpotPrice is a spot price and what its interruptions are like.
type SpotPrice struct {
	Price
	Interruption string
}

// CommitOption is a committed-use option: reserved instances, a savings
// plan or a committed-use discount, for a term, paid with no, part or all
// of it upfront.
type CommitOption struct {
	Name       string // how a plan names the option, e.g. "1y-savings-plan"
	Kind       string // CommitReserved, CommitSavingsPlan or CommitCommittedUse
	TermMonths int64
	Payment    string          // PayNone, PayPartial or PayAll
	Upfront    decimal.Decimal // per node, for the term
	Price                      // the hourly part, per node-hour
}

// Commitment kinds and payments, as a book file writes them.
const (
	CommitReserved     = "reserved"
	CommitSavingsPlan  = "savings_plan"
	CommitCommittedUse = "committed_use"
	PayNone            = "none"
	PayPartial         = "partial"
	PayAll             = "all"
)

// ShareOfOnDemand is the option's effective rate as a share of the offer's
// on-demand price (the discount is 1 minus it); 0 without an on-demand price.
func (c *CommitOption) ShareOfOnDemand(o *Offer) decimal.Decimal {
	if o.OnDemand.Hourly.Sign() <= 0 {
		return decimal.Zero
	}
	return c.Effective().DivRound(o.OnDemand.Hourly, 4)
}

// Effective is a commitment's effective price per node-hour: its hourly
// part plus its upfront part spread over the term's hours (730 a month).
func (c *CommitOption) Effective() decimal.Decimal {
	hours := decimal.NewFromInt(c.TermMonths * commit.HoursPerMonth)
	return c.Hourly.Add(c.Upfront.DivRound(hours, 10))
}

// PerGPU is a price per GPU-hour.
func (o *Offer) PerGPU(p decimal.Decimal) decimal.Decimal {
	return format.Places(p.DivRound(decimal.NewFromInt(max(o.GPUs.Count, 1)), 6), 6) // $2.745, not $2.745000
}

// Label is how a plan's node type reads for an offer: "p5.4xlarge (1× H100
// 80 GiB, aws us-east-1)".
func (o *Offer) Label() string {
	return fmt.Sprintf("%s (%d× %s %s GiB, %s %s)", o.Instance, o.GPUs.Count, o.GPUs.Model, o.GPUs.MemoryGiB, o.Provider, o.Region)
}

// Prices are every dated price of the offer with a name for each: the
// on-demand one, spot, then each commitment.
func (o *Offer) Prices() []NamedPrice {
	out := []NamedPrice{{planner.OptionOnDemand, o.OnDemand}}
	if o.Spot.Valid {
		out = append(out, NamedPrice{planner.OptionSpot, o.Spot.Val.Price})
	}
	for _, c := range o.Commitments {
		out = append(out, NamedPrice{c.Name, c.Price})
	}
	return out
}

// NamedPrice is one of an offer's prices and the option that names it.
type NamedPrice struct {
	Option string
	Price
}

//go:embed builtin.json
var builtinBook []byte

// MaxBookSize bounds a price book file: the shipped book is 10 KiB; a
// thousand offers are under 1 MiB.
const MaxBookSize = 8 << 20

// LoadBook reads a price book file. Problems are reported like a plan's:
// every one, each with its path.
func LoadBook(path string) (Book, error) {
	data, err := jsonfile.ReadFileCapped(path, MaxBookSize, "a price book")
	if err != nil {
		return Book{}, err
	}
	b, err := ParseBook(data)
	if err != nil {
		return Book{}, fmt.Errorf("%s: %w", path, err)
	}
	b.File = path
	return b, nil
}

var (
	bookKeys       = []string{"format", "name", "notes", "offers"}
	offerKeys      = []string{"provider", "instance", "region", "gpus", "on_demand", "spot", "commitments", "notes"}
	gpuKeys        = []string{"count", "model", "memory_gib"}
	priceKeys      = []string{"hourly", "as_of", "source", "unverified", "unverified_reason"}
	spotKeys       = []string{"hourly", "as_of", "source", "unverified", "unverified_reason", "interruption"}
	commitmentKeys = []string{"name", "kind", "term_months", "payment", "upfront", "hourly", "as_of", "source", "unverified", "unverified_reason"}
	optionName     = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)
)

// ParseBook reads a price book.
func ParseBook(data []byte) (Book, error) {
	tree, err := jsonfile.ParseTree(data)
	if err != nil {
		return Book{}, err
	}
	d := bookDecoder{planner.NewDecoder()}
	var b Book
	d.Fields("", tree, bookKeys, []string{"format", "name", "offers"}, func(k string, v any, path string) {
		switch k {
		case "format":
			if n, ok := d.Number(path, v, jsonfile.WholeRule(1, 1_000_000)); ok && !n.Equal(decimal.NewFromInt(1)) {
				d.Fail(path, "this book was written for a newer scaleplan (format %s); this version reads format 1", n)
			}
		case "name":
			b.Name = d.Name(path, v)
		case "notes":
			b.Notes, _ = d.Text(path, v)
		case "offers":
			arr, ok := v.([]any)
			if !ok {
				d.Fail(path, "must be a list of offers, got %s", jsonfile.Describe(v))
				return
			}
			seen := map[string]int{}
			for i, e := range arr {
				op := fmt.Sprintf("%s[%d]", path, i)
				o := d.offer(op, e)
				key := o.Provider + "/" + o.Instance + "/" + o.Region
				if j, dup := seen[key]; dup && o.Instance != "" {
					d.Fail(op, "offers %s in %s by %s again (offers[%d] has it)", o.Instance, o.Region, o.Provider, j)
				}
				seen[key] = i
				b.Offers = append(b.Offers, o)
			}
		}
	})
	if err := d.Err(); err != nil {
		return Book{}, err
	}
	return b, nil
}

func (d *bookDecoder) offer(path string, v any) Offer {
	var o Offer
	d.Fields(path, v, offerKeys, []string{"provider", "instance", "region", "gpus", "on_demand"}, func(k string, v any, path string) {
		switch k {
		case "provider":
			o.Provider = d.Name(path, v)
		case "instance":
			o.Instance = d.Name(path, v)
		case "region":
			o.Region = d.Name(path, v)
		case "gpus":
			d.Fields(path, v, gpuKeys, gpuKeys, func(k string, v any, path string) {
				switch k {
				case "count":
					n, _ := d.Number(path, v, jsonfile.WholeRule(1, 64))
					o.GPUs.Count = n.IntPart()
				case "model":
					o.GPUs.Model = d.Name(path, v)
					if why := gpus.Unknown(o.GPUs.Model); o.GPUs.Model != "" && why != "" {
						d.Fail(path, "%s", why)
					} else if g, ok := gpus.Lookup(o.GPUs.Model); ok {
						o.GPUs.Model = g.Name // the table's spelling
					}
				case "memory_gib":
					o.GPUs.MemoryGiB, _ = d.Number(path, v, planner.Positive())
				}
			})
		case "on_demand":
			o.OnDemand = d.price(path, v, priceKeys, nil)
		case "spot":
			var s SpotPrice
			s.Price = d.price(path, v, spotKeys, func(k string, v any, path string) {
				s.Interruption, _ = d.Text(path, v)
			})
			o.Spot = planner.Some(s)
		case "commitments":
			arr, ok := v.([]any)
			if !ok {
				d.Fail(path, "must be a list of commitment options, got %s", jsonfile.Describe(v))
				return
			}
			for i, e := range arr {
				o.Commitments = append(o.Commitments, d.commitment(fmt.Sprintf("%s[%d]", path, i), e))
			}
			names := map[string]bool{}
			for i, c := range o.Commitments {
				if names[c.Name] || c.Name == planner.OptionOnDemand || c.Name == planner.OptionSpot {
					d.Fail(fmt.Sprintf("%s[%d].name", path, i), "%q names another of the offer's options; names must differ", c.Name)
				}
				names[c.Name] = true
			}
		case "notes":
			o.Notes, _ = d.Text(path, v)
		}
	})
	return o
}

// price reads {"hourly", "as_of", "source"} and, through extra, any other
// key the object may have.
func (d *bookDecoder) price(path string, v any, keys []string, extra func(k string, v any, path string)) Price {
	var p Price
	flagged, reason := false, ""
	d.Fields(path, v, keys, []string{"hourly", "as_of", "source"}, func(k string, v any, path string) {
		switch k {
		case "unverified":
			b, ok := v.(bool)
			if !ok {
				d.Fail(path, "must be true or false, got %s", jsonfile.Describe(v))
			}
			flagged = b
		case "unverified_reason":
			reason, _ = d.Text(path, v)
		case "hourly":
			p.Hourly, _ = d.Number(path, v, planner.NonNegative())
		case "as_of":
			p.AsOf = d.Date(path, v)
		case "source":
			p.Source = d.source(path, v)
		default:
			extra(k, v, path)
		}
	})
	switch {
	case flagged && reason == "":
		d.Fail(path+".unverified_reason", "missing: an unverified price says why it cannot be followed")
	case !flagged && reason != "":
		d.Fail(path+".unverified", "must be true when unverified_reason is given")
	}
	if flagged {
		p.Unverified = reason
	}
	return p
}

func (d *bookDecoder) commitment(path string, v any) CommitOption {
	var c CommitOption
	d.Fields(path, v, commitmentKeys, []string{"name", "kind", "term_months", "payment", "hourly", "as_of", "source"}, func(k string, v any, path string) {
		switch k {
		case "name":
			if s, ok := d.Text(path, v); ok {
				if !optionName.MatchString(s) {
					d.Fail(path, "must be a short name of lowercase letters, digits, '.', '_' or '-', such as \"1y-savings-plan\", got %q", s)
				}
				c.Name = s
			}
		case "kind":
			c.Kind = d.OneOf(path, v, []string{CommitReserved, CommitSavingsPlan, CommitCommittedUse})
		case "term_months":
			n, _ := d.Number(path, v, jsonfile.WholeRule(1, 120))
			c.TermMonths = n.IntPart()
		case "payment":
			c.Payment = d.OneOf(path, v, []string{PayNone, PayPartial, PayAll})
		case "upfront":
			c.Upfront, _ = d.Number(path, v, planner.NonNegative())
		case "hourly":
			c.Hourly, _ = d.Number(path, v, planner.NonNegative())
		case "as_of":
			c.AsOf = d.Date(path, v)
		case "source":
			c.Source = d.source(path, v)
		}
	})
	return c
}

// source reads where a price was read: text that is not blank.
func (d *bookDecoder) source(path string, v any) string {
	s, ok := d.Text(path, v)
	if ok && strings.TrimSpace(s) == "" {
		d.Fail(path, "must say where the price was read: a web address, a file, a quote")
	}
	return s
}

// StalePrice is a book price older than a limit.
type StalePrice struct {
	Book, Path string // the book's name and the price's path in it
	Offer      *Offer
	Option     string
	Price      Price
	AgeDays    int64
}

// Stale lists the book's prices read more than maxAgeDays before today
// (age > limit), oldest first; a price dated after today is listed too,
// with a negative age.
func (b *Book) Stale(today planner.Date, maxAgeDays int64) []StalePrice {
	var out []StalePrice
	for _, sp := range b.prices() {
		if age := today.DaysSince(sp.Price.AsOf); age > maxAgeDays || age < 0 {
			sp.AgeDays = age
			out = append(out, sp)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].AgeDays > out[j].AgeDays })
	return out
}

// prices lists every price of the book, in book order.
func (b *Book) prices() []StalePrice {
	var out []StalePrice
	add := func(i int, path, option string, p Price) {
		out = append(out, StalePrice{Book: b.Name, Path: fmt.Sprintf("offers[%d].%s", i, path), Offer: &b.Offers[i], Option: option, Price: p})
	}
	for i := range b.Offers {
		o := &b.Offers[i]
		add(i, planner.OptionOnDemand, planner.OptionOnDemand, o.OnDemand)
		if o.Spot.Valid {
			add(i, planner.OptionSpot, planner.OptionSpot, o.Spot.Val.Price)
		}
		for j, c := range o.Commitments {
			add(i, fmt.Sprintf("commitments[%d]", j), c.Name, c.Price)
		}
	}
	return out
}

// Unverified lists the book's prices marked unverified, in book order.
func (b *Book) Unverified() []StalePrice {
	var out []StalePrice
	for _, sp := range b.prices() {
		if sp.Price.Unverified != "" {
			out = append(out, sp)
		}
	}
	return out
}

// ParseMaxAge reads an age limit: "180d", "26w", "6m" (months of 30 days)
// or a number of days.
func ParseMaxAge(typed string) (int64, error) {
	s := strings.TrimSpace(typed)
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "d"):
		s = strings.TrimSuffix(s, "d")
	case strings.HasSuffix(s, "w"):
		s, mult = strings.TrimSuffix(s, "w"), 7
	case strings.HasSuffix(s, "m"):
		s, mult = strings.TrimSuffix(s, "m"), 30
	}
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case err == nil && n >= 0 && (n > planner.MaxDays || n*mult > planner.MaxDays):
		return 0, fmt.Errorf("must be an age of at most %d days, got %q", planner.MaxDays, typed)
	case err != nil || n < 0:
		return 0, fmt.Errorf("must be an age such as 180d, 26w or 6m, got %q", typed)
	}
	return n * mult, nil
}

// Find looks an offer up by instance, and by region and provider when
// given; it says which offers there are when none or several match.
func (b *Book) Find(instance, region, provider string) (*Offer, error) {
	var hits []*Offer
	for i := range b.Offers {
		o := &b.Offers[i]
		if o.Instance == instance && (region == "" || o.Region == region) && (provider == "" || o.Provider == provider) {
			hits = append(hits, o)
		}
	}
	switch len(hits) {
	case 1:
		return hits[0], nil
	case 0:
		where := ""
		if region != "" {
			where = " in " + region
		}
		return nil, fmt.Errorf("the %s book has no %s%s; `scaleplan prices list` shows its offers", b.Name, instance, where)
	}
	var regions []string
	for _, o := range hits {
		regions = append(regions, o.Provider+" "+o.Region)
	}
	return nil, fmt.Errorf("the %s book offers %s in %s: name the region", b.Name, instance, strings.Join(regions, ", "))
}

// BookOffer is an offer and the book it is in.
type BookOffer struct {
	Book  string
	Offer *Offer
}

// OffersByPrice lists every offer of the books, cheapest on-demand GPU-hour
// first (the books' order among equals): how the price list and the node
// picker show them.
func OffersByPrice(bs []Book) []BookOffer {
	var out []BookOffer
	for i := range bs {
		for j := range bs[i].Offers {
			out = append(out, BookOffer{bs[i].Name, &bs[i].Offers[j]})
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		oa, ob := out[a].Offer, out[b].Offer
		return oa.PerGPU(oa.OnDemand.Hourly).LessThan(ob.PerGPU(ob.OnDemand.Hourly))
	})
	return out
}

// OfferMatches says whether an offer matches a search: every word of it
// is in the offer's provider, instance, region or GPU model, any case, and
// a word "<X" (or "≤X", "$" allowed) keeps offers whose on-demand GPU-hour
// is at most X.
func OfferMatches(o *Offer, search string) bool {
	hay := strings.ToLower(strings.Join([]string{o.Provider, o.Instance, o.Region, o.GPUs.Model, fmt.Sprintf("%d×", o.GPUs.Count)}, " "))
	for _, w := range strings.Fields(strings.ToLower(search)) {
		if limit, isPrice := strings.CutPrefix(strings.Replace(w, "≤", "<", 1), "<"); isPrice {
			if x, ok := jsonfile.ParseAmount(strings.TrimPrefix(limit, "="), false); ok {
				if o.PerGPU(o.OnDemand.Hourly).GreaterThan(x) {
					return false
				}
				continue
			}
		}
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}
