//go:build unix

package jsonfile

import (
	"os"
	"syscall"
)

// openNoWait opens path for reading without blocking on a named pipe that
// has no writer; the caller refuses anything not a regular file.
func openNoWait(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
