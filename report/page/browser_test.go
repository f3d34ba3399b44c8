//go:build browser

package page

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/prices"
)

// The page in a real browser (make browser: headless Chromium, and axe-core,
// the accessibility checker, from npm): for each example plan it renders
// with no console error and no request beyond the file, shows the engine's
// totals, passes axe's WCAG 2 A and AA rules and best practices (headings,
// alternative text for the charts, contrast) in light and in dark, and
// each section is saved as a screenshot (in SCALEPLAN_SHOTS, else a
// temporary folder) for a person to look at.
func TestThePageInABrowser(t *testing.T) {
	browser, err := exec.LookPath("chromium-headless-shell")
	if err != nil {
		if browser, err = exec.LookPath("chromium"); err != nil {
			t.Fatal("no chromium-headless-shell or chromium on PATH: run make browser, which installs it")
		}
	}
	axePath := os.Getenv("SCALEPLAN_AXE")
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatalf("axe-core: SCALEPLAN_AXE=%q: %v (make browser installs it from npm)", axePath, err)
	}
	shots := os.Getenv("SCALEPLAN_SHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	if err := os.MkdirAll(shots, 0o755); err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.WindowSize(1200, 900))
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	for _, name := range []string{"seed-roadmap", "uncertain-roadmap", "commitments-roadmap", "llm-chat-roadmap"} {
		t.Run(name, func(t *testing.T) {
			p, err := planner.LoadIn("../../testdata/"+name+".json", prices.Builtin())
			if err != nil {
				t.Fatal(err)
			}
			r := planner.Compute(p)
			var b bytes.Buffer
			if err := Write(&b, p, &r, Options{RiskDraws: 2000, RiskSeed: 1}); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(t.TempDir(), name+".html")
			if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := chromedp.NewContext(alloc)
			defer cancel()
			ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
			defer cancel()
			var mu sync.Mutex
			var problems []string
			listening, stop := context.WithCancel(ctx)
			messages := chromedp.Console(listening)
			done := make(chan struct{})
			go func() {
				defer close(done)
				for m, err := range messages {
					if err != nil {
						return
					}
					if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleWarning || m.Type == chromedp.ConsoleException {
						mu.Lock()
						problems = append(problems, fmt.Sprintf("%s: %s %s", m.Type, m.Text, m.URL))
						mu.Unlock()
					}
				}
			}()
			if err := chromedp.Do(ctx, chromedp.Navigate("file://"+file), chromedp.WaitVisible(chromedp.ID("summary"))); err != nil {
				t.Fatal(err)
			}
			figures := map[string]string{}
			for _, k := range []string{"total_cost", "cost_per_call", "break_even", "checks"} {
				s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(fmt.Sprintf(`[data-figure=%q]`, k))))
				if err != nil {
					t.Fatal(err)
				}
				figures[k] = strings.TrimSpace(s)
			}
			pass, n := r.ChecksPassed()
			want := map[string]string{
				"total_cost":    format.Money(r.Totals.Cost.Total, r.Currency),
				"cost_per_call": format.MoneyPlacesN(r.Totals.CostPerCall.Val, r.Currency, format.CostPerCallPlaces),
				"checks":        fmt.Sprintf("%d of %d checks pass", pass, n),
				"break_even":    "never within the plan",
			}
			if r.BreakEven.Day.Valid {
				want["break_even"] = fmt.Sprintf("day %d (%s)", r.BreakEven.Day.Val, r.BreakEven.Date.Val)
			}
			for k, v := range want {
				if figures[k] != v && !(k == "break_even" && r.BreakEven.FirstEven.Valid && strings.HasSuffix(figures[k], v[strings.Index(v, "("):])) {
					t.Errorf("%s shows %q, the engine %q", k, figures[k], v)
				}
			}
			shown := 0
			for _, s := range Sections {
				if !s.Has(&p, &r) {
					continue
				}
				if err := chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.ID(s.ID))); err != nil {
					t.Fatalf("%s: %v", s.ID, err)
				}
				png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.ID(s.ID)))
				if err != nil {
					t.Fatalf("%s: %v", s.ID, err)
				}
				if len(png) < 2000 {
					t.Errorf("%s: a %d-byte screenshot", s.ID, len(png))
				}
				_ = os.WriteFile(filepath.Join(shots, fmt.Sprintf("%s-%s.png", name, s.ID)), png, 0o644)
				shown++
			}
			if shown < 5 {
				t.Errorf("only %d sections", shown)
			}
			for _, scheme := range []string{"light", "dark"} {
				if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}); err != nil {
					t.Fatal(err)
				}
				bg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.body).backgroundColor`))
				if err != nil {
					t.Fatal(err)
				}
				if wantBg := map[string]string{"light": "rgb(255, 255, 255)", "dark": "rgb(22, 24, 27)"}[scheme]; bg != wantBg {
					t.Errorf("%s: the page's background is %s, want %s", scheme, bg, wantBg)
				}
				if err := chromedp.Do(ctx, chromedp.ScrollIntoView(chromedp.ID("costs"))); err == nil {
					if png, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.ID("costs"))); err == nil {
						_ = os.WriteFile(filepath.Join(shots, fmt.Sprintf("%s-costs-%s.png", name, scheme)), png, 0o644)
					}
				}
				run := string(axe) + `;axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice']}}).then(r => JSON.stringify(r.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))`
				out, err := chromedp.Run(ctx, chromedp.Evaluate[string](run, chromedp.EvalAwaitPromise))
				if err != nil {
					t.Fatalf("axe: %v", err)
				}
				var violations []struct {
					ID, Help string
					Nodes    []string
				}
				if err := json.Unmarshal([]byte(out), &violations); err != nil {
					t.Fatalf("axe said %q: %v", out, err)
				}
				for _, v := range violations {
					t.Errorf("%s: axe %s: %s, at %v", scheme, v.ID, v.Help, v.Nodes)
				}
			}
			stop()
			<-done
			mu.Lock()
			defer mu.Unlock()
			for _, p := range problems {
				t.Errorf("the browser said: %s", p)
			}
		})
	}
}
