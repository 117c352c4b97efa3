import assert from 'node:assert/strict';
import { ExpectBuffer, ExpectClosed, ExpectTimeout } from '../../../src/device/serial/expect';

describe('serial/expect', () => {
  it('resolves with the earliest of several patterns and consumes through it', async () => {
    const e = new ExpectBuffer();
    const wait = e.waitFor(['>>> ', 'Press any key'], 1000);
    e.append('Code done running.\r\nPress any key to enter the REPL.\r\n>>> ');
    const m = await wait;
    assert.equal(m.index, 1);
    assert.equal(m.before, 'Code done running.\r\n');
    assert.equal(e.pending, ' to enter the REPL.\r\n>>> ');
    assert.equal((await e.waitFor('>>> ', 100)).index, 0);
  });

  it('matches a pattern split across appends', async () => {
    const e = new ExpectBuffer();
    const wait = e.waitFor('raw REPL; CTRL-B to exit\r\n>', 1000);
    for (const ch of '\r\nraw REPL; CTRL-B to exit\r\n>') e.append(ch);
    assert.equal((await wait).before, '\r\n');
  });

  it('times out with what was received', async () => {
    const e = new ExpectBuffer();
    e.append('something else');
    await assert.rejects(e.waitFor('>>> ', 20), (err: unknown) => err instanceof ExpectTimeout && /something else/.test(err.message));
  });

  it('fails the wait when the connection closes', async () => {
    const e = new ExpectBuffer();
    const wait = e.waitFor('x', 1000);
    e.abort('unplugged');
    await assert.rejects(wait, ExpectClosed);
  });

  it('allows one wait at a time', async () => {
    const e = new ExpectBuffer();
    const first = e.waitFor('a', 50);
    await assert.rejects(e.waitFor('b', 50), /one wait/);
    await assert.rejects(first, ExpectTimeout);
  });
});
