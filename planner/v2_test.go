package planner

import (
	"strings"
	"testing"
)

// Format 2: a plan that uses none of the new keys still saves as format 1;
// one that does saves as 2; a file that says 1 but uses them is read as 2.
func TestFormatIsTheLowestThatHoldsThePlan(t *testing.T) {
	t.Parallel()
	p := parseMinimal(t, "", "")
	if out := string(Marshal(p)); !strings.Contains(out, `"format": 1,`) || strings.Contains(out, "slots") {
		t.Errorf("a plan with no format-2 keys should save as format 1 without slots:\n%s", out)
	}
	q := parseMinimal(t, `"target_utilization": 0.5}`, `"target_utilization": 0.5, "slots": 4}`)
	if q.Assumptions.Slots != 4 {
		t.Fatalf("slots %d", q.Assumptions.Slots)
	}
	out := Marshal(q)
	if !strings.Contains(string(out), `"format": 2,`) || !strings.Contains(string(out), `"slots": 4`) {
		t.Errorf("slots should save as format 2:\n%s", out)
	}
	if r, err := Parse(out); err != nil || r.Assumptions.Slots != 4 {
		t.Errorf("round trip: %v %d", err, r.Assumptions.Slots)
	}
	// A phase override of slots, even to 1, is format 2.
	o, err := SetInput(p, 0, "slots", "1")
	if err != nil || !strings.Contains(string(Marshal(o)), `"format": 2,`) {
		t.Errorf("an override of slots should save as format 2: %v", err)
	}
	// Slots are whole and at least 1.
	if _, err := SetInput(p, PlanDefault, "slots", "0"); err == nil {
		t.Errorf("0 slots accepted")
	}
	// The seed uses a variant with slots: format 2.
	if FormatOf(loadSeed(t)) != 2 {
		t.Errorf("the seed should need format 2")
	}
}

// Storage accrues: a 30-day phase with 365-day retention holds at most 30
// days of writes, not a year's. 1,000 calls × 1,000,000 B = 1 GB a day;
// Σ_{k=1}^{30} k = 465 GB-days × $0.10 × 12/365 = $1.528767; v1 billed
// 365 GB × $0.10 × 30 × 12/365 = $36.00, about 23× as much.
func TestStorageBillsWhatIsHeld(t *testing.T) {
	t.Parallel()
	p := parseMinimal(t, `"target_utilization": 0.5}`,
		`"target_utilization": 0.5, "stored_bytes_per_call": 1000000, "retention_days": 365, "storage_gb_month": 0.1}`)
	p.Phases[0].CallsPerDay = 1000
	ph := Compute(p).Phases[0]
	assertDec(t, "storage", ph.Cost.Of(CostStorage), 6, "1.528767")
	assertDec(t, "stored_gb", ph.StoredGB, 6, "30")
	// A second phase carries the first one's data: 10 more days at 2 GB a
	// day keep 30 + 2k GB on day k: Σ = 300 + 110 = 410 GB-days → $1.347945.
	p.Phases = append(p.Phases, Phase{Name: "Two", Days: 10, CallsPerDay: 2000, Scaling: Fixed})
	r := Compute(p)
	assertDec(t, "second storage", r.Phases[1].Cost.Of(CostStorage), 6, "1.347945")
	assertDec(t, "second kept", r.Phases[1].StoredGB, 6, "50")
}

// Break-even day is the first day from which the plan stays even: a plan
// ahead from day 1 that pays a one-time cost on day 91 and takes time to
// recover says so.
func TestBreakEvenDayIsForGood(t *testing.T) {
	t.Parallel()
	// One node at $1/h is $24 a day; 86,400 calls × $0.001 earn $86.40: $62.40
	// a day ahead, even from day 1. After day 90 the plan is 5,616 ahead;
	// phase two pays 10,000 on its first day, plan day 91: 5,616 + 62.4 −
	// 10,000 = −4,321.6, and ⌈4,321.6 / 62.4⌉ = 70 more days (day 161) close it.
	p := parseMinimal(t, `"target_utilization": 0.5}`, `"target_utilization": 0.5, "revenue_per_call": 0.001}`)
	p.Phases[0].Days = 90
	p.Phases[0].Nodes = Some[int64](1)
	p.Phases = append(p.Phases, Phase{Name: "Two", Days: 90, CallsPerDay: 86400, Scaling: Fixed, Nodes: Some[int64](1), OneTime: dec("10000")})
	be := Compute(p).BreakEven
	if !be.Day.Valid || be.Day.Val != 161 || !be.FirstEven.Valid || be.FirstEven.Val != 1 || be.Lost.Val != 91 {
		t.Fatalf("break-even %+v, want day 161, first even 1, lost 91", be)
	}
	if be.Date.Val != NewDate(2027, 6, 10) {
		t.Errorf("break-even date %s, want 2027-06-10", be.Date.Val)
	}
}

// The break-even volume is what re-running the model finds: at it the
// phase's margin is ≥ 0, one call a day less it is not.
func TestBreakEvenVolumeByRerunning(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"../testdata/seed-roadmap.json", "../testdata/l4-fleet.json", "../testdata/unprofitable-chat.json"} {
		p, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		r := Compute(p)
		for i, ph := range r.Phases {
			margin := func(cpd int64) float64 {
				q := p.Clone()
				q.Phases[i].CallsPerDay = cpd
				return Compute(q).Phases[i].Margin.InexactFloat64()
			}
			if !ph.BreakEvenCallsPerDay.Valid {
				// none: not even at 100× the plan
				if m := margin(100 * ph.CallsPerDay); m >= 0 {
					t.Errorf("%s %s: no break-even reported, but 100× the volume makes %.2f", path, ph.Name, m)
				}
				continue
			}
			x := ph.BreakEvenCallsPerDay.Val
			if m := margin(x); m < -1e-6 {
				t.Errorf("%s %s: margin at the break-even volume %d is %.4f", path, ph.Name, x, m)
			}
			if x > 0 {
				if m := margin(x - 1); m >= 0 {
					t.Errorf("%s %s: margin one call a day below %d is already %.4f", path, ph.Name, x, m)
				}
			}
		}
	}
}

// A capped fleet that overflows to batch at more than it earns never breaks
// even by growing: none, rather than a volume it cannot serve.
func TestCappedFleetBreakEvenIsReRun(t *testing.T) {
	t.Parallel()
	p := parseMinimal(t, `"target_utilization": 0.5}`, `"target_utilization": 0.5, "revenue_per_call": 0.001, "batch_cost_per_call": 0.002, "fixed_monthly": 100000}`)
	p.Phases[0].Nodes = Some[int64](1) // 10 req/s, 864,000 calls a day at most
	ph := Compute(p).Phases[0]
	if ph.BreakEvenCallsPerDay.Valid {
		t.Errorf("break-even %d on a fleet that loses more per overflow call than it earns", ph.BreakEvenCallsPerDay.Val)
	}
}
