// Package loadtest reads the files load-test tools write (GuideLLM, NVIDIA
// AIPerf and GenAI-Perf, LLMPerf; JSON or YAML), fits a plan's node inputs
// to the runs, and writes them into a plan with their provenance. It
// imports planner; planner does not import it.
package loadtest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/scaleplan/scaleplan/format"
	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
	"github.com/scaleplan/scaleplan/planner/queue"
)

// Load-test files (docs/measured.md). GuideLLM, NVIDIA AIPerf and
// GenAI-Perf, and LLMPerf each write what a server sustained and how long
// its calls took as JSON; Read reads any of them into runs, and
// Import turns the runs into the plan's node inputs and sets the
// latency model's p99 beside the measured one at every rate.

// The load-test tools Read recognises.
const (
	ToolGuideLLM  = "GuideLLM"
	ToolAIPerf    = "AIPerf"
	ToolGenAIPerf = "GenAI-Perf"
	ToolLLMPerf   = "LLMPerf"
)

// one is the decimal 1.
var one = decimal.NewFromInt(1)

// MaxBytes bounds a load-test file: the largest real summaries are a
// few hundred kilobytes.
const MaxBytes = 64 << 20

// Run is one load level of a test: the rate the server sustained and
// its latency at that rate, in milliseconds whatever the file's unit.
type Run struct {
	Label       string             // "synchronous", "constant 20 req/s", "concurrency 100"
	RPS         decimal.Decimal    // requests/s completed, over the whole test (every node in it)
	Concurrency planner.Opt[int64] // the client concurrency the file states for the run
	MeanMs      planner.Opt[decimal.Decimal]
	StdMs       planner.Opt[decimal.Decimal]
	P50Ms       planner.Opt[decimal.Decimal]
	P99Ms       planner.Opt[decimal.Decimal]

	// The token latencies, where the file gives them: time to first token
	// and the time between output tokens after it (inter-token latency,
	// what issue #19 calls TPOT), in milliseconds.
	TTFT, ITL Latency

	// Requests by how they ended, where the file counts them.
	Completed  planner.Opt[int64] // completed successfully
	Errored    planner.Opt[int64] // failed: the server answered with an error or not at all
	Cancelled  planner.Opt[int64] // cancelled by the client before an answer (AIPerf's --request-cancellation-rate)
	Incomplete planner.Opt[int64] // GuideLLM: still in flight when the run's time ran out; not a failure
}

// Failed is the run's errored and cancelled requests, and the share they are
// of every request that ended; ok is false when the file counts neither.
// Latency is a run's mean, median and 99th percentile of one latency, ms.
type Latency struct {
	MeanMs, P50Ms, P99Ms planner.Opt[decimal.Decimal]
}

// Any says whether the file gave any of the three.
func (l Latency) Any() bool { return l.MeanMs.Valid || l.P50Ms.Valid || l.P99Ms.Valid }

// latency reads {mean, p50, p99} of the object v at path, under the keys
// the tool names them by, scaled to milliseconds by toMs.
func (r *benchReader) latency(v any, path string, toMs decimal.Decimal, mean, p50, p99 []string) Latency {
	read := func(keys []string) planner.Opt[decimal.Decimal] {
		where := strings.Join(keys, ".")
		if path != "" {
			where = path + "." + where
		}
		return scaled(r.num(at(v, keys...), where), toMs)
	}
	l := Latency{MeanMs: read(mean), P50Ms: read(p50), P99Ms: read(p99)}
	if l.P50Ms.Valid && l.P99Ms.Valid && l.P99Ms.Val.LessThan(l.P50Ms.Val) {
		r.fail(path, "the p99, %s ms, is below the p50, %s ms", l.P99Ms.Val, l.P50Ms.Val)
	}
	return l
}

func (r Run) Failed() (n int64, share float64, ok bool) {
	if !r.Errored.Valid && !r.Cancelled.Valid {
		return 0, 0, false
	}
	n = r.Errored.Val + r.Cancelled.Val
	total := n + r.Completed.Val
	if total == 0 {
		return n, 0, true
	}
	return n, float64(n) / float64(total), true
}

// MaxFailedShare is the share of errored and cancelled requests above which
// a run is left out of the fit unless asked: a server that drops calls is
// not running at the rate it seems to.
const MaxFailedShare = 0.01

// File is one load-test file as read.
type File struct {
	Tool    string
	Name    string // the file's base name
	SHA256  string // of its bytes, hex
	RunDate string // the day the test ran, YYYY-MM-DD, "" when the file does not say
	Runs    []Run

	// What the test loaded, where the file says: files that differ in any
	// of these measure different servers and are not pooled unasked.
	Model        string
	Endpoint     string
	InputTokens  planner.Opt[decimal.Decimal] // mean tokens a request sent
	OutputTokens planner.Opt[decimal.Decimal] // mean tokens a request received

	Notes []string // where the file's own figures disagree, and which was used
}

// Read reads a load-test file, recognising the tool by its keys. name
// is the file's path (only its base name is kept).
func Read(name string, data []byte) (File, error) {
	sum := sha256.Sum256(data)
	f := File{Name: filepath.Base(name), SHA256: hex.EncodeToString(sum[:])}
	if len(data) > MaxBytes {
		return f, fmt.Errorf("%s: %d bytes is more than a load-test summary holds (at most %d MiB)", f.Name, len(data), MaxBytes>>20)
	}
	var root any
	if looksYAML(f.Name, data) {
		v, err := decodeYAML(data)
		if err != nil {
			return f, fmt.Errorf("%s: not YAML a load-test tool writes: %v", f.Name, err)
		}
		root = v
	} else {
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&root); err != nil {
			return f, fmt.Errorf("%s: not JSON: %v", f.Name, err)
		}
	}
	obj, ok := root.(map[string]any)
	if !ok {
		return f, fmt.Errorf("%s: a load-test summary is a JSON object, this file holds %s", f.Name, jsonfile.Describe(root))
	}
	r := benchReader{file: f.Name}
	switch {
	case obj["benchmarks"] != nil:
		f.Tool = ToolGuideLLM
		f.Runs, f.RunDate = r.guideLLM(obj, &f)
	case obj["request_throughput"] != nil && obj["request_latency"] != nil, at(obj, "records", "request_throughput") != nil:
		f.Tool = ToolGenAIPerf
		if cfg, _ := obj["input_config"].(map[string]any); cfg["loadgen"] != nil || cfg["phases"] != nil || obj["records"] != nil || obj["start_time"] != nil || obj["was_cancelled"] != nil {
			f.Tool = ToolAIPerf
		}
		f.Runs, f.RunDate = r.nvidia(obj, &f)
	case obj["results_end_to_end_latency_s_mean"] != nil || obj["results_num_completed_requests_per_min"] != nil:
		f.Tool = ToolLLMPerf
		f.Runs, f.RunDate = r.llmPerf(obj, &f)
	default:
		return f, fmt.Errorf("%s: not a load-test summary scaleplan reads: expected GuideLLM's benchmarks.json or benchmarks.yaml (a \"benchmarks\" list), "+
			"AIPerf's profile_export_aiperf.json or GenAI-Perf's profile_export_genai_perf.json (\"request_throughput\" and \"request_latency\"), "+
			"or LLMPerf's *_summary.json (\"results_…\" keys)", f.Name)
	}
	if r.err != nil {
		return f, r.err
	}
	if len(f.Runs) == 0 {
		return f, fmt.Errorf("%s: a %s file with no completed run", f.Name, f.Tool)
	}
	return f, nil
}

// looksYAML says a file is YAML rather than JSON: by its name, or by a
// first line that is a document marker or a "key:" line.
func looksYAML(name string, data []byte) bool {
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".yaml" || ext == ".yml" {
		return true
	}
	t := bytes.TrimLeft(data, " \t\r\n\ufeff")
	if len(t) == 0 || t[0] == '{' || t[0] == '[' {
		return false
	}
	line, _, _ := bytes.Cut(t, []byte("\n"))
	return bytes.HasPrefix(line, []byte("---")) || yamlKey.Match(line)
}

var yamlKey = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_ -]*:( |$)`)

var benchNumber = regexp.MustCompile(`^-?[0-9]{1,20}(\.[0-9]{1,40})?([eE][+-]?[0-9]{1,2})?$`)

// Load reads a load-test file from disk: a regular file no larger
// than a summary can be, then Read.
func Load(path string) (File, error) {
	data, err := jsonfile.ReadFileCapped(path, MaxBytes, "a load-test summary")
	if errors.Is(err, os.ErrNotExist) {
		return File{}, fmt.Errorf("%s: no such file", path)
	}
	if err != nil {
		return File{}, err
	}
	return Read(path, data)
}

// benchReader reads numbers from a decoded file, keeping the first problem.
type benchReader struct {
	file string
	err  error
}

func (r *benchReader) fail(path, msg string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%s: %w", r.file, &planner.FieldError{Path: path, Msg: fmt.Sprintf(msg, args...)})
	}
}

// at walks keys through nested objects; nil when any is missing.
func at(v any, keys ...string) any {
	for _, k := range keys {
		o, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = o[k]
	}
	return v
}

// num reads an optional finite number ≥ 0 at path.
func (r *benchReader) num(v any, path string) planner.Opt[decimal.Decimal] {
	if v == nil {
		return planner.Opt[decimal.Decimal]{}
	}
	n, ok := v.(json.Number)
	if !ok {
		r.fail(path, "must be a number, got %s", jsonfile.Describe(v))
		return planner.Opt[decimal.Decimal]{}
	}
	// A measurement, not a typed input: up to 20 digits and 40 places and a
	// two-digit exponent, kept to 20 places (a longer literal, or an
	// exponent such as 1e-999999999, would cost seconds of arithmetic).
	if !benchNumber.MatchString(n.String()) {
		r.fail(path, "must be a number from 0 to 10^15 written with at most 20 digits, 40 places and a two-digit exponent, got %s", jsonfile.Describe(n))
		return planner.Opt[decimal.Decimal]{}
	}
	d, err := decimal.NewFromString(n.String())
	if err != nil || d.Sign() < 0 || d.GreaterThan(planner.MaxAmount) {
		r.fail(path, "must be a number from 0 to 10^15, got %s", n)
		return planner.Opt[decimal.Decimal]{}
	}
	return planner.Some(d.Round(planner.DivPlaces))
}

// msFactor is what one unit of a duration is in milliseconds.
func (r *benchReader) msFactor(unit any, path string) decimal.Decimal {
	s, _ := unit.(string)
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "ms", "milliseconds":
		return one
	case "s", "sec", "secs", "seconds":
		return decimal.NewFromInt(1000)
	case "us", "µs", "microseconds":
		return decimal.New(1, -3)
	case "ns", "nanoseconds":
		return decimal.New(1, -6)
	}
	r.fail(path+".unit", "a latency unit scaleplan does not know: %q (expected ms, s, us or ns)", s)
	return one
}

func scaled(o planner.Opt[decimal.Decimal], by decimal.Decimal) planner.Opt[decimal.Decimal] {
	if o.Valid {
		o.Val = o.Val.Mul(by)
	}
	return o
}

// whole reads a client concurrency: a whole number ≥ 1.
func (r *benchReader) whole(v any, path string) planner.Opt[int64] {
	n := r.num(v, path)
	if !n.Valid {
		return planner.Opt[int64]{}
	}
	if !n.Val.IsInteger() || n.Val.Sign() <= 0 || n.Val.GreaterThan(decimal.NewFromInt(1_000_000)) {
		r.fail(path, "a client concurrency must be a whole number from 1 to 1,000,000, got %s", n.Val)
		return planner.Opt[int64]{}
	}
	return planner.Some(n.Val.IntPart())
}

// guideLLM reads GuideLLM's benchmarks.json: one benchmark per load
// level, request latency in seconds. A level's rate is its completed
// requests ÷ its duration: the file's mean of per-second rates under-reads
// a short run (4 requests in 24.9 s is 0.161 req/s, its mean says 0.120).
func (r *benchReader) guideLLM(obj map[string]any, f *File) ([]Run, string) {
	list, ok := obj["benchmarks"].([]any)
	if !ok {
		r.fail("benchmarks", "must be a list, got %s", jsonfile.Describe(obj["benchmarks"]))
		return nil, ""
	}
	var runs []Run
	date := ""
	for i, b := range list {
		path := fmt.Sprintf("benchmarks[%d]", i)
		strategy := at(b, "config", "strategy")
		if strategy == nil {
			strategy = at(b, "args", "strategy")
		}
		kind, _ := at(strategy, "type_").(string)
		if kind == "" {
			kind, _ = at(strategy, "type").(string)
		}
		run := Run{Label: kind}
		switch kind {
		case "synchronous":
			run.Concurrency = planner.Some[int64](1)
		case "concurrent":
			run.Concurrency = r.whole(at(strategy, "streams"), path+".config.strategy.streams")
			if run.Concurrency.Valid {
				run.Label = fmt.Sprintf("concurrent %d", run.Concurrency.Val)
			}
		case "throughput":
			run.Concurrency = r.whole(at(strategy, "max_concurrency"), path+".config.strategy.max_concurrency")
		case "constant", "poisson":
			if rate := r.num(at(strategy, "rate"), path+".config.strategy.rate"); rate.Valid {
				run.Label = fmt.Sprintf("%s %s req/s", kind, rate.Val.String())
			}
		case "":
			run.Label = fmt.Sprintf("benchmark %d", i+1)
		}
		m := at(b, "metrics")
		// Requests by how they ended: the benchmark's totals (0.2 and 0.3),
		// or its metrics' (0.4 and after).
		totals, tp := at(b, "request_totals"), path+".request_totals"
		if totals == nil {
			totals, tp = at(m, "request_totals"), path+".metrics.request_totals"
		}
		run.Completed = r.count(at(totals, "successful"), tp+".successful")
		run.Errored = r.count(at(totals, "errored"), tp+".errored")
		run.Incomplete = r.count(at(totals, "incomplete"), tp+".incomplete")
		duration := r.num(at(b, "duration"), path+".duration")
		if !duration.Valid {
			start, end := r.num(at(b, "start_time"), path+".start_time"), r.num(at(b, "end_time"), path+".end_time")
			if start.Valid && end.Valid && end.Val.GreaterThan(start.Val) {
				duration = planner.Some(end.Val.Sub(start.Val))
			}
		}
		mean := r.num(at(m, "requests_per_second", "successful", "mean"), path+".metrics.requests_per_second.successful.mean")
		lat := at(m, "request_latency", "successful")
		lp := path + ".metrics.request_latency.successful"
		meanLat := r.num(at(lat, "mean"), lp+".mean")
		switch {
		case run.Completed.Valid && duration.Valid && duration.Val.Sign() > 0:
			run.RPS = decimal.NewFromInt(run.Completed.Val).DivRound(duration.Val, planner.DivPlaces)
			used := fmt.Sprintf("%d completed ÷ %s s", run.Completed.Val, duration.Val.Round(3))
			type rateCheck struct {
				what string
				v    planner.Opt[decimal.Decimal]
			}
			checks := []rateCheck{{"the file's mean rate", mean}}
			if conc := r.num(at(m, "request_concurrency", "successful", "mean"), path+".metrics.request_concurrency.successful.mean"); conc.Valid && meanLat.Valid && meanLat.Val.Sign() > 0 {
				checks = append(checks, rateCheck{"mean concurrency ÷ mean latency", planner.Some(conc.Val.DivRound(meanLat.Val, planner.DivPlaces))})
			}
			for _, c := range checks {
				if !c.v.Valid || run.RPS.Sign() == 0 {
					continue
				}
				off := c.v.Val.Sub(run.RPS).Abs().Div(run.RPS).InexactFloat64()
				if off > RateDisagreement {
					f.Notes = append(f.Notes, fmt.Sprintf("%s (%s): %s gives %s req/s, %s gives %s req/s, %.1f %% apart; %s is used",
						path, run.Label, used, run.RPS.Round(4), c.what, c.v.Val.Round(4), 100*off, used))
				}
			}
		case mean.Valid:
			run.RPS = mean.Val
		}
		if run.RPS.Sign() == 0 && !run.Completed.Valid {
			run.Completed = planner.Some[int64](0) // a rate of 0 is no request completed
		}
		sec := decimal.NewFromInt(1000) // GuideLLM writes request latency in seconds
		run.MeanMs = scaled(meanLat, sec)
		run.StdMs = scaled(r.num(at(lat, "std_dev"), lp+".std_dev"), sec)
		run.P50Ms = scaled(r.num(at(lat, "percentiles", "p50"), lp+".percentiles.p50"), sec)
		if !run.P50Ms.Valid {
			run.P50Ms = scaled(r.num(at(lat, "median"), lp+".median"), sec)
		}
		run.P99Ms = scaled(r.num(at(lat, "percentiles", "p99"), lp+".percentiles.p99"), sec)
		// The token latencies are in milliseconds already; the median is
		// "median" where "percentiles" has no p50.
		ms := decimal.NewFromInt(1)
		for _, t := range []struct {
			key string
			to  *Latency
		}{{"time_to_first_token_ms", &run.TTFT}, {"inter_token_latency_ms", &run.ITL}} {
			if v := at(m, t.key, "successful"); v != nil {
				*t.to = r.latency(v, path+".metrics."+t.key+".successful", ms, []string{"mean"}, []string{"median"}, []string{"percentiles", "p99"})
			}
		}
		if date == "" {
			date = r.epochDate(at(b, "start_time"), path+".start_time")
			if date == "" {
				date = r.epochDate(at(b, "run_stats", "start_time"), path+".run_stats.start_time")
			}
		}
		r.checkRun(run, path)
		if f.Model == "" {
			f.Model, _ = at(b, "worker", "backend_model").(string)
			f.Endpoint, _ = at(b, "worker", "backend_target").(string)
		}
		if !f.InputTokens.Valid {
			f.InputTokens = r.num(at(m, "prompt_token_count", "successful", "mean"), path+".metrics.prompt_token_count.successful.mean")
			f.OutputTokens = r.num(at(m, "output_token_count", "successful", "mean"), path+".metrics.output_token_count.successful.mean")
		}
		runs = append(runs, run)
	}
	return runs, date
}

// RateDisagreement is how far apart a file's own measures of one run's rate
// may be before the import says so.
const RateDisagreement = 0.05

// count reads an optional count of requests: a whole number ≥ 0.
func (r *benchReader) count(v any, path string) planner.Opt[int64] {
	n := r.num(v, path)
	if !n.Valid {
		return planner.Opt[int64]{}
	}
	if !n.Val.IsInteger() || n.Val.GreaterThan(decimal.NewFromInt(1<<50)) {
		r.fail(path, "a count of requests must be a whole number, got %s", n.Val)
		return planner.Opt[int64]{}
	}
	return planner.Some(n.Val.IntPart())
}

// nvidia reads AIPerf's and GenAI-Perf's summaries: one run a file, each
// metric a {unit, avg, p50, p99, std} block.
func (r *benchReader) nvidia(root map[string]any, f *File) ([]Run, string) {
	run := Run{}
	// AIPerf's 2025 layout nests the metrics under "records".
	obj := root
	if rec, ok := root["records"].(map[string]any); ok && rec["request_throughput"] != nil {
		obj = rec
	}
	tp := r.num(at(obj, "request_throughput", "avg"), "request_throughput.avg")
	unit, _ := at(obj, "request_throughput", "unit").(string)
	switch strings.ToLower(unit) {
	case "", "requests/sec", "requests/s", "req/s", "requests per second":
	case "requests/min", "requests/minute":
		tp = scaled(tp, decimal.New(1, 0).DivRound(decimal.NewFromInt(60), planner.DivPlaces))
	default:
		r.fail("request_throughput.unit", "a throughput unit scaleplan does not know: %q (expected requests/sec)", unit)
	}
	if !tp.Valid || tp.Val.Sign() == 0 {
		return nil, ""
	}
	run.RPS = tp.Val
	lat := obj["request_latency"]
	toMs := r.msFactor(at(lat, "unit"), "request_latency")
	run.MeanMs = scaled(r.num(at(lat, "avg"), "request_latency.avg"), toMs)
	run.StdMs = scaled(r.num(at(lat, "std"), "request_latency.std"), toMs)
	run.P50Ms = scaled(r.num(at(lat, "p50"), "request_latency.p50"), toMs)
	run.P99Ms = scaled(r.num(at(lat, "p99"), "request_latency.p99"), toMs)
	// AIPerf names time to first token "ttft", GenAI-Perf
	// "time_to_first_token"; both "inter_token_latency".
	for _, t := range []struct {
		keys []string
		to   *Latency
	}{{[]string{"time_to_first_token", "ttft"}, &run.TTFT}, {[]string{"inter_token_latency"}, &run.ITL}} {
		for _, k := range t.keys {
			if v := obj[k]; v != nil {
				*t.to = r.latency(v, k, r.msFactor(at(v, "unit"), k), []string{"avg"}, []string{"p50"}, []string{"p99"})
				break
			}
		}
	}
	for _, p := range [][]string{{"input_config", "loadgen", "concurrency"}, {"input_config", "concurrency"}, {"input_config", "perf_analyzer", "stimulus", "concurrency"}} {
		if v := at(root, p...); v != nil {
			run.Concurrency = r.whole(v, strings.Join(p, "."))
			break
		}
	}
	// AIPerf 0.8 and after: a list of phases (warm-up, profiling), each
	// with its concurrency; the last that states one is the measured run's.
	if phases, ok := at(root, "input_config", "phases").([]any); ok && !run.Concurrency.Valid {
		for i, ph := range phases {
			if v := at(ph, "concurrency"); v != nil {
				run.Concurrency = r.whole(v, fmt.Sprintf("input_config.phases[%d].concurrency", i))
			}
		}
	}
	run.Label = "one run"
	if run.Concurrency.Valid {
		run.Label = fmt.Sprintf("concurrency %d", run.Concurrency.Val)
	}
	run.Completed = r.count(at(obj, "request_count", "avg"), "request_count.avg")
	if failed := r.count(at(obj, "error_request_count", "avg"), "error_request_count.avg"); failed.Valid {
		// The error summary says which failures were the client's own
		// cancellations; the rest are errors.
		var cancelled int64
		if list, ok := root["error_summary"].([]any); ok {
			for i, e := range list {
				kind, _ := at(e, "error_details", "type").(string)
				if strings.Contains(strings.ToLower(kind), "cancel") {
					if n := r.count(at(e, "count"), fmt.Sprintf("error_summary[%d].count", i)); n.Valid {
						cancelled += n.Val
					}
				}
			}
		}
		cancelled = min(cancelled, failed.Val)
		run.Errored, run.Cancelled = planner.Some(failed.Val-cancelled), planner.Some(cancelled)
	}
	if names, ok := at(root, "input_config", "endpoint", "model_names").([]any); ok && len(names) > 0 {
		f.Model, _ = names[0].(string)
	}
	f.Endpoint, _ = at(root, "input_config", "endpoint", "url").(string)
	f.InputTokens = r.num(at(obj, "input_sequence_length", "avg"), "input_sequence_length.avg")
	f.OutputTokens = r.num(at(obj, "output_sequence_length", "avg"), "output_sequence_length.avg")
	r.checkRun(run, "the run")
	return []Run{run}, r.isoDate(root["start_time"], "start_time")
}

// isoDate reads a run's start as AIPerf and GenAI-Perf write it
// ("2025-10-03T13:13:39.146443"): its day, "" when the file has none, and a
// refusal by path when it is there and not a date and time.
func (r *benchReader) isoDate(v any, path string) string {
	if v == nil {
		return ""
	}
	s, ok := v.(string)
	if ok && len(s) >= 10 {
		for _, layout := range []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05", "2006-01-02 15:04:05.999999999", "2006-01-02"} {
			if _, err := time.Parse(layout, s); err == nil {
				return s[:10]
			}
		}
	}
	r.fail(path, "must be a date and time such as 2025-10-03T13:13:39, got %s", jsonfile.Describe(v))
	return ""
}

// checkRun refuses what no server measures: a latency of zero or below, a
// p99 below the p50, a run that completed no request.
func (r *benchReader) checkRun(run Run, path string) {
	for _, l := range []struct {
		name string
		v    planner.Opt[decimal.Decimal]
	}{{"mean latency", run.MeanMs}, {"p50 latency", run.P50Ms}, {"p99 latency", run.P99Ms}} {
		if l.v.Valid && l.v.Val.Sign() <= 0 {
			r.fail(path, "a %s of %s ms: a request takes some time", l.name, l.v.Val)
		}
	}
	if run.P50Ms.Valid && run.P99Ms.Valid && run.P99Ms.Val.LessThan(run.P50Ms.Val) {
		r.fail(path, "the p99 latency, %s ms, is below the p50, %s ms", run.P99Ms.Val, run.P50Ms.Val)
	}
	if run.Completed.Valid && run.Completed.Val == 0 {
		r.fail(path, "no request completed, so the run says nothing of what the server sustains")
	}
}

// llmPerf reads LLMPerf's *_summary.json: one run a file, flat keys,
// latency in seconds and throughput in requests a minute.
func (r *benchReader) llmPerf(obj map[string]any, f *File) ([]Run, string) {
	perMin := r.num(obj["results_num_completed_requests_per_min"], "results_num_completed_requests_per_min")
	if !perMin.Valid || perMin.Val.Sign() == 0 {
		return nil, ""
	}
	sec := decimal.NewFromInt(1000)
	k := "results_end_to_end_latency_s_"
	run := Run{
		RPS:         perMin.Val.DivRound(decimal.NewFromInt(60), planner.DivPlaces),
		Concurrency: r.whole(obj["num_concurrent_requests"], "num_concurrent_requests"),
		MeanMs:      scaled(r.num(obj[k+"mean"], k+"mean"), sec),
		StdMs:       scaled(r.num(obj[k+"stddev"], k+"stddev"), sec),
		P50Ms:       scaled(r.num(obj[k+"quantiles_p50"], k+"quantiles_p50"), sec),
		P99Ms:       scaled(r.num(obj[k+"quantiles_p99"], k+"quantiles_p99"), sec),
		Label:       "one run",
		Completed:   r.count(obj["results_num_completed_requests"], "results_num_completed_requests"),
		Errored:     r.count(obj["results_number_errors"], "results_number_errors"),
	}
	for _, t := range []struct {
		prefix string
		to     *Latency
	}{{"results_ttft_s_", &run.TTFT}, {"results_inter_token_latency_s_", &run.ITL}} {
		if obj[t.prefix+"mean"] != nil || obj[t.prefix+"quantiles_p99"] != nil {
			*t.to = r.latency(obj, "", sec, []string{t.prefix + "mean"}, []string{t.prefix + "quantiles_p50"}, []string{t.prefix + "quantiles_p99"})
		}
	}
	f.Model, _ = obj["model"].(string)
	f.InputTokens = r.num(obj["results_number_input_tokens_mean"], "results_number_input_tokens_mean")
	if !f.InputTokens.Valid {
		f.InputTokens = r.num(obj["mean_input_tokens"], "mean_input_tokens")
	}
	f.OutputTokens = r.num(obj["results_number_output_tokens_mean"], "results_number_output_tokens_mean")
	if !f.OutputTokens.Valid {
		f.OutputTokens = r.num(obj["mean_output_tokens"], "mean_output_tokens")
	}
	if run.Concurrency.Valid {
		run.Label = fmt.Sprintf("concurrency %d", run.Concurrency.Val)
	}
	r.checkRun(run, "the run")
	return []Run{run}, r.epochDate(obj["timestamp"], "timestamp")
}

// epochDate is a Unix time in seconds as a UTC day: "" when the file has
// none, a refusal by path when it is not a time from 1970 to 5138.
func (r *benchReader) epochDate(v any, path string) string {
	if v == nil {
		return ""
	}
	n, ok := v.(json.Number)
	f, err := n.Float64()
	if !ok || err != nil || f <= 0 || f > 1e11 {
		r.fail(path, "must be a Unix time in seconds, got %s", jsonfile.Describe(v))
		return ""
	}
	return time.Unix(int64(f), 0).UTC().Format("2006-01-02")
}

// Target says where measured inputs go: a variant by name, a phase by
// index, or (neither) the plan's defaults.
type Target struct {
	Variant string
	Phase   int // -1 for none
}

// Path is the target in a plan's words: "variants[distilled]", "phases[Launch]", "assumptions".
func (t Target) Path(p *planner.Plan) string {
	switch {
	case t.Variant != "":
		return "variants[" + t.Variant + "]"
	case p != nil && t.Phase >= 0 && t.Phase < len(p.Phases):
		return "phases[" + p.Phases[t.Phase].Name + "]"
	}
	return "assumptions"
}

// Options say how to read runs.
type Options struct {
	NodesInTest int64         // nodes behind the endpoint the test loaded; 1 when 0
	Plan        *planner.Plan // the plan the inputs are for; nil for none
	Target      Target
	// IncludeFailed fits runs with more than MaxFailedShare of their
	// requests errored or cancelled, which are otherwise shown and left out.
	IncludeFailed bool
}

// MeasuredRun is one run beside what the latency model predicts at its rate.
type MeasuredRun struct {
	Run
	File       int                  // index into Fit.Files
	NodeRPS    decimal.Decimal      // the run's rate per node
	Predicted  planner.Opt[float64] // the model's p99 at the rate, ms; none when saturated or not measured
	Saturated  bool                 // the rate is at or beyond the derived capacity
	MeetsP99   planner.Opt[bool]    // measured p99 within the plan's target; none without one
	ErrorShare planner.Opt[float64] // |predicted − measured| ÷ measured
	LeftOut    bool                 // more than MaxFailedShare of its requests failed: not fitted
}

// Fit is what a set of load-test runs says of a node.
type Fit struct {
	Files       []File
	Runs        []MeasuredRun // every run, lowest rate first
	NodesInTest int64
	Target      string // the target's path
	Max         int    // index in Runs of the run that set node_rps

	NodeRPS          decimal.Decimal // the highest measured rate ÷ nodes in the test, to the places a plan holds (MaxPlaces)
	NodeRPSExact     decimal.Decimal // the same, exact as the file gives it: kept in the provenance when it differs
	Slots            int64
	SlotsFrom        string // where the slots came from, in words
	ServiceMs        decimal.Decimal
	ServiceCV        decimal.Decimal
	CVFrom           string // where the CV came from, in words (and what was assumed)
	ServiceMsLowLoad planner.Opt[decimal.Decimal]
	HasPlan          bool                         // the runs were read for a plan
	FixedMs          decimal.Decimal              // the plan's network, processing and components; 0 without a plan
	TargetP99Ms      planner.Opt[decimal.Decimal] // the plan's p99 target
	GoodputRPS       planner.Opt[decimal.Decimal] // the highest per-node rate whose measured p99 meets the target
	MAPEPct          planner.Opt[float64]         // mean |error| of the predicted p99, over runs the model does not call saturated
	Warning          string                       // the model does not fit, when MAPE is over MAPELimitPct

	// Tokens is what the runs say of the token serving rules' inputs (step
	// times, prefill rate); nil when no run gives TTFT and ITL.
	Tokens *TokenFit
	// TokenTarget: the target serves tokens, so what is written is the
	// token inputs the runs fix, not the per-call ones.
	TokenTarget bool

	// PoolProblem says how the files differ (model, endpoint, token
	// lengths) when they should not be pooled into one node; "" when they
	// agree or there is one file. Writing pooled files that differ needs
	// asking (--pool).
	PoolProblem string
	// Notes are what else the reader should know: figures of a file that
	// disagree, runs left out, slots taken from what the server held.
	Notes []string
}

// MAPELimitPct is the calibration error above which the queueing model is
// said not to fit the server measured.
const MAPELimitPct = 25

// minBenchRPS is the smallest per-node rate a node's inputs are derived
// from: a call every 10⁶ seconds.
var minBenchRPS = decimal.New(1, -6)

// benchPlaces rounds derived times and CVs: a microsecond, and far below
// any measurement's precision.
const benchPlaces = 6

// Import derives node inputs from load-test files and calibrates the
// latency model against them.
func Import(files []File, o Options) (Fit, error) {
	nodes := o.NodesInTest
	if nodes == 0 {
		nodes = 1
	}
	if nodes < 0 || nodes > planner.MaxNodes {
		return Fit{}, fmt.Errorf("nodes in the test must be a whole number from 1 to %d, got %d", planner.MaxNodes, nodes)
	}
	out := Fit{Files: files, NodesInTest: nodes, Target: o.Target.Path(o.Plan), PoolProblem: poolProblem(files)}
	n := decimal.NewFromInt(nodes)
	for fi, f := range files {
		for _, note := range f.Notes {
			out.Notes = append(out.Notes, f.Name+": "+note)
		}
		for _, r := range f.Runs {
			m := MeasuredRun{Run: r, File: fi, NodeRPS: r.RPS.DivRound(n, planner.DivPlaces)}
			if failed, share, ok := r.Failed(); ok && share > MaxFailedShare {
				words := fmt.Sprintf("%s: the %s run had %d of %d requests fail (%d errored, %d cancelled: %.1f %%, over %g %%)",
					f.Name, r.Label, failed, failed+r.Completed.Val, r.Errored.Val, r.Cancelled.Val, 100*share, 100*MaxFailedShare)
				if o.IncludeFailed {
					out.Notes = append(out.Notes, words+"; fitted as asked")
				} else {
					m.LeftOut = true
					out.Notes = append(out.Notes, words+"; left out of the fit")
				}
			}
			out.Runs = append(out.Runs, m)
		}
	}
	if len(out.Runs) == 0 {
		return out, fmt.Errorf("no completed run to read")
	}
	sort.SliceStable(out.Runs, func(i, j int) bool { return out.Runs[i].RPS.LessThan(out.Runs[j].RPS) })
	fit := make([]int, 0, len(out.Runs)) // the runs fitted, lowest rate first
	for i, r := range out.Runs {
		if !r.LeftOut {
			fit = append(fit, i)
		}
	}
	if len(fit) == 0 {
		return out, ErrEveryRunFailed
	}
	var inTokens planner.Opt[int64]
	if o.Plan != nil {
		p := o.Plan
		if o.Target.Variant != "" {
			if _, ok := p.Variant(o.Target.Variant); !ok {
				return out, fmt.Errorf("the plan has no variant %q", o.Target.Variant)
			}
		}
		a := p.Assumptions
		if o.Target.Phase >= 0 {
			if o.Target.Phase >= len(p.Phases) {
				return out, fmt.Errorf("the plan has no phase %d", o.Target.Phase+1)
			}
			a = p.Effective(o.Target.Phase)
		}
		out.HasPlan = true
		out.FixedMs = a.FixedMs()
		out.TargetP99Ms = p.SLO.P99Ms
		inTokens = planInputTokens(p, o.Target)
		out.TokenTarget = servesTokens(p, o.Target)
	}
	out.Tokens = fitTokens(out.Runs, out.FixedMs, inTokens)

	out.Max = fit[len(fit)-1]
	top := &out.Runs[out.Max]
	// A plan holds MaxPlaces decimal places; files give 16 to 20
	// (0.024999999999999994, or requests a minute ÷ 60). What is written
	// is rounded to what the plan holds, and every figure derived from it
	// uses the written value, so the plan agrees with itself; the file's
	// own figure stays in the provenance.
	out.NodeRPSExact = top.NodeRPS
	out.NodeRPS = top.NodeRPS.Round(jsonfile.MaxPlaces)
	if out.NodeRPS.LessThan(minBenchRPS) {
		return out, fmt.Errorf("the highest measured rate, %s req/s a node, is too small to plan with (under %s)", out.NodeRPS, minBenchRPS)
	}
	low := &out.Runs[fit[0]]
	if low.MeanMs.Valid {
		out.ServiceMsLowLoad = planner.Some(low.MeanMs.Val.Sub(out.FixedMs))
	}
	// The calls the server held at once, by Little's law on the top run.
	held := planner.Opt[decimal.Decimal]{}
	if top.MeanMs.Valid {
		held = planner.Some(top.RPS.Mul(top.MeanMs.Val).DivRound(decimal.NewFromInt(1000), planner.DivPlaces))
	}
	switch {
	case top.Concurrency.Valid && held.Valid && held.Val.LessThan(decimal.NewFromInt(top.Concurrency.Val).Mul(heldShare)):
		// The client offered more calls than the server held: between a
		// call's end and the next one's start, or queued in the client.
		// The server's slots are what it held.
		s := held.Val.DivRound(decimal.NewFromInt(nodes), 0).IntPart()
		out.Slots = min(max(1, s), planner.MaxSlots)
		out.SlotsFrom = fmt.Sprintf("the calls the server held in the %s run: %s req/s × %s ms mean latency ÷ 1000 = %s, under 90 %% of the client's concurrency %d, so the server's figure is used",
			top.Label, format.Trim(top.RPS.Round(4)), format.Trim(top.MeanMs.Val.Round(1)), format.Trim(held.Val.Round(2)), top.Concurrency.Val)
		if nodes > 1 {
			out.SlotsFrom += fmt.Sprintf(", over %d nodes", nodes)
		}
	case top.Concurrency.Valid:
		out.Slots = max(1, top.Concurrency.Val/nodes)
		out.SlotsFrom = fmt.Sprintf("the client concurrency of the %s run, %d", top.Label, top.Concurrency.Val)
		if nodes > 1 {
			out.SlotsFrom += fmt.Sprintf(", over %d nodes", nodes)
		}
	case out.ServiceMsLowLoad.Valid && out.ServiceMsLowLoad.Val.Sign() > 0:
		// Little's law at the lowest load: a node full at node_rps holds
		// node_rps × service time calls at once.
		s := out.NodeRPS.Mul(out.ServiceMsLowLoad.Val).DivRound(decimal.NewFromInt(1000), 0).IntPart()
		out.Slots = min(max(1, s), planner.MaxSlots)
		out.SlotsFrom = fmt.Sprintf("Little's law: the %s run states no concurrency, so slots = node_rps × the %s run's service time %s ms ÷ 1000, rounded",
			top.Label, low.Label, format.Decimal(out.ServiceMsLowLoad.Val, 1))
	default:
		out.Slots = 1
		out.SlotsFrom = "assumed 1: no run states its concurrency or a mean latency"
	}
	out.ServiceMs = decimal.NewFromInt(out.Slots*1000).DivRound(out.NodeRPS, benchPlaces)
	if out.ServiceMs.Sign() == 0 {
		return out, fmt.Errorf("%s a node at %s req/s would hold a call under a nanosecond (slots × 1000 ÷ node_rps): not a server's rate; check the file's throughput and latency units",
			format.Plural(out.Slots, "slot", "slots"), out.NodeRPS)
	}

	switch {
	case top.StdMs.Valid && top.MeanMs.Valid && top.MeanMs.Val.GreaterThan(out.FixedMs) && out.FixedMs.Sign() > 0:
		// The fixed part of a call (network, processing) does not vary in
		// the model, so the spread is the service time's.
		out.ServiceCV = top.StdMs.Val.DivRound(top.MeanMs.Val.Sub(out.FixedMs), benchPlaces)
		out.CVFrom = fmt.Sprintf("std ÷ (mean latency − %s ms fixed) of the %s run", format.Trim(out.FixedMs), top.Label)
	case top.StdMs.Valid && top.MeanMs.Valid && top.MeanMs.Val.Sign() > 0:
		out.ServiceCV = top.StdMs.Val.DivRound(top.MeanMs.Val, benchPlaces)
		out.CVFrom = fmt.Sprintf("std ÷ mean latency of the %s run", top.Label)
	case top.P50Ms.Valid && top.P99Ms.Valid && top.P50Ms.Val.Sign() > 0 && top.P99Ms.Val.GreaterThan(top.P50Ms.Val):
		// A lognormal through p50 and p99: σ = ln(p99/p50) / z₀.₉₉, CV = √(e^σ² − 1).
		sigma := math.Log(top.P99Ms.Val.InexactFloat64()/top.P50Ms.Val.InexactFloat64()) / distuv.UnitNormal.Quantile(0.99)
		out.ServiceCV = decimal.NewFromFloat(math.Sqrt(math.Expm1(sigma * sigma))).Round(benchPlaces)
		out.CVFrom = fmt.Sprintf("the %s run gives no standard deviation; assumed lognormal latency through its p50 and p99", top.Label)
	default:
		out.ServiceCV = one
		out.CVFrom = fmt.Sprintf("the %s run gives neither a standard deviation nor p50 and p99; assumed 1 (exponential)", top.Label)
	}
	if out.ServiceCV.GreaterThan(decimal.NewFromInt(10)) {
		out.ServiceCV = decimal.NewFromInt(10)
		out.CVFrom += ", capped at 10"
	}

	// Calibration: the model's p99 at each measured rate.
	fixed := out.FixedMs.InexactFloat64()
	var sumErr float64
	var counted int
	for i := range out.Runs {
		r := &out.Runs[i]
		if out.TargetP99Ms.Valid && r.P99Ms.Valid {
			r.MeetsP99 = planner.Some(r.P99Ms.Val.LessThanOrEqual(out.TargetP99Ms.Val))
			if r.MeetsP99.Val && !r.LeftOut && (!out.GoodputRPS.Valid || r.NodeRPS.GreaterThan(out.GoodputRPS.Val)) {
				out.GoodputRPS = planner.Some(r.NodeRPS)
			}
		}
		// The run that set node_rps is the node at full load by
		// construction (slots × 1000 ÷ service_ms = its rate): it is
		// saturated by what it is, whatever rounding makes of ρ.
		if r.LeftOut {
			continue
		}
		if i == out.Max || r.NodeRPS.GreaterThanOrEqual(out.NodeRPSExact) {
			r.Saturated = true
			continue
		}
		_, p99, _, ok := queue.Latency(nodes*out.Slots, r.RPS.InexactFloat64(), out.ServiceMs.InexactFloat64(), out.ServiceCV.InexactFloat64())
		if !ok {
			r.Saturated = true
			continue
		}
		r.Predicted = planner.Some(fixed + p99)
		if r.P99Ms.Valid && r.P99Ms.Val.Sign() > 0 {
			m := r.P99Ms.Val.InexactFloat64()
			r.ErrorShare = planner.Some(math.Abs(r.Predicted.Val-m) / m)
			sumErr += r.ErrorShare.Val
			counted++
		}
	}
	if counted > 0 {
		out.MAPEPct = planner.Some(100 * sumErr / float64(counted))
		if out.MAPEPct.Val > MAPELimitPct {
			cap := "the highest rate measured"
			if out.GoodputRPS.Valid {
				cap = fmt.Sprintf("the measured goodput, %s req/s", out.GoodputRPS.Val.Round(benchPlaces).String())
			}
			out.Warning = fmt.Sprintf("the queueing model does not fit this server: its p99 is %.1f %% off the measured on average (over %d %%). "+
				"Plan on measurements instead: cap the node at %s (node_rps, with target_utilization 1)", out.MAPEPct.Val, MAPELimitPct, cap)
		}
	}
	return out, nil
}

// ErrEveryRunFailed is Import's refusal when every run is left out for
// its failed requests; the runs are still in the import it returns, marked,
// for showing. The command line and the app each add how to ask for a fit.
var ErrEveryRunFailed = fmt.Errorf("every run had more than %g %% of its requests errored or cancelled, so none says what the server sustains; "+
	"fit them anyway only if the failures were the test's own doing", 100*MaxFailedShare)

// heldShare is the share of the client's concurrency below which the calls
// a server measurably held, not the client's figure, set its slots.
var heldShare = decimal.New(9, -1)

// tokenSpread is how far apart two files' mean token lengths may be and
// still measure the same workload.
const tokenSpread = 0.10

// poolProblem says how load-test files differ in what they measured: the
// model, the endpoint or the tokens a request sends and receives. Runs
// pooled across them would not be one node's.
func poolProblem(files []File) string {
	if len(files) < 2 {
		return ""
	}
	var out []string
	differ := func(what string, get func(File) string) {
		seen := map[string]bool{}
		var list []string
		for _, f := range files {
			v := get(f)
			if v == "" {
				continue
			}
			seen[v] = true
			list = append(list, fmt.Sprintf("%s (%s)", v, f.Name))
		}
		if len(seen) > 1 {
			out = append(out, fmt.Sprintf("different %s: %s", what, strings.Join(list, ", ")))
		}
	}
	differ("models", func(f File) string { return f.Model })
	differ("endpoints", func(f File) string { return f.Endpoint })
	tokens := func(what string, get func(File) planner.Opt[decimal.Decimal]) {
		var lo, hi decimal.Decimal
		var list []string
		for _, f := range files {
			v := get(f)
			if !v.Valid {
				continue
			}
			if len(list) == 0 || v.Val.LessThan(lo) {
				lo = v.Val
			}
			if len(list) == 0 || v.Val.GreaterThan(hi) {
				hi = v.Val
			}
			list = append(list, fmt.Sprintf("%s (%s)", format.Trim(v.Val.Round(1)), f.Name))
		}
		if lo.Sign() > 0 && hi.Sub(lo).Div(lo).InexactFloat64() > tokenSpread {
			out = append(out, fmt.Sprintf("%s a request more than %g %% apart: %s", what, 100*tokenSpread, strings.Join(list, ", ")))
		}
	}
	tokens("input tokens", func(f File) planner.Opt[decimal.Decimal] { return f.InputTokens })
	tokens("output tokens", func(f File) planner.Opt[decimal.Decimal] { return f.OutputTokens })
	if len(out) == 0 {
		return ""
	}
	return "the files measure different servers or workloads — " + strings.Join(out, "; ")
}

// Inputs are the derived inputs as key and exact text, in the order they
// are written.
func (b *Fit) Inputs() [][2]string {
	if b.TokenTarget {
		return b.Tokens.inputs()
	}
	val := map[string]string{"node_rps": b.NodeRPS.String(), "slots": fmt.Sprint(b.Slots),
		"service_ms": b.ServiceMs.String(), "service_cv": b.ServiceCV.String()}
	out := make([][2]string, len(planner.MeasuredCallKeys))
	for i, k := range planner.MeasuredCallKeys {
		out[i] = [2]string{k, val[k]}
	}
	return out
}

// Provenance says where the inputs came from: tool, file, SHA-256, run date.
func (b *Fit) Provenance(today planner.Date) string {
	files := planner.FileWords(b.measuredFiles(), "; ")
	if b.TokenTarget {
		var set []string
		for _, kv := range b.Inputs() {
			set = append(set, kv[0]+" "+kv[1])
		}
		return fmt.Sprintf("Measured on %s: %s of %s from %s, %d node(s) in the test (fitted to the runs' TTFT and ITL; %s).",
			today, strings.Join(set, ", "), b.Target, files, b.NodesInTest, strings.Join(b.Tokens.Notes, "; "))
	}
	rps := b.NodeRPS.String()
	if !b.NodeRPSExact.IsZero() && !b.NodeRPSExact.Equal(b.NodeRPS) {
		rps += fmt.Sprintf(" (the file's %s, rounded to the %d places a plan holds)", b.NodeRPSExact, jsonfile.MaxPlaces)
	}
	return fmt.Sprintf("Measured on %s: node_rps %s, slots %d, service_ms %s, service_cv %s of %s from %s, %d node(s) in the test.",
		today, rps, b.Slots, b.ServiceMs, b.ServiceCV, b.Target, files, b.NodesInTest)
}

// Apply sets the derived inputs in the plan at the target and adds the
// provenance to the plan's notes. The plan is unchanged on error.
func Apply(p planner.Plan, b *Fit, t Target, today planner.Date) (planner.Plan, error) {
	if b.TokenTarget {
		switch {
		case t.Variant != "":
			return p, fmt.Errorf("%s: a variant does not carry the token serving inputs; write them to the plan's defaults or a phase", t.Path(&p))
		case len(b.Inputs()) == 0:
			why := "no run gives TTFT and ITL"
			if b.Tokens != nil {
				why = strings.Join(b.Tokens.Undetermined, "; ")
			}
			return p, fmt.Errorf("%s serves tokens, and the runs fix none of its token inputs: %s", t.Path(&p), why)
		}
	}
	q := p.Clone()
	var err error
	for _, kv := range b.Inputs() {
		switch {
		case t.Variant != "":
			q, err = planner.SetVariant(q, t.Variant, kv[0], kv[1])
		case t.Phase >= 0:
			q, err = planner.SetInput(q, t.Phase, kv[0], kv[1])
		default:
			q, err = planner.SetInput(q, planner.PlanDefault, kv[0], kv[1])
		}
		if err != nil {
			if t.Variant != "" { // a variant's figure error does not name its path
				err = fmt.Errorf("%s.%s: %w", t.Path(&p), kv[0], err)
			}
			return p, err
		}
	}
	note := b.Provenance(today)
	if q.Notes != "" {
		note = q.Notes + "\n\n" + note
	}
	if msg := planner.TextProblem(note); msg != "" {
		return p, fmt.Errorf("notes: with the measurement's provenance the plan's notes %s", msg)
	}
	q.Notes = note
	q = recordMeasured(q, b, t, today)
	if err := planner.Validate(q); err != nil {
		return p, err
	}
	return q, nil
}

// planInputTokens is the input tokens a call of the target: its phase's,
// its variant's, or, for the plan's defaults, the first phase's.
func planInputTokens(p *planner.Plan, t Target) planner.Opt[int64] {
	if t.Variant != "" {
		if v, ok := p.Variant(t.Variant); ok && v.Figures.InputTokens.Valid {
			return planner.Some(v.Figures.InputTokens.Val.IntPart())
		}
		return planner.Opt[int64]{}
	}
	if len(p.Phases) == 0 {
		return planner.Opt[int64]{}
	}
	a := p.Effective(max(t.Phase, 0))
	return a.InputTokens()
}

// servesTokens says whether the target runs in token mode: writing the
// per-call inputs there would size nothing and contradict the serving
// rules' capacity.
func servesTokens(p *planner.Plan, t Target) bool {
	if t.Phase >= 0 && t.Phase < len(p.Phases) && t.Variant == "" {
		a := p.Effective(t.Phase)
		return a.TokenMode()
	}
	for i := range p.Phases {
		if a := p.Effective(i); a.TokenMode() && (t.Variant == "" || p.Phases[i].Variant == t.Variant) {
			return true
		}
	}
	return false
}
