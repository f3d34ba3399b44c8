package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/report"
	"github.com/scaleplan/scaleplan/simulate"
)

func runSimulate(env *Env, args []string) int {
	fs := newFlags(env, "simulate")
	phase := fs.String("phase", "", "one phase: its number from 1, or its name (default: every phase with a latency model)")
	seed := fs.Uint64("seed", 1, "the random seed: the same seed gives the same output")
	asJSON := fs.Bool("json", false, "print JSON")
	_, p, code, ok := planArg(env, fs, args)
	if !ok {
		return code
	}
	r := planner.Compute(p)
	phases := make([]int, 0, len(r.Phases))
	if *phase != "" {
		i, ok := phaseArg(env, "simulate", p, *phase)
		if !ok {
			return ExitUsage
		}
		if !r.Phases[i].Latency.Estimated {
			fmt.Fprintf(env.Stderr, "scaleplan simulate: %s: latency is not estimated (%s), so there is nothing to simulate\n", r.Phases[i].Name, r.Phases[i].Latency.Why)
			return ExitInvalid
		}
		phases = append(phases, i)
	} else {
		for i := range r.Phases {
			if r.Phases[i].Latency.Estimated {
				phases = append(phases, i)
			}
		}
		if len(phases) == 0 {
			fmt.Fprintln(env.Stderr, "scaleplan simulate: no phase has a latency model (a service time that agrees with node_rps), so there is nothing to simulate")
			return ExitInvalid
		}
	}
	// Token phases are served token by token (the serving rules);
	// without --phase a plan that has any simulates those, and says so.
	if r.Phases[phases[0]].Tokens != nil || (*phase == "" && anyTokens(&r)) {
		var todo []int
		for _, i := range phases {
			if r.Phases[i].Tokens != nil {
				todo = append(todo, i)
			}
		}
		code := simulateEach(env, todo, func(i int, progress func(float64)) (simulate.TokenCheck, error) {
			return simulate.CheckTokens(&r.Phases[i], *seed, progress, env.stopped)
		}, *asJSON, report.TokenSimulationJSON, report.TokenSimulationTable)
		if code == ExitOK && len(todo) < len(phases) {
			fmt.Fprintln(env.Stderr, "scaleplan simulate: the plan's phases that serve calls are simulated with --phase")
		}
		return code
	}
	return simulateEach(env, phases, func(i int, progress func(float64)) (simulate.Check, error) {
		return simulate.CheckPhaseStop(&r.Phases[i], *seed, progress, env.stopped)
	}, *asJSON, report.SimulationJSON, report.SimulationTable)
}

func anyTokens(r *planner.Result) bool {
	for i := range r.Phases {
		if r.Phases[i].Tokens != nil {
			return true
		}
	}
	return false
}

// simulateEach checks each phase under one progress bar, stops on Ctrl+C
// printing nothing, and prints the checks as JSON or a table each.
func simulateEach[C any](env *Env, phases []int, check func(i int, progress func(float64)) (C, error), asJSON bool, toJSON func([]C) []byte, table func(*C) string) int {
	var checks []C
	pr := newProgress(env, "simulate", "")
	for k, i := range phases {
		c, err := check(i, func(f float64) { pr.update(int(1000*(float64(k)+f)), 1000*len(phases)) })
		if errors.Is(err, simulate.ErrStopped) {
			pr.done()
			fmt.Fprintln(env.Stderr, "scaleplan simulate: stopped (Ctrl+C); nothing was printed")
			return ExitInterrupted
		}
		if err != nil {
			pr.done()
			fmt.Fprintf(env.Stderr, "scaleplan simulate: %v\n", err)
			return ExitInvalid
		}
		checks = append(checks, c)
	}
	pr.done()
	if asJSON {
		_, err := env.Stdout.Write(toJSON(checks))
		return exitFor(env, err)
	}
	for k := range checks {
		if k > 0 {
			if _, err := io.WriteString(env.Stdout, "\n"); err != nil {
				return exitFor(env, err)
			}
		}
		if _, err := io.WriteString(env.Stdout, table(&checks[k])); err != nil {
			return exitFor(env, err)
		}
	}
	return ExitOK
}
