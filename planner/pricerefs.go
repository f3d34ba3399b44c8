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

// Citable says whether the input at path may cite a price book: only a
// node price may.
func Citable(path string) error {
	section, _, key, ok := SplitPath(path)
	if !ok || key != "node_hourly" || (section != "assumptions" && section != "phases" && section != "variants") {
		return &FieldError{Path: path, Msg: "only a node price can cite a price book"}
	}
	return nil
}

// Cite makes the node price at ref.Path cite ref: the plan uses ref.Hourly
// there (its scenarios as they were), and keeps ref beside it in place of
// any range, measurement or earlier citation at that path. What to cite is
// prices.Catalog's to resolve.
func (p Plan) Cite(ref PriceRef) (Plan, error) {
	if err := Citable(ref.Path); err != nil {
		return p, err
	}
	scen := p.Scenarios
	q := p.Clone()
	q.Scenarios = nil
	q, err := applyOverride(q, ScenarioOverride{Path: ref.Path, Value: ref.Hourly.String()})
	if err != nil {
		return p, err
	}
	q.Scenarios = scen
	q = q.bare(ref.Path)
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
