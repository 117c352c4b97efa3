import assert from 'node:assert/strict';
import { makeConfig } from '../../../src/model/config';
import { generate } from '../../../src/model/generate';
import { modelFromParams } from '../../../src/train/export';
import { initParams } from '../../../src/train/init';
import { Network } from '../../../src/train/network';
import { adamWState, adamWStep, clipGradients } from '../../../src/train/optimizer';
import { decayMask } from '../../../src/train/paramLayout';
import { learningRate } from '../../../src/train/schedule';

describe('memorising a short text', () => {
  it('drives the loss near 0, and greedy generation from BOS reproduces the text and stops at EOS', () => {
    const text = 'the cat sat on the mat.';
    const chars = [...new Set(text)].sort();
    const vocab = ['<pad>', '<s>', '</s>', '<unk>', ...chars];
    const ids = [...text].map((ch) => vocab.indexOf(ch));
    const len = ids.length + 1; // BOS + the text, predicting the text + EOS
    // One position more than the window, so generation has room to choose EOS after the last character.
    const config = makeConfig({ vocab_size: vocab.length, dim: 16, hidden_dim: 32, n_layers: 1, n_heads: 2, context_length: len + 1 });
    const net = new Network(config);
    const params = initParams(config, 1);
    const inputs = Int32Array.from([1, ...ids]);
    const targets = Int32Array.from([...ids, 2]);
    const grads = new Float64Array(params.length);
    const state = adamWState(params.length);
    const decay = decayMask(net.layout);
    const steps = 300;
    let loss = Infinity;
    for (let step = 0; step < steps; step++) {
      grads.fill(0);
      loss = net.run(params, inputs, targets, 1, len, grads, 1 / len) / len;
      clipGradients(grads, 1);
      const lr = learningRate({ peak: 1e-2, warmupSteps: 10, totalSteps: steps, minRatio: 0.1 }, step);
      adamWStep(params, grads, state, decay, lr, { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 });
    }
    assert.ok(loss < 0.05, `final loss ${loss}`);
    const model = modelFromParams(config, vocab, params, {});
    const out = generate(model, '', { maxTokens: 100, temperature: 0, topK: 0, seed: 1 });
    assert.equal(out.text, text);
    assert.equal(out.stopReason, 'eos');
  });
});
