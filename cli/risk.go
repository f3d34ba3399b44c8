package cli

import (
	"errors"
	"fmt"
	"runtime/debug"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
	"github.com/scaleplan/scaleplan/planner/risk"
	"github.com/scaleplan/scaleplan/report"
)

// runRisk draws plans from the plan's ranges and says how sure its figures
// are (docs/risk.md).
func runRisk(env *Env, args []string) int {
	fs := newFlags(env, "risk")
	draws := fs.Int("draws", risk.DefaultDraws, "how many plans to draw")
	seed := fs.Uint64("seed", risk.DefaultSeed, "the random seed: the same seed and draws give the same output")
	budget := fs.String("budget", "", "a budget for the plan's total cost: report the odds of exceeding it")
	by := fs.String("by", "", "a date, YYYY-MM-DD: report the odds that break-even comes after it")
	asJSON := fs.Bool("json", false, "print JSON")
	_, p, code, ok := planArg(env, fs, args)
	if !ok {
		return code
	}
	// The draws allocate many small, short-lived decimals, and collecting
	// at the default pace costs a tenth of a run: the command collects less
	// often (GOGC 400, under the soft memory limit) while it draws. The
	// library leaves the process's collector alone.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	opts := risk.Options{Draws: *draws, Seed: *seed}
	if *draws < 2 || *draws > risk.MaxDraws {
		fmt.Fprintf(env.Stderr, "scaleplan risk: --draws must be from 2 to %d, got %d\n", risk.MaxDraws, *draws)
		return ExitUsage
	}
	if *budget != "" {
		b, ok := jsonfile.ParseAmount(*budget, false)
		if !ok || b.Sign() < 0 {
			fmt.Fprintf(env.Stderr, "scaleplan risk: --budget must be an amount of money such as 2500000 or $2.5M, got %q\n", *budget)
			return ExitUsage
		}
		opts.Budget = planner.Some(b)
	}
	if *by != "" {
		d, err := planner.ParseDate(*by)
		if err != nil {
			fmt.Fprintf(env.Stderr, "scaleplan risk: --by must be a date written YYYY-MM-DD, got %q\n", *by)
			return ExitUsage
		}
		opts.By = planner.Some(d)
	}
	scenario := fs.Lookup("scenario").Value.String()
	pr := newProgress(env, "risk", "draws")
	opts.Progress, opts.Stop = pr.update, env.stopped
	r, err := risk.Run(p, scenario, opts)
	pr.done()
	if errors.Is(err, risk.ErrStopped) {
		fmt.Fprintln(env.Stderr, "scaleplan risk: stopped (Ctrl+C); nothing was printed")
		return ExitInterrupted
	}
	if errors.Is(err, risk.ErrTooLong) {
		fmt.Fprintf(env.Stderr, "scaleplan risk: %v\n", err)
		return ExitInvalid
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "scaleplan risk: %v\n", err)
		return ExitUsage
	}
	if *asJSON {
		return exitFor(env, report.WriteRiskJSON(env.Stdout, p.Name, &r))
	}
	return exitFor(env, report.WriteRiskTable(env.Stdout, p.Name, p.Currency, &r))
}
