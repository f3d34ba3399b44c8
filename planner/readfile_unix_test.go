//go:build unix

package planner

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Every kind of file is read through one guard: a named pipe with no writer
// is refused at once (it used to block forever), a device is refused
// (/dev/zero ran out of memory), and a file over its kind's cap is refused
// by its size, before it is read.
func TestFilesAreReadThroughOneGuard(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	big := filepath.Join(dir, "big.json")
	if err := os.WriteFile(big, make([]byte, MaxBookSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, c := range []struct {
			read func() error
			want string
		}{
			{func() error { _, err := Load(fifo); return err }, "is a named pipe, not a plan file"},
			{func() error { _, err := LoadBook(fifo); return err }, "is a named pipe, not a price book"},
			{func() error { _, err := LoadBook("/dev/zero"); return err }, "/dev/zero is a device, not a price book"},
			{func() error { _, err := Load("/dev/zero"); return err }, "/dev/zero is a device, not a plan file"},
			{func() error { _, err := LoadBook(big); return err }, "is larger than 8 MiB, more than a price book ever is"},
			{func() error { _, err := LoadBook(dir); return err }, "is a directory, not a price book"},
		} {
			if err := c.read(); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want %q", err, c.want)
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("reading a named pipe blocked")
	}
}
