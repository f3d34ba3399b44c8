package jsonfile

import (
	"fmt"
	"io"
	"os"
)

// Every file scaleplan reads — plans, price books, load tests, recovery
// files — comes through ReadFileCapped: a regular file, opened without
// waiting (a named pipe with no writer would block the open forever), no
// larger than its kind ever is, read no further than that (a device such as
// /dev/zero is endless whatever stat says).

// FileKindError is a file that is not a regular file or is too large: the
// caller reports it like any problem in the file.
type FileKindError struct{ Msg string }

func (e *FileKindError) Error() string { return e.Msg }

// ReadFileCapped reads path, a regular file of at most max bytes; what says
// what the file should be ("a plan file", "a price book") in refusals.
func ReadFileCapped(path string, max int64, what string) ([]byte, error) {
	f, err := openNoWait(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		kind := "not a regular file"
		switch {
		case st.IsDir():
			kind = "a directory"
		case st.Mode()&os.ModeNamedPipe != 0:
			kind = "a named pipe"
		case st.Mode()&os.ModeDevice != 0:
			kind = "a device"
		case st.Mode()&os.ModeSocket != 0:
			kind = "a socket"
		}
		return nil, &FileKindError{fmt.Sprintf("%s is %s, not %s", path, kind, what)}
	}
	tooBig := &FileKindError{fmt.Sprintf("%s is larger than %s, more than %s ever is", path, sizeWords(max), what)}
	if st.Size() > max {
		return nil, tooBig
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, tooBig
	}
	return data, nil
}

func sizeWords(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
