package cli

import (
	"fmt"

	"github.com/scaleplan/scaleplan/planner/estimate"
	"github.com/scaleplan/scaleplan/report"
)

// runCheapest ranks every offer of the price books, each price option and
// tensor-parallel width, by what a phase costs on it (docs/estimate.md).
func runCheapest(env *Env, args []string) int {
	fs := newFlags(env, "cheapest")
	phase := fs.String("phase", "", "one phase: its number from 1, or its name (default: every phase)")
	spot := fs.Bool("spot", false, "try spot prices too: for a service that tolerates a node's interruption")
	variant := fs.String("variant", "", "the variant whose architecture is the model (default: each phase's)")
	in := fs.Int("input-tokens", 0, "input tokens a call, where the plan gives none")
	out := fs.Int("output-tokens", 0, "output tokens a call, where the plan gives none")
	asJSON := fs.Bool("json", false, "print JSON")
	bookFlag(env, fs)
	_, p, code, ok := planArg(env, fs, args)
	if !ok {
		return code
	}
	var phases []int
	if *phase != "" {
		i, ok := phaseArg(env, "cheapest", p, *phase)
		if !ok {
			return ExitUsage
		}
		phases = []int{i}
	} else {
		for i := range p.Phases {
			phases = append(phases, i)
		}
	}
	found, err := estimate.Cheapest(p, env.prices, phases, estimate.Options{Spot: *spot, Variant: *variant, In: float64(*in), Out: float64(*out)})
	if err != nil {
		fmt.Fprintf(env.Stderr, "scaleplan cheapest: %v%s\n", err, tokensHint(err))
		return ExitInvalid
	}
	if *asJSON {
		_, err = env.Stdout.Write(report.CheapestJSON(found))
		return exitFor(env, err)
	}
	return exitFor(env, report.WriteCheapest(env.Stdout, found, p.Currency))
}
