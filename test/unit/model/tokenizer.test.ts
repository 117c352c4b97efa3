import assert from 'node:assert/strict';
import { Tokenizer, asciiLower } from '../../../src/model/tokenizer';
import { buildVocab, measureCoverage } from '../../../src/model/vocabBuilder';

const special = { unk_id: 3, special_ids: [0, 1, 2, 3] };
const specials = ['<pad>', '<s>', '</s>', '<unk>'];

describe('tokenizer', () => {
  it('char: one id per code point, outside the BMP too', () => {
    const vocab = [...specials, 'a', 'b', ' ', '😀', 'é'];
    const t = new Tokenizer(vocab, { ...special, tokenizer: 'char', lowercase: false });
    assert.deepEqual(t.encode('ab 😀é'), { ids: [4, 5, 6, 7, 8], unknown: 0 });
    assert.deepEqual(t.encode('a😃b'), { ids: [4, 3, 5], unknown: 1 }, 'an unknown emoji is ONE unk');
    assert.deepEqual(t.encode(''), { ids: [], unknown: 0 });
  });

  it('longest_match: the longest entry at each position, unk per unknown code point', () => {
    const vocab = [...specials, 't', 'h', 'e', 'th', 'the', ' ', 'n', 'then'];
    const t = new Tokenizer(vocab, { ...special, tokenizer: 'longest_match', lowercase: false });
    assert.deepEqual(t.encode('the then th t'), { ids: [8, 9, 11, 9, 7, 9, 4], unknown: 0 });
    assert.deepEqual(t.encode('thexx'), { ids: [8, 3, 3], unknown: 2 });
    assert.deepEqual(t.encode('x☃🎉the'), { ids: [3, 3, 3, 8], unknown: 3 });
  });

  it('special entries never match text, and decode to nothing', () => {
    const vocab = [...specials, '<', 's', '>', 'a'];
    const t = new Tokenizer(vocab, { ...special, tokenizer: 'longest_match', lowercase: false });
    assert.deepEqual(t.encode('<s>a').ids, [4, 5, 6, 7]);
    assert.equal(t.decode([1, 7, 2, 7, 0, 3]), 'aa');
    assert.equal(t.decodeToken(99), '', 'an id outside the vocabulary decodes to nothing');
    assert.ok(t.isSpecial(2));
  });

  it('decode-only entries are never produced, may repeat another entry, and decode to their text', () => {
    const vocab = [...specials, 'the', 't', 'h', 'e', 'the', 'therein'];
    const t = new Tokenizer(vocab, { ...special, tokenizer: 'longest_match', lowercase: false, decode_only_ids: [4, 9] });
    assert.deepEqual(t.encode('the').ids, [8], 'the later "the" encodes');
    assert.deepEqual(t.encode('therein').ids, [8, 3, 7, 3, 3], '"therein" (9) never does');
    assert.equal(t.decode([4, 9, 8]), 'thethereinthe');
    assert.ok(!t.isSpecial(4));
  });

  it('lowercase touches ASCII letters only', () => {
    assert.equal(asciiLower('AbC ÉÀ Zz'), 'abc ÉÀ zz');
    const t = new Tokenizer([...specials, 'a', 'b', 'É'], { ...special, tokenizer: 'char', lowercase: true });
    assert.deepEqual(t.encode('ABÉé'), { ids: [4, 5, 6, 3], unknown: 1 });
  });

  it('decode(encode(text)) is the text when everything is covered', () => {
    const vocab = [...specials, 'h', 'e', 'l', 'o', ' ', 'he', 'll'];
    const t = new Tokenizer(vocab, { ...special, tokenizer: 'longest_match', lowercase: false });
    assert.equal(t.decode(t.encode('hello hello').ids), 'hello hello');
  });
});

describe('vocabulary builder', () => {
  const corpus = 'The cat sat on the mat. The cat ate! Ünïcödé 😀 too.\n';

  it('covers every code point of the corpus (char level)', () => {
    const v = buildVocab(corpus, { tokenizer: 'char', lowercase: false });
    assert.deepEqual(v.vocab.slice(0, 4), specials);
    assert.equal(v.coverage, 1);
    assert.equal(v.coveredChars, new Set(corpus).size);
    assert.deepEqual(v.missingChars, []);
    const t = new Tokenizer(v.vocab, { tokenizer: 'char', lowercase: false, unk_id: 3, special_ids: v.specialIds });
    const { ids, unknown } = t.encode(corpus);
    assert.equal(unknown, 0);
    assert.equal(t.decode(ids), corpus);
    assert.equal(v.vocab[4], ' ', 'most frequent character first');
  });

  it('lowercases before collecting when asked', () => {
    const v = buildVocab('AaBb', { tokenizer: 'char', lowercase: true });
    assert.deepEqual(v.vocab.slice(4), ['a', 'b']);
  });

  it('reports the coverage lost to a vocabulary cap', () => {
    const v = buildVocab('aaaabbbc', { tokenizer: 'char', lowercase: false, vocabSize: 6 });
    assert.deepEqual(v.vocab, [...specials, 'a', 'b']);
    assert.deepEqual(v.missingChars, ['c']);
    assert.equal(v.coverage, 7 / 8);
    const t = new Tokenizer(v.vocab, { tokenizer: 'char', lowercase: false, unk_id: 3, special_ids: v.specialIds });
    assert.deepEqual(measureCoverage(t, 'abcc'), { unknown: 2, codePoints: 4, coverage: 0.5 });
  });

  it('learns subword pieces for longest_match up to the size asked, and still round-trips', () => {
    const v = buildVocab(corpus.repeat(3), { tokenizer: 'longest_match', lowercase: true, vocabSize: 4 + 26 + 10 });
    assert.ok(v.vocab.length <= 40, String(v.vocab.length));
    assert.ok(v.vocab.includes(' the') && v.vocab.includes(' cat'), v.vocab.join('|'));
    assert.equal(new Set(v.vocab).size, v.vocab.length, 'entries are unique');
    const t = new Tokenizer(v.vocab, { tokenizer: 'longest_match', lowercase: true, unk_id: 3, special_ids: v.specialIds });
    const text = asciiLower(corpus);
    const { ids, unknown } = t.encode(text);
    assert.equal(unknown, 0);
    assert.equal(t.decode(ids), text);
    assert.ok(ids.length < [...text].length, 'merges shorten the sequence');
  });
});
