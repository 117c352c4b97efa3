// The runtime's console on the official firmware, as docs/protocol.md describes it: human mode (a person typing
// prompts and /commands, text streaming, the summary line), Ctrl-C (stops a generation; while idle one line, then
// code.py ends without a traceback and the supervisor offers the REPL), a model that cannot fit refused with the loaded model and the heap
// unchanged, and a deploy into the emulated flash followed by Ctrl-D restarting the runtime with the new default.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { RuntimeCommandError } from '../../src/device/serial/session';
import { type Booted, MODELS_DIR, bootWith, modelOf, randomModelFile, compareWithReference } from './support';

/**
 * What Ctrl-C while idle prints (docs/protocol.md, "Ctrl-C"): one line, then code.py ends without a traceback and
 * the supervisor offers the REPL. Kept in one place.
 */
const IdleCtrlC = {
  contains: ['Picoformer stopped; Ctrl-D restarts it\r\n', 'Code done running.'],
  absent: ['Traceback', 'KeyboardInterrupt'],
  last: 'Press any key to enter the REPL. Use CTRL-D to reload.\r\n',
};
const TypeAPrompt = 'Type a prompt (/help for commands).\r\n';
const Summary = /\n\[(\d+) tokens, [\d.]+ tok\/s decode, (\w+)\]\r\n/;

describe('firmware: human mode, Ctrl-C and deploy', function () {
  let booted: Booted;
  // A model too big for any heap: its float32 KV cache alone (2 x 1 x 1024 x 64 x 4 bytes) is 512 KiB.
  const huge = randomModelFile({ vocab_size: 40, dim: 64, hidden_dim: 64, n_layers: 1, n_heads: 4, context_length: 1024 }, 'I8', 2);
  const next = randomModelFile({ vocab_size: 48, dim: 16, hidden_dim: 40, n_layers: 1, n_heads: 2, context_length: 32 }, 'I8', 8);

  before(async () => {
    booted = await bootWith([{ path: join(MODELS_DIR, 'story-1k.safetensors') }, { fileName: 'huge.safetensors', bytes: huge }], { hello: false });
    await booted.board.waitForText(TypeAPrompt, 30_000, 0);
  });
  after(async () => booted?.close());

  it('a person types a prompt and commands: echo, streamed text, the summary line, /mem', async () => {
    const { board } = booted;
    const settings = await step('/tokens 5\r', /max_tokens 5, [^\r]*\r\n/);
    assert.match(settings, /^\/tokens 5\r?\n?/, 'typed characters are echoed');
    const generated = await step('once\r', Summary);
    const summary = Summary.exec(generated);
    assert.deepEqual(summary?.slice(1), ['5', 'max_tokens']);
    assert.match(await step('/mem\r', /Heap: [\d.]+ KB free, [\d.]+ KB used, peak [\d.]+ KB\.\r\n/), /Heap:/);
    assert.ok(!board.raw.slice(board.raw.indexOf('/tokens')).includes('@pf '), 'no event lines in human mode after ready');
  });

  it('Ctrl-C stops a generation and the runtime carries on', async () => {
    await step('/tokens 500\r', /max_tokens 500/);
    const from = booted.board.raw.length;
    await booted.board.type('once\r');
    await booted.board.waitForText(/once\r?\n?.{3}/s, 10_000, from); // a few characters generated
    await booted.board.type('\x03');
    const stopped = await booted.board.waitForText(Summary, 10_000, from);
    assert.equal(Summary.exec(stopped)?.[2], 'stopped');
    assert.match(await step('/info\r', /Model [^\r]*\r\n/), /story-1k\.safetensors \(resident/);
  });

  it('a model that cannot fit is refused (too_big): the loaded model stays, the heap is unchanged', async () => {
    const { board } = booted;
    await board.hello();
    const refused = () =>
      assert.rejects(board.session.load('huge'), (error: unknown) => {
        assert.ok(error instanceof RuntimeCommandError, String(error));
        assert.equal(error.code, 'too_big');
        assert.match(error.message, /story-1k\.safetensors stays loaded/);
        return true;
      });
    // The first refusal may keep a few bytes for good (names the header checks intern: qstrs are never freed);
    // after it, refusals must not add up: the live heap after each of three more stays where the first left it
    // (within 64 bytes: CircuitPython's collector is conservative, so a stale word can keep one block alive).
    const first = await board.mem();
    await refused();
    const allocs: number[] = [];
    for (let i = 0; i < 3; i++) {
      await refused();
      allocs.push((await board.mem()).alloc);
    }
    console.log(`      live heap ${first.alloc} before the first refusal, then ${allocs.join(', ')}`);
    assert.equal((await board.session.info()).model?.file, 'story-1k.safetensors');
    const before = first;
    const after = await board.mem();
    assert.ok(Math.max(...allocs) - Math.min(...allocs) <= 64, `live heap after refusals: ${allocs.join(', ')}`);
    assert.equal(after.model_bytes, before.model_bytes);
  });

  it('Ctrl-C while idle ends code.py as documented; Ctrl-D restarts the runtime', async () => {
    const { board } = booted;
    await board.session.send({ cmd: 'bye' });
    const text = await step('\x03', IdleCtrlC.last);
    for (const part of IdleCtrlC.contains) assert.ok(text.includes(part), `${JSON.stringify(part)} in ${JSON.stringify(text)}`);
    for (const part of IdleCtrlC.absent) assert.ok(!text.includes(part), `no ${JSON.stringify(part)} in ${JSON.stringify(text)}`);
    const from = board.raw.length;
    const ready = board.nextReady();
    await board.type('\x04');
    assert.equal((await ready).host, false, 'the runtime starts in human mode');
    // The session was in host mode before, so it says hello again at once (Session.runtimeRestarted): the default
    // model's load then reports as events.
    await board.waitForText(/Type a prompt|"ev":"loaded"/, 30_000, from);
  });

  it('a deploy into the emulated flash, then Ctrl-D: the runtime restarts with the new default model', async () => {
    const { board } = booted;
    await board.hello();
    const ready = await board.deploy({ models: [{ bytes: next, fileName: 'next.safetensors' }] });
    assert.equal(ready.runtime, 'picoformer');
    await board.session.list(); // the start-up load is over
    const info = await board.session.info();
    assert.equal(info.model?.file, 'next.safetensors');
    const { difference } = await compareWithReference(board, modelOf(next), { prompt: '', tokens: 4, temperature: 0, seed: 1 }, 1e-3, 1);
    assert.equal(difference, undefined);
  });

  /** Types `input` and returns what the board answers, through `until`. */
  async function step(input: string, until: string | RegExp, timeoutMs = 20_000): Promise<string> {
    const from = booted.board.raw.length;
    await booted.board.type(input);
    return booted.board.waitForText(until, timeoutMs, from);
  }
});
