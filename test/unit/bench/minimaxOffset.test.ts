import assert from 'node:assert/strict';
import { minimaxOffset } from '../../../bench/firmware/memoryFit';

describe('minimaxOffset (the runtime figure beside a model, refitted by the sweep)', () => {
  it('balances the worst relative errors, not the absolute ones nor the largest difference', () => {
    // |x - 50| / 100 and |x - 60| / 200 are equal at x = 53.3 (the largest difference, 60, would be 10% off).
    const x = minimaxOffset([{ measured: 100, model: 50 }, { measured: 200, model: 140 }]);
    assert.ok(Math.abs(x - 160 / 3) <= 1, `${x}`);
  });

  it('is the difference itself when every load differs by the same amount', () => {
    const x = minimaxOffset([{ measured: 35_000, model: 10_000 }, { measured: 120_000, model: 95_000 }]);
    assert.ok(Math.abs(x - 25_000) <= 1, `${x}`);
  });
});
