package planner

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scaleplan/scaleplan/planner/jsonfile"
)

func TestSaveLoadRoundTripIsExact(t *testing.T) {
	t.Parallel()
	for _, name := range examplePlans(t) {
		t.Run(filepath.Base(name), func(t *testing.T) {
			p, err := Load(name)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			path := filepath.Join(dir, "plan.json")
			if err := Save(path, p); err != nil {
				t.Fatal(err)
			}
			first, _ := os.ReadFile(path)
			q, err := Load(path)
			if err != nil {
				t.Fatalf("reloading a saved plan: %v", err)
			}
			if err := Save(path, q); err != nil {
				t.Fatal(err)
			}
			second, _ := os.ReadFile(path)
			if !bytes.Equal(first, second) {
				t.Errorf("load→save→load→save changed the file:\n%s\n---\n%s", first, second)
			}
			assertSamePlan(t, p, q)
		})
	}
}

func examplePlans(t testing.TB) []string {
	names, _ := filepath.Glob("../testdata/*.json")
	var plans []string
	for _, n := range names {
		if !strings.Contains(filepath.Base(n), "invalid") {
			plans = append(plans, n)
		}
	}
	if len(plans) < 3 {
		t.Fatalf("expected at least three example plans, found %v", plans)
	}
	return plans
}

// assertSamePlan compares two plans value by value (decimals by value, not
// by representation).
func assertSamePlan(t *testing.T, a, b Plan) {
	t.Helper()
	if !bytes.Equal(Marshal(a), Marshal(b)) {
		t.Errorf("plans differ:\n%s\n---\n%s", Marshal(a), Marshal(b))
	}
	if a.Name != b.Name || a.StartDate != b.StartDate || len(a.Phases) != len(b.Phases) ||
		!a.Assumptions.NodeHourly.Equal(b.Assumptions.NodeHourly) || !a.Assumptions.HourlyProfile.Equal(b.Assumptions.HourlyProfile) {
		t.Errorf("plans differ in value")
	}
}

func TestMarshalIsCanonicalAndExact(t *testing.T) {
	t.Parallel()
	src := strings.Replace(minimal, `"node_hourly": 1`, `"node_hourly": "6.8800"`, 1)
	src = strings.Replace(src, `"name": "Minimal"`, `"name": "A <b> & \"c\" ✓"`, 1)
	p, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	out := string(Marshal(p))
	for _, want := range []string{
		`"node_hourly": 6.88,`, // the exact value, as a JSON number
		`"name": "A <b> & \"c\" ✓",`,
		`"hourly_profile": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],`,
		"{\n  \"format\": 1,\n  \"name\"",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("saved plan lacks %q:\n%s", want, out)
		}
	}
	// Keys appear in the documented order.
	order := []string{`"format"`, `"name"`, `"currency"`, `"start_date"`, `"assumptions"`, `"node_type"`, `"node_hourly"`, `"fixed_monthly"`, `"phases"`, `"days"`, `"calls_per_day"`, `"scaling"`, `"one_time"`}
	last := -1
	for _, k := range order {
		i := strings.Index(out, k)
		if i < last {
			t.Errorf("%s is out of order in:\n%s", k, out)
		}
		last = i
	}
}

func TestSaveIsAtomicAndKeepsTheOldFileOnFailure(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "plan.json")
	if err := os.WriteFile(path, []byte("old contents"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, _ := Parse([]byte(minimal))
	if err := Save(path, p); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	if st.Mode().Perm() != 0o600 {
		t.Errorf("save changed the file's permissions to %v", st.Mode().Perm())
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("save left temporary files behind: %v", entries)
	}

	// A directory that cannot be written: the save fails and changes nothing.
	if os.Geteuid() != 0 { // root can write anywhere; the rename case below covers it
		ro := t.TempDir()
		target := filepath.Join(ro, "plan.json")
		os.WriteFile(target, []byte("keep me"), 0o644)
		os.Chmod(ro, 0o500)
		defer os.Chmod(ro, 0o700)
		if err := Save(target, p); err == nil {
			t.Errorf("save into a read-only directory succeeded")
		}
		if b, _ := os.ReadFile(target); string(b) != "keep me" {
			t.Errorf("failed save changed the file to %q", b)
		}
	}
	// The target is a directory: the rename fails, the temp file is removed.
	asDir := filepath.Join(dir, "adir")
	os.Mkdir(asDir, 0o755)
	if err := Save(asDir, p); err == nil {
		t.Errorf("saving over a directory succeeded")
	}
	entries, _ = os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("a failed save left files behind: %v", entries)
	}
}

func TestLoadNamesMissingAndOversizedFiles(t *testing.T) {
	t.Parallel()
	if _, err := Load(filepath.Join(t.TempDir(), "nope.json")); !os.IsNotExist(err) {
		t.Errorf("missing file: %v", err)
	}
	big := bytes.Repeat([]byte(" "), MaxFileSize+10)
	if _, err := Read(bytes.NewReader(big)); err == nil || !strings.Contains(err.Error(), "larger than 32 MiB") {
		t.Errorf("oversized file: %v", err)
	}
}

// Every example plan is in the form Save writes, so opening one and saving
// it without changes gives the same bytes (issue #10, 2c).
func TestExamplePlansAreCanonical(t *testing.T) {
	t.Parallel()
	names, _ := filepath.Glob("../testdata/*.json")
	checked := 0
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		p, err := Parse(data)
		if err != nil {
			continue // the invalid example
		}
		checked++
		if out := Marshal(p); !bytes.Equal(out, data) {
			t.Errorf("%s is not canonical: load → save changes it (rewrite it with Marshal)", n)
		}
	}
	if checked < 3 {
		t.Errorf("only %d example plans checked", checked)
	}
}

// Saving through a symlink replaces the file it points at and keeps the
// link; the mode is kept; stale temporary files of a killed write are
// cleared (issue #10, item 7).
func TestSaveFollowsLinksAndClearsStaleTemps(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	p := loadSeed(t)
	real := filepath.Join(dir, "real.json")
	if err := Save(real, p); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, ".real.json.tmp-123")
	os.WriteFile(stale, []byte("half"), 0o644)
	old := time.Now().Add(-time.Hour)
	os.Chtimes(stale, old, old)
	p.Name = "Renamed"
	if err := Save(link, p); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced by a file")
	}
	if q, err := Load(real); err != nil || q.Name != "Renamed" {
		t.Errorf("the link's target was not updated: %v", err)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("a stale temporary file was left")
	}
	if st, _ := os.Stat(real); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", st.Mode().Perm())
	}
	// A hard link to the plan sees the saved plan too.
	hard := filepath.Join(dir, "hard.json")
	if err := os.Link(real, hard); err != nil {
		t.Fatal(err)
	}
	p.Name = "Renamed again"
	if err := Save(real, p); err != nil {
		t.Fatal(err)
	}
	if q, err := Load(hard); err != nil || q.Name != "Renamed again" {
		t.Errorf("the hard link kept the old plan: %v %q", err, q.Name)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".real.json.tmp-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// A failed save names the plan, not the temporary file beside it.
func TestAFailedWriteNamesThePlan(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "gone", "plan.json")
	err := jsonfile.WriteFileAtomic(path, []byte("{}"))
	if err == nil || !strings.HasPrefix(err.Error(), path+" could not be written: ") || strings.Contains(err.Error(), ".tmp-") {
		t.Errorf("%v, want the plan's path and no temporary file", err)
	}
}
