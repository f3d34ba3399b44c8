package cli

import (
	"fmt"
	"strings"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/actuals"
)

func runExport(env *Env, args []string) int {
	fs := newFlags(env, "export")
	out := fs.String("o", "", "the workbook to write (default: the plan's name with .xlsx)")
	var bills, usages failOns
	fs.Var(&bills, "bill", "add an Actuals sheet: the plan against this FOCUS bill (as `scaleplan actuals` reads it); repeatable")
	fs.Var(&usages, "usage", "with --bill: a usage file, as `scaleplan actuals` reads it; repeatable")
	path, p, code, ok := planArg(env, fs, args)
	if !ok {
		return code
	}
	var rep *actuals.Report
	if len(usages) > 0 && len(bills) == 0 {
		fmt.Fprintln(env.Stderr, "scaleplan export: --usage goes with --bill")
		return ExitUsage
	}
	if len(bills) > 0 {
		var err error
		if rep, err = readActuals(&p, bills, usages); err != nil {
			fmt.Fprintf(env.Stderr, "scaleplan export: %v\n", err)
			return ExitUsage
		}
		if env.ExportActuals == nil {
			fmt.Fprintln(env.Stderr, "scaleplan export: this build cannot write an Actuals sheet")
			return ExitUsage
		}
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
	var err error
	if rep != nil {
		err = env.ExportActuals(p, &r, env.prices, rep, target)
	} else {
		err = env.Export(p, &r, env.prices, target)
	}
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

// readActuals holds plan p against the bills and usage files named.
func readActuals(p *planner.Plan, bills, usages []string) (*actuals.Report, error) {
	read, err := actuals.ReadBills(bills)
	if err != nil {
		return nil, err
	}
	var u actuals.Usage
	for _, arg := range usages {
		if err := u.ReadUsage(arg); err != nil {
			return nil, err
		}
	}
	r := planner.Compute(*p)
	return actuals.Against(p, &r, read, u, actuals.Options{})
}
