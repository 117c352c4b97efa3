import assert from 'node:assert/strict';
import { type ModelConfig, makeConfig } from '../../../src/model/config';
import { Transformer, logitsForSequence } from '../../../src/model/forward';
import type { Model } from '../../../src/model/modelFile';
import { convertModel } from '../../../src/model/quantize';
import { randomModel } from '../../../src/model/random';
import { type Tensor, toFloat32 } from '../../../src/model/tensor';
import { tinyModel } from './helpers';

/** A straightforward full-recompute forward pass over plain number arrays, written from docs/format.md. */
function naiveLogits(model: Model, tokens: number[]): number[][] {
  const c = model.config;
  const w = (name: string): number[] => Array.from(toFloat32(model.tensors.get(name) as Tensor));
  const mat = (name: string, x: number[]): number[] => {
    const t = model.tensors.get(name) as Tensor;
    const [rows, cols] = t.shape as [number, number];
    const m = w(name);
    return Array.from({ length: rows }, (_, r) => x.reduce((s, xc, col) => s + m[r * cols + col] * xc, 0));
  };
  const norm = (x: number[], g: number[]): number[] => {
    const n = x.length;
    if (c.norm === 'rmsnorm') {
      const rms = Math.sqrt(x.reduce((s, v) => s + v * v, 0) / n + c.norm_eps);
      return x.map((v, i) => (v / rms) * g[i]);
    }
    const mean = x.reduce((s, v) => s + v, 0) / n;
    const sd = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / n + c.norm_eps);
    return x.map((v, i) => ((v - mean) / sd) * g[i]);
  };
  const act = (z: number): number =>
    c.activation === 'relu' ? Math.max(z, 0) : c.activation === 'silu' ? z / (1 + Math.exp(-z)) : 0.5 * z * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (z + 0.044715 * z ** 3)));
  const emb = w('tok_emb');
  const pos = c.positional === 'learned' ? w('pos_emb') : undefined;
  let xs = tokens.map((tok, p) => Array.from({ length: c.dim }, (_, i) => emb[tok * c.dim + i] + (pos ? pos[p * c.dim + i] : 0)));
  const hd = c.dim / c.n_heads;
  for (let l = 0; l < c.n_layers; l++) {
    const p = `layers.${l}.`;
    const hs = xs.map((x) => norm(x, w(`${p}attn_norm`)));
    const q = hs.map((h) => mat(`${p}wq`, h));
    const k = hs.map((h) => mat(`${p}wk`, h));
    const v = hs.map((h) => mat(`${p}wv`, h));
    xs = xs.map((x, t) => {
      const o = new Array<number>(c.dim).fill(0);
      for (let j = 0; j < c.n_heads; j++) {
        const sl = (a: number[]): number[] => a.slice(j * hd, (j + 1) * hd);
        const s = k.slice(0, t + 1).map((kk) => sl(kk).reduce((acc, kv, i) => acc + kv * sl(q[t])[i], 0) / Math.sqrt(hd));
        const m = Math.max(...s);
        const e = s.map((z) => Math.exp(z - m));
        const sum = e.reduce((a, b) => a + b, 0);
        for (let i = 0; i < hd; i++) o[j * hd + i] = e.reduce((acc, ei, u) => acc + (ei / sum) * v[u][j * hd + i], 0);
      }
      const x1 = mat(`${p}wo`, o).map((y, i) => x[i] + y);
      const hidden = mat(`${p}w1`, norm(x1, w(`${p}ffn_norm`))).map(act);
      return mat(`${p}w2`, hidden).map((y, i) => x1[i] + y);
    });
  }
  return xs.map((x) => mat(c.tied_embeddings ? 'tok_emb' : 'lm_head', norm(x, w('final_norm'))));
}

function assertClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * Math.max(1, Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

describe('forward pass', () => {
  it('computes a one-layer case by hand', () => {
    // dim 2, one head, hidden 1, relu, rmsnorm, tied, no positions; every projection the identity.
    const config = makeConfig({
      vocab_size: 3, dim: 2, hidden_dim: 1, n_layers: 1, n_heads: 1, context_length: 4, norm: 'rmsnorm', norm_eps: 1e-5,
      activation: 'relu', positional: 'none', tied_embeddings: true, bos_id: null, eos_id: null, unk_id: 0, pad_id: null, special_ids: [0],
    });
    const f = (shape: number[], values: number[]): Tensor => ({ dtype: 'F32', shape, data: Float32Array.from(values) });
    const eye = [1, 0, 0, 1];
    const model: Model = {
      config,
      vocab: ['<unk>', 'a', 'b'],
      extraMetadata: {},
      tensors: new Map([
        ['tok_emb', f([3, 2], [1, 0, 0, 1, 1, 1])],
        ['layers.0.attn_norm', f([2], [1, 1])],
        ['layers.0.wq', f([2, 2], eye)],
        ['layers.0.wk', f([2, 2], eye)],
        ['layers.0.wv', f([2, 2], eye)],
        ['layers.0.wo', f([2, 2], eye)],
        ['layers.0.ffn_norm', f([2], [1, 1])],
        ['layers.0.w1', f([1, 2], [1, -1])],
        ['layers.0.w2', f([2, 1], [2, 0])],
        ['final_norm', f([2], [1, 1])],
      ]),
    };
    // Token 2 at position 0: x = [1, 1]; rmsnorm -> h = [1, 1]/sqrt(1 + eps); attention over itself gives v = h;
    // x = [1 + h0, 1 + h1]; ffn: w1 h' = h'0 - h'1 = 0 -> relu 0 -> x unchanged; final norm -> [1, 1]/sqrt(1 + eps).
    const eps = 1e-5;
    const a = 1 / Math.sqrt(1 + eps);
    const x = 1 + a;
    const xn = x / Math.sqrt(x * x + eps);
    const logits = logitsForSequence(model, [2])[0];
    assertClose(logits, [xn, xn, 2 * xn], 1e-6, 'pos 0');
    // Then token 1 at position 1: x = [0, 1], h = [0, 1]/sqrt(0.5 + eps); scores q.k / sqrt(2) against [h0 of pos 0, h].
    const h0 = [a, a];
    const s = Math.sqrt(0.5 + eps);
    const h1 = [0, 1 / s];
    const scores = [h0, h1].map((k) => (h1[0] * k[0] + h1[1] * k[1]) / Math.sqrt(2));
    const e = scores.map((z) => Math.exp(z - Math.max(...scores)));
    const p = e.map((v) => v / (e[0] + e[1]));
    const o = [p[0] * h0[0] + p[1] * h1[0], p[0] * h0[1] + p[1] * h1[1]];
    const x1 = [0 + o[0], 1 + o[1]];
    const g = Math.sqrt((x1[0] ** 2 + x1[1] ** 2) / 2 + eps);
    const hf = [x1[0] / g, x1[1] / g];
    const r = Math.max(0, hf[0] - hf[1]);
    const x2 = [x1[0] + 2 * r, x1[1]];
    const gf = Math.sqrt((x2[0] ** 2 + x2[1] ** 2) / 2 + eps);
    const out = [x2[0] / gf, x2[1] / gf];
    assertClose(logitsForSequence(model, [2, 1])[1], [out[0], out[1], out[0] + out[1]], 1e-6, 'pos 1');
  });

  const variants: Partial<ModelConfig>[] = [
    {},
    { norm: 'layernorm', activation: 'gelu', positional: 'none', tied_embeddings: false },
    { activation: 'relu', n_heads: 4, dim: 8 },
    { n_heads: 1, n_layers: 1, hidden_dim: 3 },
  ];

  it('agrees with a naive full-recompute implementation for every option', () => {
    for (const v of variants) {
      const model = tinyModel(v);
      const tokens = [1, 5, 9, 4, 11, 0, 7, 6];
      const got = logitsForSequence(model, tokens);
      naiveLogits(model, tokens).forEach((want, p) => assertClose(got[p], want, 2e-5, `${JSON.stringify(v)} pos ${p}`));
    }
  });

  it('is causal: logits at t do not depend on later tokens', () => {
    const model = tinyModel();
    const a = logitsForSequence(model, [1, 4, 5, 6, 7]);
    const b = logitsForSequence(model, [1, 4, 5, 9, 2, 3]);
    for (let t = 0; t < 3; t++) assert.deepEqual(a[t], b[t]);
    assert.notDeepEqual(a[3], b[3]);
  });

  it('int8 and F16 weights give the dequantized model\'s logits', () => {
    const model = tinyModel({ tied_embeddings: false });
    for (const dtype of ['I8', 'F16'] as const) {
      const q = convertModel(model, dtype);
      const deq = { ...q, tensors: new Map([...q.tensors].map(([n, t]) => [n, { dtype: 'F32', shape: t.shape, data: toFloat32(t) } as Tensor])) };
      const tokens = [1, 2, 3, 4, 5];
      const a = logitsForSequence(q, tokens);
      logitsForSequence(deq, tokens).forEach((want, p) => assertClose(a[p], want, 1e-5, `${dtype} pos ${p}`));
    }
  });

  it('reset starts over; a full context refuses more tokens; bad tokens are refused', () => {
    const model = tinyModel();
    const t = new Transformer(model);
    const first = t.step(1).slice();
    t.step(2);
    t.reset();
    assert.deepEqual(t.step(1), first);
    for (let i = 1; i < model.config.context_length; i++) t.step(4);
    assert.equal(t.pos, model.config.context_length);
    assert.throws(() => t.step(4), /context is full/);
    t.reset();
    assert.throws(() => t.step(12), /not in 0\.\.11/);
    assert.throws(() => t.step(-1), RangeError);
  });

  it('runs a 100K-parameter model quickly', () => {
    const config = makeConfig({ vocab_size: 128, dim: 64, hidden_dim: 224, n_layers: 2, n_heads: 8, context_length: 64 });
    const t = new Transformer(randomModel(config, 1));
    const started = performance.now();
    for (let i = 0; i < 64; i++) t.step(i % 128);
    assert.ok(performance.now() - started < 2000);
  });
});
