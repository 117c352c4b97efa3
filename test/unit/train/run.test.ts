import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCorpus } from '../../../src/corpus/generate';
import { readModel } from '../../../src/model/modelFile';
import { decodeCheckpoint } from '../../../src/train/checkpoint';
import { startTraining } from '../../../src/train/host';
import type { TrainEvent, TrainJob } from '../../../src/train/protocol';
import { runTraining } from '../../../src/train/run';
import { findWorkerScript } from '../../../src/train/workerScript';

describe('training runs', () => {
  let dir: string;
  let corpus: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'picoformer-train-'));
    corpus = join(dir, 'chat.txt');
    writeFileSync(corpus, generateCorpus('chat', 1, 20_000));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function job(name: string, overrides: Partial<TrainJob> = {}): TrainJob {
    return {
      corpus,
      output: join(dir, `${name}.safetensors`),
      outputDtype: 'I8',
      checkpoint: join(dir, `${name}.ckpt`),
      size: { kind: 'dims', dim: 8, hidden_dim: 16, n_layers: 1, n_heads: 2, context_length: 16 },
      arch: { norm: 'rmsnorm', activation: 'silu', positional: 'learned', tied_embeddings: true, tokenizer: 'char', lowercase: false, family: 'chat' },
      data: { tokenizer: 'char', lowercase: false, merges: 0, valEvery: 10 },
      settings: { steps: 12, batch: 4, evalEvery: 4, valWindows: 8, lr: 5e-3, seed: 3 },
      threads: 1,
      board: 'pico-cp9',
      ...overrides,
    };
  }

  const quiet = { emit: (): void => undefined, cancelled: () => false };
  const checkpoint = (path: string): ReturnType<typeof decodeCheckpoint> => decodeCheckpoint(new Uint8Array(readFileSync(path)), path);

  it('trains, lowers the loss, writes an int8 model with its name and the int8 error, and a checkpoint', async () => {
    const events: TrainEvent[] = [];
    const summary = await runTraining(job('plain', { settings: { steps: 40, batch: 4, evalEvery: 10, valWindows: 8, lr: 1e-2, seed: 3 } }), {
      emit: (e) => events.push(e),
      cancelled: () => false,
    });
    const prepared = events.find((e) => e.type === 'prepared');
    assert.ok(prepared?.type === 'prepared');
    assert.equal(prepared.info.name, summary.name);
    assert.equal(prepared.info.coverage, 1);
    const vals = events.flatMap((e) => (e.type === 'progress' && e.point.valLoss !== null ? [e.point.valLoss] : []));
    assert.equal(vals.length, 4);
    assert.ok(vals[3] < vals[0] - 0.3, `validation loss ${vals.join(' -> ')}`);
    assert.equal(summary.reason, 'completed');
    assert.equal(summary.steps, 40);
    const model = readModel(new Uint8Array(readFileSync(summary.output.path)));
    assert.equal(model.tensors.get('layers.0.wq')?.dtype, 'I8');
    assert.equal(model.extraMetadata.name, summary.name);
    assert.match(summary.name, /^chat-/);
    assert.ok(summary.quantError.positions > 0 && summary.quantError.maxAbs > 0 && summary.quantError.maxAbs < 0.5);
    assert.equal(summary.fit.zone, 'safe');
    assert.equal(checkpoint(summary.checkpoint).meta.step, 40);
  });

  it('new models get the int8 KV cache, and the reported error is against float weights with the float32 cache', async () => {
    const f32 = await runTraining(job('kv-int8', { outputDtype: 'F32', settings: { steps: 4, batch: 4, evalEvery: 4, valWindows: 4, lr: 5e-3, seed: 3 } }), quiet);
    assert.equal(readModel(new Uint8Array(readFileSync(f32.output.path))).config.kv_cache, 'int8');
    assert.ok(f32.quantError.maxAbs > 0, 'float weights, int8 cache: the cache alone moves the logits');
    const arch = { ...job('x').arch, kv_cache: 'float32' as const };
    const plain = await runTraining(job('kv-float', { outputDtype: 'F32', arch, settings: { steps: 4, batch: 4, evalEvery: 4, valWindows: 4, lr: 5e-3, seed: 3 } }), quiet);
    assert.ok(!('kv_cache' in readModel(new Uint8Array(readFileSync(plain.output.path))).config));
    assert.equal(plain.quantError.maxAbs, 0, 'nothing differs from the float model');
  });

  it('the same seed gives the same weights bit for bit; another seed others', async () => {
    await runTraining(job('a'), quiet);
    await runTraining(job('b'), quiet);
    await runTraining(job('c', { settings: { ...job('c').settings, seed: 4 } }), quiet);
    assert.deepEqual(checkpoint(join(dir, 'a.ckpt')).params, checkpoint(join(dir, 'b.ckpt')).params);
    assert.notDeepEqual(checkpoint(join(dir, 'a.ckpt')).params, checkpoint(join(dir, 'c.ckpt')).params);
    assert.deepEqual(readFileSync(join(dir, 'a.safetensors')), readFileSync(join(dir, 'b.safetensors')));
  });

  it('a cancelled run resumed from its checkpoint ends exactly where an uninterrupted run ends', async () => {
    await runTraining(job('whole'), quiet);
    let seen = 0;
    const first = await runTraining(job('part'), {
      emit: (e) => {
        if (e.type === 'progress') seen = e.point.step;
      },
      cancelled: () => seen >= 5,
    });
    assert.equal(first.reason, 'cancelled');
    assert.equal(first.steps, 5);
    assert.equal(checkpoint(join(dir, 'part.ckpt')).meta.step, 5);
    // No step count: the checkpoint's own total.
    const resumed = await runTraining(job('part', { resume: join(dir, 'part.ckpt'), size: undefined, settings: {} }), quiet);
    assert.equal(resumed.steps, 12);
    const a = checkpoint(join(dir, 'whole.ckpt'));
    const b = checkpoint(join(dir, 'part.ckpt'));
    assert.deepEqual(b.params, a.params);
    assert.deepEqual(b.m, a.m);
    assert.deepEqual(b.v, a.v);
    assert.equal(b.meta.rngState, a.meta.rngState);
    assert.deepEqual(readFileSync(join(dir, 'part.safetensors')), readFileSync(join(dir, 'whole.safetensors')));
  });

  it('resuming refuses another corpus', async () => {
    const other = join(dir, 'other.txt');
    writeFileSync(other, generateCorpus('chat', 2, 20_000));
    await assert.rejects(runTraining(job('x', { corpus: other, resume: join(dir, 'a.ckpt'), size: undefined }), quiet), /is not the text .* was trained on/);
  });

  it('two gradient threads give the same weights as one', async function () {
    this.timeout(30_000);
    const script = findWorkerScript();
    assert.ok(script !== undefined, 'the worker script is found from the sources');
    const two = await runTraining(job('two', { threads: 2 }), { ...quiet, workerScript: script });
    await runTraining(job('one', { threads: 1 }), quiet);
    assert.equal(two.steps, 12);
    assert.deepEqual(checkpoint(join(dir, 'two.ckpt')).params, checkpoint(join(dir, 'one.ckpt')).params);
  });

  it('in a worker thread: events in order, cancel keeps the best weights, errors arrive as messages', async function () {
    this.timeout(30_000);
    const events: TrainEvent[] = [];
    const run = startTraining(job('worker', { settings: { ...job('w').settings, steps: 100000, evalEvery: 3 } }), (e) => {
      events.push(e);
      if (e.type === 'progress' && e.point.step === 6) run.cancel();
    });
    assert.equal(run.inWorker, true);
    const summary = await run.done;
    assert.equal(summary.reason, 'cancelled');
    assert.ok(summary.steps >= 6 && summary.steps < 100000);
    assert.equal(events[0].type, 'prepared');
    assert.equal(events.at(-1)?.type, 'done');
    assert.ok(existsSync(summary.output.path) && existsSync(summary.checkpoint));
    assert.ok(summary.bestStep > 0 && summary.bestStep <= summary.steps);
    const bad = startTraining(job('bad', { size: { kind: 'dims', dim: 8, hidden_dim: 16, n_layers: 1, n_heads: 2, context_length: 4000 } }), (e) => events.push(e));
    await assert.rejects(bad.done, /fewer than one window of 4000/);
    assert.equal(events.at(-1)?.type, 'error');
  });
});
