//go:build unix

package prices

import (
	"testing"

	"github.com/scaleplan/scaleplan/internal/plantest"
)

// A price book is read through the same guard as a plan.
func TestBooksAreReadThroughTheGuard(t *testing.T) {
	t.Parallel()
	plantest.RefusesOddFiles(t, func(path string) error { _, err := LoadBook(path); return err },
		"a price book", MaxBookSize, "8 MiB, more than a price book ever is")
}
