// "Generated words are corpus words" on the committed sample models: each story model's share (20 seeded samples,
// scripts/sampleWords.ts) is at least the figure models/README.md and models/samples.json state, so a retrain that
// writes worse text fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateCorpus } from '../../../src/corpus/generate';
import { readModel } from '../../../src/model/modelFile';
import { corpusWordShare, wordsOf } from '../../../scripts/sampleWords';

const models = join(__dirname, '../../../models');

interface Recorded {
  file: string;
  corpus: string;
  corpusWords?: { share: number; words: number };
}

describe('sample models: generated words are corpus words', function () {
  this.timeout(60_000);
  const recorded = JSON.parse(readFileSync(join(models, 'samples.json'), 'utf8')) as Record<string, Recorded>;
  const stories = Object.entries(recorded).filter(([, r]) => r.corpus.startsWith('stories'));
  let corpusWords: Set<string>;
  before(() => {
    // The samples' corpus (scripts/train-samples.ts): stories, seed 1, 4,000,000 characters.
    assert.ok(stories.every(([, r]) => r.corpus === 'stories (seed 1, 4,000,000 characters)'), 'the samples were trained on another corpus: update this test');
    corpusWords = new Set(wordsOf(generateCorpus('stories', 1, 4_000_000)));
  });

  it('words are space-separated, punctuation stripped from both ends', () => {
    assert.deepEqual(wordsOf(' "hello," said tom\'s  yo-yo.\n... ok!'), ['hello', 'said', "tom's", 'yo-yo', 'ok']);
  });

  it('every story sample has its figure, and the corpus has its few hundred words', () => {
    assert.ok(stories.length >= 4, stories.map(([n]) => n).join(', '));
    for (const [name, r] of stories) assert.ok(r.corpusWords !== undefined, `${name} has no corpus-words figure: run npm run train:samples -- --samples-only`);
    assert.ok(corpusWords.size > 300 && corpusWords.size < 600, String(corpusWords.size));
  });

  for (const [name, r] of stories) {
    it(`${name}: no fewer corpus words than models/README.md says`, () => {
      assert.ok(r.corpusWords !== undefined, `${name} has no figure in models/samples.json`);
      const got = corpusWordShare(readModel(new Uint8Array(readFileSync(join(models, r.file)))), corpusWords);
      assert.ok(got.words > 100, `only ${got.words} words generated`);
      assert.ok(got.share >= r.corpusWords.share, `${(got.share * 100).toFixed(1)}% < ${(r.corpusWords.share * 100).toFixed(1)}%`);
    });
  }
});
