import assert from 'node:assert/strict';
import { Emitter } from '../../../src/device/serial/emitter';
import { Generation } from '../../../src/device/serial/generation';
import { SessionError, type Session } from '../../../src/device/serial/session';
import type { ModelEntry as BoardListEntry, RuntimeEvent } from '../../../src/device/protocol/events';
import type { GenerationEvent } from '../../../src/generation/backend';
import { BoardBackend, type BoardConnection } from '../../../src/services/boardBackend';

/** A session stand-in: scripted list/load answers, and a generation the test drives. */
class FakeSession {
  readonly events = new Emitter<RuntimeEvent>();
  readonly onEvent = this.events.event;
  models: BoardListEntry[] = [{ file: 'a.safetensors', size: 10, loaded: false }];
  loads: { name: string; mode?: string }[] = [];
  listFailures: unknown[] = [];
  generation: Generation | undefined;
  stops = 0;
  script: (g: Generation, fire: (e: RuntimeEvent) => void) => void = () => undefined;

  async list() {
    const failure = this.listFailures.shift();
    if (failure) throw failure;
    return { ev: 'models', dir: '/models', mem_available: 1000, models: this.models };
  }
  async load(name: string, mode?: string) {
    this.loads.push({ name, ...(mode ? { mode } : {}) });
    return { ev: 'loaded' };
  }
  generated: Record<string, unknown>[] = [];
  async generate(args: Record<string, unknown>) {
    this.generated.push(args);
    const g = new Generation(7, async () => void this.stops++);
    this.generation = g;
    queueMicrotask(() => this.script(g, (e) => this.events.fire(e)));
    return g;
  }
}

const start = { ev: 'start', req: 7, prompt_tokens: 2, truncated: 0, unknown: 1, seed: 5, max_tokens: 2, temperature: 1, top_k: 0 } as const;
const token = (index: number, text: string) => ({ ev: 'token', req: 7, id: index + 10, text, index }) as const;
const done = { ev: 'done', req: 7, reason: 'max_tokens', tokens: 2, prompt_tokens: 2, ms: 40, tok_per_s: 50, decode_ms: 25, refills: 1 } as const;
const memory = { ev: 'memory', req: 7, free: 50_000, alloc: 60_000, peak: 70_000, heap_limit: 143_360, model_bytes: 9000 } as const;

function backend(session: FakeSession, overrides: Partial<BoardConnection> = {}): BoardBackend {
  return new BoardBackend({
    target: { kind: 'virtual', label: 'Virtual Pico' },
    session: async () => session as unknown as Session,
    boardFile: async (_m, onBoard) => onBoard[0],
    ...overrides,
  }, { memoryAfterDoneMs: 100, restartWaitMs: 10 });
}

async function collect(run: AsyncIterable<GenerationEvent>): Promise<GenerationEvent[]> {
  const events: GenerationEvent[] = [];
  for await (const e of run) events.push(e);
  return events;
}

const model = { name: 'story-1k', path: '/ws/a.safetensors' };
const params = { prompt: 'hi', maxTokens: 2, temperature: 1, topK: 0, seed: 5 };

describe('board generation backend', () => {
  it('loads the model, streams start and tokens, and passes the heap figures on before done', async () => {
    const session = new FakeSession();
    session.script = (g, fire) => {
      g.handleStart(start);
      g.handleToken(token(0, 'a'));
      g.handleToken(token(1, 'b'));
      g.handleDone(done);
      setTimeout(() => fire(memory), 20);
    };
    const events = await collect(backend(session, { loadMode: () => 'streamed' }).start(model, params));
    assert.deepEqual(session.loads, [{ name: 'a.safetensors', mode: 'streamed' }]);
    assert.deepEqual(session.generated, [{ prompt: 'hi', max_tokens: 2, temperature: 1, top_k: 0, seed: 5, stop_at_context: false }]);
    assert.deepEqual(events.map((e) => e.type), ['start', 'token', 'token', 'memory', 'done']);
    assert.deepEqual(events[0], { type: 'start', promptTokens: 2, truncated: 0, unknown: 1, seed: 5 });
    assert.equal((events[2] as { text: string }).text, 'b');
    assert.deepEqual({ ...events[3], elapsedMs: 0 }, { type: 'memory', free: 50_000, alloc: 60_000, peak: 70_000, heapLimit: 143_360, estimated: false, elapsedMs: 0 });
    assert.deepEqual(events[4], { type: 'done', reason: 'max_tokens', tokens: 2, promptTokens: 2, ms: 40, tokensPerSecond: 40, refills: 1 }, "the board's decode rate, not its rate with the prompt");
  });

  it("measures the decode rate itself, the same way, when an older runtime's done has no decode time", async () => {
    const session = new FakeSession();
    session.script = (g) => {
      g.handleStart(start);
      g.handleToken(token(0, 'a'));
      setTimeout(() => {
        g.handleToken(token(1, 'b'));
        g.handleDone({ ev: 'done', req: 7, reason: 'max_tokens', tokens: 2, prompt_tokens: 2, ms: 400, tok_per_s: 5 });
      }, 100);
    };
    const events = await collect(backend(session).start(model, params));
    const tokens = events.filter((e) => e.type === 'token') as { elapsedMs: number }[];
    const end = events.at(-1) as { type: string; tokensPerSecond: number };
    assert.equal(end.type, 'done');
    assert.equal(end.tokensPerSecond, 1000 / (tokens[1].elapsedMs - tokens[0].elapsedMs));
    assert.ok(end.tokensPerSecond > 5 && end.tokensPerSecond <= 10.5, `one token 100 ms after the first: ${end.tokensPerSecond}`);
  });

  it('does not reload a model that is loaded already, and ends without memory when none comes', async () => {
    const session = new FakeSession();
    session.models = [{ file: 'a.safetensors', size: 10, loaded: true }];
    session.script = (g) => {
      g.handleStart(start);
      g.handleDone(done);
    };
    const events = await collect(backend(session).start(model, params));
    assert.deepEqual(session.loads, []);
    assert.deepEqual(events.map((e) => e.type), ['start', 'done']);
  });

  it('turns a failed generation, an unreachable board and a missing model into error events', async () => {
    const session = new FakeSession();
    session.script = (g) => g.abort('disconnected', 'disconnected', 'The board went away.');
    assert.deepEqual(await collect(backend(session).start(model, params)), [{ type: 'error', code: 'disconnected', message: 'The board went away.' }]);
    const unreachable = backend(session, { session: () => Promise.reject(Object.assign(new Error('port busy'), { code: 'busy' })) });
    assert.deepEqual(await collect(unreachable.start(model, params)), [{ type: 'error', code: 'busy', message: 'port busy' }]);
    const missing = backend(session, { boardFile: () => Promise.reject(Object.assign(new Error('deploy it first'), { code: 'not_deployed' })) });
    assert.deepEqual(await collect(missing.start(model, params)), [{ type: 'error', code: 'not_deployed', message: 'deploy it first' }]);
  });

  it('tries again when the runtime restarted under it (a deploy just before), but not forever', async () => {
    const session = new FakeSession();
    session.listFailures = [new SessionError('restarted', 'restarted')];
    session.script = (g) => {
      g.handleStart(start);
      g.handleDone(done);
    };
    const events = await collect(backend(session).start(model, params));
    assert.deepEqual(events.map((e) => e.type), ['start', 'done']);
    session.listFailures = [1, 2, 3].map(() => new SessionError('restarted', 'restarted again'));
    const failed = await collect(backend(session).start(model, params));
    assert.deepEqual(failed, [{ type: 'error', code: 'restarted', message: 'restarted again' }]);
  });

  it('stop() asks the board to stop the generation', async () => {
    const session = new FakeSession();
    session.script = (g) => g.handleStart(start);
    const run = backend(session).start(model, params);
    const seen: GenerationEvent[] = [];
    for await (const e of run) {
      seen.push(e);
      if (e.type === 'start') {
        run.stop();
        assert.equal(session.stops, 1);
        session.generation?.handleDone({ ...done, reason: 'stopped', tokens: 0 });
      }
    }
    assert.deepEqual(seen.map((e) => e.type), ['start', 'done']);
    assert.equal((seen[1] as { reason: string }).reason, 'stopped');
  });

  it('stop() while connecting ends the run at once, as stopped, and cancels the connection attempt', async function () {
    this.timeout(2000);
    let signal: AbortSignal | undefined;
    // A board that never answers: only the cancel ends the attempt.
    const connecting = backend(new FakeSession(), {
      session: (s?: AbortSignal) => {
        signal = s;
        return new Promise<Session>((_, reject) => s?.addEventListener('abort', () => reject(Object.assign(new Error('Cancelled while connecting.'), { name: 'AbortError' }))));
      },
    });
    const run = connecting.start(model, params);
    setTimeout(() => run.stop(), 50);
    const events = await collect(run);
    assert.equal(signal?.aborted, true, 'the connection attempt was cancelled');
    assert.deepEqual(events.map((e) => e.type), ['done']);
    assert.equal((events[0] as { reason: string }).reason, 'stopped');
  });

  it('checks what it can before connecting: a problem found then ends the run at once, without connecting', async () => {
    let connected = false;
    const checked = backend(new FakeSession(), {
      session: async () => ((connected = true), new FakeSession() as unknown as Session),
      preflight: () => Promise.reject(Object.assign(new Error('story-1k.safetensors is not on the virtual Pico yet.'), { code: 'not_deployed' })),
    });
    assert.deepEqual(await collect(checked.start(model, params)), [{ type: 'error', code: 'not_deployed', message: 'story-1k.safetensors is not on the virtual Pico yet.' }]);
    assert.equal(connected, false);
  });
});
