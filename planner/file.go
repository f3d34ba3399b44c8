package planner

import (
	"errors"
	"fmt"
	"io"

	"github.com/scaleplan/scaleplan/planner/jsonfile"
)

// MaxFileSize bounds what Load reads: a 10,000-phase plan is well under it,
// and a mistaken pick of a video file fails fast with a clear message.
const MaxFileSize = 32 << 20

// Load reads and validates the plan file at path.
func Load(path string) (Plan, error) { return LoadIn(path, nil) }

// LoadIn is Load with the price books the plan's citations resolve against.
func LoadIn(path string, src PriceSource) (Plan, error) {
	p, _, err := LoadBytesIn(path, src)
	return p, err
}

// Read reads and validates a plan from r.
func Read(r io.Reader) (Plan, error) { return ReadIn(r, nil) }

// ReadIn is Read with the price books the plan's citations resolve against.
func ReadIn(r io.Reader, src PriceSource) (Plan, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return Plan{}, err
	}
	if len(data) > MaxFileSize {
		return Plan{}, Errors{{Msg: fmt.Sprintf("the file is larger than %d MiB; is it a plan file?", MaxFileSize>>20)}}
	}
	return ParseIn(data, src)
}

// Save writes p to path atomically: the bytes go to a temporary file beside
// the target, are synced to disk, and only then replace the target by
// rename. A crash or a full disk leaves either the old file or the new one,
// never a mix.
func Save(path string, p Plan) error {
	// Never write a plan that could not be opened again.
	if err := Validate(p); err != nil {
		return fmt.Errorf("the plan was not saved, since it could not be opened again: %w", err)
	}
	return jsonfile.WriteFileAtomic(path, Marshal(p))
}

// LoadBytes is Load, also giving the bytes the plan was read from, so a
// caller can tell later whether the file on disk is still those bytes.
func LoadBytes(path string) (Plan, []byte, error) { return LoadBytesIn(path, nil) }

// LoadBytesIn is LoadBytes with the price books the plan's citations
// resolve against.
func LoadBytesIn(path string, src PriceSource) (Plan, []byte, error) {
	data, err := jsonfile.ReadFileCapped(path, MaxFileSize, "a plan file")
	var kind *jsonfile.FileKindError
	if errors.As(err, &kind) {
		return Plan{}, nil, Errors{{Msg: kind.Msg}}
	}
	if err != nil {
		return Plan{}, nil, err
	}
	p, err := ParseIn(data, src)
	return p, data, err
}
