// From trained weights to model files: the float32 model, its conversion (int8 by default), and how far the
// conversion moves the logits on validation text (compareLogits).
import type { ModelConfig } from '../model/config';
import type { Model } from '../model/modelFile';
import { type LogitError, compareLogits, convertModel } from '../model/quantize';
import type { Dtype, Tensor } from '../model/tensor';
import { paramLayout } from './paramLayout';

/** The float32 model (tensors copied out of the flat buffer). */
export function modelFromParams(config: ModelConfig, vocab: string[], params: Float32Array, metadata: Record<string, string>): Model {
  const tensors = new Map<string, Tensor>();
  for (const s of paramLayout(config).slices) {
    tensors.set(s.name, { dtype: 'F32', shape: [...s.shape], data: params.slice(s.offset, s.offset + s.size) });
  }
  return { config, vocab, tensors, extraMetadata: metadata };
}

/** The flat buffer of a float model (for tests and for continuing from a model file). */
export function paramsFromModel(model: Model): Float32Array {
  const layout = paramLayout(model.config);
  const params = new Float32Array(layout.total);
  for (const s of layout.slices) {
    const t = model.tensors.get(s.name);
    if (t === undefined || t.dtype === 'I8') throw new Error(`tensor "${s.name}" is missing or not float`);
    params.set(t.data, s.offset);
  }
  return params;
}

/** The model as written (its config's KV cache kept) and its logit error against the float weights with the float32
 *  cache: the error of everything the board does differently, weights and cache together. */
export function exportModel(float: Model, dtype: Dtype, sequences: number[][]): { model: Model; error: LogitError } {
  const model = dtype === 'F32' ? float : convertModel(float, dtype);
  const reference: Model = { ...float, config: { ...float.config, kv_cache: 'float32' } };
  return { model, error: compareLogits(reference, model, sequences) };
}
