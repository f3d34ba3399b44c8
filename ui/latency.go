package ui

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"math"
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/report"
	"github.com/scaleplan/scaleplan/simulate"
)

// latencyView is the Latency tab: the selected phase's typical day hour by
// hour (the model's p50 and p99, the nodes each hour runs, the target), and
// the check against the simulator, which runs off the UI goroutine with a
// progress bar and sets the simulated p99 of every hour, with its interval,
// beside the model's.
type latencyView struct {
	doc   *Document
	phase func() int

	chart    *latencyChart
	title    *widget.Label
	summary  *widget.Label
	check    *widget.Button
	progress *widget.ProgressBar
	cancel   *widget.Button  // stops a simulation under way
	busy     *fyne.Container // holds cancel: shown and hidden as a container, which lays nothing out then
	stop     atomic.Bool     // set by cancel; the running simulation stops
	note     *widget.Label   // the simulation's verdict, or what the check does
	details  *widget.Label   // the side-by-side table, monospaced
	root     fyne.CanvasObject

	running bool
	sim     *simulate.Check      // the last simulation, for simPlan's phase sim.Phase
	tokSim  *simulate.TokenCheck // or, of a phase that serves tokens, the last one token by token
	simPlan []byte               // the plan it simulated, as saved
	done    func()               // tests wait on this; nil otherwise
	gate    chan struct{}        // tests hold the simulation back on this; nil otherwise
}

func newLatencyView(doc *Document, phase func() int) *latencyView {
	v := &latencyView{doc: doc, phase: phase}
	v.chart = newLatencyChart(v)
	v.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.summary = widget.NewLabel("")
	v.summary.Wrapping = fyne.TextWrapWord
	v.check = widget.NewButtonWithIcon("Check with simulation", theme.MediaPlayIcon(), v.Simulate)
	v.progress = widget.NewProgressBar()
	v.progress.Hide()
	v.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { v.stop.Store(true) })
	v.busy = container.NewHBox(v.cancel)
	v.busy.Hide()
	v.note = widget.NewLabel("")
	v.note.Wrapping = fyne.TextWrapWord
	v.details = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	bar := container.NewBorder(nil, nil, v.title, container.NewHBox(container.NewGridWrap(fyne.NewSize(160, v.progress.MinSize().Height), v.progress), v.busy, v.check))
	split := container.NewVSplit(v.chart, container.NewBorder(v.note, nil, nil, nil, container.NewScroll(v.details)))
	split.Offset = 0.6
	v.root = container.NewBorder(container.NewVBox(bar, v.summary), nil, nil, nil, split)
	return v
}

// current is the phase shown and its result.
func (v *latencyView) current() (int, *planner.PhaseResult) {
	i := max(0, min(v.phase(), len(v.doc.Result.Phases)-1))
	return i, &v.doc.Result.Phases[i]
}

// simulation is the last simulation if it is of the phase shown in the plan
// as it is now; nil otherwise.
func (v *latencyView) simulation() *simulate.Check {
	i, _ := v.current()
	if v.sim == nil || v.sim.Phase != i || !bytes.Equal(v.simPlan, planner.Marshal(v.doc.View)) {
		return nil
	}
	return v.sim
}

// Refresh redraws for the phase selected and the plan as it is.
func (v *latencyView) Refresh() {
	i, ph := v.current()
	l := &ph.Latency
	v.title.SetText(fmt.Sprintf("%s: latency over its typical day", ph.Name))
	v.check.Disable()
	if ph.Tokens != nil {
		v.refreshTokens(i, ph)
		return
	}
	switch {
	case !l.Estimated:
		v.summary.SetText(fmt.Sprintf("Latency is not estimated for %s: %s.", ph.Name, l.Why))
	default:
		v.summary.SetText(report.LatencySummary(ph, v.doc.View.SLO))
		if !v.running {
			v.check.Enable()
		}
	}
	switch s := v.simulation(); {
	case v.running:
	case s != nil:
		v.note.SetText(report.SimulationWords(s))
		v.details.SetText(report.SimulationTable(s))
	case v.sim != nil:
		v.note.SetText("The plan or the phase changed since the last simulation: check again to compare.")
		v.details.SetText("")
	default:
		v.note.SetText(fmt.Sprintf("Check with simulation (Ctrl+L) runs %s's typical day call by call — Poisson arrivals at each hour's load, "+
			"the hour's pool of servers, first come first served, the same service time — and sets the simulated p50 and p99 of "+
			"every hour, with 95 %% intervals, beside the model's.", v.doc.View.Phases[i].Name))
		v.details.SetText("")
	}
	v.chart.Refresh()
}

// Simulate checks the shown phase against the simulator off the UI
// goroutine — call by call, or token by token for a phase that serves
// tokens; the progress bar follows the simulated hours.
func (v *latencyView) Simulate() {
	i, ph := v.current()
	if v.running || !ph.Latency.Estimated {
		return
	}
	phase, plan := *ph, planner.Marshal(v.doc.View) // copies: later edits do not touch them
	if ph.Tokens != nil {
		runSimulation(v, fmt.Sprintf("Serving %s's day token by token…", ph.Name),
			func(progress func(float64)) (simulate.TokenCheck, error) {
				return simulate.CheckTokens(&phase, 1, progress, v.stop.Load)
			},
			func(c simulate.TokenCheck) { c.Phase = i; v.tokSim, v.simPlan = &c, plan })
		return
	}
	runSimulation(v, fmt.Sprintf("Simulating %s's day, call by call…", ph.Name),
		func(progress func(float64)) (simulate.Check, error) {
			return simulate.CheckPhaseStop(&phase, 1, progress, v.stop.Load)
		},
		func(c simulate.Check) { c.Phase = i; v.sim, v.simPlan = &c, plan })
}

// runSimulation runs check off the UI goroutine with the progress bar and
// the cancel button shown, then keeps its result and redraws.
func runSimulation[C any](v *latencyView, note string, check func(progress func(float64)) (C, error), keep func(C)) {
	v.running = true
	v.stop.Store(false)
	v.check.Disable()
	v.progress.SetValue(0)
	v.progress.Show()
	v.busy.Show()
	v.note.SetText(note)
	v.details.SetText("")
	gate := v.gate
	go func() {
		if gate != nil {
			<-gate
		}
		c, err := check(func(share float64) {
			fyne.Do(func() { v.progress.SetValue(share) })
		})
		fyne.Do(func() {
			v.running = false
			v.progress.Hide()
			v.busy.Hide()
			if err == nil {
				keep(c)
			}
			v.Refresh()
			switch {
			case errors.Is(err, simulate.ErrStopped):
				v.note.SetText("The simulation was cancelled; Check with simulation runs it again.")
			case err != nil:
				v.note.SetText(err.Error())
			}
			if v.done != nil {
				v.done()
			}
		})
	}()
}

func fmtCount(n int64) string { return format.Count(n) }

// latencyChart draws the typical day: p99 and p50 per hour, the target,
// saturated hours, nodes under each hour and, after a check, the simulated
// p99 with its interval.
type latencyChart struct {
	widget.BaseWidget
	v *latencyView
}

func newLatencyChart(v *latencyView) *latencyChart {
	c := &latencyChart{v: v}
	c.ExtendBaseWidget(c)
	return c
}

func (c *latencyChart) CreateRenderer() fyne.WidgetRenderer {
	return &chartRenderer{w: c, draw: c.draw, min: fyne.NewSize(480, 300)}
}

var (
	p50Color = color.NRGBA{0x70, 0xAD, 0x47, 0xFF}
	simColor = color.NRGBA{0xED, 0x7D, 0x31, 0xFF}
)

func (c *latencyChart) draw(size fyne.Size) []fyne.CanvasObject {
	_, ph := c.v.current()
	if ph.Tokens != nil {
		return c.drawTokens(size, ph)
	}
	l := &ph.Latency
	small := theme.CaptionTextSize()
	x, y := float32(costsLeft), float32(costsTop)
	w, h := size.Width-costsLeft-costsRight, size.Height-costsTop-costsLegend-small-8
	if !l.Estimated || w <= 0 || h <= 0 {
		return []fyne.CanvasObject{text("no latency to draw: "+l.Why, x, y, theme.TextSize(), muted(), fyne.TextAlignLeading)}
	}
	sim := c.v.simulation()
	slo := c.v.doc.View.SLO
	top := 0.0
	for _, hl := range l.Hours {
		if !hl.Saturated && !hl.Idle {
			top = math.Max(top, hl.P99Ms)
		}
	}
	if slo.P99Ms.Valid {
		top = math.Max(top, slo.P99Ms.Val.InexactFloat64())
	}
	if sim != nil {
		for _, hc := range sim.Hours {
			if hc.Sim.Calls > 0 && !math.IsNaN(hc.SimP99.Half) {
				top = math.Max(top, hc.SimP99.Value+hc.SimP99.Half)
			}
		}
	}
	top = math.Max(top, 1)
	step := niceStep(top)
	axis := step * float64(int(top/step)+1)
	py := func(ms float64) float32 { return y + h - float32(ms/axis)*h }
	colW := w / 24
	px := func(hour int) float32 { return x + colW*(float32(hour)+0.5) }

	objs := []fyne.CanvasObject{text("ms, per hour of the typical day", x, 4, small, muted(), fyne.TextAlignLeading)}
	for v := 0.0; v <= axis+step/2; v += step {
		objs = append(objs, line(x, py(v), x+w, py(v), gridLn(), 1), text(fmt.Sprintf("%.0f", v), x-6, py(v)-small/2-2, small, muted(), fyne.TextAlignTrailing))
	}
	for hr, hl := range l.Hours {
		if hl.Saturated {
			objs = append(objs, rect(px(hr)-colW/2+1, y, colW-2, h, color.NRGBA{0xD0, 0x3B, 0x3B, 0x40}),
				text("sat.", px(hr), y+2, small, costColor, fyne.TextAlignCenter))
		}
		if hr%3 == 0 {
			objs = append(objs, text(fmt.Sprintf("%02d", hr), px(hr), y+h+2, small, muted(), fyne.TextAlignCenter))
		}
		objs = append(objs, text(fmtCount(hl.Nodes), px(hr), y+h+small+6, small, fg(), fyne.TextAlignCenter))
	}
	if slo.P99Ms.Valid {
		t := slo.P99Ms.Val.InexactFloat64()
		objs = append(objs, line(x, py(t), x+w, py(t), fg(), 1), text(fmt.Sprintf("target %.0f ms", t), x+w, py(t)-small-4, small, fg(), fyne.TextAlignTrailing))
	}
	series := func(pick func(hl *planner.HourLatency) float64, col color.Color, width float32) {
		prev := -1
		for hr := range l.Hours {
			hl := &l.Hours[hr]
			if hl.Saturated || hl.Idle {
				prev = -1
				continue
			}
			if prev >= 0 {
				objs = append(objs, line(px(prev), py(pick(&l.Hours[prev])), px(hr), py(pick(hl)), col, width))
			}
			prev = hr
		}
	}
	series(func(hl *planner.HourLatency) float64 { return hl.P50Ms }, p50Color, 1.5)
	series(func(hl *planner.HourLatency) float64 { return hl.P99Ms }, primary(), 2.5)
	if sim != nil {
		for hr, hc := range sim.Hours {
			if hc.Sim.Calls == 0 || hc.Idle || hc.Saturated {
				continue
			}
			v, half := hc.SimP99.Value, hc.SimP99.Half
			if math.IsNaN(half) {
				half = 0
			}
			objs = append(objs, line(px(hr), py(v-half), px(hr), py(v+half), simColor, 2),
				rect(px(hr)-3, py(v)-3, 6, 6, simColor))
		}
	}
	legend := "blue: model p99 · green: model p50 · numbers under the hours: nodes running"
	if sim != nil {
		legend += " · orange: simulated p99 with its 95 % interval"
	}
	objs = append(objs, text(legend, x, y+h+2*small+10, small, muted(), fyne.TextAlignLeading))
	return objs
}

// Name, Icon and Content make the latency view a tab of the window (view.go).
func (v *latencyView) Name() string               { return tabLatency }
func (v *latencyView) Icon() fyne.Resource        { return theme.HistoryIcon() }
func (v *latencyView) Content() fyne.CanvasObject { return v.root }
