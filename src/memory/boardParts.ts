// What the board runtime's loader allocates for a model, part by part: the same arithmetic as
// board/lib/picoformer/memest.py `estimate()`, which the board uses to decide whether a model fits. A unit test runs
// both on the same models and requires equal figures, so keep the two in step (the list of allocations is the
// note at the top of memest.py).
import { kvCacheOf } from '../model/config';
import { ScaleSuffix } from '../model/layout';
import { BoardC, arrayCost, roundToBlock } from './constants';
import { DtypeBytes, type EstimateModel, elementCount } from './input';

export type LoadMode = 'resident' | 'streamed';

/** The parts of memest.estimate(), in bytes (names as there, camelCased). */
export interface BoardParts {
  weights: number;
  scales: number;
  norms: number;
  kvCache: number;
  activations: number;
  /** Streamed mode: the reusable buffer(s) each chunk of a matrix is read into. */
  layerBuffer: number;
  vocab: number;
  /** Python objects around the buffers: Mat per matrix, tuple per layer, Model, config dict, open file, views. */
  objects: number;
  /** Alive only during the load step, beyond the buffers: the loader's code, the tensor table, the step's
   *  garbage and the F16 conversion chunk. */
  transient: number;
  /** Peak of the header step, before any buffer exists: its code plus the parse. */
  header: number;
  /** Everything alive once the model is loaded. */
  live: number;
  /** The most the model needs at once: max(live + transient, header). */
  total: number;
  /** The biggest single buffer: it needs one contiguous run of free heap. */
  largest: number;
}

/** Rows of one matrix read per streamed unit: whole rows, up to STREAM_CHUNK bytes (at least one row). */
export function unitRows(rows: number, rowBytes: number): number {
  return Math.min(rows, Math.max(1, Math.floor(BoardC.STREAM_CHUNK / rowBytes)));
}

export function boardParts(model: EstimateModel, mode: LoadMode, ulab: boolean, contextLength?: number): BoardParts {
  const c = model.config;
  const ctx = contextLength ?? c.context_length;
  const streamed = mode === 'streamed';
  let weights = 0;
  let scales = 0;
  let norms = 0;
  let views = 0;
  let mats = 0;
  let hasF16 = false;
  const unit = { b: 0, f: 0 }; // largest streamed unit in elements, per buffer kind
  let f16Unit = 0;
  let largest = 0;
  const buffer = (bytes: number): number => {
    const cost = arrayCost(bytes);
    largest = Math.max(largest, cost);
    return cost;
  };
  for (const t of model.tensors) {
    const n = elementCount(t.shape);
    if (t.dtype === 'F16') hasF16 = true;
    if (t.name.endsWith(ScaleSuffix)) {
      scales += buffer(4 * n);
      views++;
    } else if (t.shape.length === 1) {
      norms += buffer(4 * n);
      views++;
    } else {
      mats++;
      if (!streamed) {
        weights += buffer(t.dtype === 'I8' ? n : 4 * n);
        views++;
      } else {
        const u = unitRows(t.shape[0], t.shape[1] * DtypeBytes[t.dtype]) * t.shape[1];
        const kind = t.dtype === 'I8' ? 'b' : 'f';
        unit[kind] = Math.max(unit[kind], u);
        if (t.dtype === 'F16') f16Unit = Math.max(f16Unit, u);
      }
    }
  }
  let layerBuffer = 0;
  if (streamed) {
    if (unit.b > 0) layerBuffer += buffer(unit.b);
    if (unit.f > 0) layerBuffer += buffer(4 * unit.f);
    if (f16Unit > 0) layerBuffer += buffer(2 * f16Unit);
  }
  // Keys and values per layer: float32, or int8 items plus one float32 scale per position (a 2D view and, for int8,
  // a scale view each with ulab).
  const kv8 = kvCacheOf(c) === 'int8';
  const kvCache = 2 * c.n_layers * (kv8 ? buffer(ctx * c.dim) + buffer(4 * ctx) : buffer(4 * ctx * c.dim));
  // x, xb, xb2, q (dim); hb (hidden); att (ctx, only without ulab: ulab scores in its own temporaries); logits and
  // topv (vocab); seq 'H' (ctx). With ulab six of them are read through views (x, xb, xb2, q, hb, logits).
  const activations =
    4 * buffer(4 * c.dim) + buffer(4 * c.hidden_dim) + (ulab ? 0 : buffer(4 * ctx)) + 2 * buffer(4 * c.vocab_size) + buffer(2 * ctx);
  views += (kv8 ? 2 : 1) * 2 * c.n_layers + 6;
  const v = c.vocab_size;
  const vocab =
    BoardC.BYTES_OBJ + roundToBlock(model.vocabBytes + 1) + arrayCost((model.vocabBytes < 65536 ? 2 : 4) * (v + 1)) + arrayCost(v);
  let objects = BoardC.MODEL_OBJ + BoardC.CONFIG_OBJ + mats * (streamed ? BoardC.MAT_STREAMED_OBJ : BoardC.MAT_OBJ) + c.n_layers * BoardC.LAYER_OBJ;
  if (streamed) objects += BoardC.FILE_OBJ;
  if (ulab) objects += views * BoardC.NDARRAY_OBJ;
  // Steps (board loading.py): load_header imports its code and the loader's and parses the header; load_finish
  // allocates the buffers with the loader still imported and the tensor table alive. Code figures include compile
  // garbage (an upper bound).
  const t = model.tensors.length;
  const transient = BoardC.LOAD_CODE + t * BoardC.LOAD_PER_TENSOR + (hasF16 ? arrayCost(BoardC.F16_CHUNK) : 0);
  const header = BoardC.HEADER_CODE + BoardC.HEADER_PER_BYTE * model.headerLength + BoardC.HEADER_PER_TENSOR * t + BoardC.HEADER_PER_WORD * v;
  const live = weights + scales + norms + kvCache + activations + layerBuffer + vocab + objects;
  return {
    weights,
    scales,
    norms,
    kvCache,
    activations,
    layerBuffer,
    vocab,
    objects,
    transient,
    header,
    live,
    total: Math.max(live + transient, header),
    largest,
  };
}

/** The board's own test (memest.fits): the model fits when its total plus the safety margin is free. */
export function fitsFree(parts: BoardParts, freeBytes: number): boolean {
  return parts.total + BoardC.MARGIN <= freeBytes;
}
