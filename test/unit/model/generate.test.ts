import assert from 'node:assert/strict';
import { logitsForSequence } from '../../../src/model/forward';
import { generate, promptSequence } from '../../../src/model/generate';
import type { Model } from '../../../src/model/modelFile';
import { generationRng, sampleToken } from '../../../src/model/sampling';
import { Tokenizer } from '../../../src/model/tokenizer';
import { tinyModel } from './helpers';

/** docs/format.md's generation past the context, transcribed with a full recompute per token: the window is at
 *  most context_length tokens; a full one takes a new token by becoming BOS + the newest tokens, floor(3 ctx / 8)
 *  in all (the new token last; at least BOS and it). */
function naiveGenerate(model: Model, promptIds: number[], o: { maxTokens: number; temperature: number; topK: number; seed: number }): { ids: number[]; refills: number } {
  const { context_length: ctx, bos_id: bos, eos_id: eos } = model.config;
  const keep = Math.max(bos === null ? 1 : 2, Math.floor((3 * ctx) / 8));
  const rng = generationRng(o.seed);
  let window = [...promptIds];
  const ids: number[] = [];
  let refills = 0;
  while (ids.length < o.maxTokens) {
    const logits = logitsForSequence(model, window).at(-1) as Float32Array;
    const next = sampleToken(logits, o, rng);
    if (next === eos) break;
    ids.push(next);
    if (ids.length === o.maxTokens) break; // the last token is never fed
    if (window.length < ctx) window.push(next);
    else {
      const recent = window.slice(window.length - (keep - 1 - (bos === null ? 0 : 1)));
      window = bos === null ? [...recent, next] : [bos, ...recent, next];
      refills++;
    }
  }
  return { ids, refills };
}

const opts = { maxTokens: 5, temperature: 0.8, topK: 0, seed: 1 };

describe('generation', () => {
  it('starts with BOS and the prompt', () => {
    const model = tinyModel();
    const r = generate(model, model.vocab[5] + model.vocab[6], opts);
    assert.deepEqual(r.promptIds, [1, 5, 6]);
    assert.equal(r.truncated, 0);
  });

  it('cuts the prompt from the left so BOS + prompt fills context_length - 1', () => {
    const model = tinyModel(); // context 8
    const tokenizer = new Tokenizer(model.vocab, model.config);
    const text = model.vocab.slice(4, 12).join('') + model.vocab[4];
    const s = promptSequence(model, tokenizer, text);
    assert.equal(s.ids.length, 7);
    assert.equal(s.ids[0], 1);
    assert.deepEqual(s.ids.slice(1), [7, 8, 9, 10, 11, 4]);
    assert.equal(s.truncated, 3);
    const r = generate(model, text, { ...opts, maxTokens: 10, stopAtContext: true });
    assert.equal(r.ids.length, 1, 'exactly one token fits');
    assert.equal(r.stopReason, 'context');
  });

  it('without BOS the prompt alone is cut to context_length - 1, and an empty prompt is refused', () => {
    const model = tinyModel({ bos_id: null, special_ids: [0, 2, 3] });
    const tokenizer = new Tokenizer(model.vocab, model.config);
    assert.equal(promptSequence(model, tokenizer, model.vocab[5].repeat(20)).ids.length, 7);
    assert.throws(() => generate(model, '', opts), /empty and this model has no BOS/);
  });

  it('counts unknown prompt characters', () => {
    assert.equal(generate(tinyModel(), '☃☃x', opts).unknown, 3);
  });

  it('goes on past the context: a full window is refilled with BOS and its newest tokens, as a full recompute does', () => {
    for (const overrides of [{ eos_id: null }, { eos_id: null, bos_id: null, special_ids: [0, 2, 3] }, { eos_id: null, positional: 'none' as const }]) {
      const model = tinyModel(overrides); // context 8: a refill keeps 3 (BOS, one token, the new one)
      for (const temperature of [0, 1.2]) {
        const o = { ...opts, maxTokens: 40, temperature, seed: 5 };
        const r = generate(model, model.vocab[5], o);
        const want = naiveGenerate(model, r.promptIds, o);
        assert.deepEqual(r.ids, want.ids, JSON.stringify({ overrides, temperature }));
        assert.equal(r.stopReason, 'max_tokens');
        assert.equal(r.refills, want.refills);
        assert.ok(r.refills >= 6, `${r.refills} refills`);
      }
    }
  });

  it('counts refills: after the first fill, one per ctx - keep + 1 tokens', () => {
    const model = tinyModel({ eos_id: null }); // ctx 8, keep 3; BOS + 1 prompt token
    const refills = (n: number): number => generate(model, model.vocab[5], { ...opts, maxTokens: n }).refills;
    // Tokens 1-6 fill the window (2 + 6 = 8); token 7 is fed by the first refill, then every 6th (window 3 -> 8);
    // the last token is never fed, so it never causes one.
    assert.deepEqual([6, 7, 8, 13, 14, 20].map(refills), [0, 0, 1, 1, 2, 3]);
  });

  it('stops at the context only when asked (stopAtContext), or when a refill cannot hold BOS and a token', () => {
    const model = tinyModel({ eos_id: null });
    const asked = generate(model, '', { ...opts, maxTokens: 100, stopAtContext: true });
    assert.deepEqual([asked.ids.length, asked.stopReason, asked.refills], [7, 'context', 0]);
    const one = tinyModel({ eos_id: null, context_length: 1 });
    const r = generate(one, '', { ...opts, maxTokens: 100 });
    assert.deepEqual([r.ids.length, r.stopReason], [0, 'context']);
    const twoNoBos = tinyModel({ eos_id: null, bos_id: null, special_ids: [0, 2, 3], context_length: 2, positional: 'none' });
    const n = generate(twoNoBos, twoNoBos.vocab[5], { ...opts, maxTokens: 5 });
    assert.deepEqual([n.ids.length, n.stopReason, n.refills], [5, 'max_tokens', 2], 'a refill keeps the newest token alone');
  });

  it('stops at max_tokens, at the context when asked, and at EOS (not emitted)', () => {
    const model = tinyModel();
    assert.equal(generate(model, '', { ...opts, maxTokens: 3 }).stopReason, 'max_tokens');
    assert.equal(generate(model, '', { ...opts, maxTokens: 3 }).ids.length, 3);
    const full = generate(model, '', { ...opts, maxTokens: 100, temperature: 0, stopAtContext: true });
    assert.ok(full.stopReason === 'context' || full.stopReason === 'eos');
    // All logits equal (final norm weight 0) and EOS the lowest id: greedy picks EOS at once.
    const eosFirst = tinyModel({ eos_id: 0, pad_id: 2 });
    (eosFirst.tensors.get('final_norm')?.data as Float32Array).fill(0);
    const r = generate(eosFirst, '', { ...opts, temperature: 0 });
    assert.deepEqual([r.ids, r.text, r.stopReason], [[], '', 'eos']);
    // Same model without EOS: greedy repeats id 0 until the context is full.
    const noEos = tinyModel({ eos_id: null });
    (noEos.tensors.get('final_norm')?.data as Float32Array).fill(0);
    const c = generate(noEos, '', { ...opts, temperature: 0, maxTokens: 100, stopAtContext: true });
    assert.deepEqual([c.ids, c.stopReason], [[0, 0, 0, 0, 0, 0, 0], 'context']);
    assert.equal(generate(model, 'a', { ...opts, maxTokens: 0 }).ids.length, 0);
  });

  it('max_tokens wins over a full context when both happen at once', () => {
    const model = tinyModel({ eos_id: null });
    const r = generate(model, '', { ...opts, maxTokens: 7, stopAtContext: true }); // 1 (BOS) + 7 = context 8
    assert.deepEqual([r.ids.length, r.stopReason], [7, 'max_tokens']);
  });

  it('streams each token as it is chosen, and the text is their decoding', () => {
    const model = tinyModel({ eos_id: null });
    const seen: [number, string][] = [];
    const r = generate(model, '', { ...opts, onToken: (id, text) => seen.push([id, text]) });
    assert.deepEqual(seen.map(([id]) => id), r.ids);
    assert.equal(seen.map(([, t]) => t).join(''), r.text);
    assert.equal(r.text, new Tokenizer(model.vocab, model.config).decode(r.ids));
    assert.equal(r.margins.length, r.ids.length);
  });

  it('is reproducible from the seed; greedy ignores it', () => {
    const model = tinyModel({ eos_id: null });
    const a = generate(model, '', { ...opts, maxTokens: 7, temperature: 1.5, seed: 11 });
    assert.deepEqual(generate(model, '', { ...opts, maxTokens: 7, temperature: 1.5, seed: 11 }).ids, a.ids);
    const others = [12, 13, 14, 15].map((seed) => generate(model, '', { ...opts, maxTokens: 7, temperature: 1.5, seed }).ids.join());
    assert.ok(others.some((o) => o !== a.ids.join()));
    const g1 = generate(model, '', { ...opts, temperature: 0, seed: 1 });
    const g2 = generate(model, '', { ...opts, temperature: 0, seed: 2 });
    assert.deepEqual(g1.ids, g2.ids);
  });

  it('small, neighbouring seeds start on different tokens (the seed is mixed before xorshift32 runs)', () => {
    // Every logit equal: the first token is the first uniform's twelfth, so the seeds' first uniforms show through.
    const model = tinyModel({ eos_id: null });
    (model.tensors.get('final_norm')?.data as Float32Array).fill(0);
    const first = Array.from({ length: 16 }, (_, i) => generate(model, '', { ...opts, maxTokens: 1, temperature: 1, seed: i + 1 }).ids[0]);
    assert.ok(new Set(first).size >= 6, `first tokens for seeds 1..16: ${first.join(' ')}`);
    assert.ok(first.filter((id) => id === 0).length <= 4, `the lowest id too often: ${first.join(' ')}`);
  });

  it('refuses bad options', () => {
    const model = tinyModel();
    assert.throws(() => generate(model, 'a', { ...opts, maxTokens: -1 }), /max tokens/);
    assert.throws(() => generate(model, 'a', { ...opts, topK: 1.5 }), /top-k/);
    assert.throws(() => generate(model, 'a', { ...opts, temperature: NaN }), /temperature/);
    assert.throws(() => generate(model, 'a', { ...opts, seed: 0.5 }), /seed/);
  });

  it('reports the decode rate, the prompt excluded: none for a single new token', () => {
    const model = tinyModel();
    const one = generate(model, '', { maxTokens: 1, temperature: 0, topK: 0, seed: 1 });
    assert.equal(one.ids.length, 1);
    assert.equal(one.stats.tokensPerSecond, 0, 'one token has no time between tokens to measure');
    const many = generate(model, '', { maxTokens: 6, temperature: 0, topK: 0, seed: 1 });
    assert.ok(many.ids.length < 2 || many.stats.tokensPerSecond > 0);
  });
});
