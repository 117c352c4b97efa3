// awaitRuntime: says hello until the Picoformer runtime answers, soft-reloading a board found at the REPL (the
// extension's and the CLI's one way to reach the runtime). Against the scripted Pico over the real SerialTransport.
import assert from 'node:assert/strict';
import { awaitRuntime } from '../../../src/device/serial/awaitRuntime';
import { Session } from '../../../src/device/serial/session';
import { SerialTransport } from '../../../src/device/serial/serialTransport';
import { FakeBoard } from './support/fakeBoard';
import { MockPortHarness } from './support/mockPort';

const PORT = '/dev/ttyACM0';

describe('awaitRuntime', () => {
  let harness: MockPortHarness;
  let fake: FakeBoard;
  let session: Session;

  beforeEach(async () => {
    harness = new MockPortHarness();
    harness.createPort(PORT, { vendorId: '239A', productId: '80F4' });
    fake = new FakeBoard(harness);
    session = new Session(new SerialTransport({ path: PORT, binding: harness.binding, reconnect: false }));
  });
  afterEach(async () => {
    await session.close().catch(() => undefined);
  });

  it('answers at once when the runtime is running', async () => {
    const ready = await awaitRuntime(session, { attempts: 2, timeoutMs: 300 });
    assert.equal(ready.runtime, 'picoformer');
    assert.ok(!harness.recording.includes('\x04'), 'no reload was needed');
  });

  it('soft-reloads a board whose code.py has ended (it sat at "Press any key"), then the runtime answers', async () => {
    fake.mode = 'press-any-key';
    const ready = await awaitRuntime(session, { attempts: 4, timeoutMs: 300 });
    assert.equal(ready.runtime, 'picoformer');
    assert.ok(harness.recording.includes('\x04'), 'Ctrl-D was sent');
  });

  it('soft-reloads a board left in a REPL continuation by earlier hellos ("... " prompts, no ">>> ")', async function () {
    this.timeout(5000);
    fake.mode = 'repl';
    // An earlier connection's hellos typed "@pf ..." at the REPL: a decorator, so the REPL waits for more ("... ").
    fake.codePy = 'absent';
    await session.open();
    await session.transport.write('@pf {"cmd":"hello"}\n@pf {"cmd":"hello"}\n');
    await new Promise((r) => setTimeout(r, 20));
    fake.codePy = 'runtime'; // now deployed
    // Each hello waits 30 s: only seeing the REPL in the echo, not a timeout, can end the wait in time.
    const ready = await awaitRuntime(session, { attempts: 3, timeoutMs: 30_000 });
    assert.equal(ready.runtime, 'picoformer');
    assert.ok(harness.recording.includes('\x04'), 'Ctrl-D was sent');
  });

  it('knows the REPL by its echo of the hello when the prompt went by before the session opened', async function () {
    this.timeout(5000);
    fake.mode = 'repl';
    // One hello of 30 s: only the echoed "@pf" line (the runtime never echoes one) can tell the REPL in time.
    const ready = await awaitRuntime(session, { attempts: 2, timeoutMs: 30_000 });
    assert.equal(ready.runtime, 'picoformer');
  });

  it('does not wait out a hello the REPL swallowed ("Press any key" then the banner)', async function () {
    this.timeout(5000);
    fake.mode = 'press-any-key';
    const ready = await awaitRuntime(session, { attempts: 2, timeoutMs: 30_000 });
    assert.equal(ready.runtime, 'picoformer');
  });

  const noRuntimeCases = [
    { codePy: 'absent', case: 'board has no code.py', says: /no code\.py/ },
    { codePy: 'raises', case: "board's code.py raises before the runtime starts (with its error)", says: /ImportError: no module named 'picoformer'/ },
  ] as const;
  for (const { codePy, case: what, says } of noRuntimeCases) {
    it(`fails at once, saying why, when the reloaded ${what}`, async function () {
      this.timeout(5000);
      fake.mode = 'press-any-key';
      fake.codePy = codePy;
      await assert.rejects(awaitRuntime(session, { attempts: 8, timeoutMs: 30_000 }), (e: Error & { code?: string }) => {
        assert.equal(e.code, 'no_runtime');
        assert.match(e.message, says);
        return true;
      });
    });
  }

  it('gives up after its attempts with the last reason', async () => {
    harness = new MockPortHarness();
    harness.createPort(PORT);
    session = new Session(new SerialTransport({ path: PORT, binding: harness.binding, reconnect: false }));
    await assert.rejects(awaitRuntime(session, { attempts: 2, timeoutMs: 200 }), (e: Error) => /hello/i.test(e.message) || /answer/i.test(e.message));
  });

  it('stops early when cancelled', async () => {
    harness = new MockPortHarness();
    harness.createPort(PORT);
    session = new Session(new SerialTransport({ path: PORT, binding: harness.binding, reconnect: false }));
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    await assert.rejects(awaitRuntime(session, { attempts: 20, timeoutMs: 200, signal: abort.signal }), { name: 'AbortError' });
  });

  it('a cancel ends the wait for an unanswered hello at once', async function () {
    this.timeout(3000);
    harness = new MockPortHarness();
    harness.createPort(PORT);
    session = new Session(new SerialTransport({ path: PORT, binding: harness.binding, reconnect: false }));
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    await assert.rejects(awaitRuntime(session, { attempts: 1, timeoutMs: 60_000, signal: abort.signal }), { name: 'AbortError' });
  });
});
