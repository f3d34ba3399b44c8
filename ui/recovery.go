package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// Each running window keeps its unsaved work in a recovery file of its own,
// recovery-<pid>-<start>.json in the app's storage, and holds a lock on
// <file>.lock for as long as it runs. At start-up, recovery files whose lock
// nobody holds are orphans — their window died — and are offered back one
// by one; a file is deleted only when the person has answered (restored, or
// chose to discard). A second window never touches another's file.

// instanceRecovery names this instance's recovery file in dir.
func instanceRecovery(dir string) string {
	return filepath.Join(dir, fmt.Sprintf("recovery-%d-%d.json", os.Getpid(), time.Now().UnixNano()))
}

// legacyRecovery is the single shared file scaleplan 0.1 kept.
const legacyRecovery = "recovery.json"

// orphan is a recovery file whose window is gone, locked by us while it is
// offered so that no other instance offers it too.
type orphan struct {
	file    string
	release func()
	mod     time.Time
}

// orphans lists the recovery files in dir that no running instance holds,
// newest first, each locked for this instance.
func orphans(dir string) []orphan {
	files, _ := filepath.Glob(filepath.Join(dir, "recovery-*.json"))
	files = append(files, filepath.Join(dir, legacyRecovery))
	var out []orphan
	for _, f := range files {
		st, err := os.Stat(f)
		if err != nil {
			continue
		}
		release, ok := tryLock(f + ".lock")
		if !ok {
			continue // its window is running
		}
		out = append(out, orphan{file: f, release: release, mod: st.ModTime()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].mod.After(out[j].mod) })
	return out
}

// settle removes an answered orphan and its lock file.
func (o orphan) settle() {
	os.Remove(o.file)
	o.release()
	os.Remove(o.file + ".lock")
}
