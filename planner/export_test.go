package planner

import (
	"testing"

	"github.com/shopspring/decimal"
)

// What the external tests (package planner_test, which may import report
// for the words) borrow of this package's internal test helpers.

func Near(a, b, tol float64) bool { return near(a, b, tol) }

func LLMPlan(t *testing.T, assumptions, variant, phase string) Plan {
	return llmPlan(t, assumptions, variant, phase)
}

func FindCheck(ph *PhaseResult, name string) *Check { return findCheck(ph, name) }

func AssertMoney(t *testing.T, what string, got decimal.Decimal, want string) {
	t.Helper()
	assertMoney(t, what, got, want)
}

func LatencyModelOf(a *Assumptions) (latencyModel, bool, string) {
	return newLatencyModel(a, new(Cache))
}

const AutoscaleStep = autoscaleStep

func CheckRegions(t *testing.T, what string, rs []Region, first, limit int64, value func(int64) decimal.Decimal) {
	t.Helper()
	checkRegions(t, what, rs, first, limit, value)
}

func SavingAt(p Plan, i int, x int64) decimal.Decimal { return savingAt(p, i, x) }

// HostileInputs is the battery of bad and extreme plan files, for the
// schema's agreement test (schema_agree_test.go).
var HostileInputs = hostileInputs
