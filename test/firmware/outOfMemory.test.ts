// Issue 10's out-of-memory loads on the official firmware: two models that the start-up judged resident when the
// board's "available" was gc.mem_free(), and that then ran out of memory there (the firmware's heap is split and
// fragments). "Available" is now what the heap can allocate, measured (docs/memory.md "Available"): the same files,
// alone on the drive, are judged streamed at start-up and load so without running out of memory; a forced resident
// load is refused before anything is freed (too_big), the loaded model staying loaded.
import assert from 'node:assert/strict';
import type { LoadedEvent } from '../../src/device/protocol/events';
import { RuntimeCommandError } from '../../src/device/serial/session';
import { configForTarget } from '../../src/model/random';
import { type Booted, bootWith, compareWithReference, modelOf, randomModelFile } from './support';

/** The two cases: an int8 model of ~45K parameters at a 64-token context (here 49K: dim 48, 2 layers; the
 *  issue's exact shape is not recorded) and an 18.5K-parameter float32 model. */
const Cases = [
  { label: '49K int8, ctx 64', fileName: 'oom-i8-49k.safetensors', target: 49_000, dtype: 'I8' as const },
  { label: '18.5K float32, ctx 64', fileName: 'oom-f32-18k.safetensors', target: 18_500, dtype: 'F32' as const },
];

for (const c of Cases) {
  describe(`firmware: ${c.label}, which ran out of memory resident when 'available' was gc.mem_free()`, function () {
    const config = configForTarget(c.target, { context_length: 64 });
    const bytes = randomModelFile(config, c.dtype, 9);
    let booted: Booted;

    before(async () => {
      booted = await bootWith([{ fileName: c.fileName, bytes }]);
    });
    after(async () => booted?.close());

    it('at start-up: judged streamed by what the heap can allocate, and loaded so without running out of memory', async () => {
      const { board } = booted;
      const models = await board.session.list(); // answered once the start-up load is over
      assert.equal(models.models[0].mode, 'streamed', JSON.stringify(models.models[0]));
      const loaded = board.events.map((e) => e.event).find((e): e is LoadedEvent => e.ev === 'loaded');
      assert.ok(loaded, `nothing was loaded: ${JSON.stringify(board.events.map((e) => e.event).filter((e) => e.ev === 'error'))}`);
      assert.equal(loaded.mode, 'streamed');
      assert.equal(loaded.fallback ?? null, null);
      const { difference } = await compareWithReference(board, modelOf(bytes), { prompt: '', tokens: 3, temperature: 0, seed: 1 }, 1e-3, 1);
      assert.equal(difference, undefined);
    });

    it('a forced resident load is refused before anything is freed (too_big) and the model stays loaded', async () => {
      const { board } = booted;
      await assert.rejects(board.session.load(c.fileName, 'resident'), (error: unknown) => {
        assert.ok(error instanceof RuntimeCommandError, String(error));
        assert.equal(error.code, 'too_big');
        assert.match(error.message, /what can be allocated plus what the loaded model holds/);
        return true;
      });
      assert.equal((await board.session.info()).model?.mode, 'streamed');
      assert.equal((await board.session.load(c.fileName)).mode, 'streamed');
    });
  });
}
