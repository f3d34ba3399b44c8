package planner

import (
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
)

// Range is an uncertain input: a 90 % interval from Low to High, drawn from
// Dist. A format-2 value, written in place of the input's number:
//
//	"node_hourly": {"low": 5.5, "high": 8.5}
//
// Inputs with the same Group move together: one quantile draw serves the
// whole group (a bull year is bullish in every phase). The model itself
// uses the median (Median), so every view of the plan stays exact.
type Range struct {
	Low, High decimal.Decimal
	Dist      Dist
	Mode      Opt[decimal.Decimal] // triangular only
	Group     string
	// named says the file or the person named the distribution, so that a
	// plan is saved as it was written.
	named bool
}

// InputRange is a range and the path of the input it replaces, in the
// paths scenarios use: assumptions.KEY, phases[NAME].KEY,
// components[NAME].KEY, variants[NAME].KEY.
type InputRange struct {
	Path string
	Range
}

// Dist is a range's distribution.
type Dist string

// The distributions a range may follow.
const (
	// Lognormal: Low and High are its 5th and 95th percentiles (Squiggle's
	// "Low to High"). The default when Low > 0.
	Lognormal Dist = "lognormal"
	// Normal: Low and High are its 5th and 95th percentiles. The default
	// when Low ≤ 0.
	Normal Dist = "normal"
	// Uniform: Low and High are its bounds.
	Uniform Dist = "uniform"
	// Triangular: Low and High are its bounds and Mode its peak.
	Triangular Dist = "triangular"
)

// Dists lists the distributions in the order a menu shows them.
var Dists = []Dist{Lognormal, Normal, Uniform, Triangular}

// MedianPlaces is where a median that is not a finite decimal (√(LH)) is
// rounded, and a drawn value too.
const MedianPlaces = 12

// TriangularRange is low to high peaking at mode, which the model uses.
func TriangularRange(low, mode, high decimal.Decimal) Range {
	return Range{Low: low, High: high, Dist: Triangular, Mode: Some(mode), named: true}
}

// Kind is the distribution the range follows: the one it names, else
// lognormal when Low > 0 and normal otherwise.
func (r Range) Kind() Dist {
	if r.Dist != "" {
		return r.Dist
	}
	if r.Low.Sign() > 0 {
		return Lognormal
	}
	return Normal
}

// Median is the value the deterministic model uses: √(LH) for a lognormal,
// the midpoint for a normal or uniform, the mode for a triangular; whole
// rounds it half away from zero.
func (r Range) Median(whole bool) decimal.Decimal {
	var m decimal.Decimal
	switch r.Kind() {
	case Lognormal:
		m = sqrtDecimal(r.Low.Mul(r.High))
	case Triangular:
		m = r.Mode.Val
	default:
		m = r.Low.Add(r.High).Div(decimal.NewFromInt(2))
	}
	if whole {
		return m.Round(0)
	}
	return m
}

// sqrtDecimal is √x exactly when it is a finite decimal, else rounded to
// MedianPlaces.
func sqrtDecimal(x decimal.Decimal) decimal.Decimal {
	f, _ := new(big.Float).SetPrec(256).SetString(x.String())
	s := new(big.Float).SetPrec(256).Sqrt(f)
	d, _ := decimal.NewFromString(s.Text('f', 40))
	if r := d.Round(MedianPlaces); r.Mul(r).Equal(x) {
		return r
	}
	return d.Round(MedianPlaces)
}

// Words is the range as the grid shows it: "5.5–8.5", with its
// distribution when it is not the default and its group.
func (r Range) Words() string {
	s := format.Group(r.Low.String()) + "–" + format.Group(r.High.String())
	if r.Dist == Triangular {
		s += " (triangular, mode " + r.Mode.Val.String() + ")"
	} else if r.named && r.Dist != (Range{Low: r.Low}).Kind() {
		s += " (" + string(r.Dist) + ")"
	}
	if r.Group != "" {
		s += " [" + r.Group + "]"
	}
	return s
}

// problem says what is wrong with a range, or "".
func (r Range) problem() string {
	switch {
	case r.Low.GreaterThan(r.High):
		return fmt.Sprintf("low %s is above high %s", r.Low, r.High)
	case r.Kind() == Lognormal && r.Low.Sign() <= 0:
		return fmt.Sprintf("a lognormal range needs low > 0, got %s (use \"dist\": \"normal\" for a range through 0)", r.Low)
	case r.Dist == Triangular && !r.Mode.Valid:
		return "a triangular range needs a \"mode\""
	case r.Mode.Valid && r.Dist != Triangular:
		return "\"mode\" belongs to a triangular range; add \"dist\": \"triangular\" or drop it"
	case r.Mode.Valid && (r.Mode.Val.LessThan(r.Low) || r.Mode.Val.GreaterThan(r.High)):
		return fmt.Sprintf("mode %s is outside %s to %s", r.Mode.Val, r.Low, r.High)
	}
	return ""
}

// rangeKeys are a range object's keys.
var rangeKeys = []string{"low", "high", "dist", "mode", "group"}

// RangeSlot says whether an input at a path may be a range and whether it
// is a whole number. Text inputs, profiles, a phase's days and name are not.
func RangeSlot(section, key string) (ok, whole bool) {
	switch section {
	case "assumptions":
		if i := fieldIndex(key); i >= 0 {
			k := assumptionFields[i].Kind
			return k == KindDecimal || k == KindCount, k == KindCount
		}
	case "phases":
		switch key {
		case KeyCallsPerDay, KeyNodes:
			return true, true
		case KeyOneTime:
			return true, false
		}
		return RangeSlot("assumptions", key)
	case "variants":
		if s, ok := lookupVariantSetting(key); ok && s.ranged {
			return true, s.rule.Whole
		}
	case "components":
		switch key {
		case "price", "latency_ms":
			return true, false
		case "bytes_per_call", "retention_days":
			return true, true
		}
	}
	return false, false
}

// rangeRead is what the pre-pass found: the range, its file path, and the
// plan path it will be kept under.
type rangeRead struct {
	file string
	InputRange
}

// takeInputObjects finds the objects a plan file holds where numbers may
// be — ranges, and node prices citing a price book — replaces each with
// the number the model uses (a range's median, the cited price) so that
// the decoder reads a number, and returns them. An object where a number
// may not be one is reported here, once.
func (d *decoder) takeInputObjects(tree any) ([]rangeRead, []PriceRef) {
	top, ok := tree.(*jsonfile.Object)
	if !ok {
		return nil, nil
	}
	var out []rangeRead
	var refs []PriceRef
	visit := func(filePath, section, name string, o *jsonfile.Object, nested string) {
		for _, k := range o.Keys {
			ro, isObj := o.Vals[k].(*jsonfile.Object)
			if !isObj {
				continue
			}
			fp := filePath
			if nested != "" {
				fp = jsonfile.Join(fp, nested)
			}
			fp = jsonfile.Join(fp, k)
			if _, cites := ro.Vals["book"]; cites && k == "node_hourly" && !(section == "phases" && nested == "") {
				path := "assumptions." + k
				if section != "assumptions" {
					path = section + "[" + name + "]." + k
				}
				ref, good := d.priceRefObject(fp, path, ro)
				if !good {
					o.Vals[k] = badRange{}
					continue
				}
				o.Vals[k] = json.Number(ref.Hourly.String())
				refs = append(refs, ref)
				continue
			}
			if _, hasLow := ro.Vals["low"]; !hasLow {
				if _, hasHigh := ro.Vals["high"]; !hasHigh {
					continue
				}
			}
			slot, whole := RangeSlot(section, k)
			if section == "phases" && nested == "" && !(k == KeyCallsPerDay || k == KeyNodes || k == KeyOneTime) {
				slot = false // a phase's own keys other than these are not inputs that can be ranges; its assumptions sit under overrides
			}
			if !slot {
				d.Fail(fp, "cannot be a range; ranges are for numeric inputs (an assumption, a phase's calls_per_day, nodes or one_time, a variant's figure, a component's price, latency or bytes)")
				o.Vals[k] = badRange{}
				continue
			}
			r, good := d.rangeObject(fp, ro)
			if !good {
				o.Vals[k] = badRange{} // reported; keep the decoder from a second message
				continue
			}
			o.Vals[k] = json.Number(r.Median(whole).String())
			path := section + "." + k
			if name != "" || section != "assumptions" {
				path = section + "[" + name + "]." + k
			}
			out = append(out, rangeRead{file: fp, InputRange: InputRange{Path: path, Range: r}})
		}
	}
	if a, ok := top.Vals["assumptions"].(*jsonfile.Object); ok {
		visit("assumptions", "assumptions", "", a, "")
	}
	for _, section := range []string{"variants", "components", "phases"} {
		arr, _ := top.Vals[section].([]any)
		for i, e := range arr {
			o, ok := e.(*jsonfile.Object)
			if !ok {
				continue
			}
			name, _ := o.Vals["name"].(string)
			fp := fmt.Sprintf("%s[%d]", section, i)
			visit(fp, section, name, o, "")
			if section == "phases" {
				if ov, ok := o.Vals["overrides"].(*jsonfile.Object); ok {
					visit(fp, section, name, ov, "overrides")
				}
			}
		}
	}
	return out, refs
}

// badRange stands where a bad range was, so that the decoder says nothing
// more of it.
type badRange struct{}

// rangeObject reads {"low", "high", "dist", "mode", "group"}.
func (d *decoder) rangeObject(path string, o *jsonfile.Object) (Range, bool) {
	var r Range
	before := len(d.Errs)
	num := rule{Min: MaxAmount.Neg(), Max: MaxAmount, HasMax: true, ExpectedText: "a number"}
	d.Fields(path, o, rangeKeys, []string{"low", "high"}, func(k string, v any, path string) {
		switch k {
		case "low":
			r.Low, _ = d.Number(path, v, num)
		case "high":
			r.High, _ = d.Number(path, v, num)
		case "mode":
			if m, ok := d.Number(path, v, num); ok {
				r.Mode = Some(m)
			}
		case "dist":
			s, _ := d.Text(path, v)
			dist, ok := ParseDist(s)
			if !ok {
				d.Fail(path, "must be one of %s, got %s", jsonfile.Quoted(distNames()), jsonfile.Describe(v))
			}
			r.Dist, r.named = dist, true
		case "group":
			r.Group = d.Name(path, v)
		}
	})
	if len(d.Errs) > before {
		return r, false
	}
	if msg := r.problem(); msg != "" {
		d.Fail(path, "%s", msg)
		return r, false
	}
	return r, true
}

// ParseDist reads a distribution's name.
func ParseDist(s string) (Dist, bool) {
	for _, d := range Dists {
		if string(d) == s {
			return d, true
		}
	}
	return "", false
}

func distNames() []string {
	out := make([]string, len(Dists))
	for i, d := range Dists {
		out[i] = string(d)
	}
	return out
}

// checkRanges holds each range's ends to the input's own rule: a range of
// node prices may not dip below 0. It applies low and high to the plan as
// a scenario would.
func checkRanges(p Plan, reads []rangeRead, errs *Errors) {
	base := p.Clone()
	base.Scenarios, base.Ranges = nil, nil
	for _, end := range []struct {
		key string
		v   func(rangeRead) decimal.Decimal
	}{{"low", func(r rangeRead) decimal.Decimal { return r.Low }}, {"high", func(r rangeRead) decimal.Decimal { return r.High }}} {
		// Every range's end set at once on one copy, each checked by its
		// input's own rule, and the plan's checks across inputs run once:
		// linear in the ranges and the phases. Only when those find a
		// problem is each end set alone, to say whose it is.
		q := base.Clone()
		var bad []bool
		for _, rr := range reads {
			next, err := applyPath(q, ScenarioOverride{Path: rr.Path, Value: end.v(rr).String()}, false)
			if err != nil {
				errs.Add(rr.file+"."+end.key, strings.TrimPrefix(err.Error(), errPrefix(err)))
				bad = append(bad, true)
				continue
			}
			q, bad = next, append(bad, false)
		}
		if len(crossCheck(q)) == 0 {
			continue
		}
		for k, rr := range reads {
			if bad[k] {
				continue
			}
			if _, err := applyOverride(base, ScenarioOverride{Path: rr.Path, Value: end.v(rr).String()}); err != nil {
				errs.Add(rr.file+"."+end.key, strings.TrimPrefix(err.Error(), errPrefix(err)))
			}
		}
	}
}

// RangeAt is the range of the input at path, if it has one.
func (p *Plan) RangeAt(path string) (Range, bool) {
	for _, r := range p.Ranges {
		if r.Path == path {
			return r.Range, true
		}
	}
	return Range{}, false
}

// rangeText reads what a person types for a range: "5.5 to 8.5",
// "5.5..8.5" or "5.5–8.5".
var rangeText = regexp.MustCompile(`^\s*(\S+?)\s*(?:\bto\b|\.\.|–|—)\s*(\S+)\s*$`)

// ParseRangeText reads "L to H", "L..H" or "L–H" with the friendly number
// forms SetInput accepts ("$5.50", "2M", "70%" for a fraction). ok is false
// when the text is not a range at all (a plain number).
func ParseRangeText(text string, fraction bool) (low, high decimal.Decimal, ok bool, err string) {
	m := rangeText.FindStringSubmatch(text)
	if m == nil {
		return low, high, false, ""
	}
	l, okL := jsonfile.ParseAmount(m[1], fraction)
	h, okH := jsonfile.ParseAmount(m[2], fraction)
	if !okL || !okH {
		return low, high, true, fmt.Sprintf("a range is written LOW to HIGH, e.g. 5.5 to 8.5; got %q", text)
	}
	return l, h, true, ""
}

// SetInputText sets one input of the plan itself from typed text, as the
// grid does: a range ("5.5 to 8.5") makes the input uncertain and sets it
// to the range's median; a number makes it certain again.
func SetInputText(p Plan, phase int, key, text string) (Plan, error) {
	path := ScenarioPath(p, phase, key)
	section, _, k, _ := SplitPath(path)
	slot, _ := RangeSlot(section, k)
	fraction := false
	if i := fieldIndex(key); i >= 0 {
		f := &assumptionFields[i]
		fraction = f.rule.Max.Equal(one) && !f.rule.Whole
	}
	low, high, isRange, msg := ParseRangeText(text, fraction)
	if !isRange || !slot {
		q, err := SetInput(p, phase, key, text)
		if err != nil {
			return p, err
		}
		return q.bare(path), nil // a typed number is the value now
	}
	if msg != "" {
		return p, &FieldError{Path: inputPath(phase, key), Msg: msg}
	}
	return SetRange(p, path, p.retyped(path, low, high))
}

// retyped is the range at path with new ends, keeping its distribution and
// group (a triangular one whose mode falls outside becomes the default).
func (p *Plan) retyped(path string, low, high decimal.Decimal) Range {
	r, _ := p.RangeAt(path)
	r.Low, r.High = low, high
	if r.Dist == Triangular && r.Mode.Valid && (r.Mode.Val.LessThan(low) || r.Mode.Val.GreaterThan(high)) {
		r.Dist, r.Mode, r.named = "", Opt[decimal.Decimal]{}, false
	}
	return r
}

// SetComponentText sets one of component j's fields from typed text, as the
// component form does: a range ("100 to 250") for its price, latency, bytes
// or retention makes it uncertain; a number makes it certain again.
func SetComponentText(p Plan, j int, key, text string) (Plan, error) {
	if j < 0 || j >= len(p.Components) {
		return SetComponent(p, j, key, text)
	}
	path := "components[" + p.Components[j].Name + "]." + key
	slot, _ := RangeSlot("components", key)
	low, high, isRange, msg := ParseRangeText(text, false)
	if !isRange || !slot {
		q, err := SetComponent(p, j, key, text)
		if err != nil {
			return p, err
		}
		return q.bare(path), nil
	}
	if msg != "" {
		return p, &FieldError{Path: fmt.Sprintf("components[%d].%s", j, key), Msg: msg}
	}
	return SetRange(p, path, p.retyped(path, low, high))
}

// RangeEditText is what an editor offers for an uncertain input: "5.5 to
// 8.5"; ok is false when the input at path is certain.
func (p *Plan) RangeEditText(path string) (string, bool) {
	r, ok := p.RangeAt(path)
	if !ok {
		return "", false
	}
	return r.Low.String() + " to " + r.High.String(), true
}

// SetRange makes the input at path uncertain: it holds r, and the plan
// uses r's median. The range and both its ends must be valid for the input.
func SetRange(p Plan, path string, r Range) (Plan, error) {
	section, _, key, ok := SplitPath(path)
	slot, whole := RangeSlot(section, key)
	if !ok || !slot || section == "slo" {
		return p, &FieldError{Path: path, Msg: "cannot be a range"}
	}
	if msg := r.problem(); msg != "" {
		return p, &FieldError{Path: path, Msg: msg}
	}
	base := p.Clone()
	base.Scenarios = nil
	for _, end := range []decimal.Decimal{r.Low, r.High} {
		if _, err := applyOverride(base, ScenarioOverride{Path: path, Value: end.String()}); err != nil {
			return p, &FieldError{Path: path, Msg: strings.TrimPrefix(err.Error(), errPrefix(err))}
		}
	}
	scen := p.Scenarios
	q := p.Clone()
	q.Scenarios = nil
	q, err := applyOverride(q, ScenarioOverride{Path: path, Value: r.Median(whole).String()})
	if err != nil {
		return p, &FieldError{Path: path, Msg: strings.TrimPrefix(err.Error(), errPrefix(err))}
	}
	q.Scenarios = scen
	q = q.bare(path)
	q.Ranges = append(q.Ranges, InputRange{Path: path, Range: r})
	sort.SliceStable(q.Ranges, func(i, j int) bool { return q.Ranges[i].Path < q.Ranges[j].Path })
	return q, nil
}

// bare makes the input at path a bare number (its value stays): no range,
// no price citation, no record of a measurement. A typed value, a reset
// or a new range replaces what any of them said.
func (p Plan) bare(path string) Plan {
	_, isRange := p.RangeAt(path)
	_, isCited := p.PriceRefAt(path)
	_, isMeasured := p.MeasurementAt(path)
	if !isRange && !isCited && !isMeasured {
		return p
	}
	q := p.Clone()
	q.keepRecords(func(x string) bool { return x != path })
	return q
}

// keepRecords keeps, in place, the ranges, price citations and
// measurements whose path keep accepts: the plan's records kept by path.
func (q *Plan) keepRecords(keep func(string) bool) {
	q.Ranges = KeepPaths(q.Ranges, func(r *InputRange) string { return r.Path }, keep)
	q.PriceRefs = KeepPaths(q.PriceRefs, func(r *PriceRef) string { return r.Path }, keep)
	q.Measured = KeepPaths(q.Measured, func(m *Measurement) string { return m.Path }, keep)
}

// KeepPaths keeps, in place, the items whose path keep accepts: the one
// filter of the plan's path-keyed lists (ranges, price citations).
func KeepPaths[T any](list []T, path func(*T) string, keep func(string) bool) []T {
	kept := list[:0]
	for i := range list {
		if keep(path(&list[i])) {
			kept = append(kept, list[i])
		}
	}
	return kept
}

// renameRanges follows a rename of section[from] to section[to]: the
// records kept by path under it (ranges, citations, measurements) move
// with it.
func renameRanges(q *Plan, section, from, to string) {
	old, new := section+"["+from+"].", section+"["+to+"]."
	move := func(path *string) {
		if strings.HasPrefix(*path, old) {
			*path = new + strings.TrimPrefix(*path, old)
		}
	}
	for i := range q.Ranges {
		move(&q.Ranges[i].Path)
	}
	for i := range q.PriceRefs {
		move(&q.PriceRefs[i].Path)
	}
	for i := range q.Measured {
		move(&q.Measured[i].Path)
	}
}

// dropRanges removes every record kept by path under section[name].
func dropRanges(q *Plan, section, name string) {
	prefix := section + "[" + name + "]."
	q.keepRecords(func(p string) bool { return !strings.HasPrefix(p, prefix) })
}

// writeRange writes a range on one line.
func (w *jsonWriter) writeRange(r Range) {
	w.buf.WriteString(`{"low": ` + r.Low.String() + `, "high": ` + r.High.String())
	if r.named {
		w.buf.WriteString(`, "dist": "` + string(r.Dist) + `"`)
	}
	if r.Mode.Valid {
		w.buf.WriteString(`, "mode": ` + r.Mode.Val.String())
	}
	if r.Group != "" {
		w.buf.WriteString(`, "group": `)
		w.str(r.Group)
	}
	w.buf.WriteByte('}')
}
