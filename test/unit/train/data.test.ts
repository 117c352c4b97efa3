import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusProblem, readCorpus, splitDocuments } from '../../../src/train/corpusFiles';
import { DefaultDataOptions, Special, fillWindow, prepareData, sampleStart, tooShort, validationStarts } from '../../../src/train/data';
import { TrainRng } from '../../../src/train/rng';

describe('training data', () => {
  it('splits documents at blank lines, whatever the line endings', () => {
    assert.deepEqual(splitDocuments('\uFEFFone\r\ntwo\r\n\r\nthree\n \n\n\nfour  \n'), ['one\ntwo', 'three', 'four']);
    assert.deepEqual(splitDocuments('\n\n  \n'), []);
  });

  it('reads a file, or every text file of a folder in name order, and refuses what it cannot use', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'picoformer-corpus-'));
    try {
      mkdirSync(join(dir, 'b'));
      writeFileSync(join(dir, 'b', 'two.txt'), 'second\n\nthird');
      writeFileSync(join(dir, 'a.md'), 'first');
      writeFileSync(join(dir, 'skip.bin'), 'never');
      const folder = await readCorpus(dir);
      assert.deepEqual(folder.documents, ['first', 'second', 'third']);
      assert.deepEqual(folder.files, ['a.md', join('b', 'two.txt')]);
      writeFileSync(join(dir, 'bad.txt'), Buffer.from([0x66, 0xff, 0xfe]));
      await assert.rejects(readCorpus(join(dir, 'bad.txt')), /bad\.txt is not UTF-8 text/);
      writeFileSync(join(dir, 'empty.txt'), '\n\n');
      await assert.rejects(readCorpus(join(dir, 'empty.txt')), /holds no text/);
      const none = join(dir, 'none');
      mkdirSync(none);
      await assert.rejects(readCorpus(none), /has no text files/);
      await assert.rejects(readCorpus(join(dir, 'missing.txt')), /ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says at once when a chosen text has nothing to learn from (empty, only whitespace, no text files)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'picoformer-corpus-'));
    try {
      writeFileSync(join(dir, 'empty.txt'), '');
      writeFileSync(join(dir, 'blank.txt'), ' \n\t\r\n\n  ');
      writeFileSync(join(dir, 'ok.txt'), '\n\n  once upon a time');
      assert.match((await corpusProblem(join(dir, 'empty.txt'))) ?? '', /^empty\.txt is empty: there is no text to learn from/);
      assert.match((await corpusProblem(join(dir, 'blank.txt'))) ?? '', /^blank\.txt holds only blank space: there is no text to learn from/);
      assert.equal(await corpusProblem(join(dir, 'ok.txt')), undefined);
      const blanks = join(dir, 'blanks');
      mkdirSync(blanks);
      writeFileSync(join(blanks, 'a.txt'), '\n');
      writeFileSync(join(blanks, 'b.bin'), 'not text');
      assert.match((await corpusProblem(blanks)) ?? '', /^The folder blanks has no text in its \.txt, \.md or \.text files/);
      writeFileSync(join(blanks, 'c.md'), 'words');
      assert.equal(await corpusProblem(blanks), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds a full-coverage character vocabulary, ends every document with EOS, holds out every 10th document', () => {
    const docs = Array.from({ length: 20 }, (_, i) => `doc ${String.fromCharCode(97 + i)}`);
    const d = prepareData(docs, DefaultDataOptions);
    assert.deepEqual(d.vocab.slice(0, 4), ['<pad>', '<s>', '</s>', '<unk>']);
    assert.equal(d.coverage, 1);
    assert.equal(d.unknownTokens, 0);
    assert.equal(d.val.docStarts.length, 2, 'documents 9 and 19');
    assert.equal(d.train.docStarts.length, 18);
    const decode = (ids: ArrayLike<number>): string => Array.from(ids, (id) => (id === Special.eos ? '|' : d.vocab[id])).join('');
    assert.equal(decode(d.val.tokens), 'doc j|doc t|');
    assert.ok(decode(d.train.tokens).startsWith('doc a|doc b|'));
  });

  it('a capped vocabulary leaves the rarest characters out and counts them as unknown', () => {
    const d = prepareData(['aaaa bbb cc d', 'aaaa bbb cc d'], { ...DefaultDataOptions, maxVocab: 4 + 4 });
    assert.deepEqual(d.missingChars, ['d']);
    assert.equal(d.unknownTokens, 2);
    assert.ok(Math.abs(d.coverage - 24 / 26) < 1e-12);
  });

  it('resuming tokenizes with the given vocabulary and reports what it does not cover', () => {
    const d = prepareData(['abc', 'abd'], DefaultDataOptions, ['<pad>', '<s>', '</s>', '<unk>', 'a', 'b', 'c']);
    assert.equal(d.unknownTokens, 1);
    assert.ok(Math.abs(d.coverage - 5 / 6) < 1e-12);
  });

  it('one document is split 90/10 by position', () => {
    const d = prepareData(['x'.repeat(100)], DefaultDataOptions);
    assert.equal(d.train.tokens.length, 91);
    assert.equal(d.val.tokens.length, 11);
  });

  it('a window is BOS then the stream, predicting the next token at every position', () => {
    const d = prepareData(['abcdefgh'], DefaultDataOptions);
    const inputs = new Int32Array(8);
    const targets = new Int32Array(8);
    fillWindow(d.train, 2, 4, inputs, targets, 4);
    const s = d.train.tokens;
    assert.deepEqual(Array.from(inputs.subarray(4)), [Special.bos, s[2], s[3], s[4]]);
    assert.deepEqual(Array.from(targets.subarray(4)), [s[2], s[3], s[4], s[5]]);
  });

  it('sampled windows stay in the stream, half of them at document starts; the same seed gives the same order', () => {
    const d = prepareData(Array.from({ length: 50 }, (_, i) => 'word '.repeat(1 + (i % 7))), DefaultDataOptions);
    const starts = new Set(Array.from(d.train.docStarts));
    const draw = (seed: number): number[] => {
      const rng = new TrainRng(seed);
      return Array.from({ length: 2000 }, () => sampleStart(d.train, 8, rng));
    };
    const a = draw(5);
    assert.deepEqual(a, draw(5));
    assert.notDeepEqual(a, draw(6));
    for (const s of a) assert.ok(s >= 0 && s + 8 <= d.train.tokens.length, `start ${s}`);
    const atDoc = a.filter((s) => starts.has(s)).length / a.length;
    assert.ok(atDoc > 0.5 && atDoc < 0.7, `share at document starts ${atDoc}`);
  });

  it('validation windows are fixed and inside the stream; too little text is a clear error', () => {
    const d = prepareData(Array.from({ length: 30 }, () => 'some words here'), DefaultDataOptions);
    const v = validationStarts(d.val, 8, 10);
    assert.equal(v.length, 10);
    assert.deepEqual(v, validationStarts(d.val, 8, 10));
    for (const s of v) assert.ok(s >= 0 && s + 8 <= d.val.tokens.length);
    assert.equal(tooShort(d.val, 8, 'validation'), null);
    assert.match(tooShort(d.val, 64, 'validation') ?? '', /the validation text has 48 tokens, fewer than one window of 64/);
  });
});
