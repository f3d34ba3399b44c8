// Package risk is the Monte Carlo over a plan's ranges (docs/ranges.md): each
// draw sets every uncertain input at once, runs the model to the depth a
// draw needs, and the run reports the spread of cost, cost per call, nodes,
// p99 and break-even, the odds of missing the plan's ceilings and which inputs
// drive them. It imports planner; planner does not import it.
package risk

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
)

// Options steer a Monte Carlo run over a plan's ranges.
type Options struct {
	Draws  int    // how many plans to draw; DefaultDraws when 0
	Seed   uint64 // the PCG seed: the same seed and draws give the same answer
	Budget planner.Opt[decimal.Decimal]
	By     planner.Opt[planner.Date] // the date break-even should come by
	// Progress, when set, is told how many draws are done, now and then,
	// from a worker goroutine.
	Progress func(done, total int)
	// Stop, when it returns true, abandons the run (Result returns ErrStopped).
	Stop func() bool
	// Workers bounds the goroutines; GOMAXPROCS when 0.
	Workers int
}

// DefaultDraws is how many draws a risk run makes unless told.
const DefaultDraws = 10_000

// DefaultSeed is the seed every face draws with unless told otherwise (the
// CLI's --seed, the Result tab, the workbook's Result sheet), so they agree.
const DefaultSeed = 1

// MaxDraws bounds a run: a million draws of a small plan is minutes.
const MaxDraws = 1_000_000

// ErrTooLong is a run refused because the plan has too many phases for
// the fewest draws within MaxPhaseDraws (errors.Is); the error itself says
// the limit in words.
var ErrTooLong = errors.New("too many phases to draw")

type riskTooLong struct{ msg string }

func (e *riskTooLong) Error() string        { return e.msg }
func (e *riskTooLong) Is(target error) bool { return target == ErrTooLong }

// ErrStopped is a risk run abandoned by its Stop.
var ErrStopped = fmt.Errorf("the risk run was stopped")

// Spread is a quantity's distribution over the draws: its mean and
// percentiles, by Excel's PERCENTILE.INC (linear between order
// statistics). A draw where the quantity is unbounded (a saturated p99, a
// plan that never breaks even) counts as +Inf; a percentile that lands on
// one is +Inf too. N is how many draws had the quantity at all.
type Spread struct {
	Mean, P5, P10, P50, P90, P95 float64
	N                            int
}

// Result is what a Monte Carlo run over a plan's ranges says.
type Result struct {
	Draws  int
	Seed   uint64
	Inputs []planner.InputRange // the uncertain inputs drawn (a scenario's own values are not)
	Phases []Phase
	Totals Totals
	Odds   Odds
	// Drivers ranks the uncertain inputs by the strength of their rank
	// correlation with total cost, strongest first: a tornado.
	Drivers []Driver
	// Per draw, in draw order: the headline outputs, for histograms and the
	// workbook. BreakEvenDay is +Inf when the draw never breaks even.
	TotalCost, CostPerCall, BreakEvenDay []float64
	P99                                  []float64 // the worst phase's worst-hour p99: +Inf saturated, NaN without a latency model
	Fan                                  Fan
	Clamped                              int // drawn values outside what an input accepts, set to the range's nearer end
	Ceiling                              planner.Opt[decimal.Decimal]
	Target                               planner.Opt[decimal.Decimal]
	Budget                               planner.Opt[decimal.Decimal]
	By                                   planner.Opt[planner.Date]
	ByDay                                int64 // By as a plan day number
	// Asked is the draws asked for when fewer were drawn to keep the run
	// within MaxPhaseDraws; 0 when every draw asked for was drawn.
	Asked int
}

// MaxPhaseDraws bounds a run's work by its size, not its count: draws ×
// phases. A draw of a phase takes about 30 µs on one core, so a run stays
// within seconds; a longer plan gets fewer draws, and says so.
const MaxPhaseDraws = 200_000

// MinCappedDraws is the fewest draws a run whose size was capped may make;
// a plan so long that fewer fit is refused.
const MinCappedDraws = 200

// DrawsWords says the draws were cut to fit MaxPhaseDraws, or "".
func (r *Result) DrawsWords() string {
	if r.Asked == 0 {
		return ""
	}
	return fmt.Sprintf("%s of the %s draws asked for: %s phases × %s draws is the most a run computes (%s phase-draws)",
		format.Count(int64(r.Draws)), format.Count(int64(r.Asked)), format.Count(int64(len(r.Phases))), format.Count(int64(r.Draws)), format.Count(MaxPhaseDraws))
}

// capDraws is how many of n draws a plan of so many phases gets: all of
// them, or as many as MaxPhaseDraws phase-computes allow (asked is then n),
// or a refusal when that is fewer than MinCappedDraws.
func capDraws(n, phases int) (draws, asked int, err error) {
	phases = max(phases, 1)
	if n*phases <= MaxPhaseDraws {
		return n, 0, nil
	}
	fit := MaxPhaseDraws / phases
	if fit < MinCappedDraws {
		return 0, 0, &riskTooLong{fmt.Sprintf("a risk run computes at most %s phase-draws and at least %d draws: this plan's %s phases allow %s; draw a shorter plan, or a scenario of it",
			format.Count(MaxPhaseDraws), MinCappedDraws, format.Count(int64(phases)), format.Count(int64(fit)))}
	}
	return fit, n, nil
}

// Phase is one phase over the draws.
type Phase struct {
	Name                               string
	TotalCost, CostPerCall, Nodes, P99 Spread
	CostPerCallOverCeiling             planner.Opt[float64] // none without a cost ceiling
	P99OverTarget                      planner.Opt[float64] // none without a p99 target or a latency model
}

// Totals is the whole plan over the draws.
type Totals struct {
	TotalCost, CostPerCall, Nodes, P99, BreakEvenDay Spread // Nodes: the largest phase ceiling; P99: the worst phase's
}

// Odds are the probabilities a run answers, from 0 to 1; none when not
// asked (no budget, no date) or not defined (no ceiling, no p99 target).
type Odds struct {
	TotalCostOverBudget    planner.Opt[float64]
	CostPerCallOverCeiling planner.Opt[float64] // the plan's total cost per call
	P99OverTarget          planner.Opt[float64] // in any phase
	NoBreakEven            planner.Opt[float64]
	BreakEvenAfter         planner.Opt[float64]
}

// Driver is one uncertain input's Spearman rank correlation with total
// cost.
type Driver struct {
	Path, Label string
	Rho         float64
}

// Fan is cumulative cost and revenue over the plan's days: P10, P50 and P90
// at each of Days (at most FanPoints days, the last day always among them).
type Fan struct {
	Days                               []int64
	CostP10, CostP50, CostP90          []float64
	RevenueP10, RevenueP50, RevenueP90 []float64
}

// FanPoints is how many days the fan chart samples.
const FanPoints = 60

// draw is what one drawn plan gave.
type draw struct {
	cost, perCall, beDay float64
	nodes                int64
	p99                  float64 // worst phase; NaN without a latency model
	phases               []phaseDraw
	values               []float64 // each uncertain input's drawn value
	cumCost, cumRev      []float64 // at fan days
	clamped              int
}

type phaseDraw struct {
	cost, perCall, p99 float64
	nodes              int64
	hasPerCall         bool
}

// Run draws opt.Draws plans from p's ranges and computes each. p is the
// plan as shown: a scenario already applied keeps its own values for the
// inputs it overrides (those inputs are not drawn). Draws are spread over
// the cores; draw i uses its own PCG stream (seed, i), so the answer does
// not depend on how many cores ran it.
func Run(p planner.Plan, scenario string, opt Options) (Result, error) {
	n := opt.Draws
	if n == 0 {
		n = DefaultDraws
	}
	if n < 2 || n > MaxDraws {
		return Result{}, fmt.Errorf("draws must be from 2 to %d, got %d", MaxDraws, n)
	}
	base := p.Clone()
	if scenario != "" {
		var err error
		if base, err = p.Scenario(scenario); err != nil {
			return Result{}, err
		}
	}
	base.Scenarios = nil
	n, asked, err := capDraws(n, len(base.Phases))
	if err != nil {
		return Result{}, err
	}
	inputs := riskInputs(p, scenario)
	groups := groupIndex(inputs)
	// The draws share one cache: a range over prices or volumes leaves the
	// latency inputs, and so their figures, as they were.
	cache := new(planner.Cache)
	res := cache.Compute(base)
	out := Result{Draws: n, Asked: asked, Seed: opt.Seed, Inputs: inputs, Ceiling: base.SLO.MaxCostPerCall, Target: base.SLO.P99Ms, Budget: opt.Budget, By: opt.By}
	if opt.By.Valid {
		out.ByDay = opt.By.Val.DaysSince(base.StartDate) + 1
	}
	fanDays := fanDays(res.Days)
	draws := make([]draw, n)
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if len(inputs) == 0 {
		// Nothing is uncertain: every draw is the plan itself, computed once.
		d := drawOne(cache, base, inputs, groups, opt.Seed, 0, fanDays)
		for i := range draws {
			draws[i] = d
		}
		if opt.Progress != nil {
			opt.Progress(n, n)
		}
		out.summarise(res, draws, fanDays)
		return out, nil
	}
	var next, done atomic.Int64
	var stopped atomic.Bool
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n || stopped.Load() {
					return
				}
				if opt.Stop != nil && opt.Stop() {
					stopped.Store(true)
					return
				}
				draws[i] = drawOne(cache, base, inputs, groups, opt.Seed, uint64(i), fanDays)
				if d := done.Add(1); opt.Progress != nil && (d%100 == 0 || int(d) == n) {
					opt.Progress(int(d), n)
				}
			}
		}()
	}
	wg.Wait()
	if stopped.Load() {
		return Result{}, ErrStopped
	}
	out.summarise(res, draws, fanDays)
	return out, nil
}

// riskInputs are the ranges a run draws: the plan's, less those a scenario
// overrides.
func riskInputs(p planner.Plan, scenario string) []planner.InputRange {
	overridden := map[string]bool{}
	if i := p.ScenarioIndex(scenario); i >= 0 {
		for _, o := range p.Scenarios[i].Overrides {
			overridden[o.Path] = true
		}
	}
	var out []planner.InputRange
	for _, r := range p.Ranges {
		if !overridden[r.Path] {
			out = append(out, r)
		}
	}
	return out
}

// groupIndex gives each input the index of its quantile draw: one per
// group (in order of the groups' names), then one per ungrouped input.
func groupIndex(inputs []planner.InputRange) []int {
	var names []string
	seen := map[string]bool{}
	for _, r := range inputs {
		if r.Group != "" && !seen[r.Group] {
			seen[r.Group] = true
			names = append(names, r.Group)
		}
	}
	sort.Strings(names)
	at := map[string]int{}
	for i, g := range names {
		at[g] = i
	}
	idx, k := make([]int, len(inputs)), len(names)
	for i, r := range inputs {
		if r.Group != "" {
			idx[i] = at[r.Group]
		} else {
			idx[i] = k
			k++
		}
	}
	return idx
}

// unit is a uniform draw in the open interval (0, 1): a quantile function
// is infinite at 0.
func unit(rng *rand.Rand) float64 {
	return (float64(rng.Uint64()>>11) + 0.5) / (1 << 53)
}

// drawnOverride sets a drawn value: as a number where the input takes one
// (setInput checks it by its rule, no text made and read again), and as
// text for the keys set from text (a phase's own fields, variants,
// components).
func drawnOverride(path string, v decimal.Decimal) planner.ScenarioOverride {
	return planner.ScenarioOverride{Path: path, Value: v.String(), Num: planner.Some(v)}
}

func drawOne(cache *planner.Cache, base planner.Plan, inputs []planner.InputRange, groups []int, seed, i uint64, fanDays []int64) draw {
	rng := rand.New(rand.NewPCG(seed, i))
	us := make([]float64, len(inputs))
	for k := range us {
		us[k] = unit(rng)
	}
	var d draw
	q := base.Clone() // the draw's own: its inputs are set in place
	d.values = make([]float64, len(inputs))
	for k, in := range inputs {
		v := drawnValue(in, us[groups[k]])
		next, err := planner.SetPathUnchecked(q, drawnOverride(in.Path, v))
		if err != nil {
			// Outside what the input accepts (a normal range's tail below 0,
			// a share above 1): the range's nearer end, which is valid.
			d.clamped++
			if v.LessThan(in.Low) || (v.LessThan(in.High) && v.Sub(in.Low).LessThan(in.High.Sub(v))) {
				v = in.Low
			} else {
				v = in.High
			}
			next, _ = planner.SetPathUnchecked(q, drawnOverride(in.Path, v))
		}
		q = next
		if _, _, key, _ := planner.SplitPath(in.Path); key == "node_rps" && !rangedSibling(inputs, in.Path, "service_ms") {
			q, _ = planner.FollowThroughput(q, in.Path, v)
		}
		d.values[k] = v.InexactFloat64()
	}
	r := planner.ComputeDraw(q, cache)
	d.cost = r.Totals.Cost.Total.InexactFloat64()
	d.perCall = math.NaN()
	if r.Totals.CostPerCall.Valid {
		d.perCall = r.Totals.CostPerCall.Val.InexactFloat64()
	}
	d.nodes = r.Totals.PeakNodes
	d.beDay = math.Inf(1)
	if r.BreakEven.Day.Valid {
		d.beDay = float64(r.BreakEven.Day.Val)
	}
	d.p99 = math.NaN()
	d.phases = make([]phaseDraw, len(r.Phases))
	for k := range r.Phases {
		ph := &r.Phases[k]
		pd := phaseDraw{cost: ph.Cost.Total.InexactFloat64(), nodes: ph.Nodes, p99: p99Of(ph)}
		if ph.CostPerCall.Valid {
			pd.perCall, pd.hasPerCall = ph.CostPerCall.Val.InexactFloat64(), true
		}
		if !math.IsNaN(pd.p99) && (math.IsNaN(d.p99) || pd.p99 > d.p99) {
			d.p99 = pd.p99
		}
		d.phases[k] = pd
	}
	d.cumCost, d.cumRev = make([]float64, len(fanDays)), make([]float64, len(fanDays))
	j := 0
	r.EachDayFloat(func(_ int, day int64, cost, rev float64) {
		if j < len(fanDays) && day == fanDays[j] {
			d.cumCost[j], d.cumRev[j] = cost, rev
			j++
		}
	})
	return d
}

// p99Of is a phase's worst-hour p99 in ms, +Inf when saturated, NaN
// without a latency model.
func p99Of(ph *planner.PhaseResult) float64 {
	switch l := &ph.Latency; {
	case !l.Estimated:
		return math.NaN()
	case l.Saturated:
		return math.Inf(1)
	default:
		return l.P99Ms
	}
}

// drawnValue is the input's value at quantile u: the range's exact ends
// when they are equal, whole numbers rounded half away from zero, others
// to planner.MedianPlaces.
func drawnValue(in planner.InputRange, u float64) decimal.Decimal {
	if in.Low.Equal(in.High) {
		return in.Low
	}
	section, _, key, _ := planner.SplitPath(in.Path)
	_, whole := planner.RangeSlot(section, key)
	v := decimal.NewFromFloat(Quantile(in.Range, u))
	if whole {
		return v.Round(0)
	}
	return v.Round(planner.MedianPlaces)
}

func rangedSibling(inputs []planner.InputRange, path, key string) bool {
	sib := path[:strings.LastIndex(path, ".")+1] + key
	for _, r := range inputs {
		if r.Path == sib {
			return true
		}
	}
	return false
}

// fanDays are the days the fan chart samples: evenly spread, the last day
// always among them.
func fanDays(days int64) []int64 {
	if days <= 0 {
		return nil
	}
	n := min(days, FanPoints)
	out := make([]int64, n)
	for k := int64(0); k < n; k++ {
		out[k] = 1 + (days-1)*(k+1)/n
	}
	out[n-1] = days
	return out
}

func (out *Result) summarise(base planner.Result, draws []draw, days []int64) {
	n := len(draws)
	col := func(f func(d *draw) float64) []float64 {
		v := make([]float64, n)
		for i := range draws {
			v[i] = f(&draws[i])
		}
		return v
	}
	share := func(f func(d *draw) bool) float64 {
		c := 0
		for i := range draws {
			if f(&draws[i]) {
				c++
			}
		}
		return float64(c) / float64(n)
	}
	out.TotalCost = col(func(d *draw) float64 { return d.cost })
	out.CostPerCall = col(func(d *draw) float64 { return d.perCall })
	out.BreakEvenDay = col(func(d *draw) float64 { return d.beDay })
	out.P99 = col(func(d *draw) float64 { return d.p99 })
	for i := range draws {
		out.Clamped += draws[i].clamped
	}
	out.Totals = Totals{
		TotalCost:    SpreadOf(out.TotalCost),
		CostPerCall:  SpreadOf(out.CostPerCall),
		Nodes:        SpreadOf(col(func(d *draw) float64 { return float64(d.nodes) })),
		P99:          SpreadOf(out.P99),
		BreakEvenDay: SpreadOf(out.BreakEvenDay),
	}
	if out.Budget.Valid {
		b := out.Budget.Val.InexactFloat64()
		out.Odds.TotalCostOverBudget = planner.Some(share(func(d *draw) bool { return d.cost > b }))
	}
	if out.Ceiling.Valid {
		c := out.Ceiling.Val.InexactFloat64()
		out.Odds.CostPerCallOverCeiling = planner.Some(share(func(d *draw) bool { return d.perCall > c }))
	}
	latency := false
	for i := range base.Phases {
		latency = latency || base.Phases[i].Latency.Estimated
	}
	if out.Target.Valid && latency {
		t := out.Target.Val.InexactFloat64()
		out.Odds.P99OverTarget = planner.Some(share(func(d *draw) bool { return d.p99 > t }))
	}
	out.Odds.NoBreakEven = planner.Some(share(func(d *draw) bool { return math.IsInf(d.beDay, 1) }))
	if out.By.Valid {
		by := float64(out.ByDay)
		out.Odds.BreakEvenAfter = planner.Some(share(func(d *draw) bool { return d.beDay > by }))
	}
	for k := range base.Phases {
		rp := Phase{Name: base.Phases[k].Name,
			TotalCost:   SpreadOf(col(func(d *draw) float64 { return d.phases[k].cost })),
			CostPerCall: SpreadOf(col(func(d *draw) float64 { return perCallOr(d.phases[k]) })),
			Nodes:       SpreadOf(col(func(d *draw) float64 { return float64(d.phases[k].nodes) })),
			P99:         SpreadOf(col(func(d *draw) float64 { return d.phases[k].p99 })),
		}
		if out.Ceiling.Valid {
			c := out.Ceiling.Val.InexactFloat64()
			rp.CostPerCallOverCeiling = planner.Some(share(func(d *draw) bool { return d.phases[k].hasPerCall && d.phases[k].perCall > c }))
		}
		if out.Target.Valid && base.Phases[k].Latency.Estimated {
			t := out.Target.Val.InexactFloat64()
			rp.P99OverTarget = planner.Some(share(func(d *draw) bool { return d.phases[k].p99 > t }))
		}
		out.Phases = append(out.Phases, rp)
	}
	for k, in := range out.Inputs {
		rho := Spearman(col(func(d *draw) float64 { return d.values[k] }), out.TotalCost)
		out.Drivers = append(out.Drivers, Driver{Path: in.Path, Label: planner.InputLabel(in.Path), Rho: rho})
	}
	sort.SliceStable(out.Drivers, func(a, b int) bool {
		return math.Abs(nanZero(out.Drivers[a].Rho)) > math.Abs(nanZero(out.Drivers[b].Rho))
	})
	out.Fan.Days = days
	for j := range days {
		c := col(func(d *draw) float64 { return d.cumCost[j] })
		r := col(func(d *draw) float64 { return d.cumRev[j] })
		sort.Float64s(c)
		sort.Float64s(r)
		out.Fan.CostP10 = append(out.Fan.CostP10, percentileSorted(c, 0.10))
		out.Fan.CostP50 = append(out.Fan.CostP50, percentileSorted(c, 0.50))
		out.Fan.CostP90 = append(out.Fan.CostP90, percentileSorted(c, 0.90))
		out.Fan.RevenueP10 = append(out.Fan.RevenueP10, percentileSorted(r, 0.10))
		out.Fan.RevenueP50 = append(out.Fan.RevenueP50, percentileSorted(r, 0.50))
		out.Fan.RevenueP90 = append(out.Fan.RevenueP90, percentileSorted(r, 0.90))
	}
}

func perCallOr(p phaseDraw) float64 {
	if p.hasPerCall {
		return p.perCall
	}
	return math.NaN()
}

func nanZero(x float64) float64 {
	if math.IsNaN(x) {
		return 0
	}
	return x
}

// SpreadOf summarises values, leaving out NaN (a draw without the
// quantity).
func SpreadOf(values []float64) Spread {
	v := make([]float64, 0, len(values))
	sum := 0.0
	for _, x := range values {
		if !math.IsNaN(x) {
			v = append(v, x)
			sum += x
		}
	}
	if len(v) == 0 {
		nan := math.NaN()
		return Spread{Mean: nan, P5: nan, P10: nan, P50: nan, P90: nan, P95: nan}
	}
	sort.Float64s(v)
	return Spread{Mean: sum / float64(len(v)), N: len(v),
		P5: percentileSorted(v, 0.05), P10: percentileSorted(v, 0.10), P50: percentileSorted(v, 0.50),
		P90: percentileSorted(v, 0.90), P95: percentileSorted(v, 0.95)}
}

// Percentile is Excel's PERCENTILE.INC of values at p in [0, 1]: with the
// values sorted, the one at rank h = (n − 1)·p, interpolated linearly
// between the two order statistics around it.
func Percentile(values []float64, p float64) float64 {
	v := append([]float64(nil), values...)
	sort.Float64s(v)
	return percentileSorted(v, p)
}

func percentileSorted(v []float64, p float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	h := float64(len(v)-1) * p
	lo := int(math.Floor(h))
	if lo >= len(v)-1 {
		return v[len(v)-1]
	}
	if math.IsInf(v[lo+1], 1) {
		if h == float64(lo) {
			return v[lo]
		}
		return math.Inf(1)
	}
	return v[lo] + (h-float64(lo))*(v[lo+1]-v[lo])
}

// Spearman is the rank correlation of x and y (ties share their mean rank):
// the Pearson correlation of their ranks. NaN when either does not vary.
func Spearman(x, y []float64) float64 {
	rx, ry := ranks(x), ranks(y)
	n := float64(len(x))
	var mx, my float64
	for i := range rx {
		mx += rx[i]
		my += ry[i]
	}
	mx, my = mx/n, my/n
	var sxy, sxx, syy float64
	for i := range rx {
		dx, dy := rx[i]-mx, ry[i]-my
		sxy += dx * dy
		sxx += dx * dx
		syy += dy * dy
	}
	if sxx == 0 || syy == 0 {
		return math.NaN()
	}
	return sxy / math.Sqrt(sxx*syy)
}

// ranks are 1-based ranks, ties sharing their mean; NaN ranks last.
func ranks(v []float64) []float64 {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	less := func(a, b float64) bool {
		if math.IsNaN(b) {
			return !math.IsNaN(a)
		}
		return a < b
	}
	sort.SliceStable(idx, func(a, b int) bool { return less(v[idx[a]], v[idx[b]]) })
	out := make([]float64, len(v))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && (v[idx[j+1]] == v[idx[i]] || (math.IsNaN(v[idx[j+1]]) && math.IsNaN(v[idx[i]]))) {
			j++
		}
		r := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			out[idx[k]] = r
		}
		i = j + 1
	}
	return out
}

// Metric is one quantity a risk run spreads: its JSON key, its label,
// how its values read (Unit), and where it is in the totals and in a phase
// (nil when it is the plan's alone). Renderers loop over Metrics.
type Metric struct {
	Key, Label string
	Unit       string // UnitMoney, UnitPerCall, UnitCount, UnitMs or UnitDay
	Total      func(t *Totals) Spread
	Phase      func(p *Phase) Spread
}

// How a risk metric's values read.
const (
	UnitMoney   = "money"
	UnitPerCall = "per_call"
	UnitCount   = "count"
	UnitMs      = "ms"
	UnitDay     = "day"
)

// Metrics are the quantities a risk run reports, in the order shown.
var Metrics = []Metric{
	{Key: "total_cost", Label: "Total cost", Unit: UnitMoney,
		Total: func(t *Totals) Spread { return t.TotalCost }, Phase: func(p *Phase) Spread { return p.TotalCost }},
	{Key: "cost_per_call", Label: "Cost per call", Unit: UnitPerCall,
		Total: func(t *Totals) Spread { return t.CostPerCall }, Phase: func(p *Phase) Spread { return p.CostPerCall }},
	{Key: "nodes", Label: "Nodes (ceiling)", Unit: UnitCount,
		Total: func(t *Totals) Spread { return t.Nodes }, Phase: func(p *Phase) Spread { return p.Nodes }},
	{Key: "p99_ms", Label: "p99, worst hour (ms)", Unit: UnitMs,
		Total: func(t *Totals) Spread { return t.P99 }, Phase: func(p *Phase) Spread { return p.P99 }},
	{Key: "break_even_day", Label: "Break-even day", Unit: UnitDay,
		Total: func(t *Totals) Spread { return t.BreakEvenDay }},
}

// Odd is one probability a risk run answers, with the event in words.
type Odd struct {
	Key   string // its JSON key
	Event string // "cost per call exceeds the $0.03 ceiling"
	P     planner.Opt[float64]
	Asked bool // false: the run was not asked (no budget, no date) or it is not defined (no ceiling, no p99 target)
}

// OddsList lists the plan-wide probabilities in a fixed order, each with
// its event in words; an unasked one has Asked false.
func (r *Result) OddsList(currency string) []Odd {
	money := func(o planner.Opt[decimal.Decimal], unit bool) string {
		if !o.Valid {
			return ""
		}
		if unit {
			return format.UnitPrice(o.Val, currency)
		}
		return format.Money(o.Val, currency)
	}
	target := ""
	if r.Target.Valid {
		target = r.Target.Val.String() + " ms"
	}
	by := ""
	if r.By.Valid {
		by = r.By.Val.String()
	}
	odds := []Odd{
		{Key: "total_cost_over_budget", Event: "total cost exceeds the budget of " + money(r.Budget, false), P: r.Odds.TotalCostOverBudget},
		{Key: "cost_per_call_over_ceiling", Event: "cost per call exceeds the " + money(r.Ceiling, true) + " ceiling", P: r.Odds.CostPerCallOverCeiling},
		{Key: "p99_over_target", Event: "p99 exceeds " + target + " in some phase", P: r.Odds.P99OverTarget},
		{Key: "no_break_even", Event: "the plan never breaks even", P: r.Odds.NoBreakEven},
		{Key: "break_even_after", Event: "break-even comes after " + by, P: r.Odds.BreakEvenAfter},
	}
	for i := range odds {
		odds[i].Asked = odds[i].P.Valid
	}
	return odds
}

// FiniteRange is the least and greatest of the finite values; ok is false
// when there are none.
func FiniteRange(values []float64) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, x := range values {
		if !math.IsNaN(x) && !math.IsInf(x, 0) {
			lo, hi = math.Min(lo, x), math.Max(hi, x)
		}
	}
	return lo, hi, lo <= hi
}

// Histogram bins the finite values into n equal bins from lo to hi (hi >
// lo): the n + 1 edges, and how many values fall in each bin — edge k ≤ x <
// edge k+1, the last bin closed, as a spreadsheet's COUNTIFS over the same
// edges counts them. Values outside [lo, hi] are left out.
func Histogram(values []float64, lo, hi float64, n int) (edges []float64, counts []int) {
	edges = make([]float64, n+1)
	for k := range edges {
		edges[k] = lo + (hi-lo)*float64(k)/float64(n)
	}
	edges[n] = hi
	counts = make([]int, n)
	for _, x := range values {
		if math.IsNaN(x) || x < lo || x > hi {
			continue
		}
		k := min(n-1, int((x-lo)/(hi-lo)*float64(n)))
		for k > 0 && x < edges[k] {
			k--
		}
		for k < n-1 && x >= edges[k+1] {
			k++
		}
		counts[k]++
	}
	return edges, counts
}
