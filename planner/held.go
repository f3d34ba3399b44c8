package planner

import (
	"fmt"
	"sort"

	"github.com/scaleplan/scaleplan/planner/commit"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
	"github.com/shopspring/decimal"
)

// Commitments held in a plan (format 2): capacity bought for a term. A held
// commitment of k nodes is billed every hour of its term at its effective
// rate (hourly + upfront ÷ term hours), used or not — including the hours
// after the plan's last day, the stranded cost — and each hour's demand
// above the nodes committed then is billed on demand.
//
//	"commitments": [{"name": "Base load", "term_months": 12, "nodes": 2, "rate": 4.128}]
//
// "start" defaults to the plan's first day; "nodes": "optimal" commits the
// level OptimalCommitment finds (stranded after the plan), and needs the
// plan's first day as its start.

// HeldCommitment is one commitment a plan holds.
type HeldCommitment struct {
	Name       string
	Start      Opt[Date] // none: the plan's first day
	TermMonths int64
	Nodes      Opt[int64] // none: optimal
	Rate       decimal.Decimal
	Upfront    decimal.Decimal // per node, for the term
	// Option names a committed-use option of the offer the plan's node
	// price cites: its hourly rate, upfront and term, kept beside it with
	// the date they were read, so the plan loads without its book.
	Option string
	AsOf   Opt[Date]
	Notes  string
}

// Effective is the commitment's price per node-hour: hourly + upfront ÷
// the term's hours.
func (c *HeldCommitment) Effective() decimal.Decimal {
	return c.Rate.Add(c.Upfront.DivRound(decimal.NewFromInt(c.TermMonths*commit.HoursPerMonth), DivPlaces))
}

// MaxCommitments bounds a plan's commitments.
const MaxCommitments = 100

var heldKeys = []string{"name", "start", "term_months", "nodes", "rate", "upfront", "option", "as_of", "notes"}

func (d *decoder) commitments(path string, v any) []HeldCommitment {
	arr, ok := d.List(path, v, "commitments", MaxCommitments)
	if !ok {
		return nil
	}
	out := make([]HeldCommitment, len(arr))
	for i, e := range arr {
		c := &out[i]
		required := []string{"name", "term_months", "nodes", "rate"}
		if o, ok := e.(*jsonfile.Object); ok {
			if _, cites := o.Vals["option"]; cites {
				required = []string{"name", "nodes"} // the option gives the rest
			}
		}
		d.Fields(fmt.Sprintf("%s[%d]", path, i), e, heldKeys, required, func(k string, v any, path string) {
			switch k {
			case "name":
				c.Name = d.Name(path, v)
			case "start":
				if date := d.Date(path, v); !date.IsZero() {
					c.Start = Some(date)
				}
			case "term_months":
				n, _ := d.Number(path, v, wholeRule(1, 120))
				c.TermMonths = n.IntPart()
			case "nodes":
				if s, isText := v.(string); isText && s == "optimal" {
					return
				}
				if n, ok := d.Number(path, v, nodesRule); ok {
					c.Nodes = Some(n.IntPart())
				}
			case "rate":
				c.Rate, _ = d.Number(path, v, nonNegative)
			case "upfront":
				c.Upfront, _ = d.Number(path, v, nonNegative)
			case "option":
				c.Option = d.Name(path, v)
			case "as_of":
				if date := d.Date(path, v); !date.IsZero() {
					c.AsOf = Some(date)
				}
			case "notes":
				c.Notes, _ = d.Text(path, v)
			}
		})
	}
	return out
}

// resolveOptions fills a commitment that names an option of the cited
// offer and gives no rate of its own from the books; one that cannot be
// resolved is reported by its path.
func resolveOptions(p *Plan, raw []any, src PriceSource, errs *Errors) {
	for i := range p.Commitments {
		c := &p.Commitments[i]
		if c.Option == "" {
			continue
		}
		given := false
		if i < len(raw) {
			if o, ok := raw[i].(*jsonfile.Object); ok {
				_, given = o.Vals["rate"]
			}
		}
		if given {
			continue // the plan keeps the rate it was saved with
		}
		opt, err := src.CommitTerms(p, c.Option)
		if err != nil {
			errs.Add(fmt.Sprintf("commitments[%d].option", i), err.Error())
			continue
		}
		c.Rate, c.Upfront, c.AsOf = opt.Hourly, opt.Upfront, Some(opt.AsOf)
		if c.TermMonths == 0 {
			c.TermMonths = opt.TermMonths
		}
	}
}

// checkCommitments: names differ; a commitment starts within the plan; an
// optimal one starts on its first day.
func checkCommitments(p Plan, errs *Errors) {
	seen := map[string]bool{}
	var days int64
	for _, ph := range p.Phases {
		days += ph.Days
	}
	end := p.StartDate.AddDays(days - 1)
	for i, c := range p.Commitments {
		path := fmt.Sprintf("commitments[%d]", i)
		if seen[c.Name] {
			errs.Add(path+".name", fmt.Sprintf("%q names two commitments; names must differ", c.Name))
		}
		seen[c.Name] = true
		if c.Start.Valid && (c.Start.Val.Before(p.StartDate) || c.Start.Val.After(end)) {
			errs.Add(path+".start", fmt.Sprintf("must be within the plan, %s to %s, got %s", p.StartDate, end, c.Start.Val))
		}
		if !c.Nodes.Valid && c.Start.Valid && c.Start.Val != p.StartDate {
			errs.Add(path+".nodes", fmt.Sprintf("\"optimal\" is found over a term from the plan's first day, %s; give a number of nodes for a term from %s", p.StartDate, c.Start.Val))
		}
	}
}

func (w *jsonWriter) commitments(cs []HeldCommitment) {
	if len(cs) == 0 {
		return
	}
	w.key("commitments").open('[')
	for _, c := range cs {
		w.item().open('{')
		w.key("name").str(c.Name)
		if c.Start.Valid {
			w.key("start").str(c.Start.Val.String())
		}
		w.key("term_months").raw(fmt.Sprint(c.TermMonths))
		if c.Nodes.Valid {
			w.key("nodes").raw(fmt.Sprint(c.Nodes.Val))
		} else {
			w.key("nodes").str("optimal")
		}
		w.key("rate").dec(c.Rate)
		if !c.Upfront.IsZero() {
			w.key("upfront").dec(c.Upfront)
		}
		if c.Option != "" {
			w.key("option").str(c.Option)
		}
		if c.AsOf.Valid {
			w.key("as_of").str(c.AsOf.Val.String())
		}
		if c.Notes != "" {
			w.key("notes").str(c.Notes)
		}
		w.close('}')
	}
	w.close(']')
}

// heldTerm is a commitment as the model bills it: its nodes, effective
// rate and hours from the plan's first hour.
type heldTerm struct {
	Name       string
	K          int64
	Rate       decimal.Decimal // effective, per node-hour
	From, To   int64           // hours since the plan's first hour: [From, To)
	TermMonths int64
}

// resolveHeld works out each held commitment's nodes (an optimal one's on
// the plan's hourly fleet) and hours.
func resolveHeld(p *Plan, r *Result) []heldTerm {
	out := make([]heldTerm, 0, len(p.Commitments))
	for _, c := range p.Commitments {
		t := heldTerm{Name: c.Name, Rate: c.Effective(), TermMonths: c.TermMonths}
		if c.Start.Valid {
			t.From = c.Start.Val.DaysSince(p.StartDate) * 24
		}
		t.To = t.From + c.TermMonths*commit.HoursPerMonth
		if c.Nodes.Valid {
			t.K = c.Nodes.Val
		} else if best, err := commit.Optimal(r.CommitPhases(), commit.Options{Rate: t.Rate, TermMonths: c.TermMonths, AfterPlan: commit.AfterPlanStranded}); err == nil {
			t.K = best.K
		}
		out = append(out, t)
	}
	return out
}

// uncommittedRate is what an uncommitted node-hour of a phase costs: on
// demand, or the plan's spot at its expected price.
func uncommittedRate(a *Assumptions) decimal.Decimal {
	if a.SpotHourly.Sign() <= 0 {
		return a.NodeHourly
	}
	q := a.SpotInterruption
	return one.Sub(q).Mul(a.SpotHourly).Add(q.Mul(a.NodeHourly))
}

// CommitPhases is the plan's hourly fleet as planner/commit reads it: each
// phase's typical day, its days, and what an uncommitted node-hour costs.
func (r *Result) CommitPhases() []commit.Phase {
	out := make([]commit.Phase, len(r.Phases))
	for i := range r.Phases {
		ph := &r.Phases[i]
		out[i] = commit.Phase{Days: ph.Days, Nodes: ph.HourNodes, Price: uncommittedRate(&ph.Inputs)}
	}
	return out
}

// billGPU bills phase i's node-hours: against the held commitments (the
// node-hours they cover come off the on-demand GPU line, the committed
// line is every committed node-hour of the phase at its rate, and the last
// phase carries the stranded hours after the plan's end.
func (r *Result) billGPU(out *PhaseResult, i int) {
	r.billCommitted(out, i)
	if a := &out.Inputs; a.SpotHourly.Sign() > 0 {
		// The node-hours no commitment serves run on spot: expected
		// (1 − q)·spot + q·on-demand, interrupted work rerun on demand.
		out.Cost.Lines[CostSpot] = decimal.NewFromInt(out.NodeHours - out.CoveredNodeHours).Mul(uncommittedRate(a))
		out.Cost.Lines[CostGPU] = decimal.Zero
	}
}

// billCommitted bills phase i's hours against the held commitments.
func (r *Result) billCommitted(out *PhaseResult, i int) {
	if len(r.held) == 0 {
		return
	}
	base := &r.Phases[i]
	p0 := (base.FirstDay - 1) * 24
	p1 := p0 + out.Days*24
	cuts := []int64{p0, p1}
	for _, t := range r.held {
		for _, x := range []int64{t.From, t.To} {
			if x > p0 && x < p1 {
				cuts = append(cuts, x)
			}
		}
	}
	sort.Slice(cuts, func(a, b int) bool { return cuts[a] < cuts[b] })
	var covered int64
	for j := 0; j+1 < len(cuts); j++ {
		a, b := cuts[j], cuts[j+1]
		if a == b {
			continue
		}
		var k int64
		for _, t := range r.held {
			if t.From <= a && b <= t.To {
				k += t.K
			}
		}
		if k > 0 {
			covered += coveredHours(&out.HourNodes, k, (a-p0)%24, b-a)
		}
	}
	committed := decimal.Zero
	for _, t := range r.held {
		if h := t.hoursIn(p0, p1); h > 0 && t.K > 0 {
			committed = committed.Add(decimal.NewFromInt(t.K * h).Mul(t.Rate))
		}
	}
	out.CoveredNodeHours = covered
	out.Cost.Lines[CostGPU] = out.Cost.Lines[CostGPU].Sub(decimal.NewFromInt(covered).Mul(out.Inputs.NodeHourly))
	out.Cost.Lines[CostCommitted] = committed
	if i == len(r.Phases)-1 {
		out.Cost.Lines[CostStranded] = r.strandedCost(p1)
	}
}

// strandedCost is the committed node-hours after the plan's last hour, end,
// at their rates.
func (r *Result) strandedCost(end int64) decimal.Decimal {
	s := decimal.Zero
	for _, t := range r.held {
		if h := t.hoursIn(end, t.To); h > 0 && t.K > 0 {
			s = s.Add(decimal.NewFromInt(t.K * h).Mul(t.Rate))
		}
	}
	return s
}

// hoursIn is how many of the term's hours fall in [from, to), hours since
// the plan's first hour.
func (t *heldTerm) hoursIn(from, to int64) int64 {
	return max(0, min(t.To, to)-max(t.From, from))
}

// HoursIn is how many of the commitment's hours fall in phase i.
func (t *HeldTerm) HoursIn(r *Result, i int) int64 {
	p0 := (r.Phases[i].FirstDay - 1) * 24
	return (&heldTerm{From: t.FromHour, To: t.ToHour}).hoursIn(p0, p0+r.Phases[i].Days*24)
}

// HoursAfter is how many of the commitment's hours come after the plan's
// last day: its stranded hours.
func (t *HeldTerm) HoursAfter(r *Result) int64 {
	return (&heldTerm{From: t.FromHour, To: t.ToHour}).hoursIn(r.Days*24, t.ToHour)
}

// coveredHours is Σ min(n_h, k) over length hours of a typical day from
// hour h0: whole days at once, then the rest hour by hour.
func coveredHours(nodes *[24]int64, k, h0, length int64) int64 {
	var day int64
	for _, n := range nodes {
		day += min(n, k)
	}
	total := (length / 24) * day
	for j := int64(0); j < length%24; j++ {
		total += min(nodes[(h0+j)%24], k)
	}
	return total
}

// HeldTerms are the plan's held commitments as billed: each one's nodes
// (an optimal one's as found), effective rate and hours.
func (r *Result) HeldTerms() []HeldTerm {
	out := make([]HeldTerm, len(r.held))
	for i, t := range r.held {
		out[i] = HeldTerm{Name: t.Name, Nodes: t.K, Rate: t.Rate, FromHour: t.From, ToHour: t.To, TermMonths: t.TermMonths}
	}
	return out
}

// HeldTerm is a held commitment as billed.
type HeldTerm struct {
	Name             string
	Nodes            int64
	Rate             decimal.Decimal // effective, per node-hour
	FromHour, ToHour int64           // hours since the plan's first hour
	TermMonths       int64
}

// UsesSpot says some phase runs its uncommitted nodes on spot.
func (r *Result) UsesSpot() bool {
	for i := range r.Phases {
		if r.Phases[i].Inputs.SpotHourly.Sign() > 0 {
			return true
		}
	}
	return false
}

// HasCommitments says the plan holds commitments: its results have the
// committed and stranded lines and the node-hours they cover.
func (r *Result) HasCommitments() bool { return len(r.held) > 0 }
