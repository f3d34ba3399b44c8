package prices

import (
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/internal/plantest"
	"github.com/scaleplan/scaleplan/planner"
)

// A commitment may name a committed-use option of the offer the plan's
// node price cites: its rate, upfront and term come from the book, and are
// saved beside it with their date.
func TestHeldCommitmentFromABookOption(t *testing.T) {
	t.Parallel()
	b, err := ParseBook([]byte(`{"format": 1, "name": "quotes", "offers": [
	  {"provider": "aws", "instance": "p5.4xlarge", "region": "us-east-1", "gpus": {"count": 1, "model": "H100 SXM", "memory_gib": 80},
	   "on_demand": {"hourly": 6.88, "as_of": "2026-11-20", "source": "a quote"},
	   "commitments": [{"name": "1y-partial", "kind": "reserved", "term_months": 12, "payment": "partial", "upfront": 8760, "hourly": 3, "as_of": "2026-11-20", "source": "a quote"}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	cat, err := New(b)
	if err != nil {
		t.Fatal(err)
	}
	text := `{"format": 2, "name": "cited", "start_date": "2027-01-01",
	  "assumptions": {"node_hourly": {"book": "quotes", "instance": "p5.4xlarge", "option": "on_demand"}, "node_rps": 1, "target_utilization": 1},
	  "commitments": [{"name": "base", "nodes": 1, "option": "1y-partial"}],
	  "phases": [{"name": "Run", "days": 30, "calls_per_day": 1000}]}`
	p, err := planner.ParseIn([]byte(text), cat)
	if err != nil {
		t.Fatal(err)
	}
	c := p.Commitments[0]
	// $3 an hour and $8,760 upfront over 8,760 hours: $4 effective.
	if !c.Rate.Equal(plantest.Dec("3")) || !c.Upfront.Equal(plantest.Dec("8760")) || c.TermMonths != 12 || !c.Effective().Equal(plantest.Dec("4")) {
		t.Errorf("resolved %+v, effective %s", c, c.Effective())
	}
	q, err := planner.ParseIn(planner.Marshal(p), cat)
	if err != nil || q.Commitments[0].AsOf.Val.String() != "2026-11-20" || !q.Commitments[0].Rate.Equal(plantest.Dec("3")) {
		t.Errorf("saved and read back: %+v, %v", q.Commitments, err)
	}
	bad := strings.Replace(text, `"option": "1y-partial"`, `"option": "3y"`, 1)
	if _, err := planner.ParseIn([]byte(bad), cat); err == nil || !strings.Contains(err.Error(), `commitments[0].option: p5.4xlarge in us-east-1 has no option "3y"`) {
		t.Errorf("an unknown option: %v", err)
	}
}
