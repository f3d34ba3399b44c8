package report

import (
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/internal/plantest"
	"github.com/scaleplan/scaleplan/planner"
)

// A token phase's checks name the objective, the worst hour and the
// figure against the target; a fleet held below the load says where it
// saturates and what the nodes serve at most.
func TestTokenChecksSayTheWorstHour(t *testing.T) {
	text := plantest.Text(t, "llm-chat-roadmap.json")
	p, err := planner.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	r := planner.Compute(p)
	for _, c := range r.Phases[2].Checks {
		d := CheckDetail(c)
		switch c.Name {
		case planner.CheckTTFT:
			h := r.Phases[2].Tokens.Day.TTFTp99Hour
			if !strings.HasPrefix(d, "TTFT p99 ") || !strings.Contains(d, "the worst hour, is within the 800 ms target") || !strings.Contains(d, " at "+twoDigits(h)+":00") {
				t.Errorf("ttft: %q", d)
			}
		case planner.CheckTPOT:
			if !strings.HasPrefix(d, "TPOT p99 ") || !strings.Contains(d, "within the 40 ms target") {
				t.Errorf("tpot: %q", d)
			}
		}
	}
	// Seven nodes at most: the 13:00 peak of 111.1 calls/s meets
	// 7 × 256000/16632.64 = 107.7 calls/s.
	capped := strings.Replace(text, `"calls_per_day": 5000000,`, `"calls_per_day": 5000000, "nodes": 7, "scaling": "fixed",`, 1)
	capped = strings.Replace(capped, `"scaling": "predictive",
      "one_time": 0
    }
  ]`, `"one_time": 0
    }
  ]`, 1)
	q, err := planner.Parse([]byte(capped))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range planner.Compute(q).Phases[2].Checks {
		if c.Name == planner.CheckTTFT {
			if d := CheckDetail(c); c.OK || d != "saturated at 13:00: 111.1 req/s offered to 7 nodes that serve at most 107.7 calls/s at a full batch, so calls queue without bound" {
				t.Errorf("capped: ok %v, %q", c.OK, d)
			}
		}
	}
}

func twoDigits(h int) string { return string(rune('0'+h/10)) + string(rune('0'+h%10)) }
