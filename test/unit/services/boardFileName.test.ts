import assert from 'node:assert/strict';
import { boardFileName } from '../../../src/services/boardFileName';
import { entryFor } from './fixtures';

describe('board file names', () => {
  it('keeps the file name when deployed as stored, and names the conversion otherwise', () => {
    const float = entryFor(1000, 'F32', '/ws/models/story-1k.safetensors');
    assert.equal(boardFileName(float, 'F32'), 'story-1k.safetensors');
    assert.equal(boardFileName(float, 'I8'), 'story-1k-int8.safetensors');
    assert.equal(boardFileName(float, 'F16'), 'story-1k-f16.safetensors');
    const int8 = entryFor(1000, 'I8', '/ws/models/story-1k-int8.safetensors');
    assert.equal(boardFileName(int8, 'I8'), 'story-1k-int8.safetensors');
    assert.equal(boardFileName(int8, 'F32'), 'story-1k-f32.safetensors', 'a dtype suffix is replaced, not stacked');
  });

  it('names a legacy trio after its model name', () => {
    const legacy = entryFor(1000, 'F32', '/ws/old/config_1280p.json', true);
    assert.equal(boardFileName(legacy, 'F32'), `${legacy.summary.name}-f32.safetensors`);
    assert.equal(boardFileName(legacy, 'I8'), `${legacy.summary.name}-int8.safetensors`);
  });
});
