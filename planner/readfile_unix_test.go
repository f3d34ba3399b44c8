//go:build unix

package planner_test

import (
	"testing"

	"github.com/scaleplan/scaleplan/internal/plantest"
	"github.com/scaleplan/scaleplan/planner"
)

// Every kind of file is read through one guard (ReadFileCapped); a plan
// file is one.
func TestPlanFilesAreReadThroughTheGuard(t *testing.T) {
	t.Parallel()
	plantest.RefusesOddFiles(t, func(path string) error { _, err := planner.Load(path); return err },
		"a plan file", planner.MaxFileSize, "32 MiB")
}
