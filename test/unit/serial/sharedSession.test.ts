import assert from 'node:assert/strict';
import type { ReadyEvent } from '../../../src/device/protocol/events';
import type { Session } from '../../../src/device/serial/session';
import { SharedSession } from '../../../src/device/serial/sharedSession';

/** Just what SharedSession reads of a session. */
class StubSession {
  state: 'connected' | 'disconnected' | 'closed' = 'connected';
  hostModeActive = false;
  closed = 0;
  async close(): Promise<void> {
    this.closed++;
    this.state = 'closed';
  }
}

const ready = { ev: 'ready' } as ReadyEvent;

function shared(opened: StubSession[], reach: (s: StubSession) => Promise<ReadyEvent>) {
  return new SharedSession({
    open: async () => {
      const s = new StubSession();
      opened.push(s);
      return s as unknown as Session;
    },
    reachRuntime: (s) => reach(s as unknown as StubSession),
  });
}

describe('serial/SharedSession: one session, host mode on demand', () => {
  it('link() opens once and says nothing; hostSession() says hello only when the runtime is not in host mode', async () => {
    const opened: StubSession[] = [];
    let hellos = 0;
    const link = shared(opened, async (s) => {
      hellos++;
      s.hostModeActive = true;
      return ready;
    });
    const seen: unknown[] = [];
    link.onSession((s) => seen.push(s));
    const a = await link.link();
    assert.equal(await link.link(), a);
    assert.equal(hellos, 0);
    assert.equal(await link.hostSession(), a);
    assert.equal(await link.hostSession(), a);
    assert.equal(hellos, 1, 'in host mode already: no second hello');
    (a as unknown as StubSession).hostModeActive = false; // the console said bye, or the runtime restarted
    await link.hostSession();
    assert.equal(hellos, 2);
    assert.deepEqual(seen, [a]);
  });

  it('callers asking at the same time share one hello; a failed one is tried again by the next caller', async () => {
    const opened: StubSession[] = [];
    let hellos = 0;
    let fail = true;
    const link = shared(opened, async (s) => {
      hellos++;
      await new Promise((r) => setTimeout(r, 10));
      if (fail) throw new Error('no answer');
      s.hostModeActive = true;
      return ready;
    });
    const results = await Promise.allSettled([link.hostSession(), link.hostSession(), link.hostSession()]);
    assert.deepEqual(results.map((r) => r.status), ['rejected', 'rejected', 'rejected']);
    assert.equal(hellos, 1);
    fail = false;
    await link.hostSession();
    assert.equal(hellos, 2);
    assert.equal(opened.length, 1, 'the session stays open after a failed hello (a console may be showing it)');
  });

  it('a session that went away is closed and a new one opened; after close() nothing opens', async () => {
    const opened: StubSession[] = [];
    const link = shared(opened, async () => ready);
    const first = (await link.link()) as unknown as StubSession;
    first.state = 'disconnected';
    const second = await link.link();
    assert.notEqual(second, first);
    assert.equal(first.closed, 1);
    await link.close();
    assert.equal((second as unknown as StubSession).closed, 1);
    await assert.rejects(link.link(), /closed/);
  });
});
