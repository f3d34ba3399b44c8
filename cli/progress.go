package cli

import (
	"fmt"
	"time"

	"github.com/scaleplan/scaleplan/format"
)

// Long work shows how far it is on standard error when that is a terminal
// (never in a pipe or a log), once it has run for progressAfter, and stops
// cleanly on Ctrl+C (Env.Interrupted).

// progressAfter is how long work runs before it shows its progress.
var progressAfter = 2 * time.Second

// ExitInterrupted is the exit code of a command stopped by Ctrl+C, as
// shells give a process that SIGINT ended.
const ExitInterrupted = 130

type progress struct {
	env        *Env
	cmd, unit  string // unit "": a percentage alone
	start, at  time.Time
	shown      bool
	lastShown  int
	totalShown int
}

func newProgress(env *Env, cmd, unit string) *progress {
	return &progress{env: env, cmd: cmd, unit: unit, start: time.Now()}
}

// update says done of total units, at most five times a second.
func (p *progress) update(done, total int) {
	if !p.env.StderrTerminal {
		return
	}
	now := time.Now()
	if now.Sub(p.start) < progressAfter || (p.shown && now.Sub(p.at) < 200*time.Millisecond && done != total) {
		return
	}
	p.at, p.shown, p.lastShown, p.totalShown = now, true, done, total
	if p.unit == "" {
		fmt.Fprintf(p.env.rawStderr, "\rscaleplan %s: %d %% done, Ctrl+C stops\x1b[K", p.cmd, 100*done/max(total, 1))
		return
	}
	fmt.Fprintf(p.env.rawStderr, "\rscaleplan %s: %s of %s %s (%d %%), Ctrl+C stops\x1b[K", p.cmd, format.Count(int64(done)), format.Count(int64(total)), p.unit, 100*done/max(total, 1))
}

// done clears the progress line, if one was shown.
func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.env.rawStderr, "\r\x1b[K")
	}
}

// stopped reports whether Ctrl+C asked the command to stop.
func (env *Env) stopped() bool { return env.Interrupted != nil && env.Interrupted() }

// elapsedTick is how often elapsed redraws its line.
var elapsedTick = time.Second

// elapsed shows, on a terminal, how long work of unknown length has run,
// once it has run for progressAfter, each second until stop.
type elapsed struct {
	quit, done chan struct{}
}

func newElapsed(env *Env, cmd, doing string) *elapsed {
	e := &elapsed{quit: make(chan struct{}), done: make(chan struct{})}
	if !env.StderrTerminal {
		close(e.done)
		return e
	}
	go func() {
		defer close(e.done)
		start, shown := time.Now(), false
		tick := time.NewTicker(elapsedTick)
		defer tick.Stop()
		for {
			select {
			case <-e.quit:
				if shown {
					fmt.Fprint(env.rawStderr, "\r\x1b[K")
				}
				return
			case now := <-tick.C:
				if now.Sub(start) >= progressAfter {
					shown = true
					fmt.Fprintf(env.rawStderr, "\rscaleplan %s: %s, %d s\x1b[K", cmd, doing, int(now.Sub(start).Seconds()))
				}
			}
		}
	}()
	return e
}

func (e *elapsed) stop() {
	select {
	case <-e.done:
		return
	default:
	}
	close(e.quit)
	<-e.done
}
