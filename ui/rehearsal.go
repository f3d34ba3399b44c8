package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/risk"
	"github.com/scaleplan/scaleplan/rehearse"
)

// Rehearsal is the presenter view: the plan as a sequence of large-type
// steps with talk tracks and speaker notes, a pacing timer, and a quiz that
// asks for estimates before revealing the engine's numbers.
type Rehearsal struct {
	w    *Window
	deck *rehearse.Deck
	step int
	now  func() time.Time

	started, stepStarted time.Time
	quiz                 bool
	question             int
	graded               bool

	root                fyne.CanvasObject
	title, sub          *canvas.Text
	section, timer      *widget.Label
	figures, talk       *fyne.Container
	notes               *widget.Label
	body                *fyne.Container
	answer              *widget.Entry
	verdict, derivation *widget.Label
	progress            *widget.Label
	total               *widget.Select
	risk                *risk.Result // the plan's risk run, once known; nil for a plan without ranges
	onRisk              func()       // tests: the run joined the deck; nil otherwise
	stop                chan struct{}
	prevContent         fyne.CanvasObject
	prevKeys            func(*fyne.KeyEvent)
	prevRunes           func(rune)
	large               *container.ThemeOverride
}

// bigTheme scales the text of the presenter view so it reads from across a
// room or on a shared screen.
type bigTheme struct{ fyne.Theme }

func (t bigTheme) Size(n fyne.ThemeSizeName) float32 {
	s := t.Theme.Size(n)
	if n == theme.SizeNameText || n == theme.SizeNameCaptionText {
		return s * 1.45
	}
	return s
}

const prefRehearseMinutes = "rehearse_minutes"

// StartRehearsal turns the window into the presenter view on the current
// plan. A plan too incomplete to present says what is missing and nothing
// changes.
func (w *Window) StartRehearsal() (*Rehearsal, error) { return w.startRehearsal(time.Now, true) }

// addRisk gives a plan with ranges its odds in the rehearsal: the Risk
// tab's run when it is of the plan as shown, else a run off the UI
// goroutine that joins the deck when it is done.
func (w *Window) addRisk(r *Rehearsal) {
	if len(w.doc.Plan.Ranges) == 0 {
		return
	}
	cur := w.doc.View.Currency
	if cached := w.risk.current(); cached != nil {
		r.risk = cached
		r.deck.AddRisk(cached, cur)
		return
	}
	plan, scenario := w.doc.Plan.Clone(), w.doc.Scenario
	go func() {
		drawn, err := risk.Run(plan, scenario, risk.Options{Draws: w.risk.draws, Seed: riskSeed})
		if err != nil {
			return // the deck keeps its single numbers
		}
		fyne.Do(func() {
			r.risk = &drawn
			if w.rehearsal == r {
				r.deck.AddRisk(&drawn, cur)
				r.show()
			}
			if r.onRisk != nil {
				r.onRisk()
			}
		})
	}()
}

// startRehearsal takes the clock, and whether a ticker should drive the
// timer (tests step a fake clock themselves).
func (w *Window) startRehearsal(now func() time.Time, ticking bool) (*Rehearsal, error) {
	minutes := w.app.Preferences().IntWithFallback(prefRehearseMinutes, int(rehearse.DefaultTotal/time.Minute))
	deck, err := rehearse.Build(w.doc.View, &w.doc.Result, time.Duration(minutes)*time.Minute)
	if err != nil {
		w.show(dialog.NewError(err, w.win))
		return nil, err
	}
	r := &Rehearsal{w: w, deck: deck, now: now}
	w.addRisk(r)
	r.build(minutes)
	r.prevContent = w.win.Content()
	r.prevKeys = w.win.Canvas().OnTypedKey()
	r.prevRunes = w.win.Canvas().OnTypedRune()
	w.win.SetContent(r.root)
	w.win.Canvas().Unfocus() // keys go to the presenter, not a hidden grid
	w.win.Canvas().SetOnTypedKey(r.key)
	w.win.Canvas().SetOnTypedRune(r.rune)
	r.started = r.now()
	r.stepStarted = r.started
	r.show()
	if ticking {
		r.stop = make(chan struct{})
		go r.run(r.stop)
	}
	w.rehearsal = r
	return r, nil
}

// run ticks the timer once a second until the rehearsal ends.
func (r *Rehearsal) run(stop chan struct{}) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			fyne.Do(r.tick)
		}
	}
}

// Leave returns to the editor.
func (r *Rehearsal) Leave() {
	if r.stop != nil {
		close(r.stop)
		r.stop = nil
	}
	r.w.win.Canvas().SetOnTypedKey(r.prevKeys)
	r.w.win.Canvas().SetOnTypedRune(r.prevRunes)
	r.w.win.SetContent(r.prevContent)
	r.w.win.Canvas().Focus(r.w.grid)
	r.w.rehearsal = nil
}

func (r *Rehearsal) build(minutes int) {
	r.title = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	r.title.TextStyle.Bold = true
	r.title.TextSize = 34
	r.sub = canvas.NewText("", theme.Color(theme.ColorNamePlaceHolder))
	r.sub.TextSize = 18
	r.section = widget.NewLabel("")
	r.timer = widget.NewLabel("")
	r.timer.Alignment = fyne.TextAlignTrailing
	r.figures = container.New(layout.NewFormLayout())
	r.talk = container.NewVBox()
	r.notes = widget.NewLabel("")
	r.notes.Wrapping = fyne.TextWrapWord
	r.notes.TextStyle = fyne.TextStyle{Italic: true}
	r.answer = widget.NewEntry()
	r.answer.OnSubmitted = func(string) { r.grade() }
	r.verdict = widget.NewLabel("")
	r.verdict.Wrapping = fyne.TextWrapWord
	r.derivation = widget.NewLabel("")
	r.derivation.Wrapping = fyne.TextWrapWord
	r.progress = widget.NewLabel("")
	r.total = widget.NewSelect([]string{"30", "45", "60", "90"}, func(s string) {
		var m int
		fmt.Sscan(s, &m)
		r.setTotal(m)
	})
	r.total.SetSelected(fmt.Sprint(minutes))
	r.body = container.NewVBox()

	back := widget.NewButtonWithIcon("Back", theme.NavigateBackIcon(), r.Back)
	next := widget.NewButtonWithIcon("Next", theme.NavigateNextIcon(), r.Next)
	quiz := widget.NewButtonWithIcon("Quiz", theme.QuestionIcon(), r.ToggleQuiz)
	leave := widget.NewButtonWithIcon("Leave (Esc)", theme.CancelIcon(), r.Leave)
	bar := container.NewHBox(back, next, quiz, layout.NewSpacer(), widget.NewLabel("Minutes:"), r.total, leave)
	head := container.NewBorder(nil, nil, r.section, r.timer)
	page := container.NewVBox(head, r.title, r.sub, widget.NewSeparator(), r.body)
	r.large = container.NewThemeOverride(container.NewPadded(container.NewVScroll(page)), bigTheme{theme.Current()})
	r.root = container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), bar), nil, nil, r.large)
}

func (r *Rehearsal) setTotal(minutes int) {
	if minutes <= 0 || r.deck == nil || r.deck.Total == time.Duration(minutes)*time.Minute {
		return
	}
	deck, err := rehearse.Build(r.w.doc.View, &r.w.doc.Result, time.Duration(minutes)*time.Minute)
	if err != nil {
		return
	}
	deck.AddRisk(r.risk, r.w.doc.View.Currency)
	r.deck = deck
	r.w.app.Preferences().SetInt(prefRehearseMinutes, minutes)
	r.tick()
}

// key steps with the arrows and Space and leaves with Escape.
func (r *Rehearsal) key(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyRight, fyne.KeySpace, fyne.KeyPageDown:
		r.Next()
	case fyne.KeyLeft, fyne.KeyPageUp:
		r.Back()
	case fyne.KeyEscape:
		r.Leave()
	}
}

// rune toggles the quiz on Q. It listens to the typed character rather than
// the key, so the "q" is used up before the answer field takes focus.
func (r *Rehearsal) rune(c rune) {
	if c == 'q' || c == 'Q' {
		r.ToggleQuiz()
	}
}

// Step is the index of the step shown; Steps how many there are.
func (r *Rehearsal) Step() int  { return r.step }
func (r *Rehearsal) Steps() int { return len(r.deck.Steps) }

// Next and Back move through the steps (or questions, in the quiz).
func (r *Rehearsal) Next() {
	if r.quiz {
		if r.question < len(r.deck.Questions)-1 {
			r.question++
			r.showQuestion()
		}
		return
	}
	if r.step < len(r.deck.Steps)-1 {
		r.step++
		r.stepStarted = r.now()
		r.show()
	}
}

func (r *Rehearsal) Back() {
	if r.quiz {
		if r.question > 0 {
			r.question--
			r.showQuestion()
		}
		return
	}
	if r.step > 0 {
		r.step--
		r.stepStarted = r.now()
		r.show()
	}
}

// ToggleQuiz switches between presenting and the quiz.
func (r *Rehearsal) ToggleQuiz() {
	r.quiz = !r.quiz
	if r.quiz {
		r.showQuestion()
		return
	}
	r.w.win.Canvas().Unfocus()
	r.show()
}

func (r *Rehearsal) show() {
	s := &r.deck.Steps[r.step]
	r.section.SetText(fmt.Sprintf("%s · step %d of %d", s.Section, r.step+1, len(r.deck.Steps)))
	r.title.Text, r.sub.Text = s.Title, s.Sub
	r.title.Refresh()
	r.sub.Refresh()
	var figs []fyne.CanvasObject
	for _, f := range s.Figures {
		l := widget.NewLabelWithStyle(f.Label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		v := widget.NewLabel(f.Value)
		v.Wrapping = fyne.TextWrapWord
		figs = append(figs, l, v)
	}
	r.figures.Objects = figs
	r.figures.Refresh()
	var talk []fyne.CanvasObject
	for _, t := range []struct{ k, v string }{
		{"Hypothesis", s.Talk.Hypothesis}, {"Metric", s.Talk.Metric}, {"Trade-off", s.Talk.TradeOff}, {"Execution", s.Talk.Execution},
	} {
		l := widget.NewLabel("")
		l.Wrapping = fyne.TextWrapWord
		l.SetText(t.k + ": " + t.v)
		talk = append(talk, l)
	}
	r.talk.Objects = talk
	r.talk.Refresh()
	notes := s.Notes
	if notes == "" {
		notes = "(no speaker notes — add them in the plan's notes or a phase's notes)"
	}
	r.notes.SetText("Speaker notes: " + notes)
	talkBox := container.NewVBox(widget.NewLabelWithStyle("Talk track", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), r.talk)
	r.body.Objects = []fyne.CanvasObject{r.figures, widget.NewSeparator(), talkBox, widget.NewSeparator(), r.notes}
	r.large.Refresh() // new labels take the large type too
	r.tick()
}

func (r *Rehearsal) showQuestion() {
	q := &r.deck.Questions[r.question]
	r.graded = false
	r.section.SetText(fmt.Sprintf("Quiz · question %d of %d", r.question+1, len(r.deck.Questions)))
	r.title.Text, r.sub.Text = q.Prompt, "Estimate first; the engine's number is hidden until you answer ("+q.Unit+")."
	r.title.TextSize = 26
	r.title.Refresh()
	r.sub.Refresh()
	r.answer.SetText("")
	r.answer.SetPlaceHolder("your estimate, then Enter")
	r.verdict.SetText("")
	r.derivation.SetText("")
	r.progress.SetText(r.scores().String())
	reveal := widget.NewButton("Reveal", r.grade)
	reveal.Importance = widget.HighImportance
	r.body.Objects = []fyne.CanvasObject{container.NewBorder(nil, nil, nil, reveal, r.answer), r.verdict, r.derivation, widget.NewSeparator(), r.progress}
	r.large.Refresh()
	r.w.win.Canvas().Focus(r.answer)
	r.tick()
}

// grade reveals the engine's value, the error and the derivation, and keeps
// the score.
func (r *Rehearsal) grade() {
	if !r.quiz || r.graded {
		return
	}
	q := &r.deck.Questions[r.question]
	g, err := q.Grade(r.answer.Text)
	if err != nil {
		r.verdict.SetText(err.Error())
		return
	}
	r.graded = true
	word := "not close: more than 10 % off"
	if g.Close {
		word = "close: within 10 %"
	}
	r.verdict.SetText(fmt.Sprintf("Engine: %s · your estimate %s · %s %% off — %s", g.Answer, g.Said, g.ErrorPct.StringFixed(1), word))
	r.derivation.SetText("How: " + q.Derivation)
	today := planner.NewDate(r.now().Year(), r.now().Month(), r.now().Day())
	key := r.scoreKey()
	r.w.app.Preferences().SetStringList(key, append(r.w.app.Preferences().StringList(key), rehearse.Record(today, q, g)))
	r.progress.SetText(r.scores().String())
	r.w.win.Canvas().Unfocus() // the arrows move on again
	r.title.TextSize = 26
}

func (r *Rehearsal) scoreKey() string { return "quiz:" + r.w.doc.Plan.Name }

func (r *Rehearsal) scores() rehearse.Progress {
	return rehearse.Summarize(r.w.app.Preferences().StringList(r.scoreKey()))
}

// Verdict is the quiz's last verdict line.
func (r *Rehearsal) Verdict() string { return r.verdict.Text }

// TimerText is what the timer shows.
func (r *Rehearsal) TimerText() string { return r.timer.Text }

// tick updates the pacing timer: time spent in all and on this step,
// against their budgets.
func (r *Rehearsal) tick() {
	if r.deck == nil {
		return
	}
	now := r.now()
	s := &r.deck.Steps[r.step]
	text := fmt.Sprintf("%s / %s  ·  this step %s / %s", clock(now.Sub(r.started)), clock(r.deck.Total), clock(now.Sub(r.stepStarted)), clock(s.Budget))
	if r.quiz {
		text = clock(now.Sub(r.started)) + " / " + clock(r.deck.Total)
	}
	r.timer.Importance = widget.MediumImportance
	if !r.quiz && now.Sub(r.stepStarted) > s.Budget {
		r.timer.Importance = widget.WarningImportance // over this step's pace
	}
	r.timer.SetText(text)
	if !r.quiz {
		r.title.TextSize = 34
	}
}

func clock(d time.Duration) string {
	d = d.Round(time.Second)
	return fmt.Sprintf("%d:%02d", int(d.Minutes()), int(d.Seconds())%60)
}
