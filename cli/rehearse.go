package cli

func runRehearse(env *Env, args []string) int {
	fs := newFlags(env, "rehearse")
	path, _, code, ok := planArg(env, fs, args)
	if !ok {
		return code
	}
	return openWith(env, path, AppOptions{Rehearse: true, Scenario: fs.Lookup("scenario").Value.String()})
}
