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
});
