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
	for _, env := range [][]string{{"LANG=C.UTF-8"}, {"LANG=C"}, {"LANG=POSIX"}, {}, {"LC_ALL=C.UTF-8", "LANG=en_US.UTF-8"}, {"LANG=C.utf8"}} {
		for _, args := range commands {
			cmd := exec.Command(bin, args...)
			cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, env...)
			var stderr bytes.Buffer
			cmd.Stderr, cmd.Stdout = &stderr, nil
			if err := cmd.Run(); err != nil {
				t.Errorf("%v %v: %v\n%s", env, args, err, stderr.String())
				continue
			}
			if stderr.Len() > 0 {
				t.Errorf("%v %v wrote to stderr:\n%s", env, args, stderr.String())
			}
		}
	}
}
