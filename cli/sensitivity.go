package cli

import "github.com/scaleplan/scaleplan/report"

func runSensitivity(env *Env, args []string) int {
	fs := newFlags(env, "sensitivity")
	phase := fs.String("phase", "", "one phase: its number from 1, or its name (default: every phase)")
	asJSON := fs.Bool("json", false, "print JSON")
	_, p, code, ok := planArg(env, fs, args)
	if !ok {
		return code
	}
	phases := make([]int, len(p.Phases))
	for i := range phases {
		phases[i] = i
	}
	if *phase != "" {
		i, ok := phaseArg(env, "sensitivity", p, *phase)
		if !ok {
			return ExitUsage
		}
		phases = []int{i}
	}
	if *asJSON {
		_, err := env.Stdout.Write(report.SensitivityJSON(p, phases))
		return exitFor(env, err)
	}
	return exitFor(env, report.WriteSensitivity(env.Stdout, p, phases))
}
