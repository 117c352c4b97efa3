import assert from 'node:assert/strict';
import { deployVerdict } from '../../../src/commands/deploy/verdict';
import { boardProfile } from '../../../src/memory/boards';
import { estimate } from '../../../src/memory/estimate';
import { estimateModelFromHeader } from '../../../src/memory/input';
import type { Dtype } from '../../../src/model/tensor';
import { entryFor } from '../services/fixtures';

const pico = boardProfile('pico-cp9');
const on = (target: number, stored: Dtype, dtype: Dtype = stored) => estimate(estimateModelFromHeader(entryFor(target, stored).header), pico, { dtype });

describe('deploy verdict', () => {
  it('goes ahead for a model that fits, with its numbers', () => {
    const v = deployVerdict({ modelName: 'story-1k', estimate: on(1000, 'I8') });
    assert.equal(v.kind, 'go');
    assert.equal(v.zone, 'safe');
    assert.match(v.message, /^story-1k fits on Raspberry Pi Pico .*: resident it needs \d+\.\d KB of the 140 KB heap budget \(\d+\.\d KB headroom\)\. It should run at about \d+ tok\/s on a Pico \(predicted\)\.$/);
    assert.deepEqual(v.offers, []);
  });

  it('marks a board not calibrated on firmware, and predicts no speed for the Pico 2', () => {
    const header = entryFor(1000, 'I8').header;
    const w = deployVerdict({ modelName: 'story-1k', estimate: estimate(estimateModelFromHeader(header), boardProfile('pico-w-cp9')) });
    assert.match(w.message, /on Raspberry Pi Pico W .* \(not calibrated on firmware\): .* about \d+ tok\/s on its RP2040 \(as a Pico\) \(predicted, not calibrated on firmware\)/);
    const two = deployVerdict({ modelName: 'story-1k', estimate: estimate(estimateModelFromHeader(header), boardProfile('pico2-cp9')) });
    assert.match(two.message, /\(not calibrated on firmware\): resident/);
    assert.doesNotMatch(two.message, /tok\/s/);
  });

  it('warns with the numbers in the danger zone and offers the streamed mode when it is safer', () => {
    const e = on(30_000, 'I8');
    assert.equal(e.zone, 'danger');
    const v = deployVerdict({ modelName: 'story-30k', estimate: e });
    assert.equal(v.kind, 'warn');
    assert.deepEqual(v.offers, ['streamed']);
    assert.match(v.message, /danger zone .*resident it needs .* KB of the 140 KB heap budget/);
    assert.match(v.message, /Streamed it would need [\d.]+ KB \((safe|test)\), and run slower\./);
  });

  it('refuses a model that cannot fit, with the reason, and offers int8 when that would fit', () => {
    // A board with a small drive: the float file does not fit on it, the int8 one does.
    const smallDrive = { ...pico, driveBytes: 160 * 1024 };
    const header = entryFor(40_000, 'F32').header;
    const float = estimate(estimateModelFromHeader(header), smallDrive);
    const int8 = estimate(estimateModelFromHeader(header), smallDrive, { dtype: 'I8' });
    assert.deepEqual([float.zone, int8.zone === 'impossible'], ['impossible', false]);
    const v = deployVerdict({ modelName: 'story-40k', estimate: float, int8 });
    assert.equal(v.kind, 'refuse');
    assert.deepEqual(v.offers, ['int8']);
    assert.match(v.message, /^story-40k does not fit on .*: the file \([\d.]+ KB\) does not fit on the board's 160 KB drive beside the runtime\. As int8 it would need [\d.]+ KB \((safe|test|danger)\)\.$/);
  });

  it('refuses a model too big for the heap in either mode, with both figures', () => {
    const v = deployVerdict({ modelName: 'story-150k', estimate: on(150_000, 'I8') });
    assert.equal(v.kind, 'refuse');
    assert.match(v.message, /resident it needs [\d.]+ KB and streamed [\d.]+ KB, more than the 176 KB any such board has free\.$/);
  });

  it('refuses without offers when nothing helps', () => {
    const e = on(100_000, 'I8');
    const v = deployVerdict({ modelName: 'story-100k', estimate: e });
    assert.deepEqual([v.kind, v.offers], ['refuse', []]);
  });

  it('says when the file does not fit the drive', () => {
    const tiny = { ...pico, driveBytes: 64 * 1024 };
    const e = estimate(estimateModelFromHeader(entryFor(100_000, 'I8').header), tiny);
    const v = deployVerdict({ modelName: 'story-100k', estimate: e });
    assert.match(v.message, /the file \([\d.]+ KB\) does not fit on the board's 64\.0 KB drive beside the runtime/);
  });
});
