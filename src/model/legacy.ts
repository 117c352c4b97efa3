// Imports the tiny-transformers-rp2040 file trio (config_<N>p.json, model_<N>p.bin, vocab_<N>p.bin) into picoformer/1,
// with config options that reproduce that project's CircuitPython runtime exactly: pre-norm LayerNorm (eps 1e-6,
// weight only), no positions, ONE attention head over the full dim (it ignored n_heads), SiLU, tied embeddings,
// lower-cased longest-match tokenizer, BOS 1. Its matrices are stored [in][out]; ours are [out][in].
import { type ModelConfig, validateConfig } from './config';
import { fail } from './errors';
import { f16BitsToNumber } from './f16';
import { tensorLayout } from './layout';
import type { Model } from './modelFile';
import type { Tensor } from './tensor';
import { validateVocab } from './vocab';

export interface LegacyConfig {
  vocab_size: number;
  dim: number;
  hidden_dim: number;
  n_layers: number;
  n_heads: number;
  max_seq_len: number;
  float16: boolean;
}

export interface LegacyTrio {
  /** Folder name or similar, used for the model's name and family (e.g. "story-1k-balanced"). */
  name: string;
  configText: string;
  model: Uint8Array;
  vocab: Uint8Array;
}

const HeaderBytes = 32;
const SpecialCount = 4; // ids 0..3: <pad> <s> </s> <unk>

export function parseLegacyConfig(text: string): LegacyConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    fail('legacy_invalid', 'legacy config is not valid JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('legacy_invalid', 'legacy config must be a JSON object');
  const obj = raw as Record<string, unknown>;
  const int = (key: string): number => {
    const v = obj[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 65535) {
      fail('legacy_invalid', `legacy config: ${key} must be a positive integer, found ${JSON.stringify(v)}`);
    }
    return v;
  };
  const q = obj.quantization;
  if (q !== undefined && q !== 'float16' && q !== 'float32') {
    fail('legacy_invalid', `legacy config: quantization ${JSON.stringify(q)} is not supported (float16 or float32)`);
  }
  return {
    vocab_size: int('vocab_size'),
    dim: int('dim'),
    hidden_dim: int('hidden_dim'),
    n_layers: int('n_layers'),
    n_heads: int('n_heads'),
    max_seq_len: int('max_seq_len'),
    float16: q === 'float16',
  };
}

/** Number of weights in a legacy model.bin (after its 32-byte header). */
export function legacyWeightCount(c: LegacyConfig): number {
  const perLayer = 2 * c.dim + 4 * c.dim * c.dim + 2 * c.dim * c.hidden_dim;
  return c.vocab_size * c.dim + c.n_layers * perLayer + c.dim;
}

/** The legacy vocab.bin: u16 count, then per token a u8 byte length and that many UTF-8 bytes (0 = unused slot). */
export function parseLegacyVocab(bytes: Uint8Array): (string | null)[] {
  if (bytes.length < 2) fail('legacy_invalid', `legacy vocab file is ${bytes.length} bytes, too short for its token count`);
  const count = bytes[0] | (bytes[1] << 8);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const out: (string | null)[] = [];
  let at = 2;
  for (let id = 0; id < count; id++) {
    if (at >= bytes.length) fail('legacy_invalid', `legacy vocab file ends at token ${id} of ${count}`);
    const len = bytes[at++];
    if (at + len > bytes.length) fail('legacy_invalid', `legacy vocab file ends inside token ${id}`);
    try {
      out.push(len === 0 ? null : decoder.decode(bytes.subarray(at, at + len)));
    } catch {
      fail('legacy_invalid', `legacy vocab token ${id} is not valid UTF-8`);
    }
    at += len;
  }
  if (at !== bytes.length) fail('legacy_invalid', `legacy vocab file has ${bytes.length - at} bytes after its ${count} tokens`);
  return out;
}

/** The picoformer/1 config that reproduces the legacy runtime. */
export function legacyModelConfig(c: LegacyConfig, specialIds: number[], family: string | undefined, decodeOnlyIds: number[] = []): ModelConfig {
  return validateConfig({
    vocab_size: c.vocab_size,
    dim: c.dim,
    hidden_dim: c.hidden_dim,
    n_layers: c.n_layers,
    n_heads: 1,
    context_length: c.max_seq_len,
    norm: 'layernorm',
    norm_eps: 1e-6,
    activation: 'silu',
    positional: 'none',
    tied_embeddings: true,
    tokenizer: 'longest_match',
    lowercase: true,
    bos_id: 1,
    eos_id: 2,
    unk_id: 3,
    pad_id: 0,
    special_ids: specialIds,
    ...(decodeOnlyIds.length === 0 ? {} : { decode_only_ids: decodeOnlyIds }),
    ...(family === undefined ? {} : { family }),
  });
}

export function importLegacy(trio: LegacyTrio): Model {
  const lc = parseLegacyConfig(trio.configText);
  checkModelSize(lc, trio.model);
  const slots = parseLegacyVocab(trio.vocab);
  if (slots.length !== lc.vocab_size) {
    fail('legacy_invalid', `legacy vocab has ${slots.length} tokens but the config says vocab_size ${lc.vocab_size}`);
  }
  if (lc.vocab_size <= SpecialCount) fail('legacy_invalid', `legacy vocab_size ${lc.vocab_size} leaves no room for text tokens`);
  const { vocab, specialIds, decodeOnlyIds } = legacyVocab(slots);
  const familyMatch = /^([a-z]+)-/i.exec(trio.name);
  const config = legacyModelConfig(lc, specialIds, familyMatch?.[1]?.toLowerCase(), decodeOnlyIds);
  validateVocab(vocab, config);
  const weights = readWeights(lc, trio.model);
  const tensors = new Map<string, Tensor>();
  const dtype = lc.float16 ? 'F16' : 'F32';
  const { dim, hidden_dim: hidden } = lc;
  tensors.set('tok_emb', { dtype, shape: [lc.vocab_size, dim], data: weights.take(lc.vocab_size * dim) });
  for (let i = 0; i < lc.n_layers; i++) {
    const p = `layers.${i}.`;
    tensors.set(`${p}attn_norm`, { dtype, shape: [dim], data: weights.take(dim) });
    tensors.set(`${p}ffn_norm`, { dtype, shape: [dim], data: weights.take(dim) });
    for (const m of ['wq', 'wk', 'wv', 'wo']) {
      tensors.set(p + m, { dtype, shape: [dim, dim], data: transpose(weights.take(dim * dim), dim, dim) });
    }
    tensors.set(`${p}w1`, { dtype, shape: [hidden, dim], data: transpose(weights.take(dim * hidden), dim, hidden) });
    tensors.set(`${p}w2`, { dtype, shape: [dim, hidden], data: transpose(weights.take(hidden * dim), hidden, dim) });
  }
  tensors.set('final_norm', { dtype, shape: [dim], data: weights.take(dim) });
  if (tensorLayout(config).length !== tensors.size) throw new Error('legacy import: tensor table incomplete');
  return {
    config,
    vocab,
    tensors,
    extraMetadata: { name: trio.name, imported_from: 'tiny-transformers-rp2040', legacy_config: trio.configText.trim() },
  };
}

/** The old runtime matched at most this many characters at a time, so a longer entry was never encoded. */
const LegacyMaxMatch = 8;

/**
 * The old vocabulary as ours. Ids 0..3 and empty slots are special; an empty slot is named `<unused_ID>`, or a
 * variant of it when a real entry already has that text. Where an entry repeats, the old runtime's dict kept the
 * last id, so the earlier ids become decode-only (they still decode to the text); so do entries it never matched.
 */
export function legacyVocab(slots: readonly (string | null)[]): { vocab: string[]; specialIds: number[]; decodeOnlyIds: number[] } {
  const isSpecial = (id: number): boolean => id < SpecialCount || slots[id] === null;
  const lastId = new Map<string, number>();
  slots.forEach((s, id) => {
    if (s !== null && !isSpecial(id)) lastId.set(s, id);
  });
  const taken = new Set(lastId.keys());
  const specialIds: number[] = [];
  const decodeOnlyIds: number[] = [];
  const vocab = slots.map((s, id) => {
    if (isSpecial(id)) {
      specialIds.push(id);
      return freeName(s ?? `<unused_${id}>`, taken);
    }
    const text = s as string;
    if (lastId.get(text) !== id || [...text].length > LegacyMaxMatch) decodeOnlyIds.push(id);
    return text;
  });
  return { vocab, specialIds, decodeOnlyIds };
}

/** `name`, or `<name_2>`, `<name_3>`... the first no other entry has; marked taken. */
function freeName(name: string, taken: Set<string>): string {
  const stem = name.endsWith('>') ? name.slice(0, -1) : name;
  const tail = name.endsWith('>') ? '>' : '';
  let free = name;
  for (let k = 2; taken.has(free); k++) free = `${stem}_${k}${tail}`;
  taken.add(free);
  return free;
}

function checkModelSize(c: LegacyConfig, model: Uint8Array): void {
  const bytesPer = c.float16 ? 2 : 4;
  const expected = HeaderBytes + legacyWeightCount(c) * bytesPer;
  if (model.length < HeaderBytes) fail('legacy_invalid', `legacy model file is ${model.length} bytes, shorter than its 32-byte header`);
  const view = new DataView(model.buffer, model.byteOffset, HeaderBytes);
  const header = Array.from({ length: 6 }, (_, i) => view.getUint32(i * 4, true));
  const names = ['vocab_size', 'dim', 'hidden_dim', 'n_layers', 'n_heads', 'max_seq_len'] as const;
  names.forEach((key, i) => {
    if (header[i] !== c[key]) fail('legacy_invalid', `legacy model header says ${key} ${header[i]} but the config says ${c[key]}`);
  });
  if (model.length !== expected) {
    fail(
      'legacy_invalid',
      `legacy model file is ${model.length} bytes but its header and config describe ${expected} bytes ` +
        `(32-byte header + ${legacyWeightCount(c)} ${c.float16 ? 'float16' : 'float32'} weights): refusing to load it as garbage`,
    );
  }
}

function readWeights(c: LegacyConfig, model: Uint8Array): { take(n: number): Float32Array } {
  const view = new DataView(model.buffer, model.byteOffset, model.length);
  let at = HeaderBytes;
  let index = 0;
  return {
    take(n: number): Float32Array {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++, index++) {
        const v = c.float16 ? f16BitsToNumber(view.getUint16(at, true)) : view.getFloat32(at, true);
        if (!Number.isFinite(v)) fail('non_finite', `legacy model has ${v} at weight ${index}`);
        out[i] = v;
        at += c.float16 ? 2 : 4;
      }
      return out;
    },
  };
}

/** [rows][cols] -> [cols][rows]. */
function transpose(a: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(a.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = a[r * cols + c];
  return out;
}
