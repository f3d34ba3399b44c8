//go:build unix

package loadtest

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A load-test path that is a pipe or a device is refused by name, and never
// blocks the reader.
func TestLoadBenchRefusesPipesAndDevices(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "pipe.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for path, want := range map[string]string{
			fifo:        "is a named pipe, not a load-test summary",
			"/dev/zero": "/dev/zero is a device, not a load-test summary",
		} {
			if _, err := Load(path); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s: got %v, want %q", path, err, want)
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("reading a named pipe blocked")
	}
}
