// Seeded mutations of valid files: the reader must return a model or throw ModelFormatError, nothing else, quickly.
import assert from 'node:assert/strict';
import { ModelFormatError } from '../../../src/model/errors';
import { Transformer } from '../../../src/model/forward';
import { readModel, writeModel } from '../../../src/model/modelFile';
import { convertModel } from '../../../src/model/quantize';
import { Xorshift32 } from '../../../src/model/sampling';
import { assemble, headerOf, tinyModel } from './helpers';

const Cases = 6000;

describe('model reader fuzz', () => {
  const bases = [
    writeModel(tinyModel()),
    writeModel(convertModel(tinyModel({ tied_embeddings: false, positional: 'none' }), 'I8')),
    writeModel(convertModel(tinyModel({ norm: 'layernorm', tokenizer: 'longest_match', bos_id: null, special_ids: [0, 2, 3] }), 'F16')),
  ];
  const rng = new Xorshift32(20240601);
  const int = (n: number): number => Math.floor(rng.uniform() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];

  const mutations: Record<string, (file: Uint8Array) => Uint8Array> = {
    bitFlips(file) {
      const out = file.slice();
      for (let i = 1 + int(4); i > 0; i--) out[int(out.length)] ^= 1 << int(8);
      return out;
    },
    headerBitFlip(file) {
      const out = file.slice();
      const n = headerLength(file);
      out[8 + int(n)] ^= 1 << int(8);
      return out;
    },
    lengthField(file) {
      const out = file.slice();
      out[int(8)] = int(256);
      return out;
    },
    truncate(file) {
      return file.slice(0, int(file.length));
    },
    extend(file) {
      const out = new Uint8Array(file.length + 1 + int(16));
      out.set(file);
      return out;
    },
    headerTextEdit(file) {
      const { json, data } = headerOf(file);
      let text = JSON.stringify(json);
      for (let i = 1 + int(3); i > 0; i--) {
        const at = int(text.length);
        const kind = int(4);
        if (kind === 0) text = text.slice(0, at) + pick(['0', '1', '9', '-', '.', 'e', '"', ',', '{', '}', '[', ']', ':', 'null']) + text.slice(at + 1);
        else if (kind === 1) text = text.slice(0, at) + text.slice(at + 1 + int(8));
        else if (kind === 2) text = text.replace(/\d+/g, (d) => (rng.uniform() < 0.05 ? String(Number(d) + int(5) - 2) : d));
        else text = text.slice(0, at) + String(int(1e6)) + text.slice(at);
      }
      return assemble(text, data);
    },
    metadataEdit(file) {
      const { json, data } = headerOf(file);
      const meta = json.__metadata__ as Record<string, string>;
      const config = JSON.parse(meta.config);
      const key = pick(Object.keys(config));
      config[key] = pick([0, -1, 1, 2, 3, 4096, 1e9, 0.5, null, true, 'silu', 'none', [], {}, [0, 1, 2, 3], 'x']);
      meta.config = JSON.stringify(config);
      if (rng.uniform() < 0.3) {
        const vocab = JSON.parse(meta.vocab);
        vocab[int(vocab.length)] = pick(['', 'ab', 'a', 5, null, '\ud800', '<s>']);
        meta.vocab = JSON.stringify(vocab);
      }
      return assemble(json, data);
    },
    tensorEdit(file) {
      const { json, data } = headerOf(file);
      const names = Object.keys(json).filter((k) => k !== '__metadata__');
      const e = json[pick(names)] as Record<string, unknown>;
      const field = pick(['dtype', 'shape', 'data_offsets']);
      e[field] = pick([
        'F32', 'I8', 'F16', 'BF16', 'U8', 'x', 7, null, [], [4], [4, 4], [0], [-1], [2 ** 60], [0, 4], [4, 0], [1.5, 2], [0, 1e15], {},
      ]);
      if (rng.uniform() < 0.2) delete json[pick(names)];
      return assemble(json, data);
    },
    randomJson(file) {
      const { data } = headerOf(file);
      return assemble(JSON.stringify(randomValue(3)), data.subarray(0, int(data.length + 1)));
    },
  };

  function randomValue(depth: number): unknown {
    const kind = int(depth > 0 ? 7 : 4);
    if (kind === 0) return int(1000) - 10;
    if (kind === 1) return pick(['F32', 'I8', 'tok_emb', '__metadata__', 'picoformer/1', '']);
    if (kind === 2) return pick([null, true, false]);
    if (kind === 3) return rng.uniform() * 1e6;
    if (kind === 4) return Array.from({ length: int(4) }, () => randomValue(depth - 1));
    const obj: Record<string, unknown> = {};
    for (let i = int(5); i > 0; i--) obj[pick(['tok_emb', 'final_norm', '__metadata__', 'dtype', 'shape', 'data_offsets', 'format', 'config', 'vocab'])] = randomValue(depth - 1);
    return obj;
  }

  it(`only ever returns a model or throws ModelFormatError (${Cases} mutated files)`, function () {
    this.timeout(60_000);
    const names = Object.keys(mutations);
    const outcomes = new Map<string, number>();
    for (let i = 0; i < Cases; i++) {
      const name = names[i % names.length];
      const file = mutations[name](pick(bases));
      const started = performance.now();
      let outcome = 'ok';
      try {
        // A file that passes must also run: one generation step from BOS (or the first text token).
        const model = readModel(file);
        new Transformer(model).step(model.config.bos_id ?? 4);
      } catch (err) {
        if (!(err instanceof ModelFormatError)) assert.fail(`case ${i} (${name}): ${String(err)}\n${err instanceof Error ? err.stack : ''}`);
        outcome = err.code;
      }
      assert.ok(performance.now() - started < 1000, `case ${i} (${name}) took too long`);
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
    // The mutations must actually reach many different checks, or this test proves little.
    assert.ok(outcomes.size >= 15, `only ${outcomes.size} outcomes: ${[...outcomes.keys()].join(', ')}`);
  });

  it('survives a huge deeply nested header', () => {
    const deep = '['.repeat(200_000) + ']'.repeat(200_000);
    assert.throws(() => readModel(assemble(deep, new Uint8Array(0))), ModelFormatError);
  });
});

function headerLength(file: Uint8Array): number {
  return Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
}
