// The session measures its waits in the transport's clock when it has one (the emulated Pico's simulated time):
// a board running at a tenth of real time must not be declared silent by host-time timeouts.
import assert from 'node:assert/strict';
import { Emitter } from '../../../src/device/serial/emitter';
import { Session, SessionError } from '../../../src/device/serial/session';
import type { CloseInfo, OpenInfo, Transport } from '../../../src/device/transport';
import { SimClock } from '../../../src/emu/simClock';

class ClockedTransport implements Transport {
  readonly kind = 'fake';
  readonly id = 'fake:clocked';
  state: Transport['state'] = 'closed';
  readonly written: string[] = [];
  private readonly data = new Emitter<Uint8Array>();
  private readonly opened = new Emitter<OpenInfo>();
  private readonly closed = new Emitter<CloseInfo>();
  readonly onData = this.data.event;
  readonly onOpen = this.opened.event;
  readonly onClose = this.closed.event;
  constructor(readonly clock: SimClock) {}
  async open(): Promise<void> {
    this.state = 'open';
  }
  async close(): Promise<void> {
    this.state = 'closed';
  }
  async write(data: Uint8Array | string): Promise<void> {
    this.written.push(typeof data === 'string' ? data : new TextDecoder().decode(data));
  }
  async setSignals(): Promise<void> {}
  emit(text: string): void {
    this.data.fire(new TextEncoder().encode(text));
  }
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('serial/Session in a transport\'s clock', () => {
  it('a command times out after its timeout in the board\'s time, not the host\'s', async () => {
    const clock = new SimClock();
    const transport = new ClockedTransport(clock);
    const session = new Session(transport, { commandTimeoutMs: 50 });
    await session.open();
    let settled: unknown;
    const outcome = (): unknown => settled;
    const answer = session.info().then((e) => (settled = e), (e: unknown) => (settled = e));
    await new Promise((resolve) => setTimeout(resolve, 120)); // host time passes: nothing happens
    assert.equal(outcome(), undefined);
    clock.advanceTo(49);
    await turn();
    assert.equal(outcome(), undefined);
    clock.advanceTo(51);
    await answer;
    const error = outcome();
    assert.ok(error instanceof SessionError && error.code === 'timeout', String(error));
    await session.close();
  });

  it('an answer that arrives in the same report as the deadline wins', async () => {
    const clock = new SimClock();
    const transport = new ClockedTransport(clock);
    const session = new Session(transport, { commandTimeoutMs: 50 });
    await session.open();
    const answer = session.mem();
    await turn();
    transport.emit('@pf {"ev":"memory","free":1,"alloc":2,"req":1}\r\n');
    clock.advanceTo(60);
    assert.equal((await answer).alloc, 2);
    await session.close();
  });
});
