import assert from 'node:assert/strict';
import { SerialTransport } from '../../../src/device/serial/serialTransport';
import { Session, SessionError } from '../../../src/device/serial/session';
import { CommandError } from '../../../src/device/protocol/commands';
import { FAKE_MEM_FREE, FAKE_MODEL, FakeBoard } from './support/fakeBoard';
import { MockPortHarness } from './support/mockPort';
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
