// The memory side of the sweep: each load's estimate beside what the firmware measured (live heap, peak, the model's
// own heap), and the board constants refitted from the measurements: object costs from the model heap beyond its
// buffers, the decision step's cost from its bound, the load step's transient from its bound beyond the live model.
import { boardProfile } from '../../src/memory/boards';
import { type BoardParts, type LoadMode, boardParts } from '../../src/memory/boardParts';
import { BoardC, HostC } from '../../src/memory/constants';
import { type MemoryEstimate, estimate } from '../../src/memory/estimate';
import { type EstimateModel, estimateModelFromHeader } from '../../src/memory/input';
import type { Zone } from '../../src/memory/zones';
import { readModelHeader } from '../../src/model/modelFile';
import type { LoadRecord } from '../../src/emu/measureModel';
import type { StepRecord } from '../../src/emu/stepProbe';
import { nnls } from './nnls';
import { SweepShapes, shapeFile } from './shapes';
import type { SweepRecord } from './sweepJob';

export interface MemoryRow {
  shape: string;
  dtype: string;
  params: number;
  mode: LoadMode;
  /** The load as the estimate sees it: its zone in this mode, and the mode auto would pick. */
  zone: Zone;
  autoMode: LoadMode | null;
  /** The load's first in its boot (a fresh heap), or after an unload. */
  startup: boolean;
  /** loaded, fallback (ran out of memory, then loaded streamed) or the error code. */
  outcome: string;
  liveEstimate: number;
  liveMeasured?: number;
  peakEstimate: number;
  peakMeasured?: number;
  /** The estimate's peak plus the reserve: what the zones judge. */
  required: number;
  modelEstimate: number;
  modelMeasured?: number;
  model: EstimateModel;
  parts: BoardParts;
  load: LoadRecord;
  probeOverhead: number;
  /** liveMeasured comes from the plain run (board/code.py), not the probe's. */
  livePlain: boolean;
}

/** The step that ran a load's decision (cmds.load_start), and the others by name. */
export function decisionStep(steps: readonly StepRecord[]): StepRecord | undefined {
  return steps.find((s) => s.step === 'measured:autoload' || s.step === 'measured:c_load');
}

function step(steps: readonly StepRecord[], name: string): StepRecord | undefined {
  return steps.find((s) => s.step === name);
}

export function memoryRows(records: readonly SweepRecord[]): MemoryRow[] {
  const rows: MemoryRow[] = [];
  const board = boardProfile('pico-cp9');
  for (const r of records) {
    if (r.path !== 'ulab') continue;
    const shape = SweepShapes.find((s) => s.name === r.shape);
    if (!shape) continue;
    const header = readModelHeader(shapeFile(shape));
    const model = estimateModelFromHeader(header);
    const auto: MemoryEstimate = estimate(model, board, { ulab: true });
    r.measurement.loads.forEach((load, i) => {
      const e = auto[load.mode];
      const parts = boardParts(model, load.mode, true);
      const o = r.measurement.probeOverhead;
      const peak = load.loaded && load.steps.length ? Math.max(...load.steps.map((s) => s.max)) - o : undefined;
      // What a user's board has (board/code.py): the plain run's load of this mode; else the probe's, less its wrapper.
      const plain = r.plain?.loads[i]?.mode === load.mode ? r.plain.loads[i] : undefined;
      const user = plain ?? load;
      const live = plain ? plain.allocAfterGenerating : load.allocAfterGenerating !== undefined ? load.allocAfterGenerating - o : undefined;
      rows.push({
        shape: r.shape,
        dtype: r.dtype,
        params: header.parameterCount,
        mode: load.mode,
        zone: e.zone,
        autoMode: auto.mode,
        startup: i === 0,
        outcome: user.loaded
          ? user.generationError
            ? `loaded, then ${user.generationError.code} generating`
            : user.loaded.fallback ? 'fallback' : 'loaded'
          : (user.error?.code ?? 'error'),
        liveEstimate: e.liveAfterLoad,
        ...(live !== undefined ? { liveMeasured: live } : {}),
        peakEstimate: e.peak,
        ...(peak !== undefined ? { peakMeasured: peak } : {}),
        required: e.required,
        modelEstimate: parts.live,
        ...(user.loaded ? { modelMeasured: user.loaded.model_bytes } : {}),
        model,
        parts,
        load,
        probeOverhead: o,
        livePlain: plain?.allocAfterGenerating !== undefined,
      });
    });
  }
  return rows;
}

export interface SuggestedConstants {
  objects: { modelAndConfig: number; perMat: number; perLayer: number; perView: number; file: number };
  header: { code: number; perByte: number; perTensor: number; perWord: number };
  load: { code: number; perTensor: number };
  runtimeImport: number;
  /** runtimeImport is measured under board/code.py (the sweep's plain runs), so --write may store it. */
  runtimeFromPlain: boolean;
  /** Rows each fit used. */
  counts: { objects: number; header: number; load: number };
}

/** Buffers of a load, exactly as the loader allocates them (everything in `live` but the objects). */
function buffers(p: BoardParts): number {
  return p.live - p.objects;
}

function views(model: EstimateModel, mode: LoadMode): number {
  const c = model.config;
  let n = 2 * 2 * c.n_layers + 7;
  for (const t of model.tensors) if (t.name.endsWith('.scale') || t.shape.length === 1 || mode === 'resident') n++;
  return n;
}

const mats = (m: EstimateModel): number => m.tensors.filter((t) => t.shape.length === 2).length;

/** Refits the board's constants from the firmware's measurements (ulab loads that succeeded). */
export function suggestConstants(rows: readonly MemoryRow[]): SuggestedConstants {
  const ok = rows.filter((r) => r.load.loaded && !r.load.loaded.fallback);
  // The model's objects: its heap beyond the buffers. Matrices and layers go together (six matrices a layer), so the
  // layer's share keeps its VM figure and the rest is fitted.
  const perLayer = BoardC.LAYER_OBJ;
  const objRows = ok.map((r) => [1, mats(r.model), views(r.model, r.mode), r.mode === 'streamed' ? 1 : 0]);
  const objY = ok.map((r) => (r.modelMeasured as number) - buffers(r.parts) - perLayer * r.model.config.n_layers);
  const [modelAndConfig, perMat, perView, file] = nnls(objRows, objY);
  // The decision step of a start-up load (it also compiles the modules a model runs with). The header's length
  // and its tensor count go together, so its bytes keep their VM figure.
  const perByte = BoardC.HEADER_PER_BYTE;
  const dec = ok.filter((r) => r.startup && decisionStep(r.load.steps));
  const headerRows = dec.map((r) => [1, r.model.tensors.length, r.model.config.vocab_size]);
  const headerY = dec.map((r) => {
    const s = decisionStep(r.load.steps) as StepRecord;
    return s.max - s.before - perByte * r.model.headerLength;
  });
  const [code, perTensor, perWord] = nnls(headerRows, headerY);
  // The load step beyond the live model: load_finish's bound minus the live heap the next step starts from.
  const fin = ok.filter((r) => step(r.load.steps, 'load_finish') && step(r.load.steps, 'report_loaded'));
  const loadRows = fin.map((r) => [1, r.model.tensors.length]);
  const loadY = fin.map((r) => (step(r.load.steps, 'load_finish') as StepRecord).max - (step(r.load.steps, 'report_loaded') as StepRecord).before);
  const [loadCode, loadPerTensor] = nnls(loadRows, loadY);
  // The runtime beside a running model: the median of what each load's live heap holds beyond its model part (as
  // refitted above). Not the largest: a few loads keep ~3-10 KB more alive (after a collection; CircuitPython's
  // collector is conservative), and fitting them would put every other live estimate that much high.
  // The model's part as the committed constants size it (its objects keep their VM-measured figures, see
  // writeConstants.ts), with the refitted open file.
  const refitted = (r: MemoryRow): number => r.parts.live + (r.mode === 'streamed' ? Math.round(file / 16) * 16 - BoardC.FILE_OBJ : 0);
  // Only what board/code.py holds (the plain runs) when the records have it: the probe keeps more alive.
  const measured = ok.filter((r) => r.liveMeasured !== undefined);
  const plain = measured.filter((r) => r.livePlain);
  const live = (plain.length ? plain : measured).map((r) => ({ measured: r.liveMeasured as number, model: refitted(r) }));
  return {
    objects: { modelAndConfig, perMat, perLayer, perView, file },
    header: { code, perByte, perTensor, perWord },
    load: { code: loadCode, perTensor: loadPerTensor },
    runtimeImport: live.length ? medianOffset(live) : HostC.runtimeImportBytes,
    runtimeFromPlain: plain.length > 0,
    counts: { objects: ok.length, header: dec.length, load: fin.length },
  };
}

/** The median of measured - model over the loads. */
export function medianOffset(rows: readonly { measured: number; model: number }[]): number {
  const d = rows.map((r) => r.measured - r.model).sort((a, b) => a - b);
  const mid = d.length >> 1;
  return d.length % 2 ? d[mid] : (d[mid - 1] + d[mid]) / 2;
}

/** The constants as they are now, in the suggestion's terms, for the report. */
export function currentConstants(): SuggestedConstants {
  return {
    objects: { modelAndConfig: BoardC.MODEL_OBJ + BoardC.CONFIG_OBJ, perMat: BoardC.MAT_OBJ, perLayer: BoardC.LAYER_OBJ, perView: BoardC.NDARRAY_OBJ, file: BoardC.FILE_OBJ },
    header: { code: BoardC.HEADER_CODE, perByte: BoardC.HEADER_PER_BYTE, perTensor: BoardC.HEADER_PER_TENSOR, perWord: BoardC.HEADER_PER_WORD },
    load: { code: BoardC.LOAD_CODE, perTensor: BoardC.LOAD_PER_TENSOR },
    runtimeImport: HostC.runtimeImportBytes,
    runtimeFromPlain: false,
    counts: { objects: 0, header: 0, load: 0 },
  };
}
