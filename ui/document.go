package ui

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
)

// Document is the plan being edited: its file, whether it has unsaved
// changes, and an undo history. Plans are small, so the history keeps whole
// plans, which is simple and hard to get wrong. Every change goes through
// Apply, which recomputes the model; the window only renders.
type Document struct {
	// Plan and Result are what the window shows, always computed one from
	// the other. An edit to a plan big enough that computing it is felt
	// computes off the UI goroutine: until it is done, Latest is ahead of
	// Plan, and further edits build on Latest.
	Plan   planner.Plan
	Result planner.Result // View's
	Path   string         // "" until saved
	// Scenario is the scenario the window shows and edits ("" for the plan
	// itself); View is the plan as it has it, the one Result is of. Edits
	// of a cell write the scenario's overrides; everything else edits Plan.
	Scenario string
	View     planner.Plan

	// cache keeps the latency figures of the phases an edit leaves as they
	// were, so an edit recomputes the phases it changes: the document's own.
	cache *planner.Cache

	// Disk is the file's bytes as this document last read or wrote them:
	// a save over anything else asks first (ErrChangedOnDisk).
	Disk diskStamp
	// ReadOnly is set when the person chose to open a plan another window
	// has open without taking it: saving goes to Save As.
	ReadOnly bool

	undo, redo []planner.Plan
	saved      int // len(undo) when last saved or opened; -1 when that state is gone
	onChange   []func()

	// mu guards the hand-over from a background computation. In the app the
	// hand-over runs on the UI goroutine anyway (fyne.Do); Fyne's headless
	// test driver runs it on the computing goroutine, so it is locked.
	mu          sync.Mutex
	pending     *planner.Plan // the newest plan, while its computation runs
	gen         int           // counts computations, so a superseded one is dropped
	lastCompute time.Duration // how long the last Compute took
	onComputed  func()        // tests wait on this; nil otherwise
	gate        chan struct{} // tests hold computations back on this; nil otherwise
	// handing is held through a hand-over, from taking the figures to the
	// window's refresh: Computing turns false inside it, so a test that saw
	// it false waits on handing before touching the window.
	handing sync.Mutex
}

// SlowCompute is how long a Compute may take on the UI goroutine: a plan
// slower than this recomputes off it, so the window never stalls.
var SlowCompute = 40 * time.Millisecond

// Latest is the newest plan, computed or not: what edits, saves and
// exports use.
func (d *Document) Latest() planner.Plan {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.pending != nil {
		return *d.pending
	}
	return d.Plan
}

// Computing reports whether the newest plan is still being computed.
func (d *Document) Computing() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.pending != nil
}

// Settle finishes the pending computation now, on this goroutine (before a
// save or an export, which must see the newest plan and its figures).
func (d *Document) Settle() {
	d.mu.Lock()
	if d.pending == nil {
		d.mu.Unlock()
		return
	}
	p := *d.pending
	d.gen++ // the running computation is superseded
	d.pending = nil
	d.Plan, d.View = p, d.viewOf(p)
	d.Result = d.cache.Compute(d.View)
	d.mu.Unlock()
	d.changed()
}

// NewDocument wraps a plan that is not yet saved anywhere, or was just
// opened from path.
func NewDocument(p planner.Plan, path string) *Document {
	d := &Document{Plan: p, View: p, Path: path, cache: new(planner.Cache)}
	start := time.Now()
	d.Result = d.cache.Compute(p)
	d.lastCompute = time.Since(start)
	return d
}

// Reset replaces the document's plan and file, forgetting the history (New,
// Open, a recovered session). dirty marks it as not saved anywhere.
func (d *Document) Reset(p planner.Plan, path string, dirty bool) {
	d.Path, d.undo, d.redo, d.saved, d.Scenario = path, nil, nil, 0, ""
	d.Disk, d.ReadOnly = diskStamp{}, false
	d.lastCompute = 0 // a new plan is computed at once, and timed
	if dirty {
		d.saved = -1
	}
	d.set(p)
}

// OnChange registers f to run after every change of plan, path or dirtiness.
func (d *Document) OnChange(f func()) { d.onChange = append(d.onChange, f) }

func (d *Document) changed() {
	for _, f := range d.onChange {
		f()
	}
}

// Dirty reports whether the plan differs from the saved file.
func (d *Document) Dirty() bool { return d.saved != len(d.undo) }

// Apply makes p the current plan, remembering the previous one for undo.
func (d *Document) Apply(p planner.Plan) {
	d.undo = append(d.undo, d.Latest())
	d.redo = nil
	if d.saved > len(d.undo) { // the saved state was on the redo branch
		d.saved = -1
	}
	d.set(p)
}

// Edit applies a planner edit that may be refused; a refused edit changes
// nothing and returns the planner's error.
func (d *Document) Edit(f func(planner.Plan) (planner.Plan, error)) error {
	p, err := f(d.Latest())
	if err != nil {
		return err
	}
	d.Apply(p)
	return nil
}

// viewOf is p as the selected scenario has it; a scenario the plan no
// longer has (undone, deleted) falls back to the plan itself.
func (d *Document) viewOf(p planner.Plan) planner.Plan {
	if d.Scenario == "" {
		return p
	}
	v, err := p.Scenario(d.Scenario)
	if err != nil {
		d.Scenario = ""
		return p
	}
	return v
}

// SetInput is planner.SetInput on p as the window edits it: the plan's own
// input, or, while a scenario is shown, that scenario's override of it.
func (d *Document) SetInput(p planner.Plan, phase int, key, text string) (planner.Plan, error) {
	if d.Scenario != "" {
		if _, _, isRange, _ := planner.ParseRangeText(text, false); isRange {
			return p, fmt.Errorf("a scenario holds single values; type a range (%s) with the plan itself shown, not a scenario", text)
		}
		return planner.SetScenarioInput(p, d.Scenario, phase, key, text)
	}
	return planner.SetInputText(p, phase, key, text) // a range ("5.5 to 8.5") makes the input uncertain

}

// PlanResult is the plan itself computed: Result, or, while a scenario is
// shown, the plan without it (computed now: Compare, the Costs overlay and
// export need it, not every keystroke).
func (d *Document) PlanResult() planner.Result {
	if d.Scenario == "" {
		return d.Result
	}
	return d.cache.Compute(d.Plan)
}

// ShowScenario makes the window show and edit a scenario ("" for the plan
// itself). It is a view, not an edit: nothing to undo or save.
func (d *Document) ShowScenario(name string) {
	d.Settle()
	d.Scenario = name
	d.set(d.Plan)
}

func (d *Document) set(p planner.Plan) {
	d.mu.Lock()
	d.gen++
	view := d.viewOf(p)
	if d.lastCompute < SlowCompute {
		d.pending = nil
		start := time.Now()
		d.Plan, d.View, d.Result = p, view, d.cache.Compute(view)
		d.lastCompute = time.Since(start)
		d.mu.Unlock()
		d.changed()
		return
	}
	// Off the UI goroutine; the newest edit wins.
	gen, gate := d.gen, d.gate
	d.pending = &p
	d.mu.Unlock()
	d.changed() // the title and status say it is recomputing
	go func() {
		if gate != nil {
			<-gate
		}
		start := time.Now()
		r := d.cache.Compute(view)
		took := time.Since(start)
		fyne.Do(func() {
			d.handing.Lock()
			defer d.handing.Unlock()
			d.mu.Lock()
			if gen != d.gen {
				d.mu.Unlock()
				return // superseded by a later edit, or settled
			}
			d.pending = nil
			d.Plan, d.View, d.Result, d.lastCompute = p, view, r, took
			d.mu.Unlock()
			d.changed()
			if d.onComputed != nil {
				d.onComputed()
			}
		})
	}()
}

// CanUndo and CanRedo report whether there is anything to undo or redo.
func (d *Document) CanUndo() bool { return len(d.undo) > 0 }
func (d *Document) CanRedo() bool { return len(d.redo) > 0 }

// Undo steps back one change.
func (d *Document) Undo() {
	if !d.CanUndo() {
		return
	}
	prev := d.undo[len(d.undo)-1]
	d.undo = d.undo[:len(d.undo)-1]
	d.redo = append(d.redo, d.Latest())
	d.set(prev)
}

// Redo steps forward one undone change.
func (d *Document) Redo() {
	if !d.CanRedo() {
		return
	}
	next := d.redo[len(d.redo)-1]
	d.redo = d.redo[:len(d.redo)-1]
	d.undo = append(d.undo, d.Latest())
	d.set(next)
}

// SaveAs writes the plan to path atomically and makes it the document's
// file. Over the document's own file it first checks that nobody changed
// the file since it was read or last saved here, and refuses with
// ErrChangedOnDisk if so; SaveOver writes regardless.
func (d *Document) SaveAs(path string) error { return d.save(path, false) }

// SaveOver is SaveAs without the check: the person chose to keep their
// version over the one on disk.
func (d *Document) SaveOver(path string) error { return d.save(path, true) }

func (d *Document) save(path string, force bool) error {
	d.Settle()
	if !force && d.Path != "" && canonicalPath(path) == canonicalPath(d.Path) {
		if changed, err := d.Disk.changedOnDisk(path); changed {
			if err != nil {
				return fmt.Errorf("%w (%v)", ErrChangedOnDisk, err)
			}
			return ErrChangedOnDisk
		}
	}
	if err := planner.Save(path, d.Plan); err != nil {
		return err
	}
	d.Disk = stampOf(path, planner.Marshal(d.Plan))
	d.Path = path
	d.ReadOnly = false
	d.saved = len(d.undo)
	d.changed()
	return nil
}

// TakeDisk makes p, just read from the document's file as data, the
// document's plan as one undoable edit, marked saved: "keep theirs" when
// another program changed the file. Undo brings back the version that was
// being edited.
func (d *Document) TakeDisk(p planner.Plan, data []byte) {
	d.Apply(p)
	d.Disk = stampOf(d.Path, data)
	d.saved = len(d.undo)
	d.changed()
}

// Name is what the title bar calls the document.
func (d *Document) Name() string {
	if d.Path == "" {
		return d.Plan.Name
	}
	return filepath.Base(d.Path)
}

// recovery is what is kept of unsaved work so a crash loses nothing.
type recovery struct {
	// Path is the plan's file, absolute, cleaned and with links resolved
	// (scaleplan before 0.9 kept it as typed, perhaps relative).
	Path string `json:"path"`
	// Base is the SHA-256 of the file's bytes the unsaved work was made on;
	// "" for a plan never saved, or a recovery file from before 0.9.
	Base string          `json:"base_sha256,omitempty"`
	Plan json.RawMessage `json:"plan"`
}

// RecoverySnapshot is what to keep of the unsaved work, or nil when nothing
// is unsaved. It is cheap (the plan marshalled in memory), so the window
// takes it on the UI goroutine and leaves the writing to recoveryKeeper.
func (d *Document) RecoverySnapshot() []byte {
	if !d.Dirty() {
		return nil
	}
	r := recovery{Path: canonicalPath(d.Path), Plan: planner.Marshal(d.Latest())}
	if d.Disk.ok {
		r.Base = hex.EncodeToString(d.Disk.sum[:])
	}
	b, _ := json.Marshal(r) // text and raw JSON: cannot fail
	return b
}

// writeRecovery puts a snapshot in file atomically, or removes file for nil.
func writeRecovery(file string, snapshot []byte) error {
	if snapshot == nil {
		if err := os.Remove(file); err != nil && !os.IsNotExist(err) {
			return err
		}
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	return jsonfile.WriteFileAtomic(file, snapshot)
}

// recoveryKeeper writes recovery snapshots on its own goroutine, so an
// fsync never stalls a keystroke. Snapshots that arrive while one is being
// written collapse into the latest: only the newest unsaved state matters.
type recoveryKeeper struct {
	file string
	mu   sync.Mutex
	cond *sync.Cond
	next []byte
	want int // snapshots asked for
	done int // snapshots written (or superseded)
	kick chan struct{}
}

func newRecoveryKeeper(file string) *recoveryKeeper {
	k := &recoveryKeeper{file: file, kick: make(chan struct{}, 1)}
	k.cond = sync.NewCond(&k.mu)
	go k.run()
	return k
}

// Keep asks for snapshot (nil: nothing unsaved) to be written.
func (k *recoveryKeeper) Keep(snapshot []byte) {
	k.mu.Lock()
	k.next, k.want = snapshot, k.want+1
	k.mu.Unlock()
	select {
	case k.kick <- struct{}{}:
	default: // a write is already due; it will take this snapshot
	}
}

// Flush waits until every snapshot asked for so far is on disk.
func (k *recoveryKeeper) Flush() {
	k.mu.Lock()
	for k.done < k.want {
		k.cond.Wait()
	}
	k.mu.Unlock()
}

func (k *recoveryKeeper) run() {
	for range k.kick {
		k.mu.Lock()
		snapshot, upTo := k.next, k.want
		k.mu.Unlock()
		if err := writeRecovery(k.file, snapshot); err != nil {
			fyne.LogError("keeping unsaved work", err)
		}
		k.mu.Lock()
		k.done = upTo
		k.cond.Broadcast()
		k.mu.Unlock()
	}
}

// ReadRecovery returns the unsaved work kept in file, as a dirty document
// (its undo history starts at the recovered plan).
func ReadRecovery(file string) (*Document, error) {
	b, err := jsonfile.ReadFileCapped(file, 2*planner.MaxFileSize+1<<20, "a recovery file")
	if err != nil {
		return nil, err
	}
	var r recovery
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	p, err := planner.Parse(r.Plan)
	if err != nil {
		return nil, err
	}
	d := NewDocument(p, r.Path)
	d.saved = -1
	if sum, err := hex.DecodeString(r.Base); err == nil && len(sum) == len(d.Disk.sum) {
		d.Disk.ok = true
		copy(d.Disk.sum[:], sum)
	}
	return d, nil
}

// RecoveredFrom says where a recovered document's unsaved work belongs:
// the file's full path, and whether the file there is still the one the
// work was made on (the same bytes). A path kept relative by an older
// scaleplan names no folder: it is not trusted.
func (d *Document) RecoveredFrom() (path string, same bool, why string) {
	switch {
	case d.Path == "":
		return "", false, ""
	case !filepath.IsAbs(d.Path):
		return d.Path, false, fmt.Sprintf("an older scaleplan kept the plan's path as %q, relative to a folder it did not record", d.Path)
	}
	data, err := jsonfile.ReadFileCapped(d.Path, planner.MaxFileSize, "a plan file")
	switch {
	case errors.Is(err, os.ErrNotExist):
		return d.Path, false, d.Path + " is no longer there"
	case err != nil:
		return d.Path, false, err.Error()
	case !d.Disk.ok:
		return d.Path, false, "the unsaved work does not say which version of " + d.Path + " it was made on"
	case sha256.Sum256(data) != d.Disk.sum:
		return d.Path, false, d.Path + " has changed since the unsaved work was made on it"
	}
	return d.Path, true, ""
}
