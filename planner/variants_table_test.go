package planner

import (
	"testing"

	"github.com/shopspring/decimal"
)

// Every variant setting is one entry of variantSettings, and the file, a
// scenario's edit and choosing the variant all go through it: a value set
// in each (a plausible 8B model on one GPU) survives saving and reading
// back, SetVariant sets it from text, and a phase that runs the variant
// takes every one that names an assumption. Multi-head latent attention
// sizes the cache instead of KV heads, so it is a second variant.
func TestEveryVariantSettingTravels(t *testing.T) {
	t.Parallel()
	values := []map[string]string{{
		"accuracy": "0.87", "node_rps": "7", "service_ms": "450", "node_hourly": "3.5", "slots": "4", "service_cv": "0.6",
		"input_tokens": "900", "output_tokens": "300", "tokens_per_s": "8400", "params_b": "8", "active_params_b": "2", "weight_bytes": "1",
		"layers": "32", "kv_heads": "8", "head_dim": "128", "kv_bytes": "1", "sliding_window": "4096", "sliding_window_layers": "16",
		"prefill_tokens_per_s": "25000", "decode_step_ms.base": "6", "decode_step_ms.per_seq": "0.06", "max_batch": "128",
	}, {"layers": "61", "kv_lora_rank": "512", "qk_rope_head_dim": "64"}}
	seen := map[string]bool{}
	for _, set := range values {
		p := loadSeed(t)
		name := p.Variants[0].Name
		if _, mla := set["kv_lora_rank"]; mla { // the seed's variant gives KV heads: a latent replaces them
			p.Variants[0].Figures.KVHeads, p.Variants[0].Figures.HeadDim = Opt[decimal.Decimal]{}, Opt[decimal.Decimal]{}
		}
		var err error
		for _, s := range variantSettings {
			if text, ok := set[s.Key]; ok {
				if p, err = SetVariant(p, name, s.Key, text); err != nil {
					t.Fatalf("%s: SetVariant: %v", s.Key, err)
				}
			}
		}
		back, err := Parse(Marshal(p))
		if err != nil {
			t.Fatalf("the saved plan does not read back: %v", err)
		}
		v, _ := back.Variant(name)
		a := v.Apply(back.Assumptions)
		for _, s := range variantSettings {
			text, ok := set[s.Key]
			if !ok {
				continue
			}
			seen[s.Key] = true
			want := decimal.RequireFromString(text)
			if got := s.get(v); !got.Valid || !got.Val.Equal(want) {
				t.Errorf("%s: saved and read back as %+v, want %s", s.Key, got, want)
			}
			if f, isInput := LookupField(s.Key); isInput && (!f.Number(&a).Equal(want) || !v.Sets(s.Key)) {
				t.Errorf("%s: a phase running the variant has %s (Sets %v), want %s", s.Key, f.Number(&a), v.Sets(s.Key), want)
			}
		}
	}
	for _, s := range variantSettings {
		if !seen[s.Key] {
			t.Errorf("%s is not tried: give it a value above", s.Key)
		}
	}
	if _, err := SetVariant(loadSeed(t), "distilled", "nope", "1"); err == nil {
		t.Error("an unknown setting was accepted")
	}
}
