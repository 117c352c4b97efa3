import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { f32ToF16Bits } from '../../../src/model/f16';
import { logitsForSequence } from '../../../src/model/forward';
import { importLegacy, type LegacyTrio, parseLegacyVocab } from '../../../src/model/legacy';
import { readLegacyTrio } from '../../../src/model/legacyFiles';
import { readModel, writeModel } from '../../../src/model/modelFile';
import { Tokenizer } from '../../../src/model/tokenizer';
import { DuplicateSlots, duplicateVocabTrio, legacyVocabBytes } from '../../../scripts/legacyFixture';
import { assertFormatError } from './helpers';

const anchors = join(process.env.PICOFORMER_SHARED ?? resolve(__dirname, '../../../../shared'), 'anchors', 'tiny-transformers-rp2040');
const story = join(anchors, 'v5', 'story-1k-balanced');
const chat = join(anchors, 'v5', 'chat-10k-balanced');

/**
 * The OLD runtime's forward pass, re-implemented straight from the anchors' README, on the raw legacy bytes:
 * matrices [in][out] (y[j] = sum_i x[i] W[i][j]), pre-norm LayerNorm eps 1e-6 weight only, ONE head over the full
 * dim (scores / sqrt(dim)), SiLU, tied logits. Full recompute per position, double precision, no KV cache.
 */
function oldRuntimeLogits(folder: string, n: number, tokens: number[]): number[][] {
  const bin = readFileSync(join(folder, `model_${n}p.bin`));
  const hdr = Array.from({ length: 8 }, (_, i) => bin.readUInt32LE(i * 4));
  const [vocab, dim, hidden, layers] = hdr;
  let at = 32;
  const take = (count: number): number[] => {
    const out = Array.from({ length: count }, (_, i) => bin.readFloatLE(at + i * 4));
    at += count * 4;
    return out;
  };
  const emb = take(vocab * dim);
  const L = Array.from({ length: layers }, () => ({
    ln1: take(dim), ln2: take(dim), wq: take(dim * dim), wk: take(dim * dim), wv: take(dim * dim), wo: take(dim * dim),
    w1: take(dim * hidden), w2: take(hidden * dim),
  }));
  const lnF = take(dim);
  assert.equal(at, bin.length);
  const ln = (x: number[], w: number[]): number[] => {
    const mean = x.reduce((a, b) => a + b, 0) / x.length;
    const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
    return x.map((v, i) => ((v - mean) / Math.sqrt(variance + 1e-6)) * w[i]);
  };
  const inOut = (x: number[], w: number[], outDim: number): number[] =>
    Array.from({ length: outDim }, (_, j) => x.reduce((s, xi, i) => s + xi * w[i * outDim + j], 0));
  const silu = (z: number): number => z / (1 + Math.exp(-z));
  let xs = tokens.map((t) => emb.slice(t * dim, (t + 1) * dim));
  for (const l of L) {
    const h = xs.map((x) => ln(x, l.ln1));
    const q = h.map((v) => inOut(v, l.wq, dim));
    const k = h.map((v) => inOut(v, l.wk, dim));
    const v = h.map((u) => inOut(u, l.wv, dim));
    xs = xs.map((x, t) => {
      const s = k.slice(0, t + 1).map((kk) => kk.reduce((a, kv, i) => a + kv * q[t][i], 0) / Math.sqrt(dim));
      const m = Math.max(...s);
      const e = s.map((z) => Math.exp(z - m));
      const sum = e.reduce((a, b) => a + b, 0);
      const att = Array.from({ length: dim }, (_, i) => e.reduce((a, ei, u) => a + (ei / sum) * v[u][i], 0));
      const x1 = inOut(att, l.wo, dim).map((y, i) => x[i] + y);
      const f = inOut(inOut(ln(x1, l.ln2), l.w1, hidden).map(silu), l.w2, dim);
      return x1.map((y, i) => y + f[i]);
    });
  }
  return xs.map((x) => {
    const xn = ln(x, lnF);
    return Array.from({ length: vocab }, (_, t) => xn.reduce((a, xi, i) => a + xi * emb[t * dim + i], 0));
  });
}

function assertSameLogits(got: Float32Array[], want: number[][]): void {
  let worst = 0;
  want.forEach((row, p) => row.forEach((w, i) => (worst = Math.max(worst, Math.abs(got[p][i] - w) / Math.max(1, Math.abs(w))))));
  assert.ok(worst < 2e-5, `largest difference ${worst}`);
}

describe('legacy import', () => {
  it('imports story-1k-balanced with the options of the old runtime', async () => {
    const model = importLegacy(await readLegacyTrio(story));
    assert.deepEqual(
      { ...model.config, special_ids: undefined },
      {
        vocab_size: 64, dim: 8, hidden_dim: 32, n_layers: 1, n_heads: 1, context_length: 32, norm: 'layernorm', norm_eps: 1e-6,
        activation: 'silu', positional: 'none', tied_embeddings: true, tokenizer: 'longest_match', lowercase: true,
        bos_id: 1, eos_id: 2, unk_id: 3, pad_id: 0, special_ids: undefined, family: 'story',
      },
    );
    assert.deepEqual(model.vocab.slice(0, 6), ['<pad>', '<s>', '</s>', '<unk>', ' ', 'e']);
    assert.equal(model.extraMetadata.name, 'story-1k-balanced');
  });

  it('story-1k-balanced gives the old runtime\'s logits', async () => {
    const model = importLegacy(await readLegacyTrio(story));
    const tokens = [1, ...new Tokenizer(model.vocab, model.config).encode('Once upon a time, a cat sat.').ids].slice(0, 32);
    assertSameLogits(logitsForSequence(model, tokens), oldRuntimeLogits(story, 1280, tokens));
  });

  it('chat-10k-balanced gives the old runtime\'s logits, and its empty slots become special tokens', async () => {
    const model = importLegacy(await readLegacyTrio(join(chat, 'config_10368p.json')));
    assert.equal(model.config.n_heads, 1);
    assert.equal(model.config.context_length, 52);
    assert.equal(model.vocab[97], '<unused_97>');
    assert.equal(model.vocab[96], '9');
    assert.ok(model.config.special_ids.includes(99) && model.config.special_ids.includes(143));
    assert.equal(model.config.special_ids.length, 4 + 144 - 97);
    const tokenizer = new Tokenizer(model.vocab, model.config);
    const tokens = [1, ...tokenizer.encode('Hello there, how is the weather in the city?').ids];
    assert.ok(tokens.includes(59), 'longest match uses the multi-character entries (" th")');
    assertSameLogits(logitsForSequence(model, tokens), oldRuntimeLogits(chat, 10368, tokens));
    const back = readModel(writeModel(model));
    assert.deepEqual(logitsForSequence(back, tokens), logitsForSequence(model, tokens));
  });

  it('refuses rp2040-speed_40p, giving the expected and actual sizes', async () => {
    const trio = await readLegacyTrio(join(anchors, 'rp2040-speed_40p'));
    assertFormatError(() => importLegacy(trio), 'legacy_invalid', /61764 bytes but its header and config describe 35008 bytes/);
  });

  it('imports a float16 trio as F16 tensors', async () => {
    const trio = await readLegacyTrio(story);
    const f32 = new DataView(trio.model.buffer, trio.model.byteOffset, trio.model.length);
    const count = (trio.model.length - 32) / 4;
    const half = new Uint8Array(32 + count * 2);
    half.set(trio.model.subarray(0, 32));
    const view = new DataView(half.buffer);
    for (let i = 0; i < count; i++) view.setUint16(32 + i * 2, f32ToF16Bits(f32.getFloat32(32 + i * 4, true)), true);
    const config = JSON.stringify({ ...JSON.parse(trio.configText), quantization: 'float16' });
    const model = importLegacy({ ...trio, configText: config, model: half });
    assert.equal(model.tensors.get('layers.0.wq')?.dtype, 'F16');
    const tokens = [1, 5, 6, 7, 8];
    const want = oldRuntimeLogits(story, 1280, tokens);
    const got = logitsForSequence(model, tokens);
    want.forEach((row, p) => row.forEach((w, i) => assert.ok(Math.abs(got[p][i] - w) < 0.02, 'float16 stays close')));
    assertFormatError(() => importLegacy({ ...trio, configText: config }), 'legacy_invalid', /describe 2640 bytes/);
  });

  it('refuses trios whose parts disagree', async () => {
    const trio = await readLegacyTrio(story);
    const edit = (patch: Partial<LegacyTrio>): (() => unknown) => () => importLegacy({ ...trio, ...patch });
    assertFormatError(edit({ configText: trio.configText.replace('"dim": 8', '"dim": 16') }), 'legacy_invalid', /header says dim 8 but the config says 16/);
    assertFormatError(edit({ configText: '{' }), 'legacy_invalid', /not valid JSON/);
    assertFormatError(edit({ configText: trio.configText.replace('"n_layers": 1', '"n_layers": "one"') }), 'legacy_invalid', /n_layers/);
    assertFormatError(edit({ model: trio.model.subarray(0, 20) }), 'legacy_invalid', /shorter than its 32-byte header/);
    assertFormatError(edit({ vocab: trio.vocab.subarray(0, trio.vocab.length - 1) }), 'legacy_invalid', /ends inside token 63/);
    const extra = new Uint8Array(trio.vocab.length + 1);
    extra.set(trio.vocab);
    assertFormatError(edit({ vocab: extra }), 'legacy_invalid', /1 bytes after its 64 tokens/);
    const nan = trio.model.slice();
    new DataView(nan.buffer).setFloat32(32 + 4 * 10, NaN, true);
    assertFormatError(edit({ model: nan }), 'non_finite', /weight 10/);
  });

  describe('a vocabulary with repeated entries (real old models have them; the anchors do not)', () => {
    /** The old runtime's encoder (inference_01b2886.py, ScalableTokenizer.encode), transcribed: a dict from text to
     *  id built in id order (a repeated text keeps its last id), matches of at most 8 characters, BOS first. */
    function oldRuntimeEncode(slots: readonly (string | null)[], text: string): number[] {
      const reverse = new Map<string, number>();
      slots.forEach((s, id) => {
        if (s !== null) reverse.set(s, id);
      });
      const t = text.toLowerCase();
      const tokens = [1];
      for (let i = 0; i < t.length; ) {
        let len = Math.min(8, t.length - i);
        while (len > 0 && !reverse.has(t.slice(i, i + len))) len--;
        tokens.push(len === 0 ? 3 : (reverse.get(t.slice(i, i + len)) as number));
        i += Math.max(len, 1);
      }
      return tokens;
    }

    it('imports it: the last id encodes, the earlier ones and over-long entries are decode-only', async () => {
      const trio = await duplicateVocabTrio(anchors);
      const model = importLegacy(trio);
      assert.deepEqual(model.config.decode_only_ids, [5, 57, 60, 61]);
      assert.deepEqual(model.vocab.slice(56, 63), ['<unk>', ' the', 'e', ' the', 'different', '<unused_62>', '<unused_62_2>']);
      assert.equal(model.vocab[3], '<unk_2>', 'the special <unk> is renamed: a real token has its text');
      assert.deepEqual(model.config.special_ids, [0, 1, 2, 3, 62]);
      const tokenizer = new Tokenizer(model.vocab, model.config);
      const slots = parseLegacyVocab(trio.vocab);
      for (const text of ['The end, the rest', 'eee the different <unused_62> day', 'different things', 'x <unk> y', 'Ünïcode ☃\t']) {
        assert.deepEqual([1, ...tokenizer.encode(text).ids], oldRuntimeEncode(slots, text), text);
      }
      assert.deepEqual(tokenizer.encode('e the').ids, [58, 59]);
      for (const [id, text] of [[5, 'e'], [57, ' the'], [60, 'different'], [61, '<unused_62>']] as const) assert.equal(tokenizer.decodeToken(id), text);
      assert.equal(tokenizer.decodeToken(62), '');
      const back = readModel(writeModel(model));
      assert.deepEqual(back.config, model.config);
      assert.deepEqual(back.vocab, model.vocab);
    });

    it('changes nothing for the anchors (no repeats): their files have no decode_only_ids', async () => {
      for (const folder of [story, chat]) assert.equal(importLegacy(await readLegacyTrio(folder)).config.decode_only_ids, undefined);
    });

    it('refuses a vocabulary whose every text entry is decode-only', async () => {
      const trio = await readLegacyTrio(story);
      const slots = parseLegacyVocab(trio.vocab).map((s, id) => (id < 4 ? s : id % 2 === 0 ? 'abcdefghij' : null));
      assertFormatError(() => importLegacy({ ...trio, vocab: legacyVocabBytes(slots) }), 'config_invalid', /no text can be encoded/);
    });

    it('the fixture replaces what it says', () => {
      assert.deepEqual(Object.keys(DuplicateSlots).map(Number), [56, 57, 58, 59, 60, 61, 62]);
    });
  });

  it('finds the trio from its folder or its config, and says what is missing', async () => {
    assert.equal((await readLegacyTrio(story)).name, 'story-1k-balanced');
    assert.equal((await readLegacyTrio(join(story, 'config_1280p.json'))).model.length, 5248);
    await assert.rejects(readLegacyTrio(join(story, 'model_1280p.bin')), /not named config_<N>p\.json/);
    await assert.rejects(readLegacyTrio(anchors), /no config_<N>p\.json/);
  });
});
