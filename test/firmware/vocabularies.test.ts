// Vocabularies beyond characters on the official firmware (issues 14 and 10 §6): a subword vocabulary as the trainer
// learns it, and a legacy import whose vocabulary repeats entries (decode-only ids). The board's tokenizer gives the
// reference's ids and text for every case (the subword round trip byte for byte), and both models generate the
// reference's tokens.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { generateCorpus } from '../../src/corpus/generate';
import { makeConfig } from '../../src/model/config';
import { importLegacy } from '../../src/model/legacy';
import { type Model, writeModel } from '../../src/model/modelFile';
import { convertModel } from '../../src/model/quantize';
import { randomModel } from '../../src/model/random';
import { Tokenizer } from '../../src/model/tokenizer';
import { buildVocab } from '../../src/model/vocabBuilder';
import { duplicateVocabTrio } from '../../scripts/legacyFixture';
import { type Booted, bootWith, compareWithReference, modelOf } from './support';

const Texts = [
  'once upon a time, there was a little cat named tom. "hello!" said tom.',
  'The end, the rest: different things happened',
  'e the different <unk> <unused_62> day',
  'unknown: ☃ and é',
  '',
];

function subwordModel(): Model {
  const learned = buildVocab(generateCorpus('stories', 1, 100_000), { tokenizer: 'longest_match', lowercase: false, vocabSize: 256 });
  const config = makeConfig({ vocab_size: learned.vocab.length, dim: 16, hidden_dim: 32, n_layers: 1, n_heads: 2, context_length: 64, tokenizer: 'longest_match', family: 'story' });
  return convertModel(randomModel(config, 31, learned.vocab), 'I8');
}

describe('firmware: subword and legacy vocabularies', function () {
  const anchors = join(process.env.PICOFORMER_SHARED ?? join(__dirname, '../../../shared'), 'anchors', 'tiny-transformers-rp2040');
  const files: { fileName: string; bytes: Uint8Array }[] = [];
  let booted: Booted;

  before(async () => {
    files.push({ fileName: 'subword.safetensors', bytes: writeModel(subwordModel()) });
    files.push({ fileName: 'dups.safetensors', bytes: writeModel(convertModel(importLegacy(await duplicateVocabTrio(anchors)), 'I8')) });
    booted = await bootWith(files);
  });
  after(async () => booted?.close());

  it('the board tokenizes every text as the reference: ids, unknown characters, decoded text', async () => {
    const code = [
      'import json',
      'from picoformer import header, tokenizer',
      `texts = json.loads(${JSON.stringify(JSON.stringify(Texts))})`,
      'for f in ("subword", "dups"):',
      '    vb = header.read("/models/%s.safetensors" % f).vocab',
      '    for t in texts:',
      '        ids, unknown = tokenizer.encode(vb, t)',
      '        print(json.dumps([f, ids, unknown, "".join(tokenizer.decode(vb, i) for i in ids)]))',
    ].join('\n');
    const { stdout, stderr } = await booted.board.exec(code);
    assert.equal(stderr, '');
    const got = stdout.trim().split(/\r?\n/).map((l) => JSON.parse(l) as [string, number[], number, string]);
    assert.equal(got.length, 2 * Texts.length);
    for (const { fileName, bytes } of files) {
      const model = modelOf(bytes);
      const t = new Tokenizer(model.vocab, model.config);
      const name = fileName.replace('.safetensors', '');
      for (const [i, text] of Texts.entries()) {
        const want = t.encode(text);
        assert.deepEqual(got.find((g, k) => g[0] === name && k % Texts.length === i), [name, want.ids, want.unknown, t.decode(want.ids)], `${name}: ${JSON.stringify(text)}`);
      }
    }
    const subword = got.filter((g) => g[0] === 'subword' && g[2] === 0);
    for (const g of subword) assert.ok(Texts.some((text) => text === g[3]), `round trip: ${JSON.stringify(g[3])}`);
    assert.ok(subword[0][1].length < Texts[0].length / 2, 'pieces hold several characters');
  });

  for (const [name, file] of [['the subword model', 'subword.safetensors'], ['the legacy model with repeated entries', 'dups.safetensors']] as const) {
    it(`${name} generates the reference's tokens, greedy and sampled`, async () => {
      const { board } = booted;
      await board.session.load(file);
      const model = modelOf((files.find((f) => f.fileName === file) as { bytes: Uint8Array }).bytes);
      const differences: string[] = [];
      for (const c of [
        { prompt: 'once upon a time', tokens: 12, temperature: 0, seed: 1 },
        { prompt: 'the little cat', tokens: 12, temperature: 0.8, seed: 2024 },
      ]) {
        const { difference } = await compareWithReference(board, model, c, 1e-4, 6);
        if (difference) differences.push(difference);
      }
      assert.deepEqual(differences, []);
    });
  }
});
