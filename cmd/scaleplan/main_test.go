package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// No command writes to stderr on success, whatever the locale: under
// LANG=C.UTF-8 (Debian's default, and most containers' and CI's) Fyne used
// to log "Error parsing user locale C" on every run. The real binary is
// built and run, since the message comes from package initialization.
func TestNoStderrUnderAnyLocale(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "scaleplan")
	build := exec.Command("go", "build", "-tags", "ci", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	seed := "../../testdata/seed-roadmap.json"
	commands := [][]string{
		{"validate", seed}, {"compute", seed}, {"compute", "--json", seed}, {"explain", seed},
		{"curve", seed, "--phase", "1", "--points", "4"}, {"sensitivity", seed, "--phase", "1"},
		{"simulate", seed, "--phase", "1"}, {"--help"},
	}
	// The locale reaches the program once, at start-up (internal/locale),
	// before any command runs: every locale with one command, and every
	// command under the locale that used to leak (C) — 13 launches, not 48.
	type run struct {
		env, args []string
	}
	var runs []run
	for _, env := range [][]string{{"LANG=C.UTF-8"}, {"LANG=POSIX"}, {}, {"LC_ALL=C.UTF-8", "LANG=en_US.UTF-8"}, {"LANG=C.utf8"}} {
		runs = append(runs, run{env, commands[0]})
	}
	for _, args := range commands {
		runs = append(runs, run{[]string{"LANG=C"}, args})
	}
	for _, r := range runs {
		cmd := exec.Command(bin, r.args...)
		cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, r.env...)
		var stderr bytes.Buffer
		cmd.Stderr, cmd.Stdout = &stderr, nil
		if err := cmd.Run(); err != nil {
			t.Errorf("%v %v: %v\n%s", r.env, r.args, err, stderr.String())
			continue
		}
		if stderr.Len() > 0 {
			t.Errorf("%v %v wrote to stderr:\n%s", r.env, r.args, stderr.String())
		}
	}
}
