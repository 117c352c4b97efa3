import assert from 'node:assert/strict';
import { makeConfig } from '../../../src/model/config';
import type { LossPoint } from '../../../src/panels/protocol';
import { lossChartRange } from '../../../src/panels/lossChartRange';
import { MaxLossPoints, addPoint, applyTrainEvent, failTraining, isTrainingActive, newTraining } from '../../../src/panels/trainingState';
import type { PreparedInfo, ProgressPoint, TrainSummary } from '../../../src/train/protocol';
import { defaultSettings } from '../../../src/train/settings';

const config = makeConfig({ vocab_size: 38, dim: 16, hidden_dim: 66, n_layers: 2, n_heads: 4, context_length: 64, family: 'story' });

function prepared(overrides: Partial<PreparedInfo> = {}): PreparedInfo {
  return {
    name: 'story-8k', parameterCount: 7984, config, vocab: [], coverage: 1, unknownTokens: 0, missingChars: [], documents: 4512,
    trainTokens: 3_600_000, valTokens: 400_000, settings: defaultSettings(2000), threads: 2, ...overrides,
  };
}

function progress(step: number, valLoss: number | null, overrides: Partial<ProgressPoint> = {}): ProgressPoint {
  return { step, totalSteps: 2000, trainLoss: 3 - step / 1000, valLoss, lr: 3e-3, tokensPerSecond: 18_000, elapsedMs: step * 50, gradNorm: 1, ...overrides };
}

const summary: TrainSummary = {
  reason: 'completed', steps: 2000, totalSteps: 2000, bestStep: 1900, bestValLoss: 0.7712, elapsedMs: 100_000, tokensPerSecond: 18_321,
  name: 'story-8k', parameterCount: 7984, output: { path: '/w/models/story-8k.safetensors', dtype: 'I8', bytes: 13_000 }, checkpoint: '/w/models/story-8k.ckpt',
  quantError: { maxAbs: 0.3123, meanAbs: 0.01, maxAbsReference: 9, top1Agreement: 0.99, positions: 512 },
  fit: { board: 'pico-cp9', mode: 'resident', zone: 'safe', requiredBytes: 87_245 },
};

describe('training view', () => {
  it('shows the plan and data once prepared: name, parameter count, shape, coverage', () => {
    const v = newTraining(1, 'corpus/stories.txt', 'models/story-8k.safetensors');
    assert.equal(v.status, 'preparing');
    assert.ok(isTrainingActive(v));
    applyTrainEvent(v, { type: 'prepared', info: prepared() });
    assert.equal(v.status, 'running');
    assert.equal(v.name, 'story-8k');
    assert.equal(v.plan, '7,984 parameters · dim 16 · 2 layers · 4 heads · hidden 66 · context 64');
    assert.equal(v.data, 'vocabulary 38 tokens (full coverage) · 4,512 documents · 3,600,000 training and 400,000 validation tokens · 16 windows per step, peak learning rate 0.003, seed 1, 2 threads');
    assert.equal(v.totalSteps, 2000);
    const partial = newTraining(2, 'a.txt', 'b.safetensors');
    applyTrainEvent(partial, { type: 'prepared', info: prepared({ coverage: 0.9975, unknownTokens: 12, fit: { board: 'pico-cp9', mode: 'streamed', zone: 'test', requiredBytes: 1 } }) });
    assert.match(partial.data ?? '', /vocabulary 38 tokens \(99\.75% coverage, 12 unknown\)/);
    assert.match(partial.plan ?? '', /the largest that runs streamed on Raspberry Pi Pico/);
  });

  it('names the architecture choices that differ from the sample models', () => {
    const v = newTraining(3, 'a.txt', 'b.safetensors');
    const other = makeConfig({ ...config, norm: 'layernorm', activation: 'gelu', positional: 'none', tied_embeddings: false, tokenizer: 'longest_match' });
    applyTrainEvent(v, { type: 'prepared', info: prepared({ config: other }) });
    assert.equal(v.plan, '7,984 parameters · dim 16 · 2 layers · 4 heads · hidden 66 · context 64 · layernorm · gelu · no position table · untied embeddings · longest-match vocabulary');
  });

  it('follows progress: step, speed, time left, the curve and the best validation loss', () => {
    const v = newTraining(1, 'c', 'o');
    applyTrainEvent(v, { type: 'prepared', info: prepared() });
    applyTrainEvent(v, { type: 'progress', point: progress(100, 2.5) });
    applyTrainEvent(v, { type: 'progress', point: progress(200, null) });
    applyTrainEvent(v, { type: 'progress', point: progress(300, 2.6) });
    assert.equal(v.step, 300);
    assert.equal(v.tokensPerSecond, 18_000);
    assert.equal(v.remainingMs, (15_000 / 300) * 1700);
    assert.equal(v.bestValLoss, 2.5);
    assert.deepEqual(v.points, [
      { step: 100, train: 2.9, val: 2.5 },
      { step: 200, train: 2.8, val: null },
      { step: 300, train: 2.7, val: 2.6 },
    ]);
  });

  it('ends with the summary and the zone; later events change nothing', () => {
    const v = newTraining(1, 'c', 'o');
    applyTrainEvent(v, { type: 'prepared', info: prepared() });
    applyTrainEvent(v, { type: 'done', summary });
    assert.equal(v.status, 'completed');
    assert.ok(!isTrainingActive(v));
    assert.equal(v.summary, 'val loss 0.771 (best, step 1,900) · int8 logit error 0.31 · 2,000 steps in 100 s · 18,321 tokens/s');
    assert.equal(v.zone, 'safe');
    assert.equal(v.zoneText, 'Safe on Raspberry Pi Pico (RP2040), CircuitPython 9: runs resident, needs 85.2 KB');
    assert.equal(v.remainingMs, null);
    applyTrainEvent(v, { type: 'progress', point: progress(5, 9) });
    applyTrainEvent(v, { type: 'error', message: 'late' });
    assert.equal(v.status, 'completed');
    assert.equal(v.points.length, 0);
  });

  it('a cancelled run says so; an error or a dead thread ends it as failed, never left running', () => {
    const cancelled = newTraining(1, 'c', 'o');
    applyTrainEvent(cancelled, { type: 'done', summary: { ...summary, reason: 'cancelled', steps: 700, fit: { ...summary.fit, mode: null, zone: 'impossible' } } });
    assert.equal(cancelled.status, 'cancelled');
    assert.match(cancelled.zoneText ?? '', /^Does not fit on [^:]*: needs [\d.]+ KB$/, 'said once, not "Does not fit: does not fit"');
    assert.deepEqual(lossChartRange(cancelled), [0, 700], "the loss chart's x axis ends at the steps done");
    const running = newTraining(4, 'c', 'o');
    applyTrainEvent(running, { type: 'progress', point: progress(100, null) });
    assert.deepEqual(lossChartRange(running), [0, 2000], 'a running curve grows towards the total');
    const failed = newTraining(2, 'c', 'o');
    applyTrainEvent(failed, { type: 'error', message: 'the corpus is empty' });
    assert.equal(failed.status, 'error');
    assert.equal(failed.error, 'the corpus is empty');
    const dead = newTraining(3, 'c', 'o');
    failTraining(dead, 'the training thread stopped unexpectedly (exit code 1)');
    assert.equal(dead.status, 'error');
    failTraining(failed, 'second message');
    assert.equal(failed.error, 'the corpus is empty');
  });

  it('a continued run starts with its curve so far', () => {
    const history = [progress(100, 2.5), progress(200, null), progress(300, 2.2)];
    const v = newTraining(4, 'c', 'o', history);
    assert.equal(v.step, 300);
    assert.equal(v.totalSteps, 2000);
    assert.equal(v.bestValLoss, 2.2);
    assert.equal(v.points.length, 3);
    applyTrainEvent(v, { type: 'prepared', info: prepared({ resumed: { path: 'o.ckpt', step: 300 }, settings: defaultSettings(3000) }) });
    assert.equal(v.step, 300);
    assert.equal(v.totalSteps, 3000);
    assert.match(v.data ?? '', /resumed at step 300$/);
    applyTrainEvent(v, { type: 'progress', point: progress(320, null, { totalSteps: 3000 }) });
    assert.deepEqual(v.points.map((p) => p.step), [100, 200, 300, 320]);
  });

  it('keeps a long curve short: first, last and every validation point survive', () => {
    const points: LossPoint[] = [];
    for (let step = 1; step <= 5000; step++) addPoint(points, { step, train: 1 / step, val: step % 500 === 0 ? 1 : null });
    assert.ok(points.length <= MaxLossPoints, `${points.length} points`);
    assert.ok(points.length > MaxLossPoints / 3, `${points.length} points`);
    assert.equal(points[0].step, 1);
    assert.equal(points.at(-1)?.step, 5000);
    assert.equal(points.filter((p) => p.val !== null).length, 10);
    assert.deepEqual(points.map((p) => p.step), [...points.map((p) => p.step)].sort((a, b) => a - b));
    // Validation at every step still stays bounded.
    const dense: LossPoint[] = [];
    for (let step = 1; step <= 3000; step++) addPoint(dense, { step, train: 1, val: 1 });
    assert.ok(dense.length <= MaxLossPoints);
  });
});
