package jsonfile

import (
	"strings"
)

// FieldError is one thing wrong with a plan, at a JSON path such as
// "phases[1].days".
type FieldError struct {
	Path string
	Msg  string
}

func (e FieldError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Errors is every problem found in a plan, in the order of the file. A plan
// with any of them is refused whole.
type Errors []FieldError

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// MaxProblems is how many problems a file is told at most: past that the
// rest are counted, not listed (a million unknown keys printed a million
// lines).
const MaxProblems = 100

// Add records one problem; past MaxProblems it only counts them.
func (es *Errors) Add(path, msg string) {
	switch n := len(*es); {
	case n < MaxProblems:
		*es = append(*es, FieldError{Path: path, Msg: msg})
	case n == MaxProblems: // located at the first one not listed, as every problem is
		*es = append(*es, FieldError{Path: path, Msg: "this and more problems, not listed: fix these first"})
	}
}

// Err returns es as an error, or nil when there are none.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}
