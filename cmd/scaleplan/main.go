// Command scaleplan plans how an AI inference service scales and what it
// costs. With no arguments or a plan path it opens the desktop app; its
// subcommands run headless ('scaleplan --help' lists them, from the cli
// package's command table). This file only wires the app, the workbook
// writer and the command line together.
package main

import (
	"os"
	"os/signal"
	"sync"
	"sync/atomic"

	// First: keeps a C locale from reaching Fyne as a language.
	_ "github.com/scaleplan/scaleplan/internal/locale"

	"github.com/scaleplan/scaleplan/cli"
	"github.com/scaleplan/scaleplan/export"
	"github.com/scaleplan/scaleplan/ui"
)

func main() {
	exporter := ui.Exporter{Write: export.WriteFile, Bytes: export.Bytes, Fit: export.Fit, BytesActuals: export.BytesWithActuals}
	openApp := func(path string, o cli.AppOptions) error {
		return ui.Run(path, o.Rehearse, o.Scenario, exporter, o.Actuals...)
	}
	env := &cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Export: export.WriteFile, ExportActuals: export.WriteFileWithActuals, Fit: export.Fit, OpenApp: openApp,
		StderrTerminal: isTerminal(os.Stderr), Interrupted: interrupted()}
	os.Exit(cli.Run(env, os.Args[1:]))
}

// interrupted asks long commands to stop at the first Ctrl+C (they end
// cleanly, writing nothing half-done); a second one ends the process. The
// handler is installed when a command first asks, so the app and short
// commands keep Ctrl+C's usual meaning.
func interrupted() func() bool {
	var asked atomic.Bool
	var once sync.Once
	return func() bool {
		once.Do(func() {
			ch := make(chan os.Signal, 2)
			signal.Notify(ch, os.Interrupt)
			go func() {
				<-ch
				asked.Store(true)
				<-ch
				os.Exit(130)
			}()
		})
		return asked.Load()
	}
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
