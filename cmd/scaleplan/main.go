// Command scaleplan plans how an AI inference service scales and what it
// costs. With no arguments or a plan path it opens the desktop app; its
// subcommands (validate, compute, export) run headless.
package main

import (
	"os"

	// First: keeps a C locale from reaching Fyne as a language.
	_ "github.com/scaleplan/scaleplan/internal/locale"

	"github.com/scaleplan/scaleplan/cli"
	"github.com/scaleplan/scaleplan/export"
	"github.com/scaleplan/scaleplan/ui"
)

func main() {
	exporter := ui.Exporter{Write: export.WriteFile, Fit: export.Fit}
	openApp := func(path string, o cli.AppOptions) error { return ui.Run(path, o.Rehearse, o.Scenario, exporter) }
	os.Exit(cli.Run(&cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Export: export.WriteFile, Fit: export.Fit, OpenApp: openApp}, os.Args[1:]))
}
