package ui

import (
	"bytes"
	"fmt"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/llm"
	"github.com/scaleplan/scaleplan/report"
	"github.com/scaleplan/scaleplan/simulate"
	"github.com/shopspring/decimal"
)

// The Latency tab of a phase that serves tokens (planner/serving.go): TTFT
// p99 and TPOT p99 hour by hour with their targets, and, after Check with
// simulation, the step-by-step simulator's figures with their intervals.

// tokenSimulation is the last token simulation if it is of the phase shown
// in the plan as it is now; nil otherwise.
func (v *latencyView) tokenSimulation() *simulate.TokenCheck {
	i, _ := v.current()
	if v.tokSim == nil || v.tokSim.Phase != i || !bytes.Equal(v.simPlan, planner.Marshal(v.doc.View)) {
		return nil
	}
	return v.tokSim
}

func (v *latencyView) refreshTokens(i int, ph *planner.PhaseResult) {
	v.title.SetText(fmt.Sprintf("%s: time to first token and per output token over its typical day", ph.Name))
	v.summary.SetText(report.LatencySummary(ph, v.doc.View.SLO))
	if !v.running {
		v.check.Enable()
	}
	switch s := v.tokenSimulation(); {
	case v.running:
	case s != nil:
		v.note.SetText(report.TokenSimulationWords(s))
		v.details.SetText(report.TokenSimulationTable(s))
	case v.tokSim != nil:
		v.note.SetText("The plan or the phase changed since the last simulation: check again to compare.")
		v.details.SetText("")
	default:
		v.note.SetText(fmt.Sprintf("Check with simulation (Ctrl+L) serves %s's typical day token by token — Poisson arrivals, "+
			"each call to the replica with the fewest present, steps that prefill and decode as the plan's inputs say — and sets the "+
			"simulated TTFT and TPOT p99 of every hour, with 95 %% intervals, beside the model's.", v.doc.View.Phases[i].Name))
		v.details.SetText("")
	}
	v.chart.Refresh()
}

// tokenPanel is one of the token chart's two panels: a figure per hour, its
// target, and the simulated figure with its interval.
type tokenPanel struct {
	title  string
	model  func(h *llm.Hour) float64
	target planner.Opt[float64]
	sim    func(h *simulate.TokenHour) (v, half float64)
}

func (c *latencyChart) drawTokens(size fyne.Size, ph *planner.PhaseResult) []fyne.CanvasObject {
	t := ph.Tokens
	slo := c.v.doc.View.SLO
	opt := func(o planner.Opt[decimal.Decimal]) planner.Opt[float64] {
		if !o.Valid {
			return planner.Opt[float64]{}
		}
		return planner.Some(o.Val.InexactFloat64())
	}
	panels := []tokenPanel{
		{"TTFT p99, ms", func(h *llm.Hour) float64 { return h.TTFTp99 }, opt(slo.TTFTp99Ms),
			func(h *simulate.TokenHour) (float64, float64) { return h.Sim.TTFTp99, h.Sim.TTFTHalf }},
		{"TPOT p99, ms", func(h *llm.Hour) float64 { return h.TPOTp99 }, opt(slo.TPOTp99Ms),
			func(h *simulate.TokenHour) (float64, float64) { return h.Sim.TPOTp99, h.Sim.TPOTHalf }},
	}
	small := theme.CaptionTextSize()
	x := float32(costsLeft)
	w := size.Width - costsLeft - costsRight
	gap := 2*small + 14
	ph2 := (size.Height - costsTop - costsLegend - small - 8 - gap) / 2
	if w <= 0 || ph2 <= 0 {
		return nil
	}
	sim := c.v.tokenSimulation()
	colW := w / 24
	px := func(hour int) float32 { return x + colW*(float32(hour)+0.5) }
	var objs []fyne.CanvasObject
	for k, p := range panels {
		y := float32(costsTop) + float32(k)*(ph2+gap)
		objs = append(objs, c.tokenPanel(p, t, sim, x, y, w, ph2, px)...)
	}
	y := float32(costsTop) + 2*ph2 + gap
	for hr := range t.Day.Hours {
		if hr%3 == 0 {
			objs = append(objs, text(fmt.Sprintf("%02d", hr), px(hr), y+2, small, muted(), fyne.TextAlignCenter))
		}
		objs = append(objs, text(fmtCount(t.Day.Hours[hr].Nodes), px(hr), y+small+6, small, fg(), fyne.TextAlignCenter))
	}
	legend := "blue: the model's p99 · line: the target · numbers under the hours: nodes running"
	if sim != nil {
		legend += " · orange: simulated p99 with its 95 % interval"
	}
	return append(objs, text(legend, x, y+2*small+10, small, muted(), fyne.TextAlignLeading))
}

func (c *latencyChart) tokenPanel(p tokenPanel, t *planner.TokenServing, sim *simulate.TokenCheck, x, y, w, h float32, px func(int) float32) []fyne.CanvasObject {
	small := theme.CaptionTextSize()
	d := &t.Day
	top := 0.0
	for hr := range d.Hours {
		if hh := &d.Hours[hr]; !hh.Saturated && hh.Rate > 0 && hh.Nodes > 0 {
			top = math.Max(top, p.model(hh))
		}
		if sim != nil {
			if v, half := p.sim(&sim.Hours[hr]); !math.IsNaN(v) {
				top = math.Max(top, v+math.Max(half, 0))
			}
		}
	}
	if p.target.Valid {
		top = math.Max(top, p.target.Val)
	}
	top = math.Max(top, 1)
	step := niceStep(top)
	axis := step * float64(int(top/step)+1)
	py := func(ms float64) float32 { return y + h - float32(ms/axis)*h }
	colW := w / 24
	objs := []fyne.CanvasObject{text(p.title, x, y-small-8, small, muted(), fyne.TextAlignLeading)}
	for v := 0.0; v <= axis+step/2; v += step {
		objs = append(objs, line(x, py(v), x+w, py(v), gridLn(), 1), text(fmt.Sprintf("%.0f", v), x-6, py(v)-small/2-2, small, muted(), fyne.TextAlignTrailing))
	}
	if p.target.Valid {
		objs = append(objs, line(x, py(p.target.Val), x+w, py(p.target.Val), fg(), 1),
			text(fmt.Sprintf("target %g ms", p.target.Val), x+w, py(p.target.Val)-small-4, small, fg(), fyne.TextAlignTrailing))
	}
	prev := -1
	for hr := range d.Hours {
		hh := &d.Hours[hr]
		switch {
		case hh.Saturated:
			objs = append(objs, rect(px(hr)-colW/2+1, y, colW-2, h, color.NRGBA{0xD0, 0x3B, 0x3B, 0x40}),
				text("sat.", px(hr), y+2, small, costColor, fyne.TextAlignCenter))
			prev = -1
			continue
		case hh.Rate <= 0 || hh.Nodes <= 0:
			prev = -1
			continue
		}
		if prev >= 0 {
			objs = append(objs, line(px(prev), py(p.model(&d.Hours[prev])), px(hr), py(p.model(hh)), primary(), 2.5))
		}
		prev = hr
	}
	if sim != nil {
		for hr := range sim.Hours {
			v, half := p.sim(&sim.Hours[hr])
			if math.IsNaN(v) || sim.Hours[hr].Idle || sim.Hours[hr].Saturated {
				continue
			}
			if math.IsNaN(half) {
				half = 0
			}
			objs = append(objs, line(px(hr), py(v-half), px(hr), py(v+half), simColor, 2), rect(px(hr)-3, py(v)-3, 6, 6, simColor))
		}
	}
	return objs
}
