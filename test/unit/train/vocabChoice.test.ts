import assert from 'node:assert/strict';
import { generateCorpus } from '../../../src/corpus/generate';
import type { ArchOptions } from '../../../src/train/sizing';
import { AutoSubwordSize, AutoVocabulary, decideVocabulary, settleData } from '../../../src/train/vocabChoice';

const arch: ArchOptions = { norm: 'rmsnorm', activation: 'silu', positional: 'learned', tied_embeddings: true, lowercase: false, family: 'story' };
const data = { lowercase: false, valEvery: 10 };

describe('vocabulary choice', () => {
  it('auto follows the table by parameter count; the last row covers everything above', () => {
    for (const [below, decision] of AutoVocabulary) {
      const n = Number.isFinite(below) ? below - 1 : 10_000_000;
      assert.deepEqual(decideVocabulary({ tokenizer: 'auto' }, n), decision, `${n} parameters`);
    }
  });

  it('an explicit tokenizer wins; subwords without a size get the best size for the model', () => {
    assert.deepEqual(decideVocabulary({ tokenizer: 'char' }, 1e6), { tokenizer: 'char' });
    assert.deepEqual(decideVocabulary({ tokenizer: 'char', vocabSize: 30 }, 1e6), { tokenizer: 'char', vocabSize: 30 }, 'a cap');
    for (const [below, size] of AutoSubwordSize) {
      const n = Number.isFinite(below) ? below - 1 : 10_000_000;
      assert.deepEqual(decideVocabulary({ tokenizer: 'longest_match' }, n), { tokenizer: 'longest_match', vocabSize: size });
    }
    assert.deepEqual(decideVocabulary({ tokenizer: 'longest_match', vocabSize: 300 }, 1000), { tokenizer: 'longest_match', vocabSize: 300 });
  });

  it('auto with a size: the size is for subwords, so it is dropped where auto picks characters', () => {
    const at = (row: (typeof AutoVocabulary)[number]): number => (Number.isFinite(row[0]) ? row[0] - 1 : 10_000_000);
    for (const row of AutoVocabulary) {
      const got = decideVocabulary({ tokenizer: 'auto', vocabSize: 300 }, at(row));
      assert.deepEqual(got, row[1].tokenizer === 'char' ? { tokenizer: 'char' } : { tokenizer: 'longest_match', vocabSize: 300 });
    }
  });

  it('settles auto with the size the run will have: the target, or the shape with a character vocabulary', () => {
    const docs = generateCorpus('stories', 1, 20_000).split('\n\n');
    assert.deepEqual(settleData({ ...data, tokenizer: 'char', vocabSize: 20 }, docs, { kind: 'params', target: 1e6 }, arch), { ...data, tokenizer: 'char', vocabSize: 20 });
    for (const target of [1_000, 1_000_000]) {
      const settled = settleData({ ...data, tokenizer: 'auto' }, docs, { kind: 'params', target }, arch);
      assert.deepEqual(settled, { ...data, ...decideVocabulary({ tokenizer: 'auto' }, target) });
    }
    const dims = { kind: 'dims', dim: 104, hidden_dim: 1183, n_layers: 1, n_heads: 4, context_length: 64 } as const;
    // 104 x 38 + 64 x 104 + 4 x 104^2 + 2 x 104 x 1183 + 3 x 104 = about 300K parameters with the stories' characters.
    assert.deepEqual(settleData({ ...data, tokenizer: 'auto' }, docs, dims, arch), { ...data, ...decideVocabulary({ tokenizer: 'auto' }, 300_000) });
  });
});
