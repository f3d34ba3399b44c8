package planner

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/planner/jsonfile"
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

// The options a plan may cite besides a commitment's name.
const (
	OptionOnDemand = "on_demand"
	OptionSpot     = "spot"
)

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

// Label is the cited input for people: "Node price", "Node price (variant
// distilled)".
func (r *PriceRef) Label() string { return InputLabel(r.Path) }

// priceRefKeys are a reference's keys.
var priceRefKeys = []string{"book", "instance", "region", "option", "hourly", "as_of", "source"}

// priceRefObject reads a reference at path; the price is the plan's own
// when it gives one, else the book's.
func (d *decoder) priceRefObject(path, planPath string, o *jsonfile.Object) (PriceRef, bool) {
	ref := PriceRef{Path: planPath, Option: OptionOnDemand}
	before := len(d.Errs)
	hasHourly := false
	d.Fields(path, o, priceRefKeys, []string{"book", "instance"}, func(k string, v any, path string) {
		switch k {
		case "book":
			ref.Book = d.Name(path, v)
		case "instance":
			ref.Instance = d.Name(path, v)
		case "region":
			ref.Region = d.Name(path, v)
		case "option":
			ref.Option = d.Name(path, v)
		case "hourly":
			ref.Hourly, _ = d.Number(path, v, nonNegative)
			hasHourly = true
		case "as_of":
			ref.AsOf = d.Date(path, v)
		case "source":
			ref.Source, _ = d.Text(path, v)
		}
	})
	if len(d.Errs) > before {
		return ref, false
	}
	if !hasHourly {
		q, err := d.prices().Quote(ref)
		if err != nil {
			d.Fail(path, "%v", err)
			return ref, false
		}
		ref.Hourly, ref.AsOf, ref.Source = q.Hourly, q.AsOf, q.Source
		if ref.Region == "" {
			ref.Region = q.Region
		}
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
	New   Quote
	Error string // the book cannot resolve the reference; New is empty
}

// PriceChanges lists the plan's cited prices that the books give
// differently from what the plan used (a new price or a new date), and
// those the books cannot resolve.
func (p *Plan) PriceChanges(src PriceSource) []PriceChange {
	var out []PriceChange
	for _, r := range p.PriceRefs {
		np, err := src.Quote(r)
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
func (p Plan) Reprice(src PriceSource) (Plan, error) {
	q := p.Clone()
	for i := range q.PriceRefs {
		ref := &q.PriceRefs[i]
		np, err := src.Quote(*ref)
		if err == nil && ref.Region == "" {
			ref.Region = np.Region
		}
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
func CitePrice(p Plan, src PriceSource, path, book, instance, region, option string) (Plan, error) {
	section, _, key, ok := SplitPath(path)
	if !ok || key != "node_hourly" || (section != "assumptions" && section != "phases" && section != "variants") {
		return p, &FieldError{Path: path, Msg: "only a node price can cite a price book"}
	}
	ref := PriceRef{Path: path, Book: book, Instance: instance, Region: region, Option: option}
	np, err := src.Quote(ref)
	if err != nil {
		return p, &FieldError{Path: path, Msg: err.Error()}
	}
	ref.Hourly, ref.AsOf, ref.Source = np.Hourly, np.AsOf, np.Source
	if ref.Region == "" {
		ref.Region = np.Region
	}
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
