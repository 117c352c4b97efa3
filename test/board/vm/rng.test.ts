// The board runtime's generator under MicroPython (WebAssembly) against the reference's: the seed mixing (long-int
// products there) and the first draws, for small, negative, beyond-32-bit and the one zero-mixing seed.
import assert from 'node:assert/strict';
import { generationRng, generationState } from '../../../src/model/sampling';
import { BoardVm } from './boardVm';

const Seeds = [0n, 1n, 2n, 3n, 42n, -1n, -123456789n, 2n ** 31n - 1n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n + 7n, 2n ** 70n + 5n, 0x61c88647n];
const Draws = 5;

describe('board runtime in MicroPython: the generation RNG', function () {
  this.timeout(60_000);
  it('starts from the reference\'s mixed state and draws the reference\'s uniforms', async () => {
    const vm = await BoardVm.create({});
    vm.run('from picoformer.rng import Rng');
    for (const seed of Seeds) {
      // The state as its two halves: the VM hands ints of 32 bits to JavaScript as signed.
      const got = vm.value<Iterable<number>>(`(lambda r: [r.hi, r.lo] + [r.uniform() for _ in range(${Draws})])(Rng(${seed}))`);
      const state = generationState(seed);
      const rng = generationRng(seed);
      const want = [state >>> 16, state & 0xffff, ...Array.from({ length: Draws }, () => rng.uniform())];
      assert.deepEqual([...got], want, `seed ${seed}`);
    }
  });
});
