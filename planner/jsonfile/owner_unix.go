//go:build unix

package jsonfile

import (
	"os"
	"syscall"
)

// fileOwner is the user and group that own a file, or -1 when unknown.
func fileOwner(st os.FileInfo) (uid, gid int) {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return int(s.Uid), int(s.Gid)
	}
	return -1, -1
}

// hardLinks is how many names a file has.
func hardLinks(st os.FileInfo) uint64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return uint64(s.Nlink)
	}
	return 1
}
