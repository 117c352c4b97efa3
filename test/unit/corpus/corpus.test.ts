import assert from 'node:assert/strict';
import { generateCorpus } from '../../../src/corpus/generate';
import { splitDocuments } from '../../../src/train/corpusFiles';

describe('procedural corpus', () => {
  for (const kind of ['stories', 'chat'] as const) {
    it(`${kind}: the same seed gives the same text, another seed another`, () => {
      const a = generateCorpus(kind, 7, 20_000);
      assert.equal(a, generateCorpus(kind, 7, 20_000));
      assert.notEqual(a, generateCorpus(kind, 8, 20_000));
      assert.ok(a.length >= 20_000 && a.length < 22_000, `length ${a.length}`);
      assert.ok(generateCorpus(kind, 7, 5_000) === a.slice(0, generateCorpus(kind, 7, 5_000).length - 1) + '\n', 'a smaller size is a prefix');
    });

    it(`${kind}: lowercase ASCII from a small alphabet and a small vocabulary, varied documents`, () => {
      const text = generateCorpus(kind, 1, 200_000);
      assert.match(text, /^[a-z .,!?'"\n:-]+$/);
      const words = new Set(text.split(/[^a-z'-]+/).filter((w) => w.length > 0));
      assert.ok(words.size > 100 && words.size < 600, `${words.size} distinct words`);
      const docs = splitDocuments(text);
      assert.ok(new Set(docs).size > docs.length * 0.8, `${new Set(docs).size} distinct of ${docs.length} documents`);
    });
  }

  it('stories are single paragraphs; chats alternate user and bot lines', () => {
    for (const story of splitDocuments(generateCorpus('stories', 3, 30_000))) {
      assert.ok(!story.includes('\n'));
      assert.match(story, /[.!"]$/);
    }
    for (const exchange of splitDocuments(generateCorpus('chat', 3, 30_000))) {
      const lines = exchange.split('\n');
      assert.equal(lines.length % 2, 0);
      lines.forEach((line, i) => assert.match(line, i % 2 === 0 ? /^user: \S/ : /^bot: \S/));
    }
  });

  it('chat answers are right: animal sounds, colours, sums', () => {
    const text = generateCorpus('chat', 4, 100_000);
    assert.match(text, /user: what (does a cow say|sound does a cow make)\?\nbot: a cow says moo!/);
    for (const m of text.matchAll(/user: what is (\w+) plus (\w+)\?\nbot: \1 plus \2 is (\w+)\./g)) {
      const n = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
      assert.equal(n.indexOf(m[1]) + n.indexOf(m[2]), n.indexOf(m[3]), m[0]);
    }
  });

  it('refuses a size that is not a positive whole number', () => {
    assert.throws(() => generateCorpus('stories', 1, 0), /corpus size must be a whole number of characters >= 1/);
  });
});
