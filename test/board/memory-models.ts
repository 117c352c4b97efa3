// The models the memory calibration and the runtime benchmarks load: about 1K, 8K, 30K, 100K and 300K parameters
// (random init, src/model/random.ts), each written by the TypeScript writer.
import { type ModelConfig, makeConfig } from '../../src/model/config';
import { readModelHeader, writeModel } from '../../src/model/modelFile';
import { parameterCount } from '../../src/model/params';
import { convertModel } from '../../src/model/quantize';
import { randomModel } from '../../src/model/random';
import type { Dtype } from '../../src/model/tensor';
import { type EstimateModel, estimateModelFromHeader } from '../../src/memory/input';

export interface SizedConfig {
  size: string;
  config: ModelConfig;
}

/** Shapes of the golden models for 1K-100K; the 300K one has a short context, so that its float32 KV cache
 *  (2 x layers x context x dim x 4 bytes) leaves room in a 140 KB heap when its weights are streamed. */
export const SizedConfigs: readonly SizedConfig[] = [
  { size: '1k', config: makeConfig({ vocab_size: 48, dim: 8, hidden_dim: 24, n_layers: 1, n_heads: 2, context_length: 24 }) },
  { size: '8k', config: makeConfig({ vocab_size: 64, dim: 24, hidden_dim: 64, n_layers: 1, n_heads: 3, context_length: 48, positional: 'none', tied_embeddings: false }) },
  { size: '30k', config: makeConfig({ vocab_size: 96, dim: 32, hidden_dim: 96, n_layers: 2, n_heads: 4, context_length: 64, tied_embeddings: false, tokenizer: 'longest_match' }) },
  { size: '100k', config: makeConfig({ vocab_size: 128, dim: 64, hidden_dim: 224, n_layers: 2, n_heads: 8, context_length: 64 }) },
  { size: '300k', config: makeConfig({ vocab_size: 96, dim: 128, hidden_dim: 320, n_layers: 2, n_heads: 4, context_length: 16 }) },
  // The largest int8 models (hidden about 3 x dim) that stream within 140 KB at a 32- and a 64-token context with the
  // float32 KV cache: it takes about half of the heap. Neither fitted with the 4 KB stream buffer the runtime had
  // before; the 32-token one was 384K (dim 136) and the 64-token one dim 152 (hidden 456) until runtime 0.3.0 and
  // issue 12's header reader grew the runtime by about 2.3 KB.
  { size: '360k-ctx32', config: makeConfig({ vocab_size: 64, dim: 132, hidden_dim: 396, n_layers: 2, n_heads: 4, context_length: 32 }) },
  { size: '250k-ctx64', config: makeConfig({ vocab_size: 64, dim: 148, hidden_dim: 500, n_layers: 1, n_heads: 4, context_length: 64 }) },
  // The int8 KV cache (docs/format.md): the 30K and 100K shapes with it, and a 2-layer model of 830K parameters that
  // streams within 140 KB at a 64-token context with it (the 1 MB drive, not the heap, is near its limit there).
  { size: '30k-kv8', config: makeConfig({ vocab_size: 96, dim: 32, hidden_dim: 96, n_layers: 2, n_heads: 4, context_length: 64, tied_embeddings: false, tokenizer: 'longest_match', kv_cache: 'int8' }) },
  { size: '100k-kv8', config: makeConfig({ vocab_size: 128, dim: 64, hidden_dim: 224, n_layers: 2, n_heads: 8, context_length: 64, kv_cache: 'int8' }) },
  { size: '830k-kv8-ctx64', config: makeConfig({ vocab_size: 64, dim: 200, hidden_dim: 600, n_layers: 2, n_heads: 4, context_length: 64, kv_cache: 'int8' }) },
];

export interface BuiltModel {
  label: string;
  params: number;
  dtype: Dtype;
  file: Uint8Array;
  model: EstimateModel;
}

/** The model of `size` in `dtype` (F32 as initialised, or converted), written to bytes. */
export function buildModel(size: string, dtype: Dtype, seed = 11): BuiltModel {
  const sized = SizedConfigs.find((s) => s.size === size);
  if (sized === undefined) throw new Error(`no model of size ${size}`);
  const f32 = randomModel(sized.config, seed);
  const file = writeModel(dtype === 'F32' ? f32 : convertModel(f32, dtype));
  return { label: `${size} ${dtype}`, params: parameterCount(sized.config), dtype, file, model: estimateModelFromHeader(readModelHeader(file)) };
}
