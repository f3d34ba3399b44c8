package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/scaleplan/scaleplan/format"
)

// A command describes itself once: its name, its arguments, a line for
// the top-level help and more for its own; its flags are the flag set its
// run declares. Both helps are made from these, so adding a command is a
// file with its run function and one entry in commands.
type command struct {
	name    string
	args    string // what follows the name, flags included: "[--json] PLAN"
	summary string // one line, for 'scaleplan --help'
	about   string // for 'scaleplan NAME --help' ("": the summary)
	run     func(env *Env, args []string) int
}

// commands are scaleplan's subcommands, in the order the help lists them;
// pricesCommands are 'scaleplan prices' subcommands.
var commands, pricesCommands []command

func init() {
	commands = []command{
		{name: "validate", args: "PLAN", summary: "check a plan file and list every problem",
			about: "check a plan file and list every problem with its JSON path; exit 0 when valid, 1 when not",
			run:   runValidate},
		{name: "compute", args: "[--json] PLAN", summary: "print the cost and capacity model of a plan",
			about: "print the cost and capacity model of a plan: phases as columns, the model's lines as rows",
			run:   runCompute},
		{name: "explain", args: "[--json] PLAN", summary: "say how each phase is sized, step by step, with the engine's numbers",
			about: "say how each phase is sized: the rough estimate, the back-of-the-envelope node count, the queueing refinement against the p99 target, and the cost",
			run:   runExplain},
		{name: "curve", args: "PLAN --phase N [--json]", summary: "sweep a phase's volume to 2× and print cost per call at each (CSV)",
			about: "sweep a phase's calls per day from near zero to twice its volume, the fleet sized at each, and print daily cost, cost per call, nodes and p99 (CSV; --json for JSON)",
			run:   runCurve},
		{name: "sensitivity", args: "PLAN [--phase N] [--json]", summary: "rank inputs by how far ±20 % moves cost per call (a tornado)",
			about: "move each input of a phase 20 % down and up and rank the inputs by how far cost per call moves, largest first, with p99 beside",
			run:   runSensitivity},
		{name: "simulate", args: "PLAN [--phase N] [--seed S] [--json]", summary: "simulate each phase's day call by call and set p50/p99 beside the latency model's",
			about: "simulate each phase's typical day call by call (Poisson arrivals, the hour's pool, FCFS, the same service time) and print p50 and p99 per hour beside the latency model's, with 95 % intervals and the model's error",
			run:   runSimulate},
		{name: "diff", args: "A.json B.json | PLAN --scenario X [--against Y] [--json|--markdown] [--fail-on EXPR]…", summary: "compare two plans line by line: A, B, Δ and Δ %, changed inputs, flipped checks",
			about: "compare two plans: every model line per phase and in the totals as A, B, Δ and Δ %, the inputs that differ, sizing changes, checks that flipped and the break-even shift",
			run:   runDiff},
		{name: "actuals", args: "PLAN --bill FILE… [--usage [FIGURE=]FILE]… [--billed] [--json|--markdown] [--fail-on EXPR]… [--write-scenario NAME] [--open]", summary: "hold a plan against its FOCUS bill and usage: planned, actual, Δ and Δ % by phase and line",
			about: "read the bill (FOCUS CSV) and usage (a CSV of days, or Prometheus range queries) and set them against the plan over the days they cover, phase by phase and cost line by cost line: planned, actual, Δ and Δ %, the phase's end at the run-rate, the break-even day as planned and as now projected, and the spend no line holds (docs/actuals.md)",
			run:   runActuals},
		{name: "commit", args: "PLAN (--rate R | --option NAME) [--term MONTHS] [--after-plan extend|stranded] [--book FILE…] [--json]", summary: "find how many nodes to commit to for a term, on the plan's hourly fleet",
			about: "find the number of nodes to commit to for a term that starts on the plan's first day, on the plan's hourly fleet: the load-duration curve against the committed rate",
			run:   runCommit},
		{name: "gpus", args: "[--json]", summary: "the GPU table: memory, bandwidth, dense TFLOPS and interconnect, each with its source and date",
			run: runGPUs},
		{name: "estimate", args: "PLAN [--phase N] [--variant NAME] [--offer INSTANCE | --gpu NAME] [--input-tokens N] [--output-tokens N] [--prefill-efficiency E] [--decode-efficiency E] [--tp-efficiency E] [--calibrate FILE…] [--json] [--write]", summary: "estimate a model's serving inputs on a GPU before any load test, as ranges",
			about: "estimate a phase's serving inputs from its variant's architecture and a GPU — the prefill rate and decode step for a plan that serves tokens, service_ms and node_rps otherwise — by a roofline with efficiencies fitted to published runs, each with its ±25 % band and the physical limits; --write sets them into the plan as ranges (docs/estimate.md)",
			run:   runEstimate},
		{name: "cheapest", args: "PLAN [--phase N] [--scenario NAME] [--spot] [--book FILE…] [--json]", summary: "rank every price-book offer, option and tensor-parallel width by what a phase costs on it",
			about: "for each phase, every offer of the price books at each price option (on demand, each commitment; spot with --spot) and each tensor-parallel width its GPUs allow: the phase's variant estimated on that GPU (docs/estimate.md), sized hour by hour, and priced; cheapest first, with the cost at the estimate's band ends",
			run:   runCheapest},
		{name: "prices", args: "list|show INSTANCE|check [--max-age 180d]", summary: "the price books: GPU node offers with each price's date and source", run: runPrices},
		{name: "risk", args: "PLAN [--draws N] [--seed S] [--budget X] [--by DATE] [--json]", summary: "draw the plan's ranges: the spread of its figures and the odds of missing its targets",
			about: "draw the plan's uncertain inputs (ranges) many times and report the spread of cost, cost per call, nodes, p99 and break-even, the odds of missing a target, and what drives cost",
			run:   runRisk},
		{name: "import-bench", args: "FILE… [--nodes-in-test N] [--plan PLAN | --write PLAN] [--variant NAME | --phase N] [--json]", summary: "read load-test results (GuideLLM, AIPerf, GenAI-Perf, LLMPerf): node inputs, goodput and the latency model's fit",
			about: "read load-test results — GuideLLM benchmarks.json, AIPerf profile_export_aiperf.json, GenAI-Perf profile_export_genai_perf.json, LLMPerf *_summary.json — " +
				"into node_rps, slots, service_ms and service_cv (for a plan that serves tokens, the decode step and prefill rate the runs fix), with the goodput under the plan's p99 target and the latency model's p99 beside the measured one at every rate",
			run: runImportBench},
		{name: "report", args: "PLAN [-o FILE.html] [--scenario NAME] [--draws N] [--seed S]", summary: "write the plan as one self-contained HTML page for reviewers",
			about: "write the plan as one HTML file that opens in any browser with no network: the summary, roadmap, costs by line and phase, hourly latency against its target, scenarios side by side, the risk fan and odds, commitments and explain's words; light and dark, printable",
			run:   runReport},
		{name: "schema", args: "", summary: "print the plan files' JSON Schema, for editors and CI (docs/plan-format.md)",
			about: "print the JSON Schema (2020-12) of plan files, made from the same field catalogues the reader uses: name it as a plan's \"$schema\" and editors complete and check keys",
			run:   runSchema},
		{name: "export", args: "PLAN [-o FILE.xlsx] [--bill FILE… [--usage FILE…]]", summary: "write the cost model as a live Excel workbook",
			about: "write the plan's cost model as an Excel workbook whose cells are live formulas",
			run:   runExport},
		{name: "rehearse", args: "PLAN", summary: "open the app in the presenter view to rehearse presenting the plan",
			about: "open the desktop app straight into the presenter view: step through the plan with talk tracks, a timer and a quiz",
			run:   runRehearse},
	}
	pricesCommands = []command{
		{name: "prices list", args: "[--gpu MODEL] [--provider P] [--book FILE…] [--json]", summary: "list the GPU node offers of the price books, cheapest GPU-hour first", run: pricesList},
		{name: "prices show", args: "INSTANCE [--region R] [--provider P] [--book FILE…]", summary: "show every price of one offer, with its date and source", run: pricesShow},
		{name: "prices check", args: "[--max-age 180d] [--today DATE] [--book FILE…] [PLAN…]", summary: "list the book prices older than the limit, and the plans' cited prices the books cannot resolve or that are older than the limit; exit 1 if any, 0 if none", run: pricesCheck},
	}
}

// lookup finds a command, a prices subcommand among them, by name.
func lookup(name string) (command, bool) {
	for _, list := range [][]command{commands, pricesCommands} {
		for _, c := range list {
			if c.name == name {
				return c, true
			}
		}
	}
	return command{}, false
}

// usage is 'scaleplan --help': a line a command, from commands.
func usage(w io.Writer) {
	fmt.Fprintln(w, "scaleplan plans how an AI inference service scales and what it costs.")
	fmt.Fprintln(w, "\nUsage:")
	line := func(synopsis, summary string) { fmt.Fprintf(w, "  scaleplan %s\n      %s\n", synopsis, summary) }
	line("[PLAN]", "open the desktop app (on PLAN, if given)")
	line("--version", "which scaleplan this is, and the plan formats it reads")
	for _, c := range commands {
		line(strings.TrimSpace(c.name+" "+c.args), c.summary)
	}
	fmt.Fprintln(w, "\nRun 'scaleplan COMMAND --help' for a command's options. The plan format is in docs/plan-format.md.")
}

// newFlags makes the flag set of the named command, which prints its own
// help from the command's entry and the flags its run declares.
func newFlags(env *Env, name string) *flag.FlagSet {
	c, ok := lookup(name)
	if !ok {
		panic("cli: no command " + name) // a test runs every command's help
	}
	about := c.about
	if about == "" {
		about = c.summary
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: %s\n\n%s.\n", strings.TrimSpace("scaleplan "+name+" "+c.args), format.Capitalize(about))
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprintln(fs.Output(), "\nOptions:")
			fs.PrintDefaults()
		}
	}
	return fs
}

// pricesUsage is 'scaleplan prices --help', from pricesCommands.
func pricesUsage(w io.Writer) {
	var lines []string
	for i, c := range pricesCommands {
		lead := "       "
		if i == 0 {
			lead = "usage: "
		}
		lines = append(lines, lead+strings.TrimSpace("scaleplan "+c.name+" "+c.args))
	}
	fmt.Fprintln(w, strings.Join(lines, "\n")+"\n\nThe price books: GPU node offers, every price with the date it was read and its source (docs/prices.md).")
}
