package cli

import (
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/report"
)

func runExplain(env *Env, args []string) int {
	fs := newFlags(env, "explain")
	return computeAnd(env, fs, args, "print the numbers behind the explanation as JSON (the compute --json result)",
		func(p planner.Plan, r *planner.Result) error { return report.WriteExplain(env.Stdout, p, r) })
}
