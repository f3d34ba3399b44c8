package ui

// Components: add, edit, delete and reorder the design elements a plan ties
// to a cost, from the grid (Enter and Delete on a component's row) and the
// Edit menu. Every change is one undoable step through the planner.

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/scaleplan/scaleplan/planner"
)

// componentForm is the dialog that edits one component, or a new one.
type componentForm struct {
	w     *Window
	index int // the component edited; −1 for a new one

	name, price, phases, latency, bytes, retention, notes *formEntry
	group, driver                                         *widget.Select
}

// groupLabels and driverLabels are what the form's menus show.
func groupLabels() []string {
	out := make([]string, len(planner.Groups))
	for i, g := range planner.Groups {
		out[i] = planner.GroupLabel(g)
	}
	return out
}

func driverLabel(d *planner.Driver) string { return d.Key + " — " + d.Label }

func driverLabels() []string {
	out := make([]string, len(planner.Drivers))
	for i := range planner.Drivers {
		out[i] = driverLabel(&planner.Drivers[i])
	}
	return out
}

func driverOf(label string) *planner.Driver {
	for i := range planner.Drivers {
		if driverLabel(&planner.Drivers[i]) == label {
			return &planner.Drivers[i]
		}
	}
	return nil
}

// newComponentForm fills a form from c.
func newComponentForm(w *Window, index int, c planner.Component) *componentForm {
	f := &componentForm{w: w, index: index,
		name: newFormEntry(false), price: newFormEntry(false), phases: newFormEntry(false), latency: newFormEntry(false),
		bytes: newFormEntry(false), retention: newFormEntry(false), notes: newFormEntry(true)}
	f.group = widget.NewSelect(groupLabels(), nil)
	f.driver = widget.NewSelect(driverLabels(), func(string) { f.enable() })
	f.name.SetText(c.Name)
	f.group.SetSelected(planner.GroupLabel(c.Group))
	if d, ok := planner.LookupDriver(c.Driver); ok {
		f.driver.SetSelected(driverLabel(d))
	}
	f.price.SetText(c.Price.String())
	f.phases.SetText(strings.Join(c.Phases, ", "))
	f.phases.SetPlaceHolder("all phases, or names separated by commas")
	if c.LatencyMs.Valid {
		f.latency.SetText(c.LatencyMs.Val.String())
	}
	f.latency.SetPlaceHolder("blank: not on the request path")
	f.bytes.SetText(fmt.Sprint(c.BytesPerCall))
	f.retention.SetText(fmt.Sprint(c.RetentionDays))
	f.notes.SetText(c.Notes)
	// An uncertain figure is offered as its range.
	for _, e := range []struct {
		key   string
		entry *formEntry
	}{{"price", f.price}, {"latency_ms", f.latency}, {"bytes_per_call", f.bytes}, {"retention_days", f.retention}} {
		if text, ok := w.doc.Plan.RangeEditText("components[" + c.Name + "]." + e.key); ok && index >= 0 {
			e.entry.SetText(text)
		}
	}
	f.notes.SetMinRowsVisible(3)
	f.notes.SetPlaceHolder("where the price comes from, and as of when")
	f.enable()
	return f
}

// enable offers bytes and retention only to the drivers that use them.
func (f *componentForm) enable() {
	d := driverOf(f.driver.Selected)
	for _, e := range []struct {
		entry *formEntry
		on    bool
	}{{f.bytes, d != nil && d.Bytes}, {f.retention, d != nil && d.Retention}} {
		if e.on {
			e.entry.Enable()
		} else {
			e.entry.Disable()
		}
	}
}

// edits are the form's values as component keys and text, in the order
// they are applied: the driver before what it needs.
func (f *componentForm) edits() [][2]string {
	d := driverOf(f.driver.Selected)
	driver := ""
	if d != nil {
		driver = d.Key
	}
	out := [][2]string{{"name", f.name.Text}, {"group", f.group.Selected}, {"driver", driver}, {"price", f.price.Text},
		{"phases", f.phases.Text}, {"latency_ms", f.latency.Text}, {"notes", f.notes.Text}}
	if d != nil && d.Bytes {
		out = append(out, [2]string{"bytes_per_call", f.bytes.Text})
	}
	if d != nil && d.Retention {
		out = append(out, [2]string{"retention_days", f.retention.Text})
	}
	return out
}

// apply makes the form's values the component, in one undoable step, and
// returns the component's index.
func (f *componentForm) apply() (int, error) {
	j := f.index
	err := f.w.doc.Edit(func(p planner.Plan) (planner.Plan, error) {
		var err error
		if j < 0 {
			if p, j, err = planner.AddComponent(p, planner.NewComponent(p)); err != nil {
				return p, err
			}
		}
		for _, kv := range f.edits() {
			if p, err = planner.SetComponentText(p, j, kv[0], kv[1]); err != nil { // a range makes it uncertain
				return p, err
			}
		}
		return p, nil
	})
	return j, err
}

// show opens the form; a refused value opens it again with what was typed
// and the reason, so nothing typed is lost.
func (f *componentForm) show(problem string) {
	title, confirm := "Edit component", "Apply"
	if f.index < 0 {
		title, confirm = "Add component", "Add"
	}
	items := []*widget.FormItem{
		widget.NewFormItem("Name", f.name), widget.NewFormItem("Group", f.group), widget.NewFormItem("Driver", f.driver),
		widget.NewFormItem("Price", f.price), widget.NewFormItem("Phases", f.phases), widget.NewFormItem("Latency (ms)", f.latency),
		widget.NewFormItem("Bytes per call", f.bytes), widget.NewFormItem("Retention (days)", f.retention), widget.NewFormItem("Notes", f.notes),
	}
	if problem != "" {
		msg := widget.NewLabel(problem)
		msg.Importance = widget.DangerImportance
		msg.Wrapping = fyne.TextWrapWord
		items = append([]*widget.FormItem{widget.NewFormItem("Not applied", msg)}, items...)
	}
	d := dialog.NewForm(title, confirm, "Cancel", items, func(ok bool) {
		if !ok {
			return
		}
		j, err := f.apply()
		if err != nil {
			f.show(err.Error())
			return
		}
		f.w.grid.SelectComponent(j)
	}, f.w.win)
	wireFormKeys(d, items)
	d.Resize(fyne.NewSize(620, 600))
	f.w.show(d)
}

// addComponent opens the form on a new component.
func (w *Window) addComponent() {
	newComponentForm(w, -1, planner.NewComponent(w.doc.Latest())).show("")
}

// selectedComponent is the component whose row is selected, or −1 with a
// hint said.
func (w *Window) selectedComponent() int {
	j := w.grid.Component(w.grid.Selected())
	if j < 0 {
		w.setError("Select a component's row in the grid first (or add one: Edit → Add component).")
	}
	return j
}

// editComponent opens the form on component j.
func (w *Window) editComponent(j int) {
	p := w.doc.Latest()
	if j < 0 || j >= len(p.Components) {
		return
	}
	newComponentForm(w, j, p.Components[j]).show("")
}

// deleteComponent removes component j; Ctrl+Z brings it back.
func (w *Window) deleteComponent(j int) {
	p := w.doc.Latest()
	if j < 0 || j >= len(p.Components) {
		return
	}
	name := p.Components[j].Name
	w.doc.Apply(planner.DeleteComponent(p, j))
	w.setError(fmt.Sprintf("Deleted the component %q; Ctrl+Z brings it back.", name))
}

// moveComponent moves component j by delta places in the plan (and so in
// its group and the Costs chart).
func (w *Window) moveComponent(j, delta int) {
	p, k := planner.MoveComponent(w.doc.Latest(), j, delta)
	if k != j {
		w.doc.Apply(p)
		w.grid.SelectComponent(k)
	}
}
