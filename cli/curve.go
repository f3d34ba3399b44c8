package cli

import (
	"fmt"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/compare"
	"github.com/scaleplan/scaleplan/report"
)

func runCurve(env *Env, args []string) int {
	fs := newFlags(env, "curve")
	phase := fs.String("phase", "", "the phase: its number from 1, or its name (required)")
	points := fs.Int("points", 40, "how many volumes to try")
	asJSON := fs.Bool("json", false, "print JSON instead of CSV")
	_, p, code, ok := planArg(env, fs, args)
	if !ok {
		return code
	}
	if *phase == "" {
		fmt.Fprintln(env.Stderr, "scaleplan curve: --phase is required")
		return ExitUsage
	}
	if *points < 2 || *points > 1000 {
		fmt.Fprintln(env.Stderr, "scaleplan curve: --points must be from 2 to 1,000")
		return ExitUsage
	}
	i, ok := phaseArg(env, "curve", p, *phase)
	if !ok {
		return ExitUsage
	}
	c := compare.CostCurve(p, i, *points)
	if *asJSON {
		_, err := env.Stdout.Write(report.CurveJSON(p, &c))
		return exitFor(env, err)
	}
	return exitFor(env, report.WriteCurveCSV(env.Stdout, &c))
}

// phaseArg finds a phase by 1-based number or by name.
func phaseArg(env *Env, cmd string, p planner.Plan, arg string) (int, bool) {
	for i, ph := range p.Phases {
		if arg == ph.Name || arg == fmt.Sprint(i+1) {
			return i, true
		}
	}
	fmt.Fprintf(env.Stderr, "scaleplan %s: no phase %q; give a number from 1 to %d or a phase name\n", cmd, arg, len(p.Phases))
	return 0, false
}
