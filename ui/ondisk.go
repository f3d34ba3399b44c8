package ui

// A plan file is shared with the rest of the computer: another program may
// change it while it is open, and another scaleplan window may have it
// open too. The window remembers what the file was when it read or wrote
// it (diskStamp) and asks before writing over anything else; and it keeps
// a lock file beside the plan while it is open, in the convention office
// suites use, so that a second opener is told who has it.

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
)

// diskStamp is a plan file's bytes as this window last read or wrote them.
type diskStamp struct {
	ok   bool
	size int64
	mod  time.Time
	sum  [sha256.Size]byte
}

// stampOf is what data, just read from or written to path, is on disk.
func stampOf(path string, data []byte) diskStamp {
	s := diskStamp{ok: true, size: int64(len(data)), sum: sha256.Sum256(data)}
	if st, err := os.Stat(path); err == nil {
		s.mod = st.ModTime()
	}
	return s
}

// changedOnDisk reports whether the file at path is no longer the bytes s
// was taken of. A file that is gone has not been overwritten by anyone: a
// save may go ahead. An unreadable file is reported as changed, with why.
func (s diskStamp) changedOnDisk(path string) (bool, error) {
	if !s.ok {
		return false, nil
	}
	st, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return true, err
	}
	if st.Size() == s.size && st.ModTime().Equal(s.mod) {
		return false, nil // the cheap look says nothing moved
	}
	data, err := jsonfile.ReadFileCapped(path, planner.MaxFileSize, "a plan file")
	if err != nil {
		return true, err
	}
	return sha256.Sum256(data) != s.sum, nil
}

// ErrChangedOnDisk is a save refused because another program changed the
// file since this window read or wrote it.
var ErrChangedOnDisk = errors.New("the file was changed by another program since it was opened or last saved here")

// canonicalPath is path made absolute, cleaned and with symbolic links
// resolved where the file exists: what a recovery file keeps, so that a
// restore never lands on another folder's plan of the same name.
func canonicalPath(path string) string {
	if path == "" {
		return ""
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return filepath.Clean(path)
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		return real
	}
	return abs
}

// lockPath is the lock file of a plan: ".~lock.NAME#" beside it, as
// LibreOffice names its own.
func lockPath(plan string) string {
	return filepath.Join(filepath.Dir(plan), ".~lock."+filepath.Base(plan)+"#")
}

// planLock is who holds a plan open: the lock file's one line,
// "scaleplan,USER,HOST,PID,SINCE;".
type planLock struct {
	User, Host string
	PID        int
	Since      time.Time
}

func (l planLock) line() string {
	return fmt.Sprintf("scaleplan,%s,%s,%d,%s;\n", l.User, l.Host, l.PID, l.Since.UTC().Format(time.RFC3339))
}

// Words says who has the plan open.
func (l planLock) Words() string {
	return fmt.Sprintf("%s on %s (scaleplan, process %d) since %s", l.User, l.Host, l.PID, l.Since.Local().Format("2006-01-02 15:04"))
}

func thisLock() planLock {
	name := "someone"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	host, _ := os.Hostname()
	return planLock{User: name, Host: host, PID: os.Getpid(), Since: time.Now()}
}

// readLock reads plan's lock file; ok is false when there is none or it is
// not one scaleplan wrote.
func readLock(plan string) (planLock, bool) {
	data, err := jsonfile.ReadFileCapped(lockPath(plan), 4096, "a lock file")
	if err != nil {
		return planLock{}, false
	}
	f := strings.Split(strings.TrimSuffix(strings.TrimSpace(string(data)), ";"), ",")
	if len(f) != 5 || f[0] != "scaleplan" {
		return planLock{}, false
	}
	pid, err := strconv.Atoi(f[3])
	if err != nil {
		return planLock{}, false
	}
	since, _ := time.Parse(time.RFC3339, f[4])
	return planLock{User: f[1], Host: f[2], PID: pid, Since: since}, true
}

// mine reports whether l is this process's lock.
func (l planLock) mine() bool {
	host, _ := os.Hostname()
	return l.Host == host && l.PID == os.Getpid()
}

// stale reports whether l's process is gone: a lock from this computer
// whose process no longer runs. A lock from another computer cannot be
// checked and counts as live.
func (l planLock) stale() bool {
	host, _ := os.Hostname()
	return l.Host == host && !processAlive(l.PID)
}

// takeLock writes this process's lock beside plan, replacing any.
func takeLock(plan string) error {
	return os.WriteFile(lockPath(plan), []byte(thisLock().line()), 0o644)
}

// dropLock removes plan's lock file if it is this process's.
func dropLock(plan string) {
	if l, ok := readLock(plan); ok && l.mine() {
		os.Remove(lockPath(plan))
	}
}
