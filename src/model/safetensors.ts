// The safetensors container, independent of what the tensors mean:
// [u64 LE header length N][N bytes of JSON header, space padded][data]. https://huggingface.co/docs/safetensors
// The checks run in the order docs/format.md "Order of checks" gives, each over every entry before the next, so
// the first failing check's code is the board's too (board/lib/picoformer/header.py), whatever the key order.
import { fail } from './errors';
import { JsonTextError, parseJsonText } from './jsonText';

/** Byte size of each dtype a picoformer model may hold (safetensors has more; the format allows only these). */
export const DtypeSizes: Readonly<Record<string, number>> = { F32: 4, F16: 2, I8: 1 };

/**
 * The longest header the format allows (docs/format.md). The board reads and parses the header whole on ~140 KB
 * of heap: on the emulated official firmware a 16 KiB header that is nearly all vocabulary (1,550 entries) reads
 * with 100 KB free, a 24 KiB one needs more than 100 KB and a 32 KiB one more than 135 KB. The sample models'
 * headers are 2-6 KB.
 */
export const MaxHeaderLength = 16384;

export interface TensorEntry {
  name: string;
  dtype: string;
  shape: number[];
  /** Byte offsets relative to the start of the data section. */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  /** N, the JSON header's length in bytes (padding included). */
  headerLength: number;
  /** Offset of the data section in the file: 8 + N. */
  dataStart: number;
  dataLength: number;
  /** In header order. */
  tensors: TensorEntry[];
  metadata: Record<string, string> | undefined;
}

/** Reads N from the first 8 bytes and checks it against the file size; needs only those 8 bytes. */
export function readHeaderLength(prefix: Uint8Array, fileSize: number): number {
  if (prefix.length < 8 || fileSize < 8) fail('truncated', `file is ${fileSize} bytes, too short for the 8-byte header length`);
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const high = view.getUint32(4, true);
  const low = view.getUint32(0, true);
  const n = high * 2 ** 32 + low;
  if (high !== 0 || n < 2 || n > MaxHeaderLength) {
    fail('header_length', `header length ${high !== 0 ? 'over 4 GB' : n} is absurd (must be 2..${MaxHeaderLength} bytes)`);
  }
  if (8 + n > fileSize) fail('truncated', `file is ${fileSize} bytes but its header alone needs ${8 + n}`);
  return n;
}

/** Parses and checks the JSON header (the bytes 8..8+N) of a file of `fileSize` bytes; reads no tensor data. */
export function parseHeader(headerBytes: Uint8Array, fileSize: number): SafetensorsHeader {
  const headerLength = headerBytes.length;
  const dataStart = 8 + headerLength;
  const dataLength = fileSize - dataStart;
  if (dataLength < 0) fail('truncated', `file is ${fileSize} bytes but its header alone needs ${dataStart}`);
  const json = parseJsonObject(headerBytes);
  const tensors = checkEntries(Object.entries(json).filter(([name]) => name !== '__metadata__'));
  checkCoverage(tensors, dataLength);
  const metadata = Object.hasOwn(json, '__metadata__') ? parseMetadata(json.__metadata__) : undefined;
  return { headerLength, dataStart, dataLength, tensors, metadata };
}

/** Convenience for a whole file already in memory. */
export function readSafetensorsHeader(file: Uint8Array): SafetensorsHeader {
  const n = readHeaderLength(file, file.length);
  return parseHeader(file.subarray(8, 8 + n), file.length);
}

/** The bytes of one tensor (a view into `file`, no copy). */
export function tensorBytes(file: Uint8Array, header: SafetensorsHeader, entry: TensorEntry): Uint8Array {
  return file.subarray(header.dataStart + entry.begin, header.dataStart + entry.end);
}

export interface TensorToWrite {
  name: string;
  dtype: string;
  shape: readonly number[];
  /** Little-endian bytes, exactly shape × dtype size long. */
  bytes: Uint8Array;
}

/** Writes a safetensors file: tensors in the given order, back to back, header padded with spaces to 8 bytes. */
export function writeSafetensors(tensors: readonly TensorToWrite[], metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) header.__metadata__ = metadata;
  let offset = 0;
  for (const t of tensors) {
    const size = DtypeSizes[t.dtype];
    if (size === undefined) throw new Error(`writeSafetensors: unknown dtype ${t.dtype} for ${t.name}`);
    const expected = t.shape.reduce((a, b) => a * b, 1) * size;
    if (t.bytes.length !== expected) {
      throw new Error(`writeSafetensors: ${t.name} has ${t.bytes.length} bytes, its shape needs ${expected}`);
    }
    if (t.name === '__metadata__' || t.name in header) throw new Error(`writeSafetensors: duplicate name ${t.name}`);
    header[t.name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + t.bytes.length] };
    offset += t.bytes.length;
  }
  let text = JSON.stringify(header);
  const encoded = new TextEncoder().encode(text);
  const padded = Math.ceil(encoded.length / 8) * 8;
  if (padded > MaxHeaderLength) {
    const biggest = Object.entries(metadata ?? {}).sort((a, b) => b[1].length - a[1].length)[0];
    fail('header_length', `the header would be ${padded} bytes, more than the ${MaxHeaderLength} a model file may have (so the board can read it)${biggest ? `; __metadata__.${biggest[0]} takes ${biggest[1].length}` : ''}: use a smaller vocabulary`);
  }
  text += ' '.repeat(padded - encoded.length);
  const out = new Uint8Array(8 + padded + offset);
  new DataView(out.buffer).setUint32(0, padded, true);
  out.set(new TextEncoder().encode(text), 8);
  let at = 8 + padded;
  for (const t of tensors) {
    out.set(t.bytes, at);
    at += t.bytes.length;
  }
  return out;
}

function parseJsonObject(bytes: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    // ignoreBOM: a byte order mark is not JSON (the board does not skip one either)
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    fail('header_json', 'header is not valid UTF-8');
  }
  let value: unknown;
  try {
    value = parseJsonText(text, true);
  } catch (err) {
    if (!(err instanceof JsonTextError)) throw err;
    fail('header_json', `header ${err.message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail('header_json', 'header must be a JSON object of tensors');
  }
  return value as Record<string, unknown>;
}

function parseMetadata(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail('metadata_invalid', '__metadata__ must be an object of strings');
  }
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') fail('metadata_invalid', `__metadata__.${key} must be a string, found ${describe(v)}`);
    out[key] = v;
  }
  return out;
}

/** The container's checks, each over every entry before the next: entry shape, dtype, offsets order, sizes. */
function checkEntries(entries: readonly [string, unknown][]): TensorEntry[] {
  const tensors = entries.map(([name, value]) => parseEntry(name, value));
  for (const t of tensors) {
    if (!Object.hasOwn(DtypeSizes, t.dtype)) fail('dtype_invalid', `tensor "${t.name}": dtype "${t.dtype}" is not one of ${Object.keys(DtypeSizes).join(', ')}`);
  }
  for (const t of tensors) {
    if (t.begin > t.end) fail('offsets_out_of_range', `tensor "${t.name}": data_offsets [${t.begin}, ${t.end}] end before they begin`);
  }
  for (const t of tensors) {
    const expected = byteSize(t.shape, DtypeSizes[t.dtype] as number);
    if (t.end - t.begin !== expected) {
      fail('offsets_size', `tensor "${t.name}": ${t.dtype} ${JSON.stringify(t.shape)} needs ${expected} bytes but data_offsets give ${t.end - t.begin}`);
    }
  }
  return tensors;
}

function parseEntry(name: string, value: unknown): TensorEntry {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail('tensor_entry', `tensor "${name}": entry must be an object with dtype, shape and data_offsets`);
  }
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string') fail('tensor_entry', `tensor "${name}": dtype must be a string, found ${describe(dtype)}`);
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    fail('tensor_entry', `tensor "${name}": shape must be an array of non-negative integers, found ${describe(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    fail('tensor_entry', `tensor "${name}": data_offsets must be [begin, end], found ${describe(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  return { name, dtype, shape: shape as number[], begin, end };
}

/** shape x item size in bytes; Infinity once past the exact integers (no file holds that much: never equal). */
function byteSize(shape: readonly number[], itemSize: number): number {
  if (shape.includes(0)) return 0;
  let n = itemSize;
  for (const s of shape) {
    n *= s;
    if (n > Number.MAX_SAFE_INTEGER) return Infinity;
  }
  return n;
}

/** Tensors must tile the data exactly: no overlap, no hole, nothing after the last one, nothing past the end. */
function checkCoverage(tensors: readonly TensorEntry[], dataLength: number): void {
  const sorted = [...tensors].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  let problem: (() => never) | undefined;
  let previous: TensorEntry | undefined;
  for (const t of sorted) {
    if (problem === undefined && t.begin < cursor) {
      const p = previous;
      problem = () => fail('offsets_overlap', `tensors "${p?.name}" and "${t.name}" overlap (byte ${t.begin} is in both)`);
    }
    if (problem === undefined && t.begin > cursor) {
      const c = cursor;
      problem = () => fail('offsets_gap', `no tensor covers data bytes ${c}..${t.begin} (before "${t.name}")`);
    }
    cursor = Math.max(cursor, t.end);
    previous = t;
  }
  if (cursor > dataLength) {
    const last = sorted.find((t) => t.end > dataLength);
    if (problem === undefined) {
      fail('truncated', `file is truncated: its header describes ${cursor} bytes of tensor data but only ${dataLength} are present`);
    }
    fail('offsets_out_of_range', `tensor "${last?.name}": data_offsets end at ${last?.end}, past the ${dataLength} bytes of data`);
  }
  if (problem !== undefined) problem();
  if (cursor < dataLength) fail('offsets_gap', `${dataLength - cursor} bytes of data after the last tensor`);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function describe(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
