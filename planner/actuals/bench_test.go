package actuals

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// hourlyBill is a FOCUS bill of n hourly GPU rows from the seed plan's
// first day: the shape of a cloud's hourly export.
func hourlyBill(n int) []byte {
	var b bytes.Buffer
	b.WriteString("ChargePeriodStart,ChargePeriodEnd,ChargeCategory,BilledCost,EffectiveCost,ServiceCategory,ServiceName,ResourceId,PricingCategory,ConsumedQuantity,ConsumedUnit,BillingCurrency,Tags\n")
	start := time.Date(2027, 1, 4, 0, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		s := start.Add(time.Duration(i/4) * time.Hour)
		fmt.Fprintf(&b, "%s,%s,Usage,6.88,6.88,Compute,Amazon Elastic Compute Cloud,i-%04d,Standard,1,Hours,USD,\"{\"\"team\"\": \"\"ml\"\"}\"\n",
			s.Format(time.RFC3339), s.Add(time.Hour).Format(time.RFC3339), i%4)
	}
	return b.Bytes()
}

// Reading a month of four nodes' hourly rows, 100,000 rows (about 18 MB).
func BenchmarkParseBill100kRows(b *testing.B) {
	data := hourlyBill(100_000)
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := ParseBill("bench.csv", data); err != nil {
			b.Fatal(err)
		}
	}
}

// Holding the seed plan against 100,000 hourly rows (1,042 days would
// cover it; here 25,000 hours, past the plan's 270 days).
func BenchmarkAgainst100kRows(b *testing.B) {
	p, r := loadPlan(b, "../../testdata/seed-roadmap.json")
	bill, err := ParseBill("bench.csv", hourlyBill(100_000))
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Against(&p, &r, []Bill{bill}, Usage{}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
