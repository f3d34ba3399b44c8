package prices

import (
	"fmt"
	"strings"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
)

// bookDecoder reads a book file through planner's strict decoder, so a
// book's problems read like a plan's: every one, each with its path.
type bookDecoder struct{ jsonfile.Decoder }

// builtin is the book shipped with scaleplan, read when the program starts
// and never written after.
var builtin = func() Book {
	b, err := ParseBook(builtinBook)
	if err != nil {
		panic("prices: the built-in price book is invalid: " + err.Error()) // a test keeps this from shipping
	}
	return b
}()

// BuiltinBook is the price book shipped with scaleplan: a copy the caller
// may keep pointers into.
func BuiltinBook() Book {
	b := builtin
	b.Offers = append([]Offer(nil), builtin.Offers...)
	return b
}

// Catalog is the price books a plan's citations resolve against: the
// built-in book and the person's own, a later book searched first. It is a
// value — the app, each CLI command and each test hold their own — and it
// implements planner.PriceSource.
type Catalog struct {
	user []Book
}

// Builtin is the catalogue of the built-in book alone.
func Builtin() Catalog { return Catalog{} }

// New is the built-in book and the person's books, in the order given. A
// book may not take the built-in book's name, nor one already given: a
// forged "builtin" would otherwise stand in for the shipped prices.
func New(user ...Book) (Catalog, error) {
	var c Catalog
	for _, b := range user {
		var err error
		if c, err = c.With(b); err != nil {
			return Catalog{}, err
		}
	}
	return c, nil
}

// With is the catalogue with one more book, searched before the others.
func (c Catalog) With(b Book) (Catalog, error) {
	where := b.File
	if where == "" {
		where = "the book"
	}
	if b.Name == builtin.Name {
		return c, fmt.Errorf("%s: name: %q is the built-in book's name; a book of your own needs a name of its own", where, b.Name)
	}
	for _, o := range c.user {
		if o.Name == b.Name {
			return c, fmt.Errorf("%s: name: a book named %q is already read (%s); give each book a name of its own", where, b.Name, o.File)
		}
	}
	return Catalog{user: append(append([]Book(nil), c.user...), b)}, nil
}

// Books is the built-in book and then the person's, in the order given.
func (c Catalog) Books() []Book { return append([]Book{BuiltinBook()}, c.user...) }

// User is the person's books alone.
func (c Catalog) User() []Book { return append([]Book(nil), c.user...) }

// Quote finds what a citation names: the offer's price for the option (a
// commitment's effective rate), its date and source, and the offer's region.
func (c Catalog) Quote(ref planner.PriceRef) (planner.Quote, error) {
	bs := c.Books()
	o, err := c.offer(bs, ref)
	if err != nil {
		return planner.Quote{}, err
	}
	for _, np := range o.Prices() {
		if np.Option == ref.Option {
			p := np.Price
			for _, co := range o.Commitments {
				if co.Name == ref.Option {
					p.Hourly = co.Effective() // hourly plus upfront over the term
				}
			}
			return planner.Quote{Hourly: p.Hourly, AsOf: p.AsOf, Source: p.Source, Region: o.Region}, nil
		}
	}
	var opts []string
	for _, np := range o.Prices() {
		opts = append(opts, fmt.Sprintf("%q", np.Option))
	}
	return planner.Quote{}, fmt.Errorf("%s in %s has no option %q; it has %s", o.Instance, o.Region, ref.Option, strings.Join(opts, ", "))
}

// offer is the offer a citation names, from the last book of its name.
func (c Catalog) offer(bs []Book, ref planner.PriceRef) (*Offer, error) {
	var names []string
	for i := len(bs) - 1; i >= 0; i-- {
		names = append(names, fmt.Sprintf("%q", bs[i].Name))
	}
	for i := len(bs) - 1; i >= 0; i-- {
		if bs[i].Name == ref.Book {
			return bs[i].Find(ref.Instance, ref.Region, "")
		}
	}
	return nil, fmt.Errorf("no price book is named %q; the books are %s", ref.Book, strings.Join(names, ", "))
}

// CitedOffer is the offer the plan's default node price cites, and the citation.
func (c Catalog) CitedOffer(p *planner.Plan) (*Offer, planner.PriceRef, error) {
	ref, ok := p.PriceRefAt("assumptions.node_hourly")
	if !ok {
		return nil, ref, fmt.Errorf("the plan's node price does not cite a price book (cite one in the app with Ctrl+B, or write it as {\"book\": …, \"instance\": …})")
	}
	if _, err := c.Quote(ref); err != nil {
		return nil, ref, err
	}
	o, err := c.offer(c.Books(), ref)
	return o, ref, err
}

// CommitOption is the committed-use option of that name of the offer the
// plan's node price cites.
func (c Catalog) CommitOption(p *planner.Plan, name string) (CommitOption, error) {
	o, _, err := c.CitedOffer(p)
	if err != nil {
		return CommitOption{}, err
	}
	var names []string
	for _, co := range o.Commitments {
		if co.Name == name {
			return co, nil
		}
		names = append(names, fmt.Sprintf("%q", co.Name))
	}
	has := "has no committed-use options in the book"
	if len(names) > 0 {
		has = "has " + strings.Join(names, ", ")
	}
	return CommitOption{}, fmt.Errorf("%s in %s has no option %q; it %s", o.Instance, o.Region, name, has)
}

// CommitTerms is CommitOption as planner reads a held commitment's option.
func (c Catalog) CommitTerms(p *planner.Plan, name string) (planner.CommitTerms, error) {
	o, err := c.CommitOption(p, name)
	if err != nil {
		return planner.CommitTerms{}, err
	}
	return planner.CommitTerms{Hourly: o.Hourly, Upfront: o.Upfront, TermMonths: o.TermMonths, AsOf: o.AsOf}, nil
}

// UseOffer makes the node of phase (planner.PlanDefault for the plan's
// default) an offer of a book: its node type is the offer's label and its
// price cites the option (on_demand, spot or a commitment's name).
func (c Catalog) UseOffer(p planner.Plan, phase int, book string, o *Offer, option string) (planner.Plan, error) {
	path := planner.ScenarioPath(p, phase, "node_hourly")
	q, err := planner.SetInput(p, phase, "node_type", o.Label())
	if err != nil {
		return p, err
	}
	return c.CitePrice(q, path, book, o.Instance, o.Region, option)
}

var _ planner.PriceSource = Catalog{}
