package planner

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Marshal writes p as a plan file. The layout is canonical — keys in a fixed
// order, numbers in their exact decimal form, two-space indents, hourly
// profiles on one line — so saving twice gives the same bytes and a saved
// plan diffs cleanly under version control.
func Marshal(p Plan) []byte {
	w := jsonWriter{special: map[string]func(*jsonWriter){}}
	for _, r := range p.Ranges {
		w.special[r.Path] = func(w *jsonWriter) { w.writeRange(r.Range) }
	}
	for _, r := range p.PriceRefs {
		w.special[r.Path] = func(w *jsonWriter) { w.writePriceRef(r) }
	}
	w.open('{')
	if p.Schema != "" {
		w.key("$schema").str(p.Schema)
	}
	w.key("format").raw(strconv.Itoa(FormatOf(p)))
	w.key("name").str(p.Name)
	w.key("currency").str(p.Currency)
	w.key("start_date").str(p.StartDate.String())
	if p.Notes != "" {
		w.key("notes").str(p.Notes)
	}
	w.key("assumptions").open('{')
	w.at = "assumptions."
	for i := range assumptionFields {
		if f := &assumptionFields[i]; (f.Since <= 1 || !f.isDefault(&p.Assumptions)) && !omitNodeRPS(f, &p.Assumptions) {
			w.field(f, &p.Assumptions)
		}
	}
	w.endGroup()
	w.close('}')
	w.at = ""
	if anySLO(p.SLO) {
		w.key("slo").open('{')
		for _, f := range sloFields {
			w.optDec(f.Key, f.Of(p.SLO))
		}
		w.close('}')
	}
	if len(p.Variants) > 0 {
		w.key("variants").open('[')
		for _, v := range p.Variants {
			w.item().open('{')
			w.key("name").str(v.Name)
			w.at = "variants[" + v.Name + "]."
			for _, s := range variantSettings {
				w.optDec(s.Key, s.get(&v))
			}
			w.endGroup()
			w.at = ""
			w.close('}')
		}
		w.close(']')
	}
	w.components(p.Components)
	w.commitments(p.Commitments)
	w.measured(p.Measured)
	w.actualsMapping(p.ActualsMapping)
	w.scenarios(p.Scenarios)
	w.key("phases").open('[')
	for i := range p.Phases {
		ph := &p.Phases[i]
		w.item().open('{')
		w.at = "phases[" + ph.Name + "]."
		for _, f := range phaseFields {
			f.write(&w, ph)
		}
		if ph.Overrides.set != 0 {
			w.key("overrides").open('{')
			for j := range assumptionFields {
				if ph.Overrides.set&(1<<j) != 0 {
					w.field(&assumptionFields[j], &ph.Overrides.vals)
				}
			}
			w.endGroup()
			w.close('}')
		}
		w.at = ""
		w.close('}')
	}
	w.close(']')
	w.close('}')
	w.buf.WriteByte('\n')
	return w.buf.Bytes()
}

// FormatOf is the lowest plan format that holds p: 2 when it uses any key
// that format 2 added, else 1.
func FormatOf(p Plan) int {
	for i := range assumptionFields {
		f := &assumptionFields[i]
		if f.Since < 2 {
			continue
		}
		if !f.isDefault(&p.Assumptions) {
			return 2
		}
		for j := range p.Phases {
			if p.Phases[j].Overrides.Has(f.Key) {
				return 2
			}
		}
	}
	for _, v := range p.Variants {
		if v.Slots.Valid || v.ServiceCV.Valid || v.Figures.any() {
			return 2
		}
	}
	for _, f := range sloFields {
		if f.Since >= 2 && f.Of(p.SLO).Valid {
			return 2
		}
	}
	for i := range p.Phases {
		if p.Phases[i].InputTokens.Valid || p.Phases[i].OutputTokens.Valid {
			return 2
		}
	}
	if len(p.Components) > 0 || len(p.Scenarios) > 0 || len(p.Ranges) > 0 || len(p.PriceRefs) > 0 || len(p.Commitments) > 0 || len(p.Measured) > 0 || len(p.ActualsMapping) > 0 || p.Schema != "" {
		return 2
	}
	return 1
}

// jsonWriter writes indented JSON by hand so that the key order is ours.
type jsonWriter struct {
	buf   bytes.Buffer
	depth int
	first []bool // per open container: nothing written in it yet

	// Inputs written as objects (a range, a price reference): at is the
	// path of the object being written ("phases[Launch]."), and a key whose
	// path is special is written by its writer, the value that follows it
	// skipped.
	special map[string]func(*jsonWriter)
	at      string
	// group is the object of grouped keys being written ("decode_step_ms"),
	// groupAt the path before it.
	group, groupAt string
	skip           bool
}

func (w *jsonWriter) open(c byte) *jsonWriter {
	w.buf.WriteByte(c)
	w.depth++
	w.first = append(w.first, true)
	return w
}

// endGroup closes an object of grouped keys, if one is open.
func (w *jsonWriter) endGroup() {
	if w.group != "" {
		w.close('}')
		w.group, w.at = "", w.groupAt
	}
}

func (w *jsonWriter) close(c byte) {
	empty := w.first[len(w.first)-1]
	w.first = w.first[:len(w.first)-1]
	w.depth--
	if !empty {
		w.newline()
	}
	w.buf.WriteByte(c)
}

func (w *jsonWriter) item() *jsonWriter {
	if !w.first[len(w.first)-1] {
		w.buf.WriteByte(',')
	}
	w.first[len(w.first)-1] = false
	w.newline()
	return w
}

func (w *jsonWriter) key(k string) *jsonWriter {
	w.item()
	w.str(k)
	w.buf.WriteString(": ")
	if w.at != "" {
		if write, ok := w.special[w.at+k]; ok {
			write(w)
			w.skip = true
		}
	}
	return w
}

func (w *jsonWriter) newline() {
	w.buf.WriteByte('\n')
	for i := 0; i < w.depth; i++ {
		w.buf.WriteString("  ")
	}
}

func (w *jsonWriter) raw(s string) {
	if w.skip {
		w.skip = false
		return
	}
	w.buf.WriteString(s)
}

func (w *jsonWriter) dec(d decimal.Decimal) { w.raw(d.String()) }

func (w *jsonWriter) str(s string) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // keep "<" and "&" readable in names and notes
	_ = enc.Encode(s)        // a string always encodes
	w.buf.Write(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}

func (w *jsonWriter) optDec(k string, v Opt[decimal.Decimal]) {
	if v.Valid {
		w.groupedKey(k).dec(v.Val)
	}
}

// groupedKey writes a key, a grouped one inside its group's object:
// decode_step_ms.base as {"decode_step_ms": {"base": …}}. Grouped keys
// are adjacent in their lists; endGroup closes the last group.
func (w *jsonWriter) groupedKey(k string) *jsonWriter {
	group, sub, ok := strings.Cut(k, ".")
	if !ok {
		w.endGroup()
		return w.key(k)
	}
	if w.group != group {
		w.endGroup()
		w.key(group).open('{')
		w.group, w.groupAt = group, w.at
		w.at += group + "."
	}
	return w.key(sub)
}

func (w *jsonWriter) field(f *Field, a *Assumptions) {
	w.groupedKey(f.Key)
	switch f.Kind {
	case KindText:
		w.str(*f.txt(a))
	case KindDecimal:
		w.dec(*f.dec(a))
	case KindCount:
		w.raw(strconv.FormatInt(*f.cnt(a), 10))
	case KindProfile:
		w.buf.WriteByte('[')
		for i, v := range f.prof(a) {
			if i > 0 {
				w.buf.WriteString(", ")
			}
			w.dec(v)
		}
		w.buf.WriteByte(']')
	}
}
