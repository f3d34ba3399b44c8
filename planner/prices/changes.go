package prices

import (
	"github.com/scaleplan/scaleplan/planner"
)

// PriceChange is a cited price the books now give differently, or no
// longer give.
type PriceChange struct {
	Ref   planner.PriceRef
	New   planner.Quote
	Error string // the books cannot resolve the reference; New is empty
}

// Changes lists the plan's cited prices that the catalogue gives
// differently from what the plan used (a new price or a new date), and
// those it cannot resolve.
func (c Catalog) Changes(p *planner.Plan) []PriceChange {
	var out []PriceChange
	for _, r := range p.PriceRefs {
		np, err := c.Quote(r)
		switch {
		case err != nil:
			out = append(out, PriceChange{Ref: r, Error: err.Error()})
		case !np.Hourly.Equal(r.Hourly) || np.AsOf != r.AsOf:
			out = append(out, PriceChange{Ref: r, New: np})
		}
	}
	return out
}

// Reprice is the plan with every cited price the catalogue resolves set
// to its price, date and source.
func (c Catalog) Reprice(p planner.Plan) (planner.Plan, error) {
	q := p
	for _, ref := range p.PriceRefs {
		np, err := c.Quote(ref)
		if err != nil {
			continue
		}
		moved := !np.Hourly.Equal(ref.Hourly) || np.AsOf != ref.AsOf
		if !moved && ref.Region != "" {
			continue
		}
		if ref.Region == "" {
			ref.Region = np.Region
		}
		if moved {
			ref.Hourly, ref.AsOf, ref.Source = np.Hourly, np.AsOf, np.Source
		}
		if q, err = q.Cite(ref); err != nil {
			return p, err
		}
	}
	return q, nil
}

// CitePrice makes the node price at path cite an offer's option: the plan
// uses its price, and keeps its date and source.
func (c Catalog) CitePrice(p planner.Plan, path, book, instance, region, option string) (planner.Plan, error) {
	if err := planner.Citable(path); err != nil {
		return p, err
	}
	ref := planner.PriceRef{Path: path, Book: book, Instance: instance, Region: region, Option: option}
	np, err := c.Quote(ref)
	if err != nil {
		return p, &planner.FieldError{Path: path, Msg: err.Error()}
	}
	ref.Hourly, ref.AsOf, ref.Source = np.Hourly, np.AsOf, np.Source
	if ref.Region == "" {
		ref.Region = np.Region
	}
	return p.Cite(ref)
}
