package loadtest

import (
	"sort"

	"github.com/scaleplan/scaleplan/planner"
)

// measuredFiles are the files read, as a plan records them.
func (b *Fit) measuredFiles() []planner.MeasuredFile {
	files := make([]planner.MeasuredFile, len(b.Files))
	for i, f := range b.Files {
		files[i] = planner.MeasuredFile{Tool: f.Tool, File: f.Name, SHA256: f.SHA256, RunDate: f.RunDate}
	}
	return files
}

// recordMeasured replaces the records of the inputs b set at the target.
func recordMeasured(p planner.Plan, b *Fit, t Target, today planner.Date) planner.Plan {
	q := p.Clone()
	prefix := t.Path(&q) + "."
	files := b.measuredFiles()
	for _, kv := range b.Inputs() { // a record for each input set
		path := prefix + kv[0]
		q.Measured = planner.KeepPaths(q.Measured, func(m *planner.Measurement) string { return m.Path }, func(x string) bool { return x != path })
		q.Measured = append(q.Measured, planner.Measurement{Path: path, Imported: today, Files: files})
	}
	sort.SliceStable(q.Measured, func(i, j int) bool { return q.Measured[i].Path < q.Measured[j].Path })
	return q
}
