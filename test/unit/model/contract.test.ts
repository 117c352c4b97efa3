// The reader against the rules of docs/format.md "Order of checks" and "Numbers": each named specimen file gets
// the verdict the format gives it. The board runtime is held to the same files by the conformance corpus
// (test/board/conformance/, run by npm run test:board under CPython and MicroPython).
import assert from 'node:assert/strict';
import { boardFloat } from '../../../src/model/boardFloat';
import { MaxJsonDepth, parseJsonText } from '../../../src/model/jsonText';
import { checkVocabFitsHeader } from '../../../src/model/vocab';
import { buildVocab } from '../../../src/model/vocabBuilder';
import { writeModel } from '../../../src/model/modelFile';
import { randomModel } from '../../../src/model/random';
import { makeConfig } from '../../../src/model/config';
import { corpus } from '../../../test/board/conformance/corpus';
import { specimens } from '../../../test/board/conformance/specimens';
import { tsVerdict } from '../../../test/board/conformance/verdict';

describe('model file contract (docs/format.md)', () => {
  for (const s of specimens()) {
    it(s.name, () => {
      assert.deepEqual(tsVerdict(s.bytes), s.expect);
    });
  }

  it('rounds numbers as the board keeps them (figures measured on the emulated official firmware)', () => {
    assert.equal(boardFloat(1 + 3 * 2 ** -23), 1); // the two lowest mantissa bits are cleared
    assert.equal(boardFloat(1 + 7 * 2 ** -23), 1 + 4 * 2 ** -23);
    assert.equal(boardFloat(65535.003), 65535);
    assert.equal(boardFloat(1e308), Infinity);
    assert.equal(boardFloat(3.4028236e38), Infinity);
    assert.ok(Number.isFinite(boardFloat(3.40282356e38)));
    assert.equal(boardFloat(1e-38), 0); // below 2^-126
    assert.equal(boardFloat(2 ** -126), 2 ** -126);
    assert.ok(Number.isNaN(boardFloat(NaN)));
  });

  it('bounds the nesting and, where asked, refuses fractions and exponents before parsing', () => {
    assert.deepEqual(parseJsonText(`${'['.repeat(MaxJsonDepth)}${']'.repeat(MaxJsonDepth)}`, true), JSON.parse(`${'['.repeat(MaxJsonDepth)}${']'.repeat(MaxJsonDepth)}`));
    assert.throws(() => parseJsonText(`${'['.repeat(MaxJsonDepth + 1)}${']'.repeat(MaxJsonDepth + 1)}`, false), /nests deeper than 8/);
    assert.throws(() => parseJsonText('['.repeat(1_000_000), false), /nests deeper/);
    assert.deepEqual(parseJsonText('{"a":"[[[[[[[[[[ \\" 1.5"}', true), { a: '[[[[[[[[[[ " 1.5' });
    assert.throws(() => parseJsonText('[1, 2.5]', true), /fraction or exponent/);
    assert.throws(() => parseJsonText('[1e3]', true), /fraction or exponent/);
    assert.deepEqual(parseJsonText('[1e3, -0.5, true, null]', false), [1000, -0.5, true, null]);
    assert.throws(() => parseJsonText('[1,]', false), /not valid JSON/);
    assert.throws(() => parseJsonText('"abc', false), /not valid JSON/);
  });

  it('a vocabulary too big for the header is refused when it is built, and the writer says why', () => {
    const vocab = ['<pad>', '<s>', '</s>', '<unk>', ...Array.from({ length: 2000 }, (_, i) => `p${i}`)];
    assert.throws(() => checkVocabFitsHeader(vocab), /a vocabulary of 2004 entries takes \d+ bytes of the model file's header.*fewer merged pieces/);
    checkVocabFitsHeader(vocab.slice(0, 1000));
    const built = buildVocab('the cat sat on the mat with the hat '.repeat(50), { tokenizer: 'longest_match', lowercase: false, merges: 40 });
    assert.ok(built.vocab.length > 40);
    const big = randomModel(makeConfig({ vocab_size: vocab.length, dim: 4, hidden_dim: 4, n_layers: 1, n_heads: 1, context_length: 4, tokenizer: 'longest_match' }), 1, vocab);
    assert.throws(() => writeModel(big), /header would be \d+ bytes, more than the 16384 a model file may have.*__metadata__\.vocab takes/);
  });

  it('the corpus is the same for the same seed, and reaches every check', () => {
    const a = [...corpus(5, 120)];
    const b = [...corpus(5, 120)];
    assert.deepEqual(a.map((f) => [f.name, Buffer.from(f.bytes).toString('hex')]), b.map((f) => [f.name, Buffer.from(f.bytes).toString('hex')]));
    const codes = new Set([...corpus(12, 600)].map((f) => tsVerdict(f.bytes).full));
    assert.ok(codes.size >= 18, [...codes].join(', '));
    assert.ok(![...codes].some((c) => c.startsWith('crash')), [...codes].join(', '));
  });
});
