// Checkpoint files: everything needed to resume a run exactly (weights, AdamW moments, step, RNG state, settings,
// vocabulary) plus the best weights seen at a validation. Not a model file: export() makes one of those.
// Layout: "PFCKPT01", u32 LE length of the JSON metadata, the JSON (space-padded to 8 bytes), then float32 weights,
// float32 best weights, float64 first moments, float64 second moments; all little-endian.
import { open, readFile } from 'node:fs/promises';
import { writeFileAtomically } from '../files/writeAtomically';
import { type ModelConfig, validateConfig } from '../model/config';
import { validateVocab } from '../model/vocab';
import type { DataOptions } from './data';
import { paramLayout } from './paramLayout';
import type { ProgressPoint } from './protocol';
import { type TrainSettings, settingsProblem } from './settings';

const Magic = 'PFCKPT01';
export const CheckpointFormat = 'picoformer-checkpoint/1';

export interface CheckpointMeta {
  format: typeof CheckpointFormat;
  config: ModelConfig;
  vocab: string[];
  settings: TrainSettings;
  data: DataOptions;
  /** The corpus as given when the run started (for messages; resuming names its corpus again). */
  corpus: string;
  /** A hash of the training tokens: resuming on different text cannot reproduce the run, so it is refused. */
  dataHash: string;
  /** Updates done. */
  step: number;
  rngState: number;
  bestStep: number;
  bestValLoss: number | null;
  elapsedMs: number;
  history: ProgressPoint[];
}

export interface Checkpoint {
  meta: CheckpointMeta;
  params: Float32Array;
  best: Float32Array;
  m: Float64Array;
  v: Float64Array;
}

export function encodeCheckpoint(c: Checkpoint): Uint8Array {
  let json = JSON.stringify(c.meta);
  const base = 8 + 4;
  const pad = (8 - ((base + Buffer.byteLength(json)) % 8)) % 8;
  json += ' '.repeat(pad);
  const head = Buffer.from(json, 'utf8');
  const n = c.params.length;
  const out = new Uint8Array(base + head.length + n * (4 + 4 + 8 + 8));
  out.set(Buffer.from(Magic, 'latin1'), 0);
  new DataView(out.buffer).setUint32(8, head.length, true);
  out.set(head, base);
  let at = base + head.length;
  for (const arr of [c.params, c.best, c.m, c.v]) {
    const bytes = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

/** The metadata of a checkpoint's first bytes (at least its header), checked; `headerBytes` is where the weights start. */
export function decodeCheckpointMeta(bytes: Uint8Array, what = 'checkpoint'): { meta: CheckpointMeta; headerBytes: number } {
  if (bytes.length < 12 || Buffer.from(bytes.subarray(0, 8)).toString('latin1') !== Magic) {
    throw new Error(`${what} is not a picoformer training checkpoint`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const len = view.getUint32(8, true);
  if (12 + len > bytes.length) throw new Error(`${what} is cut off (its metadata runs past the end)`);
  let meta: CheckpointMeta;
  try {
    meta = JSON.parse(Buffer.from(bytes.subarray(12, 12 + len)).toString('utf8')) as CheckpointMeta;
  } catch {
    throw new Error(`${what}: its metadata is not valid JSON`);
  }
  if (meta.format !== CheckpointFormat) throw new Error(`${what} has format "${String(meta.format)}", expected "${CheckpointFormat}"`);
  const config = validateConfig(meta.config);
  validateVocab(meta.vocab, config);
  const problem = settingsProblem(meta.settings);
  if (problem !== null) throw new Error(`${what}: ${problem}`);
  return { meta: { ...meta, config }, headerBytes: 12 + len };
}

export function decodeCheckpoint(bytes: Uint8Array, what = 'checkpoint'): Checkpoint {
  const { meta, headerBytes } = decodeCheckpointMeta(bytes, what);
  const config = meta.config;
  const n = paramLayout(config).total;
  const expected = headerBytes + n * 24;
  if (bytes.length !== expected) throw new Error(`${what} has ${bytes.length} bytes; its model needs ${expected} (cut off or damaged)`);
  let at = headerBytes;
  const take = <T extends Float32Array | Float64Array>(make: (b: ArrayBuffer) => T, size: number): T => {
    const copy = bytes.slice(at, at + n * size);
    at += n * size;
    return make(copy.buffer);
  };
  const params = take((b) => new Float32Array(b), 4);
  const best = take((b) => new Float32Array(b), 4);
  const m = take((b) => new Float64Array(b), 8);
  const v = take((b) => new Float64Array(b), 8);
  for (const arr of [params, best]) if (!arr.every(Number.isFinite)) throw new Error(`${what} holds NaN or infinite weights`);
  return { meta, params, best, m, v };
}

export async function writeCheckpoint(path: string, c: Checkpoint): Promise<void> {
  await writeFileAtomically(path, encodeCheckpoint(c));
}

export async function readCheckpoint(path: string): Promise<Checkpoint> {
  return decodeCheckpoint(new Uint8Array(await readFile(path)), path);
}

/** Only a checkpoint's metadata (step, settings, corpus, history), without reading its weights. */
export async function readCheckpointMeta(path: string): Promise<CheckpointMeta> {
  const file = await open(path, 'r');
  try {
    const head = new Uint8Array(12);
    await file.read(head, 0, 12, 0);
    const len = new DataView(head.buffer).getUint32(8, true);
    const size = (await file.stat()).size;
    const bytes = new Uint8Array(Math.min(size, 12 + len));
    await file.read(bytes, 0, bytes.length, 0);
    return decodeCheckpointMeta(bytes, path).meta;
  } finally {
    await file.close();
  }
}

/** FNV-1a over the token ids, as 8 hex digits. */
export function hashTokens(tokens: Int32Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < tokens.length; i++) {
    h ^= tokens[i] & 0xffff;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
