//go:build unix

package plantest

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// RefusesOddFiles checks that read refuses, by name and at once, what is
// not a file of its kind: a named pipe with no writer (it used to block
// forever), a device (/dev/zero ran out of memory), a directory, and a
// file over maxBytes (by its size, before it is read). what is the kind's
// words, "a price book"; sizeWords the limit as the message says it.
func RefusesOddFiles(t *testing.T, read func(path string) error, what string, maxBytes int64, sizeWords string) {
	t.Helper()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, make([]byte, maxBytes+1), 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, c := range []struct{ path, want string }{
			{fifo, "is a named pipe, not " + what},
			{"/dev/zero", "/dev/zero is a device, not " + what},
			{big, "is larger than " + sizeWords},
			{dir, "is a directory, not " + what},
		} {
			if err := read(c.path); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: got %v, want %q", c.path, err, c.want)
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("reading a named pipe blocked")
	}
}
