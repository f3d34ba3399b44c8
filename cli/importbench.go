package cli

import (
	"errors"
	"fmt"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/loadtest"
	"github.com/scaleplan/scaleplan/report"
)

// runImportBench reads load-test files into a node's inputs, calibrates
// the latency model against them and, with --write, sets the inputs in a
// plan with their provenance (docs/measured.md).
func runImportBench(env *Env, args []string) int {
	fs := newFlags(env, "import-bench")
	nodes := fs.Int64("nodes-in-test", 1, "nodes behind the endpoint the test loaded")
	planPath := fs.String("plan", "", "a plan to calibrate against (its fixed latency and p99 target), left unchanged")
	write := fs.String("write", "", "a plan to calibrate against and set the inputs in, with a provenance note")
	variant := fs.String("variant", "", "set the inputs of this model variant")
	phase := fs.String("phase", "", "set the inputs as this phase's overrides: its number from 1, or its name")
	asJSON := fs.Bool("json", false, "print JSON")
	pool := fs.Bool("pool", false, "with --write, pool files that name different models, endpoints or token lengths as one node's runs")
	includeFailed := fs.Bool("include-failed", false, "fit runs with more than 1 % of their requests errored or cancelled, which are otherwise left out")
	files, code, ok := parse(env, fs, args)
	if !ok {
		return code
	}
	fail := func(msg string, a ...any) int {
		fmt.Fprintf(env.Stderr, "scaleplan import-bench: "+msg+"\n", a...)
		return ExitUsage
	}
	switch {
	case len(files) == 0:
		return fail("give one or more load-test files")
	case *planPath != "" && *write != "":
		return fail("give --plan or --write, not both")
	case *variant != "" && *phase != "":
		return fail("give --variant or --phase, not both")
	case *nodes < 1 || *nodes > planner.MaxNodes:
		return fail("--nodes-in-test must be a whole number from 1 to %d, got %d", planner.MaxNodes, *nodes)
	}
	var read []loadtest.File
	for _, name := range files {
		f, err := loadtest.Load(name)
		if err != nil {
			fmt.Fprintf(env.Stderr, "scaleplan import-bench: %v\n", err)
			env.fileProblem(err.Error(), err)
			return ExitInvalid
		}
		read = append(read, f)
	}
	o := loadtest.Options{NodesInTest: *nodes, Target: loadtest.Target{Variant: *variant, Phase: -1}, IncludeFailed: *includeFailed}
	var p planner.Plan
	target := *planPath
	if *write != "" {
		target = *write
	}
	if target != "" {
		if target == "-" && *write != "" {
			return fail("--write needs a plan file, not standard input")
		}
		if p, ok = loadAsSaved(env, target); !ok {
			return ExitInvalid
		}
		o.Plan = &p
		if *phase != "" {
			i, ok := phaseArg(env, "import-bench", p, *phase)
			if !ok {
				return ExitUsage
			}
			o.Target.Phase = i
		}
	} else if *variant != "" || *phase != "" {
		return fail("--variant and --phase need a plan: give --plan or --write")
	}
	b, err := loadtest.Import(read, o)
	if errors.Is(err, loadtest.ErrEveryRunFailed) {
		env.fileProblem(err.Error(), err)
		fmt.Fprintf(env.Stderr, "scaleplan import-bench: %v (--include-failed)\n", err)
		return ExitInvalid
	}
	if err != nil {
		return fail("%v", err)
	}
	if *asJSON {
		_, err = env.Stdout.Write(report.BenchJSON(&b))
	} else {
		err = report.WriteBench(env.Stdout, &b)
	}
	if err != nil {
		return exitFor(env, err)
	}
	if *write == "" {
		return ExitOK
	}
	if b.PoolProblem != "" && !*pool {
		fmt.Fprintf(env.Stderr, "scaleplan import-bench: %s was not changed: %s; give --pool to write them as one node's runs anyway\n", *write, b.PoolProblem)
		return ExitInvalid
	}
	q, err := loadtest.Apply(p, &b, o.Target, planner.Today())
	if err != nil {
		fmt.Fprintf(env.Stderr, "scaleplan import-bench: %s was not changed: %v\n", *write, err)
		return ExitInvalid
	}
	if err := planner.Save(*write, q); err != nil {
		fmt.Fprintf(env.Stderr, "scaleplan import-bench: %s was not changed: %v\n", *write, err)
		return ExitInvalid
	}
	var keys []string
	for _, kv := range b.Inputs() {
		keys = append(keys, kv[0])
	}
	fmt.Fprintf(env.Stderr, "wrote %s of %s to %s, with their provenance in the plan's notes\n", format.List(keys), b.Target, *write)
	return ExitOK
}
