package planner

import (
	"github.com/shopspring/decimal"
)

// PriceSource resolves what a plan cites from price books. A plan is read
// against one (LoadIn, ParseIn); prices.Catalog is the one the app and the
// CLI hold, as a value: no book is ever global.
type PriceSource interface {
	// Quote is the price a citation names: the option's price per
	// node-hour (a commitment's effective rate), its date and source, and
	// the offer's region when the citation names none.
	Quote(ref PriceRef) (Quote, error)
	// CommitTerms are the terms of the committed-use option of that name
	// of the offer the plan's node price cites.
	CommitTerms(p *Plan, option string) (CommitTerms, error)
}

// Quote is a cited price as a book gives it.
type Quote struct {
	Hourly decimal.Decimal
	AsOf   Date
	Source string
	Region string // the offer's region
}

// CommitTerms are a committed-use option's price and term.
type CommitTerms struct {
	Hourly, Upfront decimal.Decimal
	TermMonths      int64
	AsOf            Date
}

// noBooks is the source of a plan read without price books: every
// citation must carry its own price.
type noBooks struct{}

func (noBooks) Quote(ref PriceRef) (Quote, error) {
	return Quote{}, &FieldError{Msg: "cites the price book \"" + ref.Book + "\", but no price book was given to read it with; write its \"hourly\" price, or open the plan with its books"}
}

func (noBooks) CommitTerms(*Plan, string) (CommitTerms, error) {
	return CommitTerms{}, &FieldError{Msg: "names a committed-use option, but no price book was given to read it with; write its \"rate\", or open the plan with its books"}
}
