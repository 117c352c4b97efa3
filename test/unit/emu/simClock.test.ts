import assert from 'node:assert/strict';
import { SimClock } from '../../../src/emu/simClock';

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('emu/SimClock', () => {
  it('fires timers when simulated time reaches them, in order, after the current turn', async () => {
    const clock = new SimClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b'), 20);
    clock.setTimeout(() => fired.push('a'), 10);
    clock.advanceTo(15);
    assert.deepEqual(fired, [], 'not synchronously: output delivered with the same report is handled first');
    await turn();
    assert.deepEqual(fired, ['a']);
    clock.advanceTo(25);
    await turn();
    assert.deepEqual(fired, ['a', 'b']);
    assert.equal(clock.pending, 0);
  });

  it('never fires a cleared timer, never goes back, and host time does not move it', async () => {
    const clock = new SimClock();
    let fired = 0;
    const t = clock.setTimeout(() => fired++, 5);
    clock.clearTimeout(t);
    clock.advanceTo(100);
    clock.advanceTo(50);
    assert.equal(clock.now(), 100);
    clock.setTimeout(() => fired++, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(fired, 0);
  });
});
