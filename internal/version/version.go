// Package version says which scaleplan this is: its release, the commit it
// was built from (when the build recorded it), and the plan formats it reads.
package version

import (
	"fmt"
	"runtime/debug"

	"github.com/scaleplan/scaleplan/planner"
)

// Release is scaleplan's version; FyneApp.toml carries the same.
const Release = "0.2.0"

// Commit is the VCS revision the binary was built from, shortened, with
// "+dirty" when the tree had changes; "" when the build did not record one.
func Commit() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	rev, dirty := "", false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" && dirty {
		rev += "+dirty"
	}
	return rev
}

// String is the one-line version: "scaleplan 0.2.0 (commit 1a2b3c4d5e6f); reads plan formats 1 to 2".
func String() string {
	s := "scaleplan " + Release
	if c := Commit(); c != "" {
		s += " (commit " + c + ")"
	}
	return s + fmt.Sprintf("; reads plan formats 1 to %d", planner.FormatVersion)
}
