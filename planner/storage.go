package planner

import (
	"math"

	"github.com/scaleplan/scaleplan/planner/storage"
	"github.com/shopspring/decimal"
)

// ledger is a store's planner/storage Ledger, with the rule that reads a
// phase's writes from its result.
type ledger struct {
	*storage.Ledger
	spec store
}

// newLedger is the ledger of a store over the plan's phases.
func newLedger(phases []PhaseResult, spec store) *ledger {
	writes := make([]storage.Write, len(phases))
	for i := range phases {
		writes[i] = writeOf(spec, &phases[i])
	}
	return &ledger{storage.New(writes), spec}
}

// replace is the ledger with phase i's writes taken from ph (a what-if).
func (l *ledger) replace(i int, ph *PhaseResult) *ledger {
	return &ledger{l.Ledger.Replace(i, writeOf(l.spec, ph)), l.spec}
}

func writeOf(spec store, ph *PhaseResult) storage.Write {
	bytes, retention, price := spec(ph)
	return storage.Write{First: ph.FirstDay, Days: ph.Days, CallsPerDay: ph.CallsPerDay, Bytes: bytes, Retention: retention, Price: price}
}

// store says what one store of data keeps in phase ph: the bytes each call
// writes, how many days they are kept and the price per GB-month. The plan's
// own storage is one store (planStore); each per_gb_stored component is
// another, accrued by the same rule and the same code.
type store func(ph *PhaseResult) (bytesPerCall, retentionDays int64, gbMonth decimal.Decimal)

func planStore(ph *PhaseResult) (int64, int64, decimal.Decimal) {
	return ph.Inputs.StoredBytesPerCall, ph.Inputs.RetentionDays, ph.Inputs.StorageGBMonth
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
			w, retention, perByteDay = r.ledger.Written(i), r.ledger.Retention(i), perByteDayOf(r.ledger.Price(i))
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
				if l != nil && l.Price(i).Sign() != 0 {
					pd, _ := l.At(d)
					pr, _ := l.At(d - l.Retention(i))
					cost = cost.Add(pd.Sub(pr).Mul(perByteDayOf(l.Price(i))).Round(DivPlaces))
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
	return gbMonth.Mul(monthsPerYear).DivRound(daysPerYear.Shift(9), 40)
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
		perGBDay := r.ledger.Price(i).InexactFloat64() * 12 / 365 / 1e9 // per byte-day
		for k := int64(0); k < ph.Days; k++ {
			d := ph.FirstDay + k
			c := daily
			if k == 0 {
				c += oneTime
			}
			if storage {
				c += r.ledger.KeptF(i, d) * perGBDay
			}
			for _, l := range r.stores {
				if l != nil {
					c += l.KeptF(i, d) * l.Price(i).InexactFloat64() * 12 / 365 / 1e9
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
		cost = cost.Add(r.ledger.StorageThrough(i, d))
	}
	for _, l := range r.stores {
		if l != nil {
			cost = cost.Add(l.StorageThrough(i, d))
		}
	}
	return evenBy(cost, rev)
}
