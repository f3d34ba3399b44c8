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
	if r.Phases[phases[0]].Tokens != nil || (*phase == "" && anyTokens(&r)) {
		return simulateTokens(env, &r, phases, *phase != "", *seed, *asJSON)
	}
	var checks []simulate.Check
	pr := newProgress(env, "simulate", "")
	for k, i := range phases {
		c, err := simulate.CheckPhaseStop(&r.Phases[i], *seed, func(f float64) {
			pr.update(int(1000*(float64(k)+f)), 1000*len(phases))
		}, env.stopped)
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
	if *asJSON {
		_, err := env.Stdout.Write(report.SimulationJSON(checks))
		return exitFor(env, err)
	}
	for k := range checks {
		if k > 0 {
			if _, err := io.WriteString(env.Stdout, "\n"); err != nil {
				return exitFor(env, err)
			}
		}
		if _, err := io.WriteString(env.Stdout, report.SimulationTable(&checks[k])); err != nil {
			return exitFor(env, err)
		}
	}
	return ExitOK
}

func anyTokens(r *planner.Result) bool {
	for i := range r.Phases {
		if r.Phases[i].Tokens != nil {
			return true
		}
	}
	return false
}

// simulateTokens serves each token-mode phase's day token by token (the
// issue's serving rules) beside the model's TTFT and TPOT; a plan's call
// phases are simulated by simulate on its own (--phase).
func simulateTokens(env *Env, r *planner.Result, phases []int, one bool, seed uint64, asJSON bool) int {
	var todo []int
	for _, i := range phases {
		if r.Phases[i].Tokens != nil {
			todo = append(todo, i)
		}
	}
	var checks []simulate.TokenCheck
	pr := newProgress(env, "simulate", "")
	for k, i := range todo {
		c, err := simulate.CheckTokens(&r.Phases[i], seed, func(f float64) {
			pr.update(int(1000*(float64(k)+f)), 1000*len(todo))
		}, env.stopped)
		if errors.Is(err, simulate.ErrStopped) {
			pr.done()
			fmt.Fprintln(env.Stderr, "scaleplan simulate: stopped (Ctrl+C); nothing was printed")
			return ExitInterrupted
		}
		checks = append(checks, c)
	}
	pr.done()
	if asJSON {
		_, err := env.Stdout.Write(report.TokenSimulationJSON(checks, seed))
		return exitFor(env, err)
	}
	for k := range checks {
		if k > 0 {
			if _, err := io.WriteString(env.Stdout, "\n"); err != nil {
				return exitFor(env, err)
			}
		}
		if _, err := io.WriteString(env.Stdout, report.TokenSimulationTable(&checks[k], seed)); err != nil {
			return exitFor(env, err)
		}
	}
	if !one && len(todo) < len(phases) {
		fmt.Fprintln(env.Stderr, "scaleplan simulate: the plan's phases that serve calls are simulated with --phase")
	}
	return ExitOK
}
