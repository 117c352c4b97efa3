import assert from 'node:assert/strict';
import { medianOffset } from '../../../bench/firmware/memoryFit';

describe('medianOffset (the runtime figure beside a model, refitted by the sweep)', () => {
  it('is the typical difference, not pulled by a load that keeps more alive', () => {
    const rows = [25_300, 25_600, 25_200, 35_100].map((d, i) => ({ measured: 50_000 + i + d, model: 50_000 + i }));
    assert.equal(medianOffset(rows), (25_300 + 25_600) / 2);
  });

  it('is the middle difference for an odd count', () => {
    assert.equal(medianOffset([{ measured: 10, model: 1 }, { measured: 10, model: 5 }, { measured: 10, model: 8 }]), 5);
  });
});
