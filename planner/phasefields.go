package planner

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
)

// PhaseField describes one of a phase's own inputs (its assumptions'
// overrides are Fields): its key in a plan file and an edit, how people
// name it, and how it is read from a file, written to one, shown in an
// editor, set from typed text and stored in a spreadsheet. Decoding,
// saving, SetInput, the grid's editor and the workbook's Inputs sheet all
// loop over PhaseFields.
type PhaseField struct {
	Key      string
	Label    string
	Unit     string
	Required bool // a plan file's phase must give it
	// Sheet says the workbook's Inputs sheet has a row for it (the name is
	// the column's header, notes are not a model input).
	Sheet bool

	read  func(d *decoder, path string, v any, ph *Phase)
	write func(w *jsonWriter, ph *Phase)
	text  func(ph *Phase) string
	set   func(q *Plan, ph *Phase, text string) string // "" or what is wrong
	value func(ph *Phase) any
}

var phaseFields = []PhaseField{
	{Key: KeyName, Label: "Name", Required: true,
		read:  func(d *decoder, path string, v any, ph *Phase) { ph.Name = d.Name(path, v) },
		write: func(w *jsonWriter, ph *Phase) { w.key(KeyName).str(ph.Name) },
		text:  func(ph *Phase) string { return ph.Name },
		set: func(q *Plan, ph *Phase, text string) string {
			if msg := nameProblem(text); msg != "" {
				return msg
			}
			renamePhaseIn(q, ph.Name, text)
			renameIn(q, "phases", ph.Name, text)
			ph.Name = text
			return ""
		},
		value: func(ph *Phase) any { return ph.Name }},
	wholeField(KeyDays, "Days", "days", daysRule, func(ph *Phase) *int64 { return &ph.Days }),
	wholeField(KeyCallsPerDay, "Calls per day", "calls/day", callsRule, func(ph *Phase) *int64 { return &ph.CallsPerDay }),
	optWholeField(KeyInputTokens, "Input tokens", "a call (blank: the variant's, or none)", tokensRule, func(ph *Phase) *Opt[int64] { return &ph.InputTokens }),
	optWholeField(KeyOutputTokens, "Output tokens", "a call (blank: the variant's, or none)", tokensRule, func(ph *Phase) *Opt[int64] { return &ph.OutputTokens }),
	{Key: KeyNodes, Label: "Nodes", Unit: "ceiling (blank: sized automatically)", Sheet: true,
		read: func(d *decoder, path string, v any, ph *Phase) {
			if v == nil { // null: sized automatically, as when omitted
				return
			}
			if n, ok := d.Number(path, v, nodesRule); ok {
				ph.Nodes = Some(n.IntPart())
			}
		},
		write: func(w *jsonWriter, ph *Phase) {
			if ph.Nodes.Valid {
				w.key(KeyNodes).raw(strconv.FormatInt(ph.Nodes.Val, 10))
			}
		},
		text: func(ph *Phase) string {
			if !ph.Nodes.Valid {
				return "auto"
			}
			return fmt.Sprint(ph.Nodes.Val)
		},
		set: func(_ *Plan, ph *Phase, text string) string {
			if text == "" || strings.EqualFold(text, "auto") {
				ph.Nodes = Opt[int64]{}
				return ""
			}
			n, msg := typedNumber(text, nodesRule, false)
			if msg != "" {
				return msg + ` (or "auto" to size automatically)`
			}
			ph.Nodes = Some(n.IntPart())
			return ""
		},
		value: func(ph *Phase) any {
			if ph.Nodes.Valid {
				return ph.Nodes.Val
			}
			return nil
		}},
	{Key: KeyScaling, Label: "Scaling", Unit: "fixed, autoscale or predictive", Sheet: true,
		read: func(d *decoder, path string, v any, ph *Phase) {
			s, ok := d.Text(path, v)
			if !ok {
				return
			}
			sc, err := ParseScaling(s)
			if err != nil {
				d.Fail(path, "%s", err)
			}
			ph.Scaling = sc
		},
		write: func(w *jsonWriter, ph *Phase) { w.key(KeyScaling).str(string(ph.Scaling)) },
		text:  func(ph *Phase) string { return string(ph.Scaling) },
		set: func(_ *Plan, ph *Phase, text string) string {
			sc, err := ParseScaling(strings.ToLower(text))
			if err != nil {
				return err.Error()
			}
			ph.Scaling = sc
			return ""
		},
		value: func(ph *Phase) any { return string(ph.Scaling) }},
	{Key: KeyOneTime, Label: "One-time cost", Unit: "paid on the first day", Sheet: true,
		read:  func(d *decoder, path string, v any, ph *Phase) { ph.OneTime, _ = d.Number(path, v, nonNegative) },
		write: func(w *jsonWriter, ph *Phase) { w.key(KeyOneTime).dec(ph.OneTime) },
		text:  func(ph *Phase) string { return ph.OneTime.String() },
		set: func(_ *Plan, ph *Phase, text string) string {
			n, msg := typedNumber(text, nonNegative, false)
			if msg == "" {
				ph.OneTime = n
			}
			return msg
		},
		value: func(ph *Phase) any { return ph.OneTime.InexactFloat64() }},
	{Key: KeyNotes, Label: "Notes",
		read: func(d *decoder, path string, v any, ph *Phase) { ph.Notes, _ = d.Text(path, v) },
		write: func(w *jsonWriter, ph *Phase) {
			if ph.Notes != "" {
				w.key(KeyNotes).str(ph.Notes)
			}
		},
		text: func(ph *Phase) string { return ph.Notes },
		set: func(_ *Plan, ph *Phase, text string) string {
			if msg := TextProblem(text); msg != "" {
				return msg
			}
			ph.Notes = text
			return ""
		},
		value: func(ph *Phase) any { return ph.Notes }},
	{Key: KeyVariant, Label: "Model variant", Unit: "its figures are in the orange cells below", Sheet: true,
		read: func(d *decoder, path string, v any, ph *Phase) { ph.Variant, _ = d.Text(path, v) },
		write: func(w *jsonWriter, ph *Phase) {
			if ph.Variant != "" {
				w.key(KeyVariant).str(ph.Variant)
			}
		},
		text: func(ph *Phase) string { return ph.Variant },
		set: func(q *Plan, ph *Phase, text string) string {
			if text == "" || strings.EqualFold(text, "none") {
				ph.Variant = ""
				return ""
			}
			if _, ok := q.Variant(text); !ok {
				names := make([]string, len(q.Variants))
				for i, v := range q.Variants {
					names[i] = v.Name
				}
				return fmt.Sprintf("no variant is named %q; choose one of %s, or none", text, strings.Join(names, ", "))
			}
			ph.Variant = text
			return ""
		},
		value: func(ph *Phase) any { return ph.Variant }},
}

// PhaseFields lists a phase's own inputs in file order.
func PhaseFields() []PhaseField { return append([]PhaseField(nil), phaseFields...) }

// LookupPhaseField finds a phase input by key.
func LookupPhaseField(key string) (PhaseField, bool) {
	for _, f := range phaseFields {
		if f.Key == key {
			return f, true
		}
	}
	return PhaseField{}, false
}

// Text is the phase's value as an editor shows it: exact, "auto" for an
// automatic node ceiling.
func (f PhaseField) Text(ph *Phase) string { return f.text(ph) }

// Value is the phase's value as a spreadsheet stores it; nil for none.
func (f PhaseField) Value(ph *Phase) any { return f.value(ph) }

// wholeField is a required whole-number phase input (days, calls a day).
func wholeField(key, label, unit string, r rule, at func(ph *Phase) *int64) PhaseField {
	return PhaseField{Key: key, Label: label, Unit: unit, Required: true, Sheet: true,
		read: func(d *decoder, path string, v any, ph *Phase) {
			n, _ := d.Number(path, v, r)
			*at(ph) = n.IntPart()
		},
		write: func(w *jsonWriter, ph *Phase) { w.key(key).raw(strconv.FormatInt(*at(ph), 10)) },
		text:  func(ph *Phase) string { return fmt.Sprint(*at(ph)) },
		set: func(_ *Plan, ph *Phase, text string) string {
			n, msg := typedNumber(text, r, false)
			if msg == "" {
				*at(ph) = n.IntPart()
			}
			return msg
		},
		value: func(ph *Phase) any { return *at(ph) }}
}

// optWholeField is an optional whole-number phase input (format 2): blank
// or null for none.
func optWholeField(key, label, unit string, r rule, at func(ph *Phase) *Opt[int64]) PhaseField {
	return PhaseField{Key: key, Label: label, Unit: unit, Sheet: true,
		read: func(d *decoder, path string, v any, ph *Phase) {
			if v == nil {
				return
			}
			if n, ok := d.Number(path, v, r); ok {
				*at(ph) = Some(n.IntPart())
			}
		},
		write: func(w *jsonWriter, ph *Phase) {
			if o := at(ph); o.Valid {
				w.key(key).raw(strconv.FormatInt(o.Val, 10))
			}
		},
		text: func(ph *Phase) string {
			if o := at(ph); o.Valid {
				return fmt.Sprint(o.Val)
			}
			return ""
		},
		set: func(_ *Plan, ph *Phase, text string) string {
			if text == "" || text == format.None {
				*at(ph) = Opt[int64]{}
				return ""
			}
			n, msg := typedNumber(text, r, false)
			if msg == "" {
				*at(ph) = Some(n.IntPart())
			}
			return msg
		},
		value: func(ph *Phase) any {
			if o := at(ph); o.Valid {
				return o.Val
			}
			return nil
		}}
}

// typedNumber reads a number as people type it and checks it against r,
// or says what is wrong.
func typedNumber(text string, r rule, fraction bool) (decimal.Decimal, string) {
	d, why := jsonfile.ParseTyped(text, fraction)
	switch {
	case why == jsonfile.ErrNotNumber:
		return d, fmt.Sprintf("must be %s, got %q", r.ExpectedText, text)
	case why != "": // a number past a limit: say the limit, not "a number"
		return d, fmt.Sprintf("%s, got %s", why, text)
	}
	if msg := r.Check(d); msg != "" {
		return d, fmt.Sprintf("%s, got %s", msg, text)
	}
	return d, ""
}

// phaseKeys are a phase's keys in a file: its inputs, then its overrides.
func phaseKeys() []string {
	out := make([]string, 0, len(phaseFields)+1)
	for _, f := range phaseFields {
		out = append(out, f.Key)
	}
	return append(out, "overrides")
}

func requiredPhaseKeys() []string {
	var out []string
	for _, f := range phaseFields {
		if f.Required {
			out = append(out, f.Key)
		}
	}
	return out
}
