// Issue 10's out-of-memory loads on the official firmware: models that the start-up judges resident by the
// estimate and that then run out of memory there (the firmware's heap is split and fragments: gc.mem_free() is not
// what can be allocated). Each, alone on the drive, must end up loaded streamed, saying so; a forced resident load
// must fail cleanly. The estimator is not recalibrated here (a later task): these shapes are chosen because the
// estimate of today's runtime calls them resident (asserted below, so the test notices when that changes).
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
  describe(`firmware: ${c.label} runs out of memory resident`, function () {
    const config = configForTarget(c.target, { context_length: 64 });
    const bytes = randomModelFile(config, c.dtype, 9);
    let booted: Booted;

    before(async () => {
      booted = await bootWith([{ fileName: c.fileName, bytes }]);
    });
    after(async () => booted?.close());

    it('at start-up: judged resident, runs out of memory, and is loaded streamed instead, saying so', async () => {
      const { board } = booted;
      const models = await board.session.list(); // answered once the start-up load is over
      assert.equal(models.models[0].mode, 'resident', 'the estimate still judges it resident (else this case tests nothing)');
      const loaded = board.events.map((e) => e.event).find((e): e is LoadedEvent => e.ev === 'loaded');
      assert.ok(loaded, `nothing was loaded: ${JSON.stringify(board.events.map((e) => e.event).filter((e) => e.ev === 'error'))}`);
      assert.equal(loaded.mode, 'streamed');
      assert.deepEqual(loaded.fallback, { from: 'resident', code: 'out_of_memory' });
      assert.equal((await board.session.info()).model?.mode, 'streamed');
      const { difference } = await compareWithReference(board, modelOf(bytes), { prompt: '', tokens: 3, temperature: 0, seed: 1 }, 1e-3, 1);
      assert.equal(difference, undefined);
    });

    it('a load in auto mode falls back the same way', async () => {
      const loaded = await booted.board.session.load(c.fileName);
      assert.equal(loaded.mode, 'streamed');
      assert.deepEqual(loaded.fallback, { from: 'resident', code: 'out_of_memory' });
    });

    it('a forced resident load fails cleanly (out_of_memory, nothing loaded) and the runtime carries on', async () => {
      const { board } = booted;
      await assert.rejects(board.session.load(c.fileName, 'resident'), (error: unknown) => {
        assert.ok(error instanceof RuntimeCommandError, String(error));
        assert.equal(error.code, 'out_of_memory');
        assert.match(error.message, /was unloaded before this load began/);
        return true;
      });
      assert.equal((await board.session.info()).model, null);
      assert.equal((await board.session.load(c.fileName)).mode, 'streamed');
    });
  });
}
