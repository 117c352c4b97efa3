import assert from 'node:assert/strict';
import { writeModel } from '../../../src/model/modelFile';
import { parameterCount } from '../../../src/model/params';
import { configForTarget, randomModel, syntheticVocab } from '../../../src/model/random';
import { tinyConfig } from './helpers';

describe('random-init models', () => {
  it('hits a target size within 3%', () => {
    for (const target of [1_000, 8_000, 30_000, 100_000, 300_000]) {
      const config = configForTarget(target);
      const count = parameterCount(config);
      assert.ok(Math.abs(count - target) <= 0.03 * target, `${target}: ${count} (${JSON.stringify(config)})`);
      assert.equal(config.dim % config.n_heads, 0);
    }
    const custom = configForTarget(50_000, { vocab_size: 200, n_layers: 3, n_heads: 2, norm: 'layernorm', tied_embeddings: false });
    assert.deepEqual([custom.vocab_size, custom.n_layers, custom.norm, custom.tied_embeddings], [200, 3, 'layernorm', false]);
    assert.ok(Math.abs(parameterCount(custom) - 50_000) <= 1_500);
  });

  it('is deterministic for a seed and different across seeds', () => {
    const config = tinyConfig();
    assert.deepEqual(writeModel(randomModel(config, 1)), writeModel(randomModel(config, 1)));
    assert.notDeepEqual(writeModel(randomModel(config, 1)), writeModel(randomModel(config, 2)));
  });

  it('makes valid vocabularies of any size for both tokenizers', () => {
    for (const size of [5, 64, 300, 2000]) {
      for (const kind of ['char', 'longest_match'] as const) {
        const v = syntheticVocab(size, kind);
        assert.equal(v.length, size);
        assert.equal(new Set(v).size, size);
        if (kind === 'char') for (const s of v.slice(4)) assert.equal([...s].length, 1);
      }
    }
  });
});
