package cli

import (
	"fmt"
	"strings"

	"github.com/scaleplan/scaleplan/planner"
)

func runExport(env *Env, args []string) int {
	fs := newFlags(env, "export")
	out := fs.String("o", "", "the workbook to write (default: the plan's name with .xlsx)")
	path, p, code, ok := planArg(env, fs, args)
	if !ok {
		return code
	}
	target := *out
	if target == "" {
		target = strings.TrimSuffix(path, ".json") + ".xlsx"
	}
	if sameFile(path, target) {
		fmt.Fprintf(env.Stderr, "scaleplan export: %s is the plan itself; give the workbook another name with -o\n", target)
		return ExitUsage
	}
	if env.Export == nil {
		fmt.Fprintln(env.Stderr, "scaleplan export: this build cannot write workbooks")
		return ExitUsage
	}
	// A workbook of a long plan takes a while: on a terminal, the time so
	// far is shown. Ctrl+C keeps its usual meaning here: the workbook is
	// written atomically, so an interrupted export leaves the old file, or
	// none, never half a workbook.
	ticker := newElapsed(env, "export", "computing and writing "+target)
	r := planner.Compute(p)
	err := env.Export(p, &r, env.prices, target)
	ticker.stop()
	if err != nil {
		fmt.Fprintf(env.Stderr, "scaleplan export: %v\n", err)
		return ExitInvalid
	}
	fmt.Fprintf(env.Stdout, "wrote %s\n", target)
	for _, n := range env.ExportNotes(p) {
		fmt.Fprintf(env.Stdout, "note: %s\n", n)
	}
	return ExitOK
}
