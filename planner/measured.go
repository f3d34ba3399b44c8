package planner

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/scaleplan/scaleplan/planner/jsonfile"
)

// Measured inputs (docs/measured.md): an input set from a load test keeps
// where it came from, by its path like a range or a cited price: the
// tool, file, SHA-256 and run date of each file read, and the day it was
// imported. The grid shows it under the value and the workbook beside it;
// typing another value, resetting the input or deleting what holds it
// drops the record. A format-2 key, "measured".

// MeasuredFile is one load-test file an input was read from.
type MeasuredFile struct {
	Tool, File, SHA256 string
	RunDate            string // YYYY-MM-DD, "" when the file does not say
}

// Measurement is where one measured input came from.
type Measurement struct {
	Path     string // "variants[distilled].node_rps", "phases[Launch].slots", "assumptions.service_ms"
	Imported Date
	Files    []MeasuredFile
}

// MeasuredKeys are the inputs a load test sets: the per-call model's, or,
// for a plan that serves tokens, the token inputs the runs fix.
var (
	MeasuredCallKeys  = []string{"node_rps", "slots", "service_ms", "service_cv"}
	MeasuredTokenKeys = []string{KeyStepBase, KeyStepPerSeq, KeyPrefill}
	MeasuredKeys      = append(append([]string(nil), MeasuredCallKeys...), MeasuredTokenKeys...)
)

var sha256Pat = regexp.MustCompile(`^[0-9a-f]{64}$`)

// MeasurementAt returns the record of the input at path, if it was measured.
func (p *Plan) MeasurementAt(path string) (Measurement, bool) {
	for _, m := range p.Measured {
		if m.Path == path {
			return m, true
		}
	}
	return Measurement{}, false
}

// SourcePath is the path of the value phase i runs with for the assumption
// key: its own override, else its variant's figure, else the plan default.
func (p *Plan) SourcePath(i int, key string) string {
	ph := &p.Phases[i]
	if ph.Overrides.Has(key) {
		return "phases[" + ph.Name + "]." + key
	}
	if v, ok := p.Variant(ph.Variant); ok && v.Sets(key) {
		return "variants[" + v.Name + "]." + key
	}
	return "assumptions." + key
}

// Long says it in full, with each file's name and SHA-256.
func (m Measurement) Long() string {
	return fmt.Sprintf("measured: %s; imported %s", FileWords(m.Files, "; "), m.Imported)
}

// FileWords names each file with its tool, SHA-256 and run date.
func FileWords(fs []MeasuredFile, sep string) string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = fmt.Sprintf("%s %s (SHA-256 %s", f.Tool, f.File, f.SHA256)
		if f.RunDate != "" {
			out[i] += ", run " + f.RunDate
		}
		out[i] += ")"
	}
	return strings.Join(out, sep)
}

var measurementKeys = []string{"path", "imported", "files"}
var measuredFileKeys = []string{"tool", "file", "sha256", "run_date"}

func (d *decoder) measured(path string, v any) []Measurement {
	arr, ok := d.List(path, v, "measured inputs", 0)
	if !ok {
		return nil
	}
	out := make([]Measurement, len(arr))
	for i, e := range arr {
		mp := fmt.Sprintf("%s[%d]", path, i)
		m := &out[i]
		d.Fields(mp, e, measurementKeys, measurementKeys, func(k string, v any, path string) {
			switch k {
			case "path":
				m.Path, _ = d.Text(path, v)
			case "imported":
				m.Imported = d.Date(path, v)
			case "files":
				files, ok := v.([]any)
				if !ok || len(files) == 0 {
					d.Fail(path, "must list the load-test files the input was read from, got %s", jsonfile.Describe(v))
					return
				}
				for j, fv := range files {
					var f MeasuredFile
					d.Fields(fmt.Sprintf("%s[%d]", path, j), fv, measuredFileKeys, []string{"tool", "file", "sha256"}, func(k string, v any, path string) {
						s, _ := d.Text(path, v)
						switch k {
						case "tool":
							f.Tool = s
						case "file":
							f.File = s
						case "sha256":
							if !sha256Pat.MatchString(s) {
								d.Fail(path, "must be a SHA-256 in 64 lowercase hex digits, got %s", jsonfile.Describe(v))
							}
							f.SHA256 = s
						case "run_date":
							if _, err := ParseDate(s); err != nil {
								d.Fail(path, "must be a date written YYYY-MM-DD, got %s", jsonfile.Describe(v))
							}
							f.RunDate = s
						}
					})
					m.Files = append(m.Files, f)
				}
			}
		})
	}
	return out
}

// checkMeasured asks each record to name an input a load test sets, in a
// place the plan has, once.
func checkMeasured(p Plan, errs *Errors) {
	seen := map[string]bool{}
	for i, m := range p.Measured {
		path := fmt.Sprintf("measured[%d].path", i)
		section, name, key, ok := SplitPath(m.Path)
		known := false
		for _, k := range MeasuredKeys {
			known = known || k == key
		}
		switch {
		case !ok || !known:
			errs.Add(path, fmt.Sprintf("must name a measured input (%s) of the assumptions, a variant or a phase, got %q", strings.Join(MeasuredKeys, ", "), m.Path))
		case section == "variants":
			if _, ok := p.Variant(name); !ok {
				errs.Add(path, fmt.Sprintf("no variant is named %q", name))
			}
		case section == "phases":
			if _, ok := PhaseIndex(p)[name]; !ok {
				errs.Add(path, fmt.Sprintf("no phase is named %q", name))
			}
		case section != "assumptions" || name != "":
			errs.Add(path, fmt.Sprintf("must name a measured input of the assumptions, a variant or a phase, got %q", m.Path))
		}
		if seen[m.Path] {
			errs.Add(path, fmt.Sprintf("%q is recorded twice", m.Path))
		}
		seen[m.Path] = true
	}
}

func (w *jsonWriter) measured(ms []Measurement) {
	if len(ms) == 0 {
		return
	}
	w.key("measured").open('[')
	for _, m := range ms {
		w.item().open('{')
		w.key("path").str(m.Path)
		w.key("imported").str(m.Imported.String())
		w.key("files").open('[')
		for _, f := range m.Files {
			w.item().open('{')
			w.key("tool").str(f.Tool)
			w.key("file").str(f.File)
			w.key("sha256").str(f.SHA256)
			if f.RunDate != "" {
				w.key("run_date").str(f.RunDate)
			}
			w.close('}')
		}
		w.close(']')
		w.close('}')
	}
	w.close(']')
}
