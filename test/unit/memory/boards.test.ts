import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BoardIds, boardProfile, CustomHeapKbRange, DefaultBoardId, parseBoardId } from '../../../src/memory/boards';

describe('board profiles', () => {
  it('the Pico with CircuitPython 9 plans with 140 KB and allows at most 176 KB', () => {
    const p = boardProfile('pico-cp9');
    assert.equal(p.heapBytes, 140 * 1024);
    assert.equal(p.maxHeapBytes, 176 * 1024);
    assert.equal(DefaultBoardId, 'pico-cp9');
    assert.match(p.heapSource, /194,512/);
    assert.match(p.heapSource, /139 KB/);
  });

  it('every profile has a budget below its maximum, a drive, and says where its figures come from', () => {
    for (const id of BoardIds) {
      const p = boardProfile(id, 140);
      assert.ok(p.heapBytes > 0 && p.heapBytes <= p.maxHeapBytes, id);
      assert.ok(p.driveBytes > 0, id);
      assert.ok(p.heapSource.length > 20 && p.driveSource.length > 20, id);
    }
    assert.ok(boardProfile('pico-w-cp9').heapBytes < boardProfile('pico-cp9').heapBytes);
    assert.ok(boardProfile('pico2-cp9').heapBytes > boardProfile('pico-cp9').heapBytes);
  });

  it('lists the same ids as the picoformer.boardProfile setting', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8'));
    const setting = pkg.contributes.configuration.properties['picoformer.boardProfile'];
    assert.deepEqual(setting.enum, BoardIds);
    assert.equal(setting.default, DefaultBoardId);
    const custom = pkg.contributes.configuration.properties['picoformer.customHeapKB'];
    assert.deepEqual({ min: custom.minimum, max: custom.maximum }, { ...CustomHeapKbRange });
  });

  it('custom takes its heap from the setting, and refuses a missing or absurd one', () => {
    assert.equal(boardProfile('custom', 96).heapBytes, 96 * 1024);
    assert.equal(boardProfile('custom', 96).maxHeapBytes, 96 * 1024);
    assert.throws(() => boardProfile('custom'), /needs a heap size/);
    assert.throws(() => boardProfile('custom', 8), /between 16 and 8192 KB, got 8/);
    assert.throws(() => boardProfile('custom', Number.NaN), /between 16 and 8192/);
  });

  it('parses user-typed ids with a clear error', () => {
    assert.equal(parseBoardId('pico2-cp9'), 'pico2-cp9');
    assert.throws(() => parseBoardId('pico3'), /Unknown board "pico3". Known boards: pico-cp9, pico-w-cp9, pico2-cp9, custom/);
  });
});
