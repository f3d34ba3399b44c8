package planner

import (
	"os"
	"strings"
	"testing"
)

func seedWith(t *testing.T, mapping string) ([]byte, error) {
	t.Helper()
	b, err := os.ReadFile("../testdata/seed-roadmap.json")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, `  "actuals_mapping"`)
	j := strings.Index(s, `  "scenarios"`)
	if i < 0 || j < 0 {
		t.Fatal("the seed has no actuals_mapping before its scenarios")
	}
	return []byte(s[:i] + mapping + s[j:]), nil
}

func TestActualsMappingIsReadWrittenAndChecked(t *testing.T) {
	data, _ := seedWith(t, `  "actuals_mapping": [
    {"match": {"tag": "scaleplan-line", "value": "gpu"}, "line": "gpu"},
    {"match": {"ServiceName": "Datadog", "ResourceId": "arn:"}, "line": "fixed"}
  ],
`)
	p, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.ActualsMapping) != 2 || p.ActualsMapping[0].Match["value"] != "gpu" || p.ActualsMapping[1].Match["ResourceId"] != "arn:" || p.ActualsMapping[1].Line != "fixed" {
		t.Fatalf("read %+v", p.ActualsMapping)
	}
	q, err := Parse(Marshal(p))
	if err != nil || len(q.ActualsMapping) != 2 || q.ActualsMapping[1].Match["ServiceName"] != "Datadog" {
		t.Fatalf("round trip: %v %+v", err, q.ActualsMapping)
	}
	if !strings.Contains(string(Marshal(p)), `"actuals_mapping"`) {
		t.Error("not written")
	}
	// A plan whose only format-2 key is the mapping is written as format 2.
	one := NewPlan(NewDate(2027, 1, 4))
	if FormatOf(one) != 1 {
		t.Fatal("a new plan is format 1")
	}
	one.ActualsMapping = p.ActualsMapping
	if FormatOf(one) != 2 {
		t.Error("a mapping needs format 2")
	}
	for _, c := range []struct{ mapping, want string }{
		{`  "actuals_mapping": [{"match": {"ServiceName": "X"}, "line": "gpus"}],` + "\n", `actuals_mapping[0].line: no cost line is keyed "gpus"`},
		{`  "actuals_mapping": [{"match": {"ServiceName": "X"}, "line": "gpu", "component": "Y"}],` + "\n", `actuals_mapping[0]: must name either a "line"`},
		{`  "actuals_mapping": [{"match": {"ServiceName": "X"}}],` + "\n", `actuals_mapping[0]: must name either a "line"`},
		{`  "actuals_mapping": [{"match": {}, "line": "gpu"}],` + "\n", "actuals_mapping[0].match: must test at least one of"},
		{`  "actuals_mapping": [{"match": {"value": "gpu"}, "line": "gpu"}],` + "\n", "actuals_mapping[0].match.value: a value is a tag's"},
		{`  "actuals_mapping": [{"match": {"Service": "X"}, "line": "gpu"}],` + "\n", "actuals_mapping[0].match.Service"},
		{`  "actuals_mapping": [{"match": {"ServiceName": "X"}, "component": "Vector DB"}],` + "\n", `actuals_mapping[0].component: no component is named "Vector DB"`},
		{`  "actuals_mapping": [{"match": {"ServiceName": 5}, "line": "gpu"}],` + "\n", "actuals_mapping[0].match.ServiceName: must be text"},
		{`  "actuals_mapping": {"match": {}},` + "\n", "actuals_mapping"},
	} {
		data, _ := seedWith(t, c.mapping)
		if _, err := Parse(data); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", strings.TrimSpace(c.mapping), err, c.want)
		}
	}
}

// A rule naming a component follows the component's rename and goes with
// its deletion, so an edit never leaves the plan invalid.
func TestAMappingFollowsItsComponent(t *testing.T) {
	p := NewPlan(NewDate(2027, 1, 4))
	p, j, err := AddComponent(p, Component{Name: "Vector DB", Group: GroupServing, Driver: DriverPerMonth})
	if err != nil {
		t.Fatal(err)
	}
	p.ActualsMapping = []ActualsRule{{Match: map[string]string{"ServiceName": "Pinecone"}, Component: "Vector DB"}, {Match: map[string]string{"ServiceName": "S3"}, Line: "storage"}}
	q, err := SetComponent(p, j, "name", "Vectors")
	if err != nil {
		t.Fatal(err)
	}
	if q.ActualsMapping[0].Component != "Vectors" || p.ActualsMapping[0].Component != "Vector DB" {
		t.Errorf("rename: %+v (the original %+v)", q.ActualsMapping, p.ActualsMapping)
	}
	if err := Validate(q); err != nil {
		t.Error(err)
	}
	d := DeleteComponent(q, j)
	if len(d.ActualsMapping) != 1 || d.ActualsMapping[0].Line != "storage" || len(q.ActualsMapping) != 2 {
		t.Errorf("delete: %+v (before %+v)", d.ActualsMapping, q.ActualsMapping)
	}
}
