package cli

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
	"github.com/scaleplan/scaleplan/report/page"
)

// runReport writes the plan as one self-contained HTML page.
func runReport(env *Env, args []string) int {
	fs := newFlags(env, "report")
	out := fs.String("o", "", "the page to write (default: the plan's name with .html)")
	draws := fs.Int("draws", page.Defaults.RiskDraws, "draws of the risk section, for a plan with ranges")
	seed := fs.Uint64("seed", page.Defaults.RiskSeed, "the risk draws' seed")
	path, p, code, ok := planArg(env, fs, args)
	if !ok {
		return code
	}
	target := *out
	if target == "" {
		target = strings.TrimSuffix(path, ".json") + ".html"
		if path == "-" {
			fmt.Fprintln(env.Stderr, "scaleplan report: reading standard input, give the page's name with -o")
			return ExitUsage
		}
	}
	if sameFile(path, target) {
		fmt.Fprintf(env.Stderr, "scaleplan report: %s is the plan itself; give the page another name with -o\n", target)
		return ExitUsage
	}
	r := planner.Compute(p)
	var b bytes.Buffer
	if err := page.Write(&b, p, &r, page.Options{RiskDraws: *draws, RiskSeed: *seed}); err != nil {
		fmt.Fprintf(env.Stderr, "scaleplan report: %v\n", err)
		return ExitInvalid
	}
	if err := jsonfile.WriteFileAtomic(target, b.Bytes()); err != nil {
		fmt.Fprintf(env.Stderr, "scaleplan report: %v\n", err)
		return ExitInvalid
	}
	fmt.Fprintf(env.Stdout, "wrote %s\n", target)
	return ExitOK
}
