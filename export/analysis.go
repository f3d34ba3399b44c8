package export

import (
	"fmt"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/compare"
	"github.com/scaleplan/scaleplan/report"
)

// Sheets of what-if analyses. They sweep volumes and inputs through the
// whole model, which a spreadsheet cannot redo cell by cell, so they hold
// the engine's values as of the export (and say so); the Model stays live.
const (
	sheetCurve       = "Curve"
	sheetSensitivity = "Sensitivity"
	analysisPoints   = 20
	// analysisPhases bounds the what-ifs: each is dozens of model runs, and
	// a plan of hundreds of phases would spend most of its export here. Past
	// it only the phase with the most calls is analysed.
	analysisPhases = 24
)

// whatIfs are the curves and tornadoes of the analysed phases. They are
// dozens of model runs, computed on another goroutine while the other sheets
// are written (the engine is pure, so the runs share nothing mutable).
type whatIfs struct {
	done   chan struct{}
	phases []int
	curves []compare.Curve
	tables [][]compare.Sensitivity
}

func (b *builder) startWhatIfs() {
	wi := &whatIfs{done: make(chan struct{}), phases: b.analysed()}
	b.whatIf = wi
	p, r := *b.p, b.r // both only read from here on
	go func() {
		defer close(wi.done)
		for _, i := range wi.phases {
			wi.curves = append(wi.curves, compare.CostCurveIn(p, r, i, analysisPoints))
			_, rows := compare.SensitivityIn(p, r, i)
			wi.tables = append(wi.tables, rows)
		}
	}()
}

// analysed is the phases the what-if sheets cover.
func (b *builder) analysed() []int {
	if len(b.p.Phases) <= analysisPhases {
		out := make([]int, len(b.p.Phases))
		for i := range out {
			out[i] = i
		}
		return out
	}
	return []int{b.r.Busiest()}
}

func (b *builder) analysisNote() string {
	note := "Computed by scaleplan when the workbook was exported, not live: export again after changing inputs."
	if len(b.p.Phases) > analysisPhases {
		note += fmt.Sprintf(" This plan has more than %d phases, so only its busiest phase is shown.", analysisPhases)
	}
	return note
}

func (b *builder) curveSheet() error {
	w, err := b.table(sheetCurve, "A5A5A5", true, 24, 14, 8, 14, 14, 10, 22)
	if err != nil {
		return err
	}
	st, cur := b.st, b.p.Currency
	f := func(fm report.Format) int { return st.cell(numFmt(fm, cur), computed) }
	w.put(cell(st.title, "Cost to scale: each phase's volume swept from near zero to twice the plan, the fleet sized at each volume"))
	w.put(cell(st.note, b.analysisNote()))
	w.put(cell(st.header, "Phase"), cell(st.headerRight, "Calls/day"), cell(st.headerRight, "Nodes"), cell(st.headerRight, "Cost per day"),
		cell(st.headerRight, "Cost per call"), cell(st.headerRight, "p99 (ms)"), cell(st.header, "Note"))
	<-b.whatIf.done
	for n, i := range b.whatIf.phases {
		c := b.whatIf.curves[n]
		for k, pt := range c.Points {
			note := ""
			if k == c.PlannedPoint {
				note = "planned volume"
			}
			var p99 any = none
			if pt.P99Ms.Valid {
				p99 = pt.P99Ms.Val
			}
			w.put(cell(st.name, b.p.Phases[i].Name), cell(f(report.FormatCount), pt.CallsPerDay), cell(f(report.FormatCount), pt.Nodes),
				cell(f(report.FormatMoney), num(pt.DailyCost)), cell(f(report.FormatPerCall), opt(pt.CostPerCall)),
				cell(f(report.FormatMillis), p99), cell(st.name, note))
		}
	}
	return w.flush()
}

func (b *builder) sensitivitySheet() error {
	w, err := b.table(sheetSensitivity, "A5A5A5", true, 24, 6, 22, 14, 14, 14, 14, 14, 10, 10)
	if err != nil {
		return err
	}
	st, cur := b.st, b.p.Currency
	f := func(fm report.Format) int { return st.cell(numFmt(fm, cur), computed) }
	w.put(cell(st.title, "Sensitivity: each input moved 20 % down and up, ranked by how far cost per call moves (a tornado)"))
	w.put(cell(st.note, b.analysisNote()))
	w.put(cell(st.header, "Phase"), cell(st.headerRight, "Rank"), cell(st.header, "Input"), cell(st.headerRight, "−20 %"), cell(st.headerRight, "+20 %"),
		cell(st.headerRight, "Cost per call −20 %"), cell(st.headerRight, "Cost per call +20 %"), cell(st.headerRight, "Swing"),
		cell(st.headerRight, "p99 −20 %"), cell(st.headerRight, "p99 +20 %"))
	ms := func(o planner.Opt[float64]) any {
		if !o.Valid {
			return none
		}
		return o.Val
	}
	<-b.whatIf.done
	for n, i := range b.whatIf.phases {
		for k, s := range b.whatIf.tables[n] {
			w.put(cell(st.name, b.p.Phases[i].Name), cell(f(report.FormatCount), k+1), cell(st.name, s.Label),
				cell(f(report.FormatDecimal), num(s.Low)), cell(f(report.FormatDecimal), num(s.High)),
				cell(f(report.FormatPerCall), opt(s.CostPerCallLow)), cell(f(report.FormatPerCall), opt(s.CostPerCallHigh)),
				cell(f(report.FormatPerCall), num(s.Swing)), cell(f(report.FormatMillis), ms(s.P99Low)), cell(f(report.FormatMillis), ms(s.P99High)))
		}
	}
	return w.flush()
}
