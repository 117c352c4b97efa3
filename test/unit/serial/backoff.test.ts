import assert from 'node:assert/strict';
import { Backoff } from '../../../src/device/serial/backoff';

describe('serial/Backoff', () => {
  it('doubles up to the cap', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 500 });
    assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next()], [100, 200, 400, 500, 500]);
  });

  it('gives up after the total wait', () => {
    const b = new Backoff({ initialMs: 100, maxMs: 100, giveUpAfterMs: 250 });
    assert.deepEqual([b.next(), b.next(), b.next(), b.next()], [100, 100, 100, undefined]);
  });
});
