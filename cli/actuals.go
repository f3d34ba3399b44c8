package cli

import (
	"fmt"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/actuals"
	"github.com/scaleplan/scaleplan/planner/compare"
	"github.com/scaleplan/scaleplan/report"
)

// runActuals holds a plan against its bill and usage (docs/actuals.md).
// Like diff, it exits 1 only when a --fail-on holds, and 2 for a file it
// cannot read or a wrong command line.
func runActuals(env *Env, args []string) int {
	fs := newFlags(env, "actuals")
	var bills, usages, guards failOns
	fs.Var(&bills, "bill", "a FOCUS cost-and-usage CSV (gzipped or not), or a folder of its parts; repeatable")
	fs.Var(&usages, "usage", "a CSV of days (date, calls, p99_ms, ttft_p99_ms, tpot_p99_ms, nodes, utilization, tokens_in, tokens_out), or FIGURE=FILE, a Prometheus query_range JSON for one figure; repeatable")
	billed := fs.Bool("billed", false, "compare BilledCost, as invoiced, rather than EffectiveCost, with commitments amortised")
	asJSON := fs.Bool("json", false, "print JSON: each line's planned, actual, delta and delta_pct as decimal strings")
	asMarkdown := fs.Bool("markdown", false, "print Markdown for a pull request or a wiki")
	fs.Var(&guards, "fail-on", "exit 1 when EXPR holds for the totals or any phase, the plan as A and the actuals as B: LINE>+X% (Δ % above X), LINE>+X (Δ above X), LINE>X (actual above X), or the same with < and -; repeatable")
	scenario := fs.String("write-scenario", "", "write what was observed into the plan file as this scenario (calls a day, node-hour price, node throughput)")
	open := fs.Bool("open", false, "open the plan in the app with these files in its Actuals tab, rather than printing")
	pos, code, ok := parse(env, fs, args)
	if !ok {
		return code
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(env.Stderr, "scaleplan actuals: "+format+"\n", a...)
		return ExitUsage
	}
	path, ok := onePlan(env, fs, pos)
	switch {
	case !ok:
		return ExitUsage
	case len(bills) == 0:
		return fail("give the bill with --bill FILE (a FOCUS CSV, or a folder of its parts)")
	case *asJSON && *asMarkdown:
		return fail("choose --json or --markdown, not both")
	case *scenario != "" && path == "-":
		return fail("--write-scenario needs a plan file, not standard input")
	case *open && (path == "-" || *scenario != "" || *asJSON || *asMarkdown || len(guards) > 0):
		return fail("--open opens the app on a plan file: it goes without --json, --markdown, --fail-on and --write-scenario")
	case *open:
		return openWith(env, path, AppOptions{Actuals: append(append([]string(nil), bills...), usages...)})
	}
	p, ok := load(env, path)
	if !ok {
		return ExitUsage
	}
	var rails []compare.FailOn
	for _, g := range guards {
		f, err := compare.ParseFailOnAmong(g, actuals.LineKeys(&p))
		if err != nil {
			return fail("--fail-on %v", err)
		}
		rails = append(rails, f)
	}
	read, err := actuals.ReadBills(bills)
	if err != nil {
		return fail("%v", err)
	}
	var u actuals.Usage
	for _, arg := range usages {
		if err := u.ReadUsage(arg); err != nil {
			return fail("%v", err)
		}
	}
	r := planner.Compute(p)
	rep, err := actuals.Against(&p, &r, read, u, actuals.Options{Billed: *billed})
	if err != nil {
		return fail("%v", err)
	}
	switch {
	case *asJSON:
		_, err = env.Stdout.Write(report.ActualsJSON(rep))
	case *asMarkdown:
		err = report.WriteActualsMarkdown(env.Stdout, rep)
	default:
		err = report.WriteActualsTable(env.Stdout, rep)
	}
	if exitFor(env, err) != ExitOK {
		return ExitUsage
	}
	if *scenario != "" {
		saved, ok := loadAsSaved(env, path) // the book's newer prices are for computing, not for the file
		if !ok {
			return ExitUsage
		}
		q, said, err := actuals.AsObserved(saved, rep, u, *scenario)
		if err == nil {
			err = planner.Save(path, q)
		}
		if err != nil {
			return fail("%s was not changed: %v", path, err)
		}
		fmt.Fprintf(env.Stderr, "wrote scenario %q to %s:\n", *scenario, path)
		for _, s := range said {
			fmt.Fprintf(env.Stderr, "  %s\n", s)
		}
	}
	d := rep.Diff()
	return railsHeld(env, "actuals", rails, &d)
}
