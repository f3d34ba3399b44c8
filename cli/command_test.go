package cli

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// A new command is its run function and one entry in commands: the
// top-level help lists it, its own help is made from the entry and the
// flags its run declares, and the name runs it.
func TestANewCommandIsOneEntry(t *testing.T) {
	ran := ""
	probe := command{name: "probe", args: "PLAN [--loud]", summary: "a command made for this test", about: "say the plan's path back",
		run: func(env *Env, args []string) int {
			fs := newFlags(env, "probe")
			loud := fs.Bool("loud", false, "shout it")
			pos, code, ok := parse(env, fs, args)
			if !ok {
				return code
			}
			ran = strings.Join(pos, " ")
			if *loud {
				ran = strings.ToUpper(ran)
			}
			return ExitOK
		}}
	saved := commands
	commands = append(append([]command(nil), commands...), probe)
	t.Cleanup(func() { commands = saved })

	var out, errOut bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errOut}
	if code := Run(env, []string{"--help"}); code != ExitOK || !strings.Contains(out.String(), "  scaleplan probe PLAN [--loud]\n      a command made for this test\n") {
		t.Errorf("the top-level help (exit %d) does not list the command:\n%s", code, out.String())
	}
	out.Reset()
	if code := Run(env, []string{"probe", "--help"}); code != ExitOK ||
		!strings.HasPrefix(out.String(), "Usage: scaleplan probe PLAN [--loud]\n\nSay the plan's path back.\n\nOptions:\n  -loud\n    \tshout it\n") {
		t.Errorf("its own help (exit %d):\n%s", code, out.String())
	}
	if code := Run(env, []string{"probe", "plan.json", "--loud"}); code != ExitOK || ran != "PLAN.JSON" {
		t.Errorf("running it: exit %d, ran %q", code, ran)
	}
}

// Every command's help works, and every flag its synopsis names is one it
// declares: the synopsis and the flags cannot drift apart.
func TestEveryCommandsSynopsisNamesItsFlags(t *testing.T) {
	flagName := regexp.MustCompile(`--?([a-z][a-z-]*)`)
	for _, list := range [][]command{commands, pricesCommands} {
		for _, c := range list {
			if c.name == "prices" {
				continue // its subcommands are in pricesCommands; its help lists them (pricesUsage)
			}
			var out, errOut bytes.Buffer
			env := &Env{Stdout: &out, Stderr: &errOut}
			args := append(strings.Fields(c.name)[1:], "--help")
			run := c.run
			if strings.HasPrefix(c.name, "prices ") {
				run = runPrices
				args = append([]string{strings.Fields(c.name)[1]}, "--help")
			}
			if code := run(env, args); code != ExitOK || !strings.HasPrefix(out.String(), strings.TrimSpace("Usage: scaleplan "+c.name+" "+c.args)+"\n") {
				t.Errorf("%s --help: exit %d\n%s%s", c.name, code, out.String(), errOut.String())
				continue
			}
			for _, m := range flagName.FindAllStringSubmatch(c.args, -1) {
				if !strings.Contains(out.String(), "\n  -"+m[1]+" ") && !strings.Contains(out.String(), "\n  -"+m[1]+"\n") {
					t.Errorf("%s: its synopsis names --%s, which it does not declare", c.name, m[1])
				}
			}
		}
	}
}
