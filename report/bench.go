package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/loadtest"
)

// Renderings of a loadtest.Fit (docs/measured.md): a table for
// people, JSON for scripts. Derived inputs are written unrounded, exactly
// as --write puts them in the plan.

func benchMs(o planner.Opt[decimal.Decimal]) string {
	if !o.Valid {
		return format.None
	}
	return format.Decimal(o.Val, 1)
}

// BenchRunRow is one run as the table and the app show it.
type BenchRunRow struct {
	Run, Rate, PerNode, Concurrency, Mean, P99, Predicted, Error, Meets string
}

// BenchRows are the runs as text, lowest rate first.
func BenchRows(b *loadtest.Fit) []BenchRunRow {
	var out []BenchRunRow
	for _, r := range b.Runs {
		row := BenchRunRow{Run: r.Label, Rate: format.Decimal(r.RPS, 3), PerNode: format.Decimal(r.NodeRPS, 3),
			Concurrency: format.None, Mean: benchMs(r.MeanMs), P99: benchMs(r.P99Ms), Predicted: format.None, Error: format.None, Meets: format.None}
		if r.Concurrency.Valid {
			row.Concurrency = format.Count(r.Concurrency.Val)
		}
		switch {
		case r.LeftOut:
			row.Predicted = "left out: failed requests"
		case r.Saturated:
			row.Predicted = "saturated"
		case r.Predicted.Valid:
			row.Predicted = format.Decimal(decimal.NewFromFloat(r.Predicted.Val), 1)
		}
		if r.ErrorShare.Valid {
			row.Error = fmt.Sprintf("%.1f %%", 100*r.ErrorShare.Val)
		}
		if r.MeetsP99.Valid {
			row.Meets = map[bool]string{true: "yes", false: "no"}[r.MeetsP99.Val]
		}
		out = append(out, row)
	}
	return out
}

// BenchInputRow is one derived input: its key, exact value and whence.
type BenchInputRow struct{ Key, Value, From string }

// BenchInputs are the derived inputs and the figures beside them, as text.
func BenchInputs(b *loadtest.Fit) []BenchInputRow {
	if b.TokenTarget {
		return benchTokenInputs(b)
	}
	nodes := format.Nodes(b.NodesInTest)
	rows := []BenchInputRow{
		{"node_rps", b.NodeRPS.String(), fmt.Sprintf("the highest measured rate, %s req/s (%s), ÷ %s", format.Decimal(b.Runs[b.Max].RPS, 3), b.Runs[b.Max].Label, nodes)},
		{"slots", fmt.Sprint(b.Slots), b.SlotsFrom},
		{"service_ms", b.ServiceMs.String(), "slots × 1000 ÷ node_rps: the time a call holds a slot at that load (Little's law)"},
		{"service_cv", b.ServiceCV.String(), b.CVFrom},
	}
	low := BenchInputRow{Key: "service_ms_low_load", Value: format.None, From: "the lowest-load run gives no mean latency"}
	if b.ServiceMsLowLoad.Valid {
		low.Value = format.Decimal(b.ServiceMsLowLoad.Val, 1) + " ms"
		low.From = fmt.Sprintf("the %s run's mean latency minus %s ms fixed (not written; compare it with service_ms)", b.Runs[0].Label, format.Trim(b.FixedMs))
		if b.ServiceMsLowLoad.Val.Sign() <= 0 {
			low.From = fmt.Sprintf("the %s run's mean latency is below the plan's %s ms fixed: the test did not include the network and processing the plan adds", b.Runs[0].Label, format.Trim(b.FixedMs))
		}
	}
	good := BenchInputRow{Key: "goodput", Value: format.None}
	switch {
	case !b.TargetP99Ms.Valid && b.HasPlan:
		good.From = "the plan sets no p99 target (slo.p99_ms) to meet"
	case !b.TargetP99Ms.Valid:
		good.From = "needs a plan with a p99 target (--plan or --write)"
	case b.GoodputRPS.Valid:
		good.Value = format.Decimal(b.GoodputRPS.Val, 3) + " req/s a node"
		good.From = fmt.Sprintf("the highest measured rate whose p99 meets the %s ms target", format.Trim(b.TargetP99Ms.Val))
	default:
		good.From = fmt.Sprintf("no run's p99 meets the %s ms target", format.Trim(b.TargetP99Ms.Val))
	}
	cal := BenchInputRow{Key: "calibration", Value: format.None, From: "no run has both a measured p99 and an unsaturated prediction"}
	if b.MAPEPct.Valid {
		cal.Value = fmt.Sprintf("%.1f %% MAPE", b.MAPEPct.Val)
		cal.From = fmt.Sprintf("mean |model p99 − measured p99| ÷ measured, over the runs below the derived capacity; above %d %% the model does not fit", loadtest.MAPELimitPct)
	}
	return append(rows, low, good, cal)
}

// BenchRunsTable is the runs as aligned columns, each line indented: the
// command line's table and the app's import dialog.
func BenchRunsTable(b *loadtest.Fit, indent string) string {
	var s strings.Builder
	tw := tabwriter.NewWriter(&s, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, indent+"run\treq/s\ta node\tconcurrency\tmean ms\tp99 ms\tmodel p99\terror\tmeets target")
	for _, r := range BenchRows(b) {
		fmt.Fprintf(tw, "%s%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", indent, r.Run, r.Rate, r.PerNode, r.Concurrency, r.Mean, r.P99, r.Predicted, r.Error, r.Meets)
	}
	tw.Flush()
	return s.String()
}

// BenchTokenTable is the runs' token latencies as aligned columns, each
// line indented; "" when no run gives them.
func BenchTokenTable(b *loadtest.Fit, indent string) string {
	any := false
	for _, r := range b.Runs {
		any = any || r.TTFT.Any() || r.ITL.Any()
	}
	if !any {
		return ""
	}
	var s strings.Builder
	tw := tabwriter.NewWriter(&s, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, indent+"run\tTTFT mean\tTTFT p50\tTTFT p99\tITL mean\tITL p50\tITL p99")
	for _, r := range b.Runs {
		fmt.Fprintf(tw, "%s%s\t%s\t%s\t%s\t%s\t%s\t%s\n", indent, r.Label,
			benchMs(r.TTFT.MeanMs), benchMs(r.TTFT.P50Ms), benchMs(r.TTFT.P99Ms), benchMs(r.ITL.MeanMs), benchMs(r.ITL.P50Ms), benchMs(r.ITL.P99Ms))
	}
	tw.Flush()
	return s.String()
}

// BenchTokenHeading says what the token table holds.
const BenchTokenHeading = "Token latencies (ms): TTFT, time to first token; ITL, time between output tokens after it:"

// BenchTables is the runs table and, when the files give them, the token
// latencies under it: what the app's import dialog shows.
func BenchTables(b *loadtest.Fit, indent string) string {
	s := BenchRunsTable(b, indent)
	if t := BenchTokenTable(b, indent); t != "" {
		s += "\n" + indent + BenchTokenHeading + "\n" + t
	}
	if f := BenchTokenFit(b.Tokens, indent); f != "" {
		s += "\n" + f
	}
	return s
}

// BenchTokenFit says what the runs fix of the token serving rules' inputs,
// what they leave open and why, and each run's TTFT and ITL beside what the
// fitted inputs give; "" when no run gives both.
func BenchTokenFit(t *loadtest.TokenFit, indent string) string {
	if t == nil {
		return ""
	}
	var s strings.Builder
	fmt.Fprintf(&s, "%sToken serving inputs the runs fix (the serving rules of docs/model.md):\n", indent)
	for _, f := range []struct {
		key string
		v   planner.Opt[decimal.Decimal]
	}{{planner.KeyStepBase, t.StepBaseMs}, {planner.KeyStepPerSeq, t.StepPerSeqMs}, {planner.KeyPrefill, t.PrefillTokensPerS}} {
		if f.v.Valid {
			fmt.Fprintf(&s, "%s  %s = %s\n", indent, f.key, f.v.Val)
		}
	}
	for _, u := range t.Undetermined {
		s.WriteString(wrapLines("not fixed: "+u, indent+"  ", 80))
	}
	for _, n := range t.Notes {
		s.WriteString(wrapLines("note: "+n, indent+"  ", 80))
	}
	s.WriteString(wrapLines("For a plan that serves tokens, --write (Apply in the app) sets the inputs fixed here and no others.", indent+"  ", 80))
	tw := tabwriter.NewWriter(&s, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, indent+"  run	calls running	ITL mean	ITL fitted	TTFT mean	TTFT fitted")
	fitted := func(o planner.Opt[float64]) string {
		if !o.Valid {
			return format.None
		}
		return fmt.Sprintf("%.3f", o.Val)
	}
	for _, r := range t.Runs {
		fmt.Fprintf(tw, "%s  %s\t%.1f\t%.3f\t%s\t%.3f\t%s\n", indent, r.Label, r.InFlight, r.ITLMs, fitted(r.FitITLMs), r.TTFTMs, fitted(r.FitTTFTMs))
	}
	tw.Flush()
	return s.String()
}

func tokenFitJSON(t *loadtest.TokenFit) any {
	if t == nil {
		return nil
	}
	var o jsonObject
	o.add(planner.KeyStepBase, optDecJSON(t.StepBaseMs, 4))
	o.add(planner.KeyStepPerSeq, optDecJSON(t.StepPerSeqMs, 4))
	o.add("step_at_load_ms", optDecJSON(t.StepAtMs, 4))
	o.add(planner.KeyPrefill, optDecJSON(t.PrefillTokensPerS, 0))
	o.add("input_tokens", optInt(t.InputTokens))
	o.add("undetermined", t.Undetermined)
	o.add("notes", t.Notes)
	var runs []jsonObject
	for _, r := range t.Runs {
		var j jsonObject
		j.add("label", r.Label)
		j.add("calls_running", r.InFlight)
		j.add("itl_mean_ms", r.ITLMs)
		j.add("itl_fitted_ms", optFloatJSON(r.FitITLMs, 3))
		j.add("ttft_mean_ms", r.TTFTMs)
		j.add("ttft_fitted_ms", optFloatJSON(r.FitTTFTMs, 3))
		runs = append(runs, j)
	}
	o.add("runs", runs)
	return o
}

// optDecJSON and optFloatJSON are an optional figure as JSON: null for none.
func optDecJSON(o planner.Opt[decimal.Decimal], places int32) any {
	if !o.Valid {
		return nil
	}
	return json.Number(o.Val.Round(places).String())
}

func optFloatJSON(o planner.Opt[float64], places int32) any {
	if !o.Valid {
		return nil
	}
	return json.Number(decimal.NewFromFloat(o.Val).Round(places).String())
}

// WriteBench prints an import for people.
func WriteBench(w io.Writer, b *loadtest.Fit) error {
	var s strings.Builder
	fmt.Fprintf(&s, "Read %s:\n", format.Plural(int64(len(b.Files)), "load-test file", "load-test files"))
	for _, f := range b.Files {
		date := "run date not in the file"
		if f.RunDate != "" {
			date = "run " + f.RunDate
		}
		fmt.Fprintf(&s, "  %s %s (%s, SHA-256 %s)\n", f.Tool, f.Name, date, f.SHA256)
	}
	fmt.Fprintf(&s, "\nRuns, lowest rate first (%s in the test; p99 in ms, the model's with %s ms fixed):\n", format.Nodes(b.NodesInTest), format.Trim(b.FixedMs))
	s.WriteString(BenchRunsTable(b, "  "))
	if t := BenchTokenTable(b, "  "); t != "" {
		s.WriteString("\n" + BenchTokenHeading + "\n")
		s.WriteString(t)
	}
	if f := BenchTokenFit(b.Tokens, ""); f != "" {
		s.WriteString("\n" + f)
	}
	fmt.Fprintf(&s, "\nInputs for %s:\n", b.Target)
	tw := tabwriter.NewWriter(&s, 0, 0, 2, ' ', 0)
	for _, r := range BenchInputs(b) {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", r.Key, r.Value, r.From)
	}
	tw.Flush()
	if b.Warning != "" {
		fmt.Fprintf(&s, "\nWarning: %s.\n", b.Warning)
	}
	if b.PoolProblem != "" {
		fmt.Fprintf(&s, "\nWarning: %s. Their runs are pooled as one node's only when asked (--pool).\n", b.PoolProblem)
	}
	if len(b.Notes) > 0 {
		s.WriteString("\nNotes:\n")
		for _, n := range b.Notes {
			fmt.Fprintf(&s, "  - %s\n", n)
		}
	}
	_, err := io.WriteString(w, s.String())
	return err
}

// BenchJSON is an import as JSON: the derived inputs as exact numbers,
// null where they do not exist.
func BenchJSON(b *loadtest.Fit) []byte {
	num := func(d decimal.Decimal) json.Number { return json.Number(d.String()) }
	optNum, flt := optDecJSON, optFloatJSON
	files := []jsonObject{}
	for _, f := range b.Files {
		var o jsonObject
		o.add("tool", f.Tool)
		o.add("file", f.Name)
		o.add("sha256", f.SHA256)
		o.add("run_date", nilIfEmpty(f.RunDate))
		o.add("model", nilIfEmpty(f.Model))
		o.add("endpoint", nilIfEmpty(f.Endpoint))
		o.add("input_tokens", optNum(f.InputTokens, 3))
		o.add("output_tokens", optNum(f.OutputTokens, 3))
		files = append(files, o)
	}
	runs := []jsonObject{}
	for _, r := range b.Runs {
		var o jsonObject
		o.add("label", r.Label)
		o.add("file", b.Files[r.File].Name)
		o.add("rate_rps", num(r.RPS))
		o.add("node_rps", num(r.NodeRPS))
		if r.Concurrency.Valid {
			o.add("concurrency", r.Concurrency.Val)
		} else {
			o.add("concurrency", nil)
		}
		o.add("mean_ms", optNum(r.MeanMs, 3))
		o.add("p99_ms", optNum(r.P99Ms, 3))
		o.add("p99_predicted_ms", flt(r.Predicted, 3))
		for _, t := range []struct {
			key string
			l   loadtest.Latency
		}{{"ttft_ms", r.TTFT}, {"itl_ms", r.ITL}} {
			if !t.l.Any() {
				o.add(t.key, nil)
				continue
			}
			var l jsonObject
			l.add("mean", optNum(t.l.MeanMs, 3))
			l.add("p50", optNum(t.l.P50Ms, 3))
			l.add("p99", optNum(t.l.P99Ms, 3))
			o.add(t.key, l)
		}
		o.add("saturated", r.Saturated)
		for _, c := range []struct {
			key string
			n   planner.Opt[int64]
		}{{"completed", r.Completed}, {"errored", r.Errored}, {"cancelled", r.Cancelled}, {"incomplete", r.Incomplete}} {
			if c.n.Valid {
				o.add(c.key, c.n.Val)
			} else {
				o.add(c.key, nil)
			}
		}
		o.add("left_out", r.LeftOut)
		if r.MeetsP99.Valid {
			o.add("meets_p99", r.MeetsP99.Val)
		} else {
			o.add("meets_p99", nil)
		}
		runs = append(runs, o)
	}
	var o jsonObject
	o.add("target", b.Target)
	o.add("nodes_in_test", b.NodesInTest)
	// What is written to a plan is given as the decimal text written, so
	// the JSON, the table and the plan agree to the last place.
	o.add("node_rps", b.NodeRPS.String())
	o.add("service_ms", b.ServiceMs.String())
	o.add("service_cv", b.ServiceCV.String())
	o.add("slots", fmt.Sprint(b.Slots))
	o.add("slots_from", b.SlotsFrom)
	o.add("service_cv_from", b.CVFrom)
	o.add("service_ms_low_load", optNum(b.ServiceMsLowLoad, 3))
	o.add("fixed_ms", num(b.FixedMs))
	o.add("p99_target_ms", optNum(b.TargetP99Ms, 3))
	o.add("goodput_rps", optNum(b.GoodputRPS, 6))
	o.add("mape_pct", flt(b.MAPEPct, 2))
	o.add("warning", nilIfEmpty(b.Warning))
	o.add("pool_problem", nilIfEmpty(b.PoolProblem))
	notes := b.Notes
	if notes == nil {
		notes = []string{}
	}
	o.add("notes", notes)
	o.add("files", files)
	o.add("runs", runs)
	o.add("token_fit", tokenFitJSON(b.Tokens))
	out, _ := json.MarshalIndent(o, "", "  ")
	return append(out, '\n')
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// wrapLines breaks text at spaces into lines of at most width runes, the
// first after indent, the rest two spaces further in.
func wrapLines(text, indent string, width int) string {
	var s strings.Builder
	line, first := "", true
	flush := func() {
		pre := indent
		if !first {
			pre += "  "
		}
		s.WriteString(pre + line + "\n")
		line, first = "", false
	}
	for _, w := range strings.Fields(text) {
		if line != "" && utf8.RuneCountInString(line)+1+utf8.RuneCountInString(w) > width {
			flush()
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		flush()
	}
	return s.String()
}

// benchTokenInputs are what is written to a plan that serves tokens: the
// token inputs the runs fix, and those they leave open, with why.
func benchTokenInputs(b *loadtest.Fit) []BenchInputRow {
	var rows []BenchInputRow
	for _, kv := range b.Inputs() {
		rows = append(rows, BenchInputRow{kv[0], kv[1], "fitted to the runs' TTFT and ITL (Token serving inputs, above)"})
	}
	if b.Tokens == nil {
		return append(rows, BenchInputRow{"token inputs", format.None, "no run gives TTFT and ITL"})
	}
	for _, u := range b.Tokens.Undetermined {
		key, why, _ := strings.Cut(u, ": ")
		rows = append(rows, BenchInputRow{key, format.None, why})
	}
	return rows
}
