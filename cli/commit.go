package cli

import (
	"encoding/json"
	"flag"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/commit"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
	"github.com/scaleplan/scaleplan/report"
)

// runCommit finds the commitment level that costs least on the plan's
// hourly fleet (docs/commitments.md).
func runCommit(env *Env, args []string) int {
	fs := newFlags(env, "commit")
	rate := fs.String("rate", "", "the committed effective price per node-hour: hourly + upfront ÷ term hours")
	option := fs.String("option", "", "a committed-use option of the offer the plan's node price cites, by name: its effective rate and term")
	term := fs.Int64("term", 12, "the term in months of 730 hours (with --option: the option's, unless given)")
	bookFlag(env, fs)
	after := fs.String("after-plan", commit.AfterPlanExtend, "hours of the term after the plan's end: extend (the last phase's day repeats) or stranded (no demand)")
	spot := fs.String("spot", "", "price the uncommitted layer at this spot price per node-hour instead of on demand (not latency-safe)")
	interruption := fs.String("interruption", "0.05", "with --spot: the share of spot hours interrupted and rerun on demand, 0 to 1")
	asJSON := fs.Bool("json", false, "print JSON")
	_, p, code, ok := planArg(env, fs, args)
	if !ok {
		return code
	}
	termSet := false
	fs.Visit(func(f *flag.Flag) { termSet = termSet || f.Name == "term" })
	var r decimal.Decimal
	switch {
	case *rate != "" && *option != "":
		fmt.Fprintln(env.Stderr, "scaleplan commit: give --rate or --option, not both")
		return ExitUsage
	case *option != "":
		c, err := env.prices.CommitOption(&p, *option)
		if err != nil {
			fmt.Fprintf(env.Stderr, "scaleplan commit: --option: %v\n", err)
			return ExitUsage
		}
		r = c.Effective()
		if !termSet {
			*term = c.TermMonths
		}
		fmt.Fprintf(env.Stderr, "Option %s: %s, %d months, %s an hour and %s upfront, as of %s (%s): effective %s a node-hour.\n",
			c.Name, c.Kind, c.TermMonths, format.UnitPrice(c.Hourly, p.Currency), format.Money(c.Upfront, p.Currency), c.AsOf, c.Source,
			format.UnitPrice(format.Places(c.Effective(), 6), p.Currency))
	case *rate == "":
		fmt.Fprintln(env.Stderr, "scaleplan commit: --rate or --option is required (the committed price per node-hour, e.g. --rate 4.128)")
		return ExitUsage
	default:
		var ok bool
		if r, ok = jsonfile.ParseAmount(*rate, false); !ok {
			fmt.Fprintf(env.Stderr, "scaleplan commit: --rate must be a price per node-hour, got %q\n", *rate)
			return ExitUsage
		}
	}
	opts := commit.Options{Rate: r, TermMonths: *term, AfterPlan: *after}
	if *spot != "" {
		s, ok1 := jsonfile.ParseAmount(*spot, false)
		q, ok2 := jsonfile.ParseAmount(*interruption, true)
		if !ok1 || !ok2 {
			fmt.Fprintf(env.Stderr, "scaleplan commit: --spot must be a price and --interruption a share, got %q and %q\n", *spot, *interruption)
			return ExitUsage
		}
		opts.Spot, opts.Interruption = decimal.NewNullDecimal(s), q
	}
	res := planner.Compute(p)
	c, err := commit.Optimal(res.CommitPhases(), opts)
	if err != nil {
		fmt.Fprintf(env.Stderr, "scaleplan commit: %v\n", err)
		return ExitUsage
	}
	if *asJSON {
		dec := func(d decimal.Decimal, places int32) string { return d.Round(places).String() }
		out, _ := json.MarshalIndent(map[string]any{
			"k": c.K, "term_hours": c.TermHours, "committed_rate": c.CommittedRate.String(), "rho": dec(c.Rho, 6),
			"cost": c.Cost.StringFixed(2), "on_demand_cost": c.OnDemandCost.StringFixed(2), "saving": c.Saving.StringFixed(2),
			"coverage": json.Number(dec(c.Coverage, 6)), "utilization": json.Number(dec(c.Utilization, 6)),
			"stranded_cost": c.Stranded.StringFixed(2), "after_plan": *after,
			"uncommitted": map[bool]string{true: "spot", false: "on_demand"}[opts.Spot.Valid], "latency_safe": !opts.Spot.Valid,
		}, "", "  ")
		_, err := env.Stdout.Write(append(out, '\n'))
		return exitFor(env, err)
	}
	cur := res.Currency
	pct := func(d decimal.Decimal) string { return format.Percent(d, 1) }
	fmt.Fprintf(env.Stdout, "%s: a %d-month commitment (%s hours) from %s; after the plan: %s.\n",
		p.Name, *term, format.Count(c.TermHours), res.StartDate, *after)
	fmt.Fprintln(env.Stdout, report.CommitLevel(&c, cur, *term))
	fmt.Fprintln(env.Stdout, report.CommitCost(&c, cur, opts.Spot.Valid))
	fmt.Fprintln(env.Stdout, report.CommitUse(&c))
	if opts.Spot.Valid {
		fmt.Fprintf(env.Stdout, "The uncommitted layer runs on spot at %s, %s interrupted and rerun on demand: not latency-safe, an interruption is a latency spike.\n",
			format.UnitPrice(opts.Spot.Decimal, cur), pct(opts.Interruption))
	}
	if w := report.CommitStranded(&c, cur); w != "" {
		fmt.Fprintln(env.Stdout, w)
	}
	return ExitOK
}
