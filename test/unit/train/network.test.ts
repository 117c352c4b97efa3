import assert from 'node:assert/strict';
import { type ModelConfig, makeConfig } from '../../../src/model/config';
import { logitsForSequence } from '../../../src/model/forward';
import { modelFromParams } from '../../../src/train/export';
import { initParams } from '../../../src/train/init';
import { Network } from '../../../src/train/network';
import { TrainRng } from '../../../src/train/rng';

function config(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return makeConfig({ vocab_size: 7, dim: 6, hidden_dim: 5, n_layers: 2, n_heads: 2, context_length: 5, ...overrides });
}

/** Every option the format lets a new model have, one change at a time from the defaults (rmsnorm, silu, learned, tied). */
const Variants: [string, Partial<ModelConfig>][] = [
  ['defaults (rmsnorm, silu, learned positions, tied)', {}],
  ['layernorm', { norm: 'layernorm' }],
  ['gelu', { activation: 'gelu' }],
  ['relu', { activation: 'relu' }],
  ['no positions', { positional: 'none' }],
  ['untied lm_head', { tied_embeddings: false }],
  ['one head', { n_heads: 1 }],
  ['three heads, one layer', { n_heads: 3, n_layers: 1 }],
  ['layernorm + gelu + untied + no positions', { norm: 'layernorm', activation: 'gelu', tied_embeddings: false, positional: 'none' }],
];

/** Weights in float64, scaled up from the initial ones so every nonlinearity works away from its linear region. */
function params64(c: ModelConfig, seed: number): Float64Array {
  const rng = new TrainRng(seed + 100);
  return Float64Array.from(initParams(c, seed), (v) => v * 1.5 + rng.normal() * 0.05);
}

function batch(c: ModelConfig, windows: number, len: number, seed: number): { inputs: Int32Array; targets: Int32Array } {
  const rng = new TrainRng(seed);
  return {
    inputs: Int32Array.from({ length: windows * len }, () => rng.below(c.vocab_size)),
    targets: Int32Array.from({ length: windows * len }, () => rng.below(c.vocab_size)),
  };
}

describe('training network', () => {
  for (const [name, overrides] of Variants) {
    it(`gradients match central finite differences: ${name}`, () => {
      const c = config(overrides);
      const net = new Network(c);
      const p = params64(c, 3);
      const { inputs, targets } = batch(c, 2, 5, 9);
      const grads = new Float64Array(p.length);
      const scale = 1 / 10;
      net.run(p, inputs, targets, 2, 5, grads, scale);
      const h = 1e-6;
      let worst = 0;
      let where = '';
      for (const s of net.layout.slices) {
        for (let i = s.offset; i < s.offset + s.size; i++) {
          const old = p[i];
          p[i] = old + h;
          const up = net.run(p, inputs, targets, 2, 5, null);
          p[i] = old - h;
          const down = net.run(p, inputs, targets, 2, 5, null);
          p[i] = old;
          const numeric = ((up - down) / (2 * h)) * scale;
          const err = Math.abs(numeric - grads[i]) / Math.max(1e-4, Math.abs(numeric) + Math.abs(grads[i]));
          if (err > worst) [worst, where] = [err, `${s.name}[${i - s.offset}]: numeric ${numeric}, analytic ${grads[i]}`];
        }
      }
      assert.ok(worst < 1e-4, `worst relative error ${worst} at ${where}`);
    });
  }

  it('every parameter gets a gradient (no tensor left out of the backward pass)', () => {
    const c = config({ tied_embeddings: false });
    const net = new Network(c);
    const p = params64(c, 4);
    const { inputs, targets } = batch(c, 3, 5, 2);
    const grads = new Float64Array(p.length);
    net.run(p, inputs, targets, 3, 5, grads, 1);
    for (const s of net.layout.slices) {
      const some = grads.subarray(s.offset, s.offset + s.size).some((g) => g !== 0);
      // Rows of tokens absent from the inputs get nothing through the embedding, but the output layer touches all.
      assert.ok(some, `${s.name} has an all-zero gradient`);
    }
  });

  for (const [name, overrides] of Variants) {
    it(`float32 forward gives the reference's logits: ${name}`, () => {
      const c = config({ ...overrides, context_length: 6 });
      const params = initParams(c, 11);
      for (let i = 0; i < params.length; i++) params[i] *= 2; // larger than init so differences would show
      const vocab = ['<pad>', '<s>', '</s>', '<unk>', 'a', 'b', 'c'];
      const model = modelFromParams(c, vocab, params, {});
      const tokens = [1, 4, 6, 5, 4, 2];
      const reference = logitsForSequence(model, tokens);
      const ours = new Network(c).logitsOf(params, tokens);
      reference.forEach((row, t) => {
        for (let v = 0; v < c.vocab_size; v++) {
          const a = row[v];
          const b = ours[t * c.vocab_size + v];
          assert.ok(Math.abs(a - b) <= 1e-5 * Math.max(1, Math.abs(a)), `position ${t} token ${v}: reference ${a}, trainer ${b}`);
        }
      });
    });
  }

  it('a window shorter than the context, and losses that add up over windows', () => {
    const c = config();
    const net = new Network(c);
    const p = initParams(c, 5);
    const { inputs, targets } = batch(c, 2, 3, 4);
    const both = net.run(p, inputs, targets, 2, 3, null);
    const first = net.run(p, inputs.subarray(0, 3), targets.subarray(0, 3), 1, 3, null);
    const second = net.run(p, inputs.subarray(3), targets.subarray(3), 1, 3, null);
    assert.equal(both, first + second);
    assert.throws(() => net.run(p, inputs, targets, 1, 6, null), /window length 6 is not in 1..5/);
    assert.throws(() => net.run(p, Int32Array.from([9, 1, 1]), targets, 1, 3, null), /token 9 is not in 0..6/);
  });

  it('a fresh model predicts close to uniformly (loss near ln V)', () => {
    const c = makeConfig({ vocab_size: 40, dim: 16, hidden_dim: 48, n_layers: 2, n_heads: 4, context_length: 16 });
    const net = new Network(c);
    const { inputs, targets } = batch(c, 4, 16, 1);
    const loss = net.run(initParams(c, 1), inputs, targets, 4, 16, null) / 64;
    assert.ok(Math.abs(loss - Math.log(40)) < 0.15, `initial loss ${loss}, ln 40 = ${Math.log(40)}`);
  });
});
