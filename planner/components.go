package planner

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
)

// Component is a design element a plan adds and ties to a cost: "a
// dashboard that keeps 2 KB per call for 90 days", "a vector database at
// $1,200 a month", "a guardrail API at $0.20 per 1,000 calls that adds 8 ms".
// It is a cost line everywhere a built-in one is. A format-2 key.
type Component struct {
	Name   string
	Group  string // GroupIngestion, GroupServing, GroupLatency or GroupCost
	Driver string // one of Drivers
	Price  decimal.Decimal
	// Phases names the phases it applies to; nil means every phase.
	Phases []string
	// LatencyMs puts the component on the request path: its milliseconds
	// join the fixed latency of the phases it applies to, and p99 sizing.
	LatencyMs     Opt[decimal.Decimal]
	BytesPerCall  int64 // per_gb_stored and per_gb_egress
	RetentionDays int64 // per_gb_stored
	Notes         string
}

// The drivers a component's price can follow.
const (
	DriverPerCall     = "per_call"
	DriverPer1kCalls  = "per_1k_calls"
	DriverPerNodeHour = "per_node_hour"
	DriverPerMonth    = "per_month"
	DriverOneTime     = "one_time"
	DriverPerGBStored = "per_gb_stored"
	DriverPerGBEgress = "per_gb_egress"
)

// Driver describes how a component's price becomes a cost.
type Driver struct {
	Key       string
	Label     string // "per 1,000 calls"
	Bytes     bool   // needs bytes_per_call
	Retention bool   // needs retention_days
	// Quantity is what the price multiplies in a phase, with its unit;
	// nil for per_gb_stored, which accrues day by day (storage.go).
	Quantity func(out *PhaseResult) decimal.Decimal
	Unit     string // the quantity's unit: "calls", "node-hours", …
	// Moves is how the cost moves with a phase's calls a day, as for a
	// built-in cost line (Moves).
	Moves Moves
}

// Drivers lists every driver, in the order a menu shows them.
var Drivers = []Driver{
	{Key: DriverPerCall, Moves: MovesWithCalls, Label: "per call", Unit: "calls",
		Quantity: func(out *PhaseResult) decimal.Decimal { return decimal.NewFromInt(out.Calls) }},
	{Key: DriverPer1kCalls, Moves: MovesWithCalls, Label: "per 1,000 calls", Unit: "thousand calls",
		Quantity: func(out *PhaseResult) decimal.Decimal { return decimal.NewFromInt(out.Calls).Shift(-3) }},
	{Key: DriverPerNodeHour, Moves: MovesWithNodes, Label: "per node-hour", Unit: "node-hours",
		Quantity: func(out *PhaseResult) decimal.Decimal { return decimal.NewFromInt(out.NodeHours) }},
	{Key: DriverPerMonth, Moves: MovesNot, Label: "per month", Unit: "months",
		Quantity: func(out *PhaseResult) decimal.Decimal {
			return decimal.NewFromInt(out.Days).Mul(monthsPerYear).DivRound(daysPerYear, DivPlaces)
		}},
	{Key: DriverOneTime, Moves: MovesNot, Label: "once", Unit: "times",
		Quantity: func(out *PhaseResult) decimal.Decimal { return one }},
	{Key: DriverPerGBStored, Moves: MovesWithCalls, Label: "per GB-month stored", Unit: "GB-months", Bytes: true, Retention: true},
	{Key: DriverPerGBEgress, Moves: MovesWithCalls, Label: "per GB sent out", Unit: "GB", Bytes: true,
		Quantity: func(out *PhaseResult) decimal.Decimal { return decimal.NewFromInt(out.Calls).Shift(-9) }}, // × bytes_per_call below
}

// LookupDriver finds a driver by key.
func LookupDriver(key string) (*Driver, bool) {
	for i := range Drivers {
		if Drivers[i].Key == key {
			return &Drivers[i], true
		}
	}
	return nil, false
}

func driverKeys() []string {
	out := make([]string, len(Drivers))
	for i, d := range Drivers {
		out[i] = d.Key
	}
	return out
}

// AppliesTo reports whether the component applies to a phase of that name.
func (c *Component) AppliesTo(phase string) bool {
	if c.Phases == nil {
		return true
	}
	for _, n := range c.Phases {
		if n == phase {
			return true
		}
	}
	return false
}

// ComponentCost is one component in one phase (or, in Totals, the plan).
type ComponentCost struct {
	Name, Group, Driver string
	Applies             bool            // it applies to the phase (in Totals: to some phase)
	Quantity            decimal.Decimal // what the price multiplied: calls, node-hours, GB, …; for per_gb_stored the GB kept on the phase's last day
	Cost                decimal.Decimal
	LatencyMs           Opt[decimal.Decimal] // on the request path, when it applies
}

// componentsMs is the request-path milliseconds of the components that
// apply to phase i.
func (p *Plan) componentsMs(i int) decimal.Decimal {
	ms := decimal.Zero
	for j := range p.Components {
		c := &p.Components[j]
		if c.LatencyMs.Valid && c.AppliesTo(p.Phases[i].Name) {
			ms = ms.Add(c.LatencyMs.Val)
		}
	}
	return ms
}

// firstPhaseOf is the index of the first phase component j applies to, or -1.
func (p *Plan) firstPhaseOf(j int) int {
	for i := range p.Phases {
		if p.Components[j].AppliesTo(p.Phases[i].Name) {
			return i
		}
	}
	return -1
}

// priceComponents works out phase i's component costs, all but stored
// data, which accrues across phases (componentStore).
func (p *Plan) priceComponents(out *PhaseResult, i int) {
	if len(p.Components) == 0 {
		out.Components = nil
		return
	}
	out.Components = make([]ComponentCost, len(p.Components))
	for j := range p.Components {
		c := &p.Components[j]
		k := &out.Components[j]
		*k = ComponentCost{Name: c.Name, Group: c.Group, Driver: c.Driver, Cost: decimal.Zero, Quantity: decimal.Zero}
		if !c.AppliesTo(out.Name) {
			continue
		}
		k.Applies, k.LatencyMs = true, c.LatencyMs
		d, _ := LookupDriver(c.Driver)
		if d == nil || d.Quantity == nil {
			continue
		}
		if c.Driver == DriverOneTime && p.firstPhaseOf(j) != i {
			continue // paid once, on the first day of the first phase it applies to
		}
		k.Quantity = d.Quantity(out)
		if d.Bytes {
			k.Quantity = k.Quantity.Mul(decimal.NewFromInt(c.BytesPerCall))
		}
		k.Cost = k.Quantity.Mul(c.Price)
	}
}

// componentStore is the storage rule of storage.go applied to component j:
// the calls of the phases it applies to write bytes_per_call each, kept
// retention_days, billed at its price on the days of those phases.
func (p *Plan) componentStore(j int) store {
	c := p.Components[j]
	return func(ph *PhaseResult) (int64, int64, decimal.Decimal) {
		if !c.AppliesTo(ph.Name) {
			return 0, c.RetentionDays, decimal.Zero
		}
		return c.BytesPerCall, c.RetentionDays, c.Price
	}
}

// componentsAccrued is what of the phase's component cost is not spread
// evenly over its days: one-time costs (its first day) and stored data
// (each day its own).
func (p *PhaseResult) componentsAccrued() decimal.Decimal {
	return p.componentsOnce().Add(p.componentsStored())
}

// ComponentsOf is the phase's cost of the components with the given driver.
func (p *PhaseResult) ComponentsOf(driver string) decimal.Decimal {
	s := decimal.Zero
	for _, k := range p.Components {
		if k.Driver == driver {
			s = s.Add(k.Cost)
		}
	}
	return s
}

func (p *PhaseResult) componentsOnce() decimal.Decimal   { return p.ComponentsOf(DriverOneTime) }
func (p *PhaseResult) componentsStored() decimal.Decimal { return p.ComponentsOf(DriverPerGBStored) }

// Words says how the component's cost in a phase came about.
func (k *ComponentCost) Words(c *Component, currency string) string {
	if !k.Applies {
		return fmt.Sprintf("%s does not apply to this phase", c.Name)
	}
	price := format.UnitPrice(c.Price, currency)
	cost := format.Money(k.Cost, currency)
	var s string
	switch c.Driver {
	case DriverPerCall:
		s = fmt.Sprintf("%s: %s calls × %s = %s", c.Name, format.Decimal(k.Quantity, 0), price, cost)
	case DriverPer1kCalls:
		s = fmt.Sprintf("%s: %s thousand calls × %s = %s", c.Name, format.Trim(k.Quantity), price, cost)
	case DriverPerNodeHour:
		s = fmt.Sprintf("%s: %s node-hours × %s = %s", c.Name, format.Decimal(k.Quantity, 0), price, cost)
	case DriverPerMonth:
		s = fmt.Sprintf("%s: %s months × %s = %s", c.Name, format.Decimal(k.Quantity, 2), price, cost)
	case DriverOneTime:
		if k.Cost.IsZero() && !c.Price.IsZero() {
			s = fmt.Sprintf("%s: %s once, paid in an earlier phase", c.Name, price)
		} else {
			s = fmt.Sprintf("%s: %s once, on the phase's first day", c.Name, price)
		}
	case DriverPerGBStored:
		s = fmt.Sprintf("%s: %s bytes a call kept %s days (%s GB on the last day) at %s per GB-month = %s",
			c.Name, format.Count(c.BytesPerCall), format.Count(c.RetentionDays), format.Decimal(k.Quantity, 1), price, cost)
	case DriverPerGBEgress:
		s = fmt.Sprintf("%s: %s GB sent out × %s = %s", c.Name, format.Decimal(k.Quantity, 1), price, cost)
	}
	if c.LatencyMs.Valid {
		s += fmt.Sprintf("; it adds %s ms to every call", format.Trim(c.LatencyMs.Val))
	}
	return s
}

// componentKeys are a component's keys in a plan file, in the order they are written.
var componentKeys = []string{"name", "group", "driver", "price", "phases", "latency_ms", "bytes_per_call", "retention_days", "notes"}

// MaxComponents bounds a plan's components: far more than a design lists.
const MaxComponents = 200

func (d *decoder) components(path string, v any) []Component {
	arr, ok := d.List(path, v, "components", MaxComponents)
	if !ok {
		return nil
	}
	out := make([]Component, len(arr))
	for i, e := range arr {
		cp := fmt.Sprintf("%s[%d]", path, i)
		c := &out[i]
		c.Price = decimal.Zero
		d.Fields(cp, e, componentKeys, []string{"name", "group", "driver", "price"}, func(k string, v any, path string) {
			switch k {
			case "name":
				c.Name = d.Name(path, v)
			case "group":
				if s, ok := d.Text(path, v); ok {
					if !jsonfile.Contains(Groups, s) {
						d.Fail(path, "must be one of %s, got %s", jsonfile.Quoted(Groups), jsonfile.Describe(v))
					}
					c.Group = s
				}
			case "driver":
				if s, ok := d.Text(path, v); ok {
					if _, ok := LookupDriver(s); !ok {
						d.Fail(path, "must be one of %s, got %s", jsonfile.Quoted(driverKeys()), jsonfile.Describe(v))
					}
					c.Driver = s
				}
			case "price":
				c.Price, _ = d.Number(path, v, nonNegative)
			case "phases":
				c.Phases = d.nameList(path, v)
			case "latency_ms":
				if n, ok := d.Number(path, v, milliseconds); ok {
					c.LatencyMs = Some(n)
				}
			case "bytes_per_call":
				if n, ok := d.Number(path, v, wholeRule(0, MaxBytes)); ok {
					c.BytesPerCall = n.IntPart()
				}
			case "retention_days":
				if n, ok := d.Number(path, v, wholeRule(0, MaxDays)); ok {
					c.RetentionDays = n.IntPart()
				}
			case "notes":
				c.Notes, _ = d.Text(path, v)
			}
		})
		if dr, ok := LookupDriver(c.Driver); ok {
			o, _ := e.(*jsonfile.Object)
			if o != nil {
				_, hasBytes := o.Vals["bytes_per_call"]
				_, hasRet := o.Vals["retention_days"]
				if dr.Bytes && !hasBytes {
					d.Fail(jsonfile.Join(cp, "bytes_per_call"), "missing; a %s component needs the bytes each call stores or sends (%s)", c.Driver, wholeRule(0, MaxBytes).ExpectedText)
				}
				if dr.Retention && !hasRet {
					d.Fail(jsonfile.Join(cp, "retention_days"), "missing; a %s component needs how many days its data is kept (%s)", c.Driver, wholeRule(0, MaxDays).ExpectedText)
				}
				if !dr.Bytes && hasBytes {
					d.Fail(jsonfile.Join(cp, "bytes_per_call"), "a %s component stores and sends nothing; remove it, or use per_gb_stored or per_gb_egress", c.Driver)
				}
				if !dr.Retention && hasRet {
					d.Fail(jsonfile.Join(cp, "retention_days"), "a %s component keeps nothing; remove it, or use per_gb_stored", c.Driver)
				}
			}
		}
	}
	return out
}

// nameList reads a non-empty list of phase names.
func (d *decoder) nameList(path string, v any) []string {
	arr, ok := d.List(path, v, "phase names", 0)
	if !ok {
		return nil
	}
	if len(arr) == 0 {
		d.Fail(path, "must name at least one phase; leave the key out to apply to every phase")
		return nil
	}
	out := make([]string, 0, len(arr))
	for i, e := range arr {
		if s, ok := d.Text(fmt.Sprintf("%s[%d]", path, i), e); ok {
			out = append(out, s)
		}
	}
	return out
}

// checkComponents finds what no single value of a component shows: two of
// the same name, a phase name that no phase has.
func checkComponents(p Plan, errs *Errors) {
	seen := map[string]bool{}
	phases := map[string]bool{}
	var names []string
	for _, ph := range p.Phases {
		phases[ph.Name] = true
		names = append(names, fmt.Sprintf("%q", ph.Name))
	}
	for i, c := range p.Components {
		if seen[c.Name] {
			errs.Add(fmt.Sprintf("components[%d].name", i), fmt.Sprintf("%q names two components; names must differ", c.Name))
		}
		seen[c.Name] = true
		for k, n := range c.Phases {
			if !phases[n] {
				errs.Add(fmt.Sprintf("components[%d].phases[%d]", i, k), fmt.Sprintf("no phase is named %q; the plan has %s", n, strings.Join(names, ", ")))
			}
		}
	}
}

func (w *jsonWriter) components(cs []Component) {
	if len(cs) == 0 {
		return
	}
	w.key("components").open('[')
	for i := range cs {
		c := &cs[i]
		w.item().open('{')
		w.key("name").str(c.Name)
		w.key("group").str(c.Group)
		w.key("driver").str(c.Driver)
		w.at = "components[" + c.Name + "]."
		w.key("price").dec(c.Price)
		if c.Phases != nil {
			w.key("phases").open('[')
			for _, n := range c.Phases {
				w.item().str(n)
			}
			w.close(']')
		}
		w.optDec("latency_ms", c.LatencyMs)
		if d, ok := LookupDriver(c.Driver); ok {
			if d.Bytes {
				w.key("bytes_per_call").raw(fmt.Sprint(c.BytesPerCall))
			}
			if d.Retention {
				w.key("retention_days").raw(fmt.Sprint(c.RetentionDays))
			}
		}
		w.at = ""
		if c.Notes != "" {
			w.key("notes").str(c.Notes)
		}
		w.close('}')
	}
	w.close(']')
}

// componentStores is, per component, the store of its data when it has a
// per_gb_stored driver, else nil.
func (p *Plan) componentStores(phases []PhaseResult) []*ledger {
	if len(p.Components) == 0 {
		return nil
	}
	out := make([]*ledger, len(p.Components))
	for j := range p.Components {
		if p.Components[j].Driver == DriverPerGBStored {
			out[j] = newLedger(phases, p.componentStore(j))
		}
	}
	return out
}

// settleStored prices phase i's stored component data from the stores.
func settleStored(ph *PhaseResult, i int, stores []*ledger) {
	for j, l := range stores {
		if l == nil || !ph.Components[j].Applies {
			continue
		}
		ph.Components[j].Quantity, ph.Components[j].Cost = l.Phase(i)
	}
}

// addComponents adds a phase's component costs to running totals.
func addComponents(t, ph []ComponentCost) []ComponentCost {
	if t == nil && len(ph) > 0 {
		t = make([]ComponentCost, len(ph))
		for j, k := range ph {
			t[j] = ComponentCost{Name: k.Name, Group: k.Group, Driver: k.Driver, Cost: decimal.Zero, Quantity: decimal.Zero}
		}
	}
	for j, k := range ph {
		t[j].Cost = t[j].Cost.Add(k.Cost)
		t[j].Applies = t[j].Applies || k.Applies
		if k.Driver != DriverPerGBStored { // GB kept on different days do not add up
			t[j].Quantity = t[j].Quantity.Add(k.Quantity)
		}
	}
	return t
}
