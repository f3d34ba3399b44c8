package simulate

import (
	"math"
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/planner"
	mgc "github.com/scaleplan/scaleplan/planner/queue"
)

// within3 reports whether got is within three 95 % half-widths (and a hair)
// of a closed form.
func within3(got Estimate, want float64) bool {
	return math.Abs(got.Value-want) <= 3*got.Half+1e-9*math.Abs(want)
}

// M/M/1: mean wait ρ/(μ − λ); P(wait) = ρ. μ = 1, λ = 0.7: 0.7/0.3 = 2.3333 s.
func TestSimulatorMM1MeanWait(t *testing.T) {
	t.Parallel()
	r := Stationary{Servers: 1, Lambda: 0.7, Service: Service{MeanSec: 1, CV: 1}}.Run(11, 20_000, 1_000_000)
	if !within3(r.MeanWait, 0.7/0.3) || !within3(r.WaitProb, 0.7) {
		t.Errorf("M/M/1: mean wait %.4f ± %.4f (want 2.3333), P(wait) %.4f ± %.4f (want 0.7)",
			r.MeanWait.Value, r.MeanWait.Half, r.WaitProb.Value, r.WaitProb.Half)
	}
}

// M/D/1: Pollaczek–Khinchine, W_q = ρ/(2μ(1 − ρ)): at ρ = 0.7, 0.7/0.6 = 1.1667 s,
// half the M/M/1 wait.
func TestSimulatorMD1PollaczekKhinchine(t *testing.T) {
	t.Parallel()
	r := Stationary{Servers: 1, Lambda: 0.7, Service: Service{MeanSec: 1, CV: 0}}.Run(12, 20_000, 1_000_000)
	if !within3(r.MeanWait, 0.7/0.6) {
		t.Errorf("M/D/1: mean wait %.4f ± %.4f, want 1.1667", r.MeanWait.Value, r.MeanWait.Half)
	}
	// M/G/1 with CV 2 (gamma): W_q = ρ(1 + c_s²)/(2μ(1 − ρ)) = 0.5 × 5 / 1 = 2.5 s at ρ = 0.5.
	r = Stationary{Servers: 1, Lambda: 0.5, Service: Service{MeanSec: 1, CV: 2}}.Run(13, 20_000, 2_000_000)
	if !within3(r.MeanWait, 2.5) {
		t.Errorf("M/G/1 CV 2: mean wait %.4f ± %.4f, want 2.5", r.MeanWait.Value, r.MeanWait.Half)
	}
}

// M/M/c: P(wait) is Erlang C; c = 5, a = 3 gives 0.23615 (tables: 0.2362),
// and the mean wait C/(cμ − λ) = 0.23615/2 = 0.11808 s.
func TestSimulatorMMcErlangC(t *testing.T) {
	t.Parallel()
	r := Stationary{Servers: 5, Lambda: 3, Service: Service{MeanSec: 1, CV: 1}}.Run(14, 20_000, 1_000_000)
	if !within3(r.WaitProb, 0.2361516) || !within3(r.MeanWait, 0.2361516/2) {
		t.Errorf("M/M/5: P(wait) %.4f ± %.4f (want 0.2362), mean wait %.4f ± %.4f (want 0.1181)",
			r.WaitProb.Value, r.WaitProb.Half, r.MeanWait.Value, r.MeanWait.Half)
	}
}

func TestSameSeedSameResult(t *testing.T) {
	t.Parallel()
	var hours [24]Hour
	for h := range hours {
		hours[h] = Hour{LoadRPS: 5 + float64(h%7), Servers: 2}
	}
	a := Day(hours, Service{MeanSec: 0.1, CV: 0.5}, 42, nil)
	b := Day(hours, Service{MeanSec: 0.1, CV: 0.5}, 42, nil)
	c := Day(hours, Service{MeanSec: 0.1, CV: 0.5}, 43, nil)
	if a.P99 != b.P99 || a.Calls != b.Calls || a.Hours[5] != b.Hours[5] {
		t.Errorf("same seed, different days: %+v vs %+v", a.P99, b.P99)
	}
	if a.P99 == c.P99 && a.Calls == c.Calls {
		t.Errorf("different seeds gave the same day")
	}
}

// A pool that shrinks at an hour boundary: its leaving servers finish the
// calls they hold, and nothing is lost or served twice.
func TestDayCountsEveryCall(t *testing.T) {
	t.Parallel()
	var hours [24]Hour
	for h := range hours {
		hours[h] = Hour{LoadRPS: 10, Servers: int64(2 + 3*(h%2))}
	}
	d := Day(hours, Service{MeanSec: 0.1, CV: 1}, 7, nil)
	total := 0
	for _, h := range d.Hours {
		total += h.Calls
	}
	// Poisson: 24 × 36,000 calls expected, sd √864,000 = 930.
	if total != d.Calls || math.Abs(float64(total)-864_000) > 5*930 {
		t.Errorf("%d calls in the hours, %d in the day, want about 864,000", total, d.Calls)
	}
}

// The model's p99 against the simulator on a fixed sample of the validation
// grid (the full grid is `make validate-latency`): every point inside its
// region's documented band, widened by the simulation's own interval.
func TestModelAgainstSimulatorSample(t *testing.T) {
	t.Parallel()
	sample := []struct {
		u  float64
		c  int64
		cv float64
	}{
		{0.3, 1, 0}, {0.5, 1, 0}, {0.9, 1, 0}, {0.7, 2, 0}, {0.5, 10, 0}, {0.95, 100, 0},
		{0.3, 1, 0.5}, {0.8, 5, 0.5}, {0.9, 20, 0.5}, {0.95, 40, 0.5},
		{0.5, 1, 1}, {0.8, 2, 1}, {0.9, 10, 1}, {0.7, 100, 1},
		{0.3, 1, 2}, {0.7, 2, 2}, {0.9, 5, 2}, {0.8, 40, 2},
	}
	for k, s := range sample {
		g := Measure(s.u, s.c, s.cv, uint64(100+k), 0.03, 1_000_000)
		if !g.Within {
			t.Errorf("u %.2f c %d cv %.1f: model p99 %.3f s, simulated %.3f ± %.1f %%: error %+.1f %% outside %s [%+.0f %%, %+.0f %%]",
				s.u, s.c, s.cv, g.ModelP99, g.Sim.P99.Value, 100*g.Sim.P99.RelHalf(), 100*g.Err, g.Band.Region, 100*g.Band.Low, 100*g.Band.High)
		}
	}
}

// The seed plan's every hour agrees with the simulator within its band.
func TestSeedPlanAgreesWithTheSimulator(t *testing.T) {
	t.Parallel()
	p, err := planner.Load("../testdata/seed-roadmap.json")
	if err != nil {
		t.Fatal(err)
	}
	r := planner.Compute(p)
	for i := range r.Phases {
		c, err := CheckPhase(&r.Phases[i], 1, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range c.Hours {
			if !h.Idle && !h.Saturated && !h.Within {
				t.Errorf("%s %02d:00: model p99 %.1f ms, simulated %.1f ± %.1f ms (%+.1f %%), band %s",
					c.Name, h.Hour, h.ModelP99, h.SimP99.Value, h.SimP99.Half, 100*h.ErrP99, h.Band.Region)
			}
		}
		if c.DayValid && math.Abs(c.ErrP99Day) > 0.10+c.SimP99.RelHalf() {
			t.Errorf("%s day: model p99 %.1f, simulated %.1f ± %.1f", c.Name, c.ModelP99Day, c.SimP99.Value, c.SimP99.Half)
		}
	}
}

func TestUnestimatedPhaseIsRefused(t *testing.T) {
	t.Parallel()
	p, _ := planner.Load("../testdata/seed-roadmap.json")
	p.Assumptions.ServiceMs = planner.Compute(p).Phases[0].Inputs.ServiceMs.Mul(planner.ConsistencyTolerance) // far off node_rps
	r := planner.Compute(p)
	if _, err := CheckPhase(&r.Phases[0], 1, nil); err == nil {
		t.Errorf("a phase without latency was simulated")
	}
}

// The seed's largest phase, every call of its typical day (5 million).
func BenchmarkSeedLargestPhaseDay(b *testing.B) {
	p, err := planner.Load("../testdata/seed-roadmap.json")
	if err != nil {
		b.Fatal(err)
	}
	r := planner.Compute(p)
	ph := &r.Phases[2]
	for i := 0; i < b.N; i++ {
		if _, err := CheckPhase(ph, uint64(i), nil); err != nil {
			b.Fatal(err)
		}
	}
}

// Only hours with both a model p99 and simulated calls are compared; an
// idle, a saturated or an unsampled hour is neither in nor out of the band.
func TestTallyCountsOnlyComparedHours(t *testing.T) {
	t.Parallel()
	var c Check
	for i := range c.Hours {
		c.Hours[i] = HourCheck{Hour: i, Sim: HourStat{Calls: 100}, Within: true}
	}
	c.Hours[0].Idle = true
	c.Hours[1].Saturated, c.Hours[1].Within = true, false
	c.Hours[2].Sim.Calls = 0
	c.Hours[3].Within = false
	c.Hours[4].Within = false
	if out, compared := c.Tally(); out != 2 || compared != 21 {
		t.Errorf("tally %d of %d, want 2 of 21 (24 less idle, saturated, unsampled)", out, compared)
	}
	if got := c.Verdict(); got != "2 of 21 hours are outside the model's validated band" {
		t.Errorf("verdict %q", got)
	}
	c.Hours[3].Within, c.Hours[4].Within = true, true
	if got := c.Verdict(); got != "all 21 hours are within the model's validated band" {
		t.Errorf("verdict %q", got)
	}
}

// The planner marks hours beyond the grid by its corners: they must be the
// grid's, and what lies beyond must be past them.
func TestGridCornersAreThePlannersValidatedRegion(t *testing.T) {
	t.Parallel()
	if GridUtilization[0] != mgc.GridMinUtilization || GridUtilization[len(GridUtilization)-1] != mgc.GridMaxUtilization ||
		GridServers[len(GridServers)-1] != mgc.GridMaxServers || GridCV[len(GridCV)-1] != mgc.GridMaxCV {
		t.Errorf("grid ρ %v, servers %v, CV %v; planner's corners ρ %g–%g, %d servers, CV %g",
			GridUtilization, GridServers, GridCV, mgc.GridMinUtilization, mgc.GridMaxUtilization, mgc.GridMaxServers, mgc.GridMaxCV)
	}
	for _, u := range BeyondUtilization {
		if b := mgc.BandOf(1, u, 1); !b.Unmeasured {
			t.Errorf("ρ %g is beyond the grid but banded %q", u, b.Region)
		}
	}
	for _, cv := range BeyondCV {
		if b := mgc.BandOf(1, 0.5, cv); !b.Unmeasured {
			t.Errorf("CV %g is beyond the grid but banded %q", cv, b.Region)
		}
	}
}

// A day too large to simulate is refused at once, naming the limit: a
// million calls a second, or a pool of a million servers.
func TestCheckPhaseRefusesWhatWouldRunForMinutes(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		plan, want string
	}{
		{`"node_rps": 20, "slots": 4, "service_ms": 200, "target_utilization": 0.8},
		 "phases": [{"name": "Huge", "days": 1, "calls_per_day": 86400000000, "scaling": "fixed", "nodes": 90000}]}`,
			"Huge: its typical day serves 86,400,000,000 calls; a simulation runs at most 50,000,000"},
		{`"node_rps": 20, "slots": 4, "service_ms": 200, "target_utilization": 0.8},
		 "phases": [{"name": "Wide", "days": 1, "calls_per_day": 1000000, "scaling": "fixed", "nodes": 950000}]}`,
			"Wide: its busiest hour runs 3,800,000 servers (nodes × slots); a simulation runs at most 100,000"},
	} {
		p, err := planner.Parse([]byte(`{"format": 2, "name": "big", "start_date": "2027-01-01", "assumptions": {"node_hourly": 1, ` + c.plan))
		if err != nil {
			t.Fatal(err)
		}
		r := planner.Compute(p)
		if _, err := CheckPhase(&r.Phases[0], 1, nil); err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%v\nwant %q", err, c.want)
		}
	}
}
