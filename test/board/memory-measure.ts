// Measures what the board runtime really uses to load a model, in the MicroPython VM, one App step at a time.
//
// Method (docs/memory.md, "Calibration"): the App loads a model in separate steps (the command line; _measured:
// the decision, cmds.load_start; load_header; load_finish; report_loaded), and test/board/memory-app.ts runs each as
// its own call. Between calls the VM collects, so the live heap there is exact. Inside a call it never collects, so
// `before + allocated` bounds the step's peak from above (a board would reclaim the garbage in it when its heap ran
// short). The load's peak is the largest such bound, after removing the one artefact of this build: every float
// operation boxes a 16-byte float, which CircuitPython on the RP2040 does not (its floats live in the object word).
// The loader's NaN/Inf check and the F16 conversion touch every float they load; their boxing cost per element is
// measured in a VM of its own on the model's data and subtracted from the load_finish step. Generation steps are not
// part of the peak: a forward pass allocates only float boxes here and short-lived iterators on a board.
import type { LoadMode } from '../../src/memory/boardParts';
import { type EstimateModel, elementCount } from '../../src/memory/input';
import { type AppEvent, type AppSession as Session, AppSession, type AppStep } from './memory-app';
import { HeapVm } from './memory-vm';

export interface LoadMeasurement {
  mode: LoadMode;
  /** Live heap of the runtime with no model, once it has generated (its generation modules imported). */
  runtimeLive: number;
  /** Live heap while the model is loaded and generating (after one token; equal after a hundred). */
  liveAfterLoad: number;
  /** The largest step bound over boot and load, float boxing removed (above the VM's baseline). */
  peak: number;
  /** Step bounds (above the VM's baseline): boot (its largest step), load_header, load_finish (float boxing
   *  removed), and the largest of the load's steps. */
  bootPeak: number;
  headerPeak: number;
  finishPeak: number;
  loadPeak: number;
  /** Float-boxing bytes removed from load_finish. */
  floatArtefact: number;
  /** What an open file object costs in this VM (CircuitPython's FatFs file, with its sector buffer, costs more). */
  vmFileObject: number;
  /** The loaded event the App sent. */
  loaded: AppEvent;
  steps: AppStep[];
}

const File = 'm.safetensors';

const bound = (s: AppStep, artefact = 0): number => s.before + s.allocated - artefact;

function only(steps: AppStep[], label: string): AppStep {
  const found = steps.filter((s) => s.label === label);
  if (found.length !== 1) throw new Error(`expected one ${label} step, got ${found.length}: ${steps.map((s) => s.label).join(', ')}`);
  return found[0];
}

export async function measureLoad(file: Uint8Array, model: EstimateModel, mode: LoadMode): Promise<LoadMeasurement> {
  const s: Session = await AppSession.start({ [File]: file });
  const boot = s.boot();
  const load = s.command({ cmd: 'load', name: File, mode });
  const loaded = s.newEvents().find((e) => e.ev === 'loaded' || e.ev === 'error');
  if (loaded?.ev !== 'loaded') throw new Error(`the App did not load the model: ${JSON.stringify(loaded)}`);
  s.command({ cmd: 'generate', prompt: '', max_tokens: 1, temperature: 0, seed: 1 });
  const liveAfterLoad = s.live();
  s.command({ cmd: 'unload' });
  const runtimeLive = s.live();
  s.raw.run(`_f = open("/models/${File}", "rb")`);
  const withFile = s.live();
  s.raw.run('_f.close()\n_f = None');
  const vmFileObject = withFile - s.live();
  // Only one VM may be in use at a time (the wasm glue keeps its module in a global): this one is done now.
  const finish = only(load, 'load_finish');
  const floatArtefact = Math.min(finish.allocated, await measureFloatArtefact(file, model, mode));
  const bootPeak = Math.max(...boot.map((x) => bound(x)));
  const headerPeak = bound(only(load, 'load_header'));
  const finishPeak = bound(finish, floatArtefact);
  const loadPeak = Math.max(...load.map((x) => bound(x, x === finish ? floatArtefact : 0)));
  return {
    mode, runtimeLive, liveAfterLoad, peak: Math.max(bootPeak, loadPeak), bootPeak, headerPeak, finishPeak, loadPeak,
    floatArtefact, vmFileObject, loaded, steps: s.steps,
  };
}

/** `bytes` bytes of F16 data from the file's first F16 tensor (or cycled from the data section), so the decoding
 *  cost is measured on real values (its cost per element depends on the exponent). */
function f16Sample(file: Uint8Array, bytes: number): Uint8Array {
  const n = Number(new DataView(file.buffer, file.byteOffset, 8).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n))) as Record<string, { dtype?: string; data_offsets?: [number, number] }>;
  const entry = Object.values(header).find((t) => t.dtype === 'F16' && t.data_offsets !== undefined);
  const [begin, end] = entry?.data_offsets ?? [0, file.length - 8 - n];
  const data = file.subarray(8 + n + begin, 8 + n + end);
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = data.length ? data[i % data.length] : 0;
  return out;
}

/** Float-boxing bytes the load allocated only because this VM boxes floats: the loader's NaN/Inf check and F16
 *  decoding, per element (measured on the model's own data), times the elements the load checks or decodes. */
async function measureFloatArtefact(file: Uint8Array, model: EstimateModel, mode: LoadMode): Promise<number> {
  const vm = await HeapVm.create();
  const n = 1000;
  vm.writeFile('/sample.bin', f16Sample(file, 2 * n));
  vm.run(`from array import array\nfrom picoformer import loader, f16\n_a = array("f", range(${n}))\n_r = bytearray(open("/sample.bin", "rb").read())`);
  const perCheck = vm.step('float check', '_ok = loader._check("a", _a, False)').allocated / n;
  const perScaleCheck = vm.step('scale check', '_ok = loader._check("a", _a, True)').allocated / n;
  const perDecode = vm.step('f16 decode', `f16.decode(_r, ${2 * n}, _a, 0)`).allocated / n;
  let floats = 0;
  let scales = 0;
  let f16 = 0;
  for (const t of model.tensors) {
    const count = elementCount(t.shape);
    if (t.dtype === 'I8' || (t.shape.length === 2 && mode === 'streamed')) continue; // not loaded, or not checked
    if (t.name.endsWith('.scale')) scales += count;
    else floats += count;
    if (t.dtype === 'F16') f16 += count;
  }
  return Math.round(floats * perCheck + scales * perScaleCheck + f16 * perDecode);
}
