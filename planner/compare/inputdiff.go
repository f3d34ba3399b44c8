package compare

import (
	"fmt"
	"strings"

	"github.com/scaleplan/scaleplan/planner"
	"github.com/scaleplan/scaleplan/planner/jsonfile"
	"github.com/shopspring/decimal"
)

// InputChange is one input that differs: its path in the plan file (in B's
// layout; A's for what B removed) and its value in each as the file writes
// it, "" for absent.
type InputChange struct {
	Path, From, To string
}

// InputChanges compares the two plans as their files write them: every
// value by its path, numbers by value (6.88 and 6.880 are one number),
// phases, variants and components matched by name.
func InputChanges(a, b planner.Plan) []InputChange {
	fa, fb := flatPlan(a), flatPlan(b)
	var out []InputChange
	// A variant or component only one plan has is one change, by its name;
	// a phase only one plan has is listed as added or removed instead.
	for _, k := range fb.itemOrder {
		if _, ok := fa.items[k]; !ok && !strings.HasPrefix(k, "phases[") {
			out = append(out, InputChange{Path: fb.items[k], To: fb.itemNames[k]})
		}
	}
	for _, k := range fa.itemOrder {
		if _, ok := fb.items[k]; !ok && !strings.HasPrefix(k, "phases[") {
			out = append(out, InputChange{Path: fa.items[k], From: fa.itemNames[k]})
		}
	}
	seen := map[string]bool{}
	for _, k := range fb.order {
		seen[k] = true
		if _, both := fa.items[fb.itemOf[k]]; fb.itemOf[k] != "" && !both {
			continue
		}
		from, inA := fa.vals[k]
		to := fb.vals[k]
		if !inA {
			out = append(out, InputChange{Path: fb.paths[k], To: to})
		} else if !sameValue(from, to) {
			out = append(out, InputChange{Path: fb.paths[k], From: from, To: to})
		}
	}
	for _, k := range fa.order {
		if _, both := fb.items[fa.itemOf[k]]; fa.itemOf[k] != "" && !both {
			continue
		}
		if !seen[k] {
			out = append(out, InputChange{Path: fa.paths[k], From: fa.vals[k]})
		}
	}
	return out
}

// sameValue compares two values as a file writes them: numbers by value.
func sameValue(x, y string) bool {
	if x == y {
		return true
	}
	dx, errX := decimal.NewFromString(x)
	dy, errY := decimal.NewFromString(y)
	return errX == nil && errY == nil && dx.Equal(dy)
}

// flat is a plan's values by a key that matches like items across plans
// (phases by name), with the path the key is shown as.
type flat struct {
	order  []string
	vals   map[string]string
	paths  map[string]string
	itemOf map[string]string // a leaf's item (a phase, variant or component), "" for none

	itemOrder []string
	items     map[string]string // an item's path
	itemNames map[string]string
	item      string // the item being walked
}

func flatPlan(p planner.Plan) flat {
	tree, err := jsonfile.ParseTree(planner.Marshal(p))
	f := flat{vals: map[string]string{}, paths: map[string]string{}, itemOf: map[string]string{},
		items: map[string]string{}, itemNames: map[string]string{}}
	if err != nil {
		return f // Marshal writes valid JSON: cannot happen
	}
	f.walk(tree, "", "")
	return f
}

// walk records every leaf under v. key is the matching identity, path
// what people read; lists of objects are keyed by their items' names.
func (f *flat) walk(v any, key, path string) {
	switch t := v.(type) {
	case *jsonfile.Object:
		for _, k := range t.Keys {
			if key == "" && (k == "format" || k == "scenarios" || k == "measured" || k == "actuals_mapping") {
				continue // the format follows from the content; scenarios are not the plan's inputs, nor where its measured ones came from, nor how a bill maps to it
			}
			f.walk(t.Vals[k], jsonfile.Join(key, k), jsonfile.Join(path, k))
		}
	case []any:
		if len(t) > 0 {
			if _, isObj := t[0].(*jsonfile.Object); isObj {
				for i, e := range t {
					name := fmt.Sprint(i)
					if o, ok := e.(*jsonfile.Object); ok {
						if n, ok := o.Vals["name"].(string); ok {
							name = n
						}
					}
					ik, ip := fmt.Sprintf("%s[%q]", key, name), fmt.Sprintf("%s[%d]", path, i)
					if _, dup := f.items[ik]; !dup && f.item == "" {
						f.itemOrder = append(f.itemOrder, ik)
						f.items[ik], f.itemNames[ik] = ip, fmt.Sprintf("%q", name)
					}
					outer := f.item
					if outer == "" {
						f.item = ik
					}
					f.walk(e, ik, ip)
					f.item = outer
				}
				return
			}
		}
		parts := make([]string, len(t))
		for i, e := range t {
			parts[i] = leaf(e)
		}
		f.put(key, path, "["+strings.Join(parts, ", ")+"]")
	default:
		f.put(key, path, leaf(v))
	}
}

func (f *flat) put(key, path, val string) {
	if _, dup := f.vals[key]; dup {
		return // two items of one name: the first stands for both
	}
	f.order = append(f.order, key)
	f.vals[key], f.paths[key], f.itemOf[key] = val, path, f.item
}

func leaf(v any) string {
	switch t := v.(type) {
	case string:
		return fmt.Sprintf("%q", t)
	case nil:
		return "null"
	}
	return fmt.Sprint(v)
}
