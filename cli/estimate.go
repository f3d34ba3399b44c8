package cli

import (
	"errors"
	"fmt"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/estimate"
	"github.com/scaleplan/scaleplan/planner/gpus"
	"github.com/scaleplan/scaleplan/planner/loadtest"
	"github.com/scaleplan/scaleplan/planner/prices"
	"github.com/scaleplan/scaleplan/report"
)

// runGPUs prints the GPU table with each figure's source and date.
func runGPUs(env *Env, args []string) int {
	fs := newFlags(env, "gpus")
	asJSON := fs.Bool("json", false, "print JSON: each cell with its source and date")
	pos, code, ok := parse(env, fs, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(env.Stderr, "scaleplan gpus: takes no arguments, got %q\n", pos[0])
		return ExitUsage
	}
	if *asJSON {
		_, err := env.Stdout.Write(report.GPUsJSON())
		return exitFor(env, err)
	}
	return exitFor(env, report.WriteGPUs(env.Stdout))
}

// runEstimate estimates a phase's serving inputs from its variant's
// architecture and a GPU (docs/estimate.md), and with --write sets them
// into the plan as ranges.
func runEstimate(env *Env, args []string) int {
	fs := newFlags(env, "estimate")
	phase := fs.String("phase", "1", "the phase whose inputs (tokens, tensor parallelism, serving mode) are read: its number from 1, or its name")
	variant := fs.String("variant", "", "the variant whose architecture is the model (default: the phase's)")
	offer := fs.String("offer", "", "a price-book instance whose GPUs the node has (default: the offer the plan cites)")
	gpuName := fs.String("gpu", "", "a GPU of the table (scaleplan gpus), instead of an offer")
	gpusPerNode := fs.Int("gpus-per-node", 0, "GPUs a node has with --gpu (default: the plan's gpus_per_node, or 1)")
	in := fs.Int("input-tokens", 0, "input tokens a call, where the plan gives none")
	out := fs.Int("output-tokens", 0, "output tokens a call, where the plan gives none")
	asJSON := fs.Bool("json", false, "print JSON")
	write := fs.Bool("write", false, "set the estimated inputs into the plan file as ranges, with their provenance in its notes")
	effPrefill := fs.Float64("prefill-efficiency", 0, "the share of dense FLOPS prefill reaches (default: the fitted 0.65)")
	effDecode := fs.Float64("decode-efficiency", 0, "the share of memory bandwidth a decode step reaches (default: the fitted 0.9)")
	effTP := fs.Float64("tp-efficiency", 0, "the share kept across GPUs under tensor parallelism (default: the fitted 0.8)")
	var calibrate bookFiles
	fs.Var(&calibrate, "calibrate", "a load test of the same model on the same GPU (as import-bench reads; repeatable): fit the efficiencies to it and narrow the band to the error left")
	bookFlag(env, fs)
	pos, code, ok := parse(env, fs, args)
	if !ok {
		return code
	}
	path, ok := onePlan(env, fs, pos)
	if !ok {
		return ExitUsage
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(env.Stderr, "scaleplan estimate: "+format+"\n", a...)
		return ExitUsage
	}
	// A plan written back is read as saved: the book's newer prices are for
	// computing, and --write must not slip them into the file.
	read := load
	if *write {
		if path == "-" {
			return fail("--write needs a plan file, not standard input")
		}
		read = loadAsSaved
	}
	p, ok := read(env, path)
	if !ok {
		return ExitInvalid
	}
	i, ok := phaseArg(env, "estimate", p, *phase)
	if !ok {
		return ExitUsage
	}
	var g gpus.GPU
	count := *gpusPerNode
	switch {
	case *gpuName != "" && *offer != "":
		return fail("give --gpu or --offer, not both")
	case *gpuName != "":
		if g, ok = gpus.Lookup(*gpuName); !ok {
			return fail("%s", gpus.Unknown(*gpuName))
		}
	default:
		o, err := pickOffer(env, &p, *offer)
		if err != nil {
			return fail("%v", err)
		}
		g, _ = gpus.Lookup(o.GPUs.Model) // books name only GPUs of the table
		count = int(o.GPUs.Count)
	}
	e, given := estimate.Defaults, false
	for _, o := range []struct {
		v *float64
		f *float64
	}{{effPrefill, &e.Prefill}, {effDecode, &e.Decode}, {effTP, &e.TP}} {
		if *o.v != 0 {
			*o.f, given = *o.v, true
		}
	}
	f, err := estimate.FromPlanWith(&p, i, *variant, g, count, float64(*in), float64(*out), e, estimate.Band)
	f.Given = given
	if err != nil {
		fmt.Fprintf(env.Stderr, "scaleplan estimate: %v%s\n", err, tokensHint(err))
		return ExitInvalid
	}
	if len(calibrate) > 0 {
		var read []loadtest.File
		for _, name := range calibrate {
			lf, err := loadtest.Load(name)
			if err != nil {
				fmt.Fprintf(env.Stderr, "scaleplan estimate: %v\n", err)
				env.fileProblem(err.Error(), err)
				return ExitInvalid
			}
			read = append(read, lf)
		}
		b, err := loadtest.Import(read, loadtest.Options{Plan: &p, Target: loadtest.Target{Phase: i}})
		if err == nil {
			f, err = estimate.Calibrate(&p, f, estimate.Measured(b.Inputs()), b.Provenance(planner.Today()))
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "scaleplan estimate: calibrating: %v\n", err)
			return ExitInvalid
		}
	}
	if *asJSON {
		_, err = env.Stdout.Write(report.EstimateJSON(&f))
	} else {
		err = report.WriteEstimate(env.Stdout, &f)
	}
	if err != nil {
		return exitFor(env, err)
	}
	if !*write {
		return ExitOK
	}
	q, err := f.Write(p, planner.Today())
	if err == nil {
		err = planner.Save(path, q)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "scaleplan estimate: %s was not changed: %v\n", path, err)
		return ExitInvalid
	}
	fmt.Fprintf(env.Stderr, "wrote the estimate's ranges to %s, with their provenance in the plan's notes\n", path)
	return ExitOK
}

// pickOffer is the offer named, or the one the plan cites.
func pickOffer(env *Env, p *planner.Plan, instance string) (*prices.Offer, error) {
	if instance == "" {
		o, _, err := env.prices.CitedOffer(p)
		if err != nil || o == nil {
			return nil, fmt.Errorf("the plan cites no price-book offer: give --offer INSTANCE or --gpu NAME")
		}
		return o, nil
	}
	for _, b := range env.prices.Books() {
		if o, err := b.Find(instance, "", ""); err == nil {
			return o, nil
		}
	}
	return nil, fmt.Errorf("no price book offers %q; `scaleplan prices list` shows the offers", instance)
}

// tokensHint says how to give the tokens a plan lacks.
func tokensHint(err error) string {
	if errors.Is(err, estimate.ErrNoInputTokens) {
		return ": give --input-tokens (and --output-tokens)"
	}
	return ""
}
