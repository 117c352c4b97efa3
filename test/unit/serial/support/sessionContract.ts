// The session's behaviour against a board, as one suite run twice: against the scripted transcript board
// (test/unit/serial/session.test.ts) and against the virtual Pico running the real board runtime
// (test/sim/session.test.ts). Whatever passes here holds for both.

import assert from 'node:assert/strict';
import type { Transport } from '../../../../src/device/transport';
import { Session, RuntimeCommandError, SessionError } from '../../../../src/device/serial/session';
import type { GenerationUpdate } from '../../../../src/device/serial/generation';
import type { ReadyEvent } from '../../../../src/device/protocol/events';

/** Records ready events from now on; `answered()` is true once a hello was answered (host mode again). */
function watchReady(session: Session): { answered: () => boolean } {
  const seen: ReadyEvent[] = [];
  session.onEvent((e) => {
    if (e.ev === 'ready') seen.push(e);
  });
  return { answered: () => seen.some((r) => r.host && r.req !== undefined) };
}

export interface ContractBoard {
  transport: Transport;
  /** A model file the board has in /models. */
  modelFile: string;
  /** Waits until the runtime has started after the transport opened (a real boot takes a while). */
  waitForRuntime(session: Session): Promise<void>;
  /** The USB cable is pulled (or the virtual Pico stopped). */
  unplug(): Promise<void>;
  replug(): Promise<void>;
  dispose(): Promise<void>;
}

export interface ContractOptions {
  /** Per-test timeout. */
  timeoutMs: number;
}

export async function waitUntil(check: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function sessionContract(makeBoard: () => Promise<ContractBoard>, options: ContractOptions): void {
  let board: ContractBoard;
  let session: Session;

  beforeEach(async function () {
    this.timeout(options.timeoutMs);
    board = await makeBoard();
    session = new Session(board.transport, { commandTimeoutMs: 5000 });
    await session.open();
    await board.waitForRuntime(session);
  });

  afterEach(async function () {
    this.timeout(options.timeoutMs);
    await session.close().catch(() => undefined);
    await board.dispose();
  });

  it('hello switches the runtime to host mode and says what it is', async function () {
    this.timeout(options.timeoutMs);
    const ready = await session.hello();
    assert.equal(ready.runtime, 'picoformer');
    assert.equal(ready.protocol, 1);
    assert.equal(ready.host, true);
    assert.equal(session.runtime?.host, true);
  });

  it('lists the models on the board', async function () {
    this.timeout(options.timeoutMs);
    await session.hello();
    const models = await session.list();
    assert.ok(models.models.some((m) => m.file === board.modelFile), JSON.stringify(models.models));
  });

  it('streams a generation: start, tokens, done', async function () {
    this.timeout(options.timeoutMs);
    await session.hello();
    await session.load(board.modelFile);
    const generation = await session.generate({ prompt: 'a', max_tokens: 8, seed: 1, temperature: 0.8 });
    const updates: GenerationUpdate[] = [];
    for await (const update of generation) updates.push(update);
    assert.equal(updates[0].type, 'start');
    assert.equal(updates.filter((u) => u.type === 'token').length, 8);
    const end = updates[updates.length - 1];
    assert.ok(end.type === 'end');
    assert.equal(end.result.state, 'done');
    assert.equal(end.result.reason, 'max_tokens');
    assert.equal(end.result.tokens.length, 8);
    assert.equal(end.result.text, end.result.tokens.map((t) => t.text).join(''));
  });

  it('stop ends a running generation with done "stopped"', async function () {
    this.timeout(options.timeoutMs);
    await session.hello();
    await session.load(board.modelFile);
    const generation = await session.generate({ prompt: 'a', max_tokens: 2000 });
    await new Promise<void>((resolve) => generation.onUpdate((u) => u.type === 'token' && resolve()));
    await generation.stop();
    const result = await generation.result;
    assert.equal(result.state, 'done');
    assert.equal(result.reason, 'stopped');
  });

  it('Ctrl-C during a generation stops it; the runtime carries on', async function () {
    this.timeout(options.timeoutMs);
    await session.hello();
    await session.load(board.modelFile);
    const generation = await session.generate({ prompt: 'a', max_tokens: 2000 });
    await new Promise<void>((resolve) => generation.onUpdate((u) => u.type === 'token' && resolve()));
    await session.interrupt();
    assert.equal((await generation.result).reason, 'stopped');
    const memory = await session.mem();
    assert.ok(memory.free > 0);
  });

  it('release() hands the board back (stops the generation, fails what waits, says bye); hello takes it again', async function () {
    this.timeout(options.timeoutMs);
    await session.hello();
    assert.equal(session.hostModeActive, true);
    await session.load(board.modelFile);
    const sent: string[] = [];
    session.onCommand((line) => sent.push(line));
    const generation = await session.generate({ prompt: 'a', max_tokens: 2000 });
    await new Promise<void>((resolve) => generation.onUpdate((u) => u.type === 'token' && resolve()));
    await session.release();
    assert.equal((await generation.result).reason, 'stopped');
    assert.equal(session.hostModeActive, false);
    assert.deepEqual(sent.map((l) => (JSON.parse(l.slice(4)) as { cmd: string }).cmd), ['generate', 'stop', 'bye']);
    const text: string[] = [];
    session.onItem((item) => item.kind === 'text' && text.push(item.text));
    await waitUntil(() => text.some((t) => /Human mode/.test(t)), 5000, 'the runtime to say it is in human mode');
    await session.release(); // not in host mode: nothing to do
    assert.equal(sent.length, 3);
    const ready = await session.hello();
    assert.equal(ready.host, true);
    assert.equal(session.hostModeActive, true);
    assert.equal((await session.info()).runtime, 'picoformer');
  });

  it('a command the runtime refuses rejects with its error code', async function () {
    this.timeout(options.timeoutMs);
    await session.hello();
    await assert.rejects(session.load('no-such-model'), (err: unknown) => err instanceof RuntimeCommandError && err.code === 'not_found');
  });

  it('runs raw REPL snippets, then restarts the runtime and says hello again', async function () {
    this.timeout(options.timeoutMs);
    await session.hello();
    const ready = watchReady(session);
    const result = await session.exec('print(1+1)');
    assert.deepEqual(result, { stdout: '2\n', stderr: '' });
    const free = await session.memFree();
    assert.ok(Number.isInteger(free) && free > 10_000, `mem_free ${free}`);
    const files = await session.listModels();
    assert.ok(files.some((f) => f.file === board.modelFile && f.size > 0), JSON.stringify(files));
    const error = await session.exec('nope');
    assert.match(error.stderr, /NameError/);
    // The runtime is back (code.py restarted) and in host mode again without being asked.
    await waitUntil(ready.answered, options.timeoutMs / 2, 'the runtime to come back');
    const info = await session.info();
    assert.equal(info.runtime, 'picoformer');
  });

  it('an unplug mid-generation ends the stream as disconnected; it recovers when the board returns', async function () {
    this.timeout(options.timeoutMs);
    await session.hello();
    await session.load(board.modelFile);
    const generation = await session.generate({ prompt: 'a', max_tokens: 2000 });
    await new Promise<void>((resolve) => generation.onUpdate((u) => u.type === 'token' && resolve()));
    await board.unplug();
    const result = await generation.result;
    assert.equal(result.state, 'disconnected');
    assert.ok(result.tokens.length >= 1);
    assert.ok(result.error?.message);
    await waitUntil(() => session.state === 'disconnected', 2000, 'the session to notice');
    await assert.rejects(session.generate({ prompt: 'b' }), (err: unknown) => err instanceof SessionError && err.code === 'disconnected');
    const ready = watchReady(session);
    await board.replug();
    await waitUntil(() => session.state === 'connected', options.timeoutMs / 2, 'the board to come back');
    await waitUntil(ready.answered, options.timeoutMs / 2, 'hello after reconnect');
    await session.load(board.modelFile);
    const again = await session.generate({ prompt: 'a', max_tokens: 3 });
    assert.equal((await again.result).state, 'done');
  });
}
