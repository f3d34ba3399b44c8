package loadtest

import (
	"testing"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/shopspring/decimal"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func loadSeed(t testing.TB) planner.Plan {
	t.Helper()
	p, err := planner.Load("../../testdata/seed-roadmap.json")
	if err != nil {
		t.Fatalf("seed plan: %v", err)
	}
	return p
}
