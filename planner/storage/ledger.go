// Package storage is the arithmetic of data that accrues (docs/model.md,
// "Storage"): each day's calls write bytes kept for a retention, across
// phases, priced by the GB-month, exact in decimals whatever a phase's
// length. It knows no plan: planner hands it each phase's writes.
package storage

import (
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

// Write is what one phase writes to a store: from plan day First for Days
// days, CallsPerDay calls a day of Bytes each, kept Retention days, at
// Price a GB-month.
type Write struct {
	First, Days, CallsPerDay, Bytes, Retention int64
	Price                                      decimal.Decimal
}

// divPlaces is the precision of the one inexact division (by 365 × 10⁹),
// as planner's.
const divPlaces = 20

// Price is phase i's price per GB-month.
func (l *Ledger) Price(i int) decimal.Decimal { return l.entry(i).price }

// Written is the bytes phase i writes a day.
func (l *Ledger) Written(i int) decimal.Decimal { return l.entry(i).w }

// Retention is how many days phase i keeps what it writes.
func (l *Ledger) Retention(i int) int64 { return l.entry(i).retention }

// Ledger holds the plan's writes phase by phase. A what-if view of it
// (replace) swaps one phase's entry without copying the others.
type Ledger struct {
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

func (l *Ledger) entry(j int) *ledgerEntry {
	if l.over != nil && j == l.overAt {
		return l.over
	}
	return &l.entries[j]
}

// newEntry is a phase's entry after writes totalling P = p and Q = q.
func newEntry(wr Write, p, q decimal.Decimal) ledgerEntry {
	e := ledgerEntry{first: wr.First, days: wr.Days, retention: wr.Retention, bytes: wr.Bytes,
		w: decimal.NewFromInt(wr.CallsPerDay).Mul(decimal.NewFromInt(wr.Bytes)), price: wr.Price}
	m := decimal.NewFromInt(wr.Days)
	// Q grows by m·P_prev + w·m(m+1)/2 over the phase; P by m·w.
	e.qEnd = q.Add(m.Mul(p)).Add(e.w.Mul(triangle(wr.Days)))
	e.pEnd = p.Add(m.Mul(e.w))
	e.pEndF, e.wF = e.pEnd.InexactFloat64(), e.w.InexactFloat64()
	return e
}

// Replace is a view of the ledger with phase i's writes taken from ph and
// the phases after it dropped (they cannot change what phase i keeps). It
// copies nothing: a what-if on a long plan costs one entry.
func (l *Ledger) Replace(i int, wr Write) *Ledger {
	p, q := decimal.Zero, decimal.Zero
	if i > 0 {
		prev := l.entry(i - 1)
		p, q = prev.pEnd, prev.qEnd
	}
	e := newEntry(wr, p, q)
	e.first = l.entry(i).first
	return &Ledger{entries: l.entries, n: i + 1, over: &e, overAt: i}
}

// triangle is n(n+1)/2.
func triangle(n int64) decimal.Decimal {
	if n%2 == 0 {
		return decimal.NewFromInt(n / 2).Mul(decimal.NewFromInt(n + 1))
	}
	return decimal.NewFromInt(n).Mul(decimal.NewFromInt((n + 1) / 2))
}

// find is the phase that holds day x (x ≥ 1), or the last phase past the end.
func (l *Ledger) find(x int64) int {
	return sort.Search(l.n, func(k int) bool { return l.entry(k).first > x }) - 1
}

// At returns P(x) and Q(x); both are 0 before the plan's first day.
func (l *Ledger) At(x int64) (p, q decimal.Decimal) {
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
func (l *Ledger) byteDaysCost(i int, byteDays decimal.Decimal) decimal.Decimal {
	return byteDays.Mul(l.entry(i).price).Mul(gbDayCost).DivRound(decimal.NewFromInt(365).Shift(9), divPlaces)
}

// Phase returns phase i's GB kept on its last day and its storage cost.
func (l *Ledger) Phase(i int) (keptGB, cost decimal.Decimal) {
	e := l.entry(i)
	pb, _ := l.At(e.first + e.days - 1)
	pbr, _ := l.At(e.first + e.days - 1 - e.retention)
	return pb.Sub(pbr).Shift(-9), l.StorageThrough(i, e.first+e.days-1)
}

// StorageThrough is phase i's storage cost from its first day to day d:
// Q(d) − Q(a−1) − Q(d−R) + Q(a−1−R) byte-days.
func (l *Ledger) StorageThrough(i int, d int64) decimal.Decimal {
	e := l.entry(i)
	a, r := e.first, e.retention
	_, qd := l.At(d)
	_, qa := l.At(a - 1)
	_, qdr := l.At(d - r)
	_, qar := l.At(a - 1 - r)
	return l.byteDaysCost(i, qd.Sub(qa).Sub(qdr).Add(qar))
}

// OwnStorage is what one call a day of phase i's own adds to the phase's
// storage cost: bytes × Σ_{k=1..days} min(k, R) byte-days, priced. The rest
// of its storage cost is data carried in from earlier phases, which does
// not move with the phase's volume.
func (l *Ledger) OwnStorage(i int) decimal.Decimal {
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

// Linear splits phase i's storage cost, cost at the phase's cpd calls a
// day, into what its own calls add a call a day and what is carried in,
// so that at x calls a day it is carried + perCall·x.
func (l *Ledger) Linear(i int, cost decimal.Decimal, cpd int64) (carried, perCall decimal.Decimal) {
	perCall = l.OwnStorage(i)
	return cost.Sub(perCall.Mul(decimal.NewFromInt(cpd))), perCall
}

// KeptF is the bytes kept on day d of phase i, in floating point, for the
// quick pass of breakEvenDay.
func (l *Ledger) KeptF(i int, d int64) float64 {
	return l.AtF(d) - l.AtF(d-l.entry(i).retention)
}

// AtF is P(x) in floating point.
func (l *Ledger) AtF(x int64) float64 {
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

// New is the ledger of a plan's writes, phase by phase.
func New(writes []Write) *Ledger {
	l := &Ledger{entries: make([]ledgerEntry, len(writes)), n: len(writes)}
	p, q := decimal.Zero, decimal.Zero
	for i := range writes {
		l.entries[i] = newEntry(writes[i], p, q)
		p, q = l.entries[i].pEnd, l.entries[i].qEnd
	}
	return l
}
