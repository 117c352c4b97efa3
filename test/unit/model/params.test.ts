import assert from 'node:assert/strict';
import { makeConfig } from '../../../src/model/config';
import { modelName, parameterCount, sizeLabel } from '../../../src/model/params';

describe('parameter count and names', () => {
  it('counts every weight but scales', () => {
    const base = { vocab_size: 64, dim: 8, hidden_dim: 32, n_layers: 1, n_heads: 2, context_length: 32 };
    const perLayer = 2 * 8 + 4 * 64 + 2 * 8 * 32;
    assert.equal(parameterCount(makeConfig({ ...base, positional: 'none' })), 64 * 8 + perLayer + 8);
    assert.equal(parameterCount(makeConfig({ ...base, positional: 'learned' })), 64 * 8 + 32 * 8 + perLayer + 8);
    assert.equal(parameterCount(makeConfig({ ...base, positional: 'none', tied_embeddings: false })), 2 * 64 * 8 + perLayer + 8);
  });

  it('names from the examples of the format', () => {
    assert.equal(modelName(8192, 'chat'), 'chat-8k');
    assert.equal(modelName(1280, 'story'), 'story-1.3k');
    assert.equal(modelName(10368), 'model-10k');
    assert.equal(modelName(640), 'model-640');
  });

  it('picks the shortest label within 5%, at the boundaries', () => {
    const cases: [number, string][] = [
      [0, '0'], [999, '999'], [1000, '1k'], [1052, '1k'], [1053, '1.1k'], [1049, '1k'],
      [1250, '1.3k'], [1149, '1.1k'], [9524, '10k'], [9523, '9.5k'], [10499, '10k'], [10500, '11k'],
      [99_999, '100k'], [999_400, '999k'], [999_600, '1m'], [1_000_000, '1m'], [1_234_567, '1.2m'], [12_600_000, '13m'],
    ];
    for (const [count, label] of cases) assert.equal(sizeLabel(count), label, String(count));
  });

  it('every label is within 5% and no shorter label would be', () => {
    for (let count = 1000; count < 3_000_000; count = Math.ceil(count * 1.0137)) {
      const label = sizeLabel(count);
      const value = Number.parseFloat(label) * (label.endsWith('m') ? 1e6 : 1e3);
      assert.ok(Math.abs(value - count) <= 0.05 * count, `${count} -> ${label}`);
      if (label.includes('.')) {
        const unit = label.endsWith('m') ? 1e6 : 1e3;
        assert.ok(Math.abs(Math.round(count / unit) * unit - count) > 0.05 * count, `${count}: whole ${label.slice(-1)} would do`);
      }
    }
  });

  it('refuses a count that is not a whole number', () => {
    assert.throws(() => sizeLabel(-1), RangeError);
    assert.throws(() => sizeLabel(1.5), RangeError);
  });
});
