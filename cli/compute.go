package cli

import (
	"flag"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/report"
)

func runCompute(env *Env, args []string) int {
	fs := newFlags(env, "compute")
	return computeAnd(env, fs, args, "print the result as JSON (money as decimal strings, none as null)",
		func(_ planner.Plan, r *planner.Result) error { return report.WriteTable(env.Stdout, r) })
}

// computeAnd loads a plan, computes it, and prints either the JSON result
// (--json) or what render writes.
func computeAnd(env *Env, fs *flag.FlagSet, args []string, jsonHelp string, render func(planner.Plan, *planner.Result) error) int {
	asJSON := fs.Bool("json", false, jsonHelp)
	_, p, code, ok := planArg(env, fs, args)
	if !ok {
		return code
	}
	r := planner.Compute(p)
	if *asJSON {
		_, err := env.Stdout.Write(report.JSON(&r, p))
		return exitFor(env, err)
	}
	return exitFor(env, render(p, &r))
}
