// Weight type conversion (F32/F16 <-> I8 per row, <-> F16) and how much it moves the logits.
import { type KvCacheKind, kvCacheKey } from './config';
import { logitsForSequence } from './forward';
import { tensorLayout } from './layout';
import type { Model } from './modelFile';
import { roundToF16 } from './f16';
import { Xorshift32, argmax } from './sampling';
import { type Dtype, type Tensor, toFloat32 } from './tensor';

/** Per row: scale = max|row| / 127 (stored as float32; a zero row gets 0); q = round(w / scale) half away from zero. */
export function quantizeRows(values: Float32Array, rows: number, cols: number): { q: Int8Array; scale: Float32Array } {
  const q = new Int8Array(rows * cols);
  const scale = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let max = 0;
    for (let c = 0; c < cols; c++) max = Math.max(max, Math.abs(values[r * cols + c]));
    const s = Math.fround(max / 127);
    scale[r] = s;
    if (s === 0) continue;
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c] / s;
      const rounded = Math.sign(v) * Math.round(Math.abs(v));
      q[r * cols + c] = Math.max(-127, Math.min(127, rounded));
    }
  }
  return { q, scale };
}

/** `I8`: every matrix per-row int8 (norms unchanged). `F16`/`F32`: every tensor in that float type. `kvCache`, when
 *  given, sets the config's KV cache kind too (float32 by leaving the key out, docs/format.md). */
export function convertModel(model: Model, target: Dtype, kvCache?: KvCacheKind): Model {
  const tensors = new Map<string, Tensor>();
  for (const spec of tensorLayout(model.config)) {
    const t = model.tensors.get(spec.name);
    if (t === undefined) throw new Error(`model has no tensor "${spec.name}"`);
    tensors.set(spec.name, convertTensor(t, spec.kind === 'matrix' ? target : target === 'I8' ? t.dtype : target));
  }
  if (kvCache === undefined) return { ...model, tensors };
  const { kv_cache: _old, ...config } = model.config;
  return { ...model, config: { ...config, ...kvCacheKey(kvCache) }, tensors };
}

function convertTensor(t: Tensor, target: Dtype): Tensor {
  if (t.dtype === target) return t;
  const values = toFloat32(t);
  if (target === 'I8') {
    const [rows, cols] = t.shape as [number, number];
    const { q, scale } = quantizeRows(values, rows, cols);
    return { dtype: 'I8', shape: [rows, cols], data: q, scale };
  }
  const data = target === 'F16' ? values.map(roundToF16) : values.slice();
  return { dtype: target, shape: [...t.shape], data };
}

export interface LogitError {
  /** Largest |a - b| over every logit of every position. */
  maxAbs: number;
  meanAbs: number;
  /** Share of positions where both models put the same token first. */
  top1Agreement: number;
  /** Largest |logit| of the reference, to read maxAbs against. */
  maxAbsReference: number;
  positions: number;
}

/** Logit differences of `candidate` against `reference` over token sequences. */
export function compareLogits(reference: Model, candidate: Model, sequences: readonly number[][]): LogitError {
  let maxAbs = 0;
  let sum = 0;
  let count = 0;
  let agree = 0;
  let positions = 0;
  let maxRef = 0;
  for (const seq of sequences) {
    const a = logitsForSequence(reference, seq);
    const b = logitsForSequence(candidate, seq);
    a.forEach((la, i) => {
      const lb = b[i];
      for (let v = 0; v < la.length; v++) {
        const d = Math.abs(la[v] - lb[v]);
        maxAbs = Math.max(maxAbs, d);
        maxRef = Math.max(maxRef, Math.abs(la[v]));
        sum += d;
        count++;
      }
      if (argmax(la) === argmax(lb)) agree++;
      positions++;
    });
  }
  return { maxAbs, meanAbs: count ? sum / count : 0, top1Agreement: positions ? agree / positions : 1, maxAbsReference: maxRef, positions };
}

/** Seeded sample inputs: BOS (if any) then random non-special tokens, each sequence as long as the context allows. */
export function sampleSequences(model: Model, count = 4, length = 32, seed = 1): number[][] {
  const { config } = model;
  const rng = new Xorshift32(seed);
  const special = new Set(config.special_ids);
  const ordinary = model.vocab.map((_, id) => id).filter((id) => !special.has(id));
  const len = Math.min(length, config.context_length);
  return Array.from({ length: count }, () => {
    const seq = config.bos_id === null ? [] : [config.bos_id];
    while (seq.length < len) seq.push(ordinary[Math.floor(rng.uniform() * ordinary.length)]);
    return seq;
  });
}
