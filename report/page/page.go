// Package page writes a plan as one self-contained HTML file a reviewer
// opens in any browser (`scaleplan report`, File → Export report…): the
// summary, the roadmap, costs by line and phase, each phase's hourly
// latency against its target, the scenarios side by side, the risk fan
// and odds when the plan has ranges, the commitments' load-duration
// curve, and explain's words. Styles, charts and data are inline: it
// needs no network and no script. Charts are SVG drawn from the engine's
// and package report's figures; only their scale to pixels is worked
// out here. Light and dark follow the reader's preference; printing
// breaks pages before each section.
package page

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/commit"
	"github.com/scaleplan/scaleplan/planner/risk"
	"github.com/scaleplan/scaleplan/report"
)

// Options say what the page draws beyond the plan itself.
type Options struct {
	// RiskDraws is how many draws the risk section takes when the plan
	// has ranges (risk.DefaultDraws when 0); RiskSeed seeds them.
	RiskDraws int
	RiskSeed  uint64
}

// Defaults are the options `scaleplan report` and File → Export report…
// both use, so the two write the same file: the risk section's draws and
// seed as `scaleplan risk` has them.
var Defaults = Options{RiskDraws: risk.DefaultDraws, RiskSeed: 1}

// Section is one part of the page: its id (the anchor and the browser
// test's screenshot), its title, and whether a plan has it.
type Section struct {
	ID, Title string
	Has       func(p *planner.Plan, r *planner.Result) bool
}

func always(*planner.Plan, *planner.Result) bool { return true }

// Sections lists the page's sections in order; the page, its contents and
// the browser test loop over it.
var Sections = []Section{
	{"summary", "Summary", always},
	{"roadmap", "Roadmap", always},
	{"costs", "Costs by line and phase", always},
	{"latency", "Latency through the day", always},
	{"scenarios", "Scenarios side by side", func(p *planner.Plan, _ *planner.Result) bool { return len(p.Scenarios) > 0 }},
	{"risk", "Risk: the plan's ranges drawn", func(p *planner.Plan, _ *planner.Result) bool { return len(p.Ranges) > 0 }},
	{"commitments", "Commitments", func(_ *planner.Plan, r *planner.Result) bool { return r.HasCommitments() }},
	{"explain", "How each phase is sized", always},
}

// view is what the template renders.
type view struct {
	Title, Currency, Period, Generated string
	Sections                           []Section
	Summary                            summary
	Roadmap                            table
	Costs                              table
	CostChart                          template.HTML
	Latency                            []chart
	Scenarios                          *table
	Risk                               *riskView
	Commit                             *commitView
	Explain                            []para
}

// para is a paragraph of explain's words: its first line (a phase's name
// and dates) and the rest.
type para struct{ Head, Body string }

type summary struct {
	Total, PerCall, BreakEven, Revenue, Margin, Checks string
	Failing                                            []string
}

type table struct {
	Caption string
	Head    []string
	Rows    [][]string
	Total   []string // a last row in bold; nil for none
}

type chart struct {
	Title string
	SVG   template.HTML
	Words string
}

type riskView struct {
	Words  string
	Table  table
	Odds   []string
	Fan    template.HTML
	Errors string
}

type commitView struct {
	Table table
	Curve template.HTML
}

// Write writes plan p, computed as r, as an HTML page to w.
func Write(w io.Writer, p planner.Plan, r *planner.Result, opt Options) error {
	cur := r.Currency
	v := view{Title: r.Name, Currency: cur, Period: fmt.Sprintf("%s to %s, %s", r.StartDate, r.EndDate, format.Plural(r.Days, "day", "days"))}
	for _, s := range Sections {
		if s.Has(&p, r) {
			v.Sections = append(v.Sections, s)
		}
	}
	pass, total := r.ChecksPassed()
	v.Summary = summary{
		Total:     format.Money(r.Totals.Cost.Total, cur),
		PerCall:   perCall(r.Totals.CostPerCall, cur),
		BreakEven: report.BreakEvenDay(r.BreakEven),
		Revenue:   format.Money(r.Totals.Revenue, cur),
		Margin:    format.Money(r.Totals.Margin, cur),
		Checks:    fmt.Sprintf("%d of %d checks pass", pass, total),
	}
	for i := range r.Phases {
		for _, c := range r.Phases[i].Checks {
			if !c.OK {
				v.Summary.Failing = append(v.Summary.Failing, r.Phases[i].Name+": "+report.CheckDetail(c))
			}
		}
	}
	v.Roadmap = roadmap(r)
	v.Costs, v.CostChart = costs(r)
	for i := range r.Phases {
		v.Latency = append(v.Latency, latency(r, i))
	}
	if len(p.Scenarios) > 0 {
		t := scenarios(p, r)
		v.Scenarios = &t
	}
	if len(p.Ranges) > 0 {
		v.Risk = riskSection(p, cur, opt)
	}
	if r.HasCommitments() {
		v.Commit = commitments(r)
	}
	for _, text := range strings.Split(strings.TrimSpace(report.Explain(p, r)), "\n\n") {
		head, body, _ := strings.Cut(text, "\n")
		v.Explain = append(v.Explain, para{head, body})
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, v); err != nil {
		return err
	}
	_, err := w.Write(b.Bytes())
	return err
}

func perCall(o planner.Opt[decimal.Decimal], cur string) string {
	if !o.Valid {
		return format.None
	}
	return format.MoneyPlacesN(o.Val, cur, format.CostPerCallPlaces)
}

func roadmap(r *planner.Result) table {
	t := table{Caption: "Each phase: its days, volume, fleet and cost",
		Head: []string{"Phase", "Dates", "Days", "Calls a day", "Nodes", "Scaling", "Model", "Cost", "Cost per call"}}
	for i := range r.Phases {
		ph := &r.Phases[i]
		nodes := format.Count(ph.Nodes)
		if ph.NodesAuto {
			nodes += " (auto)"
		}
		model := ph.VariantName
		if model == "" {
			model = format.None
		}
		t.Rows = append(t.Rows, []string{ph.Name, fmt.Sprintf("%s – %s", ph.StartDate, ph.EndDate), format.Count(ph.Days), format.Count(ph.CallsPerDay),
			nodes, string(ph.Scaling), model, format.Money(ph.Cost.Total, r.Currency), perCall(ph.CostPerCall, r.Currency)})
	}
	t.Total = []string{"Plan", "", format.Count(r.Days), "", fmt.Sprintf("peak %s", format.Count(r.Totals.PeakNodes)), "", "",
		format.Money(r.Totals.Cost.Total, r.Currency), perCall(r.Totals.CostPerCall, r.Currency)}
	return t
}

// costs is the cost catalogue's lines by phase, as a table and as bars
// stacked in the lines' own colours (the app's Costs chart's).
func costs(r *planner.Result) (table, template.HTML) {
	cur := r.Currency
	t := table{Caption: "Cost of each line in each phase (FOCUS pricing category in brackets)", Head: []string{"Line"}}
	for i := range r.Phases {
		t.Head = append(t.Head, r.Phases[i].Name)
	}
	t.Head = append(t.Head, "Total")
	type layer struct {
		label, colour string
		get           func(c *planner.Costs) decimal.Decimal
	}
	var layers []layer
	for _, l := range planner.CostLines {
		if !l.ShownFor(r) {
			continue
		}
		k := l.Key
		layers = append(layers, layer{fmt.Sprintf("%s (%s)", l.Label, l.Focus), l.Colour, func(c *planner.Costs) decimal.Decimal { return c.Of(k) }})
	}
	if r.Totals.Cost.Components.Sign() != 0 {
		layers = append(layers, layer{"Components", "#7e57c2", func(c *planner.Costs) decimal.Decimal { return c.Components }})
	}
	for _, l := range layers {
		row := []string{l.label}
		for i := range r.Phases {
			row = append(row, format.Money(l.get(&r.Phases[i].Cost), cur))
		}
		t.Rows = append(t.Rows, append(row, format.Money(l.get(&r.Totals.Cost), cur)))
	}
	t.Total = []string{"Total"}
	for i := range r.Phases {
		t.Total = append(t.Total, format.Money(r.Phases[i].Cost.Total, cur))
	}
	t.Total = append(t.Total, format.Money(r.Totals.Cost.Total, cur))

	// The bars: one a phase, its lines stacked.
	const W, H, left, bottom, top = 720.0, 300.0, 80.0, 40.0, 16.0
	maxTotal := 0.0
	for i := range r.Phases {
		maxTotal = math.Max(maxTotal, r.Phases[i].Cost.Total.InexactFloat64())
	}
	var s svg
	s.open(W, H+24*float64((len(layers)+2)/3), "costs-title", "Costs by phase, stacked by line: "+costWords(r))
	if maxTotal > 0 {
		step := niceStep(maxTotal)
		scale := (H - bottom - top) / (math.Ceil(maxTotal/step) * step)
		for y := 0.0; y <= maxTotal+step/2; y += step {
			py := H - bottom - y*scale
			s.line(left, py, W-8, py, "grid")
			s.text(left-6, py+4, "end", "axis", format.CompactMoney(decimal.NewFromFloat(y), cur))
		}
		n := float64(len(r.Phases))
		bw := math.Min(90, (W-left-16)/n*0.6)
		for i := range r.Phases {
			x := left + (W-left-16)/n*(float64(i)+0.5) - bw/2
			y := H - bottom
			for _, l := range layers {
				h := l.get(&r.Phases[i].Cost).InexactFloat64() * scale
				if h > 0 {
					s.rect(x, y-h, bw, h, l.colour)
					y -= h
				}
			}
			s.text(x+bw/2, H-bottom+16, "middle", "label", r.Phases[i].Name)
			s.text(x+bw/2, y-6, "middle", "label", format.CompactMoney(r.Phases[i].Cost.Total, cur))
		}
	}
	for k, l := range layers {
		x, y := left+float64(k%3)*210, H+float64(k/3)*22
		s.rect(x, y-10, 12, 12, l.colour)
		s.text(x+18, y, "start", "label", l.label)
	}
	return t, s.close()
}

func costWords(r *planner.Result) string {
	var parts []string
	for i := range r.Phases {
		parts = append(parts, fmt.Sprintf("%s %s", r.Phases[i].Name, format.Money(r.Phases[i].Cost.Total, r.Currency)))
	}
	return strings.Join(parts, ", ")
}

// latency is a phase's p99 (or, serving tokens, TTFT p99) hour by hour
// against its target.
func latency(r *planner.Result, i int) chart {
	ph := &r.Phases[i]
	c := chart{Title: ph.Name}
	var ys [24]float64
	var sat [24]bool
	target, what := 0.0, "p99"
	switch {
	case ph.Tokens != nil:
		what = "TTFT p99"
		for h := range ys {
			hr := &ph.Tokens.Day.Hours[h]
			ys[h], sat[h] = hr.TTFTp99, hr.Saturated
		}
		if ph.Tokens.Targets.TTFTp99 > 0 {
			target = ph.Tokens.Targets.TTFTp99
		}
	case ph.Latency.Estimated:
		for h := range ys {
			hr := &ph.Latency.Hours[h]
			ys[h], sat[h] = hr.P99Ms, hr.Saturated
		}
		if r.SLO.P99Ms.Valid {
			target = r.SLO.P99Ms.Val.InexactFloat64()
		}
	default:
		c.Words = "No latency estimate: " + ph.Latency.Why
		return c
	}
	top := target
	worst, worstH := 0.0, -1
	for h, y := range ys {
		if !sat[h] && !math.IsNaN(y) && !math.IsInf(y, 0) {
			top = math.Max(top, y)
			if y > worst {
				worst, worstH = y, h
			}
		}
	}
	if top <= 0 {
		c.Words = "No calls to serve."
		return c
	}
	top *= 1.1
	const W, H, left, bottom, up = 340.0, 170.0, 48.0, 26.0, 10.0
	px := func(h float64) float64 { return left + h*(W-left-8)/23 }
	py := func(y float64) float64 { return H - bottom - y/top*(H-bottom-up) }
	words := fmt.Sprintf("%s of %s hour by hour: worst %s ms at %02d:00", what, ph.Name, format.Decimal(decimal.NewFromFloat(worst), 1), max(worstH, 0))
	if target > 0 {
		words += fmt.Sprintf(", against a target of %s ms", format.Decimal(decimal.NewFromFloat(target), 0))
	}
	var s svg
	s.open(W, H, fmt.Sprintf("latency-%d", i), words)
	step := niceStep(top)
	for y := 0.0; y <= top; y += step {
		s.line(left, py(y), W-8, py(y), "grid")
		s.text(left-4, py(y)+4, "end", "axis", fmt.Sprintf("%.0f", y))
	}
	for _, h := range []int{0, 6, 12, 18, 23} {
		anchor := map[int]string{0: "start", 23: "end"}[h]
		if anchor == "" {
			anchor = "middle"
		}
		s.text(px(float64(h)), H-bottom+14, anchor, "axis", fmt.Sprintf("%02d:00", h))
	}
	if target > 0 {
		s.line(left, py(target), W-8, py(target), "target")
		s.text(W-10, py(target)-4, "end", "target-label", fmt.Sprintf("target %s ms", format.Decimal(decimal.NewFromFloat(target), 0)))
	}
	var pts []string
	for h, y := range ys {
		if sat[h] || math.IsNaN(y) || math.IsInf(y, 0) {
			s.text(px(float64(h)), up+10, "middle", "target-label", "sat.")
			continue
		}
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(float64(h)), py(y)))
	}
	s.polyline(pts, "series")
	c.SVG, c.Words = s.close(), words+"."
	return c
}

// scenarios sets the plan and each of its scenarios side by side.
func scenarios(p planner.Plan, r *planner.Result) table {
	t := table{Caption: "The plan and each scenario, computed in full", Head: []string{"Figure", "The plan"}}
	cols := []*planner.Result{r}
	for _, s := range p.Scenarios {
		t.Head = append(t.Head, s.Name)
		q, err := p.Scenario(s.Name)
		if err != nil {
			cols = append(cols, nil)
			continue
		}
		rs := planner.Compute(q)
		cols = append(cols, &rs)
	}
	row := func(label string, f func(r *planner.Result) string) {
		out := []string{label}
		for _, c := range cols {
			if c == nil {
				out = append(out, "does not compute")
				continue
			}
			out = append(out, f(c))
		}
		t.Rows = append(t.Rows, out)
	}
	row("Total cost", func(c *planner.Result) string { return format.Money(c.Totals.Cost.Total, c.Currency) })
	row("Cost per call", func(c *planner.Result) string { return perCall(c.Totals.CostPerCall, c.Currency) })
	row("Revenue", func(c *planner.Result) string { return format.Money(c.Totals.Revenue, c.Currency) })
	row("Margin", func(c *planner.Result) string { return format.Money(c.Totals.Margin, c.Currency) })
	row("Peak nodes", func(c *planner.Result) string { return format.Count(c.Totals.PeakNodes) })
	row("Break-even", func(c *planner.Result) string { return report.BreakEvenDay(c.BreakEven) })
	row("Checks", func(c *planner.Result) string {
		pass, n := c.ChecksPassed()
		return fmt.Sprintf("%d of %d pass", pass, n)
	})
	return t
}

// riskSection draws the plan's ranges: the spreads, the odds, and the fan
// of cumulative cost and revenue.
func riskSection(p planner.Plan, cur string, opt Options) *riskView {
	res, err := risk.Run(p, "", risk.Options{Draws: opt.RiskDraws, Seed: opt.RiskSeed})
	if err != nil {
		return &riskView{Errors: "The ranges could not be drawn: " + err.Error()}
	}
	v := &riskView{Words: fmt.Sprintf("%s draws of the plan's %s, seed %d.", format.Count(int64(res.Draws)), format.Plural(int64(len(res.Inputs)), "uncertain input", "uncertain inputs"), res.Seed),
		Table: table{Caption: "The plan's figures over the draws", Head: []string{"Figure", "Mean", "P10", "P50", "P90"}}}
	for _, m := range risk.Metrics {
		sp := m.Total(&res.Totals)
		v.Table.Rows = append(v.Table.Rows, []string{m.Label, report.RiskValue(sp.Mean, m.Unit, cur), report.RiskValue(sp.P10, m.Unit, cur),
			report.RiskValue(sp.P50, m.Unit, cur), report.RiskValue(sp.P90, m.Unit, cur)})
	}
	for _, o := range res.OddsList(cur) {
		if o.Asked {
			v.Odds = append(v.Odds, fmt.Sprintf("P(%s) = %s", o.Event, format.Odds(o.P.Val)))
		}
	}
	f := res.Fan
	if len(f.Days) > 1 {
		top := 0.0
		for k := range f.Days {
			top = math.Max(top, math.Max(f.CostP90[k], f.RevenueP90[k]))
		}
		step := niceStep(top)
		top = math.Ceil(top/step) * step // the top gridline above the highest band, labelled
		const W, H, left, bottom, up = 720.0, 260.0, 80.0, 30.0, 12.0
		last := float64(f.Days[len(f.Days)-1])
		px := func(d int64) float64 { return left + float64(d)/last*(W-left-12) }
		py := func(y float64) float64 { return H - bottom - y/top*(H-bottom-up) }
		var s svg
		s.open(W, H+24, "fan", fmt.Sprintf("Cumulative cost and revenue over the plan's days, P10 to P90 of the draws: at the end, cost %s to %s, revenue %s to %s",
			format.CompactMoney(decimal.NewFromFloat(f.CostP10[len(f.Days)-1]), cur), format.CompactMoney(decimal.NewFromFloat(f.CostP90[len(f.Days)-1]), cur),
			format.CompactMoney(decimal.NewFromFloat(f.RevenueP10[len(f.Days)-1]), cur), format.CompactMoney(decimal.NewFromFloat(f.RevenueP90[len(f.Days)-1]), cur)))
		for y := 0.0; y <= top+step/2; y += step {
			s.line(left, py(y), W-12, py(y), "grid")
			s.text(left-6, py(y)+4, "end", "axis", format.CompactMoney(decimal.NewFromFloat(y), cur))
		}
		band := func(lo, hi []float64, class string) {
			var pts []string
			for k, d := range f.Days {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(d), py(hi[k])))
			}
			for k := len(f.Days) - 1; k >= 0; k-- {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(f.Days[k]), py(lo[k])))
			}
			s.polygon(pts, class)
		}
		mid := func(ys []float64, class string) {
			var pts []string
			for k, d := range f.Days {
				pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(d), py(ys[k])))
			}
			s.polyline(pts, class)
		}
		band(f.CostP10, f.CostP90, "cost-band")
		band(f.RevenueP10, f.RevenueP90, "revenue-band")
		mid(f.CostP50, "cost-line")
		mid(f.RevenueP50, "revenue-line")
		s.rect(left, H+4, 12, 12, "#d03b3b")
		s.text(left+18, H+14, "start", "label", "cost, P10–P90 and median")
		s.rect(left+240, H+4, 12, 12, "#2e8b57")
		s.text(left+258, H+14, "start", "label", "revenue, P10–P90 and median")
		s.text(left, H-bottom+16, "start", "axis", "day 1")
		s.text(W-12, H-bottom+16, "end", "axis", fmt.Sprintf("day %d", f.Days[len(f.Days)-1]))
		v.Fan = s.close()
	}
	return v
}

// commitments lists the plan's held commitments and draws the
// load-duration curve of its hourly fleet over a year from its first day.
func commitments(r *planner.Result) *commitView {
	v := &commitView{Table: table{Caption: "Commitments held, as billed", Head: []string{"Commitment", "Nodes", "Rate a node-hour", "Term"}}}
	for _, t := range r.HeldTerms() {
		v.Table.Rows = append(v.Table.Rows, []string{t.Name, format.Count(t.Nodes), format.UnitPrice(t.Rate.Round(4), r.Currency), format.Plural(t.TermMonths, "month", "months")})
	}
	ld, err := commit.LoadDurationOf(r.CommitPhases(), commit.Options{TermMonths: 12, AfterPlan: commit.AfterPlanStranded})
	if err != nil || len(ld.AtLeast) < 2 || ld.TermHours == 0 {
		return v
	}
	maxK := len(ld.AtLeast) - 1
	const W, H, left, bottom, up = 720.0, 240.0, 48.0, 30.0, 10.0
	var s svg
	s.open(W, H, "curve", fmt.Sprintf("Load-duration curve over a year from the plan's first day: %s wanted at the peak; each bar is the share of the year's hours that want at least that many nodes", format.Nodes(int64(maxK))))
	for n := 1; n <= maxK; n++ {
		share := float64(ld.AtLeast[n]) / float64(ld.TermHours)
		y0 := H - bottom - float64(n)/float64(maxK)*(H-bottom-up)
		y1 := H - bottom - float64(n-1)/float64(maxK)*(H-bottom-up)
		s.rect(left, y0, share*(W-left-12), y1-y0-1, "#4472c4")
	}
	for _, f := range []float64{0, 0.25, 0.5, 0.75, 1} {
		anchor := map[float64]string{0: "start", 1: "end"}[f]
		if anchor == "" {
			anchor = "middle"
		}
		s.text(left+f*(W-left-12), H-bottom+16, anchor, "axis", fmt.Sprintf("%.0f %%", 100*f))
	}
	s.text(left+(W-left-12)/2, H-4, "middle", "axis", "share of the year's hours wanting at least this many nodes")
	s.text(left-6, up+8, "end", "axis", fmt.Sprint(maxK))
	s.text(left-6, H-bottom, "end", "axis", "0")
	v.Curve = s.close()
	return v
}

func niceStep(top float64) float64 { return report.NiceStep(top) }
