package report

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner/commit"
)

// The best commitment in sentences, as 'scaleplan commit' and the app's
// Commitments tab both say it.

func pct1(d decimal.Decimal) string { return format.Percent(d, 1) }

// CommitLevel says the level and the rate it is bought at.
func CommitLevel(c *commit.Commitment, cur string, months int64) string {
	return fmt.Sprintf("Commit %s for %d months at %s a node-hour (%s of the uncommitted price, the share of hours a committed node must be busy to pay).",
		format.Nodes(c.K), months, format.UnitPrice(c.CommittedRate, cur), pct1(c.Rho))
}

// CommitCost says what the term costs against nothing committed; spot
// says the uncommitted layer runs on spot.
func CommitCost(c *commit.Commitment, cur string, spot bool) string {
	alone := "all on demand"
	if spot {
		alone = "with nothing committed (on spot)"
	}
	return fmt.Sprintf("Over the term: %s against %s %s, %s saved (%s).",
		format.Money(c.Cost, cur), format.Money(c.OnDemandCost, cur), alone, format.Money(c.Saving, cur), pct1(c.SavedShare()))
}

// CommitUse says how much of the demand the commitment serves and how much
// of it is used.
func CommitUse(c *commit.Commitment) string {
	return fmt.Sprintf("The commitment serves %s of the node-hours wanted and is used %s of its hours; it pays off above %s use.",
		pct1(c.Coverage), pct1(c.Utilization), pct1(c.Rho))
}

// CommitStranded says what the committed hours after the plan's last day
// cost, "" when none.
func CommitStranded(c *commit.Commitment, cur string) string {
	if c.Stranded.Sign() <= 0 {
		return ""
	}
	return fmt.Sprintf("Stranded: %s of committed node-hours after the plan's last day serve nothing.", format.Money(c.Stranded, cur))
}
