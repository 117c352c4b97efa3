import assert from 'node:assert/strict';
import { generateCorpus } from '../../../src/corpus/generate';
import { countWords, learnSubwords } from '../../../src/model/subwordVocab';
import { Tokenizer } from '../../../src/model/tokenizer';
import { VocabHeaderRoom, vocabHeaderBytes } from '../../../src/model/vocab';
import { buildVocab } from '../../../src/model/vocabBuilder';

const config = { tokenizer: 'longest_match' as const, lowercase: false, unk_id: 3, special_ids: [0, 1, 2, 3] };

/** Seeded texts over `alphabet` (xorshift32), for round trips on text the corpus never had. */
function randomTexts(alphabet: string[], count: number, seed: number): string[] {
  let x = seed;
  const next = (n: number): number => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
  return Array.from({ length: count }, () => Array.from({ length: 1 + next(60) }, () => alphabet[next(alphabet.length)]).join(''));
}

describe('subword vocabulary', () => {
  const stories = generateCorpus('stories', 1, 200_000);

  it('words are letter/digit/apostrophe runs with one space before them; anything else stands alone', () => {
    assert.deepEqual([...countWords("the cat's  hat, 2 cats!\n")], [
      ['the', 1], [" cat's", 1], [' ', 1], [' hat', 1], [',', 1], [' 2', 1], [' cats', 1], ['!', 1], ['\n', 1],
    ]);
    assert.deepEqual([...countWords('é😀 éa')], [['é', 1], ['😀', 1], [' éa', 1]]);
  });

  it('characters first (most frequent first), then pieces, to exactly the size asked', () => {
    const { entries, missingChars } = learnSubwords(stories, { size: 200 });
    const chars = new Set(stories);
    assert.equal(entries.length, 200);
    assert.equal(new Set(entries).size, 200, 'unique');
    assert.deepEqual(new Set(entries.slice(0, chars.size)), chars);
    assert.equal(entries[0], ' ');
    assert.deepEqual(missingChars, []);
    for (const piece of entries.slice(chars.size)) {
      assert.ok([...piece].length > 1, piece);
      assert.match(piece, /^ ?[\p{L}\p{N}']+$/u, 'a piece never spans two words');
    }
    assert.ok(entries.includes(' the') && entries.includes(' and'), 'frequent words are whole pieces');
  });

  it('every piece is one the longest-match encoder uses on the corpus (unused BPE pieces are pruned)', () => {
    const built = buildVocab(stories, { tokenizer: 'longest_match', lowercase: false, vocabSize: 300 });
    const t = new Tokenizer(built.vocab, config);
    const used = new Set(t.encode(stories).ids);
    const unused = built.vocab.filter((p, id) => id > 3 && [...p].length > 1 && !used.has(id));
    assert.deepEqual(unused, []);
  });

  it('more entries, fewer tokens per character: about 2.5 characters per token at 256 on the stories', () => {
    const held = generateCorpus('stories', 2, 50_000);
    const cpt = (size: number): number => {
      const t = new Tokenizer(buildVocab(stories, { tokenizer: 'longest_match', lowercase: false, vocabSize: size }).vocab, config);
      return held.length / t.encode(held).ids.length;
    };
    const [a, b, c] = [64, 256, 512].map(cpt);
    assert.ok(a < b && b < c, `${a} ${b} ${c}`);
    assert.ok(b > 2.3 && b < 3.2, String(b));
  });

  it('decode(encode(text)) is the text for any text over the corpus alphabet, and unknown characters are counted', () => {
    const built = buildVocab(stories, { tokenizer: 'longest_match', lowercase: false, vocabSize: 256 });
    const t = new Tokenizer(built.vocab, config);
    const alphabet = [...new Set(stories)];
    for (const text of randomTexts(alphabet, 300, 12345)) assert.equal(t.decode(t.encode(text).ids), text);
    const odd = t.encode('the ☃ cat é');
    assert.equal(odd.unknown, 2);
    assert.equal(t.decode(odd.ids), 'the  cat ');
  });

  it('a size smaller than the alphabet keeps the most frequent characters and learns no pieces', () => {
    const built = buildVocab('aaaa bbb cc d', { tokenizer: 'longest_match', lowercase: false, vocabSize: 4 + 3 });
    assert.deepEqual(built.vocab.slice(4), ['a', ' ', 'b'], 'ties by code point');
    assert.deepEqual(built.missingChars, ['c', 'd']);
  });

  it('is deterministic', () => {
    assert.deepEqual(learnSubwords(stories, { size: 150 }), learnSubwords(stories, { size: 150 }));
  });
});

describe('vocabularies within the header limit', () => {
  // 2,000 distinct CJK characters (3 UTF-8 bytes each), each more frequent than the next: over the header's room.
  const cjk = Array.from({ length: 2000 }, (_, i) => String.fromCodePoint(0x4e00 + i).repeat(1 + Math.floor((2000 - i) / 200))).join(' ');

  it('cuts the rarest entries so the header fits, and says so', () => {
    for (const tokenizer of ['char', 'longest_match'] as const) {
      const built = buildVocab(cjk, { tokenizer, lowercase: false, vocabSize: tokenizer === 'char' ? undefined : 5000 });
      assert.ok(vocabHeaderBytes(built.vocab) <= VocabHeaderRoom, `${tokenizer}: ${vocabHeaderBytes(built.vocab)} bytes`);
      assert.ok(built.vocab.length > 1000, `${tokenizer}: kept ${built.vocab.length}`);
      assert.equal(built.headerCap?.kept, built.vocab.length);
      assert.match(built.headerCap?.message ?? '', /vocabulary cut from \d+ to \d+ tokens: a model file's header holds at most 16384 bytes/);
      assert.ok(built.missingChars.includes(String.fromCodePoint(0x4e00 + 1999)), 'the rarest character becomes unk');
      assert.ok(built.coverage < 1);
    }
  });

  it('leaves a vocabulary that fits as it is (a 1,024-token subword vocabulary of English text)', () => {
    const built = buildVocab(generateCorpus('stories', 3, 200_000), { tokenizer: 'longest_match', lowercase: false, vocabSize: 1024 });
    assert.equal(built.headerCap, undefined);
    assert.ok(vocabHeaderBytes(built.vocab) <= VocabHeaderRoom);
  });
});
