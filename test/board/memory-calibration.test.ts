// The memory estimator against the board runtime, measured in the MicroPython VM (method: memory-measure.ts and
// docs/memory.md). A stand-in check, not the referee: the board's constants are calibrated on the official firmware
// (npm run calibrate:firmware, test/firmware/calibration.test.ts), and the VM is another build (MicroPython 1.27, one
// growing heap, boxed floats) that compiles the runtime's code at its own cost. What it still checks exactly: the
// model's own heap (its buffers and objects, the product's estimate of them) within 5% of the measured one, for
// models of about 1K to 830K parameters, int8 and float, resident and streamed; it fails when the loader and the
// estimator drift apart. The load's peak is judged with the VM's own figures for what differs (VmProfile below),
// within 10%. Then the bar: a 30K int8 model resident and a 300K int8 model streamed each fit a 140 KB heap,
// by the product's estimate and by the VM's measurement.
import assert from 'node:assert/strict';
import { boardProfile } from '../../src/memory/boards';
import { type LoadMode, boardParts } from '../../src/memory/boardParts';
import { BoardC, arrayCost } from '../../src/memory/constants';
import { estimate } from '../../src/memory/estimate';
import type { EstimateModel } from '../../src/memory/input';
import type { Dtype } from '../../src/model/tensor';
import { type LoadMeasurement, measureLoad } from './memory-measure';
import { type BuiltModel, buildModel } from './memory-models';

/** What the VM spends where the firmware's figures (constants.json) do not apply: the runtime beside a model and the
 *  two load steps' code, fitted in this VM (bench/calibrate.ts, 2026-12, runtime 0.3.0 with issue 12's reader; the runtime
 *  refitted to the middle of its measured 25,584-26,832 after the leaner Mat and views of 996f45f). The
 *  firmware measures a smaller decision step (25.3 KB + 440 per tensor + 10 per vocabulary entry) and a larger
 *  runtime (29.3 KB): the VM's compiler and heap are not the board's. Kept here, never in the product. */
const VmProfile = {
  runtimeImport: 26_208,
  headerCode: 38_413,
  headerPerByte: 2,
  headerPerTensor: 550,
  headerPerWord: 47,
  loadCode: 7_840,
  loadPerTensor: 304,
};

/** The load's peak above the VM's baseline as the VM profile puts it: the runtime plus the larger of the decision
 *  step and the model's buffers and objects (the product's figures) with the load step's transient. */
function vmPeak(model: EstimateModel, modelLive: number): number {
  const t = model.tensors.length;
  const f16 = model.tensors.some((x) => x.dtype === 'F16') ? arrayCost(BoardC.F16_CHUNK) : 0;
  const header = VmProfile.headerCode + VmProfile.headerPerByte * model.headerLength + VmProfile.headerPerTensor * t + VmProfile.headerPerWord * model.config.vocab_size;
  return VmProfile.runtimeImport + Math.max(header, modelLive + VmProfile.loadCode + VmProfile.loadPerTensor * t + f16);
}

const LiveTolerance = 0.05;
const PeakTolerance = 0.1;
const Budget = boardProfile('pico-cp9').heapBytes; // 140 KB

interface Case {
  size: string;
  dtype: Dtype;
  mode: LoadMode;
}

const cases: Case[] = [];
for (const size of ['1k', '8k', '30k', '100k']) {
  for (const dtype of ['I8', 'F32'] as const) for (const mode of ['resident', 'streamed'] as const) cases.push({ size, dtype, mode });
}
cases.push({ size: '8k', dtype: 'F16', mode: 'resident' }, { size: '8k', dtype: 'F16', mode: 'streamed' });
cases.push({ size: '300k', dtype: 'I8', mode: 'streamed' });
cases.push({ size: '360k-ctx32', dtype: 'I8', mode: 'streamed' }, { size: '250k-ctx64', dtype: 'I8', mode: 'streamed' });
for (const mode of ['resident', 'streamed'] as const) cases.push({ size: '30k-kv8', dtype: 'I8', mode }, { size: '100k-kv8', dtype: 'I8', mode });
cases.push({ size: '830k-kv8-ctx64', dtype: 'I8', mode: 'streamed' });
cases.push({ size: '30k-subword', dtype: 'I8', mode: 'resident' }, { size: '30k-subword', dtype: 'I8', mode: 'streamed' });

/** After unloading a 500 KB model the VM's conservative collector kept 57 KB of it alive (a stale pointer): the idle
 *  runtime measured then is not the runtime's. */
const staleRuntime = (load: LoadMeasurement): boolean => load.runtimeLive > 2 * VmProfile.runtimeImport;

/** The model's own heap: the live heap while it runs minus the runtime's once it is unloaded; when a stale pointer
 *  spoilt that, what the runtime measured itself (report_loaded; a few hundred bytes more: its report's state). */
function modelHeap(load: LoadMeasurement): number {
  if (!staleRuntime(load)) return load.liveAfterLoad - load.runtimeLive;
  const bytes = (load.loaded as { model_bytes?: unknown }).model_bytes;
  if (typeof bytes !== 'number') throw new Error(`the loaded event has no model_bytes: ${JSON.stringify(load.loaded)}`);
  return bytes;
}

function relative(estimated: number, measured: number): number {
  return (estimated - measured) / measured;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

describe('memory estimator calibration (MicroPython VM)', function () {
  this.timeout(120_000);
  const built = new Map<string, BuiltModel>();
  const measured = new Map<string, LoadMeasurement>();
  const table: string[] = [];

  after(() => {
    if (process.env.PICOFORMER_MEMORY_TABLE) console.log(['model | model heap est / measured | peak (VM profile) est / measured', ...table].join('\n'));
  });

  async function measure(c: Case): Promise<{ m: BuiltModel; load: LoadMeasurement }> {
    const key = `${c.size} ${c.dtype}`;
    if (!built.has(key)) built.set(key, buildModel(c.size, c.dtype));
    const m = built.get(key) as BuiltModel;
    const mkey = `${key} ${c.mode}`;
    if (!measured.has(mkey)) measured.set(mkey, await measureLoad(m.file, m.model, c.mode));
    return { m, load: measured.get(mkey) as LoadMeasurement };
  }

  for (const c of cases) {
    it(`${c.size} ${c.dtype} ${c.mode}: the model's own heap within 5%, the peak within 10% (VM profile)`, async () => {
      const { m, load } = await measure(c);
      // The one object the VM sizes differently: its open file.
      const fileFix = c.mode === 'streamed' ? load.vmFileObject - BoardC.FILE_OBJ : 0;
      const modelEstimate = boardParts(m.model, c.mode, false).live + fileFix;
      const modelMeasured = modelHeap(load);
      const peakEstimate = vmPeak(m.model, modelEstimate);
      const live = relative(modelEstimate, modelMeasured);
      const peak = relative(peakEstimate, load.peak);
      const detail = `model heap estimate ${modelEstimate} vs measured ${modelMeasured} (${pct(live)}); peak ${peakEstimate} vs ${load.peak} (${pct(peak)})`;
      table.push(`${c.size} ${c.dtype} ${c.mode} | ${modelEstimate} / ${modelMeasured} (${pct(live)}) | ${peakEstimate} / ${load.peak} (${pct(peak)})`);
      assert.ok(Math.abs(live) <= LiveTolerance, detail);
      assert.ok(Math.abs(peak) <= PeakTolerance, detail);
      // The runtime reported the same mode and an estimate from memest.py.
      assert.equal(load.loaded.mode, c.mode);
    });
  }

  it("the VM profile's runtime matches the VM's measured idle runtime within 5%", async () => {
    const all = measured.size ? [...measured.values()] : [(await measure(cases[0])).load];
    const loads = all.filter((l) => !staleRuntime(l));
    assert.ok(loads.length >= all.length - 2, `${all.length - loads.length} of ${all.length} loads left a stale model behind`);
    const beside = loads.map((l) => l.runtimeLive);
    console.log(`      runtime measured ${Math.min(...beside)}-${Math.max(...beside)} bytes over ${beside.length} loads (${all.length - loads.length} left out: a stale pointer); VM profile ${VmProfile.runtimeImport}`);
    for (const b of beside) {
      const r = relative(VmProfile.runtimeImport, b);
      assert.ok(Math.abs(r) <= LiveTolerance, `VM profile ${VmProfile.runtimeImport} vs measured ${b} (${pct(r)})`);
    }
  });

  it('a 30K int8 model fits a 140 KB heap resident, by the estimate and by measurement', async () => {
    const { m, load } = await measure({ size: '30k', dtype: 'I8', mode: 'resident' });
    assert.ok(m.params >= 28_500 && m.params <= 31_500, `the "30K" model has ${m.params} parameters`);
    const e = estimate(m.model, boardProfile('pico-cp9'), { ulab: false });
    assert.equal(e.mode, 'resident');
    assert.ok(e.resident.required <= Budget, `estimated ${e.resident.required} > ${Budget}`);
    assert.ok(load.peak + BoardC.MARGIN <= Budget, `measured peak ${load.peak} + margin > ${Budget}`);
  });

  it('a 300K int8 model fits a 140 KB heap streamed (and not resident), by the estimate and by measurement', async () => {
    const { m, load } = await measure({ size: '300k', dtype: 'I8', mode: 'streamed' });
    assert.ok(m.params >= 285_000 && m.params <= 315_000, `the "300K" model has ${m.params} parameters`);
    const e = estimate(m.model, boardProfile('pico-cp9'), { ulab: false });
    assert.equal(e.mode, 'streamed');
    assert.ok(!e.resident.fitsBudget);
    assert.ok(e.streamed.required <= Budget, `estimated ${e.streamed.required} > ${Budget}`);
    const fileFix = load.vmFileObject - BoardC.FILE_OBJ;
    assert.ok(load.peak - fileFix + BoardC.MARGIN <= Budget, `measured peak ${load.peak} + margin > ${Budget}`);
  });

  for (const [size, ctx, least] of [['360k-ctx32', 32, 360_000], ['250k-ctx64', 64, 250_000]] as const) {
    // The largest that stream within 140 KB by the VM's figures: the firmware's runtime and load step cost more, so
    // the product's estimate puts them in the danger zone (they may load on a fresh board).
    it(`a ${size.split('-')[0].toUpperCase()} int8 model with the float32 KV cache and a ${ctx}-token context streams within 140 KB by the VM's measurement; the estimate says danger`, async () => {
      const { m, load } = await measure({ size, dtype: 'I8', mode: 'streamed' });
      assert.ok(m.params >= least, `the model has ${m.params} parameters`);
      const e = estimate(m.model, boardProfile('pico-cp9'), { ulab: false });
      assert.equal(e.mode, 'streamed');
      assert.equal(e.streamed.zone, 'danger', `estimated ${e.streamed.required}`);
      const fileFix = load.vmFileObject - BoardC.FILE_OBJ;
      assert.ok(load.peak - fileFix + BoardC.MARGIN <= Budget, `measured peak ${load.peak} + margin > ${Budget}`);
    });
  }

  it('an 830K int8 model with the int8 KV cache and a 64-token context fits a 140 KB heap streamed, by the estimate and by measurement', async () => {
    const { m, load } = await measure({ size: '830k-kv8-ctx64', dtype: 'I8', mode: 'streamed' });
    assert.ok(m.params >= 820_000, `the model has ${m.params} parameters`);
    const e = estimate(m.model, boardProfile('pico-cp9'), { ulab: false });
    assert.equal(e.mode, 'streamed');
    assert.ok(e.streamed.required <= Budget, `estimated ${e.streamed.required} > ${Budget}`);
    const fileFix = load.vmFileObject - BoardC.FILE_OBJ;
    assert.ok(load.peak - fileFix + BoardC.MARGIN <= Budget, `measured peak ${load.peak} + margin > ${Budget}`);
  });
});
