import assert from 'node:assert/strict';
import { nnls } from '../../../bench/firmware/nnls';

describe('nnls (the sweep\'s fit)', () => {
  it('recovers exact non-negative coefficients of features of very different sizes', () => {
    const truth = [600_000, 90_000, 320, 0.5];
    const rows: number[][] = [];
    for (let i = 1; i <= 12; i++) rows.push([1, i % 4 + 1, 1000 * i * i, 37 * i + (i % 3) * 50]);
    const b = rows.map((r) => r.reduce((s, v, j) => s + v * truth[j], 0));
    nnls(rows, b).forEach((x, j) => assert.ok(Math.abs(x - truth[j]) <= 1e-6 * truth[j] + 1e-6, `coefficient ${j}: ${x} vs ${truth[j]}`));
  });

  it('never returns a negative coefficient: one that ordinary least squares makes negative is 0', () => {
    // b falls with the second feature, which a cost model cannot have.
    const rows = [[1, 1], [1, 2], [1, 3], [1, 4]];
    const b = [10, 9, 8, 7];
    const x = nnls(rows, b);
    assert.equal(x[1], 0);
    assert.ok(Math.abs(x[0] - 8.5) < 1e-9, String(x[0]));
  });

  it('gives zeros for an all-zero target', () => {
    assert.deepEqual(nnls([[1, 2], [3, 4]], [0, 0]), [0, 0]);
  });
});
