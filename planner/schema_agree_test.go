package planner_test

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/schema"
)

// The engine and the schema read the hostile battery (hostile_test.go)
// alike, but for the rules a schema cannot say. The files one accepts and
// the other refuses are listed in docs/plan-format.md, each with its
// reason; this test fails when the list there differs from what they do,
// and when the schema ever refuses a file the engine reads (it would
// then be wrong, not merely weaker). SCALEPLAN_UPDATE_DOCS=1 prints the
// list to paste.
func TestTheEngineAndTheSchemaAgreeOnTheHostileBattery(t *testing.T) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema.JSON()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schema.ID, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(schema.ID)
	if err != nil {
		t.Fatal(err)
	}
	inputs := planner.HostileInputs(t)
	var names []string
	for name := range inputs {
		names = append(names, name)
	}
	sort.Strings(names)
	var engineOnly, schemaOnly []string
	for _, name := range names {
		data := inputs[name]
		if len(data) > 1<<20 {
			continue // the floods: the engine refuses them by size and count; a schema has no limits of that kind
		}
		_, perr := planner.Parse(data)
		// JSON is UTF-8 (RFC 8259, 8.1): a file that is not is no JSON
		// for a schema to judge, though a decoder may replace its bytes.
		schemaOK := false
		if !utf8.Valid(data) {
			// refused before the schema
		} else if v, err := jsonschema.UnmarshalJSON(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))); err == nil {
			schemaOK = s.Validate(v) == nil
		}
		switch {
		case perr == nil && !schemaOK:
			engineOnly = append(engineOnly, name)
		case perr != nil && schemaOK:
			schemaOnly = append(schemaOnly, name)
		}
	}
	if len(engineOnly) > 0 {
		t.Errorf("the schema refuses %d files the engine reads: %s", len(engineOnly), strings.Join(engineOnly, "; "))
	}
	got := strings.Join(schemaOnly, "\n")
	if os.Getenv("SCALEPLAN_UPDATE_DOCS") == "1" {
		fmt.Println(got)
	}
	page, err := os.ReadFile("../docs/plan-format.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- schema-differences -->\n(.*?)<!-- /schema-differences -->").FindSubmatch(page)
	if m == nil {
		t.Fatal("docs/plan-format.md has no <!-- schema-differences --> list")
	}
	var listed []string
	for _, line := range strings.Split(string(m[1]), "\n") {
		if name, ok := strings.CutPrefix(line, "| `"); ok {
			listed = append(listed, name[:strings.Index(name, "`")])
		}
	}
	sort.Strings(listed)
	if want := strings.Join(listed, "\n"); want != got {
		t.Errorf("the files the engine refuses and the schema accepts are not the ones docs/plan-format.md lists:\nnow:\n%s\nlisted:\n%s", got, want)
	}
}
