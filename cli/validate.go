package cli

import "fmt"

func runValidate(env *Env, args []string) int {
	fs := newFlags(env, "validate")
	path, p, code, ok := planArg(env, fs, args)
	if !ok {
		return code
	}
	fmt.Fprintf(env.Stdout, "%s: valid plan %q, %d phases\n", path, p.Name, len(p.Phases))
	return ExitOK
}
