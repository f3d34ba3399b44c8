package actuals

import (
	"bytes"
	"compress/gzip"
	"os"
	"strings"
	"testing"
)

// The FOCUS specification's own sample files (testdata/actuals, kept byte
// for byte; README there): each one's columns are read, and its totals by
// charge category are the sums worked with Python's csv and decimal
// modules, apart from this code.
func TestTheSpecificationsSamplesAreRead(t *testing.T) {
	for _, tc := range []struct {
		file              string
		rows              int
		category          string
		billed, effective string
	}{
		{"focus-commitment_discount_usage_scenario_3.csv", 2, "Usage", "0", "1"},
		{"focus-one_hundred_percent_utilization_with_commitment_discount_flexibility_with_2_resources.csv", 3, "Usage", "0", "2"},
	} {
		b, err := ReadBill("../../testdata/actuals/" + tc.file)
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if len(b.Rows) != tc.rows || len(b.SHA256) != 64 {
			t.Errorf("%s: %d rows, SHA-256 %q", tc.file, len(b.Rows), b.SHA256)
		}
		bt, et := b.Totals(false), b.Totals(true)
		if bt.Kind != "BilledCost" || et.Kind != "EffectiveCost" {
			t.Errorf("%s: kinds %s, %s", tc.file, bt.Kind, et.Kind)
		}
		if got := bt.ByCategory[tc.category].String(); got != tc.billed {
			t.Errorf("%s: billed %s %s, want %s", tc.file, tc.category, got, tc.billed)
		}
		if got := et.ByCategory[tc.category].String(); got != tc.effective {
			t.Errorf("%s: effective %s %s, want %s", tc.file, tc.category, got, tc.effective)
		}
	}
}

// Two of the specification's own samples are not valid FOCUS, and the
// reader says where: the SaaS example writes its dates as 4/1/25, and a
// purchase example ends a charge at hour 30 (2023-02-01T30:00:00Z).
func TestTheSamplesBadDatesAreRefusedByLineAndColumn(t *testing.T) {
	for file, want := range map[string]string{
		"focus-saas_spend_agreements_a2.csv":                `line 2, ChargePeriodStart: "4/1/25" is not a date and time`,
		"focus-commitment_discount_purchase_scenario_3.csv": `line 5, ChargePeriodEnd: "2023-02-01T30:00:00Z" is not a date and time`,
	} {
		if _, err := ReadBill("../../testdata/actuals/" + file); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", file, err)
		}
	}
}

// Bad files get words naming what is wrong and where; a gzipped bill is
// read like a plain one.
func TestBadBillsAreRefusedWithWords(t *testing.T) {
	head := "ChargePeriodStart,ChargePeriodEnd,ChargeCategory,BilledCost\n"
	for _, tc := range []struct{ data, want string }{
		{"date,calls\n2025-01-01,5\n", "has no ChargePeriodStart, ChargePeriodEnd, ChargeCategory, BilledCost or EffectiveCost columns"},
		{"ChargePeriodStart,ChargePeriodEnd,ChargeCategory\n", "has no BilledCost or EffectiveCost column"},
		{head + "2025-01-01T00:00:00Z,2025-01-02T00:00:00Z,Usage,ten\n", `line 2, BilledCost: "ten" is not a number`},
		{head + "2025-01-02T00:00:00Z,2025-01-01T00:00:00Z,Usage,1\n", "line 2, ChargePeriodEnd: 2025-01-01T00:00:00Z is not after ChargePeriodStart"},
		{head + "2025-01-01T00:00:00Z,2025-01-02T00:00:00Z,Refund,1\n", `line 2, ChargeCategory: "Refund" is not one of Usage, Purchase, Tax, Credit, Adjustment`},
		{"", "no header row"},
	} {
		if _, err := ParseBill("bill.csv", []byte(tc.data)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: %v; want %q", tc.data, err, tc.want)
		}
	}
	var z bytes.Buffer
	w := gzip.NewWriter(&z)
	w.Write([]byte(head + "2025-01-01T00:00:00Z,2025-01-02T00:00:00Z,Tax,1.25\n"))
	w.Close()
	b, err := ParseBill("bill.csv.gz", z.Bytes())
	if err != nil || b.Totals(true).ByCategory["Tax"].String() != "1.25" {
		t.Errorf("gzipped: %v, %+v", err, b.Totals(true))
	}
	if _, err := ReadBill(os.DevNull); err == nil || !strings.Contains(err.Error(), "device") {
		t.Errorf("a device: %v", err)
	}
}
