package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// scaleplan commit on the seed: stranded after the plan, all on demand is
// the seed's GPU cost over the plan ($131,889.60, 19,170 node-hours × $6.88
// in compute), and the level is the one planner's brute-force test agrees on.
func TestCommitCommand(t *testing.T) {
	code, out, errs := run("commit", seed, "--rate", "4.128", "--after-plan", "stranded", "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var c struct {
		K            int64  `json:"k"`
		OnDemandCost string `json:"on_demand_cost"`
		Cost, Saving string
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	if c.OnDemandCost != "131889.60" || c.K != 2 {
		t.Errorf("k %d, on demand %s", c.K, c.OnDemandCost)
	}
	if code, out, _ := run("commit", seed, "--rate", "4.128"); code != ExitOK || !strings.Contains(out, "Commit 2 nodes for 12 months at $4.128 a node-hour") || !strings.Contains(out, "12-month commitment (8,760 hours)") {
		t.Errorf("table: exit %d\n%s", code, out)
	}
	if code, out, _ := run("commit", seed, "--rate", "4.128", "--spot", "2", "--interruption", "10%", "--json"); code != ExitOK ||
		!strings.Contains(out, `"uncommitted": "spot"`) || !strings.Contains(out, `"latency_safe": false`) {
		t.Errorf("with spot: exit %d\n%s", code, out)
	}
	for _, bad := range [][]string{{"commit", seed, "--rate", "4", "--spot", "x"}, {"commit", seed}, {"commit", seed, "--rate", "cheap"}, {"commit", seed, "--rate", "4", "--term", "0"}, {"commit", seed, "--rate", "4", "--after-plan", "forever"}} {
		if code, _, errs := run(bad...); code != ExitUsage || errs == "" {
			t.Errorf("%v: exit %d, %q", bad[2:], code, errs)
		}
	}
}
