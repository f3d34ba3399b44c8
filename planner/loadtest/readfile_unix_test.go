//go:build unix

package loadtest

import (
	"testing"

	"github.com/scaleplan/scaleplan/internal/plantest"
)

// A load-test file is read through the same guard as a plan.
func TestLoadTestFilesAreReadThroughTheGuard(t *testing.T) {
	t.Parallel()
	plantest.RefusesOddFiles(t, func(path string) error { _, err := Load(path); return err },
		"a load-test summary", MaxBytes, "64 MiB")
}
