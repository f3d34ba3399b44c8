package jsonfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Object is a JSON Object that remembers its key order, so that errors are
// reported in the order of the file and duplicate keys can be refused.
type Object struct {
	Keys []string
	Vals map[string]any
}

// syntaxError is a file that is not JSON, located by line and column.
type syntaxError struct{ where, msg string }

func (e *syntaxError) Error() string { return e.where + ": " + e.msg }

// ParseTree reads one JSON value into Object, []any, json.Number, string,
// bool and nil, as parseTree does; a syntax error is an Errors with the
// line and column.
func ParseTree(data []byte) (any, error) {
	tree, err := parseTree(data)
	if err != nil {
		se := err.(*syntaxError)
		return nil, Errors{{Path: se.where, Msg: se.msg}}
	}
	return tree, nil
}

// parseTree reads one JSON value into Object, []any, json.Number, string,
// bool and nil. Numbers stay as their literal text: nothing passes through
// float64. Syntax errors name the line and column.
func parseTree(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	p := treeParser{dec: dec, data: data}
	v, err := p.value()
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &syntaxError{p.where(dec.InputOffset()), "unexpected data after the plan's closing brace"}
	}
	return v, nil
}

type treeParser struct {
	dec   *json.Decoder
	data  []byte
	depth int
}

// maxDepth keeps a hostile file from exhausting the stack.
const maxDepth = 64

func (p *treeParser) value() (any, error) {
	start := p.dec.InputOffset()
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.syntax(err, start)
	}
	switch t := tok.(type) {
	case json.Delim:
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxDepth {
			return nil, &syntaxError{p.where(start), fmt.Sprintf("nested more than %d levels deep", maxDepth)}
		}
		if t == '{' {
			return p.object()
		}
		return p.array()
	default:
		return t, nil
	}
}

func (p *treeParser) object() (any, error) {
	o := &Object{Vals: map[string]any{}}
	for p.dec.More() {
		at := p.dec.InputOffset()
		tok, err := p.dec.Token()
		if err != nil {
			return nil, p.syntax(err, at)
		}
		key := tok.(string) // the decoder only yields strings in key position
		if _, dup := o.Vals[key]; dup {
			return nil, &syntaxError{p.where(at), fmt.Sprintf("key %q appears twice in one Object", key)}
		}
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		o.Keys = append(o.Keys, key)
		o.Vals[key] = v
	}
	if _, err := p.dec.Token(); err != nil {
		return nil, p.syntax(err, p.dec.InputOffset())
	}
	return o, nil
}

func (p *treeParser) array() (any, error) {
	arr := []any{}
	for p.dec.More() {
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
	}
	if _, err := p.dec.Token(); err != nil {
		return nil, p.syntax(err, p.dec.InputOffset())
	}
	return arr, nil
}

func (p *treeParser) syntax(err error, at int64) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		at = se.Offset
	}
	msg := err.Error()
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		msg = "the file ends in the middle of the plan"
		at = int64(len(p.data))
	}
	msg = strings.TrimPrefix(msg, "json: ")
	return &syntaxError{p.where(at), "not valid JSON: " + msg}
}

// where turns a byte offset into "line L, column C".
func (p *treeParser) where(off int64) string { return Where(p.data, off) }

func Where(data []byte, off int64) string {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := int(off) - bytes.LastIndexByte(before, '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}

// Describe writes a JSON value the way an error message quotes it.
func Describe(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case bool:
		return fmt.Sprint(t)
	case json.Number:
		if len(t) > 40 {
			return string(t[:37]) + fmt.Sprintf("… (%d characters)", len(t))
		}
		return string(t)
	case string:
		if r := []rune(t); len(r) > 40 {
			t = string(r[:37]) + "..."
		}
		return fmt.Sprintf("%q", t)
	case *Object, map[string]any:
		return "an Object"
	case []any:
		return fmt.Sprintf("a list of %d", len(t))
	}
	return fmt.Sprintf("%v", v)
}
