package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// With --json, every command that fails on a file prints the problem as
// JSON on standard output — {"error", "problems": [{"path", "message"}]} —
// keeps the words on standard error, and exits as it would without --json.
// A usage error stays words, exit 2, with nothing on standard output.
func TestJSONErrorsAreJSON(t *testing.T) {
	const bad = "../testdata/invalid-plan.json"
	broken := writeBook(t, strings.Replace(staleBook, `"kind": "reserved"`, `"kind": "lease"`, 1))
	badBench := writeBook(t, `{"request_throughput": {"avg": 2}, "request_latency": {"unit": "fortnights", "avg": 1}}`)
	for _, c := range []struct {
		args []string
		path string // a problem's path the JSON must carry
	}{
		{[]string{"compute", "--json", bad}, "assumptions.target_utilization"},
		{[]string{"explain", "--json", bad}, "assumptions.target_utilization"},
		{[]string{"curve", "--json", "--phase", "1", bad}, "assumptions.target_utilization"},
		{[]string{"sensitivity", "--json", bad}, "assumptions.target_utilization"},
		{[]string{"simulate", "--json", bad}, "assumptions.target_utilization"},
		{[]string{"risk", "--json", bad}, "assumptions.target_utilization"},
		{[]string{"commit", "--json", "--rate", "3", bad}, "assumptions.target_utilization"},
		{[]string{"diff", "--json", bad, "../testdata/seed-roadmap.json"}, "assumptions.target_utilization"},
		{[]string{"import-bench", "--json", "--plan", bad, "../testdata/bench/guidellm-benchmarks.json"}, "assumptions.target_utilization"},
		{[]string{"import-bench", "--json", badBench}, "request_latency.unit"},
		{[]string{"prices", "list", "--json", "--book", broken}, "offers[0].commitments[0].kind"},
		{[]string{"compute", "--json", "no-such-plan.json"}, ""},
	} {
		withJSON := c.args
		without := make([]string, 0, len(c.args))
		for _, a := range c.args {
			if a != "--json" {
				without = append(without, a)
			}
		}
		code, out, errs := run(withJSON...)
		wantCode, _, wantErrs := run(without...)
		var got struct {
			Error    string `json:"error"`
			Problems []struct {
				Path, Message string
			} `json:"problems"`
		}
		if err := json.Unmarshal([]byte(out), &got); err != nil || got.Error == "" || got.Problems == nil {
			t.Errorf("%v: stdout %q is not the JSON error (%v)", c.args, out, err)
			continue
		}
		if code != wantCode || code == ExitOK || errs != wantErrs { // diff exits 2 on any error: its 1 means a --fail-on
			t.Errorf("%v: exit %d and stderr %q; without --json %d and %q", c.args, code, errs, wantCode, wantErrs)
		}
		found := c.path == ""
		for _, p := range got.Problems {
			found = found || (p.Path == c.path && p.Message != "")
		}
		if !found {
			t.Errorf("%v: no problem at %s in %+v", c.args, c.path, got.Problems)
		}
	}
	// A usage error is words, exit 2, stdout empty.
	if code, out, errs := run("compute", "--json", "--nope", bad); code != ExitUsage || out != "" || errs == "" {
		t.Errorf("a bad flag with --json: exit %d, stdout %q", code, out)
	}
}
