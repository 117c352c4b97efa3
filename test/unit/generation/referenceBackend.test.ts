import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import type { GenerationEvent, GenerationParams, GenerationRun } from '../../../src/generation/backend';
import { GenerationStepper } from '../../../src/generation/generationStepper';
import { ReferenceBackend } from '../../../src/generation/referenceBackend';
import { makeConfig } from '../../../src/model/config';
import { Transformer } from '../../../src/model/forward';
import { generate } from '../../../src/model/generate';
import type { Model } from '../../../src/model/modelFile';
import { randomModel } from '../../../src/model/random';

// The shared folder as the other tests find it (PICOFORMER_SHARED, else ../shared beside the repository), not the
// process's working directory.
const Anchors = join(process.env.PICOFORMER_SHARED ?? resolve(__dirname, '../../../../shared'), 'anchors', 'tiny-transformers-rp2040');

const ref = { name: 'test-model', path: '/nowhere/test.safetensors' };

function smallModel(overrides = {}, seed = 11): Model {
  return randomModel(makeConfig({ vocab_size: 40, dim: 8, hidden_dim: 16, n_layers: 2, n_heads: 2, context_length: 32, ...overrides }), seed);
}

async function collect(run: GenerationRun): Promise<GenerationEvent[]> {
  const events: GenerationEvent[] = [];
  for await (const e of run) events.push(e);
  return events;
}

const tokens = (events: GenerationEvent[]) => events.flatMap((e) => (e.type === 'token' ? [e] : []));
const last = (events: GenerationEvent[]) => events[events.length - 1];

describe('ReferenceBackend', () => {
  const cases: [string, Partial<GenerationParams>][] = [
    ['greedy', { temperature: 0 }],
    ['sampled, seed 1', { temperature: 0.9, seed: 1 }],
    ['sampled, negative seed, top-k 5', { temperature: 1.3, seed: -7, topK: 5 }],
    ['runs past the context', { temperature: 1, seed: 3, maxTokens: 200 }],
    ['stops at the context when asked', { temperature: 1, seed: 3, maxTokens: 200, stopAtContext: true }],
  ];
  for (const [name, overrides] of cases) {
    it(`streams the same tokens as generate() (${name})`, async () => {
      const model = smallModel();
      const params: GenerationParams = { prompt: 'the cat', maxTokens: 20, temperature: 0.8, topK: 0, seed: 42, ...overrides };
      const expected = generate(model, params.prompt, params);
      const backend = new ReferenceBackend({ load: async () => model, sliceMs: 0 });
      const events = await collect(backend.start(ref, params));
      const streamed = tokens(events);
      assert.deepEqual(streamed.map((t) => t.id), expected.ids);
      assert.equal(streamed.map((t) => t.text).join(''), expected.text);
      assert.deepEqual(streamed.map((t) => t.index), expected.ids.map((_, i) => i));
      const done = last(events);
      assert.equal(done.type, 'done');
      if (done.type === 'done') {
        assert.equal(done.reason, expected.stopReason);
        assert.equal(done.tokens, expected.ids.length);
        assert.equal(done.promptTokens, expected.promptIds.length);
        assert.equal(done.refills, expected.refills);
      }
      assert.equal(events[0].type, 'start');
      if (name === 'runs past the context') assert.ok(expected.refills > 0 && expected.stopReason !== 'context', JSON.stringify(expected.stopReason));
      if (name === 'stops at the context when asked') assert.equal(expected.stopReason, 'context');
    });
  }

  it('stops at EOS like generate()', async () => {
    // Find a seed whose run ends on EOS, then require the backend to agree.
    const model = smallModel({}, 5);
    const params: GenerationParams = { prompt: 'a', maxTokens: 300, temperature: 2, topK: 0, seed: 1 };
    let seed = 1;
    while (generate(model, params.prompt, { ...params, seed }).stopReason !== 'eos' && seed < 500) seed++;
    assert.equal(generate(model, params.prompt, { ...params, seed }).stopReason, 'eos', 'a seed ending on EOS exists');
    const events = await collect(new ReferenceBackend({ load: async () => model }).start(ref, { ...params, seed }));
    const done = last(events);
    assert.ok(done.type === 'done' && done.reason === 'eos');
  });

  it('stops promptly: no token is computed after stop(), and the run ends with reason "stopped"', async () => {
    const model = smallModel({ dim: 32, hidden_dim: 96, context_length: 4096, vocab_size: 64 });
    // A clock that advances one ms per reading makes every slice exactly one forward step.
    let clock = 0;
    const backend = new ReferenceBackend({ load: async () => model, sliceMs: 1, now: () => clock++ });
    const run = backend.start(ref, { prompt: 'x', maxTokens: 4096, temperature: 1, topK: 0, seed: 9 });
    const events: GenerationEvent[] = [];
    let stoppedAt = -1;
    for await (const e of run) {
      events.push(e);
      if (e.type === 'token' && e.index === 3) {
        stoppedAt = events.length;
        run.stop();
        run.stop(); // idempotent
      }
    }
    assert.deepEqual(events.slice(stoppedAt).map((e) => e.type), ['done']);
    const done = last(events);
    assert.ok(done.type === 'done' && done.reason === 'stopped' && done.tokens === 4, `ended with ${JSON.stringify(done)}`);
  });

  it("done gives the decode rate, the prompt excluded: the tokens after the first over the time since the first", async () => {
    const model = smallModel({ dim: 32, hidden_dim: 96, context_length: 512, vocab_size: 64 });
    let clock = 0;
    const events = await collect(new ReferenceBackend({ load: async () => model, now: () => (clock += 5) }).start(ref, { prompt: 'a longer prompt', maxTokens: 6, temperature: 0, topK: 0, seed: 1 }));
    const tokens = events.filter((e) => e.type === 'token');
    const done = last(events);
    assert.ok(done.type === 'done' && tokens.length >= 2);
    assert.equal(done.tokensPerSecond, ((tokens.length - 1) * 1000) / (tokens.at(-1)!.elapsedMs - tokens[0].elapsedMs));
  });

  it('yields to the event loop while it works', async () => {
    const model = smallModel({ dim: 32, hidden_dim: 96, context_length: 512, vocab_size: 64 });
    const backend = new ReferenceBackend({ load: async () => model, sliceMs: 1 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      await collect(backend.start(ref, { prompt: 'x', maxTokens: 400, temperature: 1, topK: 0, seed: 2 }));
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks > 0, 'timers ran during generation');
  });

  it('reports estimated memory figures when given them', async () => {
    const model = smallModel();
    const figures = { free: 50_000, alloc: 90_000, peak: 95_000, heapLimit: 140 * 1024 };
    const backend = new ReferenceBackend({ load: async () => model, memoryFigures: () => figures });
    const events = await collect(backend.start(ref, { prompt: 'a', maxTokens: 3, temperature: 0, topK: 0, seed: 1 }));
    const memory = events.filter((e) => e.type === 'memory');
    assert.ok(memory.length >= 1);
    for (const m of memory) assert.ok(m.type === 'memory' && m.estimated && m.free === 50_000);
  });

  it('turns bad parameters, load failures and an empty prompt into an error event, never a throw', async () => {
    const model = smallModel({ bos_id: null, special_ids: [0, 2, 3] });
    const backend = new ReferenceBackend({ load: async () => model });
    const bad = await collect(backend.start(ref, { prompt: 'a', maxTokens: 0, temperature: 0, topK: 0, seed: 1 }));
    assert.deepEqual(bad.map((e) => e.type), ['error']);
    assert.ok(bad[0].type === 'error' && bad[0].code === 'bad_params' && /max tokens/.test(bad[0].message));
    const empty = await collect(backend.start(ref, { prompt: '', maxTokens: 4, temperature: 0, topK: 0, seed: 1 }));
    assert.ok(empty[0].type === 'error' && empty[0].code === 'empty_prompt');
    const broken = new ReferenceBackend({ load: async () => Promise.reject(new Error('no such file')) });
    const failed = await collect(broken.start(ref, { prompt: 'a', maxTokens: 4, temperature: 0, topK: 0, seed: 1 }));
    assert.ok(failed[0].type === 'error' && failed[0].code === 'load_failed' && /test-model: no such file/.test(failed[0].message));
  });

  it('loads a real file by default (a legacy anchor trio)', async () => {
    const events = await collect(
      new ReferenceBackend().start(
        { name: 'legacy', path: join(Anchors, 'v5', 'story-1k-balanced') },
        { prompt: 'once upon', maxTokens: 5, temperature: 0, topK: 0, seed: 1 },
      ),
    );
    const end = last(events);
    assert.ok(end.type === 'done' && end.reason === 'max_tokens', JSON.stringify(end));
    assert.equal(tokens(events).length, 5);
  });
});

describe('GenerationStepper', () => {
  it('feeds the prompt one step at a time before the first token', () => {
    const model = smallModel();
    const stepper = new GenerationStepper(model, new Transformer(model), 'abc', { maxTokens: 2, temperature: 0, topK: 0, seed: 1 });
    const kinds: string[] = [];
    for (let i = 0; i < 10; i++) kinds.push(stepper.step().kind);
    const n = stepper.promptIds.length;
    assert.deepEqual(kinds.slice(0, n), Array(n).fill('feed'));
    assert.deepEqual(kinds.slice(n, n + 4), ['token', 'feed', 'token', 'done'], 'a token is fed by the step after it');
    assert.equal(kinds[kinds.length - 1], 'done', 'stays done');
  });

  it('refills a full context one forward pass per step', () => {
    const model = smallModel({ context_length: 8, eos_id: null });
    const stepper = new GenerationStepper(model, new Transformer(model), '', { maxTokens: 12, temperature: 0, topK: 0, seed: 1 });
    const kinds: string[] = [];
    for (let i = 0; i < 40; i++) kinds.push(stepper.step().kind);
    // BOS; 7 tokens each fed (window 8); the 8th is fed by a refill of 3 (BOS, the 7th, the 8th)...
    const seq = kinds.join(' ');
    assert.match(seq, /^feed( token feed){7} token feed feed feed( token feed){3} token done/);
    assert.equal(stepper.refills, 1);
    assert.deepEqual(stepper.tokens, 12);
    const want = generate(model, '', { maxTokens: 12, temperature: 0, topK: 0, seed: 1 });
    assert.equal(want.refills, 1);
  });
});
