// Package gpu is a model's memory on a GPU as vLLM allocates it: its
// weights, its KV cache a token (heads shared out under tensor
// parallelism, a multi-head latent whole on every rank, sliding-window
// layers keeping only the window), the blocks of 16 tokens a budget holds
// and the calls of so many tokens they hold. It knows no plan: planner
// hands it a variant's architecture.
package gpu

import "github.com/shopspring/decimal"

// GPU memory (docs/measured.md, "GPU memory"). A node holds a call's KV
// cache for as long as the call is served, so a node runs at most
// min(slots, the calls its KV caches hold) at once; the others wait
// (model.go sizes capacity with that effective figure).
//
// The cache is allocated as vLLM allocates it under tensor parallelism
// (TP): every rank of a replica keeps its share of every token.
//
//	KV heads a rank   = max(1, ⌊kv_heads ÷ TP⌋)   (replicated when TP > kv_heads)
//	KV bytes a token, a rank = 2 × layers × heads a rank × head_dim × kv_bytes
//	                  (MLA: layers × (kv_lora_rank + qk_rope_head_dim) × kv_bytes,
//	                   one latent every rank holds whole)
//	rank budget       = GiB × utilization − weights ÷ TP − overhead
//	blocks            = ⌊rank budget ÷ (16 × KV bytes a token, a rank)⌋
//	a call's blocks   = ⌈tokens ÷ 16⌉, or with sliding-window attention, per
//	                    layer: full layers ⌈tokens ÷ 16⌉, window layers
//	                    ⌈min(tokens, window) ÷ 16⌉, averaged over the layers
//	calls held        = (GPUs ÷ TP) × ⌊blocks × layers ÷ Σ a call's blocks a layer⌋
//
// Memory is in GiB (2³⁰ bytes); blocks hold 16 tokens, as vLLM's paged
// attention does.

// Model is a model's architecture, each figure given or not.
type Model struct {
	ParamsB     decimal.NullDecimal // billions of parameters
	WeightBytes decimal.NullDecimal // bytes a weight; 2 when not given
	Layers      decimal.NullDecimal
	KVHeads     decimal.NullDecimal // key-value heads (grouped-query attention)
	HeadDim     decimal.NullDecimal
	KVBytes     decimal.NullDecimal // bytes a cached value; 2 when not given
	// Multi-head latent attention caches a compressed latent and a rotary
	// key a layer instead of heads.
	KVLoraRank, QKRopeHeadDim decimal.NullDecimal
	// Sliding-window attention: the tokens a window layer keeps, and how
	// many of the layers are window layers.
	SlidingWindow, SlidingWindowLayers decimal.NullDecimal
}

// KVBlockTokens is how many tokens one block of the KV cache holds.
const KVBlockTokens = 16

// GiB is 2³⁰ bytes.
var GiB = decimal.NewFromInt(1 << 30)

// KVBytesPerToken is the variant's KV cache a token, from its architecture;
// ok false when the variant does not give it.
func (m Model) KVBytesPerToken() (decimal.Decimal, bool) {
	f := m
	kvBytes := decimal.NewFromInt(2)
	if f.KVBytes.Valid {
		kvBytes = f.KVBytes.Decimal
	}
	switch {
	case !f.Layers.Valid:
		return decimal.Zero, false
	case f.KVLoraRank.Valid:
		rope := decimal.Zero
		if f.QKRopeHeadDim.Valid {
			rope = f.QKRopeHeadDim.Decimal
		}
		return f.Layers.Decimal.Mul(f.KVLoraRank.Decimal.Add(rope)).Mul(kvBytes), true
	case f.KVHeads.Valid && f.HeadDim.Valid:
		return decimal.NewFromInt(2).Mul(f.Layers.Decimal).Mul(f.KVHeads.Decimal).Mul(f.HeadDim.Decimal).Mul(kvBytes), true
	}
	return decimal.Zero, false
}

// KVRankBytesPerToken is the KV cache one rank of a replica spanning tp
// GPUs keeps for a token, across all layers: its share of the KV heads
// (⌊kv_heads ÷ tp⌋, at least one: vLLM replicates heads when tp exceeds
// them), or, for multi-head latent attention, the whole latent.
func (m Model) KVRankBytesPerToken(tp int64) (decimal.Decimal, bool) {
	f := m
	whole, ok := m.KVBytesPerToken()
	if !ok || f.KVLoraRank.Valid || tp <= 1 {
		return whole, ok
	}
	heads := f.KVHeads.Decimal.IntPart()
	if heads <= 0 {
		return whole, ok
	}
	perRank := max(1, heads/tp)
	return whole.Mul(decimal.NewFromInt(perRank)).Div(f.KVHeads.Decimal), true
}

// callBlockLayers is a call's KV cache in blocks of 16 tokens summed over
// the layers: ⌈tokens ÷ 16⌉ on every full-attention layer and
// ⌈min(tokens, window) ÷ 16⌉ on every sliding-window layer.
func (m Model) callBlockLayers(tokens int64) (blocks int64, layers int64) {
	f := m
	layers = f.Layers.Decimal.IntPart()
	full := layers
	blocksOf := func(t int64) int64 { return (t + KVBlockTokens - 1) / KVBlockTokens }
	if f.SlidingWindow.Valid && f.SlidingWindowLayers.Valid {
		w := f.SlidingWindowLayers.Decimal.IntPart()
		full = layers - w
		blocks = w * blocksOf(min(tokens, f.SlidingWindow.Decimal.IntPart()))
	}
	return blocks + full*blocksOf(tokens), layers
}

// WeightsBytes is the variant's weights in memory: params_b × 10⁹ ×
// weight_bytes (2 when not given).
func (m Model) WeightsBytes() (decimal.Decimal, bool) {
	f := m
	if !f.ParamsB.Valid {
		return decimal.Zero, false
	}
	wb := decimal.NewFromInt(2)
	if f.WeightBytes.Valid {
		wb = f.WeightBytes.Decimal
	}
	return f.ParamsB.Decimal.Shift(9).Mul(wb), true
}

// KVBlocks is how many blocks of 16 tokens a KV budget holds.
func KVBlocks(budgetBytes, kvBytesPerToken decimal.Decimal) int64 {
	if budgetBytes.Sign() <= 0 || kvBytesPerToken.Sign() <= 0 {
		return 0
	}
	return budgetBytes.Div(kvBytesPerToken.Mul(decimal.NewFromInt(KVBlockTokens))).Floor().IntPart()
}

// CallsOf is how many calls of tokens each fit in blocks: whole calls, a
// call taking ⌈tokens ÷ 16⌉ blocks.
func CallsOf(blocks, tokens int64) int64 {
	if tokens <= 0 {
		return 0
	}
	return blocks / ((tokens + KVBlockTokens - 1) / KVBlockTokens)
}

// CallsHeld is the calls of tokens each that one replica's KV cache holds,
// with a rank's budget and KV bytes a token: blocks are counted a layer, so
// that sliding-window layers, which keep at most the window, take less.
func (m Model) CallsHeld(rankBudget, rankKV decimal.Decimal, tokens int64) int64 {
	if !m.SlidingWindow.Valid {
		return CallsOf(KVBlocks(rankBudget, rankKV), tokens) // blocks span every layer, as vLLM counts them
	}
	need, layers := m.callBlockLayers(tokens)
	if tokens <= 0 || need <= 0 {
		return 0
	}
	// A block of one layer costs 16 × (bytes a token ÷ layers).
	return KVBlocks(rankBudget.Mul(decimal.NewFromInt(layers)), rankKV) / need
}
