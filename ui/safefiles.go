package ui

import (
	"errors"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage/repository"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
)

// Fyne's save dialog hands its callback a writer it opened with os.Create,
// so choosing an existing file truncated it before the plan or workbook was
// written — and a failed write (a full disk, a name too long, quitting during
// a long export) left it at 0 bytes. safeFiles stands in for Fyne's file
// repository and changes one thing: a writer collects its bytes and replaces
// the file atomically on Close, and a writer closed with nothing written
// leaves the file as it was. The app's own saves go through
// jsonfile.WriteFileAtomic after the dialog, so the dialog's writer is
// closed empty and the target is untouched until the new bytes are complete.
type safeFiles struct {
	repository.Repository // Fyne's file repository, for everything else
}

// useSafeFiles puts safeFiles in place of the file repository registered now.
func useSafeFiles() {
	base, err := repository.ForScheme("file")
	if err != nil {
		return
	}
	if _, already := base.(safeFiles); already {
		return
	}
	repository.Register("file", safeFiles{base})
}

type atomicWriter struct {
	uri  fyne.URI
	data []byte
}

func (w *atomicWriter) URI() fyne.URI { return w.uri }

func (w *atomicWriter) Write(p []byte) (int, error) {
	w.data = append(w.data, p...)
	return len(p), nil
}

// Close writes what was written, atomically; nothing written, nothing changed.
func (w *atomicWriter) Close() error {
	if len(w.data) == 0 {
		return nil
	}
	return jsonfile.WriteFileAtomic(w.uri.Path(), w.data)
}

func (s safeFiles) Writer(u fyne.URI) (fyne.URIWriteCloser, error) {
	if st, err := os.Stat(u.Path()); err == nil && st.IsDir() {
		return nil, errors.New("a directory, not a file")
	}
	if err := os.MkdirAll(filepath.Dir(u.Path()), 0o755); err != nil {
		return nil, err
	}
	return &atomicWriter{uri: u}, nil
}

func (s safeFiles) CanWrite(u fyne.URI) (bool, error) {
	if w, ok := s.Repository.(repository.WritableRepository); ok {
		return w.CanWrite(u)
	}
	return false, repository.ErrOperationNotSupported
}

func (s safeFiles) Delete(u fyne.URI) error {
	if w, ok := s.Repository.(repository.WritableRepository); ok {
		return w.Delete(u)
	}
	return repository.ErrOperationNotSupported
}

func (s safeFiles) Appender(u fyne.URI) (fyne.URIWriteCloser, error) {
	if a, ok := s.Repository.(repository.AppendableRepository); ok {
		return a.Appender(u)
	}
	return nil, repository.ErrOperationNotSupported
}

func (s safeFiles) CanList(u fyne.URI) (bool, error) {
	if l, ok := s.Repository.(repository.ListableRepository); ok {
		return l.CanList(u)
	}
	return false, repository.ErrOperationNotSupported
}

func (s safeFiles) List(u fyne.URI) ([]fyne.URI, error) {
	if l, ok := s.Repository.(repository.ListableRepository); ok {
		return l.List(u)
	}
	return nil, repository.ErrOperationNotSupported
}

func (s safeFiles) CreateListable(u fyne.URI) error {
	if l, ok := s.Repository.(repository.ListableRepository); ok {
		return l.CreateListable(u)
	}
	return repository.ErrOperationNotSupported
}

func (s safeFiles) Parent(u fyne.URI) (fyne.URI, error) {
	if h, ok := s.Repository.(repository.HierarchicalRepository); ok {
		return h.Parent(u)
	}
	return repository.GenericParent(u)
}

func (s safeFiles) Child(u fyne.URI, component string) (fyne.URI, error) {
	if h, ok := s.Repository.(repository.HierarchicalRepository); ok {
		return h.Child(u, component)
	}
	return repository.GenericChild(u, component)
}

func (s safeFiles) DeleteAll(u fyne.URI) error {
	if d, ok := s.Repository.(repository.DeleteAllRepository); ok {
		return d.DeleteAll(u)
	}
	return repository.ErrOperationNotSupported
}

func (s safeFiles) Copy(src, dst fyne.URI) error {
	if c, ok := s.Repository.(repository.CopyableRepository); ok {
		return c.Copy(src, dst)
	}
	return repository.GenericCopy(src, dst)
}

func (s safeFiles) Move(src, dst fyne.URI) error {
	if m, ok := s.Repository.(repository.MovableRepository); ok {
		return m.Move(src, dst)
	}
	return repository.GenericMove(src, dst)
}
