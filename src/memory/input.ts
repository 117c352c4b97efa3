// What the estimator needs to know about a model: sizes, tensor dtypes, vocabulary and header length. All of it is
// in the file's header, so estimating never reads weights.
import { type KvCacheKind, type ModelConfig, kvCacheKey } from '../model/config';
import { ScaleSuffix, tensorLayout } from '../model/layout';
import type { ModelHeader } from '../model/modelFile';
import type { Dtype } from '../model/tensor';

export interface TensorShape {
  name: string;
  dtype: Dtype;
  shape: readonly number[];
}

export interface EstimateModel {
  config: ModelConfig;
  /** Every tensor in the file, `.scale` tensors included (as the board's header table lists them). */
  tensors: readonly TensorShape[];
  /** UTF-8 bytes of all vocabulary entries together (the board packs them into one blob). */
  vocabBytes: number;
  /** N, the JSON header's length (the board reads and parses it whole). */
  headerLength: number;
  fileSize: number;
}

const DtypeBytes: Readonly<Record<Dtype, number>> = { F32: 4, F16: 2, I8: 1 };
const utf8 = new TextEncoder();

export function vocabUtf8Bytes(vocab: readonly string[]): number {
  return vocab.reduce((sum, w) => sum + utf8.encode(w).length, 0);
}

/** From a parsed header (src/model/modelFile.ts): exact, this is what the board will see. */
export function estimateModelFromHeader(header: ModelHeader): EstimateModel {
  return {
    config: header.config,
    tensors: header.container.tensors.map((t) => ({ name: t.name, dtype: t.dtype as Dtype, shape: t.shape })),
    vocabBytes: vocabUtf8Bytes(header.vocab),
    headerLength: header.container.headerLength,
    fileSize: header.fileSize,
  };
}

/** Bytes of header JSON per tensor entry, for models that exist only as a config (measured on written files:
 *  `"layers.0.wq":{"dtype":"I8","shape":[16,16],"data_offsets":[1234,1490]},` is 60-75 bytes). */
const HeaderBytesPerTensor = 72;

/** A model that exists only as a config (planning, training): every matrix as `matrixDtype`, norms F32. The
 *  header length is approximated from the config and vocabulary JSON. */
export function estimateModelFromConfig(config: ModelConfig, vocab: readonly string[], matrixDtype: Dtype): EstimateModel {
  const tensors: TensorShape[] = [];
  for (const spec of tensorLayout(config)) {
    const dtype = spec.kind === 'matrix' ? matrixDtype : 'F32';
    tensors.push({ name: spec.name, dtype, shape: spec.shape });
    if (dtype === 'I8') tensors.push({ name: spec.name + ScaleSuffix, dtype: 'F32', shape: [spec.shape[0]] });
  }
  const metadata = JSON.stringify({ format: 'picoformer/1', config: JSON.stringify(config), vocab: JSON.stringify(vocab) });
  const headerLength = Math.ceil((metadata.length + 20 + HeaderBytesPerTensor * tensors.length) / 8) * 8;
  return { config, tensors, vocabBytes: vocabUtf8Bytes(vocab), headerLength, fileSize: 8 + headerLength + dataBytes(tensors) };
}

/** The same model with every matrix converted to `dtype` (what deploying with that quantization produces). */
export function withMatrixDtype(model: EstimateModel, dtype: Dtype): EstimateModel {
  const matrices = new Set(tensorLayout(model.config).filter((s) => s.kind === 'matrix').map((s) => s.name));
  const tensors: TensorShape[] = [];
  let entryDelta = 0;
  for (const t of model.tensors) {
    if (t.name.endsWith(ScaleSuffix)) {
      entryDelta--;
      continue;
    }
    const converted = matrices.has(t.name) ? dtype : t.dtype;
    tensors.push({ ...t, dtype: converted });
    if (converted === 'I8') {
      tensors.push({ name: t.name + ScaleSuffix, dtype: 'F32', shape: [t.shape[0]] });
      entryDelta++;
    }
  }
  const headerLength = Math.max(8, model.headerLength + Math.ceil((entryDelta * HeaderBytesPerTensor) / 8) * 8);
  return { ...model, tensors, headerLength, fileSize: 8 + headerLength + dataBytes(tensors) };
}

/** The same model with another KV cache (what the config key would say; the file's header grows or shrinks by the
 *  key, which the estimate ignores: a few bytes). */
export function withKvCache(model: EstimateModel, kind: KvCacheKind): EstimateModel {
  const { kv_cache: _old, ...config } = model.config;
  return { ...model, config: { ...config, ...kvCacheKey(kind) } };
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function tensorDataBytes(t: TensorShape): number {
  return elementCount(t.shape) * DtypeBytes[t.dtype];
}

function dataBytes(tensors: readonly TensorShape[]): number {
  return tensors.reduce((sum, t) => sum + tensorDataBytes(t), 0);
}

export { DtypeBytes };
