package page

import (
	"bytes"
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/prices"
)

// The page stands alone: no script, nothing fetched (no src or stylesheet
// link to anywhere), every section the plan has with its anchor, and the
// engine's total in the summary. (make browser renders it in Chromium.)
func TestThePageStandsAlone(t *testing.T) {
	for _, name := range []string{"seed-roadmap", "uncertain-roadmap", "commitments-roadmap"} {
		p, err := planner.LoadIn("../../testdata/"+name+".json", prices.Builtin())
		if err != nil {
			t.Fatal(err)
		}
		r := planner.Compute(p)
		var b bytes.Buffer
		if err := Write(&b, p, &r, Options{RiskDraws: 200, RiskSeed: 1}); err != nil {
			t.Fatal(err)
		}
		page := b.String()
		for _, bad := range []string{"<script", "src=", "<link", "@import", "url("} {
			if strings.Contains(page, bad) {
				t.Errorf("%s: the page has %q", name, bad)
			}
		}
		for _, s := range Sections {
			has := strings.Contains(page, `<section id="`+s.ID+`"`)
			if has != s.Has(&p, &r) {
				t.Errorf("%s: section %s shown %v, the plan has it %v", name, s.ID, has, s.Has(&p, &r))
			}
		}
		if !strings.Contains(page, `data-figure="total_cost">`) {
			t.Errorf("%s: no total", name)
		}
	}
}
