// Package gpus is the table of accelerators an offer can name: memory,
// memory bandwidth, dense BF16 and FP8 throughput and interconnect, each
// figure with where it was read and when, like the price book's prices.
// It knows no plan; planner/estimate reads it to estimate how a model
// serves on a GPU, and the price books to check the GPUs their offers name.
package gpus

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

//go:embed catalog.json
var catalogJSON []byte

// Figure is one cell of the table. Known is false where the GPU has no
// such figure (an Ampere part has no FP8); Unverified marks a figure not
// read from the GPU's own datasheet (Note says why).
type Figure struct {
	Value      float64 `json:"value"`
	Known      bool    `json:"-"`
	Unverified bool    `json:"unverified,omitempty"`
	Note       string  `json:"note,omitempty"`
	Source     string  `json:"source"`
	AsOf       string  `json:"as_of"`
}

// GPU is one accelerator as sold: the form factor is part of its name (an
// H100 SXM and an H100 PCIe differ by a third in bandwidth).
type GPU struct {
	Name         string `json:"name"`
	Vendor       string `json:"vendor"`
	FormFactor   string `json:"form_factor"`
	MemoryGiB    Figure `json:"memory_gib"`
	BandwidthTBs Figure `json:"hbm_tb_s"`
	BF16TFLOPS   Figure `json:"bf16_dense_tflops"`
	FP8TFLOPS    Figure `json:"fp8_dense_tflops"`
	LinkGBs      Figure `json:"interconnect_gb_s"`
}

// Column is a figure of the table as every renderer lists it.
type Column struct {
	Key, Label, Unit string
	Of               func(*GPU) *Figure
}

// Columns are the table's figures, in the order the renderers show them.
var Columns = []Column{
	{"memory_gib", "Memory", "GiB", func(g *GPU) *Figure { return &g.MemoryGiB }},
	{"hbm_tb_s", "Memory bandwidth", "TB/s", func(g *GPU) *Figure { return &g.BandwidthTBs }},
	{"bf16_dense_tflops", "BF16, dense", "TFLOPS", func(g *GPU) *Figure { return &g.BF16TFLOPS }},
	{"fp8_dense_tflops", "FP8, dense", "TFLOPS", func(g *GPU) *Figure { return &g.FP8TFLOPS }},
	{"interconnect_gb_s", "Interconnect", "GB/s", func(g *GPU) *Figure { return &g.LinkGBs }},
}

type catalogFile struct {
	Notes string `json:"notes"`
	GPUs  []GPU  `json:"gpus"`
}

// table is the catalogue, read once from the embedded file.
var table = mustRead(catalogJSON)

func mustRead(b []byte) catalogFile {
	c, err := read(b)
	if err != nil {
		panic("gpus: the embedded catalogue: " + err.Error())
	}
	return c
}

// read parses a catalogue and checks every cell: a value > 0 or a note
// saying why there is none, a source, and a date.
func read(b []byte) (catalogFile, error) {
	var c catalogFile
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&c); err != nil {
		return c, err
	}
	var raw struct {
		GPUs []map[string]json.RawMessage `json:"gpus"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return c, err
	}
	seen := map[string]bool{}
	for i := range c.GPUs {
		g := &c.GPUs[i]
		if g.Name == "" || seen[strings.ToLower(g.Name)] {
			return c, fmt.Errorf("gpus[%d]: the name %q is empty or repeated", i, g.Name)
		}
		seen[strings.ToLower(g.Name)] = true
		for _, col := range Columns {
			f := col.Of(g)
			var v struct {
				Value *float64 `json:"value"`
			}
			if err := json.Unmarshal(raw.GPUs[i][col.Key], &v); err != nil {
				return c, fmt.Errorf("%s: %s: %v", g.Name, col.Key, err)
			}
			f.Known = v.Value != nil
			switch {
			case f.Known && !(f.Value > 0):
				return c, fmt.Errorf("%s: %s is %v; it must be > 0", g.Name, col.Key, f.Value)
			case !f.Known && f.Note == "":
				return c, fmt.Errorf("%s: %s has neither a value nor a note saying why", g.Name, col.Key)
			case f.Source == "":
				return c, fmt.Errorf("%s: %s has no source", g.Name, col.Key)
			}
			if _, err := time.Parse(time.DateOnly, f.AsOf); err != nil {
				return c, fmt.Errorf("%s: %s: as_of %q is not a date (YYYY-MM-DD)", g.Name, col.Key, f.AsOf)
			}
		}
	}
	return c, nil
}

// All is every GPU of the table, in its order.
func All() []GPU { return slices.Clone(table.GPUs) }

// Notes is what the table says of itself.
func Notes() string { return table.Notes }

// Lookup is the GPU of that name (letter case aside).
func Lookup(name string) (GPU, bool) {
	for _, g := range table.GPUs {
		if strings.EqualFold(g.Name, strings.TrimSpace(name)) {
			return g, true
		}
	}
	return GPU{}, false
}

// Unknown says why name is not a GPU of the table, naming those it may
// mean ("H100" → "H100 SXM" or "H100 PCIe"); "" when it is one.
func Unknown(name string) string {
	if _, ok := Lookup(name); ok {
		return ""
	}
	var near []string
	for _, g := range table.GPUs {
		if n := strings.ToLower(strings.TrimSpace(name)); n != "" && (strings.Contains(strings.ToLower(g.Name), n) || strings.Contains(n, strings.ToLower(g.Name))) {
			near = append(near, fmt.Sprintf("%q", g.Name))
		}
	}
	msg := fmt.Sprintf("the GPU %q is not in the GPU table (scaleplan gpus lists it)", name)
	if len(near) > 0 {
		msg += "; did you mean " + strings.Join(near, " or ") + "? The form factor is part of the name"
	}
	return msg
}

// Dense is the dense tensor throughput a model whose weights take
// weightBytes each computes at, and its name: FP8 for weights of one byte
// or less when the GPU has FP8, else BF16.
func (g *GPU) Dense(weightBytes float64) (Figure, string) {
	if weightBytes <= 1 && g.FP8TFLOPS.Known {
		return g.FP8TFLOPS, "FP8"
	}
	return g.BF16TFLOPS, "BF16"
}

// Stale lists the table's figures read more than maxAge before today, as
// "GPU figure (as of DATE, N days)".
func Stale(today time.Time, maxAge time.Duration) []string {
	var out []string
	for _, g := range table.GPUs {
		for _, col := range Columns {
			f := col.Of(&g)
			d, _ := time.Parse(time.DateOnly, f.AsOf)
			if age := today.Sub(d); age > maxAge {
				out = append(out, fmt.Sprintf("%s %s (as of %s, %d days)", g.Name, col.Key, f.AsOf, int(age.Hours()/24)))
			}
		}
	}
	return out
}
