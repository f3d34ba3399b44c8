package ui

import (
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/scaleplan/scaleplan/planner"
)

// Document is the plan being edited: its file, whether it has unsaved
// changes, and an undo history. Plans are small, so the history keeps whole
// plans, which is simple and hard to get wrong. Every change goes through
// Apply, which recomputes the model; the window only renders.
type Document struct {
	Plan   planner.Plan
	Result planner.Result
	Path   string // "" until saved

	undo, redo []planner.Plan
	saved      int // len(undo) when last saved or opened; -1 when that state is gone
	onChange   []func()
}

// NewDocument wraps a plan that is not yet saved anywhere, or was just
// opened from path.
func NewDocument(p planner.Plan, path string) *Document {
	d := &Document{Plan: p, Path: path}
	d.Result = planner.Compute(p)
	return d
}

// Reset replaces the document's plan and file, forgetting the history (New,
// Open, a recovered session). dirty marks it as not saved anywhere.
func (d *Document) Reset(p planner.Plan, path string, dirty bool) {
	d.Path, d.undo, d.redo, d.saved = path, nil, nil, 0
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
	d.undo = append(d.undo, d.Plan)
	d.redo = nil
	if d.saved > len(d.undo) { // the saved state was on the redo branch
		d.saved = -1
	}
	d.set(p)
}

// Edit applies a planner edit that may be refused; a refused edit changes
// nothing and returns the planner's error.
func (d *Document) Edit(f func(planner.Plan) (planner.Plan, error)) error {
	p, err := f(d.Plan)
	if err != nil {
		return err
	}
	d.Apply(p)
	return nil
}

func (d *Document) set(p planner.Plan) {
	d.Plan = p
	d.Result = planner.Compute(p)
	d.changed()
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
	d.redo = append(d.redo, d.Plan)
	d.set(prev)
}

// Redo steps forward one undone change.
func (d *Document) Redo() {
	if !d.CanRedo() {
		return
	}
	next := d.redo[len(d.redo)-1]
	d.redo = d.redo[:len(d.redo)-1]
	d.undo = append(d.undo, d.Plan)
	d.set(next)
}

// SaveAs writes the plan to path atomically and makes it the document's file.
func (d *Document) SaveAs(path string) error {
	if err := planner.Save(path, d.Plan); err != nil {
		return err
	}
	d.Path = path
	d.saved = len(d.undo)
	d.changed()
	return nil
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
	Path string          `json:"path"`
	Plan json.RawMessage `json:"plan"`
}

// WriteRecovery keeps the unsaved plan in file (atomically), or removes file
// when there is nothing unsaved.
func (d *Document) WriteRecovery(file string) error {
	if !d.Dirty() {
		err := os.Remove(file)
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	b, err := json.Marshal(recovery{Path: d.Path, Plan: planner.Marshal(d.Plan)})
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	return planner.WriteFileAtomic(file, b)
}

// ReadRecovery returns the unsaved work kept in file, as a dirty document
// (its undo history starts at the recovered plan).
func ReadRecovery(file string) (*Document, error) {
	b, err := os.ReadFile(file)
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
	return d, nil
}
