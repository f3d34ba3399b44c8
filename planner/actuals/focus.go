// Package actuals reads what a plan is held against once it runs: a bill
// in FOCUS, the FinOps Foundation's open cost-and-usage format that the
// large clouds export (issue #21). This file is the bill's reader; it
// knows no plan.
package actuals

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/planner/jsonfile"
)

// MaxBillBytes bounds a bill file read: larger is refused, not read.
const MaxBillBytes = 256 << 20

// MaxProblems is how many row problems a refusal lists.
const MaxProblems = 20

// Row is one charge of the bill. A cost column the bill does not have is
// not Known; FOCUS's "null" and an empty cell are both no value.
type Row struct {
	Line                            int // in the file, the header being 1
	Start, End                      time.Time
	Billed, Effective               decimal.Decimal
	HasBilled, HasEffective         bool
	ChargeCategory, ServiceCategory string
	ServiceName, ResourceID, SkuID  string
	PricingCategory, ConsumedUnit   string
	ConsumedQuantity                decimal.NullDecimal
	Currency                        string
	Tags                            map[string]string // FOCUS's Tags: a JSON object of key → value; a key alone has ""
}

// Cost is the row's effective cost, or its billed cost when billed is set.
func (r *Row) Cost(billed bool) decimal.Decimal {
	if billed {
		return r.Billed
	}
	return r.Effective
}

// Bill is a FOCUS file read: its rows and where they came from.
type Bill struct {
	Name, SHA256 string
	Columns      []string
	Rows         []Row
}

// required are the columns without which a file is not a bill scaleplan
// can read; one of the two cost columns must be there too. FOCUS 1.0 to
// 1.2 all have them (specification/columns in FOCUS_Spec).
var required = []string{"ChargePeriodStart", "ChargePeriodEnd", "ChargeCategory"}

// ChargeCategories are FOCUS's values of ChargeCategory.
var ChargeCategories = []string{"Usage", "Purchase", "Tax", "Credit", "Adjustment"}

// ReadBills reads each path: a FOCUS CSV, or a folder of its parts (every
// .csv and .csv.gz file in it, in name order, as the clouds export a
// month in parts). The parts of one export must have the same columns.
func ReadBills(paths []string) ([]Bill, error) {
	var out []Bill
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", p, errors.Unwrap(err))
		}
		if !st.IsDir() {
			b, err := ReadBill(p)
			if err != nil {
				return nil, err
			}
			out = append(out, b)
			continue
		}
		ents, err := os.ReadDir(p)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", p, err)
		}
		n := 0
		for _, e := range ents {
			if name := e.Name(); !e.IsDir() && (strings.HasSuffix(name, ".csv") || strings.HasSuffix(name, ".csv.gz")) {
				b, err := ReadBill(filepath.Join(p, name))
				if err != nil {
					return nil, err
				}
				out, n = append(out, b), n+1
			}
		}
		if n == 0 {
			return nil, fmt.Errorf("%s: a folder with no .csv or .csv.gz part of a FOCUS bill in it", p)
		}
	}
	return out, nil
}

// ReadBill reads the FOCUS CSV at path (gzipped or not) through the
// guarded reader: a regular file no larger than MaxBillBytes.
func ReadBill(path string) (Bill, error) {
	b, err := jsonfile.ReadFileCapped(path, MaxBillBytes, "FOCUS bill")
	if err != nil {
		return Bill{}, err
	}
	return ParseBill(path, b)
}

// ParseBill reads a FOCUS CSV: it refuses a file without the columns a
// bill needs, naming them, and one whose rows have bad dates or costs,
// naming each row and column (up to MaxProblems).
func ParseBill(name string, data []byte) (Bill, error) {
	sum := sha256.Sum256(data)
	bill := Bill{Name: name, SHA256: hex.EncodeToString(sum[:])}
	if len(data) > 2 && data[0] == 0x1f && data[1] == 0x8b {
		z, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return bill, fmt.Errorf("%s: not a gzipped file: %v", name, err)
		}
		if data, err = io.ReadAll(io.LimitReader(z, MaxBillBytes+1)); err != nil {
			return bill, fmt.Errorf("%s: %v", name, err)
		}
		if len(data) > MaxBillBytes {
			return bill, fmt.Errorf("%s: unzipped, it is over %d MiB; a bill is read whole", name, MaxBillBytes>>20)
		}
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.FieldsPerRecord = -1 // a row's length is checked against the header below
	header, err := r.Read()
	if err != nil {
		return bill, fmt.Errorf("%s: no header row of FOCUS columns: %v", name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
		bill.Columns = append(bill.Columns, strings.TrimSpace(h))
	}
	var missing []string
	for _, c := range required {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	_, billed := col["BilledCost"]
	_, effective := col["EffectiveCost"]
	if !billed && !effective {
		missing = append(missing, "BilledCost or EffectiveCost")
	}
	if len(missing) > 0 {
		return bill, fmt.Errorf("%s is not a FOCUS bill scaleplan can read: it has no %s column%s (FOCUS 1.0–1.2 have them; docs/actuals.md)",
			name, strings.Join(missing, ", "), map[bool]string{true: "s", false: ""}[len(missing) > 1])
	}
	var problems []string
	bill.Rows = make([]Row, 0, bytes.Count(data, []byte{'\n'})) // a row a line: one allocation, not a doubling
	r.ReuseRecord = true                                        // parseRow copies what it keeps
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return bill, fmt.Errorf("%s: %v", name, err) // a csv.ParseError names its line and column
		}
		line, _ := r.FieldPos(0)
		row, bad := parseRow(rec, col, line)
		problems = append(problems, bad...)
		if len(bad) == 0 {
			bill.Rows = append(bill.Rows, row)
		}
	}
	if len(problems) > 0 {
		more := ""
		if len(problems) > MaxProblems {
			more = fmt.Sprintf("\n  … and %d more", len(problems)-MaxProblems)
			problems = problems[:MaxProblems]
		}
		return bill, fmt.Errorf("%s: %d problem%s:\n  %s%s", name, len(problems), map[bool]string{true: "s", false: ""}[len(problems) > 1], strings.Join(problems, "\n  "), more)
	}
	return bill, nil
}

func parseRow(rec []string, col map[string]int, line int) (Row, []string) {
	row := Row{Line: line}
	var bad []string
	get := func(c string) string {
		i, ok := col[c]
		if !ok || i >= len(rec) {
			return ""
		}
		v := strings.TrimSpace(rec[i])
		if strings.EqualFold(v, "null") {
			return ""
		}
		return v
	}
	date := func(c string) time.Time {
		v := get(c)
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			bad = append(bad, fmt.Sprintf("line %d, %s: %q is not a date and time (FOCUS writes ISO 8601 in UTC, e.g. 2025-04-01T00:00:00Z)", line, c, v))
		}
		return t
	}
	cost := func(c string) (decimal.Decimal, bool) {
		v := get(c)
		if v == "" {
			return decimal.Zero, false
		}
		d, err := decimal.NewFromString(v)
		if err != nil {
			bad = append(bad, fmt.Sprintf("line %d, %s: %q is not a number", line, c, v))
			return decimal.Zero, false
		}
		return d, true
	}
	row.Start, row.End = date("ChargePeriodStart"), date("ChargePeriodEnd")
	if len(bad) == 0 && !row.End.After(row.Start) {
		bad = append(bad, fmt.Sprintf("line %d, ChargePeriodEnd: %s is not after ChargePeriodStart %s", line, row.End.Format(time.RFC3339), row.Start.Format(time.RFC3339)))
	}
	row.Billed, row.HasBilled = cost("BilledCost")
	row.Effective, row.HasEffective = cost("EffectiveCost")
	if q, ok := cost("ConsumedQuantity"); ok {
		row.ConsumedQuantity = decimal.NullDecimal{Decimal: q, Valid: true}
	}
	row.ChargeCategory = get("ChargeCategory")
	if !slices.Contains(ChargeCategories, row.ChargeCategory) {
		bad = append(bad, fmt.Sprintf("line %d, ChargeCategory: %q is not one of %s", line, row.ChargeCategory, strings.Join(ChargeCategories, ", ")))
	}
	row.ServiceCategory, row.ServiceName = get("ServiceCategory"), get("ServiceName")
	row.ResourceID, row.SkuID, row.PricingCategory = get("ResourceId"), get("SkuId"), get("PricingCategory")
	row.ConsumedUnit, row.Currency = get("ConsumedUnit"), get("BillingCurrency")
	if t := get("Tags"); t != "" {
		var tags map[string]any
		if err := json.Unmarshal([]byte(t), &tags); err != nil {
			bad = append(bad, fmt.Sprintf("line %d, Tags: %q is not a JSON object of tags (FOCUS writes {\"key\": \"value\"})", line, clip(t)))
		}
		row.Tags = map[string]string{}
		for k, v := range tags {
			switch v := v.(type) {
			case string:
				row.Tags[k] = v
			case nil:
				row.Tags[k] = ""
			default:
				row.Tags[k] = fmt.Sprint(v)
			}
		}
	}
	return row, bad
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:57] + "…"
	}
	return s
}

// Totals are a bill's costs by charge category, effective where the bill
// has it (FOCUS's amortised cost, purchases spread over what they cover),
// else billed: which one, Kind says.
type Totals struct {
	Kind       string // "EffectiveCost" or "BilledCost"
	ByCategory map[string]decimal.Decimal
	Total      decimal.Decimal
}

// Totals sums the bill's rows; effective says to use EffectiveCost where
// the bill has it.
func (b *Bill) Totals(effective bool) Totals {
	t := Totals{Kind: "BilledCost", ByCategory: map[string]decimal.Decimal{}, Total: decimal.Zero}
	if effective && b.hasColumn("EffectiveCost") || !b.hasColumn("BilledCost") {
		t.Kind = "EffectiveCost"
	}
	for _, r := range b.Rows {
		c := r.Billed
		if t.Kind == "EffectiveCost" {
			c = r.Effective
		}
		t.ByCategory[r.ChargeCategory] = t.ByCategory[r.ChargeCategory].Add(c)
		t.Total = t.Total.Add(c)
	}
	return t
}
