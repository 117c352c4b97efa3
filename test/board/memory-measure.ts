// Measures what the board runtime really uses to load a model, in the MicroPython VM, phase by phase.
//
// Method (docs/memory.md, "Calibration"): every phase the runtime goes through is run as its own call: each runtime
// module's import, the App's construction and boot, the header read, the load. Between calls the VM collects, so
// `after` is the true live heap. Inside a call it never collects, so `before + allocated` bounds the phase's peak
// from above (a board would reclaim the garbage in it when its heap ran short). The peak is the largest such bound,
// after removing the one artefact of this build: every float operation boxes a 16-byte float, which CircuitPython on
// the RP2040 does not (its floats live in the object word). The loader's NaN/Inf check and the F16 conversion touch
// every float they load; their boxing cost per element is measured in the same VM and subtracted.
import type { LoadMode } from '../../src/memory/boardParts';
import type { EstimateModel } from '../../src/memory/input';
import { elementCount } from '../../src/memory/input';
import { HeapVm, type Step } from './memory-vm';

/** Runtime modules in dependency order (leaves first): the App, then what boot, load and generation import. */
export const RuntimeModules = [
  'errors', 'human', 'sysinfo', 'console', 'protocol', 'app', 'header', 'memest', 'catalog',
  'model', 'stream', 'f16', 'loader', 'fwd_py', 'sampling', 'tokenizer', 'gen',
] as const;

export interface LoadMeasurement {
  mode: LoadMode;
  /** Live heap of the idle runtime: modules imported, App built and booted, no model (above the VM's baseline). */
  runtimeLive: number;
  /** Phase peaks (live before + allocated inside, above the VM's baseline): module imports and App(), the boot
   *  (which lists the models on the drive, parsing each header), header.read, loader.load (float boxing removed). */
  importPeak: number;
  bootPeak: number;
  headerPeak: number;
  loadPeak: number;
  /** The largest phase peak. */
  peak: number;
  /** Live heap with the model loaded (above the VM's baseline). */
  liveAfterLoad: number;
  /** Float-boxing bytes removed from the load phase. */
  floatArtefact: number;
  /** What an open file object costs in this VM (CircuitPython's FatFs file with its sector buffer costs more). */
  vmFileObject: number;
  steps: Step[];
  /** Live heap over the VM's baseline with the App (not the test) holding the model, loaded by a load command. */
  appLiveAfterLoad: number;
}

const ModelPath = '/models/m.safetensors';

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

/** Builds the App and boots it (ready event, models listing), as code.py does on a board. */
const BootApp =
  'from picoformer.app import App\n_app = App(models_dir="/models", source=lambda: _inbox.pop(0) if _inbox else "", autoload=False, np=None, idle_ms=0)';

export async function measureLoad(file: Uint8Array, model: EstimateModel, mode: LoadMode): Promise<LoadMeasurement> {
  const vm = await HeapVm.create();
  vm.writeFile(ModelPath, file);
  vm.run('_inbox = []');
  const baseline = vm.live();
  const bound = (s: Step, artefact = 0): number => s.before + s.allocated - artefact - baseline;
  const imports = RuntimeModules.map((m) => vm.step(`import ${m}`, `import picoformer.${m}`));
  imports.push(vm.step('App()', BootApp));
  const boot = vm.step('boot', '_app.step()');
  const runtimeLive = vm.live() - baseline;
  const header = vm.step('header.read', `from picoformer import header, loader\n_h = header.read("${ModelPath}")`);
  const load = vm.step('loader.load', `_m = loader.load(_h, "${mode}", None, None)\n_h = None`);
  const liveAfterLoad = vm.live() - baseline;
  const file0 = vm.step('open()', `_f = open("${ModelPath}", "rb")`);
  // Only one VM may be in use at a time (the wasm glue keeps its module in a global): this one is done now.
  const floatArtefact = Math.min(load.allocated, await measureFloatArtefact(file, model, mode));
  const phases = {
    importPeak: Math.max(...imports.map((s) => bound(s))),
    bootPeak: bound(boot),
    headerPeak: bound(header),
    loadPeak: bound(load, floatArtefact),
  };
  return {
    mode,
    runtimeLive,
    ...phases,
    peak: Math.max(...Object.values(phases)),
    liveAfterLoad,
    floatArtefact,
    vmFileObject: file0.after - file0.before,
    steps: vm.steps,
    appLiveAfterLoad: await appLoad(file, mode),
  };
}

/** Loads the model the way a user does: a load command handled by App.step(). */
async function appLoad(file: Uint8Array, mode: LoadMode): Promise<number> {
  const vm = await HeapVm.create();
  vm.writeFile(ModelPath, file);
  vm.run('_inbox = []');
  const baseline = vm.live();
  vm.run(BootApp);
  vm.run('_app.step()');
  vm.run(`_inbox.append('@pf {"cmd": "load", "name": "m.safetensors", "mode": "${mode}"}\\n')\n_app.step()`);
  const loaded = vm.output.find((l) => l.includes('"ev": "loaded"'));
  if (loaded === undefined) throw new Error(`the App did not load the model:\n${vm.output.join('\n')}`);
  return vm.live() - baseline;
}

/** Float-boxing bytes the load phase allocated only because this VM boxes floats: the loader's NaN/Inf check
 *  and F16 decoding, per element, measured (in a VM of their own) on the model's own data, times the elements. */
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
    const matrix = t.shape.length === 2;
    if (t.dtype === 'I8' || (matrix && mode === 'streamed')) continue; // not loaded, or not checked
    if (t.name.endsWith('.scale')) scales += count;
    else floats += count;
    if (t.dtype === 'F16') f16 += count;
  }
  return Math.round(floats * perCheck + scales * perScaleCheck + f16 * perDecode);
}
