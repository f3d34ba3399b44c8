package cli

import (
	"fmt"

	"github.com/scaleplan/scaleplan/planner/schema"
)

// runSchema prints the plan files' JSON Schema (docs/plan-format.md).
func runSchema(env *Env, args []string) int {
	fs := newFlags(env, "schema")
	pos, code, ok := parse(env, fs, args)
	if !ok {
		return code
	}
	if len(pos) > 0 {
		fmt.Fprintf(env.Stderr, "scaleplan schema: takes no arguments, got %d\n", len(pos))
		return ExitUsage
	}
	_, err := env.Stdout.Write(schema.JSON())
	return exitFor(env, err)
}
