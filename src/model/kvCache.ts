// The attention's key/value cache (docs/format.md "KV cache"): float32, or int8 with one float32 scale per cached
// vector. The forward pass stores each new key and value here and asks it for one head's scores and weighted sum,
// so the order of operations of each kind lives in one place (the board's fwd_py.py / fwd_np.py follow it).
// Numerics as in forward.ts: values stored as float32, sums accumulated in a double.
import { type ModelConfig, kvCacheOf } from './config';

export interface KvCache {
  /** Stores layer `l`'s key and value vectors (dim each) at position `pos`; k and v are read, not kept. */
  store(l: number, pos: number, k: Float32Array, v: Float32Array): void;
  /** out[t] = (q[off..off+hd) . K[l][t][off..off+hd)) / root for t in 0..n-1 (int8: the dot times the scale first). */
  scores(l: number, off: number, hd: number, q: Float32Array, n: number, root: number, out: Float32Array): void;
  /** out[off+i] = (sum_t p[t] V[l][t][off+i]) / total for i in 0..hd-1. May overwrite p[0..n) (int8 folds its
   *  scales into p). */
  mix(l: number, off: number, hd: number, p: Float32Array, n: number, total: number, out: Float32Array): void;
  /** Bytes the cache holds (values and scales), for reports. */
  readonly bytes: number;
}

/** Bytes of the cache's keys, values and scales for a whole context (docs/format.md "KV cache"), the kind the
 *  config says or `kind`: float32 `2 * n_layers * ctx * dim * 4`, int8 `2 * n_layers * ctx * (dim + 4)`. */
export function kvCacheBytes(config: ModelConfig, kind = kvCacheOf(config)): number {
  const { n_layers: layers, context_length: ctx, dim } = config;
  return 2 * layers * ctx * (kind === 'int8' ? dim + 4 : 4 * dim);
}

export function createKvCache(config: ModelConfig): KvCache {
  return kvCacheOf(config) === 'int8' ? new Int8KvCache(config) : new Float32KvCache(config);
}

/** The cache as float32 vectors: keys and values stored as computed. */
export class Float32KvCache implements KvCache {
  private readonly keys: Float32Array; // (n_layers, ctx, dim)
  private readonly values: Float32Array; // (n_layers, ctx, dim)
  private readonly dim: number;
  private readonly ctx: number;

  constructor(config: ModelConfig) {
    this.dim = config.dim;
    this.ctx = config.context_length;
    this.keys = new Float32Array(config.n_layers * this.ctx * this.dim);
    this.values = new Float32Array(config.n_layers * this.ctx * this.dim);
  }

  get bytes(): number {
    return this.keys.byteLength + this.values.byteLength;
  }

  store(l: number, pos: number, k: Float32Array, v: Float32Array): void {
    const at = (l * this.ctx + pos) * this.dim;
    this.keys.set(k, at);
    this.values.set(v, at);
  }

  scores(l: number, off: number, hd: number, q: Float32Array, n: number, root: number, out: Float32Array): void {
    const base = l * this.ctx * this.dim + off;
    for (let t = 0; t < n; t++) {
      const k = base + t * this.dim;
      let dot = 0;
      for (let i = 0; i < hd; i++) dot += q[off + i] * this.keys[k + i];
      out[t] = dot / root;
    }
  }

  mix(l: number, off: number, hd: number, p: Float32Array, n: number, total: number, out: Float32Array): void {
    const base = l * this.ctx * this.dim + off;
    for (let i = 0; i < hd; i++) {
      let acc = 0;
      for (let t = 0; t < n; t++) acc += p[t] * this.values[base + t * this.dim + i];
      out[off + i] = acc / total;
    }
  }
}

/**
 * The cache as int8 with float32 scales: each stored vector is cut into groups of `group` elements (the format's
 * int8 cache: group = dim, one scale per cached key or value vector; the bench also tries group = head_dim), each
 * group quantized with quantizeGroup. Scores: (q . Kq) * scale / root. Mix: p[t] * scale[t] stored as float32,
 * then (sum_t that * Vq[t]) / total.
 */
export class Int8KvCache implements KvCache {
  private readonly keys: Int8Array; // (n_layers, ctx, dim)
  private readonly values: Int8Array; // (n_layers, ctx, dim)
  private readonly keyScales: Float32Array; // (n_layers, ctx, dim / group)
  private readonly valueScales: Float32Array; // (n_layers, ctx, dim / group)
  private readonly dim: number;
  private readonly ctx: number;
  private readonly groups: number;

  constructor(
    config: ModelConfig,
    private readonly group = config.dim,
  ) {
    if (!Number.isInteger(group) || group < 1 || config.dim % group !== 0) throw new RangeError(`a scale group of ${group} does not divide dim ${config.dim}`);
    this.dim = config.dim;
    this.ctx = config.context_length;
    this.groups = this.dim / group;
    const n = config.n_layers * this.ctx;
    this.keys = new Int8Array(n * this.dim);
    this.values = new Int8Array(n * this.dim);
    this.keyScales = new Float32Array(n * this.groups);
    this.valueScales = new Float32Array(n * this.groups);
  }

  get bytes(): number {
    return this.keys.byteLength + this.values.byteLength + this.keyScales.byteLength + this.valueScales.byteLength;
  }

  store(l: number, pos: number, k: Float32Array, v: Float32Array): void {
    const row = l * this.ctx + pos;
    for (let g = 0; g < this.groups; g++) {
      const from = g * this.group;
      this.keyScales[row * this.groups + g] = quantizeGroup(k, from, this.group, this.keys, row * this.dim + from);
      this.valueScales[row * this.groups + g] = quantizeGroup(v, from, this.group, this.values, row * this.dim + from);
    }
  }

  scores(l: number, off: number, hd: number, q: Float32Array, n: number, root: number, out: Float32Array): void {
    const row0 = l * this.ctx;
    const g = Math.floor(off / this.group);
    for (let t = 0; t < n; t++) {
      const k = (row0 + t) * this.dim + off;
      let dot = 0;
      for (let i = 0; i < hd; i++) dot += q[off + i] * this.keys[k + i];
      out[t] = (dot * this.keyScales[(row0 + t) * this.groups + g]) / root;
    }
  }

  mix(l: number, off: number, hd: number, p: Float32Array, n: number, total: number, out: Float32Array): void {
    const row0 = l * this.ctx;
    const g = Math.floor(off / this.group);
    for (let t = 0; t < n; t++) p[t] = p[t] * this.valueScales[(row0 + t) * this.groups + g];
    const base = row0 * this.dim + off;
    for (let i = 0; i < hd; i++) {
      let acc = 0;
      for (let t = 0; t < n; t++) acc += p[t] * this.values[base + t * this.dim + i];
      out[off + i] = acc / total;
    }
  }
}

/** The smallest normal float32: a group whose scale is below it is stored as zeros (see quantizeGroup). */
const MinNormalF32 = 2 ** -126;

/**
 * Quantizes x[from..from+count) into q[at..at+count) and returns the scale: s = max|x| / 127 rounded to float32;
 * q = floor(x / s + 0.5) (rounding half up: one floor, the same in Python and with ulab). A group whose s is below
 * 2^-126 (zero, or subnormal) is stored as zeros with scale 0; for every other s, |x / s| <= 127.00001, so q is
 * always in [-127, 127] without a clamp. The division and the + 0.5 are in double, as the board's pure-Python path
 * does them.
 */
export function quantizeGroup(x: Float32Array, from: number, count: number, q: Int8Array, at: number): number {
  let max = 0;
  for (let i = 0; i < count; i++) {
    const a = Math.abs(x[from + i]);
    if (a > max) max = a;
  }
  const s = Math.fround(max / 127);
  if (s < MinNormalF32) {
    q.fill(0, at, at + count);
    return 0;
  }
  for (let i = 0; i < count; i++) q[at + i] = Math.floor(x[from + i] / s + 0.5);
  return s;
}
