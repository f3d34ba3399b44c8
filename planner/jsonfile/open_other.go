//go:build !unix

package jsonfile

import "os"

// openNoWait opens path for reading; outside Unix the stat before it keeps
// pipes out.
func openNoWait(path string) (*os.File, error) {
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return nil, &FileKindError{path + " is not a regular file"}
	}
	return os.Open(path)
}
