package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"

	"github.com/scaleplan/scaleplan/internal/plantest"
)

// A phase that serves tokens: the Latency tab speaks TTFT and TPOT, draws
// both panels, and Check with simulation serves the day token by token off
// the UI goroutine, then sets the simulator's figures beside the model's.
func TestLatencyTabOfATokenPhase(t *testing.T) {
	w := newChatWindow(t)
	useMenu(t, w, "View", tabLatency)
	v := w.latency
	ph := &w.doc.Result.Phases[0]
	d := &ph.Tokens.Day
	if !strings.Contains(v.title.Text, "Beta: time to first token and per output token") ||
		!strings.Contains(v.summary.Text, "Tokens: TTFT p99 ") || !strings.Contains(v.summary.Text, " at "+twoDigitHour(d.TTFTp99Hour)+":00") {
		t.Fatalf("title %q, summary %q", v.title.Text, v.summary.Text)
	}
	if objs := v.chart.draw(fyne.NewSize(900, 500)); !hasText(objs, "TTFT p99, ms") || !hasText(objs, "TPOT p99, ms") || !hasText(objs, "target 800 ms") || !hasText(objs, "target 40 ms") {
		t.Errorf("the chart lacks a panel or a target")
	}
	done := make(chan struct{}, 1)
	v.done = func() { done <- struct{}{} }
	test.Tap(v.check)
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("the token simulation did not finish")
	}
	s := v.tokenSimulation()
	if s == nil || !strings.HasPrefix(v.note.Text, "Served ") || !strings.Contains(v.details.Text, "Beta — its typical day served token by token (seed 1)") {
		t.Fatalf("note %q, details:\n%s", v.note.Text, v.details.Text)
	}
	if objs := v.chart.draw(fyne.NewSize(900, 500)); !hasText(objs, "orange: simulated p99 with its 95 % interval") {
		t.Errorf("the chart does not draw the simulation")
	}
}

func twoDigitHour(h int) string { return string(rune('0'+h/10)) + string(rune('0'+h%10)) }

// hasText says whether a drawing holds a text containing s.
func hasText(objs []fyne.CanvasObject, s string) bool {
	for _, o := range objs {
		if t, ok := o.(*canvas.Text); ok && strings.Contains(t.Text, s) {
			return true
		}
	}
	return false
}

// Importing a load test into a plan that serves tokens shows and sets the
// token inputs the runs fix (here the prefill rate), and one undo takes it
// back.
func TestImportIntoATokenPlanSetsTheTokenInputsUndoably(t *testing.T) {
	w := newChatWindow(t)
	bi, err := w.readBench("../testdata/bench/real/llmperf-groq_70b.json")
	if err != nil {
		t.Fatal(err)
	}
	bi.show()
	if !strings.Contains(bi.inputs.Text, "prefill_tokens_per_s: 5798") || strings.Contains(bi.inputs.Text, "node_rps:") {
		t.Fatalf("inputs:\n%s", bi.inputs.Text)
	}
	before := w.doc.Plan
	test.Tap(overlayButton(t, w, "Apply"))
	w.doc.Settle()
	if got := w.doc.Plan.Assumptions.PrefillTokensPerS.String(); got != "5798" {
		t.Fatalf("prefill after Apply: %s", got)
	}
	useMenu(t, w, "Edit", "Undo")
	w.doc.Settle()
	if !w.doc.Plan.Assumptions.PrefillTokensPerS.Equal(before.Assumptions.PrefillTokensPerS) || w.doc.Plan.Notes != before.Notes {
		t.Error("one undo did not take the import back")
	}
}

// newChatWindow opens the LLM chat example in a headless window.
func newChatWindow(t *testing.T) *Window {
	t.Helper()
	return openTestWindow(t, plantest.Testdata("llm-chat-roadmap.json"))
}
