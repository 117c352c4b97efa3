// Seeded random-init models of a chosen size: for tests, golden vectors and benchmarks (no training involved).
import { type ModelConfig, makeConfig } from './config';
import { tensorLayout } from './layout';
import type { Model } from './modelFile';
import { parameterCount } from './params';
import { Xorshift32 } from './sampling';
import type { Tensor } from './tensor';

/** Special tokens, then single characters (ASCII first, then a few beyond it, one outside the BMP). */
const Specials = ['<pad>', '<s>', '</s>', '<unk>'];
const Chars = [...' etaoinshrdlucmwfgypbvkjxqz.,!?\'-:;"()\n0123456789ETAOINSHRDLUCMWFGYPBVKJXQZ', 'é', 'ü', 'ß', '—', '€', '😀'];
const Pieces = ['th', 'he', 'in', 'er', 'an', ' t', ' a', 'the', 'ing', 'and', ' the', 'ion', 'ed', 'es', 'on', 'ou', 'it', 'is', 'en', 'at'];

/** A vocabulary of `size` entries: ids 0..3 pad/bos/eos/unk, then characters (and pieces for longest_match). */
export function syntheticVocab(size: number, tokenizer: ModelConfig['tokenizer']): string[] {
  const vocab = [...Specials];
  const pool = tokenizer === 'longest_match' ? interleave(Chars, Pieces) : Chars;
  for (const s of pool) if (vocab.length < size) vocab.push(s);
  // Beyond the pool: Greek, then CJK code points, one character each (valid for both tokenizers).
  for (let cp = 0x3b1; vocab.length < size; cp = cp === 0x3c9 ? 0x4e00 : cp + 1) vocab.push(String.fromCodePoint(cp));
  return vocab.slice(0, size);
}

/** Fills every tensor of `config` with seeded uniform noise of a sensible scale (float32, F32 tensors). */
export function randomModel(config: ModelConfig, seed: number, vocab = syntheticVocab(config.vocab_size, config.tokenizer)): Model {
  const rng = new Xorshift32(seed);
  const uniform = (std: number): number => (2 * rng.uniform() - 1) * std * Math.sqrt(3);
  const tensors = new Map<string, Tensor>();
  for (const spec of tensorLayout(config)) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(count);
    const cols = spec.shape[1] ?? 1;
    let fill: () => number;
    if (spec.kind === 'norm') fill = () => 1 + uniform(0.1);
    else if (spec.name === 'tok_emb') fill = () => uniform(0.5);
    else if (spec.name === 'pos_emb') fill = () => uniform(0.1);
    else if (spec.name === 'lm_head') fill = () => uniform(2 / Math.sqrt(cols));
    else fill = () => uniform(1 / Math.sqrt(cols));
    for (let i = 0; i < count; i++) data[i] = fill();
    tensors.set(spec.name, { dtype: 'F32', shape: [...spec.shape], data });
  }
  return { config, vocab, tensors, extraMetadata: { created_by: 'picoformer random init', seed: String(seed) } };
}

export interface TargetOptions extends Partial<ModelConfig> {
  /** hidden_dim / dim before the final adjustment; default 3. */
  hiddenRatio?: number;
}

/** A config whose parameter count is close to `target`: dim searched, then hidden_dim tuned. */
export function configForTarget(target: number, options: TargetOptions = {}): ModelConfig {
  const { hiddenRatio = 3, ...overrides } = options;
  const vocab = overrides.vocab_size ?? 64;
  const layers = overrides.n_layers ?? (target < 5_000 ? 1 : target < 50_000 ? 2 : target < 500_000 ? 4 : 6);
  const heads = overrides.n_heads ?? (target < 5_000 ? 2 : 4);
  const ctx = overrides.context_length ?? 64;
  const build = (dim: number, hidden: number): ModelConfig =>
    makeConfig({ ...overrides, vocab_size: vocab, dim, hidden_dim: hidden, n_layers: layers, n_heads: heads, context_length: ctx });
  let best = build(heads, Math.max(1, Math.round(heads * hiddenRatio)));
  for (let dim = heads; dim <= 4096; dim += heads) {
    const c = build(dim, Math.max(1, Math.round(dim * hiddenRatio)));
    if (Math.abs(parameterCount(c) - target) < Math.abs(parameterCount(best) - target)) best = c;
    if (parameterCount(c) > target * 2) break;
  }
  // Every unit of hidden_dim costs 2 * dim weights per layer.
  const perHidden = 2 * best.dim * layers;
  const hidden = Math.max(1, best.hidden_dim + Math.round((target - parameterCount(best)) / perHidden));
  return build(best.dim, Math.min(hidden, 16384));
}

function interleave(a: readonly string[], b: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i < a.length) out.push(a[i]);
    if (i < b.length) out.push(b[i]);
  }
  return out;
}
