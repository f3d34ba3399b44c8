package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scaleplan/scaleplan/planner"
)

const staleBook = `{"format": 1, "name": "mine", "offers": [
  {"provider": "acme", "instance": "gpu-1", "region": "east", "gpus": {"count": 2, "model": "H100 SXM", "memory_gib": 80},
   "on_demand": {"hourly": 8, "as_of": "2026-01-01", "source": "a quote from acme"},
   "commitments": [{"name": "1y", "kind": "reserved", "term_months": 12, "payment": "all", "upfront": 35040, "hourly": 0, "as_of": "2026-11-20", "source": "the same quote"}]}
]}`

func writeBook(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "book.json")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// prices check fails on a price older than the limit and passes a fresh
// one; ages are counted from --today.
func TestPricesCheck(t *testing.T) {
	book := writeBook(t, staleBook)
	// 2026-01-01 to 2026-11-26 is 329 days.
	code, out, errs := run("prices", "check", "--book", book, "--today", "2026-11-26", "--max-age", "180d")
	if code != ExitInvalid || !strings.Contains(out, "mine book, offers[0].on_demand (acme gpu-1 in east, on_demand): $8.00 as of 2026-01-01, 329 days old, over the 180-day limit") {
		t.Errorf("stale: exit %d\n%s%s", code, out, errs)
	}
	if strings.Contains(out, "commitments[0]") || strings.Contains(out, "builtin book, offers[0].on_demand (aws p5.4xlarge in us-east-1, on_demand): $6.88 as of") {
		t.Errorf("a fresh price was listed as stale:\n%s", out)
	}
	if code, out, _ := run("prices", "check", "--book", book, "--today", "2026-11-26", "--max-age", "329d"); code != ExitOK || !strings.Contains(out, "at most 329 days old") {
		t.Errorf("at the limit: exit %d\n%s", code, out)
	}
	// The built-in book is fresh when it ships; its prices that cannot be
	// followed to a file a reader can open are flagged, not failed.
	if code, out, _ := run("prices", "check", "--today", "2026-11-26"); code != ExitOK ||
		!strings.Contains(out, "builtin book, offers[0].on_demand (aws p5.4xlarge in us-east-1, on_demand): $6.88 is unverified: read from an unnamed published cost table") {
		t.Errorf("the built-in book at 180 days: exit %d\n%s", code, out)
	}
	if _, out, _ := run("prices", "show", "p5.4xlarge"); !strings.Contains(out, "UNVERIFIED: read from an unnamed published cost table") {
		t.Errorf("prices show does not say the price is unverified:\n%s", out)
	}
	// An unverified price says why; a reason without the flag is refused.
	for _, c := range []struct{ from, to, want string }{
		{`"source": "a quote from acme"}`, `"source": "a quote from acme", "unverified": true}`, "unverified_reason: missing"},
		{`"source": "a quote from acme"}`, `"source": "a quote from acme", "unverified_reason": "a guess"}`, "unverified: must be true"},
	} {
		book := writeBook(t, strings.Replace(staleBook, c.from, c.to, 1))
		if code, _, errs := run("prices", "check", "--book", book); code == ExitOK || !strings.Contains(errs, c.want) {
			t.Errorf("%s: exit %d, %q; want %q", c.to, code, errs, c.want)
		}
	}
	for _, bad := range [][]string{{"prices", "check", "--max-age", "soon"}, {"prices", "check", "--today", "tomorrow"}, {"prices", "nope"}, {"prices"}} {
		if code, _, errs := run(bad...); code != ExitUsage || errs == "" {
			t.Errorf("%v: exit %d, %q", bad, code, errs)
		}
	}
	broken := writeBook(t, strings.Replace(staleBook, `"kind": "reserved"`, `"kind": "lease"`, 1))
	// A problem in a book is a problem in a file: exit 1 with the problem,
	// not 2 with the whole usage.
	if code, _, errs := run("prices", "list", "--book", broken); code != ExitInvalid || !strings.Contains(errs, "offers[0].commitments[0].kind") || strings.Contains(errs, "Usage") {
		t.Errorf("a broken book: exit %d, %q", code, errs)
	}
}

// A book of one's own may not take the built-in book's name, nor the name
// of a book already read: its prices would pass for the other's.
func TestABookMayNotTakeAnotherBooksName(t *testing.T) {
	forged := writeBook(t, strings.Replace(staleBook, `"name": "mine"`, `"name": "builtin"`, 1))
	if !strings.Contains(staleBook, `"name": "mine"`) {
		t.Fatal("the test book's name changed")
	}
	if code, out, errs := run("prices", "list", "--book", forged); code != ExitInvalid || !strings.Contains(errs, `"builtin" is the built-in book's name`) || out != "" {
		t.Errorf("a book named builtin: exit %d, %q%q", code, out, errs)
	}
	a, b := writeBook(t, staleBook), writeBook(t, staleBook)
	if code, _, errs := run("prices", "list", "--book", a, "--book", b); code != ExitInvalid || !strings.Contains(errs, `a book named "mine" is already read (`+a+`)`) {
		t.Errorf("two books named alike: exit %d, %q", code, errs)
	}
}

// prices show: every option with its date and source; an all-upfront
// commitment of $35,040 for 8,760 hours is $4 a node-hour effective, half
// of the $8 on-demand price.
func TestPricesShowAndList(t *testing.T) {
	book := writeBook(t, staleBook)
	code, out, errs := run("prices", "show", "gpu-1", "--book", book)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"gpu-1 (2× H100 SXM 80 GiB, acme east)", "On demand: $8.00 a node-hour ($4.00 a GPU-hour)", "source: a quote from acme",
		"Committed (1y): $0.00 a node-hour", "effective $4.00 a node-hour, 50.0 % of on demand", "as of 2026-11-20"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = run("prices", "list", "--gpu", "L4")
	if code != ExitOK || !strings.Contains(out, "g6.xlarge") || strings.Contains(out, "p5.4xlarge") || !strings.Contains(out, "1 offers") {
		t.Errorf("list --gpu L4: exit %d\n%s", code, out)
	}
	if code, _, errs := run("prices", "show", "p9.nope"); code != ExitInvalid || !strings.Contains(errs, "no p9.nope") {
		t.Errorf("unknown instance: exit %d, %q", code, errs)
	}
}

// prices check PLAN: a plan whose cited offer the books cannot resolve, or
// whose cited price is older than the limit, fails; the example passes.
func TestPricesCheckPlans(t *testing.T) {
	cited := "../testdata/book-prices-roadmap.json"
	if code, out, errs := run("prices", "check", "--today", "2026-11-26", cited); code != ExitOK || !strings.Contains(out, "every price the plans cite resolves") {
		t.Errorf("the example: exit %d\n%s%s", code, out, errs)
	}
	// 2026-09-29 to 2027-06-01 is 245 days.
	code, out, _ := run("prices", "check", "--today", "2027-06-01", "--max-age", "400d", cited)
	if code != ExitOK {
		t.Errorf("within 400 days: exit %d\n%s", code, out)
	}
	code, out, _ = run("prices", "check", "--today", "2027-06-01", "--max-age", "200d", cited)
	if code != ExitInvalid || !strings.Contains(out, "assumptions.node_hourly, p5.4xlarge on_demand (builtin book, us-east-1): the plan uses $6.88 as of 2026-09-29, 245 days old, over the 200-day limit") {
		t.Errorf("over 200 days: exit %d\n%s", code, out)
	}
	data, _ := os.ReadFile(cited)
	lost := writeBook(t, strings.Replace(string(data), `"instance": "g6e.xlarge"`, `"instance": "g6e.gone"`, 1))
	code, out, _ = run("prices", "check", "--today", "2026-11-26", lost)
	if code != ExitInvalid || !strings.Contains(out, "variants[distilled].node_hourly, g6e.gone on_demand (builtin book, us-east-1): the plan uses $1.861 (2026-09-29), but the builtin book has no g6e.gone") {
		t.Errorf("a lost offer: exit %d\n%s", code, out)
	}
	// compute on it says so, and keeps the plan's price.
	code, _, errs := run("compute", lost)
	if code != ExitOK || !strings.Contains(errs, "the builtin book has no g6e.gone") {
		t.Errorf("compute on a lost offer: exit %d, %q", code, errs)
	}
}

// compute and explain say where each cited price comes from, and the JSON
// carries it: the p5.4xlarge at $6.88 as of 2026-09-29 from the built-in
// book's AWS source.
func TestComputeSaysWhereCitedPricesComeFrom(t *testing.T) {
	cited := "../testdata/book-prices-roadmap.json"
	want := "p5.4xlarge on_demand (builtin book, us-east-1): $6.88 a node-hour as of 2026-09-29; source: https://aws.amazon.com/ec2/pricing/on-demand/"
	for _, cmd := range []string{"compute", "explain"} {
		if code, out, _ := run(cmd, cited); code != ExitOK || !strings.Contains(out, want) {
			t.Errorf("%s: exit %d, lacks %q", cmd, code, want)
		}
	}
	_, out, _ := run("compute", "--json", cited)
	var r struct {
		Prices []struct{ Path, Instance, Option, Hourly, AsOf, Source string }
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Prices) != 2 || r.Prices[0].Path != "assumptions.node_hourly" || r.Prices[0].Hourly != "6.88" || r.Prices[1].Instance != "g6e.xlarge" {
		t.Errorf("prices: %+v", r.Prices)
	}
	// A plan without citations has no prices key.
	if _, out, _ := run("compute", "--json", seed); strings.Contains(out, `"prices"`) {
		t.Error("the seed's JSON has prices")
	}
}

// commit --option takes a committed-use option of the offer the plan's
// node price cites: its effective rate and its term. An all-upfront year
// of $24,107.52 at $0 an hour is $24,107.52 / 8,760 = $2.752 a node-hour,
// 40 % of $6.88: the same as --rate 2.752 --term 12.
func TestCommitOption(t *testing.T) {
	book := writeBook(t, `{"format": 1, "name": "quotes", "offers": [
	  {"provider": "aws", "instance": "p5.4xlarge", "region": "us-east-1", "gpus": {"count": 1, "model": "H100 SXM", "memory_gib": 80},
	   "on_demand": {"hourly": 6.88, "as_of": "2026-11-20", "source": "a quote"},
	   "commitments": [{"name": "1y-all-upfront", "kind": "reserved", "term_months": 12, "payment": "all", "upfront": 24107.52, "hourly": 0, "as_of": "2026-11-20", "source": "a quote"}]}]}`)
	data, _ := os.ReadFile("../testdata/book-prices-roadmap.json")
	plan := writeBook(t, strings.Replace(string(data), `{"book": "builtin", "instance": "p5.4xlarge"`, `{"book": "quotes", "instance": "p5.4xlarge"`, 1))
	code, out, errs := run("commit", plan, "--option", "1y-all-upfront", "--book", book, "--json")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if !strings.Contains(errs, "effective $2.752 a node-hour") || strings.Contains(errs, "no price book") {
		t.Errorf("stderr %q", errs)
	}
	_, want, _ := run("commit", plan, "--rate", "2.752", "--term", "12", "--book", book, "--json")
	if out != want {
		t.Errorf("--option gave\n%s\n--rate 2.752 gave\n%s", out, want)
	}
	for _, c := range []struct {
		args []string
		says string
	}{
		{[]string{"commit", plan, "--option", "3y", "--book", book}, `has no option "3y"; it has "1y-all-upfront"`},
		{[]string{"commit", seed, "--option", "1y-all-upfront"}, "does not cite a price book"},
		{[]string{"commit", plan, "--option", "x", "--rate", "2", "--book", book}, "not both"},
	} {
		if code, _, errs := run(c.args...); code != ExitUsage || !strings.Contains(errs, c.says) {
			t.Errorf("%v: exit %d, %q", c.args, code, errs)
		}
	}
}

// A citation no book resolves computes with the price the plan was saved
// with, and says that — not "computing with the book's".
func TestAnUnresolvedCitationSaysItKeepsTheSavedPrice(t *testing.T) {
	data, err := os.ReadFile("../testdata/book-prices-roadmap.json")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), `"book": "builtin", "instance": "p5.4xlarge"`, `"book": "mine", "instance": "p5.4xlarge"`, 1)
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs := run("compute", path)
	if code != ExitOK || !strings.Contains(errs, "no price book gives a price the plan cites; computing with the price the plan was saved with:") ||
		!strings.Contains(errs, "assumptions.node_hourly, p5.4xlarge on_demand (mine book, us-east-1): the plan uses $6.88") ||
		strings.Contains(errs, "computing with the book's") {
		t.Errorf("exit %d, %q", code, errs)
	}
}

// A date of 0001-01-01 is a date: printed, not "()".
func TestTheFirstDayIsPrinted(t *testing.T) {
	data, err := os.ReadFile("../testdata/book-prices-roadmap.json")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(data), `"book": "builtin", "instance": "p5.4xlarge", "region": "us-east-1", "option": "on_demand", "hourly": 6.88, "as_of": "2026-09-29"`,
		`"book": "mine", "instance": "p5.4xlarge", "region": "us-east-1", "option": "on_demand", "hourly": 6.88, "as_of": "0001-01-01"`, 1)
	path := filepath.Join(t.TempDir(), "plan.json")
	os.WriteFile(path, []byte(text), 0o644)
	if _, _, errs := run("compute", path); !strings.Contains(errs, "the plan uses $6.88 (0001-01-01)") || strings.Contains(errs, "()") {
		t.Errorf("%q", errs)
	}
	p, err := planner.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(planner.Marshal(p)); !strings.Contains(got, `"as_of": "0001-01-01"`) {
		t.Error("0001-01-01 does not survive a save")
	}
}
