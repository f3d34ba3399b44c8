package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/rehearse"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func startTestRehearsal(t *testing.T, w *Window) (*Rehearsal, *fakeClock) {
	t.Helper()
	clk := &fakeClock{t: time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)}
	r, err := w.startRehearsal(clk.now, false)
	if err != nil {
		t.Fatal(err)
	}
	return r, clk
}

// shownFigures reads the figures the presenter view shows, label → value.
func shownFigures(r *Rehearsal) map[string]string {
	out := map[string]string{}
	objs := r.figures.Objects
	for i := 0; i+1 < len(objs); i += 2 {
		k := objs[i].(*widget.Label).Text
		v := objs[i+1].(*widget.Label).Text
		if _, dup := out[k]; dup {
			k += " " + v[:1] // repeated labels (checks) keyed by their first rune
		}
		out[k] = v
	}
	return out
}

func TestRehearsalStepsThroughTheSeedWithTheEnginesFigures(t *testing.T) {
	w := newTestWindow(t)
	r, _ := startTestRehearsal(t, w)
	deck, err := rehearse.Build(w.doc.Plan, &w.doc.Result, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if r.Steps() != len(deck.Steps) || r.Steps() != 7 { // goal, 3 phases, cost controls, trade-offs, scenarios
		t.Fatalf("%d steps, want 7", r.Steps())
	}
	res := &w.doc.Result
	for i := 0; i < r.Steps(); i++ {
		if r.Step() != i {
			t.Fatalf("at step %d, want %d", r.Step(), i)
		}
		want := deck.Steps[i]
		if r.title.Text != want.Title {
			t.Errorf("step %d title %q, want %q", i, r.title.Text, want.Title)
		}
		if len(r.figures.Objects) != 2*len(want.Figures) {
			t.Errorf("step %d shows %d figure cells, want %d", i, len(r.figures.Objects), 2*len(want.Figures))
		}
		for k, f := range want.Figures {
			if got := r.figures.Objects[2*k+1].(*widget.Label).Text; got != f.Value {
				t.Errorf("step %d %s shows %q, want %q", i, f.Label, got, f.Value)
			}
		}
		press(w, fyne.KeyRight)
	}
	if r.Step() != r.Steps()-1 {
		t.Errorf("→ past the last step moved to %d", r.Step())
	}
	// The engine's own numbers, as the goal and Phase 2 steps state them.
	for i := r.Steps() - 1; i > 0; i-- {
		press(w, fyne.KeyLeft)
	}
	f := shownFigures(r)
	// Hand-worked in planner/model_test.go: 88,949.21 + 115,912.28 + 125,321.71.
	if f["Total cost"] != "$330,183.20" || f["Break-even"] != "day 112 (2027-04-25)" {
		t.Errorf("goal step figures: %v", f)
	}
	press(w, fyne.KeySpace) // Space is "next" too
	press(w, fyne.KeySpace)
	press(w, fyne.KeySpace)
	if got := shownFigures(r)["Cost"]; got != "$125,321.71, $0.000278 a call" || res.Phases[2].Nodes != 10 {
		t.Errorf("Phase 2 cost figure %q", got)
	}
	if !strings.Contains(r.notes.Text, "the ceiling of 10 nodes leaves headroom") {
		t.Errorf("speaker notes: %q", r.notes.Text)
	}
	// Escape leaves and the editor is back.
	press(w, fyne.KeyEscape)
	if w.rehearsal != nil || w.win.Content() == r.root {
		t.Errorf("Escape did not leave the presenter view")
	}
}

func TestQuizGradesAndKeepsScores(t *testing.T) {
	w := newTestWindow(t)
	r, _ := startTestRehearsal(t, w)
	r.ToggleQuiz()
	// Question 1: Phase 2's nodes at its peak; the engine says 8.
	if !strings.Contains(r.title.Text, "How many nodes does Phase 2 need") {
		t.Fatalf("question: %q", r.title.Text)
	}
	if strings.Contains(r.body.Objects[1].(*widget.Label).Text, "8 nodes") {
		t.Errorf("the answer shows before the estimate")
	}
	typeKeys(w, "8") // the answer field has focus
	press(w, fyne.KeyReturn)
	// |8 − 8| / 8 = 0 % → close
	if v := r.Verdict(); !strings.Contains(v, "Engine: 8 nodes") || !strings.Contains(v, "0.0 % off — close: within 10 %") {
		t.Errorf("verdict %q", v)
	}
	if !strings.Contains(r.derivation.Text, "rounded up") {
		t.Errorf("derivation %q", r.derivation.Text)
	}
	press(w, fyne.KeyRight) // next question: Phase 2's monthly cost
	typeKeys(w, "100000")
	press(w, fyne.KeyReturn)
	// |100,000 − 42,354.10| / 42,354.10 = 136.1 % → not close
	if v := r.Verdict(); !strings.Contains(v, "136.1 % off — not close") {
		t.Errorf("verdict %q", v)
	}
	if got := r.scores(); got.Answered != 2 || got.Close != 1 {
		t.Errorf("scores %+v", got)
	}
	if !strings.Contains(r.progress.Text, "1 of 2 answers within 10 %") {
		t.Errorf("progress %q", r.progress.Text)
	}
	// Scores outlive the rehearsal: a new one on the same plan shows them.
	r.Leave()
	r2, _ := startTestRehearsal(t, w)
	r2.ToggleQuiz()
	if !strings.Contains(r2.progress.Text, "1 of 2 answers within 10 %") {
		t.Errorf("progress after restart %q", r2.progress.Text)
	}
}

func TestRehearsalTimerFollowsTheClock(t *testing.T) {
	w := newTestWindow(t)
	r, clk := startTestRehearsal(t, w)
	if got := r.TimerText(); got != "0:00 / 60:00  ·  this step 0:00 / 6:00" {
		t.Errorf("timer at start %q", got)
	}
	clk.advance(90 * time.Second)
	r.tick()
	if got := r.TimerText(); got != "1:30 / 60:00  ·  this step 1:30 / 6:00" {
		t.Errorf("timer after 90 s %q", got)
	}
	r.Next() // the step clock restarts; the total does not
	clk.advance(5 * time.Second)
	r.tick()
	if got := r.TimerText(); got != "1:35 / 60:00  ·  this step 0:05 / 10:00" {
		t.Errorf("timer on step 2 %q", got)
	}
	clk.advance(12 * time.Minute) // over the step's 10 minutes
	r.tick()
	if r.timer.Importance != widget.WarningImportance {
		t.Errorf("the timer does not warn when a step runs over")
	}
	r.total.SetSelected("30") // a shorter rehearsal re-paces the steps
	if !strings.HasSuffix(r.TimerText(), "/ 5:00") || !strings.Contains(r.TimerText(), "/ 30:00") {
		t.Errorf("timer after choosing 30 minutes %q", r.TimerText())
	}
}

func TestRehearsingAnIncompletePlanSaysWhatIsMissing(t *testing.T) {
	w := newTestWindow(t)
	for i := range w.doc.Plan.Phases {
		w.doc.Plan.Phases[i].CallsPerDay = 0
	}
	w.doc.Reset(w.doc.Plan, "", false)
	content := w.win.Content()
	_, err := w.startRehearsal(time.Now, false)
	if err == nil || !strings.Contains(err.Error(), "no phase has any calls per day") {
		t.Errorf("got %v", err)
	}
	if w.win.Content() != content || w.rehearsal != nil {
		t.Errorf("a refused rehearsal changed the window")
	}
	_ = planner.Plan{}
}

func TestQKeyOpensTheQuizWithoutTypingIntoIt(t *testing.T) {
	w := newTestWindow(t)
	r, _ := startTestRehearsal(t, w)
	// The driver delivers a keystroke as a key event, then its character.
	press(w, fyne.KeyQ)
	typeOnCanvasOrFocused(w, 'q')
	if !r.quiz || r.answer.Text != "" {
		t.Errorf("quiz=%v answer=%q", r.quiz, r.answer.Text)
	}
}

func typeOnCanvasOrFocused(w *Window, c rune) {
	if f := w.Win().Canvas().Focused(); f != nil {
		f.TypedRune(c)
		return
	}
	w.Win().Canvas().OnTypedRune()(c)
}
