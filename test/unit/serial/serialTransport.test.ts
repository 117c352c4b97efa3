import assert from 'node:assert/strict';
import type { CloseInfo, OpenInfo } from '../../../src/device/transport';
import { SerialOpenError, classifySerialError } from '../../../src/device/serial/serialErrors';
import { SerialTransport } from '../../../src/device/serial/serialTransport';
import { MockPortHarness } from './support/mockPort';

const PATH = '/dev/ttyACM0';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(check: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(5);
  }
}

describe('serial/SerialTransport (mock binding)', () => {
  let harness: MockPortHarness;
  let transport: SerialTransport | undefined;

  beforeEach(() => {
    harness = new MockPortHarness();
    harness.createPort(PATH, { vendorId: '239A', productId: '80F4' });
  });

  afterEach(async () => {
    await transport?.close();
    transport = undefined;
  });

  it('opens at 115200 8N1 and asserts DTR', async () => {
    transport = new SerialTransport({ path: PATH, binding: harness.binding });
    await transport.open();
    assert.equal(transport.state, 'open');
    const options = harness.port!.openOptions;
    assert.equal(options.baudRate, 115200);
    assert.equal(options.dataBits, 8);
    assert.equal(options.parity, 'none');
    assert.equal(options.stopBits, 1);
    assert.equal(harness.signals[0].dtr, true);
  });

  it('refuses 1200 baud, which would reboot the board into its bootloader', () => {
    assert.throws(
      () => new SerialTransport({ path: PATH, baudRate: 1200, binding: harness.binding }),
      (err: unknown) => err instanceof SerialOpenError && err.kind === 'bad-baud' && /bootloader/.test(err.message),
    );
  });

  it('passes board output to onData and writes bytes and strings', async () => {
    transport = new SerialTransport({ path: PATH, binding: harness.binding });
    const received: string[] = [];
    transport.onData((b) => received.push(Buffer.from(b).toString()));
    await transport.open();
    harness.emit('hello\r\n');
    await waitFor(() => received.join('') === 'hello\r\n');
    await transport.write('\x03');
    await transport.write(new Uint8Array([0x01]));
    assert.equal(harness.recording, '\x03\x01');
  });

  it('drains bytes left in the port from an earlier session', async () => {
    harness.createPort('/dev/ttyACM3', { readyData: 'stale output from the last session\r\n' });
    transport = new SerialTransport({ path: '/dev/ttyACM3', binding: harness.binding });
    const received: string[] = [];
    transport.onData((b) => received.push(Buffer.from(b).toString()));
    await transport.open();
    harness.emit('fresh\r\n');
    await waitFor(() => received.join('').includes('fresh'));
    assert.equal(received.join(''), 'fresh\r\n');
  });

  it('refuses to write when not open', async () => {
    transport = new SerialTransport({ path: PATH, binding: harness.binding });
    await assert.rejects(transport.write('x'), /the port is closed/);
  });

  it('reports a port held by another program as busy', async () => {
    const first = new SerialTransport({ path: PATH, binding: harness.binding, reconnect: false });
    await first.open();
    transport = new SerialTransport({ path: PATH, binding: harness.binding });
    await assert.rejects(transport.open(), (err: unknown) => err instanceof SerialOpenError && err.kind === 'busy' && /in use by another program/.test(err.message));
    assert.equal(transport.state, 'closed');
    await first.close();
  });

  it('reports a permission error with the dialout hint on Linux', async () => {
    harness.failOpenWith(Object.assign(new Error('Error: Permission denied, cannot open /dev/ttyACM0'), { code: 'EACCES' }));
    transport = new SerialTransport({ path: PATH, binding: harness.binding });
    await assert.rejects(transport.open(), (err: unknown) => err instanceof SerialOpenError && err.kind === 'permission');
    const linux = classifySerialError(new Error('Error: Permission denied, cannot open /dev/ttyACM0'), PATH, 'linux');
    assert.match(linux.message, /dialout group/);
  });

  it('reports a missing port as not found', async () => {
    transport = new SerialTransport({ path: '/dev/ttyACM7', binding: harness.binding });
    await assert.rejects(transport.open(), (err: unknown) => err instanceof SerialOpenError && err.kind !== 'busy');
    const e = classifySerialError(new Error('Error: No such file or directory, cannot open /dev/ttyACM7'), '/dev/ttyACM7', 'linux');
    assert.equal(e.kind, 'not-found');
    assert.match(e.message, /data \(not charge-only\) USB cable/);
  });

  it('classifies the OS messages of each platform', () => {
    assert.equal(classifySerialError(new Error('Error Resource temporarily unavailable Cannot lock port'), PATH, 'linux').kind, 'busy');
    assert.equal(classifySerialError(Object.assign(new Error('x'), { code: 'EBUSY' }), PATH, 'linux').kind, 'busy');
    assert.equal(classifySerialError(new Error('Opening COM5: Access denied'), 'COM5', 'win32').kind, 'busy');
    assert.equal(classifySerialError(new Error('Opening COM5: Access denied'), 'COM5', 'linux').kind, 'permission');
    assert.equal(classifySerialError(new Error('Opening COM9: File not found'), 'COM9', 'win32').kind, 'not-found');
    assert.equal(classifySerialError(new Error('Error: Resource busy, cannot open /dev/cu.usbmodem1'), PATH, 'darwin').kind, 'busy');
    assert.equal(classifySerialError('weird', PATH, 'linux').kind, 'other');
  });

  it('treats a failing DTR ioctl (a pty) as harmless', async () => {
    transport = new SerialTransport({ path: PATH, binding: harness.binding });
    const logs: string[] = [];
    await transport.open();
    const port = harness.port!;
    port.set = async () => {
      throw new Error('Inappropriate ioctl for device, cannot set');
    };
    (transport as unknown as { log: (m: string) => void }).log = (m) => logs.push(m);
    await transport.setSignals({ dtr: true });
    assert.match(logs.join('\n'), /cannot set modem lines/);
  });

  it('after an unplug, reports it and reopens when the port comes back', async () => {
    transport = new SerialTransport({ path: PATH, binding: harness.binding, backoff: { initialMs: 10, maxMs: 40 } });
    const closes: CloseInfo[] = [];
    const opens: OpenInfo[] = [];
    transport.onClose((c) => closes.push(c));
    transport.onOpen((o) => opens.push(o));
    await transport.open();
    harness.unplug();
    await waitFor(() => closes.length === 1);
    assert.equal(closes[0].reason, 'disconnected');
    assert.equal(closes[0].willReconnect, true);
    assert.equal(transport.state, 'reconnecting');
    await sleep(80); // a few failed attempts while unplugged
    assert.equal(transport.state, 'reconnecting');
    harness.replug();
    await waitFor(() => opens.length === 2);
    assert.deepEqual(opens[1], { reconnected: true });
    assert.equal(transport.state, 'open');
    const received: string[] = [];
    transport.onData((b) => received.push(Buffer.from(b).toString()));
    harness.emit('back\r\n');
    await waitFor(() => received.join('') === 'back\r\n');
  });

  it('follows the board to another path by its serial number', async () => {
    harness = new MockPortHarness();
    harness.createPort(PATH, { serialNumber: 'E6614103E7' });
    transport = new SerialTransport({ path: PATH, binding: harness.binding, backoff: { initialMs: 10, maxMs: 20 } });
    const opens: OpenInfo[] = [];
    transport.onOpen((o) => opens.push(o));
    await transport.open();
    harness.unplug();
    await waitFor(() => transport!.state === 'reconnecting');
    harness.removePort(PATH);
    harness.createPort('/dev/ttyACM1', { serialNumber: 'E6614103E7' });
    harness.replug();
    await waitFor(() => opens.length === 2);
    assert.equal(transport.path, '/dev/ttyACM1');
  });

  it('stops trying when closed while reconnecting', async () => {
    transport = new SerialTransport({ path: PATH, binding: harness.binding, backoff: { initialMs: 10, maxMs: 20 } });
    await transport.open();
    harness.unplug();
    await waitFor(() => transport!.state === 'reconnecting');
    await transport.close();
    harness.replug();
    const before = harness.opened.length;
    await sleep(60);
    assert.equal(harness.opened.length, before);
    assert.equal(transport.state, 'closed');
  });

  it('gives up after the configured time', async () => {
    transport = new SerialTransport({ path: PATH, binding: harness.binding, backoff: { initialMs: 10, maxMs: 10, giveUpAfterMs: 30 } });
    const closes: CloseInfo[] = [];
    transport.onClose((c) => closes.push(c));
    await transport.open();
    harness.unplug();
    await waitFor(() => closes.length === 2);
    assert.equal(closes[1].willReconnect, false);
    assert.match(closes[1].message, /Gave up/);
    assert.equal(transport.state, 'closed');
  });
});
