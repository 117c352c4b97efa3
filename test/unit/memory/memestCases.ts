// Models of many shapes and dtypes, as estimator inputs, shared by the memory unit tests.
import { makeConfig, type ModelConfig } from '../../../src/model/config';
import type { Dtype } from '../../../src/model/tensor';
import { type EstimateModel, estimateModelFromConfig } from '../../../src/memory/input';
import { syntheticVocab } from '../../../src/model/random';

export function modelOf(config: ModelConfig, dtype: Dtype): EstimateModel {
  return estimateModelFromConfig(config, syntheticVocab(config.vocab_size, config.tokenizer), dtype);
}

/** About 1K to 300K parameters, tied and untied, with and without positions, every dtype, one mixed-dtype file. */
export function sampleModels(): { label: string; model: EstimateModel }[] {
  const configs: [string, ModelConfig][] = [
    ['1k', makeConfig({ vocab_size: 48, dim: 8, hidden_dim: 24, n_layers: 1, n_heads: 2, context_length: 24 })],
    ['8k', makeConfig({ vocab_size: 64, dim: 24, hidden_dim: 64, n_layers: 1, n_heads: 3, context_length: 48, positional: 'none', tied_embeddings: false })],
    ['30k', makeConfig({ vocab_size: 96, dim: 32, hidden_dim: 96, n_layers: 2, n_heads: 4, context_length: 64, tokenizer: 'longest_match' })],
    ['100k', makeConfig({ vocab_size: 128, dim: 64, hidden_dim: 224, n_layers: 2, n_heads: 8, context_length: 64 })],
    ['300k', makeConfig({ vocab_size: 256, dim: 96, hidden_dim: 288, n_layers: 3, n_heads: 4, context_length: 128, tied_embeddings: false })],
    ['wide-rows', makeConfig({ vocab_size: 40, dim: 1100, hidden_dim: 2, n_layers: 1, n_heads: 1, context_length: 4 })],
  ];
  const out: { label: string; model: EstimateModel }[] = [];
  for (const [label, config] of configs) {
    for (const dtype of ['I8', 'F16', 'F32'] as const) out.push({ label: `${label} ${dtype}`, model: modelOf(config, dtype) });
  }
  // One file mixing dtypes: int8 matrices except an F16 tok_emb.
  const mixed = modelOf(configs[2][1], 'I8');
  const tensors = mixed.tensors.filter((t) => t.name !== 'tok_emb.scale').map((t) => (t.name === 'tok_emb' ? { ...t, dtype: 'F16' as const } : t));
  out.push({ label: '30k mixed', model: { ...mixed, tensors } });
  // The int8 KV cache (docs/format.md "KV cache"), on int8 and float weights.
  for (const [label, config] of [configs[1], configs[3], configs[4]]) {
    for (const dtype of ['I8', 'F32'] as const) out.push({ label: `${label} ${dtype} kv int8`, model: modelOf({ ...config, kv_cache: 'int8' }, dtype) });
  }
  return out;
}
