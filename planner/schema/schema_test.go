package schema

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/scaleplan/scaleplan/planner"
)

const docPath = "../../docs/plan.schema.json"

// Compile compiles the schema with a maintained validator (santhosh-
// tekuri/jsonschema, which passes the JSON Schema test suite for 2020-12).
func Compile(t testing.TB, data []byte) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(ID, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(ID)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Valid says whether a file is valid under the schema, and why not.
func Valid(s *jsonschema.Schema, data []byte) error {
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	if err != nil {
		return err
	}
	return s.Validate(v)
}

// docs/plan.schema.json is the schema made from the catalogues: a test
// makes it again and fails when the file differs (SCALEPLAN_UPDATE_DOCS=1
// writes it).
func TestTheSchemaFileIsMadeFromTheCatalogues(t *testing.T) {
	got := JSON()
	if os.Getenv("SCALEPLAN_UPDATE_DOCS") == "1" {
		if err := os.WriteFile(docPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("docs/plan.schema.json differs from the schema the catalogues make; run SCALEPLAN_UPDATE_DOCS=1 go test ./planner/schema")
	}
	Compile(t, got)
}

// Every plan file in testdata that scaleplan reads validates against the
// schema; the invalid example does not.
func TestEveryExamplePlanValidates(t *testing.T) {
	s := Compile(t, JSON())
	files, _ := filepath.Glob("../../testdata/*.json")
	more, _ := filepath.Glob("../../testdata/*/*.json")
	n := 0
	for _, f := range append(files, more...) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(data, []byte(`"phases"`)) || !bytes.Contains(data, []byte(`"start_date"`)) {
			continue // not a plan: a price book, a load test, a golden
		}
		_, perr := planner.Parse(data)
		serr := Valid(s, data)
		switch {
		case strings.HasSuffix(f, "invalid-plan.json"):
			if serr == nil {
				t.Errorf("%s: the schema accepts the invalid example", f)
			}
		case perr != nil:
			continue // refused by the reader for a rule across fields, or not meant as valid
		case serr != nil:
			t.Errorf("%s: scaleplan reads it, the schema refuses it:\n%v", f, serr)
		default:
			n++
		}
	}
	if n < 10 {
		t.Errorf("only %d plans validated", n)
	}
}

// A file naming its schema keeps the name through a save, and is format 2.
func TestSchemaKeyIsKept(t *testing.T) {
	data, _ := os.ReadFile("../../testdata/seed-roadmap.json")
	data = bytes.Replace(data, []byte("{\n"), []byte("{\n  \"$schema\": \""+ID+"\",\n"), 1)
	p, err := planner.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if p.Schema != ID {
		t.Fatalf("$schema read as %q", p.Schema)
	}
	if out := planner.Marshal(p); !bytes.Equal(out, data) {
		t.Errorf("a plan with $schema does not round-trip byte for byte")
	}
	if err := Valid(Compile(t, JSON()), data); err != nil {
		t.Error(err)
	}
	if _, err := planner.Parse(bytes.Replace(data, []byte(`"$schema": "`+ID+`"`), []byte(`"$schema": 5`), 1)); err == nil || !strings.Contains(err.Error(), "$schema") {
		t.Errorf("a $schema that is not text: %v", err)
	}
}

// The forms a plan may write a value in are the schema's too: a number in
// quotes, an exponent, a whole number written with a point, a null
// objective, the format as text. Each is read by scaleplan and accepted
// by the schema.
func TestTheSchemaTakesEveryFormTheReaderTakes(t *testing.T) {
	s := Compile(t, JSON())
	seed, _ := os.ReadFile("../../testdata/seed-roadmap.json")
	for _, c := range [][2]string{
		{`"format": 2`, `"format": "2"`},
		{`"format": 2`, `"format": 2.0`},
		{`"node_hourly": 6.88`, `"node_hourly": "6.88"`},
		{`"calls_per_day": 500000`, `"calls_per_day": 5e5`},
		{`"calls_per_day": 500000`, `"calls_per_day": "500000"`},
		{`"min_nodes": 2`, `"min_nodes": 2.0`},
		{`"min_utilization": 0.4`, `"min_utilization": null`},
		{`"node_hourly": 6.88`, `"node_hourly": {"low": 5.5, "high": 8, "dist": "triangular", "mode": 6.88}`},
	} {
		data := bytes.Replace(seed, []byte(c[0]), []byte(c[1]), 1)
		if bytes.Equal(data, seed) {
			t.Fatalf("%s is not in the seed", c[0])
		}
		if _, err := planner.Parse(data); err != nil {
			t.Errorf("%s: scaleplan refuses it: %v", c[1], err)
			continue
		}
		if err := Valid(s, data); err != nil {
			t.Errorf("%s: scaleplan reads it, the schema refuses it: %v", c[1], err)
		}
	}
}
