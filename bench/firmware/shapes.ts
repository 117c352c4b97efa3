// The calibration sweep's models: random-weight shapes from about 1K parameters to the largest that streams, contexts
// 32-256, 1-4 layers, int8 and float32 weights, float32 and int8 KV caches (resident and streamed each where it can
// load), plus the trained sample models (int8 KV caches). `speed: 'held-out'` shapes are left out of the speed
// model's fit and predicted instead (bench/README.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/emu/firmware';
import { type ConfigSizes, type ModelConfig, makeConfig } from '../../src/model/config';
import { writeModel } from '../../src/model/modelFile';
import { convertModel } from '../../src/model/quantize';
import { randomModel } from '../../src/model/random';
import type { Dtype } from '../../src/model/tensor';

export interface SweepShape {
  name: string;
  /** A random-weight config, or a sample model in models/. */
  config?: ConfigSizes & Partial<ModelConfig>;
  sample?: string;
  dtype: Dtype;
  /** Used to fit the speed model, or held out of the fit to check it; 'none': a boundary load only (no timing). */
  speed: 'fit' | 'held-out' | 'none';
  /** The load modes to measure (default: resident when it might fit, then streamed). */
  modes?: readonly ('resident' | 'streamed')[];
  /** Also measure the pure-Python forward pass (slow: small and middle shapes only). */
  python?: boolean;
  /** A vocabulary of multi-character pieces (as a subword tokenizer makes), not the synthetic one's characters:
   *  every entry is a string the board allocates (single ASCII characters cost nothing, they are interned). */
  pieces?: boolean;
}

const c = (sizes: ConfigSizes & Partial<ModelConfig>): ConfigSizes & Partial<ModelConfig> => sizes;

export const SweepShapes: readonly SweepShape[] = [
  { name: '1k', config: c({ vocab_size: 48, dim: 8, hidden_dim: 24, n_layers: 1, n_heads: 2, context_length: 32 }), dtype: 'I8', speed: 'fit', python: true },
  { name: '4k-L2-ctx64', config: c({ vocab_size: 64, dim: 16, hidden_dim: 48, n_layers: 2, n_heads: 2, context_length: 64, kv_cache: 'int8' }), dtype: 'I8', speed: 'held-out', python: true },
  { name: '6k-untied-ctx128', config: c({ vocab_size: 96, dim: 24, hidden_dim: 64, n_layers: 1, n_heads: 3, context_length: 128, tied_embeddings: false, positional: 'none' }), dtype: 'I8', speed: 'fit', python: true },
  { name: '8k-L4-ctx32', config: c({ vocab_size: 40, dim: 16, hidden_dim: 48, n_layers: 4, n_heads: 2, context_length: 32, kv_cache: 'int8' }), dtype: 'I8', speed: 'fit', python: true },
  { name: '10k-ctx256', config: c({ vocab_size: 96, dim: 16, hidden_dim: 64, n_layers: 2, n_heads: 2, context_length: 256, kv_cache: 'int8' }), dtype: 'I8', speed: 'held-out', python: true },
  // Heads and layers apart (the others have 2-4 heads a layer, so a per-head and a per-layer cost cannot be told
  // apart by them: the fit gave heads the layers' calls and predicted story-8k's four heads 18% slow).
  { name: 'h8-L1', config: c({ vocab_size: 64, dim: 32, hidden_dim: 64, n_layers: 1, n_heads: 8, context_length: 32 }), dtype: 'I8', speed: 'fit' },
  // Narrow and wide: a table of hundreds of entries at dim 2-4 (as a whole-word vocabulary makes on a 1K model), so
  // each matrix row is only a few multiply-adds and a row's own cost (the product's output item, its scale) shows.
  { name: 'd2-pieces400', config: c({ vocab_size: 400, dim: 2, hidden_dim: 16, n_layers: 1, n_heads: 1, context_length: 128, positional: 'none', tokenizer: 'longest_match', kv_cache: 'int8' }), pieces: true, dtype: 'I8', speed: 'fit', python: true },
  { name: 'd4-pieces256-L2', config: c({ vocab_size: 256, dim: 4, hidden_dim: 12, n_layers: 2, n_heads: 2, context_length: 64, tokenizer: 'longest_match', kv_cache: 'int8' }), pieces: true, dtype: 'I8', speed: 'fit' },
  { name: 'h1-L3-ctx64', config: c({ vocab_size: 48, dim: 16, hidden_dim: 48, n_layers: 3, n_heads: 1, context_length: 64, kv_cache: 'int8' }), dtype: 'I8', speed: 'fit', python: true },
  { name: '14k-vocab400', config: c({ vocab_size: 400, dim: 16, hidden_dim: 32, n_layers: 1, n_heads: 2, context_length: 32 }), dtype: 'I8', speed: 'fit', python: true },
  { name: '25k-L2-ctx64', config: c({ vocab_size: 128, dim: 32, hidden_dim: 96, n_layers: 2, n_heads: 4, context_length: 64, kv_cache: 'int8' }), dtype: 'I8', speed: 'fit', python: true },
  { name: '20k-lm-L3-ctx64', config: c({ vocab_size: 200, dim: 24, hidden_dim: 48, n_layers: 3, n_heads: 2, context_length: 64, tokenizer: 'longest_match', norm: 'layernorm', activation: 'gelu' }), dtype: 'I8', speed: 'held-out', python: true },
  { name: '19k-pieces320', config: c({ vocab_size: 320, dim: 32, hidden_dim: 64, n_layers: 1, n_heads: 4, context_length: 64, tokenizer: 'longest_match' }), pieces: true, dtype: 'I8', speed: 'fit' },
  { name: '44k-L4-ctx32', config: c({ vocab_size: 64, dim: 32, hidden_dim: 96, n_layers: 4, n_heads: 4, context_length: 32 }), dtype: 'I8', speed: 'fit' },
  { name: '75k-L2-ctx64', config: c({ vocab_size: 128, dim: 64, hidden_dim: 192, n_layers: 2, n_heads: 8, context_length: 64, kv_cache: 'int8' }), dtype: 'I8', speed: 'fit' },
  { name: '100k-L3-ctx32', config: c({ vocab_size: 384, dim: 48, hidden_dim: 192, n_layers: 3, n_heads: 8, context_length: 32 }), dtype: 'I8', speed: 'held-out' },
  { name: '150k-L4-ctx32', config: c({ vocab_size: 256, dim: 64, hidden_dim: 256, n_layers: 3, n_heads: 4, context_length: 32, activation: 'relu', kv_cache: 'int8' }), dtype: 'I8', speed: 'fit' },
  { name: '380k-L2-ctx32', config: c({ vocab_size: 64, dim: 136, hidden_dim: 408, n_layers: 2, n_heads: 4, context_length: 32 }), dtype: 'I8', speed: 'fit' },
  { name: '250k-L1-ctx64', config: c({ vocab_size: 64, dim: 152, hidden_dim: 456, n_layers: 1, n_heads: 4, context_length: 64, kv_cache: 'int8' }), dtype: 'I8', speed: 'held-out' },
  { name: 'f32-2k', config: c({ vocab_size: 48, dim: 16, hidden_dim: 32, n_layers: 1, n_heads: 2, context_length: 32 }), dtype: 'F32', speed: 'fit', python: true },
  // Float32 resident in the fit beside f32-2k (a resident float product costs more per multiply-add than a streamed
  // one); held out resident: f32-9k (f32-12k's resident load is in the danger zone, 149.7 KB, and runs out of memory
  // under code.py).
  { name: 'f32-6k-L1-ctx64', config: c({ vocab_size: 64, dim: 24, hidden_dim: 96, n_layers: 1, n_heads: 3, context_length: 64 }), dtype: 'F32', speed: 'fit' },
  { name: 'f32-9k-L2-ctx64', config: c({ vocab_size: 64, dim: 20, hidden_dim: 64, n_layers: 2, n_heads: 2, context_length: 64 }), dtype: 'F32', speed: 'held-out', python: true },
  { name: 'f32-12k-L2-ctx64', config: c({ vocab_size: 64, dim: 24, hidden_dim: 96, n_layers: 2, n_heads: 3, context_length: 64 }), dtype: 'F32', speed: 'held-out', python: true },
  { name: 'f32-25k-L2-ctx64', config: c({ vocab_size: 128, dim: 32, hidden_dim: 96, n_layers: 2, n_heads: 4, context_length: 64 }), dtype: 'F32', speed: 'fit', python: true },
  { name: 'f32-75k-L2-ctx32', config: c({ vocab_size: 128, dim: 64, hidden_dim: 192, n_layers: 2, n_heads: 8, context_length: 32 }), dtype: 'F32', speed: 'fit' },
  { name: 'story-1k', sample: 'story-1k', dtype: 'I8', speed: 'held-out', python: true },
  { name: 'story-8k', sample: 'story-8k', dtype: 'I8', speed: 'held-out', python: true },
  { name: 'story-30k', sample: 'story-30k', dtype: 'I8', speed: 'held-out' },
  { name: 'story-300k', sample: 'story-300k', dtype: 'I8', speed: 'held-out' },
  // Boundary loads: families whose largest buffers differ (4 KB, 8 KB float rows, 12 KB KV rows streamed, a 24 KB
  // and a 40 KB token table), each from where loads start to fail to the board's start-up decision (about 131 KB
  // can be allocated when it is made): the largest sizes it lets load and the first it refuses. Only whether a
  // start-up load in the given mode succeeds (and its heap) is measured. They show the budget (docs/memory.md,
  // "The budget, measured").
  ...boundary('4k-blocks', c({ vocab_size: 64, dim: 32, n_layers: 4, n_heads: 4, context_length: 32, hidden_dim: 0 }), 'I8', 'resident', [84, 88, 92, 96]),
  ...boundary('f32-8k-blocks', c({ vocab_size: 64, dim: 32, n_layers: 2, n_heads: 4, context_length: 32, hidden_dim: 0 }), 'F32', 'resident', [32, 48, 64, 68, 72, 76]),
  ...boundary('kv12k-streamed', c({ vocab_size: 64, dim: 64, hidden_dim: 128, n_layers: 3, n_heads: 4, context_length: 0 }), 'I8', 'streamed', [36, 40, 44, 48, 52]),
  ...boundary('24k-table', c({ vocab_size: 384, dim: 64, n_layers: 1, n_heads: 4, context_length: 32, hidden_dim: 0 }), 'I8', 'resident', [128, 192, 208, 248, 252, 256]),
  ...boundary('40k-table', c({ vocab_size: 640, dim: 64, n_layers: 1, n_heads: 4, context_length: 32, hidden_dim: 0 }), 'I8', 'resident', [8, 16, 32, 92, 96, 100]),
];

/** One boundary shape per value of the family's varying size (hidden_dim, or context_length where it is 0). */
function boundary(family: string, base: ConfigSizes & Partial<ModelConfig>, dtype: Dtype, mode: 'resident' | 'streamed', values: number[]): SweepShape[] {
  const key = base.context_length === 0 ? 'context_length' : 'hidden_dim';
  return values.map((v) => ({ name: `bound-${family}-${key === 'context_length' ? 'ctx' : 'h'}${v}`, config: { ...base, [key]: v }, dtype, speed: 'none', modes: [mode] }));
}

/** The shape's model file: a sample's bytes, or random weights (seeded) written in the shape's dtype. */
export function shapeFile(shape: SweepShape): Uint8Array {
  if (shape.sample) return new Uint8Array(readFileSync(join(REPO_ROOT, 'models', `${shape.sample}.safetensors`)));
  if (!shape.config) throw new Error(`shape ${shape.name} has neither a config nor a sample`);
  const config = makeConfig(shape.config);
  const f32 = randomModel(config, 7, shape.pieces ? piecesVocab(config.vocab_size) : undefined);
  return writeModel(shape.dtype === 'F32' ? f32 : convertModel(f32, shape.dtype));
}

/** Specials, the letters and space, then two- and three-letter pieces up to `size` entries. */
export function piecesVocab(size: number): string[] {
  const letters = 'etaoinshrdlucmwfgypbvkjxqz';
  const vocab = ['<pad>', '<s>', '</s>', '<unk>', ' ', ...letters];
  for (const a of letters) for (const b of letters) vocab.push(a + b);
  for (const a of letters) for (const b of letters) for (const d of 'etaoin') vocab.push(a + b + d);
  return vocab.slice(0, size);
}
