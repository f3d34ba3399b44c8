package cli

import (
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/scaleplan/scaleplan/planner/gpus"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/prices"
	"github.com/scaleplan/scaleplan/report"
)

// runPrices lists, shows and checks the price books (docs/prices.md).
func runPrices(env *Env, args []string) int {
	if len(args) == 1 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		pricesUsage(env.Stdout)
		return ExitOK
	}
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fmt.Fprintln(env.Stderr, "scaleplan prices: say list, show INSTANCE or check [PLAN…]; each takes --help")
		return ExitUsage
	}
	switch args[0] {
	case "list":
		return pricesList(env, args[1:])
	case "show":
		return pricesShow(env, args[1:])
	case "check":
		return pricesCheck(env, args[1:])
	}
	fmt.Fprintf(env.Stderr, "scaleplan prices: no subcommand %q; say list, show INSTANCE or check [PLAN…]\n", args[0])
	return ExitUsage
}

// bookFiles is --book, repeatable: the files are read once the command's
// flags are parsed (parse calls loadBooks), so a book with a problem is a
// problem in a file — exit 1 with every problem — not a usage error, and
// added to the books plans resolve against, for the command's run.
type bookFiles []string

func (b *bookFiles) String() string { return strings.Join(*b, ",") }
func (b *bookFiles) Set(s string) error {
	*b = append(*b, s)
	return nil
}

// bookFlag adds --book to the command's flags; parse reads the files into
// the command's catalogue (env.prices) once the flags are parsed.
func bookFlag(env *Env, fs *flag.FlagSet) {
	env.books = new(bookFiles)
	fs.Var(env.books, "book", "also read this price book file (repeatable)")
}

// loadBooks reads the command's --book files into the catalogue its plans
// resolve against. A book may not take the built-in book's name, nor one
// already read (prices.Catalog.With says so).
func loadBooks(env *Env) error {
	if env.books == nil {
		return nil
	}
	var books []prices.Book
	for _, path := range *env.books {
		b, err := prices.LoadBook(path)
		if err != nil {
			return err
		}
		books = append(books, b)
	}
	cat, err := prices.New(books...)
	if err != nil {
		return err
	}
	env.prices = cat
	return nil
}

func pricesList(env *Env, args []string) int {
	fs := newFlags(env, "prices list")
	gpu := fs.String("gpu", "", "only offers with this GPU model (H100, L4, …)")
	provider := fs.String("provider", "", "only this provider's offers (aws, gcp, azure, …)")
	bookFlag(env, fs)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, code, ok := parse(env, fs, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(env.Stderr, "scaleplan prices list: unexpected %q\n", pos[0])
		return ExitUsage
	}
	var rows []prices.BookOffer
	for _, r := range prices.OffersByPrice(env.prices.Books()) {
		if o := r.Offer; (*gpu == "" || strings.EqualFold(o.GPUs.Model, *gpu)) && (*provider == "" || strings.EqualFold(o.Provider, *provider)) {
			rows = append(rows, r)
		}
	}
	if *asJSON {
		out := []map[string]any{}
		for _, r := range rows {
			o := r.Offer
			m := map[string]any{"book": r.Book, "provider": o.Provider, "instance": o.Instance, "region": o.Region,
				"gpus":    map[string]any{"count": o.GPUs.Count, "model": o.GPUs.Model, "memory_gib": json.Number(o.GPUs.MemoryGiB.String())},
				"options": optionsJSON(o)}
			out = append(out, m)
		}
		b, _ := json.MarshalIndent(out, "", "  ")
		_, err := env.Stdout.Write(append(b, '\n'))
		return exitFor(env, err)
	}
	table := [][]string{{"Book", "Provider", "Instance", "Region", "GPUs", "On demand", "Per GPU-hour", "Spot", "Committed", "As of"}}
	for _, r := range rows {
		o := r.Offer
		spot := format.None
		if o.Spot.Valid {
			spot = format.UnitPrice(o.Spot.Val.Hourly, "USD")
		}
		table = append(table, []string{r.Book, o.Provider, o.Instance, o.Region,
			fmt.Sprintf("%d× %s %s GiB", o.GPUs.Count, o.GPUs.Model, o.GPUs.MemoryGiB),
			format.UnitPrice(o.OnDemand.Hourly, "USD"), format.UnitPrice(o.PerGPU(o.OnDemand.Hourly), "USD"), spot,
			fmt.Sprint(len(o.Commitments)), o.OnDemand.AsOf.String()})
	}
	var b strings.Builder
	b.WriteString(report.Aligned(table, 5))
	fmt.Fprintf(&b, "%d offers. `scaleplan prices show INSTANCE` gives each price's source; docs/prices.md lists what the built-in book lacks.\n", len(rows))
	_, err := fmt.Fprint(env.Stdout, b.String())
	return exitFor(env, err)
}

// optionsJSON is an offer's prices by option, each dated and sourced.
func optionsJSON(o *prices.Offer) []map[string]any {
	out := []map[string]any{}
	add := func(name string, p prices.Price, extra map[string]any) {
		m := map[string]any{"option": name, "hourly": p.Hourly.String(), "as_of": p.AsOf.String(), "source": p.Source}
		for k, v := range extra {
			m[k] = v
		}
		out = append(out, m)
	}
	add(planner.OptionOnDemand, o.OnDemand, nil)
	if o.Spot.Valid {
		add(planner.OptionSpot, o.Spot.Val.Price, map[string]any{"interruption": o.Spot.Val.Interruption})
	}
	for i := range o.Commitments {
		c := &o.Commitments[i]
		add(c.Name, c.Price, map[string]any{"kind": c.Kind, "term_months": c.TermMonths, "payment": c.Payment,
			"upfront": c.Upfront.String(), "effective_hourly": c.Effective().String()})
	}
	return out
}

func pricesShow(env *Env, args []string) int {
	fs := newFlags(env, "prices show")
	region := fs.String("region", "", "the region, when the instance is offered in several")
	provider := fs.String("provider", "", "the provider, when several offer the instance")
	bookFlag(env, fs)
	pos, code, ok := parse(env, fs, args)
	if !ok {
		return code
	}
	if len(pos) != 1 {
		fmt.Fprintln(env.Stderr, "scaleplan prices show: name one instance, e.g. scaleplan prices show p5.4xlarge")
		return ExitUsage
	}
	bs := env.prices.Books()
	var o *prices.Offer
	var errs []string
	for i := len(bs) - 1; i >= 0 && o == nil; i-- { // a book of the person's own first
		var err error
		if o, err = bs[i].Find(pos[0], *region, *provider); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if o == nil {
		fmt.Fprintf(env.Stderr, "scaleplan prices show: %s\n", strings.Join(errs, "; "))
		return ExitInvalid
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", o.Label())
	if o.Notes != "" {
		fmt.Fprintf(&b, "%s\n", o.Notes)
	}
	line := func(name, price, detail string, p prices.Price) {
		fmt.Fprintf(&b, "\n%s: %s a node-hour (%s a GPU-hour)%s\n  as of %s, %s days ago\n  source: %s\n",
			name, price, format.UnitPrice(o.PerGPU(p.Hourly), "USD"), detail, p.AsOf, format.Count(planner.Today().DaysSince(p.AsOf)), p.Source)
		if p.Unverified != "" {
			fmt.Fprintf(&b, "  UNVERIFIED: %s\n", p.Unverified)
		}
	}
	line("On demand", format.UnitPrice(o.OnDemand.Hourly, "USD"), "", o.OnDemand)
	if o.Spot.Valid {
		s := o.Spot.Val
		line("Spot", format.UnitPrice(s.Hourly, "USD"), "; "+s.Interruption, s.Price)
	}
	for i := range o.Commitments {
		c := &o.Commitments[i]
		eff := c.Effective()
		detail := fmt.Sprintf("; %s, %d months, %s upfront; effective %s a node-hour, %s of on demand",
			c.Kind, c.TermMonths, format.Money(c.Upfront, "USD"), format.UnitPrice(format.Places(eff, 6), "USD"),
			format.Percent(c.ShareOfOnDemand(o), 1))
		line("Committed ("+c.Name+")", format.UnitPrice(c.Hourly, "USD"), detail, c.Price)
	}
	_, err := fmt.Fprint(env.Stdout, b.String())
	return exitFor(env, err)
}

func pricesCheck(env *Env, args []string) int {
	fs := newFlags(env, "prices check")
	maxAge := fs.String("max-age", "180d", "the oldest a price may be: days (180d), weeks (26w) or months of 30 days (6m)")
	todayFlag := fs.String("today", "", "the date to measure ages from, YYYY-MM-DD (default: today)")
	bookFlag(env, fs)
	plans, code, ok := parse(env, fs, args)
	if !ok {
		return code
	}
	limit, err := prices.ParseMaxAge(*maxAge)
	if err != nil {
		fmt.Fprintf(env.Stderr, "scaleplan prices check: --max-age %v\n", err)
		return ExitUsage
	}
	today := planner.Today()
	if *todayFlag != "" {
		if today, err = planner.ParseDate(*todayFlag); err != nil {
			fmt.Fprintf(env.Stderr, "scaleplan prices check: --today must be a date written YYYY-MM-DD, got %q\n", *todayFlag)
			return ExitUsage
		}
	}
	bs := env.prices.Books()
	bad, unverified := 0, 0
	var b, flags strings.Builder
	for i := range bs {
		for _, s := range bs[i].Stale(today, limit) {
			bad++
			what := fmt.Sprintf("%d days old, over the %d-day limit", s.AgeDays, limit)
			if s.AgeDays < 0 {
				what = "dated after today"
			}
			fmt.Fprintf(&b, "%s book, %s (%s %s in %s, %s): %s as of %s, %s\n", s.Book, s.Path, s.Offer.Provider, s.Offer.Instance, s.Offer.Region,
				s.Option, format.UnitPrice(s.Price.Hourly, "USD"), s.Price.AsOf, what)
		}
		// Unverified prices are flagged, not failed: a book's age is the
		// question's; whether a price can be followed is said beside it.
		for _, s := range bs[i].Unverified() {
			unverified++
			fmt.Fprintf(&flags, "%s book, %s (%s %s in %s, %s): %s is unverified: %s\n", s.Book, s.Path, s.Offer.Provider, s.Offer.Instance, s.Offer.Region,
				s.Option, format.UnitPrice(s.Price.Hourly, "USD"), s.Price.Unverified)
		}
	}
	// The GPU table is dated like the books: its figures are checked too.
	for _, s := range gpus.Stale(today.Time(), time.Duration(limit)*24*time.Hour) {
		bad++
		fmt.Fprintf(&b, "GPU table, %s: over the %d-day limit\n", s, limit)
	}
	for _, path := range plans {
		p, err := planner.LoadIn(path, env.prices)
		if err != nil {
			load(env, path) // says what is wrong with it
			return ExitInvalid
		}
		for _, c := range env.prices.Changes(&p) {
			if c.Error != "" {
				bad++
				fmt.Fprintf(&b, "%s: %s\n", path, report.PriceChangeWords(&c, p.Currency))
			}
		}
		for _, r := range p.PriceRefs {
			if age := today.DaysSince(r.AsOf); age > limit {
				bad++
				fmt.Fprintf(&b, "%s: %s, %s: the plan uses %s as of %s, %d days old, over the %d-day limit\n",
					path, r.Path, r.Words(), format.UnitPrice(r.Hourly, p.Currency), r.AsOf, age, limit)
			}
		}
	}
	if bad == 0 {
		fmt.Fprintf(&b, "Every price in %s and every figure of the GPU table is at most %d days old (as of %s)", format.Plural(int64(len(bs)), "book", "books"), limit, today)
		if len(plans) > 0 {
			b.WriteString(", and every price the plans cite resolves")
		}
		b.WriteString(".\n")
	}
	if unverified > 0 {
		fmt.Fprintf(&b, "\n%s cannot yet be followed to a file a reader can open (unverified):\n%s", format.Plural(int64(unverified), "price", "prices"), flags.String())
	}
	if _, err := fmt.Fprint(env.Stdout, b.String()); err != nil {
		return exitFor(env, err)
	}
	if bad > 0 {
		return ExitInvalid
	}
	return ExitOK
}
