// The memory estimate of a model on a board: what each part costs, the peak, the live heap after loading, the
// headroom, the load mode it needs and its zone. Input is the parsed header only, so this is cheap.
import { type KvCacheKind, kvCacheOf } from '../model/config';
import type { Dtype } from '../model/tensor';
import type { BoardProfile } from './boards';
import { type BoardParts, type LoadMode, boardParts } from './boardParts';
import { BoardC, HostC } from './constants';
import { type EstimateModel, withKvCache, withMatrixDtype } from './input';
import { type LegacyEstimate, legacyEstimate } from './legacy';
import { type SpeedPrediction, predictSpeed } from './speed';
import { type Zone, classifyZone } from './zones';

export type ModeOption = LoadMode | 'auto';

export interface EstimateOptions {
  /** Run with a shorter context than the model's (a smaller KV cache): 1..config.context_length. */
  contextLength?: number;
  /** Estimate the model as deployed with every matrix in this dtype (int8 is the default deployment). */
  dtype?: Dtype;
  /** Estimate the model with this KV cache instead of its config's (docs/format.md "KV cache"). */
  kvCache?: KvCacheKind;
  /** resident, streamed, or auto (default): resident if it fits, else streamed if that fits. */
  mode?: ModeOption;
  /** Whether the board has ulab (CircuitPython's Pico builds do): one ndarray view per buffer. Default true. */
  ulab?: boolean;
}

/** Heap bytes per part. Everything here is counted once in `peak` (see ModeEstimate). */
export interface Breakdown {
  /** Our runtime's modules once imported (bytecode, functions, module dicts). */
  runtimeImport: number;
  /** Resident weight matrices and norm weights. */
  weights: number;
  /** Per-row int8 scales. */
  scales: number;
  kvCache: number;
  /** Activation and scratch buffers: x, q, hidden, attention scores, logits, top-k values, the token sequence. */
  activations: number;
  /** The runtime's Python objects around the buffers: a Mat per matrix, the Model, the config dict, the open
   *  file in streamed mode, ulab views. */
  runtimeObjects: number;
  /** The packed vocabulary: one UTF-8 blob, its offsets and special flags. */
  vocabulary: number;
  /** Streamed mode: the reusable buffer each chunk of a weight matrix is read into. */
  streamBuffer: number;
  /** Alive only during the load step, beyond the buffers: the loader code it imports (compile garbage included),
   *  the tensor table and the F16 conversion chunk. */
  loadTransient: number;
  /** Peak of the header step (before any buffer exists): the code it imports plus the parse. */
  headerParse: number;
  /** Free heap the board keeps beyond the peak (fragmentation, stack, printing): memest.MARGIN. */
  fragmentationReserve: number;
}

export interface ModeEstimate {
  mode: LoadMode;
  breakdown: Breakdown;
  /** Live heap once the model is loaded: the sum of the breakdown's parts up to streamBuffer. */
  liveAfterLoad: number;
  /** The most the heap holds at once: max(import peak, import + max(live + load transient, header parse)). */
  peak: number;
  /** peak + fragmentation reserve: what must fit in the board's heap. */
  required: number;
  /** Board heap minus required (negative when it does not fit). */
  headroom: number;
  /** The biggest single allocation. */
  largestAllocation: number;
  /** Whether the model file fits on the board's drive. */
  fitsDrive: boolean;
  /** required <= the board's budget (and the file fits the drive): what auto mode selection goes by. */
  fitsBudget: boolean;
  zone: Zone;
}

export interface MemoryEstimate {
  board: BoardProfile;
  /** The chosen (or forced) mode, or null when it cannot load at all (zone impossible). */
  mode: LoadMode | null;
  zone: Zone;
  /** The numbers of the chosen mode; when nothing fits, of the mode that came closest. */
  chosen: ModeEstimate;
  resident: ModeEstimate;
  streamed: ModeEstimate;
  contextLength: number;
  /** The KV cache estimated: the config's, or the one asked for. */
  kvCache: KvCacheKind;
  /** The old list-of-floats runtime on the same model. */
  legacy: LegacyEstimate;
  /** Size of the model file as estimated (after any dtype conversion). */
  fileBytes: number;
  /** About how fast it decodes in the chosen mode (src/memory/speed.ts), or null: it does not fit, or the board
   *  is one no speed is predicted for. */
  speed: SpeedPrediction | null;
}

export function estimate(model: EstimateModel, board: BoardProfile, options: EstimateOptions = {}): MemoryEstimate {
  const ctx = options.contextLength ?? model.config.context_length;
  if (!Number.isInteger(ctx) || ctx < 1 || ctx > model.config.context_length) {
    throw new RangeError(`Context length must be a whole number in 1..${model.config.context_length} (the model's), got ${ctx}.`);
  }
  const typed = options.dtype === undefined ? model : withMatrixDtype(model, options.dtype);
  const deployed = options.kvCache === undefined ? typed : withKvCache(typed, options.kvCache);
  const ulab = options.ulab ?? true;
  const resident = modeEstimate(deployed, board, 'resident', ulab, ctx);
  const streamed = modeEstimate(deployed, board, 'streamed', ulab, ctx);
  const requested = options.mode ?? 'auto';
  // auto: resident if it fits the budget, else streamed if that does, else whichever needs less (danger or
  // impossible by its zone). A forced mode is taken as it is.
  let chosen: ModeEstimate;
  if (requested === 'resident') chosen = resident;
  else if (requested === 'streamed') chosen = streamed;
  else if (resident.fitsBudget) chosen = resident;
  else if (streamed.fitsBudget) chosen = streamed;
  else chosen = resident.fitsDrive && resident.required <= streamed.required ? resident : streamed;
  const mode = chosen.zone === 'impossible' ? null : chosen.mode;
  return {
    board,
    mode,
    zone: chosen.zone,
    chosen,
    resident,
    streamed,
    contextLength: ctx,
    kvCache: kvCacheOf(deployed.config),
    legacy: legacyEstimate(deployed, board, ctx),
    fileBytes: deployed.fileSize,
    speed: mode !== null && board.speedChip === 'rp2040' ? predictSpeed(deployed, { mode, ulab }) : null,
  };
}

function modeEstimate(model: EstimateModel, board: BoardProfile, mode: LoadMode, ulab: boolean, ctx: number): ModeEstimate {
  const p: BoardParts = boardParts(model, mode, ulab, ctx);
  const breakdown: Breakdown = {
    runtimeImport: HostC.runtimeImportBytes,
    weights: p.weights + p.norms,
    scales: p.scales,
    kvCache: p.kvCache,
    activations: p.activations,
    runtimeObjects: p.objects,
    vocabulary: p.vocab,
    streamBuffer: p.layerBuffer,
    loadTransient: p.transient,
    headerParse: p.header,
    fragmentationReserve: BoardC.MARGIN,
  };
  const liveAfterLoad = HostC.runtimeImportBytes + p.live;
  const peak = Math.max(HostC.runtimeImportPeakBytes, HostC.runtimeImportBytes + p.total);
  const required = peak + BoardC.MARGIN;
  const fitsDrive = model.fileSize <= board.driveBytes - HostC.runtimeDriveBytes;
  const zone = fitsDrive ? classifyZone(required, p.largest, board) : 'impossible';
  const fitsBudget = fitsDrive && required <= board.heapBytes;
  return { mode, breakdown, liveAfterLoad, peak, required, headroom: board.heapBytes - required, largestAllocation: p.largest, fitsDrive, fitsBudget, zone };
}
