import assert from 'node:assert/strict';
import type { Session } from '../../../src/device/serial/session';
import { SharedSession } from '../../../src/device/serial/sharedSession';

/** Just what SharedSession reads of a session. */
class StubSession {
  state: 'connected' | 'disconnected' | 'closed' = 'connected';
  closed = 0;
  reason: string | undefined;
  async close(reason?: string): Promise<void> {
    this.closed++;
    this.reason = reason;
    this.state = 'closed';
  }
}

function shared(opened: StubSession[], delayMs = 0) {
  return new SharedSession({
    open: async () => {
      await new Promise((r) => setTimeout(r, delayMs));
      const s = new StubSession();
      opened.push(s);
      return s as unknown as Session;
    },
  });
}

describe('serial/SharedSession: one session on a board, shared', () => {
  it('opens on first use and then gives the same session; callers at the same time share one open', async () => {
    const opened: StubSession[] = [];
    const link = shared(opened, 10);
    const seen: unknown[] = [];
    link.onSession((s) => seen.push(s));
    const [a, b, c] = await Promise.all([link.link(), link.link(), link.link()]);
    assert.equal(opened.length, 1, 'one port, one open');
    assert.ok(a === b && b === c);
    assert.equal(await link.link(), a);
    assert.deepEqual(seen, [a]);
    assert.equal(await link.current(), a);
  });

  it('a session that went away is closed and a new one opened (and announced)', async () => {
    const opened: StubSession[] = [];
    const link = shared(opened);
    const seen: unknown[] = [];
    link.onSession((s) => seen.push(s));
    const first = (await link.link()) as unknown as StubSession;
    first.state = 'disconnected';
    const second = await link.link();
    assert.notEqual(second, first);
    assert.equal(first.closed, 1);
    assert.equal(seen.length, 2);
  });

  it('drop() closes the session the board did not answer on; the next link opens a fresh one', async () => {
    const opened: StubSession[] = [];
    const link = shared(opened);
    const first = (await link.link()) as unknown as StubSession;
    await link.drop();
    assert.equal(first.closed, 1);
    assert.notEqual(await link.link(), first);
    assert.equal(opened.length, 2);
  });

  it('a failed open is tried again next time; after close() nothing opens', async () => {
    let fail = true;
    const link = new SharedSession({
      open: async () => {
        if (fail) throw new Error('port busy');
        return new StubSession() as unknown as Session;
      },
    });
    await assert.rejects(link.link(), /port busy/);
    fail = false;
    const session = (await link.link()) as unknown as StubSession;
    await link.close();
    assert.equal(session.closed, 1);
    await assert.rejects(link.link(), /closed/);
  });

  it('close(reason) hands the reason to the session (what a run in progress fails with)', async () => {
    const link = shared([]);
    const session = (await link.link()) as unknown as StubSession;
    await link.close('The virtual Pico was stopped.');
    assert.equal(session.reason, 'The virtual Pico was stopped.');
  });
});
