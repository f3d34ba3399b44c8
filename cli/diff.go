package cli

import (
	"fmt"
	"strings"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/compare"
	"github.com/scaleplan/scaleplan/report"
)

// failOns collects repeated --fail-on flags.
type failOns []string

func (f *failOns) String() string     { return strings.Join(*f, ", ") }
func (f *failOns) Set(s string) error { *f = append(*f, s); return nil }

// runDiff compares two plans. Without --fail-on it exits 0 whether or not
// they differ (unlike Unix diff); with it, 1 when any guard-rail holds and
// 0 otherwise; 2 for a bad expression, a plan that cannot be read, or a
// wrong command line.
func runDiff(env *Env, args []string) int {
	fs := newFlags(env, "diff")
	asJSON := fs.Bool("json", false, "print JSON with every line ({a, b, delta, delta_pct} as decimal strings)")
	asMarkdown := fs.Bool("markdown", false, "print Markdown for a pull-request comment")
	scenario := fs.String("scenario", "", "with one plan: compare this scenario (B) with the plan itself, or with --against")
	against := fs.String("against", "", "with --scenario: the scenario to compare with (A) instead of the plan itself")
	var guards failOns
	fs.Var(&guards, "fail-on", "exit 1 when EXPR holds for the totals or any phase: LINE>+X% (Δ % above X), LINE>+X (Δ above X), LINE>X (B above X), or the same with < and -; repeatable")
	pos, code, ok := parse(env, fs, args)
	if !ok {
		return code
	}
	if *against != "" && *scenario == "" {
		fmt.Fprintln(env.Stderr, "scaleplan diff: --against needs --scenario")
		return ExitUsage
	}
	if (*scenario == "" && len(pos) != 2) || (*scenario != "" && len(pos) != 1) {
		fmt.Fprintln(env.Stderr, "scaleplan diff: give two plans, A and B, or one plan and --scenario")
		return ExitUsage
	}
	if *asJSON && *asMarkdown {
		fmt.Fprintln(env.Stderr, "scaleplan diff: choose --json or --markdown, not both")
		return ExitUsage
	}
	var rails []compare.FailOn
	for _, g := range guards {
		f, err := compare.ParseFailOn(g)
		if err != nil {
			fmt.Fprintf(env.Stderr, "scaleplan diff: --fail-on %v\n", err)
			return ExitUsage
		}
		rails = append(rails, f)
	}
	a, b, ok := diffPair(env, pos, *scenario, *against)
	if !ok {
		return ExitUsage // not ExitInvalid: 1 means a guard-rail held
	}
	ra, rb := planner.Compute(a), planner.Compute(b)
	d := compare.Plans(a, &ra, b, &rb)
	if *scenario != "" { // say which scenarios, without making the name an input that changed
		d.NameB += " — scenario " + *scenario
		if *against != "" {
			d.NameA += " — scenario " + *against
		}
	}
	var err error
	switch {
	case *asJSON:
		_, err = env.Stdout.Write(report.DiffJSON(&d))
	case *asMarkdown:
		err = report.WriteDiffMarkdown(env.Stdout, &d)
	default:
		err = report.WriteDiffTable(env.Stdout, &d)
	}
	if code := exitFor(env, err); code != ExitOK {
		return ExitUsage
	}
	return railsHeld(env, "diff", rails, &d)
}

// railsHeld says each --fail-on that holds for d and exits 1 when any does.
func railsHeld(env *Env, cmd string, rails []compare.FailOn, d *compare.Diff) int {
	held := ExitOK
	for _, f := range rails {
		if ok, where := f.Holds(d); ok {
			fmt.Fprintf(env.Stderr, "scaleplan %s: --fail-on %s holds (%s)\n", cmd, f.Text, where)
			held = ExitInvalid
		}
	}
	return held
}

// diffPair loads what diff compares: two plans, or one plan as a scenario
// has it (B) against the plan itself or another scenario (A).
func diffPair(env *Env, pos []string, scenario, against string) (a, b planner.Plan, ok bool) {
	if scenario == "" {
		a, okA := load(env, pos[0])
		b, okB := load(env, pos[1])
		return a, b, okA && okB
	}
	p, ok := load(env, pos[0])
	if !ok {
		return a, b, false
	}
	var err error
	if b, err = p.Scenario(scenario); err != nil {
		fmt.Fprintf(env.Stderr, "scaleplan diff: %v\n", err)
		return a, b, false
	}
	a = p
	if against != "" {
		if a, err = p.Scenario(against); err != nil {
			fmt.Fprintf(env.Stderr, "scaleplan diff: %v\n", err)
			return a, b, false
		}
	}
	return a, b, true
}
