package jsonfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// WriteFileAtomic replaces path with data, or leaves it untouched on error.
// A symbolic link is followed: the file it points at is replaced and the
// link stays a link. An existing file keeps its permissions and, where the
// process may set it, its owner. Temporary files an earlier write left
// behind (a kill between writing and renaming) are cleared.
func WriteFileAtomic(path string, data []byte) (err error) {
	named := path
	defer func() { err = nameTarget(named, err) }()
	if target, linkErr := filepath.EvalSymlinks(path); linkErr == nil {
		path = target
	}
	dir := filepath.Dir(path)
	mode := os.FileMode(0o644)
	owner := -1
	var group int
	linked := false
	if st, statErr := os.Stat(path); statErr == nil {
		if !st.Mode().IsRegular() {
			return fmt.Errorf("%s is not a regular file", path)
		}
		mode = st.Mode().Perm()
		owner, group = fileOwner(st)
		linked = hardLinks(st) > 1
	}
	clearStaleTemps(dir, filepath.Base(path))
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(mode); err != nil {
		return err
	}
	if owner >= 0 {
		_ = tmp.Chown(owner, group) // only root may give a file away; others keep their own
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if linked {
		// Other names share this file: a rename would leave them the old
		// bytes. Once the new bytes are safe on disk beside it, the file is
		// rewritten in place; should that fail, they stay in the temporary
		// file, which the error names.
		if werr := rewriteInPlace(path, data); werr != nil {
			return fmt.Errorf("%s has other hard links and could not be rewritten in place (%v); the new plan is in %s", path, werr, tmp.Name())
		}
		os.Remove(tmp.Name())
		return nil
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	// Sync the directory so the rename itself survives a power cut.
	if d, dirErr := os.Open(dir); dirErr == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}

// nameTarget words a failed write by the file being written, not the
// temporary file beside it that the system call named: "plan.json could not
// be written: no space left on device".
func nameTarget(path string, err error) error {
	if err == nil || strings.Contains(err.Error(), path) {
		return err
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s could not be written: %w", path, pe.Err)
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return fmt.Errorf("%s could not be written: %w", path, le.Err)
	}
	return fmt.Errorf("%s could not be written: %w", path, err)
}

// clearStaleTemps removes temporary files of name that a killed write left
// in dir more than a minute ago (a write in progress is younger).
func clearStaleTemps(dir, name string) {
	matches, _ := filepath.Glob(filepath.Join(dir, "."+name+".tmp-*"))
	for _, m := range matches {
		if st, err := os.Lstat(m); err == nil && st.Mode().IsRegular() && time.Since(st.ModTime()) > time.Minute {
			os.Remove(m)
		}
	}
}

// rewriteInPlace overwrites path's contents with data and syncs it.
func rewriteInPlace(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
