package planner

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/scaleplan/scaleplan/planner/jsonfile"
)

// hostileInputs builds bad and extreme plan files from the seed: every way
// a file was attacked in review (truncations, flipped bytes, each value
// swapped for every other JSON type, floods, deep nesting, huge literals,
// control characters, marks), by name.
func hostileInputs(t testing.TB) map[string][]byte {
	seed, err := os.ReadFile("../testdata/seed-roadmap.json")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for off := 0; off < len(seed); off += 97 {
		out[fmt.Sprintf("truncated at %d", off)] = seed[:off]
	}
	rng := rand.New(rand.NewPCG(9, 9))
	for k := 0; k < 200; k++ {
		b := bytes.Clone(seed)
		for j := 0; j < 1+rng.IntN(4); j++ {
			b[rng.IntN(len(b))] = byte(rng.IntN(256))
		}
		out[fmt.Sprintf("flipped bytes %d", k)] = b
	}
	swaps := []string{`null`, `true`, `"text"`, `{}`, `[]`, `-1`, `0`, `1e300`, `"1e999999999"`, `[1,2]`, `{"a":1}`}
	keys := []string{`"format": 1`, `"name": "Inference`, `"start_date": "2027-01-04"`, `"node_hourly": 6.88`, `"node_rps": 22.2`,
		`"target_utilization": 0.7`, `"min_nodes": 2`, `"service_ms": 45`, `"service_cv": 0.5`, `"days": 90`, `"calls_per_day": 500000`,
		`"nodes": 2`, `"scaling": "fixed"`, `"p99_ms": 200`, `"accuracy": 0.93`, `"slots": 8`}
	for _, key := range keys {
		name := key[:strings.Index(key, ":")]
		for _, v := range swaps {
			src := string(seed)
			if i := strings.Index(src, key); i >= 0 {
				end := i + len(key)
				if strings.HasSuffix(key, "Inference") {
					end = i + strings.Index(src[i:], ",")
				}
				src = src[:i] + name + ": " + v + src[end:]
			}
			out[fmt.Sprintf("%s = %s", name, v)] = []byte(src)
		}
	}
	out["deep nesting"] = []byte(strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000))
	out["empty objects flood"] = []byte(`{"format":1,"name":"x","start_date":"2027-01-01","assumptions":{"node_hourly":1,"node_rps":1,"target_utilization":0.5},"phases":[` +
		strings.TrimSuffix(strings.Repeat("{},", 1_000_000), ",") + `]}`)
	out["unknown keys flood"] = []byte(strings.Replace(string(seed), `"node_type"`, strings.Repeat(`"zz": 1, `, 200_000)+`"node_type"`, 1))
	out["duplicate keys"] = []byte(strings.Replace(string(seed), `"node_rps": 22.2,`, `"node_rps": 22.2, "node_rps": 1,`, 1))
	out["10 MB number"] = []byte(strings.Replace(string(seed), `"node_hourly": 6.88`, `"node_hourly": `+strings.Repeat("7", 10_000_000), 1))
	out["control characters in a name"] = []byte(strings.Replace(string(seed), `"name": "Baseline"`, `"name": "Base\u001b[2J\u0007line"`, 1))
	out["byte-order mark"] = append([]byte("\xef\xbb\xbf"), seed...)
	out["not UTF-8"] = append(bytes.Clone(seed[:50]), 0xff, 0xfe)
	out["empty file"] = nil
	out["a list, not an object"] = []byte(`[1, 2, 3]`)
	out["plan ending after 9999"] = []byte(strings.Replace(string(seed), `"start_date": "2027-01-04"`, `"start_date": "9999-12-01"`, 1))
	out["huge fleet"] = []byte(strings.Replace(string(seed), `"calls_per_day": 5000000`, `"calls_per_day": 900000000000`, 1))
	out["format 3"] = []byte(strings.Replace(string(seed), `"format": 2`, `"format": 3`, 1))
	return out
}

// Every hostile input is answered at once — a plan, or problems each with
// a message — never a panic or a hang; a plan that loads also computes and
// saves to a file that loads again. The counts are in docs/robustness.md.
func TestHostileInputsAreAnsweredInWords(t *testing.T) {
	inputs := hostileInputs(t)
	accepted, refused := 0, 0
	for name, data := range inputs {
		start := time.Now()
		p, err := Parse(data)
		if took := time.Since(start); took > raceSlowdown*3*time.Second {
			t.Errorf("%s: %v to answer", name, took)
		}
		if err != nil {
			var errs Errors
			if !asErrors(err, &errs) || len(errs) == 0 || len(errs) > jsonfile.MaxProblems+1 {
				t.Errorf("%s: %v", name, err)
			}
			for _, e := range errs {
				if e.Msg == "" || len(e.Error()) > 600 {
					t.Errorf("%s: a problem without words, or too long: %q", name, e.Error())
				}
			}
			refused++
			continue
		}
		accepted++
		r := Compute(p)
		if _, err := Parse(Marshal(p)); err != nil || len(r.Phases) != len(p.Phases) {
			t.Errorf("%s: loads, but does not round-trip: %v", name, err)
		}
	}
	t.Logf("%d hostile inputs: %d loaded (and computed and round-tripped), %d refused with their problems in words", len(inputs), accepted, refused)
	if refused < len(inputs)/2 {
		t.Errorf("only %d of %d refused: the battery no longer attacks", refused, len(inputs))
	}
}

func asErrors(err error, es *Errors) bool {
	e, ok := err.(Errors)
	if ok {
		*es = e
	}
	return ok
}
