package planner

import (
	"fmt"
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

// ledger holds the plan's writes phase by phase.
type ledger struct {
	first, days, retention []int64
	w                      []decimal.Decimal // bytes written a day
	bytes                  []int64           // bytes kept per call
	price                  []decimal.Decimal // per GB-month
	pEnd, qEnd             []decimal.Decimal // P and Q on each phase's last day
}

func newLedger(phases []PhaseResult) *ledger {
	n := len(phases)
	l := &ledger{first: make([]int64, n), days: make([]int64, n), retention: make([]int64, n),
		w: make([]decimal.Decimal, n), bytes: make([]int64, n), price: make([]decimal.Decimal, n), pEnd: make([]decimal.Decimal, n), qEnd: make([]decimal.Decimal, n)}
	p, q := decimal.Zero, decimal.Zero
	for i := range phases {
		ph := &phases[i]
		l.first[i], l.days[i], l.retention[i] = ph.FirstDay, ph.Days, ph.Inputs.RetentionDays
		l.bytes[i] = ph.Inputs.StoredBytesPerCall
		l.w[i] = decimal.NewFromInt(ph.CallsPerDay).Mul(decimal.NewFromInt(ph.Inputs.StoredBytesPerCall))
		l.price[i] = ph.Inputs.StorageGBMonth
		m := decimal.NewFromInt(ph.Days)
		// Q grows by m·P_prev + w·m(m+1)/2 over the phase; P by m·w.
		q = q.Add(m.Mul(p)).Add(l.w[i].Mul(triangle(ph.Days)))
		p = p.Add(m.Mul(l.w[i]))
		l.pEnd[i], l.qEnd[i] = p, q
	}
	return l
}

// replace is the ledger with phase i's writes taken from ph and the phases
// after it dropped (they cannot change what phase i keeps). It shares
// nothing mutable with l.
func (l *ledger) replace(i int, ph *PhaseResult) *ledger {
	n := i + 1
	c := &ledger{first: l.first[:n:n], days: append([]int64(nil), l.days[:n]...), retention: append([]int64(nil), l.retention[:n]...),
		w: append([]decimal.Decimal(nil), l.w[:n]...), bytes: append([]int64(nil), l.bytes[:n]...), price: append([]decimal.Decimal(nil), l.price[:n]...),
		pEnd: append([]decimal.Decimal(nil), l.pEnd[:n]...), qEnd: append([]decimal.Decimal(nil), l.qEnd[:n]...)}
	c.days[i], c.retention[i], c.bytes[i], c.price[i] = ph.Days, ph.Inputs.RetentionDays, ph.Inputs.StoredBytesPerCall, ph.Inputs.StorageGBMonth
	c.w[i] = decimal.NewFromInt(ph.CallsPerDay).Mul(decimal.NewFromInt(ph.Inputs.StoredBytesPerCall))
	p, q := decimal.Zero, decimal.Zero
	if i > 0 {
		p, q = c.pEnd[i-1], c.qEnd[i-1]
	}
	m := decimal.NewFromInt(c.days[i])
	c.qEnd[i] = q.Add(m.Mul(p)).Add(c.w[i].Mul(triangle(c.days[i])))
	c.pEnd[i] = p.Add(m.Mul(c.w[i]))
	return c
}

// triangle is n(n+1)/2.
func triangle(n int64) decimal.Decimal {
	if n%2 == 0 {
		return decimal.NewFromInt(n / 2).Mul(decimal.NewFromInt(n + 1))
	}
	return decimal.NewFromInt(n).Mul(decimal.NewFromInt((n + 1) / 2))
}

// at returns P(x) and Q(x); both are 0 before the plan's first day.
func (l *ledger) at(x int64) (p, q decimal.Decimal) {
	if x <= 0 || len(l.first) == 0 {
		return decimal.Zero, decimal.Zero
	}
	j := sort.Search(len(l.first), func(k int) bool { return l.first[k] > x }) - 1
	pPrev, qPrev := decimal.Zero, decimal.Zero
	if j > 0 {
		pPrev, qPrev = l.pEnd[j-1], l.qEnd[j-1]
	}
	m := min(x-l.first[j]+1, l.days[j]) // past the plan's end nothing more is written
	md := decimal.NewFromInt(m)
	p = pPrev.Add(md.Mul(l.w[j]))
	q = qPrev.Add(md.Mul(pPrev)).Add(l.w[j].Mul(triangle(m)))
	if extra := x - l.first[j] + 1 - m; extra > 0 {
		q = q.Add(decimal.NewFromInt(extra).Mul(p))
	}
	return p, q
}

// gbDayCost and daysPerYear·10^9 turn byte-days into GB-months: 12 / (365 × 10^9).
var gbDayCost = decimal.NewFromInt(12)

// phase returns phase i's GB kept on its last day and its storage cost.
func (l *ledger) phase(i int) (keptGB, cost decimal.Decimal) {
	a, b, r := l.first[i], l.first[i]+l.days[i]-1, l.retention[i]
	pb, qb := l.at(b)
	_, qa := l.at(a - 1)
	pbr, qbr := l.at(b - r)
	_, qar := l.at(a - 1 - r)
	byteDays := qb.Sub(qa).Sub(qbr).Add(qar)
	keptGB = pb.Sub(pbr).Shift(-9)
	cost = byteDays.Mul(l.price[i]).Mul(gbDayCost).DivRound(daysPerYear.Shift(9), divPlaces)
	return keptGB, cost
}

// dayCost is the storage cost of plan day d, in phase i.
func (l *ledger) dayCost(i int, d int64) decimal.Decimal {
	p, _ := l.at(d)
	pr, _ := l.at(d - l.retention[i])
	return p.Sub(pr).Mul(l.price[i]).Mul(gbDayCost).DivRound(daysPerYear.Shift(9), divPlaces)
}

// ownStorage is what one call a day of phase i's own adds to the phase's
// storage cost: bytes × Σ_{k=1..days} min(k, R) byte-days, priced. The rest
// of its storage cost is data carried in from earlier phases, which does
// not move with the phase's volume.
func (l *ledger) ownStorage(i int) decimal.Decimal {
	n, r := l.days[i], l.retention[i]
	var byteDays decimal.Decimal
	if n <= r {
		byteDays = triangle(n)
	} else {
		byteDays = triangle(r).Add(decimal.NewFromInt(n - r).Mul(decimal.NewFromInt(r)))
	}
	byteDays = byteDays.Mul(decimal.NewFromInt(l.bytes[i]))
	return byteDays.Mul(l.price[i]).Mul(gbDayCost).DivRound(daysPerYear.Shift(9), divPlaces)
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
func (r *Result) eachDay(f func(Day) bool) {
	cumCost, cumRev := decimal.Zero, decimal.Zero
	for i := range r.Phases {
		ph := &r.Phases[i]
		storage := !ph.Cost.Storage.IsZero() && r.ledger != nil
		for k := int64(0); k < ph.Days; k++ {
			cost := ph.DailyCost
			if k == 0 {
				cost = cost.Add(ph.OneTime)
			}
			if storage {
				cost = cost.Add(r.ledger.dayCost(i, ph.FirstDay+k))
			}
			cumCost, cumRev = cumCost.Add(cost), cumRev.Add(ph.DailyRevenue)
			if !f(Day{Day: ph.FirstDay + k, Date: ph.StartDate.AddDays(k), Phase: i,
				Cost: cost, Revenue: ph.DailyRevenue, CumCost: cumCost, CumRevenue: cumRev, Net: cumRev.Sub(cumCost),
				Even: evenBy(cumCost, cumRev)}) {
				return
			}
		}
	}
}

// breakEvenDay finds the first day from which the plan stays even to its
// end, and the first crossing when that was lost again.
func (r *Result) breakEvenDay() BreakEven {
	be := BreakEven{Phase: -1}
	var firstEven, lost, lastBad int64
	r.eachDay(func(d Day) bool {
		switch {
		case d.Even && firstEven == 0:
			firstEven = d.Day
		case !d.Even && firstEven != 0 && lost == 0:
			lost = d.Day
		}
		if !d.Even {
			lastBad = d.Day
		}
		return true
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
