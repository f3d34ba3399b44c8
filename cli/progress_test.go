package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func testEnv() (*Env, *bytes.Buffer, *bytes.Buffer) {
	var out, errs bytes.Buffer
	return &Env{Stdout: &out, Stderr: &errs}, &out, &errs
}

// On a terminal, long work says how far it is and clears the line when
// done; Ctrl+C stops it cleanly, exit 130, nothing on standard output.
// Off a terminal nothing but the result is written.
func TestLongWorkShowsProgressAndStopsOnCtrlC(t *testing.T) {
	prev := progressAfter
	progressAfter = 0
	defer func() { progressAfter = prev }()
	const plan = "../testdata/uncertain-roadmap.json"
	env, out, errs := testEnv()
	env.StderrTerminal = true
	if code := Run(env, []string{"risk", "--draws", "2000", plan}); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs.String())
	}
	if e := errs.String(); !strings.Contains(e, "scaleplan risk: 2,000 of 2,000 draws (100 %), Ctrl+C stops") || !strings.HasSuffix(e, "\r\x1b[K") || out.Len() == 0 {
		t.Errorf("stderr %q", e)
	}
	env, out, errs = testEnv()
	env.StderrTerminal = true
	env.Interrupted = func() bool { return true }
	for _, args := range [][]string{{"risk", "--draws", "2000", plan}, {"simulate", "--phase", "1", "../testdata/seed-roadmap.json"}} {
		out.Reset()
		errs.Reset()
		if code := Run(env, args); code != ExitInterrupted || out.Len() != 0 || !strings.Contains(errs.String(), "stopped (Ctrl+C); nothing was printed") {
			t.Errorf("%v interrupted: exit %d, stdout %q, stderr %q", args, code, out.String(), errs.String())
		}
	}
	// Not a terminal: no progress line.
	env, _, errs = testEnv()
	if code := Run(env, []string{"risk", "--draws", "2000", plan}); code != ExitOK || errs.Len() != 0 {
		t.Errorf("off a terminal: exit %d, stderr %q", code, errs.String())
	}
}

// Work of unknown length shows how long it has run, on a terminal only, and
// clears its line when done.
func TestElapsedShowsTheTimeSoFar(t *testing.T) {
	prevAfter, prevTick := progressAfter, elapsedTick
	progressAfter, elapsedTick = 0, 5*time.Millisecond
	defer func() { progressAfter, elapsedTick = prevAfter, prevTick }()
	var errs bytes.Buffer
	env := &Env{StderrTerminal: true, rawStderr: &errs}
	e := newElapsed(env, "export", "writing plan.xlsx")
	time.Sleep(60 * time.Millisecond)
	e.stop()
	if s := errs.String(); !strings.Contains(s, "\rscaleplan export: writing plan.xlsx, 0 s\x1b[K") || !strings.HasSuffix(s, "\r\x1b[K") {
		t.Errorf("%q", s)
	}
	errs.Reset()
	env.StderrTerminal = false
	e = newElapsed(env, "export", "writing plan.xlsx")
	time.Sleep(20 * time.Millisecond)
	e.stop()
	if errs.Len() != 0 {
		t.Errorf("off a terminal: %q", errs.String())
	}
}
