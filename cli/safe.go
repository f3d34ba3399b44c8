package cli

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// safeWriter escapes control characters on their way to a terminal: plan
// text (a phase name, a note) may hold escape sequences that would retitle
// or clear the terminal when printed raw. Newlines and tabs pass; every
// other C0 or C1 control and DEL is written as \xNN or \u00NN. JSON output
// carries none (encoding/json escapes them), so it passes unchanged.
type safeWriter struct {
	w    io.Writer
	tail []byte // an incomplete UTF-8 sequence from the last write
}

func (s *safeWriter) Write(p []byte) (int, error) {
	data := append(s.tail, p...)
	s.tail = nil
	out := make([]byte, 0, len(data))
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 && !utf8.FullRune(data[i:]) {
			s.tail = append([]byte(nil), data[i:]...) // finish it on the next write
			break
		}
		switch {
		case r == '\n' || r == '\t':
			out = append(out, byte(r))
		case r < 0x20 || r == 0x7f:
			out = fmt.Appendf(out, `\x%02x`, r)
		case r >= 0x80 && r <= 0x9f:
			out = fmt.Appendf(out, `\u%04x`, r)
		default:
			out = append(out, data[i:i+size]...)
		}
		i += size
	}
	if _, err := s.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}
