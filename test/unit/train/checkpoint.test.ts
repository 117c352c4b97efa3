import assert from 'node:assert/strict';
import { makeConfig } from '../../../src/model/config';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Checkpoint, CheckpointFormat, decodeCheckpoint, encodeCheckpoint, hashTokens, readCheckpointMeta } from '../../../src/train/checkpoint';
import { DefaultDataOptions } from '../../../src/train/data';
import { paramLayout } from '../../../src/train/paramLayout';
import { defaultSettings } from '../../../src/train/settings';

function sample(): Checkpoint {
  const config = makeConfig({ vocab_size: 6, dim: 4, hidden_dim: 6, n_layers: 1, n_heads: 2, context_length: 8 });
  const n = paramLayout(config).total;
  const fill = (k: number): number[] => Array.from({ length: n }, (_, i) => Math.sin(i * k) * 0.1);
  return {
    meta: {
      format: CheckpointFormat, config, vocab: ['<pad>', '<s>', '</s>', '<unk>', 'a', 'b'], settings: defaultSettings(100, 7), data: DefaultDataOptions,
      corpus: 'c.txt', dataHash: 'abcd0123', step: 42, rngState: 12345, bestStep: 40, bestValLoss: 1.5, elapsedMs: 1000, history: [],
    },
    params: Float32Array.from(fill(1)),
    best: Float32Array.from(fill(2)),
    m: Float64Array.from(fill(3)),
    v: Float64Array.from(fill(4)).map(Math.abs),
  };
}

describe('training checkpoints', () => {
  it('round-trips every array and the metadata exactly', () => {
    const c = sample();
    const bytes = encodeCheckpoint(c);
    assert.equal(bytes.length % 8, 0, 'arrays start 8-byte aligned');
    const back = decodeCheckpoint(bytes);
    assert.deepEqual(back.params, c.params);
    assert.deepEqual(back.best, c.best);
    assert.deepEqual(back.m, c.m);
    assert.deepEqual(back.v, c.v);
    assert.equal(back.meta.step, 42);
    assert.equal(back.meta.rngState, 12345);
    assert.deepEqual(back.meta.settings, c.meta.settings);
  });

  it('refuses other files, cut-off files, bad metadata and non-finite weights, each with its reason', () => {
    const bytes = encodeCheckpoint(sample());
    assert.throws(() => decodeCheckpoint(new TextEncoder().encode('{"not": "a checkpoint"}'), 'x.ckpt'), /x\.ckpt is not a picoformer training checkpoint/);
    assert.throws(() => decodeCheckpoint(bytes.slice(0, bytes.length - 8), 'x.ckpt'), /x\.ckpt has \d+ bytes; its model needs \d+/);
    assert.throws(() => decodeCheckpoint(bytes.slice(0, 20), 'x.ckpt'), /cut off/);
    const other = sample();
    other.meta.settings.lr = -1;
    assert.throws(() => decodeCheckpoint(encodeCheckpoint(other)), /learning rate must be in \(0, 1\)/);
    const wrongVocab = sample();
    wrongVocab.meta.vocab = ['a'];
    assert.throws(() => decodeCheckpoint(encodeCheckpoint(wrongVocab)), /vocab has 1 entries/);
    const nan = sample();
    nan.params[3] = NaN;
    assert.throws(() => decodeCheckpoint(encodeCheckpoint(nan)), /NaN or infinite weights/);
  });

  it('reads only the metadata of a checkpoint file, with the same checks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'picoformer-ckpt-'));
    try {
      const path = join(dir, 'm.ckpt');
      const bytes = encodeCheckpoint(sample());
      writeFileSync(path, bytes);
      const meta = await readCheckpointMeta(path);
      assert.equal(meta.step, 42);
      assert.equal(meta.corpus, 'c.txt');
      assert.equal(meta.settings.steps, 100);
      writeFileSync(path, bytes.subarray(0, 20));
      await assert.rejects(readCheckpointMeta(path), /m\.ckpt is cut off \(its metadata runs past the end\)/);
      writeFileSync(path, 'tiny');
      await assert.rejects(readCheckpointMeta(path), /m\.ckpt is not a picoformer training checkpoint/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the token hash tells texts apart', () => {
    assert.equal(hashTokens(Int32Array.from([1, 2, 3])), hashTokens(Int32Array.from([1, 2, 3])));
    assert.notEqual(hashTokens(Int32Array.from([1, 2, 3])), hashTokens(Int32Array.from([1, 3, 2])));
  });
});
