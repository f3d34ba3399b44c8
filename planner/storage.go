package planner

import (
	"fmt"
	"math"
	"sort"

	"github.com/shopspring/decimal"
)

// Storage that accrues (docs/model.md, "Storage"). The data kept on plan
// day d is what the calls of the last R days up to and including d wrote,
// R being the retention of d's phase; each day's calls write at that day's
// phase's bytes per call, nothing is written before the plan's first day,
// and data is carried across phases. Day d costs GB kept × d's phase's
// price per GB-month × 12/365.
//
// With P(x) the bytes written on days 1..x, the data kept on d is
// K(d) = P(d) − P(d − R). Writes are constant within a phase, so P is
// piecewise linear and Q(x) = Σ_{t≤x} P(t) piecewise quadratic; a phase's
// GB-days are then four evaluations of Q, exact in decimals, whatever its
// length.

// ledger holds the plan's writes phase by phase. A what-if view of it
// (replace) swaps one phase's entry without copying the others.
type ledger struct {
	spec    store
	entries []ledgerEntry
	n       int          // phases in view: the entries before n
	over    *ledgerEntry // the replaced entry, at overAt; nil for none
	overAt  int
}

type ledgerEntry struct {
	first, days, retention int64
	bytes                  int64           // bytes kept per call
	w                      decimal.Decimal // bytes written a day
	price                  decimal.Decimal // per GB-month
	pEnd, qEnd             decimal.Decimal // P and Q on the phase's last day
	pEndF, wF              float64         // P and w in floating point, for quick passes
}

func (l *ledger) entry(j int) *ledgerEntry {
	if l.over != nil && j == l.overAt {
		return l.over
	}
	return &l.entries[j]
}

// store says what one store of data keeps in phase ph: the bytes each call
// writes, how many days they are kept and the price per GB-month. The plan's
// own storage is one store (planStore); each per_gb_stored component is
// another, accrued by the same rule and the same code.
type store func(ph *PhaseResult) (bytesPerCall, retentionDays int64, gbMonth decimal.Decimal)

func planStore(ph *PhaseResult) (int64, int64, decimal.Decimal) {
	return ph.Inputs.StoredBytesPerCall, ph.Inputs.RetentionDays, ph.Inputs.StorageGBMonth
}

func newLedger(phases []PhaseResult, spec store) *ledger {
	l := &ledger{spec: spec, entries: make([]ledgerEntry, len(phases)), n: len(phases)}
	p, q := decimal.Zero, decimal.Zero
	for i := range phases {
		l.entries[i] = newEntry(spec, &phases[i], p, q)
		p, q = l.entries[i].pEnd, l.entries[i].qEnd
	}
	return l
}

// newEntry is a phase's entry after writes totalling P = p and Q = q.
func newEntry(spec store, ph *PhaseResult, p, q decimal.Decimal) ledgerEntry {
	bytes, retention, price := spec(ph)
	e := ledgerEntry{first: ph.FirstDay, days: ph.Days, retention: retention, bytes: bytes,
		w: decimal.NewFromInt(ph.CallsPerDay).Mul(decimal.NewFromInt(bytes)), price: price}
	m := decimal.NewFromInt(ph.Days)
	// Q grows by m·P_prev + w·m(m+1)/2 over the phase; P by m·w.
	e.qEnd = q.Add(m.Mul(p)).Add(e.w.Mul(triangle(ph.Days)))
	e.pEnd = p.Add(m.Mul(e.w))
	e.pEndF, e.wF = e.pEnd.InexactFloat64(), e.w.InexactFloat64()
	return e
}

// replace is a view of the ledger with phase i's writes taken from ph and
// the phases after it dropped (they cannot change what phase i keeps). It
// copies nothing: a what-if on a long plan costs one entry.
func (l *ledger) replace(i int, ph *PhaseResult) *ledger {
	p, q := decimal.Zero, decimal.Zero
	if i > 0 {
		prev := l.entry(i - 1)
		p, q = prev.pEnd, prev.qEnd
	}
	e := newEntry(l.spec, ph, p, q)
	e.first = l.entry(i).first
	return &ledger{spec: l.spec, entries: l.entries, n: i + 1, over: &e, overAt: i}
}

// triangle is n(n+1)/2.
func triangle(n int64) decimal.Decimal {
	if n%2 == 0 {
		return decimal.NewFromInt(n / 2).Mul(decimal.NewFromInt(n + 1))
	}
	return decimal.NewFromInt(n).Mul(decimal.NewFromInt((n + 1) / 2))
}

// find is the phase that holds day x (x ≥ 1), or the last phase past the end.
func (l *ledger) find(x int64) int {
	return sort.Search(l.n, func(k int) bool { return l.entry(k).first > x }) - 1
}

// at returns P(x) and Q(x); both are 0 before the plan's first day.
func (l *ledger) at(x int64) (p, q decimal.Decimal) {
	if x <= 0 || l.n == 0 {
		return decimal.Zero, decimal.Zero
	}
	j := l.find(x)
	e := l.entry(j)
	pPrev, qPrev := decimal.Zero, decimal.Zero
	if j > 0 {
		pPrev, qPrev = l.entry(j-1).pEnd, l.entry(j-1).qEnd
	}
	m := min(x-e.first+1, e.days) // past the plan's end nothing more is written
	md := decimal.NewFromInt(m)
	p = pPrev.Add(md.Mul(e.w))
	q = qPrev.Add(md.Mul(pPrev)).Add(e.w.Mul(triangle(m)))
	if extra := x - e.first + 1 - m; extra > 0 {
		q = q.Add(decimal.NewFromInt(extra).Mul(p))
	}
	return p, q
}

// gbDayCost and daysPerYear·10^9 turn byte-days into GB-months: 12 / (365 × 10^9).
var gbDayCost = decimal.NewFromInt(12)

// byteDaysCost prices byte-days at phase i's storage price.
func (l *ledger) byteDaysCost(i int, byteDays decimal.Decimal) decimal.Decimal {
	return byteDays.Mul(l.entry(i).price).Mul(gbDayCost).DivRound(daysPerYear.Shift(9), DivPlaces)
}

// phase returns phase i's GB kept on its last day and its storage cost.
func (l *ledger) phase(i int) (keptGB, cost decimal.Decimal) {
	e := l.entry(i)
	pb, _ := l.at(e.first + e.days - 1)
	pbr, _ := l.at(e.first + e.days - 1 - e.retention)
	return pb.Sub(pbr).Shift(-9), l.storageThrough(i, e.first+e.days-1)
}

// storageThrough is phase i's storage cost from its first day to day d:
// Q(d) − Q(a−1) − Q(d−R) + Q(a−1−R) byte-days.
func (l *ledger) storageThrough(i int, d int64) decimal.Decimal {
	e := l.entry(i)
	a, r := e.first, e.retention
	_, qd := l.at(d)
	_, qa := l.at(a - 1)
	_, qdr := l.at(d - r)
	_, qar := l.at(a - 1 - r)
	return l.byteDaysCost(i, qd.Sub(qa).Sub(qdr).Add(qar))
}

// ownStorage is what one call a day of phase i's own adds to the phase's
// storage cost: bytes × Σ_{k=1..days} min(k, R) byte-days, priced. The rest
// of its storage cost is data carried in from earlier phases, which does
// not move with the phase's volume.
func (l *ledger) ownStorage(i int) decimal.Decimal {
	e := l.entry(i)
	n, r := e.days, e.retention
	var byteDays decimal.Decimal
	if n <= r {
		byteDays = triangle(n)
	} else {
		byteDays = triangle(r).Add(decimal.NewFromInt(n - r).Mul(decimal.NewFromInt(r)))
	}
	return l.byteDaysCost(i, byteDays.Mul(decimal.NewFromInt(e.bytes)))
}

// linear splits phase i's storage cost, cost at the phase's cpd calls a
// day, into what its own calls add a call a day and what is carried in,
// so that at x calls a day it is carried + perCall·x.
func (l *ledger) linear(i int, cost decimal.Decimal, cpd int64) (carried, perCall decimal.Decimal) {
	perCall = l.ownStorage(i)
	return cost.Sub(perCall.Mul(decimal.NewFromInt(cpd))), perCall
}

// keptF is the bytes kept on day d of phase i, in floating point, for the
// quick pass of breakEvenDay.
func (l *ledger) keptF(i int, d int64) float64 {
	return l.atF(d) - l.atF(d-l.entry(i).retention)
}

// atF is P(x) in floating point.
func (l *ledger) atF(x int64) float64 {
	if x <= 0 || l.n == 0 {
		return 0
	}
	j := l.find(x)
	e := l.entry(j)
	p := 0.0
	if j > 0 {
		p = l.entry(j - 1).pEndF
	}
	return p + float64(min(x-e.first+1, e.days))*e.wF
}

// Timeline returns every day of the plan with its cost and revenue and the
// running totals: a day carries its own storage, an even share of the rest
// of its phase's cost, and, on the phase's first day, the one-time cost.
func (r *Result) Timeline() []Day {
	out := make([]Day, 0, r.Days)
	r.eachDay(func(d Day) bool { out = append(out, d); return true })
	return out
}

// eachDay calls f with each day of the plan in order until f returns false.
// It keeps P(d), the bytes written to date, day by day, so a day's storage
// is one subtraction and one multiplication.
func (r *Result) eachDay(f func(Day) bool) {
	cumCost, cumRev := decimal.Zero, decimal.Zero
	written := make([]decimal.Decimal, 0, r.Days) // P(d) for d = 1, 2, …
	p := decimal.Zero
	pAt := func(d int64) decimal.Decimal {
		if d <= 0 {
			return decimal.Zero
		}
		return written[d-1]
	}
	for i := range r.Phases {
		ph := &r.Phases[i]
		var w, perByteDay decimal.Decimal
		storage := !ph.Cost.Of(CostStorage).IsZero() && r.ledger != nil
		retention := ph.Inputs.RetentionDays
		if r.ledger != nil {
			e := r.ledger.entry(i)
			w, retention, perByteDay = e.w, e.retention, perByteDayOf(e.price)
		}
		for k := int64(0); k < ph.Days; k++ {
			d := ph.FirstDay + k
			p = p.Add(w)
			written = append(written, p)
			cost := ph.DailyCost
			if k == 0 {
				cost = cost.Add(ph.OneTime).Add(ph.componentsOnce())
			}
			kept, stored := p.Sub(pAt(d-retention)), decimal.Zero
			if storage {
				stored = kept.Mul(perByteDay).Round(DivPlaces)
				cost = cost.Add(stored)
			}
			for _, l := range r.stores {
				if l != nil && l.entry(i).price.Sign() != 0 {
					e := l.entry(i)
					pd, _ := l.at(d)
					pr, _ := l.at(d - e.retention)
					cost = cost.Add(pd.Sub(pr).Mul(perByteDayOf(e.price)).Round(DivPlaces))
				}
			}
			cumCost, cumRev = cumCost.Add(cost), cumRev.Add(ph.DailyRevenue)
			if !f(Day{Day: d, Date: ph.StartDate.AddDays(k), Phase: i,
				Cost: cost, Storage: stored, Written: w, WrittenToDate: p, Kept: kept, Revenue: ph.DailyRevenue, CumCost: cumCost, CumRevenue: cumRev, Net: cumRev.Sub(cumCost),
				Even: evenBy(cumCost, cumRev)}) {
				return
			}
		}
	}
}

// perByteDayOf is a price per GB-month per byte-day, price × 12 / (365 ×
// 10^9), to 40 places: a day's storage then differs from the exact quotient
// by under 10^-20.
func perByteDayOf(gbMonth decimal.Decimal) decimal.Decimal {
	return gbMonth.Mul(gbDayCost).DivRound(daysPerYear.Shift(9), 40)
}

// breakEvenDay finds the first day from which the plan stays even to its
// end, and the first crossing when that was lost again. It walks the days
// in floating point, which settles every day whose net is clearly away from
// zero, and decides the others exactly (evenOn), so a long plan costs a
// float add a day rather than decimal arithmetic.
func (r *Result) breakEvenDay() BreakEven {
	be := BreakEven{Phase: -1}
	var firstEven, lost, lastBad int64
	r.EachDayFloat(func(i int, d int64, cost, rev float64) {
		var even bool
		if tol := 1e-9 * (math.Abs(cost) + math.Abs(rev) + 1); math.Abs(rev-cost) > tol && rev > tol {
			even = rev > cost
		} else {
			even = r.evenOn(i, d)
		}
		switch {
		case even && firstEven == 0:
			firstEven = d
		case !even && firstEven != 0 && lost == 0:
			lost = d
		}
		if !even {
			lastBad = d
		}
	})
	if lastBad >= r.Days || firstEven == 0 {
		return be
	}
	day := lastBad + 1
	be.Day, be.Date = Some(day), Some(r.StartDate.AddDays(day-1))
	for i := range r.Phases {
		if ph := &r.Phases[i]; day >= ph.FirstDay && day < ph.FirstDay+ph.Days {
			be.Phase = i
		}
	}
	if firstEven < day {
		be.FirstEven, be.Lost = Some(firstEven), Some(lost)
	}
	return be
}

// EachDayFloat calls f with each day of the plan and its cumulative cost and
// revenue in floating point: the day walk of breakEvenDay and of the risk
// fan chart, a float add a day rather than decimal arithmetic.
func (r *Result) EachDayFloat(f func(i int, d int64, cost, rev float64)) {
	cost, rev := 0.0, 0.0
	for i := range r.Phases {
		ph := &r.Phases[i]
		daily, oneTime, dailyRev := ph.DailyCost.InexactFloat64(), ph.OneTime.Add(ph.componentsOnce()).InexactFloat64(), ph.DailyRevenue.InexactFloat64()
		storage := !ph.Cost.Of(CostStorage).IsZero()
		perGBDay := r.ledger.entry(i).price.InexactFloat64() * 12 / 365 / 1e9 // per byte-day
		for k := int64(0); k < ph.Days; k++ {
			d := ph.FirstDay + k
			c := daily
			if k == 0 {
				c += oneTime
			}
			if storage {
				c += r.ledger.keptF(i, d) * perGBDay
			}
			for _, l := range r.stores {
				if l != nil {
					c += l.keptF(i, d) * l.entry(i).price.InexactFloat64() * 12 / 365 / 1e9
				}
			}
			cost, rev = cost+c, rev+dailyRev
			f(i, d, cost, rev)
		}
	}
}

// evenOn decides exactly whether the plan is even on day d of phase i:
// cumulative cost and revenue from the phases before, the phase's one-time
// cost, k even shares and its storage over its first k days (from Q).
func (r *Result) evenOn(i int, d int64) bool {
	ph := &r.Phases[i]
	cost, rev := decimal.Zero, decimal.Zero
	if i > 0 {
		cost, rev = r.Phases[i-1].CumCostEnd, r.Phases[i-1].CumRevenueEnd
	}
	k := decimal.NewFromInt(d - ph.FirstDay + 1)
	cost = cost.Add(ph.OneTime).Add(ph.componentsOnce()).Add(k.Mul(ph.DailyCost))
	rev = rev.Add(k.Mul(ph.DailyRevenue))
	if !ph.Cost.Of(CostStorage).IsZero() {
		cost = cost.Add(r.ledger.storageThrough(i, d))
	}
	for _, l := range r.stores {
		if l != nil {
			cost = cost.Add(l.storageThrough(i, d))
		}
	}
	return evenBy(cost, rev)
}

// Words says the break-even day: "day 117 (2027-04-30)", with the first
// crossing when it was lost again.
func (b BreakEven) Words() string {
	if !b.Day.Valid {
		return "never within the plan"
	}
	s := fmt.Sprintf("day %d (%s)", b.Day.Val, b.Date.Val)
	if b.FirstEven.Valid {
		s = fmt.Sprintf("first even on day %d, lost on day %d, even for good from day %d (%s)", b.FirstEven.Val, b.Lost.Val, b.Day.Val, b.Date.Val)
	}
	return s
}
