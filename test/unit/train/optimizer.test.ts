import assert from 'node:assert/strict';
import { adamWState, adamWStep, clipGradients } from '../../../src/train/optimizer';
import { learningRate } from '../../../src/train/schedule';

describe('AdamW, clipping and the learning-rate schedule', () => {
  it('the first AdamW step moves each weight by lr * sign(g), decayed weights shrink first', () => {
    // Bias-corrected: m_hat = g, v_hat = g^2, so the update is lr * g / (|g| + eps) = lr * sign(g).
    const params = Float32Array.from([1, -2, 0.5, 3]);
    const grads = Float64Array.from([0.5, -0.25, 0, 4]);
    const decay = Uint8Array.from([1, 1, 0, 0]);
    const state = adamWState(4);
    adamWStep(params, grads, state, decay, 0.1, { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.5 });
    const expected = [1 * (1 - 0.05) - 0.1, -2 * (1 - 0.05) + 0.1, 0.5, 3 - 0.1];
    params.forEach((p, i) => assert.ok(Math.abs(p - expected[i]) < 1e-6, `param ${i}: ${p} vs ${expected[i]}`));
    assert.equal(state.t, 1);
  });

  it('the second step follows the moment recurrences', () => {
    const params = Float64Array.from([0]);
    const state = adamWState(1);
    const o = { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0 };
    adamWStep(params, Float64Array.from([1]), state, Uint8Array.from([0]), 0.01, o);
    adamWStep(params, Float64Array.from([-1]), state, Uint8Array.from([0]), 0.01, o);
    const m = 0.9 * 0.1 + 0.1 * -1;
    const v = 0.99 * 0.01 + 0.01 * 1;
    const step2 = (m / (1 - 0.81)) / (Math.sqrt(v / (1 - 0.9801)) + 1e-8);
    assert.ok(Math.abs(params[0] - (-0.01 - 0.01 * step2)) < 1e-9, String(params[0]));
  });

  it('clipping scales to the global norm and leaves small gradients alone', () => {
    const g = Float64Array.from([3, 4]);
    assert.equal(clipGradients(g, 1), 5);
    assert.ok(Math.abs(g[0] - 0.6) < 1e-12 && Math.abs(g[1] - 0.8) < 1e-12);
    const small = Float64Array.from([0.3, 0.4]);
    assert.equal(clipGradients(small, 1), 0.5);
    assert.deepEqual(Array.from(small), [0.3, 0.4]);
    const off = Float64Array.from([30, 40]);
    clipGradients(off, 0);
    assert.deepEqual(Array.from(off), [30, 40]);
  });

  it('warm-up rises linearly to the peak, then a cosine falls to the floor at the last step', () => {
    const s = { peak: 1e-2, warmupSteps: 10, totalSteps: 110, minRatio: 0.1 };
    assert.ok(Math.abs(learningRate(s, 0) - 1e-3) < 1e-15);
    assert.ok(Math.abs(learningRate(s, 4) - 5e-3) < 1e-15);
    assert.ok(Math.abs(learningRate(s, 10) - 1e-2) < 1e-15);
    assert.ok(Math.abs(learningRate(s, 60) - 5.5e-3) < 1e-12, 'halfway down the cosine: the mean of peak and floor');
    assert.ok(Math.abs(learningRate(s, 110) - 1e-3) < 1e-12);
    assert.ok(Math.abs(learningRate(s, 500) - 1e-3) < 1e-12, 'stays at the floor past the end');
    for (let i = 11; i < 110; i++) assert.ok(learningRate(s, i) <= learningRate(s, i - 1));
    assert.ok(Math.abs(learningRate({ ...s, warmupSteps: 0 }, 0) - 1e-2) < 1e-15);
  });
});
