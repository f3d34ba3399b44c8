// Package cli is scaleplan's command line: it parses arguments, loads plans
// through planner with the run's price books, and prints what report
// renders. Each command describes itself once (command.go) and lives in a
// file of its own; a figure of the model is never worked out here.
package cli

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/scaleplan/scaleplan/internal/version"
	"github.com/scaleplan/scaleplan/planner/prices"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/actuals"
	"github.com/scaleplan/scaleplan/report"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitInvalid = 1 // the plan (or its output) has a problem
	ExitUsage   = 2 // the command line is wrong
)

// Env is what a command may touch. Tests give it buffers.
type Env struct {
	Stdout, Stderr io.Writer
	// Stdin is where a plan named "-" is read from; os.Stdin when nil.
	Stdin io.Reader
	// OpenApp opens the desktop app on a plan path ("" for the default),
	// showing a scenario when o.Scenario is set, straight into the presenter
	// view when o.Rehearse is. Nil in builds without a window.
	OpenApp func(path string, o AppOptions) error
	// Export writes the workbook for a plan. Nil until the export exists.
	Export func(p planner.Plan, r *planner.Result, cat prices.Catalog, out string) error
	// ExportActuals writes the workbook with an Actuals sheet (export
	// --bill); nil in builds without it.
	ExportActuals func(p planner.Plan, r *planner.Result, cat prices.Catalog, rep *actuals.Report, out string) error
	// Fit says what the workbook must change in a plan's text (nil: nothing).
	Fit func(p planner.Plan) (planner.Plan, []string)

	// StderrTerminal says standard error is a terminal: long work shows
	// its progress there.
	StderrTerminal bool
	// Interrupted reports whether the person asked the command to stop
	// (Ctrl+C); nil for never.
	Interrupted func() bool

	rawStderr io.Writer // Stderr before Run escapes control characters in it

	// The command's price books: its --book files (nil: it takes none)
	// and the catalogue its plans resolve against (the built-in book and
	// those files), held by this run alone.
	books  *bookFiles
	prices prices.Catalog

	// jsonErrors is set once a command's flags say --json: a problem in a
	// file is then also printed as JSON on standard output (fileProblem).
	jsonErrors bool
}

// fileProblem prints, for a command run with --json, a problem in a file
// (a plan, a price book, a load test) as JSON on standard output:
// {"error": summary, "problems": [{"path", "message"}]}. The words stay on
// standard error; the exit code is the caller's, as without --json.
func (env *Env) fileProblem(summary string, err error) {
	if !env.jsonErrors {
		return
	}
	type problem struct {
		Path    string `json:"path"`
		Message string `json:"message"`
	}
	out := struct {
		Error    string    `json:"error"`
		Problems []problem `json:"problems"`
	}{Error: summary, Problems: []problem{}}
	var errs planner.Errors
	var fe *planner.FieldError
	switch {
	case errors.As(err, &errs):
		for _, e := range errs {
			out.Problems = append(out.Problems, problem{e.Path, e.Msg})
		}
	case errors.As(err, &fe):
		out.Problems = append(out.Problems, problem{fe.Path, fe.Msg})
	}
	b, _ := json.MarshalIndent(out, "", "  ") // strings only: cannot fail
	env.Stdout.Write(append(b, '\n'))
}

// AppOptions say how the desktop app opens.
type AppOptions struct {
	Rehearse bool
	Scenario string // the scenario to show; "" for the plan itself
	// Actuals are bill and usage files for the Actuals tab (actuals --open).
	Actuals []string
}

// MemoryLimit is the soft limit on a command's memory (GOMEMLIMIT, when
// set, wins): the collector works harder as a command nears it rather than
// let garbage pile up. The largest plan within the documented limits
// exports at 1.45 GB peak with it, 2.0 GB without (docs/robustness.md).
const MemoryLimit = 1400 << 20

func boundMemory() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(MemoryLimit)
	}
}

// Run executes a command line (without the program name) and returns the
// exit code.
func Run(env *Env, args []string) int {
	safe := *env
	safe.rawStderr = env.Stderr // progress lines: our own words and terminal controls only
	safe.Stdout, safe.Stderr = &safeWriter{w: env.Stdout}, &safeWriter{w: env.Stderr}
	env = &safe
	if len(args) == 0 {
		return openApp(env, "")
	}
	switch args[0] {
	case "-h", "--help", "-help", "help":
		usage(env.Stdout)
		return ExitOK
	case "--version", "-version", "version":
		fmt.Fprintln(env.Stdout, version.String())
		return ExitOK
	}
	for _, c := range commands {
		if c.name == args[0] {
			boundMemory()
			return c.run(env, args[1:])
		}
	}
	if strings.HasPrefix(args[0], "-") || len(args) > 1 {
		fmt.Fprintf(env.Stderr, "scaleplan: unknown command or flag %q\n\n", args[0])
		usage(env.Stderr)
		return ExitUsage
	}
	return openApp(env, args[0]) // scaleplan PLAN
}

func openApp(env *Env, path string) int { return openWith(env, path, AppOptions{}) }

func openWith(env *Env, path string, o AppOptions) int {
	if env.OpenApp == nil {
		fmt.Fprintln(env.Stderr, "scaleplan: this build has no desktop app; use 'scaleplan compute PLAN'")
		return ExitUsage
	}
	if err := env.OpenApp(path, o); err != nil {
		fmt.Fprintf(env.Stderr, "scaleplan: %v\n", err)
		return ExitInvalid
	}
	return ExitOK
}

// parse reads flags anywhere on the line (scaleplan compute PLAN --json as
// well as --json PLAN) and returns the positional arguments. ok is false with
// the exit code when the command should stop.
func parse(env *Env, fs *flag.FlagSet, args []string) (pos []string, code int, ok bool) {
	// Help goes to standard output once: left to the flag package it was
	// printed on standard error as well.
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "-help" || a == "--help" || a == "--h" {
			fs.SetOutput(env.Stdout)
			fs.Usage()
			return nil, ExitOK, false
		}
	}
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fs.SetOutput(env.Stdout)
				fs.Usage()
				return nil, ExitOK, false
			}
			return nil, ExitUsage, false
		}
		rest := fs.Args()
		i := 0
		// "-" is a positional argument (standard input), not a flag: the
		// flag package stops at it, and treating it as a flag spun forever.
		for i < len(rest) && (!strings.HasPrefix(rest[i], "-") || rest[i] == "-") {
			i++
		}
		pos = append(pos, rest[:i]...)
		if i == len(rest) {
			if f := fs.Lookup("json"); f != nil && f.Value.String() == "true" {
				env.jsonErrors = true
			}
			if err := loadBooks(env); err != nil {
				fmt.Fprintf(env.Stderr, "scaleplan %s: %v\n", fs.Name(), err)
				env.fileProblem(err.Error(), err)
				return nil, ExitInvalid, false
			}
			return pos, 0, true
		}
		args = rest[i:]
	}
}

// onePlan expects exactly one positional argument.
func onePlan(env *Env, fs *flag.FlagSet, pos []string) (string, bool) {
	if len(pos) != 1 {
		fmt.Fprintf(env.Stderr, "scaleplan %s: expected one plan file, got %d arguments\n\n", fs.Name(), len(pos))
		fs.Usage()
		return "", false
	}
	return pos[0], true
}

// ExportNotes is what the workbook had to change in p's text.
func (env *Env) ExportNotes(p planner.Plan) []string {
	if env.Fit == nil {
		return nil
	}
	_, notes := env.Fit(p)
	return notes
}

func (env *Env) stdin() io.Reader {
	if env.Stdin != nil {
		return env.Stdin
	}
	return os.Stdin
}

// load reads a plan, printing every problem with its path when it is not
// valid.
func load(env *Env, path string) (planner.Plan, bool) {
	p, ok := loadAsSaved(env, path)
	if !ok {
		return p, false
	}
	if path == "-" {
		path = "standard input"
	}
	return reprice(env, path, p), true
}

// loadAsSaved loads a plan as its file has it, without repricing: for a
// command that writes the plan back.
func loadAsSaved(env *Env, path string) (planner.Plan, bool) {
	var p planner.Plan
	var err error
	if path == "-" {
		p, err = planner.ReadIn(env.stdin(), env.prices)
		path = "standard input"
	} else {
		p, err = planner.LoadIn(path, env.prices)
	}
	if err == nil {
		return p, true
	}
	var errs planner.Errors
	switch {
	case errors.As(err, &errs):
		noun := "problem"
		if len(errs) > 1 {
			noun = "problems"
		}
		summary := fmt.Sprintf("%s is not a valid plan (%d %s)", path, len(errs), noun)
		fmt.Fprintf(env.Stderr, "%s:\n", summary)
		for _, e := range errs {
			fmt.Fprintf(env.Stderr, "  %s\n", e.Error())
		}
		env.fileProblem(summary, err)
	case errors.Is(err, os.ErrNotExist):
		fmt.Fprintf(env.Stderr, "%s: no such file\n", path)
		env.fileProblem(path+": no such file", err)
	default:
		fmt.Fprintf(env.Stderr, "%s: %v\n", path, err)
		env.fileProblem(fmt.Sprintf("%s: %v", path, err), err)
	}
	return planner.Plan{}, false
}

// reprice says which of the plan's cited prices the price books now give
// differently, old → new with their dates, and computes with the books'
// (a reference the books cannot resolve keeps the plan's price, and says
// so): nothing is recomputed silently.
func reprice(env *Env, path string, p planner.Plan) planner.Plan {
	changes := env.prices.Changes(&p)
	if len(changes) == 0 {
		return p
	}
	var moved, lost []prices.PriceChange
	for _, c := range changes {
		if c.Error != "" {
			lost = append(lost, c)
		} else {
			moved = append(moved, c)
		}
	}
	if len(moved) > 0 {
		fmt.Fprintf(env.Stderr, "%s: the price book differs from the prices the plan was saved with; computing with the book's:\n", path)
		for _, c := range moved {
			fmt.Fprintf(env.Stderr, "  %s\n", report.PriceChangeWords(&c, p.Currency))
		}
	}
	if len(lost) > 0 {
		fmt.Fprintf(env.Stderr, "%s: no price book gives %s the plan cites; computing with the price the plan was saved with:\n", path,
			map[bool]string{true: "a price", false: "prices"}[len(lost) == 1])
		for _, c := range lost {
			fmt.Fprintf(env.Stderr, "  %s\n", report.PriceChangeWords(&c, p.Currency))
		}
	}
	if len(moved) == 0 {
		return p
	}
	q, err := env.prices.Reprice(p)
	if err != nil {
		fmt.Fprintf(env.Stderr, "  (not repriced: %v)\n", err)
		return p
	}
	return q
}

// planArg parses a command's flags and its one plan argument and loads the
// plan. ok is false with the exit code when the command should stop.
func planArg(env *Env, fs *flag.FlagSet, args []string) (path string, p planner.Plan, code int, ok bool) {
	scenario := fs.String("scenario", "", "run the plan as the named scenario has it (its overrides on the plan)")
	pos, code, ok := parse(env, fs, args)
	if !ok {
		return "", p, code, false
	}
	if path, ok = onePlan(env, fs, pos); !ok {
		return "", p, ExitUsage, false
	}
	if p, ok = load(env, path); !ok {
		return "", p, ExitInvalid, false
	}
	if *scenario != "" {
		q, err := p.Scenario(*scenario)
		if err != nil {
			fmt.Fprintf(env.Stderr, "scaleplan %s: %v\n", fs.Name(), err)
			return "", p, ExitUsage, false
		}
		q.Name += " — scenario " + *scenario
		p = q
	}
	return path, p, ExitOK, true
}

// sameFile reports whether a and b name one file (through links and
// relative paths too).
func sameFile(a, b string) bool {
	sa, errA := os.Stat(a)
	sb, errB := os.Stat(b)
	if errA == nil && errB == nil {
		return os.SameFile(sa, sb)
	}
	aa, errA := filepath.Abs(a)
	bb, errB := filepath.Abs(b)
	return errA == nil && errB == nil && aa == bb
}

func exitFor(env *Env, err error) int {
	if err != nil {
		fmt.Fprintf(env.Stderr, "scaleplan: %v\n", err)
		return ExitInvalid
	}
	return ExitOK
}
