package actuals

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
)

// MaxUsageBytes bounds a usage file read: larger is refused, not read.
const MaxUsageBytes = 64 << 20

// A figure of traffic or latency observed a day. How a day's samples
// combine (a Prometheus range query may give several a day, or several
// series): calls and tokens add up, nodes and utilization average, and a
// latency keeps its worst.
type Figure struct {
	Key   string
	Label string
	Unit  string
	Whole bool // a count (calls, tokens): no fractions
	Worst bool // a latency quantile: a day keeps its largest sample, and series cannot be added
	Mean  bool // a level (nodes, utilization): a day keeps the mean of its samples
	Max   decimal.Decimal
}

// Figures lists what --usage reads, by the names a usage CSV's columns and
// --usage KEY=FILE take.
var Figures = []Figure{
	{Key: "calls", Label: "Calls", Unit: "calls/day", Whole: true, Max: decimal.NewFromInt(planner.MaxCallsPerDay)},
	{Key: "p99_ms", Label: "p99", Unit: "ms", Worst: true, Max: decimal.NewFromInt(86_400_000)},
	{Key: "ttft_p99_ms", Label: "TTFT p99", Unit: "ms", Worst: true, Max: decimal.NewFromInt(86_400_000)},
	{Key: "tpot_p99_ms", Label: "TPOT p99", Unit: "ms", Worst: true, Max: decimal.NewFromInt(86_400_000)},
	{Key: "nodes", Label: "Nodes running", Unit: "nodes, mean over the day", Mean: true, Max: decimal.NewFromInt(planner.MaxNodes)},
	{Key: "utilization", Label: "Utilization", Unit: "share of capacity busy", Mean: true, Max: decimal.NewFromInt(1)},
	{Key: "tokens_in", Label: "Input tokens", Unit: "tokens/day", Whole: true, Max: decimal.New(1, 18)},
	{Key: "tokens_out", Label: "Output tokens", Unit: "tokens/day", Whole: true, Max: decimal.New(1, 18)},
}

// LookupFigure finds a figure by key.
func LookupFigure(key string) (Figure, bool) {
	for _, f := range Figures {
		if f.Key == key {
			return f, true
		}
	}
	return Figure{}, false
}

// FigureKeys lists the figures' keys.
func FigureKeys() []string {
	out := make([]string, len(Figures))
	for i, f := range Figures {
		out[i] = f.Key
	}
	return out
}

// Usage is what the usage files said: per figure, a value per day.
type Usage struct {
	Days  map[string]map[planner.Date]decimal.Decimal // figure key → day → value
	Files []File
}

// File is a file read, for the report's list and a scenario's notes.
type File struct {
	Name, SHA256, Kind string // Kind: "FOCUS bill", "usage CSV", "Prometheus calls", …
	First, Last        planner.Date
}

// Has says whether any file gave the figure.
func (u *Usage) Has(key string) bool { return len(u.Days[key]) > 0 }

func (u *Usage) put(key string, d planner.Date, v decimal.Decimal) {
	if u.Days == nil {
		u.Days = map[string]map[planner.Date]decimal.Decimal{}
	}
	if u.Days[key] == nil {
		u.Days[key] = map[planner.Date]decimal.Decimal{}
	}
	u.Days[key][d] = v
}

// Merge adds b's days and files to u's; b's value of a day both give wins.
func (u *Usage) Merge(b Usage) {
	for k, days := range b.Days {
		for d, x := range days {
			u.put(k, d, x)
		}
	}
	u.Files = append(u.Files, b.Files...)
}

// ReadUsage reads one --usage argument: FILE, a CSV of days with a date
// column and a column per figure, or KEY=FILE, the JSON a Prometheus
// query_range call returns (a matrix) for that one figure. Both go through
// the guarded reader.
func (u *Usage) ReadUsage(arg string) error {
	key, path, isProm := strings.Cut(arg, "=")
	if !isProm {
		path = arg
	}
	if isProm {
		if _, ok := LookupFigure(key); !ok {
			return fmt.Errorf("--usage %s: no figure is named %q; figures are %s", arg, key, strings.Join(FigureKeys(), ", "))
		}
	}
	data, err := jsonfile.ReadFileCapped(path, MaxUsageBytes, "usage file")
	if err != nil {
		return err
	}
	if isProm {
		return u.ParsePrometheus(key, path, data)
	}
	return u.ParseCSV(path, data)
}

func sha(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// value checks one figure's value, or says what is wrong with it.
func (f Figure) value(s string) (decimal.Decimal, string) {
	v, err := decimal.NewFromString(strings.TrimSpace(s))
	switch {
	case err != nil:
		return v, fmt.Sprintf("%q is not a number", s)
	case v.Sign() < 0:
		return v, fmt.Sprintf("%s is below zero", v)
	case v.GreaterThan(f.Max):
		return v, fmt.Sprintf("%s is more than %s %s, which no day holds", v, f.Max, f.Unit)
	case f.Whole && !v.Equal(v.Truncate(0)):
		return v.Round(0), "" // a rate's increase() is fractional: a count is rounded to whole
	}
	return v, ""
}

// ParseCSV reads a CSV of days: a "date" column (YYYY-MM-DD) and any of the
// figures' columns; an empty cell is no value that day.
func (u *Usage) ParseCSV(name string, data []byte) error {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\ufeff"))))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return fmt.Errorf("%s: no header row (date, calls, …): %v", name, err)
	}
	dateCol, cols := -1, map[int]Figure{}
	for i, h := range header {
		h = strings.TrimSpace(strings.ToLower(h))
		if h == "date" {
			dateCol = i
		} else if f, ok := LookupFigure(h); ok {
			cols[i] = f
		} else {
			return fmt.Errorf("%s: column %d, %q is not a figure scaleplan reads; columns are date, %s", name, i+1, header[i], strings.Join(FigureKeys(), ", "))
		}
	}
	if dateCol < 0 || len(cols) == 0 {
		return fmt.Errorf("%s: a usage CSV needs a date column and at least one of %s", name, strings.Join(FigureKeys(), ", "))
	}
	var problems []string
	seen := map[planner.Date]int{}
	var days []planner.Date
	var vals []map[string]decimal.Decimal
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %v", name, err) // a csv.ParseError names its line and column
		}
		line, _ := r.FieldPos(0)
		if dateCol >= len(rec) {
			problems = append(problems, fmt.Sprintf("line %d: %d cells, and the date is in column %d", line, len(rec), dateCol+1))
			continue
		}
		d, err := planner.ParseDate(strings.TrimSpace(rec[dateCol]))
		if err != nil {
			problems = append(problems, fmt.Sprintf("line %d, date: %q is not a date written YYYY-MM-DD", line, clip(rec[dateCol])))
			continue
		}
		if at, dup := seen[d]; dup {
			problems = append(problems, fmt.Sprintf("line %d, date: %s is on line %d already", line, d, at))
			continue
		}
		seen[d] = line
		row := map[string]decimal.Decimal{}
		for i, f := range cols {
			if i >= len(rec) || strings.TrimSpace(rec[i]) == "" {
				continue
			}
			v, bad := f.value(rec[i])
			if bad != "" {
				problems = append(problems, fmt.Sprintf("line %d, %s: %s", line, f.Key, bad))
				continue
			}
			row[f.Key] = v
		}
		days, vals = append(days, d), append(vals, row)
	}
	if err := problemsErr(name, problems); err != nil {
		return err
	}
	if len(days) == 0 {
		return fmt.Errorf("%s: a header and no days", name)
	}
	for i, d := range days {
		for k, v := range vals[i] {
			u.put(k, d, v)
		}
	}
	first, last := span(days)
	u.Files = append(u.Files, File{Name: name, SHA256: sha(data), Kind: "usage CSV", First: first, Last: last})
	return nil
}

func span(days []planner.Date) (planner.Date, planner.Date) {
	sort.Slice(days, func(i, j int) bool { return days[i].Before(days[j]) })
	return days[0], days[len(days)-1]
}

func problemsErr(name string, problems []string) error {
	if len(problems) == 0 {
		return nil
	}
	more := ""
	if len(problems) > MaxProblems {
		more = fmt.Sprintf("\n  … and %d more", len(problems)-MaxProblems)
		problems = problems[:MaxProblems]
	}
	return fmt.Errorf("%s: %d problem%s:\n  %s%s", name, len(problems), map[bool]string{true: "s", false: ""}[len(problems) > 1], strings.Join(problems, "\n  "), more)
}

// promResponse is the JSON of Prometheus's HTTP API for a range query.
type promResponse struct {
	Status    string `json:"status"`
	ErrorType string `json:"errorType"`
	Error     string `json:"error"`
	Data      *struct {
		ResultType string `json:"resultType"`
		Result     []struct {
			Metric map[string]string `json:"metric"`
			Values [][2]any          `json:"values"`
		} `json:"result"`
	} `json:"data"`
}

// SampleDay is the day a Prometheus sample at t stands for: a sample at
// midnight UTC, as a query with step=1d evaluates increase(x[1d]) or a
// quantile over [1d], is the day that ended then; any other sample is its
// own day.
func SampleDay(t time.Time) planner.Date {
	t = t.UTC()
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		t = t.Add(-time.Second)
	}
	return planner.NewDate(t.Year(), t.Month(), t.Day())
}

// ParsePrometheus reads the JSON of a query_range call (resultType
// "matrix") as the one figure key: a day's samples combine as the figure
// says; series add up, except a latency's, which must be one series.
// NaN samples (a quantile with no requests) are no value that day.
func (u *Usage) ParsePrometheus(key, name string, data []byte) error {
	f, _ := LookupFigure(key)
	var resp promResponse
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&resp); err != nil {
		return fmt.Errorf("%s: not the JSON of a Prometheus query (%v)", name, err)
	}
	switch {
	case resp.Status == "error":
		return fmt.Errorf("%s: the query failed: %s: %s", name, resp.ErrorType, resp.Error)
	case resp.Data == nil || resp.Status != "success":
		return fmt.Errorf("%s: not the JSON of a Prometheus query: no \"status\": \"success\" with \"data\"", name)
	case resp.Data.ResultType != "matrix":
		return fmt.Errorf("%s: resultType is %q; scaleplan reads a range query's \"matrix\" (/api/v1/query_range with step=1d)", name, resp.Data.ResultType)
	case len(resp.Data.Result) == 0:
		return fmt.Errorf("%s: the query returned no series", name)
	case f.Worst && len(resp.Data.Result) > 1:
		return fmt.Errorf("%s: %d series; a latency quantile cannot be added across series: aggregate in the query, e.g. histogram_quantile(0.99, sum by (le) (rate(…[1d])))", name, len(resp.Data.Result))
	}
	type acc struct {
		sum, worst decimal.Decimal
		n          int64
	}
	perDay := map[planner.Date]*acc{}
	var problems []string
	for si, s := range resp.Data.Result {
		// Within a series, a day's samples combine; across series, days add.
		seriesDay := map[planner.Date]*acc{}
		for vi, pair := range s.Values {
			where := fmt.Sprintf("data.result[%d].values[%d]", si, vi)
			ts, ok1 := pair[0].(json.Number)
			txt, ok2 := pair[1].(string)
			if !ok1 || !ok2 {
				problems = append(problems, fmt.Sprintf("%s: expected [unix time, \"value\"], got %v", where, pair))
				continue
			}
			sec, err := ts.Float64()
			if err != nil || sec < 0 || sec > 1e11 {
				problems = append(problems, fmt.Sprintf("%s: %s is not a Unix time", where, ts))
				continue
			}
			if txt == "NaN" {
				continue
			}
			if x, err := strconv.ParseFloat(txt, 64); err == nil && math.IsInf(x, 0) {
				problems = append(problems, fmt.Sprintf("%s: %s (an unbounded quantile: the histogram's top bucket is too low)", where, txt))
				continue
			}
			v, bad := f.value(txt)
			if bad != "" {
				problems = append(problems, fmt.Sprintf("%s: %s", where, bad))
				continue
			}
			whole, frac := math.Modf(sec)
			d := SampleDay(time.Unix(int64(whole), int64(frac*1e9)))
			a := seriesDay[d]
			if a == nil {
				a = &acc{sum: decimal.Zero, worst: v}
				seriesDay[d] = a
			}
			a.sum, a.n = a.sum.Add(v), a.n+1
			if v.GreaterThan(a.worst) {
				a.worst = v
			}
		}
		for d, a := range seriesDay {
			v := a.sum
			switch {
			case f.Worst:
				v = a.worst
			case f.Mean:
				v = a.sum.DivRound(decimal.NewFromInt(a.n), planner.DivPlaces)
			}
			t := perDay[d]
			if t == nil {
				t = &acc{sum: decimal.Zero}
				perDay[d] = t
			}
			t.sum = t.sum.Add(v)
		}
	}
	if err := problemsErr(name, problems); err != nil {
		return err
	}
	if len(perDay) == 0 {
		return fmt.Errorf("%s: every sample is NaN: the query found no data", name)
	}
	var days []planner.Date
	for d, a := range perDay {
		u.put(key, d, a.sum)
		days = append(days, d)
	}
	first, last := span(days)
	u.Files = append(u.Files, File{Name: name, SHA256: sha(data), Kind: "Prometheus " + key, First: first, Last: last})
	return nil
}
