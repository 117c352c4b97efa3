// The reference forward pass (docs/format.md "Forward pass"), one token at a time with a KV cache.
// Numerics: every vector lives in a Float32Array (so each stored value is rounded to float32), every sum
// (dot products, means, softmax denominators) accumulates in a JS number (double).
import type { ModelConfig } from './config';
import { type KvCache, createKvCache } from './kvCache';
import type { Model } from './modelFile';
import type { Tensor } from './tensor';

/** A matrix ready for y = W x: float rows, or int8 rows with one scale each. */
interface Matrix {
  rows: number;
  cols: number;
  f32?: Float32Array;
  q?: Int8Array;
  scale?: Float32Array;
}

interface LayerWeights {
  attnNorm: Float32Array; // (dim)
  wq: Matrix; wk: Matrix; wv: Matrix; wo: Matrix; // (dim, dim)
  ffnNorm: Float32Array; // (dim)
  w1: Matrix; // (hidden, dim)
  w2: Matrix; // (dim, hidden)
}

export class Transformer {
  readonly config: ModelConfig;
  private readonly tokEmb: Matrix; // (vocab, dim)
  private readonly posEmb: Matrix | undefined; // (ctx, dim)
  private readonly layers: LayerWeights[];
  private readonly finalNorm: Float32Array; // (dim)
  private readonly out: Matrix; // (vocab, dim): tok_emb when tied
  // Run state, allocated once.
  private readonly kv: KvCache; // the config's kind (docs/format.md "KV cache")
  private readonly k: Float32Array; // (dim) the new key, before the cache stores it
  private readonly v: Float32Array; // (dim) the new value
  private readonly x: Float32Array; // (dim) residual stream
  private readonly h: Float32Array; // (dim) normed input of a sublayer
  private readonly q: Float32Array; // (dim)
  private readonly att: Float32Array; // (dim) attention output, all heads
  private readonly proj: Float32Array; // (dim) output of wo / w2
  private readonly hidden: Float32Array; // (hidden_dim)
  private readonly scores: Float32Array; // (ctx)
  private readonly logits: Float32Array; // (vocab)
  private position = 0;

  /** `kv`: another cache than the config's (benchmarks compare kinds on the same weights). */
  constructor(model: Model, kv?: KvCache) {
    const c = (this.config = model.config);
    const get = (name: string): Tensor => {
      const t = model.tensors.get(name);
      if (t === undefined) throw new Error(`model has no tensor "${name}"`);
      return t;
    };
    this.tokEmb = matrix(get('tok_emb'));
    this.posEmb = c.positional === 'learned' ? matrix(get('pos_emb')) : undefined;
    this.layers = [];
    for (let i = 0; i < c.n_layers; i++) {
      const p = `layers.${i}.`;
      this.layers.push({
        attnNorm: vector(get(`${p}attn_norm`)),
        wq: matrix(get(`${p}wq`)),
        wk: matrix(get(`${p}wk`)),
        wv: matrix(get(`${p}wv`)),
        wo: matrix(get(`${p}wo`)),
        ffnNorm: vector(get(`${p}ffn_norm`)),
        w1: matrix(get(`${p}w1`)),
        w2: matrix(get(`${p}w2`)),
      });
    }
    this.finalNorm = vector(get('final_norm'));
    this.out = c.tied_embeddings ? this.tokEmb : matrix(get('lm_head'));
    this.kv = kv ?? createKvCache(c);
    this.k = new Float32Array(c.dim);
    this.v = new Float32Array(c.dim);
    this.x = new Float32Array(c.dim);
    this.h = new Float32Array(c.dim);
    this.q = new Float32Array(c.dim);
    this.att = new Float32Array(c.dim);
    this.proj = new Float32Array(c.dim);
    this.hidden = new Float32Array(c.hidden_dim);
    this.scores = new Float32Array(c.context_length);
    this.logits = new Float32Array(c.vocab_size);
  }

  /** Position the next token will take (= tokens processed since the last reset). */
  get pos(): number {
    return this.position;
  }

  reset(): void {
    this.position = 0;
  }

  /** Feeds one token; returns the logits for the next one (a buffer reused by the next call: copy to keep). */
  step(token: number): Float32Array {
    this.feed(token);
    this.norm(this.x, this.finalNorm, this.h);
    matvec(this.out, this.h, this.logits);
    return this.logits;
  }

  /** Feeds one token without computing logits (a prefill token whose prediction nobody reads): the cache and the
   *  position advance exactly as with step(). */
  feed(token: number): void {
    const c = this.config;
    if (!Number.isInteger(token) || token < 0 || token >= c.vocab_size) throw new RangeError(`token ${token} is not in 0..${c.vocab_size - 1}`);
    if (this.position >= c.context_length) throw new RangeError(`context is full (${c.context_length} tokens)`);
    const pos = this.position;
    const { dim } = c;
    const x = this.x;
    embed(this.tokEmb, token, x);
    if (this.posEmb !== undefined) {
      embed(this.posEmb, pos, this.h);
      for (let i = 0; i < dim; i++) x[i] += this.h[i];
    }
    this.layers.forEach((layer, l) => {
      this.norm(x, layer.attnNorm, this.h);
      matvec(layer.wq, this.h, this.q);
      matvec(layer.wk, this.h, this.k);
      matvec(layer.wv, this.h, this.v);
      this.kv.store(l, pos, this.k, this.v);
      this.attention(l, pos);
      matvec(layer.wo, this.att, this.proj);
      for (let i = 0; i < dim; i++) x[i] += this.proj[i];
      this.norm(x, layer.ffnNorm, this.h);
      matvec(layer.w1, this.h, this.hidden);
      activate(c.activation, this.hidden);
      matvec(layer.w2, this.hidden, this.proj);
      for (let i = 0; i < dim; i++) x[i] += this.proj[i];
    });
    this.position++;
  }

  /** Causal attention of the query in `q` over positions 0..pos of layer `l`, every head, into `att`. */
  private attention(l: number, pos: number): void {
    const { dim, n_heads: heads } = this.config;
    const hd = dim / heads;
    const root = Math.sqrt(hd);
    const n = pos + 1;
    const s = this.scores;
    for (let j = 0; j < heads; j++) {
      const off = j * hd;
      this.kv.scores(l, off, hd, this.q, n, root, s);
      let max = -Infinity;
      for (let t = 0; t < n; t++) if (s[t] > max) max = s[t];
      let sum = 0;
      for (let t = 0; t < n; t++) {
        s[t] = Math.exp(s[t] - max);
        sum += s[t];
      }
      this.kv.mix(l, off, hd, s, n, sum, this.att);
    }
  }

  private norm(x: Float32Array, w: Float32Array, out: Float32Array): void {
    const n = x.length;
    const eps = this.config.norm_eps;
    if (this.config.norm === 'rmsnorm') {
      let ss = 0;
      for (let i = 0; i < n; i++) ss += x[i] * x[i];
      const inv = 1 / Math.sqrt(ss / n + eps);
      for (let i = 0; i < n; i++) out[i] = x[i] * inv * w[i];
    } else {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += x[i];
      mean /= n;
      let variance = 0;
      for (let i = 0; i < n; i++) variance += (x[i] - mean) * (x[i] - mean);
      const inv = 1 / Math.sqrt(variance / n + eps);
      for (let i = 0; i < n; i++) out[i] = (x[i] - mean) * inv * w[i];
    }
  }
}

/** Runs `tokens` from position 0 and returns a copy of the logits after each one. */
export function logitsForSequence(model: Model | Transformer, tokens: readonly number[]): Float32Array[] {
  const t = model instanceof Transformer ? model : new Transformer(model);
  t.reset();
  return tokens.map((tok) => t.step(tok).slice());
}

function matrix(t: Tensor): Matrix {
  const [rows, cols] = t.shape;
  if (t.dtype === 'I8') return { rows, cols, q: t.data, scale: t.scale };
  return { rows, cols: cols ?? 1, f32: t.data };
}

function vector(t: Tensor): Float32Array {
  if (t.dtype === 'I8') throw new Error('norm weights cannot be int8');
  return t.data;
}

/** out = W x; int8: out[r] = scale[r] * sum_c q[r][c] x[c]. */
function matvec(m: Matrix, x: Float32Array, out: Float32Array): void {
  const { rows, cols } = m;
  if (m.q !== undefined && m.scale !== undefined) {
    const q = m.q;
    for (let r = 0; r < rows; r++) {
      let acc = 0;
      const base = r * cols;
      for (let c = 0; c < cols; c++) acc += q[base + c] * x[c];
      out[r] = m.scale[r] * acc;
    }
    return;
  }
  const w = m.f32 as Float32Array;
  for (let r = 0; r < rows; r++) {
    let acc = 0;
    const base = r * cols;
    for (let c = 0; c < cols; c++) acc += w[base + c] * x[c];
    out[r] = acc;
  }
}

/** out = row `row` of an embedding table, dequantized. */
function embed(m: Matrix, row: number, out: Float32Array): void {
  const base = row * m.cols;
  if (m.q !== undefined && m.scale !== undefined) {
    const s = m.scale[row];
    for (let c = 0; c < m.cols; c++) out[c] = m.q[base + c] * s;
  } else {
    const w = m.f32 as Float32Array;
    for (let c = 0; c < m.cols; c++) out[c] = w[base + c];
  }
}

const GeluC = Math.sqrt(2 / Math.PI);

function activate(kind: ModelConfig['activation'], v: Float32Array): void {
  for (let i = 0; i < v.length; i++) {
    const z = v[i];
    if (kind === 'silu') v[i] = z / (1 + Math.exp(-z));
    else if (kind === 'gelu') v[i] = 0.5 * z * (1 + Math.tanh(GeluC * (z + 0.044715 * z * z * z)));
    else v[i] = z > 0 ? z : 0;
  }
}
