import assert from 'node:assert/strict';
import { SerialTransport } from '../../../src/device/serial/serialTransport';
import { Session, SessionError } from '../../../src/device/serial/session';
import { CommandError } from '../../../src/device/protocol/commands';
import { FAKE_MEM_FREE, FAKE_MODEL, FakeBoard } from './support/fakeBoard';
import { MockPortHarness } from './support/mockPort';
import { consoleContract } from './support/consoleContract';
import { type ContractBoard, sessionContract, waitUntil } from './support/sessionContract';

const PATH = '/dev/ttyACM0';

async function transcriptBoard(): Promise<ContractBoard & { fake: FakeBoard; harness: MockPortHarness }> {
  const harness = new MockPortHarness();
  harness.createPort(PATH, { vendorId: '239A', productId: '80F4' });
  const fake = new FakeBoard(harness);
  const transport = new SerialTransport({ path: PATH, binding: harness.binding, backoff: { initialMs: 10, maxMs: 50 } });
  return {
    transport,
    fake,
    harness,
    modelFile: FAKE_MODEL,
    waitForRuntime: async () => undefined,
    unplug: async () => {
      harness.unplug();
      fake.boot(); // a board that comes back has rebooted (its output is lost while the port is closed)
    },
    replug: async () => harness.replug(),
    dispose: async () => transport.close(),
  };
}

describe('serial/Session over the transcript board (mock binding)', () => {
  describe('contract', () => {
    sessionContract(transcriptBoard, { timeoutMs: 10_000 });
  });

  describe('serial console hand-over', () => {
    consoleContract(transcriptBoard, { timeoutMs: 10_000 });
  });

  describe('details', () => {
    let board: Awaited<ReturnType<typeof transcriptBoard>>;
    let session: Session;

    beforeEach(async () => {
      board = await transcriptBoard();
      session = new Session(board.transport, { commandTimeoutMs: 300 });
      await session.open();
    });

    afterEach(async () => {
      await session.close();
    });

    it('sends commands as @pf JSON lines with increasing req', async () => {
      await session.hello();
      await session.list();
      assert.deepEqual(
        board.fake.commands.map((c) => [c.cmd, c.req]),
        [
          ['hello', 1],
          ['list', 2],
        ],
      );
      assert.match(board.harness.recording, /^@pf \{"cmd":"hello","req":1\}\r\n@pf \{"cmd":"list","req":2\}\r\n$/);
    });

    it('reports load progress and the loaded model', async () => {
      await session.hello();
      const progress: string[] = [];
      const loaded = await session.load('story-1k', undefined, (e) => progress.push(`${e.ev}${e.ev === 'load' ? `:${e.done}` : ''}`));
      assert.equal(loaded.file, FAKE_MODEL);
      assert.deepEqual(progress, ['unloaded', 'load:0', 'load:4000']);
    });

    it('times out a command the board never answers, with a clear message', async () => {
      board.fake.mode = 'repl'; // the runtime is not running: lines go to the REPL
      await assert.rejects(session.info(), (err: unknown) => err instanceof SessionError && err.code === 'timeout' && /Is the Picoformer runtime running/.test(err.message));
    });

    it('refuses bad arguments before sending anything', async () => {
      await assert.rejects(session.generate({ max_tokens: -5 }), CommandError);
      assert.equal(board.harness.recording, '');
    });

    it('refuses a second generation while one runs', async () => {
      await session.hello();
      const first = await session.generate({ max_tokens: 1000 });
      await assert.rejects(session.generate({ max_tokens: 3 }), (err: unknown) => err instanceof SessionError && err.code === 'busy');
      await first.stop();
      assert.equal((await first.result).reason, 'stopped');
    });

    it('close(reason) fails a request in flight and a running generation with that reason (the Studio shows it)', async () => {
      await session.hello();
      const run = await session.generate({ max_tokens: 1000 });
      board.fake.mode = 'repl'; // nothing answers
      const pending = session.info();
      await session.close('The virtual Pico was stopped.');
      await assert.rejects(pending, (err: unknown) => err instanceof SessionError && err.code === 'closed' && err.message === 'The virtual Pico was stopped.');
      const result = await run.result;
      assert.equal(result.error?.code, 'closed');
      assert.equal(result.error?.message, 'The virtual Pico was stopped.');
    });

    it('fails requests in flight when the board goes away', async () => {
      await session.hello();
      board.fake.mode = 'repl'; // nothing answers
      const pending = session.info();
      board.harness.unplug();
      await assert.rejects(pending, (err: unknown) => err instanceof SessionError && err.code === 'disconnected');
    });

    it('a runtime restart (auto-reload) ends a generation and says hello again', async () => {
      await session.hello();
      const generation = await session.generate({ max_tokens: 1000 });
      board.fake.boot();
      const result = await generation.result;
      assert.equal(result.state, 'error');
      assert.equal(result.error?.code, 'restarted');
      await waitUntil(() => board.fake.commands.filter((c) => c.cmd === 'hello').length === 2, 2000, 're-hello');
    });

    it('is not in host mode between a restart and the hello that follows it, nor after Ctrl-C ended the runtime', async () => {
      await session.hello();
      assert.equal(session.hostModeActive, true);
      const atRestart: boolean[] = [];
      session.onEvent((e) => e.ev === 'ready' && e.req === undefined && atRestart.push(session.hostModeActive));
      board.fake.boot();
      await waitUntil(() => atRestart.length === 1, 2000, 'the restart');
      assert.deepEqual(atRestart, [false]);
      await waitUntil(() => session.hostModeActive, 2000, 'the re-hello');
      await session.interrupt(); // idle: code.py ends
      await waitUntil(() => !session.hostModeActive, 2000, 'host mode to end with the runtime');
    });

    it('reaches the raw REPL from a running runtime by the documented key presses', async () => {
      await session.hello();
      const free = await session.memFree();
      assert.equal(free, FAKE_MEM_FREE);
      const sent = board.harness.recording;
      // Ctrl-C (twice), a key at "Press any key", Ctrl-A, the code, Ctrl-D, Ctrl-B, Ctrl-D.
      assert.ok(sent.endsWith('\r\x03\x03\r\r\x01import gc\ngc.collect()\nprint(gc.mem_free())\x04\x02\x04'), JSON.stringify(sent));
    });

    it('soft reload reaches the REPL and presses Ctrl-D; the runtime comes back', async () => {
      await session.hello();
      await session.softReload();
      assert.ok(board.harness.recording.endsWith('\r\x03\x03\r\x04'), JSON.stringify(board.harness.recording));
      await waitUntil(() => board.fake.commands.filter((c) => c.cmd === 'hello').length === 2, 2000, 're-hello after the reload');
    });

    it('reports a raw REPL command that does not finish in time', async () => {
      await session.hello();
      await assert.rejects(session.exec('while True: pass', { timeoutMs: 200 }), (err: unknown) => err instanceof SessionError && err.code === 'timeout');
    });

    it('refuses raw REPL code containing 0x04', async () => {
      await assert.rejects(session.exec('print("\x04")'), /0x04/);
    });

    describe('events of another request', () => {
      const line = (fields: Record<string, unknown>) => `@pf ${JSON.stringify(fields)}\r\n`;
      const start = (req: unknown) => line({ ev: 'start', prompt_tokens: 3, truncated: 0, unknown: 0, seed: 1, max_tokens: 8, temperature: 0.8, top_k: 0, req });
      const token = (text: string, index: number, req?: unknown) => line({ ev: 'token', id: text.charCodeAt(0), text, index, ...(req === undefined ? {} : { req }) });
      const done = (reason: string, tokens: number, req: unknown) => line({ ev: 'done', reason, tokens, prompt_tokens: 3, ms: 10, tok_per_s: 100, req });

      it('ignores the tokens, error and done of a stopped generation that arrive during the next one', async () => {
        await session.hello();
        const first = await session.generate({ max_tokens: 1000 });
        await waitUntil(() => first.text.length > 0, 2000, 'a first token');
        await first.stop();
        await first.result;
        board.fake.mode = 'repl'; // from here the board answers nothing by itself: every event is scripted
        const second = await session.generate({ max_tokens: 8 });
        assert.notEqual(second.req, first.req);
        board.fake.send(start(second.req));
        board.fake.send(token('X', 7, first.req) + line({ ev: 'error', code: 'out_of_memory', message: 'late', recoverable: true, req: first.req }) + done('error', 8, first.req));
        board.fake.send(token('O', 0, second.req) + token('n', 1, second.req) + done('max_tokens', 2, second.req));
        const result = await second.result;
        assert.equal(result.state, 'done');
        assert.equal(result.reason, 'max_tokens');
        assert.equal(result.text, 'On');
        assert.deepEqual(result.tokens.map((t) => t.index), [0, 1]);
        assert.equal(result.error, undefined);
      });

      it('accepts tokens without req (an older runtime) after its own start, not before', async () => {
        await session.hello();
        board.fake.mode = 'repl';
        const generation = await session.generate({ max_tokens: 8 });
        board.fake.send(token('X', 5)); // before this generation's start: a leftover of an earlier one
        board.fake.send(start(generation.req) + token('O', 0) + done('max_tokens', 1, generation.req));
        const result = await generation.result;
        assert.equal(result.text, 'O');
        assert.equal(result.reason, 'max_tokens');
      });

      it('generates end to end with an older runtime whose tokens carry no req', async () => {
        await session.hello();
        board.fake.tokensWithoutReq = true;
        const result = await (await session.generate({ max_tokens: 5 })).result;
        assert.equal(result.text, 'Once ');
        assert.equal(result.reason, 'max_tokens');
      });
    });

    it('passes every console item on, runtime events included', async () => {
      const kinds: string[] = [];
      session.onItem((i) => kinds.push(i.kind));
      board.fake.boot();
      await waitUntil(() => kinds.includes('event'), 1000, 'the ready event');
      assert.ok(kinds.includes('board'));
      assert.ok(kinds.includes('text'));
    });
  });
});
