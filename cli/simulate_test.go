package cli

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

func TestSimulateCommand(t *testing.T) {
	code, out, errs := run("simulate", seed, "--phase", "2", "--seed", "7")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// Phase 1's 08:00 ramp: 2 nodes at ρ = 27.78 × 0.045 / 2 = 0.625.
	if !strings.Contains(out, "Phase 1 — its typical day simulated (seed 7)") || !regexp.MustCompile(`08:00 +27\.78 +2 +62\.5 %`).MatchString(out) {
		t.Errorf("simulate table:\n%s", out)
	}
	if strings.Contains(out, " OUT ") {
		t.Errorf("an hour of the seed is outside its validated band:\n%s", out)
	}
	// Every hour of the seed's profile has calls and none is saturated, so
	// all 24 are compared.
	if !strings.Contains(out, "\nVerdict: all 24 hours are within the model's validated band.\n") {
		t.Errorf("simulate table has no verdict:\n%s", out)
	}
	// Same seed, same output.
	if _, again, _ := run("simulate", seed, "--phase", "2", "--seed", "7"); again != out {
		t.Errorf("the same seed gave different output")
	}
	code, out, _ = run("simulate", seed, "--phase", "Baseline", "--json")
	var got []struct {
		Phase string `json:"phase"`
		Calls int    `json:"calls"`
		Hours []struct {
			Hour       int      `json:"hour"`
			ModelP99   *float64 `json:"model_p99_ms"`
			SimP99     *float64 `json:"simulated_p99_ms"`
			SimP99Half *float64 `json:"simulated_p99_half_width_ms"`
			Within     *bool    `json:"within_band"`
		} `json:"hours"`
	}
	if err := json.Unmarshal([]byte(out), &got); code != ExitOK || err != nil {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	// 500,000 calls a day, Poisson: within 5 standard deviations (√500,000 = 707).
	if len(got) != 1 || got[0].Phase != "Baseline" || len(got[0].Hours) != 24 || got[0].Calls < 500_000-3_600 || got[0].Calls > 500_000+3_600 {
		t.Fatalf("JSON: %+v", got)
	}
	for _, h := range got[0].Hours {
		if h.ModelP99 == nil || h.SimP99 == nil || h.SimP99Half == nil || h.Within == nil || !*h.Within {
			t.Errorf("hour %d: %+v", h.Hour, h)
		}
	}
	if code, _, errs := run("simulate", seed, "--phase", "9"); code != ExitUsage || !strings.Contains(errs, `no phase "9"`) {
		t.Errorf("--phase 9: exit %d %q", code, errs)
	}
	if code, _, errs := run("simulate", "../testdata/l4-fleet.json"); code != ExitInvalid || !strings.Contains(errs, "no phase has a latency model") {
		t.Errorf("a plan without latency: exit %d %q", code, errs)
	}
	if code, out, _ := run("simulate", "--help"); code != ExitOK || !strings.Contains(out, "-seed") {
		t.Errorf("simulate --help: exit %d\n%s", code, out)
	}
}
