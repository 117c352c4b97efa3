// picoformer/1 on top of safetensors: metadata, config, vocab and a tensor table checked against the config.
// Two levels: the header alone (cheap, for listing and estimating) and the full model (weights decoded and checked).
import { type ModelConfig, validateConfig } from './config';
import { fail } from './errors';
import { JsonTextError, parseJsonText } from './jsonText';
import { f16BitsToNumber, f32ToF16Bits } from './f16';
import { ScaleSuffix, type TensorSpec, tensorLayout } from './layout';
import { parameterCount } from './params';
import {
  type SafetensorsHeader,
  type TensorEntry,
  type TensorToWrite,
  readSafetensorsHeader,
  tensorBytes,
  writeSafetensors,
} from './safetensors';
import type { Dtype, Tensor } from './tensor';
import { validateVocab } from './vocab';

export const FormatId = 'picoformer/1';

export interface Model {
  config: ModelConfig;
  vocab: string[];
  /** Keyed by tensor name (scales live inside their I8 tensor, not as entries). */
  tensors: Map<string, Tensor>;
  /** Metadata other than format/config/vocab (name, created_by, training...), kept as is. */
  extraMetadata: Record<string, string>;
}

export interface ModelHeader {
  config: ModelConfig;
  vocab: string[];
  extraMetadata: Record<string, string>;
  container: SafetensorsHeader;
  /** The weight tensors (no scales) with their dtypes, in file order. */
  tensors: { name: string; dtype: Dtype; shape: number[]; bytes: number; scaleBytes: number }[];
  parameterCount: number;
  fileSize: number;
}

/** Validates the picoformer/1 layer of an already parsed (and container-checked) header. */
export function parseModelHeader(container: SafetensorsHeader): ModelHeader {
  const meta = container.metadata;
  if (meta === undefined) fail('metadata_missing', 'no __metadata__: this is a safetensors file but not a picoformer model');
  for (const key of ['format', 'config', 'vocab']) {
    if (!Object.hasOwn(meta, key)) fail('metadata_missing', `__metadata__ has no "${key}"`);
  }
  if (meta.format !== FormatId) fail('metadata_unknown', `__metadata__.format is "${meta.format}", expected "${FormatId}"`);
  const config = validateConfig(parseJsonString(meta.config, 'config'));
  const vocab = validateVocab(parseJsonString(meta.vocab, 'vocab'), config);
  const extraMetadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta)) if (k !== 'format' && k !== 'config' && k !== 'vocab') extraMetadata[k] = v;
  const tensors = checkTensorTable(container.tensors, tensorLayout(config));
  return {
    config,
    vocab,
    extraMetadata,
    container,
    tensors,
    parameterCount: parameterCount(config),
    fileSize: container.dataStart + container.dataLength,
  };
}

/** Header-level validation of a whole file in memory (no weight is decoded). */
export function readModelHeader(file: Uint8Array): ModelHeader {
  return parseModelHeader(readSafetensorsHeader(file));
}

/**
 * Full validation: header, then every weight decoded and checked. NaN/Inf anywhere is refused before a negative
 * scale anywhere (docs/format.md "Order of checks": the board reads tensors in file order, not this one).
 */
export function readModel(file: Uint8Array): Model {
  const header = readModelHeader(file);
  const entries = new Map(header.container.tensors.map((e) => [e.name, e]));
  const tensors = new Map<string, Tensor>();
  let negative: (() => never) | undefined;
  for (const t of header.tensors) {
    const entry = entries.get(t.name) as TensorEntry;
    const bytes = tensorBytes(file, header.container, entry);
    if (t.dtype === 'I8') {
      const scaleEntry = entries.get(t.name + ScaleSuffix) as TensorEntry;
      const scale = decodeF32(tensorBytes(file, header.container, scaleEntry), t.name + ScaleSuffix);
      const row = scale.findIndex((s) => s < 0);
      if (row >= 0 && negative === undefined) {
        negative = () => fail('scale_invalid', `tensor "${t.name}${ScaleSuffix}": row ${row} has a negative scale ${scale[row]}`);
      }
      const data = new Int8Array(bytes.length);
      data.set(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length));
      tensors.set(t.name, { dtype: 'I8', shape: t.shape as [number, number], data, scale });
    } else {
      const data = t.dtype === 'F32' ? decodeF32(bytes, t.name) : decodeF16(bytes, t.name);
      tensors.set(t.name, { dtype: t.dtype, shape: t.shape, data });
    }
  }
  if (negative !== undefined) negative();
  return { config: header.config, vocab: header.vocab, tensors, extraMetadata: header.extraMetadata };
}

/** Writes a model in the tensor order of docs/format.md; refuses (ModelFormatError) anything it could not read back. */
export function writeModel(model: Model): Uint8Array {
  const toWrite: TensorToWrite[] = [];
  for (const spec of tensorLayout(model.config)) {
    const t = model.tensors.get(spec.name);
    if (t === undefined) fail('tensor_missing', `cannot write: tensor "${spec.name}" is missing`);
    const count = spec.shape.reduce((a, b) => a * b, 1);
    if (!sameShape(t.shape, spec.shape) || t.data.length !== count || (t.dtype === 'I8' && t.scale.length !== spec.shape[0])) {
      fail('shape_mismatch', `cannot write: tensor "${spec.name}" does not hold a ${JSON.stringify(spec.shape)} ${t.dtype} tensor`);
    }
    if (t.dtype === 'I8') {
      toWrite.push({ name: spec.name, dtype: 'I8', shape: t.shape, bytes: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.length) });
      toWrite.push({ name: spec.name + ScaleSuffix, dtype: 'F32', shape: [t.scale.length], bytes: encodeF32(t.scale) });
    } else {
      toWrite.push({ name: spec.name, dtype: t.dtype, shape: t.shape, bytes: t.dtype === 'F32' ? encodeF32(t.data) : encodeF16(t.data) });
    }
  }
  for (const name of model.tensors.keys()) {
    if (!toWrite.some((t) => t.name === name)) fail('tensor_unknown', `cannot write: tensor "${name}" is not part of this config`);
  }
  for (const key of ['format', 'config', 'vocab']) {
    if (Object.hasOwn(model.extraMetadata, key)) fail('metadata_invalid', `cannot write: extra metadata may not set "${key}"`);
  }
  const metadata = {
    format: FormatId,
    config: JSON.stringify(model.config),
    vocab: JSON.stringify(model.vocab),
    ...model.extraMetadata,
  };
  const file = writeSafetensors(toWrite, metadata);
  readModel(file); // the writer never produces a file the reader would refuse
  return file;
}

/**
 * The tensor table against the config, each check over every tensor before the next (docs/format.md "Order of
 * checks"): names the config does not call for, then dtypes, then shapes, then what is missing.
 */
function checkTensorTable(entries: readonly TensorEntry[], layout: readonly TensorSpec[]): ModelHeader['tensors'] {
  const specs = new Map(layout.map((s) => [s.name, s]));
  const byName = new Map(entries.map((e) => [e.name, e]));
  /** The matrix a `.scale` entry belongs to (undefined: not a scale). */
  const ownerOf = (e: TensorEntry) => (e.name.endsWith(ScaleSuffix) ? e.name.slice(0, -ScaleSuffix.length) : undefined);
  for (const e of entries) {
    const base = ownerOf(e);
    if (base === undefined) {
      if (!specs.has(e.name)) fail('tensor_unknown', `tensor "${e.name}" is not part of a picoformer/1 model with this config`);
      continue;
    }
    if (specs.get(base)?.kind !== 'matrix') fail('tensor_unknown', `tensor "${e.name}" is a scale for "${base}", which is not a matrix of this model`);
    const owner = byName.get(base);
    if (owner !== undefined && owner.dtype !== 'I8') fail('tensor_unknown', `tensor "${e.name}" is a scale, but "${base}" is ${owner.dtype}, not I8`);
  }
  for (const e of entries) {
    if (ownerOf(e) !== undefined) {
      if (e.dtype !== 'F32') fail('dtype_invalid', `tensor "${e.name}" is ${e.dtype}; scales must be F32`);
      continue;
    }
    const allowed = (specs.get(e.name) as TensorSpec).kind === 'matrix' ? ['F32', 'F16', 'I8'] : ['F32', 'F16'];
    if (!allowed.includes(e.dtype)) fail('dtype_invalid', `tensor "${e.name}" is ${e.dtype}; it must be ${allowed.join(' or ')}`);
  }
  for (const e of entries) {
    const base = ownerOf(e);
    if (base === undefined) {
      const want = (specs.get(e.name) as TensorSpec).shape;
      if (!sameShape(e.shape, want)) fail('shape_mismatch', `tensor "${e.name}" has shape ${JSON.stringify(e.shape)}, the config needs ${JSON.stringify(want)}`);
    } else {
      const rows = (specs.get(base) as TensorSpec).shape[0];
      if (!sameShape(e.shape, [rows])) fail('shape_mismatch', `tensor "${e.name}" has shape ${JSON.stringify(e.shape)}, expected [${rows}] (one scale per row)`);
    }
  }
  return layout.map((spec) => {
    const e = byName.get(spec.name);
    if (e === undefined) fail('tensor_missing', `tensor "${spec.name}" (${JSON.stringify(spec.shape)}) is missing`);
    const scale = e.dtype === 'I8' ? byName.get(spec.name + ScaleSuffix) : undefined;
    if (e.dtype === 'I8' && scale === undefined) fail('tensor_missing', `tensor "${spec.name}${ScaleSuffix}" is missing (every I8 matrix needs its row scales)`);
    return { name: spec.name, dtype: e.dtype as Dtype, shape: [...spec.shape], bytes: e.end - e.begin, scaleBytes: scale ? scale.end - scale.begin : 0 };
  });
}

/** A JSON text inside the metadata (config, vocab): the header's grammar and nesting bound, floats allowed. */
function parseJsonString(text: string, key: string): unknown {
  try {
    return parseJsonText(text, false);
  } catch (err) {
    if (!(err instanceof JsonTextError)) throw err;
    fail('metadata_invalid', `__metadata__.${key} ${err.message}`);
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function decodeF32(bytes: Uint8Array, name: string): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) {
    const v = view.getFloat32(i * 4, true);
    if (!Number.isFinite(v)) fail('non_finite', `tensor "${name}" has ${v} at element ${i}`);
    out[i] = v;
  }
  return out;
}

function decodeF16(bytes: Uint8Array, name: string): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out = new Float32Array(bytes.length / 2);
  for (let i = 0; i < out.length; i++) {
    const v = f16BitsToNumber(view.getUint16(i * 2, true));
    if (!Number.isFinite(v)) fail('non_finite', `tensor "${name}" has ${v} at element ${i}`);
    out[i] = v;
  }
  return out;
}

function encodeF32(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 4);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

function encodeF16(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => view.setUint16(i * 2, f32ToF16Bits(v), true));
  return out;
}
