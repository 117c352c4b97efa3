// How fast a model generates on a Pico, predicted from its shape: board cycles per token as a sum of measured costs
// (multiply-adds of int8 and float32 matrices, attention, per-layer and per-head call overheads, the vocabulary's
// sampling pass, streamed reads), each fitted on the official CircuitPython 9.2.8 firmware on the emulated RP2040
// (bench/calibrateFirmware.ts; docs/memory.md, "Speed"). A prediction, not a measurement: the emulator does not time
// flash reads (a streamed model reads its weights from flash every token), so a board may be slower streamed.
import { kvCacheOf } from '../model/config';
import { ScaleSuffix } from '../model/layout';
import type { LoadMode } from './boardParts';
import { unitRows } from './boardParts';
import table from './constants.json';
import { DtypeBytes, type EstimateModel, elementCount } from './input';

/** The two forward passes of the runtime: ulab (C matrix products) or pure Python. */
export type SpeedPath = 'ulab' | 'python';

/** What a token costs, counted from the model's shape (per token, at one position). */
export interface SpeedFeatures {
  /** 1: the fixed cost of a step (console, the generation's bookkeeping, embedding, the final norm). */
  token: number;
  /** Layers: the per-layer calls (norms, residuals, activation). */
  layer: number;
  /** Layers x heads: the attention's per-head calls. */
  head: number;
  /** Multiply-adds of int8 matrices (the logit projection included when it is int8). */
  macI8: number;
  /** Multiply-adds of float matrices (F32, and F16 expanded to float). */
  macF32: number;
  /** The same again when the float matrices are resident: what a resident float product costs beyond a streamed
   *  one's, measured on the firmware (the sweep's resident float32 shapes decode slower per multiply-add). */
  macF32Resident: number;
  /** Layers x positions attended x dim: the attention's multiply-adds. */
  attention: number;
  /** The same again when the KV cache is int8: what its rows cost beyond float32 ones (scaled back as they are
   *  used); 0 with a float32 cache. A path not fitted on int8 caches prices them as float32. */
  attentionKv8: number;
  /** Layers, with an int8 KV cache: quantizing the token's key and value into it. */
  layerKv8: number;
  /** Layers x heads x positions attended: pure Python's per-score work (exp, loop). */
  attentionHead: number;
  /** Matrix rows computed: pure Python's per-row overhead. */
  rows: number;
  /** Layers x dim and layers x hidden: element-wise work (norms, residuals, activation). */
  layerDim: number;
  layerHidden: number;
  /** Vocabulary entries: the sampling pass over the logits (sampled decoding only). */
  vocabSampled: number;
  /** Vocabulary entries: the argmax pass (greedy decoding only). */
  vocabGreedy: number;
  /** Streamed: reads per token (one per unit of whole rows, and the embedding rows). */
  units: number;
  /** Streamed: bytes read per token. */
  streamBytes: number;
}

export type SpeedFeature = keyof SpeedFeatures;

export const SpeedFeatureNames: readonly SpeedFeature[] = [
  'token', 'layer', 'head', 'macI8', 'macF32', 'macF32Resident', 'attention', 'attentionKv8', 'layerKv8', 'attentionHead', 'rows', 'layerDim', 'layerHidden',
  'vocabSampled', 'vocabGreedy', 'units', 'streamBytes',
];

export type Sampling = 'sampled' | 'greedy';

export interface SpeedOptions {
  mode: LoadMode;
  /** The board has ulab (CircuitPython's Pico builds do); default true. */
  ulab?: boolean;
  /** The position of the token (0 = BOS); default the calibration's position. */
  position?: number;
  /** Sampled (temperature > 0, the default settings) or greedy decoding. */
  sampling?: Sampling;
}

/** Cycles per unit of each feature, for decoding (a forward pass, then sampling and printing the token) and for
 *  prefill (a forward pass of a prompt token). */
export type SpeedCoefficients = Partial<Record<SpeedFeature, number>>;

export interface SpeedConstants {
  clockHz: number;
  /** The token position the calibration measured at and predictions default to. */
  position: number;
  decode: Record<SpeedPath, SpeedCoefficients>;
  prefill: Record<SpeedPath, SpeedCoefficients>;
}

export const SpeedC: Readonly<SpeedConstants> = table.speed as SpeedConstants;

export interface SpeedPrediction {
  path: SpeedPath;
  mode: LoadMode;
  position: number;
  sampling: Sampling;
  /** Predicted decode speed, tokens per second of board time. */
  tokensPerSecond: number;
  msPerToken: number;
  /** Predicted prefill time per prompt token. */
  prefillMsPerToken: number;
}

/** The features of one token of `model` at `position`. */
export function speedFeatures(model: EstimateModel, options: SpeedOptions): SpeedFeatures {
  const c = model.config;
  const streamed = options.mode === 'streamed';
  const position = options.position ?? SpeedC.position;
  const attention = c.n_layers * (position + 1) * c.dim;
  const kv8 = kvCacheOf(c) === 'int8';
  const f: SpeedFeatures = {
    token: 1, layer: c.n_layers, head: c.n_layers * c.n_heads, macI8: 0, macF32: 0, macF32Resident: 0,
    attention, attentionKv8: kv8 ? attention : 0, layerKv8: kv8 ? c.n_layers : 0, attentionHead: c.n_layers * c.n_heads * (position + 1), rows: 0,
    layerDim: c.n_layers * c.dim, layerHidden: c.n_layers * c.hidden_dim,
    vocabSampled: options.sampling === 'greedy' ? 0 : c.vocab_size, vocabGreedy: options.sampling === 'greedy' ? c.vocab_size : 0,
    units: 0, streamBytes: 0,
  };
  for (const t of model.tensors) {
    if (t.shape.length !== 2 || t.name.endsWith(ScaleSuffix)) continue;
    const [rows, cols] = t.shape;
    const rowBytes = cols * DtypeBytes[t.dtype];
    // An embedding table is read one row per token; the other matrices are multiplied whole (a tied token table
    // is the logit projection too).
    if (streamed && (t.name === 'tok_emb' || t.name === 'pos_emb')) {
      f.units += 1;
      f.streamBytes += rowBytes;
    }
    if (t.name === 'pos_emb' || (t.name === 'tok_emb' && !c.tied_embeddings)) continue;
    const macs = elementCount(t.shape);
    if (t.dtype === 'I8') f.macI8 += macs;
    else {
      f.macF32 += macs;
      if (!streamed) f.macF32Resident += macs;
    }
    f.rows += rows;
    if (streamed) {
      f.units += Math.ceil(rows / unitRows(rows, rowBytes));
      f.streamBytes += rows * rowBytes;
    }
  }
  return f;
}

function cycles(features: SpeedFeatures, coefficients: SpeedCoefficients): number {
  let sum = 0;
  for (const name of SpeedFeatureNames) sum += (coefficients[name] ?? 0) * features[name];
  return sum;
}

/** About how fast `model` decodes on a Pico (RP2040 at 125 MHz, CircuitPython 9.2.8), loaded `options.mode`. */
export function predictSpeed(model: EstimateModel, options: SpeedOptions): SpeedPrediction {
  const path: SpeedPath = options.ulab === false ? 'python' : 'ulab';
  const sampling = options.sampling ?? 'sampled';
  const position = options.position ?? SpeedC.position;
  const features = speedFeatures(model, { ...options, position, sampling });
  const decode = cycles(features, SpeedC.decode[path]);
  const prefill = cycles({ ...features, vocabSampled: 0, vocabGreedy: 0 }, SpeedC.prefill[path]);
  const ms = (n: number): number => (n / SpeedC.clockHz) * 1000;
  return { path, mode: options.mode, position, sampling, tokensPerSecond: SpeedC.clockHz / decode, msPerToken: ms(decode), prefillMsPerToken: ms(prefill) };
}
