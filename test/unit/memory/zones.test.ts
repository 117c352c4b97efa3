import assert from 'node:assert/strict';
import { HostC } from '../../../src/memory/constants';
import { classifyZone, worseZone } from '../../../src/memory/zones';

// A budget of 1000 bytes, and 1200 the most ever seen free: the boundaries fall on round numbers.
const board = { heapBytes: 1000, maxHeapBytes: 1200 };

describe('zones', () => {
  it('uses the documented thresholds', () => {
    assert.equal(HostC.zoneTestHeadroom, 0.25);
    assert.equal(HostC.zoneDangerHeadroom, 0.15);
    assert.equal(HostC.zoneTestLargestBlock, 0.25);
    assert.equal(HostC.zoneDangerLargestBlock, 0.5);
  });

  it('is safe with at least 25% headroom, test down to 15%, danger below', () => {
    assert.equal(classifyZone(0, 0, board), 'safe');
    assert.equal(classifyZone(750, 0, board), 'safe');
    assert.equal(classifyZone(751, 0, board), 'test');
    assert.equal(classifyZone(850, 0, board), 'test');
    assert.equal(classifyZone(851, 0, board), 'danger');
    assert.equal(classifyZone(1000, 0, board), 'danger');
  });

  it('is danger over the budget up to the most heap ever seen, impossible beyond', () => {
    assert.equal(classifyZone(1001, 0, board), 'danger');
    assert.equal(classifyZone(1200, 0, board), 'danger');
    assert.equal(classifyZone(1201, 0, board), 'impossible');
    assert.equal(classifyZone(1001, 0, { heapBytes: 1000, maxHeapBytes: 1000 }), 'impossible');
  });

  it('a big single block makes a roomy estimate test or danger, and one over the budget impossible', () => {
    assert.equal(classifyZone(300, 250, board), 'safe');
    assert.equal(classifyZone(300, 251, board), 'test');
    assert.equal(classifyZone(600, 501, board), 'danger');
    assert.equal(classifyZone(950, 300, board), 'danger'); // never better than the headroom says
    assert.equal(classifyZone(100, 1001, board), 'impossible');
  });

  it('refuses a board without a budget', () => {
    assert.throws(() => classifyZone(1, 0, { heapBytes: 0, maxHeapBytes: 0 }), /budget must be positive/);
  });

  it('orders zones', () => {
    assert.equal(worseZone('safe', 'test'), 'test');
    assert.equal(worseZone('danger', 'test'), 'danger');
    assert.equal(worseZone('impossible', 'safe'), 'impossible');
  });
});
