// Shared fixtures for the model tests: a tiny valid model and ways to damage its file.
import assert from 'node:assert/strict';
import { type ModelConfig, makeConfig } from '../../../src/model/config';
import { ModelFormatError, type ModelFormatErrorCode } from '../../../src/model/errors';
import { type Model, writeModel } from '../../../src/model/modelFile';
import { randomModel } from '../../../src/model/random';

export function tinyConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return makeConfig({ vocab_size: 12, dim: 4, hidden_dim: 6, n_layers: 2, n_heads: 2, context_length: 8, ...overrides });
}

export function tinyModel(overrides: Partial<ModelConfig> = {}, seed = 7): Model {
  return randomModel(tinyConfig(overrides), seed);
}

export function tinyFile(overrides: Partial<ModelConfig> = {}): Uint8Array {
  return writeModel(tinyModel(overrides));
}

export function headerOf(file: Uint8Array): { json: Record<string, unknown>; data: Uint8Array } {
  const n = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
  return { json: JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n))), data: file.subarray(8 + n) };
}

/** Rebuilds a file from a header (raw text or object) and data bytes, without any checks. */
export function assemble(header: string | object, data: Uint8Array): Uint8Array {
  const bytes = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + bytes.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(bytes.length), true);
  out.set(bytes, 8);
  out.set(data, 8 + bytes.length);
  return out;
}

/** The file with its header JSON changed by `edit` (data kept). */
export function editHeader(file: Uint8Array, edit: (json: Record<string, unknown>) => void): Uint8Array {
  const { json, data } = headerOf(file);
  edit(json);
  return assemble(json, data);
}

/** The file with its config (inside __metadata__) changed by `edit`. */
export function editConfig(file: Uint8Array, edit: (config: Record<string, unknown>) => void): Uint8Array {
  return editHeader(file, (json) => {
    const meta = json.__metadata__ as Record<string, string>;
    const config = JSON.parse(meta.config);
    edit(config);
    meta.config = JSON.stringify(config);
  });
}

export function entry(json: Record<string, unknown>, name: string): { dtype: string; shape: number[]; data_offsets: number[] } {
  return json[name] as { dtype: string; shape: number[]; data_offsets: number[] };
}

export function assertFormatError(fn: () => unknown, code: ModelFormatErrorCode, message?: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof ModelFormatError, `expected ModelFormatError, got ${String(err)}`);
    assert.equal(err.code, code, `code ${err.code} (${err.message})`);
    if (message) assert.match(err.message, message);
    return true;
  });
}

/** The file without tensor `name`: its bytes cut out and later offsets shifted, so the table stays consistent. */
export function dropTensor(file: Uint8Array, name: string): Uint8Array {
  const { json, data } = headerOf(file);
  const [begin, end] = entry(json, name).data_offsets;
  delete json[name];
  for (const [key, value] of Object.entries(json)) {
    if (key === '__metadata__') continue;
    const e = value as { data_offsets: number[] };
    if (e.data_offsets[0] >= end) e.data_offsets = e.data_offsets.map((o) => o - (end - begin));
  }
  const kept = new Uint8Array(data.length - (end - begin));
  kept.set(data.subarray(0, begin));
  kept.set(data.subarray(end), begin);
  return assemble(json, kept);
}
