import assert from 'node:assert/strict';
import { memoryRows } from '../../../bench/firmware/memoryFit';
import type { SweepRecord } from '../../../bench/firmware/sweepJob';
import type { LoadRecord, ModelMeasurement } from '../../../src/emu/measureModel';
import type { LoadedEvent, ReadyEvent } from '../../../src/device/protocol/events';

const loaded = (mode: 'resident' | 'streamed', modelBytes: number): LoadedEvent => ({ ev: 'loaded', mode, model_bytes: modelBytes, fallback: null }) as unknown as LoadedEvent;

function measurement(loads: LoadRecord[], probeOverhead: number): ModelMeasurement {
  return { ready: { ev: 'ready' } as ReadyEvent, probeOverhead, loads, simSeconds: 1 };
}

describe('memoryRows (the sweep: estimate beside the firmware measurements)', () => {
  // The step probe changes what CircuitPython's conservative collector keeps: on the firmware, one runtime under it
  // kept ~15 KB more alive from the start-up list on, and refused loads that board/code.py made (docs/memory.md).
  it('takes the live heap, the outcome and the model heap from the plain run (board/code.py), the peak from the probe', () => {
    const probeLoads: LoadRecord[] = [
      { mode: 'resident', loaded: loaded('resident', 10_100), steps: [{ step: 'measured:autoload', before: 23_000, end: 50_000, max: 61_000 }], generations: [], allocAfterGenerating: 55_400 },
      { mode: 'streamed', error: { code: 'too_big', message: 'x' }, steps: [], generations: [] },
    ];
    const plainLoads: LoadRecord[] = [
      { mode: 'resident', loaded: loaded('resident', 10_000), steps: [], generations: [], allocAfterGenerating: 37_000 },
      { mode: 'streamed', loaded: loaded('streamed', 8_400), steps: [], generations: [], allocAfterGenerating: 36_000 },
    ];
    const record: SweepRecord = { shape: '1k', dtype: 'I8', path: 'ulab', measurement: measurement(probeLoads, 400), plain: measurement(plainLoads, 0), hostSeconds: 1 };
    const [resident, streamed] = memoryRows([record]);
    assert.equal(resident.liveMeasured, 37_000);
    assert.equal(resident.modelMeasured, 10_000);
    assert.equal(resident.peakMeasured, 61_000 - 400);
    assert.equal(resident.outcome, 'loaded');
    assert.equal(streamed.outcome, 'loaded');
    assert.equal(streamed.liveMeasured, 36_000);
    assert.equal(streamed.peakMeasured, undefined);
  });

  it('keeps the probe run\'s figures when a record has no plain run (an older results file)', () => {
    const probeLoads: LoadRecord[] = [{ mode: 'resident', loaded: loaded('resident', 10_100), steps: [], generations: [], allocAfterGenerating: 40_400 }];
    const [row] = memoryRows([{ shape: '1k', dtype: 'I8', path: 'ulab', measurement: measurement(probeLoads, 400), hostSeconds: 1 }]);
    assert.equal(row.liveMeasured, 40_000);
    assert.equal(row.modelMeasured, 10_100);
  });
});
