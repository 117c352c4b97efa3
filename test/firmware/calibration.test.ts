// The memory estimator against the official firmware at its zone boundaries (the regression part of the calibration
// sweep, npm run calibrate:firmware; docs/memory.md): the largest int8 model the estimate puts in the safe zone
// resident, in the test zone resident and in the test zone streamed, each alone on the drive, must load at start-up
// in that mode without running out of memory (as board/code.py runs it), with the live heap within 5% of the estimate
// and the peak (every load step measured, stepProbe.ts) within 10%. And the firmware refit's regressions: a model the VM-fitted decision step
// refused loads, and the streamed model that ran out of memory in the test zone is judged danger.
import assert from 'node:assert/strict';
import { measureModel, type MeasuredMode } from '../../src/emu/measureModel';
import { boardProfile } from '../../src/memory/boards';
import { estimate, type ModeEstimate } from '../../src/memory/estimate';
import { estimateModelFromHeader } from '../../src/memory/input';
import type { Zone } from '../../src/memory/zones';
import { readModelHeader } from '../../src/model/modelFile';
import { piecesVocab } from '../../bench/firmware/shapes';
import { makeConfig } from '../../src/model/config';
import { writeModel } from '../../src/model/modelFile';
import { convertModel } from '../../src/model/quantize';
import { configForTarget, randomModel } from '../../src/model/random';
import { randomModelFile } from './support';

const LiveTolerance = 0.05;
const PeakTolerance = 0.1;
const board = boardProfile('pico-cp9');

/** The largest model of a family (int8, 2 layers, context 64) whose estimate in `mode` lands in `zone`. */
function largestIn(zone: Zone, mode: MeasuredMode): { bytes: Uint8Array; e: ModeEstimate; params: number } {
  let best: { bytes: Uint8Array; e: ModeEstimate; params: number } | undefined;
  for (let target = 4_000; target <= 600_000; target = Math.round(target * 1.08)) {
    const config = configForTarget(target, { context_length: 64, n_layers: 2 });
    const bytes = randomModelFile(config, 'I8', 13);
    const e = estimate(estimateModelFromHeader(readModelHeader(bytes)), board, { mode })[mode];
    if (e.zone === zone) best = { bytes, e, params: readModelHeader(bytes).parameterCount };
  }
  if (!best) throw new Error(`no model of the family lands in zone ${zone} ${mode}`);
  return best;
}

const Cases: { zone: Zone; mode: MeasuredMode }[] = [
  { zone: 'safe', mode: 'resident' },
  { zone: 'test', mode: 'resident' },
  { zone: 'test', mode: 'streamed' },
];

/** Loads `bytes` at start-up in `mode` on the firmware; checks it loaded there with the live heap within 5% of the
 *  estimate and the peak within 10%. Whether it loads and its live heap are what board/code.py as deployed does (the
 *  step probe changes what CircuitPython's conservative collector keeps alive, docs/memory.md); the peak is the
 *  probe's (every load step's bound), in a second boot. */
async function loadsAsEstimated(bytes: Uint8Array, e: ModeEstimate, mode: MeasuredMode, params: number): Promise<void> {
  const run = (probeSteps: boolean) =>
    measureModel({ fileName: 'boundary.safetensors', bytes, modes: [mode], ulab: true, generations: [{ prompt: 'a', tokens: 2, temperature: 0, seed: 1 }], probeSteps });
  const plain = await run(false);
  const load = plain.loads[0];
  assert.ok(load.loaded, `${params} parameters, required ${e.required}: ${load.error?.code}: ${load.error?.message}`);
  assert.equal(load.loaded.mode, mode);
  assert.equal(load.loaded.fallback ?? null, null);
  assert.equal(load.generationError, undefined, 'it generates too (a model that loads and then runs out of memory generating does not fit)');
  const live = load.allocAfterGenerating as number;
  const probed = await run(true);
  assert.ok(probed.loads[0].loaded, `under the step probe: ${probed.loads[0].error?.code}: ${probed.loads[0].error?.message}`);
  const peak = Math.max(...probed.loads[0].steps.map((s) => s.max)) - probed.probeOverhead;
  const detail = `${params} parameters: live ${e.liveAfterLoad} estimated / ${live} measured, peak ${e.peak} / ${peak}, required ${e.required} of ${board.heapBytes}`;
  console.log(`      ${detail}`);
  assert.ok(Math.abs(e.liveAfterLoad / live - 1) <= LiveTolerance, detail);
  assert.ok(Math.abs(e.peak / peak - 1) <= PeakTolerance, detail);
}

for (const c of Cases) {
  describe(`firmware: the largest int8 model in the ${c.zone} zone, ${c.mode}`, function () {
    it('loads at start-up without running out of memory; live heap within 5% of the estimate, peak within 10%', async () => {
      const { bytes, e, params } = largestIn(c.zone, c.mode);
      await loadsAsEstimated(bytes, e, c.mode, params);
    });
  });
}

describe('firmware: the board constants refitted on the firmware', function () {
  it('a model the VM-fitted decision step refused (20.7K, 1,000 vocabulary pieces) loads resident at start-up', async () => {
    // With the decision step fitted in the MicroPython VM (38,413 bytes + 550 per tensor + 47 per vocabulary entry)
    // the board answered too_big: "needs about 124043 bytes loaded resident plus a 8192-byte margin, but 124800 are
    // available" (measured 2026-12-07). The firmware measures that step at 25.3 KB + 440 per tensor + 10 per entry.
    const config = makeConfig({ vocab_size: 1000, dim: 16, hidden_dim: 32, n_layers: 2, n_heads: 2, context_length: 32, tokenizer: 'longest_match' });
    const bytes = writeModel(convertModel(randomModel(config, 7, piecesVocab(1000)), 'I8'));
    const e = estimate(estimateModelFromHeader(readModelHeader(bytes)), board, {});
    assert.equal(e.mode, 'resident');
    assert.ok(e.resident.zone === 'safe' || e.resident.zone === 'test', `zone ${e.resident.zone}`);
    await loadsAsEstimated(bytes, e.resident, 'resident', readModelHeader(bytes).parameterCount);
  });

  // Measured 2026-12-07, each alone at start-up, forced streamed: both run out of memory on the firmware. With the
  // VM-fitted constants the 74K one needed 127 KB (test zone); with the firmware's 131.6 KB. The 64K one needs
  // 127.3 KB (124.7 KB after the final refit, which lowered the runtime figure): the test zone ended at 90% of the
  // budget (129.0 KB), then 88%, now 85% (119.0 KB); the 50K one below it (117.0 KB now) loads (the test-zone
  // streamed case above).
  for (const [target, dim] of [[63_871, 52], [74_499, 56]] as const) {
    it(`the streamed model (dim ${dim}, context 64) that ran out of memory in the test zone is judged danger`, () => {
      const bytes = randomModelFile(configForTarget(target, { context_length: 64, n_layers: 2 }), 'I8', 13);
      const h = readModelHeader(bytes);
      assert.equal(h.config.dim, dim);
      const e = estimate(estimateModelFromHeader(h), board, { mode: 'streamed' }).streamed;
      assert.equal(e.zone, 'danger', `required ${e.required}`);
    });
  }
});
