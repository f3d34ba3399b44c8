package planner

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
)

// A node price may cite an offer in a price book instead of being a bare
// number (format 2):
//
//	"node_hourly": {"book": "builtin", "instance": "p5.4xlarge", "region": "us-east-1", "option": "on_demand"}
//
// The plan keeps the price it used, with the offer's date and source, and
// writes them back when saved ("hourly", "as_of", "source"), so a plan loads
// and computes without its book. When the book's price differs from the one
// the plan used, PriceChanges says so (old → new, with dates) and Reprice
// takes the book's.

// PriceRef is a node price cited from a book.
type PriceRef struct {
	Path                           string // assumptions.node_hourly, phases[NAME].node_hourly or variants[NAME].node_hourly
	Book, Instance, Region, Option string
	Hourly                         decimal.Decimal // the price the plan uses: the offer's effective price per node-hour
	AsOf                           Date
	Source                         string
}

// Words names the cited offer: "p5.4xlarge on_demand (builtin, us-east-1)".
func (r *PriceRef) Words() string {
	return fmt.Sprintf("%s %s (%s book, %s)", r.Instance, r.Option, r.Book, r.Region)
}

// Cite says where a cited price comes from: "p5.4xlarge on_demand (builtin
// book, us-east-1): $6.88 a node-hour as of 2026-09-29; source: …".
func (r *PriceRef) Cite(currency string) string {
	s := fmt.Sprintf("%s: %s a node-hour as of %s", r.Words(), format.UnitPrice(r.Hourly, currency), r.AsOf)
	if r.Source != "" {
		s += "; source: " + r.Source
	}
	return s
}

// Label is the cited input for people: "Node price", "Node price (variant
// distilled)".
func (r *PriceRef) Label() string { return InputLabel(r.Path) }

// priceRefKeys are a reference's keys.
var priceRefKeys = []string{"book", "instance", "region", "option", "hourly", "as_of", "source"}

// Books are the price books a plan's references resolve against: the
// built-in book and any the program adds (UseBooks).
var (
	booksMu   sync.RWMutex
	userBooks []Book
)

// UseBooks adds books that plans' references resolve against, beside the
// built-in one; a later book is searched first.
func UseBooks(bs []Book) {
	booksMu.Lock()
	userBooks = append([]Book(nil), bs...)
	booksMu.Unlock()
}

// UserBooks are the books added with UseBooks.
func UserBooks() []Book {
	booksMu.RLock()
	defer booksMu.RUnlock()
	return append([]Book(nil), userBooks...)
}

// Books is the built-in book and those added with UseBooks.
func Books() []Book {
	booksMu.RLock()
	defer booksMu.RUnlock()
	return append([]Book{BuiltinBook()}, userBooks...)
}

// resolve finds what a reference cites: the offer's price for the option,
// its date and source.
func resolve(bs []Book, ref *PriceRef) (Price, error) {
	var book *Book
	var names []string
	for i := len(bs) - 1; i >= 0; i-- {
		names = append(names, fmt.Sprintf("%q", bs[i].Name))
		if bs[i].Name == ref.Book && book == nil {
			book = &bs[i]
		}
	}
	if book == nil {
		return Price{}, fmt.Errorf("no price book is named %q; the books are %s", ref.Book, strings.Join(names, ", "))
	}
	o, err := book.Find(ref.Instance, ref.Region, "")
	if err != nil {
		return Price{}, err
	}
	for _, np := range o.Prices() {
		if np.Option == ref.Option {
			p := np.Price
			for _, c := range o.Commitments {
				if c.Name == ref.Option {
					p.Hourly = c.Effective() // hourly plus upfront over the term
				}
			}
			if ref.Region == "" {
				ref.Region = o.Region
			}
			return p, nil
		}
	}
	var opts []string
	for _, np := range o.Prices() {
		opts = append(opts, fmt.Sprintf("%q", np.Option))
	}
	return Price{}, fmt.Errorf("%s in %s has no option %q; it has %s", o.Instance, o.Region, ref.Option, strings.Join(opts, ", "))
}

// priceRefObject reads a reference at path; the price is the plan's own
// when it gives one, else the book's.
func (d *decoder) priceRefObject(path, planPath string, o *object) (PriceRef, bool) {
	ref := PriceRef{Path: planPath, Option: OptionOnDemand}
	before := len(d.errs)
	hasHourly := false
	d.fields(path, o, priceRefKeys, []string{"book", "instance"}, func(k string, v any, path string) {
		switch k {
		case "book":
			ref.Book = d.name(path, v)
		case "instance":
			ref.Instance = d.name(path, v)
		case "region":
			ref.Region = d.name(path, v)
		case "option":
			ref.Option = d.name(path, v)
		case "hourly":
			ref.Hourly, _ = d.number(path, v, nonNegative)
			hasHourly = true
		case "as_of":
			ref.AsOf = d.date(path, v)
		case "source":
			ref.Source, _ = d.text(path, v)
		}
	})
	if len(d.errs) > before {
		return ref, false
	}
	if !hasHourly {
		p, err := resolve(Books(), &ref)
		if err != nil {
			d.fail(path, "%v", err)
			return ref, false
		}
		ref.Hourly, ref.AsOf, ref.Source = p.Hourly, p.AsOf, p.Source
	}
	return ref, true
}

// writePriceRef writes a reference on one line, with the price it used.
func (w *jsonWriter) writePriceRef(r PriceRef) {
	w.buf.WriteString(`{"book": `)
	w.str(r.Book)
	w.buf.WriteString(`, "instance": `)
	w.str(r.Instance)
	if r.Region != "" {
		w.buf.WriteString(`, "region": `)
		w.str(r.Region)
	}
	w.buf.WriteString(`, "option": `)
	w.str(r.Option)
	w.buf.WriteString(`, "hourly": ` + r.Hourly.String())
	if !r.AsOf.IsZero() {
		w.buf.WriteString(`, "as_of": "` + r.AsOf.String() + `"`)
	}
	if r.Source != "" {
		w.buf.WriteString(`, "source": `)
		w.str(r.Source)
	}
	w.buf.WriteByte('}')
}

// PriceRefAt is the reference of the node price at path, if it cites one.
func (p *Plan) PriceRefAt(path string) (PriceRef, bool) {
	for _, r := range p.PriceRefs {
		if r.Path == path {
			return r, true
		}
	}
	return PriceRef{}, false
}

// PriceChange is a cited price the book now gives differently, or no
// longer gives.
type PriceChange struct {
	Ref   PriceRef
	New   Price
	Error string // the book cannot resolve the reference; New is empty
}

// Words says the change: "assumptions.node_hourly, p5.4xlarge on_demand
// (builtin book, us-east-1): $6.88 (2026-09-29) → $6.50 (2026-12-01)".
func (c *PriceChange) Words(currency string) string {
	old := fmt.Sprintf("%s (%s)", format.UnitPrice(c.Ref.Hourly, currency), c.Ref.AsOf)
	if c.Error != "" {
		return fmt.Sprintf("%s, %s: the plan uses %s, but %s", c.Ref.Path, c.Ref.Words(), old, c.Error)
	}
	return fmt.Sprintf("%s, %s: %s → %s (%s)", c.Ref.Path, c.Ref.Words(), old, format.UnitPrice(c.New.Hourly, currency), c.New.AsOf)
}

// PriceChanges lists the plan's cited prices that the books give
// differently from what the plan used (a new price or a new date), and
// those the books cannot resolve.
func (p *Plan) PriceChanges(bs []Book) []PriceChange {
	var out []PriceChange
	for _, r := range p.PriceRefs {
		ref := r
		np, err := resolve(bs, &ref)
		switch {
		case err != nil:
			out = append(out, PriceChange{Ref: r, Error: err.Error()})
		case !np.Hourly.Equal(r.Hourly) || np.AsOf != r.AsOf:
			out = append(out, PriceChange{Ref: r, New: np})
		}
	}
	return out
}

// Reprice is the plan with every cited price the books resolve set to the
// books' price, date and source.
func (p Plan) Reprice(bs []Book) (Plan, error) {
	q := p.Clone()
	for i := range q.PriceRefs {
		ref := &q.PriceRefs[i]
		np, err := resolve(bs, ref)
		if err != nil || (np.Hourly.Equal(ref.Hourly) && np.AsOf == ref.AsOf) {
			continue
		}
		scen := q.Scenarios
		q.Scenarios = nil
		var errSet error
		q, errSet = applyOverride(q, ScenarioOverride{Path: ref.Path, Value: np.Hourly.String()})
		q.Scenarios = scen
		if errSet != nil {
			return p, errSet
		}
		ref = &q.PriceRefs[i]
		ref.Hourly, ref.AsOf, ref.Source = np.Hourly, np.AsOf, np.Source
	}
	return q, nil
}

// CitePrice makes the node price at path cite an offer's option: the plan
// uses its price, and keeps its date and source.
func CitePrice(p Plan, path, book, instance, region, option string) (Plan, error) {
	section, _, key, ok := SplitPath(path)
	if !ok || key != "node_hourly" || (section != "assumptions" && section != "phases" && section != "variants") {
		return p, &FieldError{Path: path, Msg: "only a node price can cite a price book"}
	}
	ref := PriceRef{Path: path, Book: book, Instance: instance, Region: region, Option: option}
	np, err := resolve(Books(), &ref)
	if err != nil {
		return p, &FieldError{Path: path, Msg: err.Error()}
	}
	ref.Hourly, ref.AsOf, ref.Source = np.Hourly, np.AsOf, np.Source
	scen := p.Scenarios
	q := p.Clone()
	q.Scenarios = nil
	if q, err = applyOverride(q, ScenarioOverride{Path: path, Value: ref.Hourly.String()}); err != nil {
		return p, err
	}
	q.Scenarios = scen
	q = q.bare(path)
	q.PriceRefs = append(q.PriceRefs, ref)
	sort.SliceStable(q.PriceRefs, func(i, j int) bool { return q.PriceRefs[i].Path < q.PriceRefs[j].Path })
	return q, nil
}

// Provenance says where an input's value comes from, for a reader of the
// workbook: a price book citation with its date and source, or a range
// whose median is used; "" for a typed number.
func (p *Plan) Provenance(path string) string {
	if r, ok := p.PriceRefAt(path); ok {
		return fmt.Sprintf("%s, as of %s; source: %s", r.Words(), r.AsOf, r.Source)
	}
	if m, ok := p.MeasurementAt(path); ok {
		return m.Long()
	}
	if r, ok := p.RangeAt(path); ok {
		return fmt.Sprintf("uncertain: a 90 %% range %s (%s); the model uses its median", r.Words(), r.Kind())
	}
	return ""
}

// UseOffer makes the node of phase (PlanDefault for the plan's default) an
// offer of a book: its node type is the offer's label and its price cites
// the option (on_demand, spot or a commitment's name).
func UseOffer(p Plan, phase int, book string, o *Offer, option string) (Plan, error) {
	path := ScenarioPath(p, phase, "node_hourly")
	q, err := SetInput(p, phase, "node_type", o.Label())
	if err != nil {
		return p, err
	}
	return CitePrice(q, path, book, o.Instance, o.Region, option)
}

// OfferMatches says whether an offer matches a search: every word of it
// is in the offer's provider, instance, region or GPU model, any case, and
// a word "<X" (or "≤X", "$" allowed) keeps offers whose on-demand GPU-hour
// is at most X.
func OfferMatches(o *Offer, search string) bool {
	hay := strings.ToLower(strings.Join([]string{o.Provider, o.Instance, o.Region, o.GPUs.Model, fmt.Sprintf("%d×", o.GPUs.Count)}, " "))
	for _, w := range strings.Fields(strings.ToLower(search)) {
		if limit, isPrice := strings.CutPrefix(strings.Replace(w, "≤", "<", 1), "<"); isPrice {
			if x, ok := ParseAmount(strings.TrimPrefix(limit, "="), false); ok {
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

// CitedOffer is the offer the plan's default node price cites, and its book.
func (p *Plan) CitedOffer(bs []Book) (*Offer, PriceRef, error) {
	ref, ok := p.PriceRefAt("assumptions.node_hourly")
	if !ok {
		return nil, ref, fmt.Errorf("the plan's node price does not cite a price book (cite one in the app with Ctrl+B, or write it as {\"book\": …, \"instance\": …})")
	}
	r := ref
	if _, err := resolve(bs, &r); err != nil {
		return nil, ref, err
	}
	for i := len(bs) - 1; i >= 0; i-- {
		if bs[i].Name == ref.Book {
			o, err := bs[i].Find(ref.Instance, r.Region, "")
			return o, ref, err
		}
	}
	return nil, ref, fmt.Errorf("no price book is named %q", ref.Book)
}

// CommitOptionOf is the committed-use option of that name of the offer the
// plan's node price cites.
func (p *Plan) CommitOptionOf(bs []Book, name string) (CommitOption, error) {
	o, _, err := p.CitedOffer(bs)
	if err != nil {
		return CommitOption{}, err
	}
	var names []string
	for _, c := range o.Commitments {
		if c.Name == name {
			return c, nil
		}
		names = append(names, fmt.Sprintf("%q", c.Name))
	}
	has := "has no committed-use options in the book"
	if len(names) > 0 {
		has = "has " + strings.Join(names, ", ")
	}
	return CommitOption{}, fmt.Errorf("%s in %s has no option %q; it %s", o.Instance, o.Region, name, has)
}
