// The old list-of-floats runtime's memory, checked against what the origin log measured on a real RP2040
// (../shared/docs/origin-devlog.md: "Memory Used" per model, which leaves out the runtime's own import) and the
// facts file (../shared/docs/pico-facts.md: 8,192 parameters cost ~42 KB of lists once loaded).
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { boardProfile } from '../../../src/memory/boards';
import { LegacyC } from '../../../src/memory/constants';
import { estimate } from '../../../src/memory/estimate';
import { type EstimateModel, estimateModelFromHeader } from '../../../src/memory/input';
import { appendSlots, legacyEstimate, legacyListCost, legacyMatrixCost } from '../../../src/memory/legacy';
import { makeConfig } from '../../../src/model/config';
import { importLegacy } from '../../../src/model/legacy';
import { readLegacyTrio } from '../../../src/model/legacyFiles';
import { readModelHeader, writeModel } from '../../../src/model/modelFile';
import { modelOf } from './memestCases';

const anchors = join(process.env.PICOFORMER_SHARED ?? resolve(__dirname, '../../../../shared'), 'anchors', 'tiny-transformers-rp2040');
const pico = boardProfile('pico-cp9');
const KB = 1024;

async function anchor(folder: string): Promise<EstimateModel> {
  return estimateModelFromHeader(readModelHeader(writeModel(importLegacy(await readLegacyTrio(join(anchors, folder))))));
}

/** What the origin log calls "Memory Used": the model once loaded, without the runtime's import. */
function loadedModel(e: ReturnType<typeof legacyEstimate>): number {
  return e.liveAfterLoad - e.importBytes;
}

describe('legacy (list-of-floats) comparison', () => {
  it('grows lists by doubling from 4 slots, as MicroPython append() does', () => {
    assert.deepEqual([1, 4, 5, 8, 9, 18, 72, 128, 129].map(appendSlots), [4, 4, 8, 8, 16, 32, 128, 128, 256]);
    assert.equal(legacyListCost(18), 16 + 4 * 32);
    assert.equal(legacyMatrixCost(2, 18), legacyListCost(2) + 2 * legacyListCost(18));
  });

  it('imports a 35-40 KB runtime', () => {
    assert.ok(LegacyC.importBytes >= 35 * KB && LegacyC.importBytes <= 40 * KB);
  });

  it('matches the origin log for story-1k (1,280 parameters, ~15 KB) within 10%', async () => {
    const e = legacyEstimate(await anchor('v5/story-1k-balanced'), pico);
    assert.ok(Math.abs(loadedModel(e) - 15 * KB) <= 1.5 * KB, `${loadedModel(e)}`);
    assert.equal(e.zone, 'safe');
  });

  it('matches the origin log for chat-10k (10,368 parameters, 97 KB) within 10%, and is in danger', async () => {
    const e = legacyEstimate(await anchor('v5/chat-10k-balanced'), pico);
    assert.ok(Math.abs(loadedModel(e) - 97 * KB) <= 9.7 * KB, `${loadedModel(e)}`);
    assert.equal(e.zone, 'danger'); // the log: "works but near limit"
  });

  it('matches the facts for 8,192 parameters (~42 KB of weight lists) and the log (~47 KB loaded)', () => {
    // The log gives no config for chat-8k; vocab 128, dim 16, hidden 64, 2 layers is one with exactly 8,192.
    const m = modelOf(makeConfig({ vocab_size: 128, dim: 16, hidden_dim: 64, n_layers: 2, n_heads: 2, context_length: 64, positional: 'none' }), 'F32');
    const e = legacyEstimate(m, pico);
    assert.ok(Math.abs(e.weights - 42 * KB) <= 2 * KB, `${e.weights}`);
    assert.ok(Math.abs(loadedModel(e) - 47 * KB) <= 4.7 * KB, `${loadedModel(e)}`);
  });

  it('needs several times what the new runtime needs for the same model', async () => {
    const m = await anchor('v5/chat-10k-balanced');
    const e = estimate(m, pico, { dtype: 'I8' });
    assert.ok(e.legacy.liveAfterLoad > e.resident.liveAfterLoad, `${e.legacy.liveAfterLoad} vs ${e.resident.liveAfterLoad}`);
    assert.ok(e.legacy.weights > 4 * e.resident.breakdown.weights);
    assert.equal(e.mode, 'resident');
  });
});
