import assert from 'node:assert/strict';
import { makeConfig } from '../../../src/model/config';
import { Transformer, logitsForSequence } from '../../../src/model/forward';
import { Float32KvCache, Int8KvCache, createKvCache, quantizeGroup } from '../../../src/model/kvCache';
import { convertModel } from '../../../src/model/quantize';
import { tinyModel } from './helpers';

const config = makeConfig({ vocab_size: 8, dim: 4, hidden_dim: 4, n_layers: 2, n_heads: 2, context_length: 3 });

describe('KV cache', () => {
  it('quantizes a vector with s = max|x| / 127 as float32 and q = floor(x / s + 0.5)', () => {
    const x = Float32Array.from([1.27, -0.635, 0.005, -1.0]);
    const q = new Int8Array(4);
    const s = quantizeGroup(x, 0, 4, q, 0);
    assert.equal(s, Math.fround(Math.fround(1.27) / 127));
    assert.deepEqual([...q], [1.27, -0.635, 0.005, -1.0].map((v) => Math.floor(Math.fround(v) / s + 0.5)));
    assert.equal(q[0], 127);
  });

  it('rounds halves up (toward +infinity), not away from zero', () => {
    // s = 127 / 127 = 1 exactly, so x / s is x: 2.5 -> 3, -2.5 -> -2, -0.5 -> 0
    const q = new Int8Array(4);
    assert.equal(quantizeGroup(Float32Array.from([127, 2.5, -2.5, -0.5]), 0, 4, q, 0), 1);
    assert.deepEqual([...q], [127, 3, -2, 0]);
  });

  it('stores a zero vector as zeros with scale 0, and quantizes only the group asked for', () => {
    const q = Int8Array.from([9, 9, 9, 9, 9]);
    assert.equal(quantizeGroup(Float32Array.from([5, 0, 0, 0, 7]), 1, 3, q, 1), 0);
    assert.deepEqual([...q], [9, 0, 0, 0, 9]);
  });

  it('stores a group with a subnormal scale as zeros (so no value ever needs a clamp)', () => {
    const tiny = 190 * 2 ** -149; // a float32 subnormal: max / 127 would round to 2^-149 and x / s to 190
    const q = Int8Array.from([5, 5, 5]);
    assert.equal(quantizeGroup(Float32Array.from([-tiny, tiny, 0]), 0, 3, q, 0), 0);
    assert.deepEqual([...q], [0, 0, 0]);
    const smallest = 127 * 2 ** -126; // s is exactly 2^-126, the smallest normal: kept
    assert.equal(quantizeGroup(Float32Array.from([-smallest, smallest / 2, 0]), 0, 3, q, 0), 2 ** -126);
    assert.deepEqual([...q], [-127, 64, 0]);
  });

  it('never leaves [-127, 127]: the extremes of many random vectors', () => {
    let seed = 12345;
    const next = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1;
    const q = new Int8Array(16);
    for (let n = 0; n < 2000; n++) {
      const x = Float32Array.from({ length: 16 }, () => next() * 10 ** Math.floor(next() * 30));
      quantizeGroup(x, 0, 16, q, 0);
      assert.ok(q.every((v) => v >= -127 && v <= 127));
      assert.ok(q.some((v) => Math.abs(v) === 127));
    }
  });

  it('int8 scores and mix follow the documented order: (q . Kq) * s / root; p * s as float32, then sum / total', () => {
    const cache = new Int8KvCache(config);
    const k = [Float32Array.from([0.3, -1.2, 0.7, 0.05]), Float32Array.from([-0.4, 0.9, -0.25, 2.0])];
    const v = [Float32Array.from([1.5, 0.2, -0.8, 0.6]), Float32Array.from([0.1, -2.2, 0.4, 0.9])];
    k.forEach((kk, t) => cache.store(1, t, kk, v[t]));
    const quant = (x: Float32Array): { q: Int8Array; s: number } => {
      const q = new Int8Array(4);
      return { q, s: quantizeGroup(x, 0, 4, q, 0) };
    };
    const kq = k.map(quant);
    const vq = v.map(quant);
    const qv = Float32Array.from([0.5, -0.25, 1.0, 2.0]);
    const root = Math.sqrt(2);
    const scores = new Float32Array(3);
    cache.scores(1, 2, 2, qv, 2, root, scores);
    const want = kq.map(({ q, s }) => Math.fround(((qv[2] * q[2] + qv[3] * q[3]) * s) / root));
    assert.deepEqual([...scores.subarray(0, 2)], want);
    const p = Float32Array.from([0.75, 1, 0]);
    const out = new Float32Array(4);
    cache.mix(1, 2, 2, p, 2, 1.75, out);
    const w = vq.map(({ s }, t) => Math.fround([0.75, 1][t] * s));
    for (const i of [2, 3]) assert.equal(out[i], Math.fround((w[0] * vq[0].q[i] + w[1] * vq[1].q[i]) / 1.75));
    assert.deepEqual([out[0], out[1]], [0, 0], 'the other head is left alone');
  });

  it('takes a scale per head when the group is the head width', () => {
    const perHead = new Int8KvCache(config, 2);
    const perVector = new Int8KvCache(config);
    const k = Float32Array.from([100, -50, 0.01, 0.02]); // one large head beside one tiny head
    for (const c of [perHead, perVector]) c.store(0, 0, k, k);
    const score = (c: Int8KvCache): number => {
      const out = new Float32Array(1);
      c.scores(0, 2, 2, Float32Array.from([0, 0, 1, 1]), 1, 1, out);
      return out[0];
    };
    assert.ok(Math.abs(score(perHead) - 0.03) < 1e-3, `per head keeps the small head: ${score(perHead)}`);
    assert.equal(score(perVector), 0, 'one scale for the vector rounds the small head to 0');
    assert.throws(() => new Int8KvCache(config, 3), /does not divide dim 4/);
    assert.equal(perHead.bytes, 2 * (2 * 3 * 4) + 2 * (2 * 3 * 2) * 4);
    assert.equal(perVector.bytes, 2 * (2 * 3 * 4) + 2 * (2 * 3) * 4);
  });

  it('the config chooses the kind: absent and float32 give the float cache, int8 the int8 one', () => {
    assert.ok(createKvCache(config) instanceof Float32KvCache);
    assert.ok(createKvCache({ ...config, kv_cache: 'float32' }) instanceof Float32KvCache);
    assert.ok(createKvCache({ ...config, kv_cache: 'int8' }) instanceof Int8KvCache);
  });

  it('a model with the int8 cache gives logits near the float cache, not equal to them', () => {
    const model = convertModel(tinyModel({ context_length: 8 }, 11), 'I8');
    const tokens = [1, 5, 6, 7, 8, 9, 10, 11];
    const float = logitsForSequence(model, tokens);
    const int8 = logitsForSequence({ ...model, config: { ...model.config, kv_cache: 'int8' } }, tokens);
    const given = logitsForSequence(new Transformer(model, new Int8KvCache(model.config)), tokens);
    let worst = 0;
    let differs = false;
    float.forEach((row, p) =>
      row.forEach((v, i) => {
        worst = Math.max(worst, Math.abs(v - int8[p][i]));
        differs ||= v !== int8[p][i];
        assert.equal(given[p][i], int8[p][i]);
      }),
    );
    assert.ok(differs, 'the int8 cache was used');
    assert.ok(worst < 0.05, `worst logit difference ${worst}`);
  });
});
