package planner

import (
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// componentsPlan (testdata/components-by-hand.json, which the workbook
// tests also recalculate) has one component of each driver on a plan small
// enough to work out by hand: a flat day, one node (10 req/s, $2 an hour) in both
// phases, nothing else costing anything.
//
//	P1: 10 days × 86,400 calls (1 req/s), 240 node-hours
//	P2: 20 days × 172,800 calls (2 req/s), 480 node-hours
var componentsPlan = func() string {
	b, err := os.ReadFile("../testdata/components-by-hand.json")
	if err != nil {
		panic(err)
	}
	return string(b)
}()

// div365 is x / 365 to 30 places.
func div365(x string) decimal.Decimal { return dec(x).DivRound(decimal.NewFromInt(365), 30) }

func TestComponentsByHand(t *testing.T) {
	t.Parallel()
	p, err := Parse([]byte(componentsPlan))
	if err != nil {
		t.Fatal(err)
	}
	r := Compute(p)
	// Worked by hand (see componentsPlan):
	//   A per_call 0.001:        P1 864,000 calls → 864;  P2 3,456,000 → 3,456
	//   B per_1k_calls 0.20, P2: 3,456 thousand → 691.20
	//   C per_node_hour 0.05:    240 → 12;  480 → 24
	//   D per_month 1,200:       1,200 × 10 × 12/365 = 144,000/365;  × 20 → 288,000/365
	//   E one_time 5,000, P2:    5,000 in P2 only (its first phase)
	//   F per_gb_stored 200 kB kept 5 days at 0.10/GB-month: P1 writes 17.28 GB
	//     a day, P2 34.56. P1 keeps min(d,5) × 17.28 GB on day d: 691.2 GB-days;
	//     P2's days 11–14 keep 103.68, 120.96, 138.24, 155.52 GB and days
	//     15–30 172.8 GB: 3,283.2 GB-days. Cost = GB-days × 0.10 × 12/365.
	//   G per_gb_egress 50 kB at 0.09, P1: 43.2 GB → 3.888
	want := [][]decimal.Decimal{
		{dec("864"), dec("0"), dec("12"), div365("144000"), dec("0"), div365("829.44"), dec("3.888")},
		{dec("3456"), dec("691.2"), dec("24"), div365("288000"), dec("5000"), div365("3939.84"), dec("0")},
	}
	wantGB := [][2]string{{"86.4", "172.8"}}
	gpu := []decimal.Decimal{dec("480"), dec("960")}
	tol := decimal.New(1, -15)
	for i, ph := range r.Phases {
		if len(ph.Components) != 7 {
			t.Fatalf("%s has %d components, want 7", ph.Name, len(ph.Components))
		}
		total := gpu[i]
		for j, w := range want[i] {
			if got := ph.Components[j].Cost; got.Sub(w).Abs().GreaterThan(tol) {
				t.Errorf("%s %s = %s, want %s", ph.Name, ph.Components[j].Name, got, w)
			}
			total = total.Add(w)
		}
		if !ph.Cost.Of(CostGPU).Equal(gpu[i]) {
			t.Errorf("%s GPU = %s, want %s", ph.Name, ph.Cost.Of(CostGPU), gpu[i])
		}
		if ph.Cost.Total.Sub(total).Abs().GreaterThan(tol) {
			t.Errorf("%s total = %s, want %s", ph.Name, ph.Cost.Total, total)
		}
		if gb := ph.Components[5].Quantity; !gb.Equal(dec(wantGB[0][i])) {
			t.Errorf("%s dashboard keeps %s GB on its last day, want %s", ph.Name, gb, wantGB[0][i])
		}
	}
	// To the cent, as people read them: 1,756.68 and 10,931.04.
	for i, want := range []string{"1756.68", "10931.04"} {
		if got := r.Phases[i].Cost.Total.Round(2); !got.Equal(dec(want)) {
			t.Errorf("phase %d total to the cent = %s, want %s", i, got, want)
		}
	}
	if got := r.Totals.Cost.Total.Round(2); !got.Equal(dec("12687.72")) {
		t.Errorf("plan total = %s, want 12,687.72", got)
	}
	// The totals' components are the phases' summed.
	if got := r.Totals.Components[4].Cost; !got.Equal(dec("5000")) {
		t.Errorf("one-time total = %s, want 5000", got)
	}

	// Each day carries its share: the one-time cost on P2's first day
	// (day 11), stored data on its own day, and the days add up to the total.
	days := r.Timeline()
	sum := decimal.Zero
	for _, d := range days {
		sum = sum.Add(d.Cost)
	}
	if sum.Sub(r.Totals.Cost.Total).Abs().GreaterThan(decimal.New(1, -12)) {
		t.Errorf("the days add up to %s, the total is %s", sum, r.Totals.Cost.Total)
	}
	if jump := days[10].Cost.Sub(days[11].Cost); jump.LessThan(dec("4999")) {
		t.Errorf("day 11 costs %s, day 12 %s: the one-time 5,000 should fall on day 11", days[10].Cost, days[11].Cost)
	}

	// On the request path: A's 8 ms in both phases, B's 5 ms in P2 only.
	for i, ms := range []float64{8, 13} {
		l := r.Phases[i].Latency
		if l.ComponentsMs != ms || l.FixedMs != 20+ms {
			t.Errorf("phase %d: components add %v ms (fixed %v), want %v (fixed %v)", i, l.ComponentsMs, l.FixedMs, ms, 20+ms)
		}
	}
	// …and shift every quantile by exactly that much, nodes being the same.
	bare := p.Clone()
	bare.Components = nil
	rb := Compute(bare)
	for i, ms := range []float64{8, 13} {
		got := r.Phases[i].Latency.P99Ms - rb.Phases[i].Latency.P99Ms
		if d := got - ms; d > 1e-6 || d < -1e-6 {
			t.Errorf("phase %d: components move p99 by %v ms, want %v", i, got, ms)
		}
	}
}

func TestComponentsRoundTripAndFormat(t *testing.T) {
	t.Parallel()
	p, err := Parse([]byte(componentsPlan))
	if err != nil {
		t.Fatal(err)
	}
	out := Marshal(p)
	q, err := Parse(out)
	if err != nil {
		t.Fatalf("a saved plan with components does not reload: %v\n%s", err, out)
	}
	if string(Marshal(q)) != string(out) {
		t.Fatal("saving twice differs")
	}
	if FormatOf(p) != 2 {
		t.Errorf("a plan with components is format %d, want 2", FormatOf(p))
	}
	if len(q.Components) != 7 || q.Components[1].Phases[0] != "P2" || !q.Components[0].LatencyMs.Valid {
		t.Errorf("components did not survive a save: %+v", q.Components)
	}
	q.Components = nil
	if FormatOf(q) != 1 {
		t.Error("without components (and nothing else new) a plan is format 1")
	}
}

func TestComponentsRefusedByPath(t *testing.T) {
	t.Parallel()
	base := `{"format": 2, "name": "x", "start_date": "2027-01-01",
	  "assumptions": {"node_hourly": 2, "node_rps": 10, "target_utilization": 1},
	  "components": [%s],
	  "phases": [{"name": "P1", "days": 10, "calls_per_day": 1000}]}`
	cases := []struct{ comp, path, words string }{
		{`{"name": "a", "group": "data_ingestion", "driver": "per_hour", "price": 1}`, "components[0].driver", "must be one of \"per_call\""},
		{`{"name": "a", "group": "serving", "driver": "per_call", "price": 1}`, "components[0].group", "must be one of \"data_ingestion\""},
		{`{"name": "a", "group": "data_ingestion", "driver": "per_call", "price": -1}`, "components[0].price", "≥ 0"},
		{`{"name": "a", "group": "data_ingestion", "driver": "per_call", "price": 1, "phases": []}`, "components[0].phases", "at least one phase"},
		{`{"name": "a", "group": "data_ingestion", "driver": "per_call", "price": 1, "phases": ["P9"]}`, "components[0].phases[0]", "no phase is named \"P9\""},
		{`{"name": "a", "group": "data_ingestion", "driver": "per_gb_stored", "price": 1, "bytes_per_call": 10}`, "components[0].retention_days", "missing"},
		{`{"name": "a", "group": "data_ingestion", "driver": "per_gb_egress", "price": 1}`, "components[0].bytes_per_call", "missing"},
		{`{"name": "a", "group": "data_ingestion", "driver": "per_call", "price": 1, "bytes_per_call": 10}`, "components[0].bytes_per_call", "stores and sends nothing"},
		{`{"name": "a", "group": "data_ingestion", "driver": "per_call", "price": 1, "latency_ms": -3}`, "components[0].latency_ms", "milliseconds"},
		{`{"name": "a", "group": "data_ingestion", "driver": "per_call"}`, "components[0].price", "missing"},
		{`{"name": "a", "group": "data_ingestion", "driver": "per_call", "price": 1, "colour": 1}`, "components[0].colour", "unknown key"},
		{`{"name": "a", "group": "data_ingestion", "driver": "per_call", "price": 1}, {"name": "a", "group": "data_ingestion", "driver": "per_month", "price": 1}`, "components[1].name", "names two components"},
	}
	for _, c := range cases {
		_, err := Parse([]byte(strings.Replace(base, "%s", c.comp, 1)))
		if err == nil {
			t.Errorf("%s: accepted", c.comp)
			continue
		}
		if !strings.Contains(err.Error(), c.path+": ") || !strings.Contains(err.Error(), c.words) {
			t.Errorf("%s:\n got %v\nwant %s: …%s…", c.comp, err, c.path, c.words)
		}
	}
}

// The break-even volume with components is still the fewest calls a day at
// which the phase's margin is ≥ 0, checked by re-running the whole plan at
// that volume and one call fewer.
func TestComponentsBreakEvenVolumeByRerunning(t *testing.T) {
	t.Parallel()
	plans := []Plan{}
	p, err := Parse([]byte(componentsPlan))
	if err != nil {
		t.Fatal(err)
	}
	p.Assumptions.RevenuePerCall = dec("0.004") // so that its phases can break even
	plans = append(plans, p)
	for seed := uint64(0); len(plans) < 25 && seed < 400; seed++ {
		q := randomPlan(rand.New(rand.NewPCG(seed, 9)))
		if len(q.Components) > 0 && Validate(q) == nil {
			plans = append(plans, q)
		}
	}
	checked := 0
	for k, p := range plans {
		r := Compute(p)
		for i, ph := range r.Phases {
			margin := func(cpd int64) decimal.Decimal {
				q := p.Clone()
				q.Phases[i].CallsPerDay = cpd
				return Compute(q).Phases[i].Margin
			}
			if !ph.BreakEvenCallsPerDay.Valid {
				continue
			}
			checked++
			x := ph.BreakEvenCallsPerDay.Val
			if m := margin(x); m.LessThan(decimal.New(-1, -9)) {
				t.Errorf("plan %d %s: margin at the break-even volume %d is %s", k, ph.Name, x, m)
			}
			if x > 0 {
				if m := margin(x - 1); m.Sign() >= 0 {
					t.Errorf("plan %d %s: margin one call a day below %d is already %s", k, ph.Name, x, m)
				}
			}
		}
	}
	if checked < 10 {
		t.Errorf("only %d phases with components broke even: the check checks little", checked)
	}
}

// The scaling what-ifs equal re-running the whole plan with the phase's
// scaling changed.
// What an editor shows of a phase input, typed back, changes nothing: for
// every phase input of every phase of the shipped examples.
func TestPhaseFieldsRoundTripThroughTheirText(t *testing.T) {
	t.Parallel()
	for _, path := range []string{"../testdata/seed-roadmap.json", "../testdata/every-input-set.json", "../testdata/l4-fleet.json"} {
		p, err := Load(path)
		if err != nil {
			t.Fatal(err)
		}
		want := string(Marshal(p))
		for i := range p.Phases {
			for _, f := range PhaseFields() {
				q, err := SetInput(p, i, f.Key, f.Text(&p.Phases[i]))
				if err != nil {
					t.Errorf("%s phase %d %s: %q refused: %v", path, i, f.Key, f.Text(&p.Phases[i]), err)
					continue
				}
				if string(Marshal(q)) != want {
					t.Errorf("%s phase %d %s: typing back %q changed the plan", path, i, f.Key, f.Text(&p.Phases[i]))
				}
			}
		}
	}
}
