// The conformance corpus (issue 12): seeded, mutated model files for running the TypeScript reader and the board
// reader (CPython, the MicroPython VM, later the emulated official firmware) side by side. The same seed and count
// always give the same files, byte for byte, so any runner can be handed them (writeCorpus.ts writes them to a
// folder with the TypeScript verdicts). Every mutation family of the issue is here: bit flips, truncation,
// header-length lies, huge shapes, overlapping offsets, NaN/Inf, absurd configs, duplicate or non-UTF-8 vocabularies,
// deep nesting, float ids; plus what made the readers disagree before (lenient JSON, float literals, number ranges,
// several faults in one file in either key order).
import { type ModelConfig, makeConfig } from '../../../src/model/config';
import { type Model, writeModel } from '../../../src/model/modelFile';
import { convertModel } from '../../../src/model/quantize';
import { randomModel } from '../../../src/model/random';
import { Xorshift32 } from '../../../src/model/sampling';
import type { Dtype } from '../../../src/model/tensor';

export interface CorpusFile {
  /** File name: index and mutation, e.g. `0007-bitFlip.safetensors` (sorted names keep the generation order). */
  name: string;
  mutation: string;
  bytes: Uint8Array;
}

type Header = Record<string, unknown> & { __metadata__?: Record<string, string> };
type Entry = { dtype: string; shape: number[]; data_offsets: number[] };

interface Parts {
  header: Header;
  data: Uint8Array;
}

/** A small seeded random source with the helpers the mutations need. */
class Dice {
  private readonly rng: Xorshift32;
  constructor(seed: number) {
    this.rng = new Xorshift32(seed);
  }
  int(n: number): number {
    return Math.floor(this.rng.uniform() * n);
  }
  chance(p: number): boolean {
    return this.rng.uniform() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }
}

// ----- the valid files every mutation starts from

const Vocab = ['<pad>', '<s>', '</s>', '<unk>', ' ', 'e', 't', 'a', 'o', 'n', '.', '\n', 'é', '€', '😀', 'x'];
const Pieces = ['<pad>', '<s>', '</s>', '<unk>', ' ', 'e', 't', 'a', 'th', 'he', ' the', 'in', 'é', '😀', '\u0000', 'q'];

function bases(): Uint8Array[] {
  const sizes = { vocab_size: 16, dim: 4, hidden_dim: 8, n_heads: 2, context_length: 8 };
  const make = (config: Partial<ModelConfig>, dtype: Dtype, vocab: string[], seed: number): Uint8Array => {
    const model: Model = randomModel(makeConfig({ ...sizes, n_layers: 1, family: 'corpus', ...config }), seed, vocab);
    return writeModel(dtype === 'F32' ? model : convertModel(model, dtype));
  };
  return [
    make({}, 'I8', Vocab, 1),
    make({ n_layers: 2, tied_embeddings: false, positional: 'none', activation: 'gelu' }, 'F32', Vocab, 2),
    make({ norm: 'layernorm', tokenizer: 'longest_match', bos_id: null, special_ids: [0, 2, 3], lowercase: true }, 'F16', Pieces, 3),
  ];
}

// ----- reading and writing files without the writer's checks

function split(file: Uint8Array): Parts {
  const n = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
  return { header: JSON.parse(new TextDecoder().decode(file.subarray(8, 8 + n))) as Header, data: file.subarray(8 + n) };
}

const encoder = new TextEncoder();

/** header (object, text or bytes) + data; the length field is the header's byte length unless `length` says. */
function assemble(header: Header | string | Uint8Array, data: Uint8Array, length?: number): Uint8Array {
  let bytes = header instanceof Uint8Array ? header : encoder.encode(typeof header === 'string' ? header : JSON.stringify(header));
  if (bytes.length % 8) bytes = concat(bytes, new Uint8Array(8 - (bytes.length % 8)).fill(0x20));
  const out = new Uint8Array(8 + bytes.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(length ?? bytes.length), true);
  out.set(bytes, 8);
  out.set(data, 8 + bytes.length);
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function tensorNames(h: Header): string[] {
  return Object.keys(h).filter((k) => k !== '__metadata__');
}

function config(h: Header): Record<string, unknown> {
  return JSON.parse((h.__metadata__ as Record<string, string>).config) as Record<string, unknown>;
}

function withConfig(h: Header, c: Record<string, unknown> | string): Header {
  const meta = { ...(h.__metadata__ as Record<string, string>), config: typeof c === 'string' ? c : JSON.stringify(c) };
  return { ...h, __metadata__: meta };
}

function vocab(h: Header): string[] {
  return JSON.parse((h.__metadata__ as Record<string, string>).vocab) as string[];
}

function withVocab(h: Header, v: unknown[] | string): Header {
  return { ...h, __metadata__: { ...(h.__metadata__ as Record<string, string>), vocab: typeof v === 'string' ? v : JSON.stringify(v) } };
}

/** The data offsets of a float tensor's elements (F32 or F16), for NaN/Inf and scale mutations. */
function floatTensors(h: Header, onlyScales = false): { name: string; entry: Entry }[] {
  return tensorNames(h)
    .map((name) => ({ name, entry: h[name] as Entry }))
    .filter(({ name, entry }) => entry.dtype !== 'I8' && (!onlyScales || name.endsWith('.scale')));
}

/** A header text with `count` nested arrays around a value, at a given key of the top-level object. */
function nested(depth: number, open = '[', close = ']'): string {
  return open.repeat(depth) + (open === '{' ? '' : '1') + close.repeat(depth);
}

function nestedObjects(depth: number): string {
  return '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
}

// ----- the mutations: each takes a valid file and returns a damaged (or, now and then, still valid) one

type Mutation = (file: Uint8Array, dice: Dice) => Uint8Array;

export const Mutations: Record<string, Mutation> = {
  bitFlip(file, dice) {
    const out = file.slice();
    for (let i = 1 + dice.int(4); i > 0; i--) out[dice.int(out.length)] ^= 1 << dice.int(8);
    return out;
  },
  headerBitFlip(file, dice) {
    const out = file.slice();
    const n = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
    out[8 + dice.int(n)] ^= 1 << dice.int(8);
    return out;
  },
  headerByte(file, dice) {
    // any byte value, control characters and invalid UTF-8 lead bytes included
    const out = file.slice();
    const n = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
    out[8 + dice.int(n)] = dice.pick([0x00, 0x01, 0x09, 0x0a, 0x1f, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xe0, 0xed, 0xf4, 0xf5, 0xff, dice.int(256)]);
    return out;
  },
  truncate(file, dice) {
    return file.slice(0, dice.int(file.length));
  },
  extend(file, dice) {
    return concat(file, new Uint8Array(1 + dice.int(16)).fill(dice.int(256)));
  },
  lengthLie(file, dice) {
    const { header, data } = split(file);
    const text = encoder.encode(JSON.stringify(header));
    const n = text.length + (8 - (text.length % 8)) % 8;
    const lie = dice.pick([0, 1, 2, n - 8, n - 1, n + 1, n + 8, n + 64, 16384, 16385, 16392, 65536, 1 << 20, 2 ** 32 + n, 2 ** 53, dice.int(2 ** 31)]);
    return assemble(header, data, Math.max(0, lie));
  },
  hugeShape(file, dice) {
    const { header, data } = split(file);
    const name = dice.pick(tensorNames(header));
    const e = header[name] as Entry;
    const huge = dice.pick([2 ** 31, 2 ** 32, 2 ** 40, 2 ** 53 - 1, 65536, 1e9]);
    e.shape = dice.chance(0.5) ? [huge, ...e.shape.slice(1)] : [huge, huge, huge];
    if (dice.chance(0.5)) {
      const size = e.dtype === 'I8' ? 1 : e.dtype === 'F16' ? 2 : 4;
      const bytes = e.shape.reduce((a, b) => a * b, size);
      e.data_offsets = [e.data_offsets[0], Number.isSafeInteger(e.data_offsets[0] + bytes) ? e.data_offsets[0] + bytes : 2 ** 53 - 1];
    }
    return assemble(header, data);
  },
  hugeInteger(file, dice) {
    // integer literals past 2^53 (exact on the board, rounded in JavaScript)
    const { header, data } = split(file);
    const name = dice.pick(tensorNames(header));
    const text = JSON.stringify(header).replace(`"${name}":{"dtype":"${(header[name] as Entry).dtype}","shape":[`, (m) => m + dice.pick(['9007199254740993,', '9007199254740992,', '18446744073709551617,', '100000000000000000000,']));
    return assemble(text, data);
  },
  offsets(file, dice) {
    const { header, data } = split(file);
    const names = tensorNames(header);
    const a = header[dice.pick(names)] as Entry;
    const b = header[dice.pick(names)] as Entry;
    const kind = dice.int(6);
    if (kind === 0) a.data_offsets = [...b.data_offsets]; // overlap: two tensors on the same bytes
    else if (kind === 1) a.data_offsets = [a.data_offsets[0] + 1, a.data_offsets[1] + 1]; // overlap or past the end
    else if (kind === 2) a.data_offsets = [a.data_offsets[1], a.data_offsets[0]]; // end before begin
    else if (kind === 3) a.data_offsets = [a.data_offsets[0], a.data_offsets[1] + dice.pick([-4, -1, 1, 4, 2 ** 40])];
    else if (kind === 4) a.data_offsets = [a.data_offsets[0] + data.length, a.data_offsets[1] + data.length]; // past the data
    else a.data_offsets = dice.pick([[0], [0, 1, 2], [-1, 3], [0, 1e26], ['0', 4], null, 7]) as number[];
    return assemble(header, data);
  },
  nanInf(file, dice) {
    const { header, data } = split(file);
    const floats = floatTensors(header);
    const { entry } = dice.pick(floats);
    const out = data.slice();
    const view = new DataView(out.buffer);
    const size = entry.dtype === 'F16' ? 2 : 4;
    const at = entry.data_offsets[0] + size * dice.int((entry.data_offsets[1] - entry.data_offsets[0]) / size);
    const value = dice.pick([NaN, Infinity, -Infinity, 3.4e38, -3.4e38, 1e-40]);
    if (size === 4) view.setFloat32(at, value, true);
    else view.setUint16(at, dice.pick([0x7c00, 0xfc00, 0x7e00, 0x7bff]), true);
    if (dice.chance(0.3)) {
      // a second one: a sum of two huge finite weights overflows a float32-sized float, though each is finite
      const other = dice.pick(floats).entry;
      if (other.dtype === 'F32') view.setFloat32(other.data_offsets[0], 3.4e38, true);
    }
    return assemble(header, out);
  },
  negativeScale(file, dice) {
    const { header, data } = split(file);
    const scales = floatTensors(header, true);
    if (scales.length === 0) return Mutations.nanInf(file, dice);
    const out = data.slice();
    const view = new DataView(out.buffer);
    const { entry } = dice.pick(scales);
    view.setFloat32(entry.data_offsets[0] + 4 * dice.int((entry.data_offsets[1] - entry.data_offsets[0]) / 4), dice.pick([-1e-3, -0.0, -1e30]), true);
    if (dice.chance(0.4)) {
      const nan = dice.pick(floatTensors(header)).entry; // NaN elsewhere too: NaN/Inf wins over a negative scale
      if (nan.dtype === 'F32') view.setFloat32(nan.data_offsets[0], NaN, true);
      else view.setUint16(nan.data_offsets[0], 0x7e00, true);
    }
    return assemble(header, out);
  },
  absurdConfig(file, dice) {
    const { header, data } = split(file);
    const c = config(header);
    const key = dice.pick([...Object.keys(c), 'extra', '__proto__', 'constructor']);
    c[key] = dice.pick([0, -1, 1, 2, 3, 7, 64, 65, 4096, 4097, 65535, 65536, 2 ** 31, 1e9, 1e300, -1e-5, 0.5, null, true, false, 'silu', 'rmsnorm', 'char', '', [], {}, [0, 1, 2, 3], [[0]], 'x']);
    if (dice.chance(0.2)) delete c[dice.pick(Object.keys(c))];
    return assemble(withConfig(header, c), data);
  },
  floatIds(file, dice) {
    // whole-number floats where integers go (as Python writers write them), and near-whole ones
    const { header, data } = split(file);
    let text = JSON.stringify(config(header));
    const keys = ['bos_id', 'eos_id', 'unk_id', 'pad_id', 'vocab_size', 'dim', 'hidden_dim', 'n_layers', 'n_heads', 'context_length'];
    for (let i = 1 + dice.int(3); i > 0; i--) {
      const key = dice.pick(keys);
      text = text.replace(new RegExp(`"${key}":(\\d+)`), (_m, d: string) => `"${key}":${dice.chance(0.6) ? `${d}.0` : dice.pick([`${d}e0`, `${d}.000001`, `${Number(d) + 0.5}`, `${d}.0000001`, `${d}.003`])}`);
    }
    if (dice.chance(0.5)) text = text.replace(/"special_ids":\[([^\]]*)\]/, (_m, ids: string) => `"special_ids":[${ids.split(',').map((d) => (dice.chance(0.5) ? `${d}.0` : d)).join(',')}]`);
    return assemble(withConfig(header, text), data);
  },
  normEps(file, dice) {
    const { header, data } = split(file);
    const text = JSON.stringify(config(header)).replace(/"norm_eps":[^,}]+/, `"norm_eps":${dice.pick(['1e308', '1e39', '3.4e38', '3.40282356e38', '3.4028236e38', '3.5e38', '1e-38', '1.2e-38', '1.1754944e-38', '1e-46', '1e-300', '0', '-0.0', '-1e-5', '1', '"1e-5"', 'null', '1e-5', '0.1'])}`);
    return assemble(withConfig(header, text), data);
  },
  vocab(file, dice) {
    const { header, data } = split(file);
    const v: unknown[] = vocab(header);
    const i = 4 + dice.int(v.length - 4);
    const kind = dice.int(8);
    if (kind === 0) v[i] = v[dice.int(v.length)]; // a duplicate (or itself)
    else if (kind === 1) v[i] = dice.pick(['', 'ab', 'é', '😀', 'e\u0301', '\u0000', '\t', 5, null, ['a']]);
    else if (kind === 2) v.splice(i, 1);
    else if (kind === 3) v.push('z');
    else if (kind === 4) v[i] = dice.pick(['\ud800', '\udc00', '\ud83d\ude00', '\ude00\ud83d', 'a\ud800']); // surrogates (JSON.stringify escapes lone ones)
    else if (kind === 5) return assemble(withVocab(header, JSON.stringify(v).replace(`"${String(v[i]).replace(/[\\"]/g, (c) => `\\${c}`)}"`, dice.pick(['"\\ud83d\\ude00"', '"\\ud83d"', '"\\ude00"', '"\\u00e9"', '"\\u0000"', '"\\x"']))), data);
    else if (kind === 6) return nonUtf8Vocab(header, data, dice);
    else return assemble(withVocab(header, dice.pick(['', '[', '{}', '"x"', '[1]', 'null', nested(9), nested(8), '["a",]', '["a" "b"]', 'NaN'])), data);
    return assemble(withVocab(header, v), data);
  },
  nesting(file, dice) {
    const { header, data } = split(file);
    const depth = dice.pick([7, 8, 9, 10, 64, 3000]);
    const where = dice.int(5);
    if (where === 0) return assemble(`{"x":${nested(depth - 1)}}`, data); // the header itself
    if (where === 1) return assemble(JSON.stringify(header).replace(/}\s*$/, `,"deep":${nested(depth - 1)}}`), data);
    if (where === 2) return assemble(withConfig(header, JSON.stringify(config(header)).replace(/}$/, `,"deep":${dice.chance(0.5) ? nested(depth - 1) : nestedObjects(depth - 1)}}`)), data);
    if (where === 3) return assemble(withVocab(header, `[${nested(depth - 1)}]`), data);
    return assemble(dice.chance(0.5) ? nested(depth) : nestedObjects(depth), data);
  },
  hugeNesting(_file, dice) {
    // the issue's specimens: too long for the format (header_length), and the same shape inside the limit
    const which = dice.int(4);
    if (which === 0) return assemble('{"a":'.repeat(50000) + '1' + '}'.repeat(50000), new Uint8Array(0));
    if (which === 1) return assemble(`{"__metadata__":{"format":"picoformer/1","config":"${'['.repeat(100000)}${']'.repeat(100000)}","vocab":"[]"}}`, new Uint8Array(0));
    if (which === 2) return assemble('{"a":'.repeat(3000) + '1' + '}'.repeat(3000), new Uint8Array(0));
    return assemble(`{"__metadata__":{"format":"picoformer/1","config":"${'['.repeat(8000)}${']'.repeat(8000)}","vocab":"[]"}}`, new Uint8Array(0));
  },
  lenientJson(file, dice) {
    // what MicroPython's json.loads lets through and JSON does not have (and NaN, which CPython's takes)
    const { header, data } = split(file);
    const text = JSON.stringify(header);
    const edits: ((t: string) => string)[] = [
      (t) => t.replace(/,"/, '"'), // a missing comma
      (t) => t.replace(/":/, '" '), // a missing colon
      (t) => t.replace(/]/, ',]'), // a trailing comma
      (t) => t.replace(/}$/, ',}'),
      (t) => t.replace(/,"/, ',,"'),
      (t) => t.replace(/"data_offsets":\[(\d)/, '"data_offsets":[0$1'), // a leading zero
      (t) => t.replace(/:\[(\d+)/, ':[$1.'), // "1."
      (t) => t.replace(/"F32"|"I8"|"F16"/, "'F32'"),
      (t) => `\ufeff${t}`, // a byte order mark
      (t) => `${t} x`,
      (t) => `${t}{}`,
      (t) => t.replace(/"dtype"/, '"dt\u0001ype"'), // a raw control character in a string
      (t) => t.replace(/"dtype"/, '"dt\\qype"'), // a bad escape
      (t) => t.replace(/"dtype"/, '"dt\\u00"'),
      (t) => t.replace(/"dtype"/, '"\\u0064type"'), // a good escape
      (t) => t.replace(/:\[/, ':\f['), // whitespace JSON does not have
      (t) => t.replace(/"data_offsets"/, 'data_offsets'),
      (t) => `{"k":1,${t.slice(1)}`.replace(/^{"k":1,/, '{"k":tru,'),
      (t) => t.replace(/\[(\d+),(\d+)\]/, '[$1 $2]'),
      (t) => t.replace(/}$/, ',"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"dtype":"F16"}}'), // a repeated key
    ];
    let out = dice.pick(edits)(text);
    if (dice.chance(0.3)) out = dice.pick(edits)(out);
    return assemble(out, data);
  },
  lenientConfig(file, dice) {
    const { header, data } = split(file);
    const text = JSON.stringify(config(header));
    const edited = dice.pick([
      text.replace(/"norm_eps":[^,}]+/, '"norm_eps":NaN'),
      text.replace(/"norm_eps":[^,}]+/, '"norm_eps":Infinity'),
      text.replace(/"norm_eps":[^,}]+/, '"norm_eps":-Infinity'),
      text.replace(/,"/, '"'),
      text.replace(/}$/, ',}'),
      text.replace(/"dim":(\d+)/, '"dim":0$1'),
      text.replace(/"dim":(\d+)/, '"dim":$1.'),
      text.replace(/"norm":"(\w+)"/, '"norm":"$1\u0001"'),
      `\ufeff${text}`,
      `${text} `,
      `${text}1`,
      text.replace(/"dim"/, '"\\u0064im"'),
      text.replace(/"dim":(\d+)/, '"dim":$1,"dim":$1'),
    ]);
    return assemble(withConfig(header, edited), data);
  },
  floatLiterals(file, dice) {
    // numbers with a fraction or exponent in the header (shapes and offsets are integers there)
    const { header, data } = split(file);
    const text = JSON.stringify(header);
    const edited = dice.pick([
      text.replace(/"shape":\[(\d+)/, '"shape":[$1.0'),
      text.replace(/"data_offsets":\[(\d+),(\d+)\]/, '"data_offsets":[$1,$2.0]'),
      text.replace(/"data_offsets":\[(\d+),(\d+)\]/, '"data_offsets":[$1,$2e0]'),
      text.replace(/"data_offsets":\[(\d+),(\d+)\]/, '"data_offsets":[$1,1e26]'),
      text.replace(/"shape":\[(\d+)/, '"shape":[1.5'),
      text.replace(/}$/, ',"x":1.5}'),
      text.replace(/"format":"picoformer\/1"/, '"format":1.0'),
    ]);
    return assemble(edited, data);
  },
  metadata(file, dice) {
    const { header, data } = split(file);
    const meta = { ...(header.__metadata__ as Record<string, unknown>) };
    const kind = dice.int(6);
    if (kind === 0) meta[dice.pick(['name', 'created_by', 'format', 'config', 'vocab'])] = dice.pick([3, null, true, {}, [], 1.5]);
    else if (kind === 1) delete meta[dice.pick(['format', 'config', 'vocab'])];
    else if (kind === 2) meta.format = dice.pick(['picoformer/2', 'Picoformer/1', '', 'picoformer/1 ']);
    else if (kind === 3) meta.name = dice.pick(['\u001b]0;PWNED\u0007\u001b[2J', 'story\nname', '\u202eevil', 'é😀']);
    else if (kind === 4) return assemble({ ...header, __metadata__: dice.pick([null, 'x', [], 1]) as unknown as Record<string, string> }, data);
    else {
      const { __metadata__: _, ...rest } = header;
      return assemble(rest, data);
    }
    return assemble({ ...header, __metadata__: meta as Record<string, string> }, data);
  },
  dtype(file, dice) {
    const { header, data } = split(file);
    const e = header[dice.pick(tensorNames(header))] as Entry;
    e.dtype = dice.pick(['I16', 'BF16', 'U8', 'F64', 'f32', 'I8', 'F16', 'F32', 'BOOL', 'constructor', '']);
    return assemble(header, data);
  },
  tensorNames(file, dice) {
    const { header, data } = split(file);
    const names = tensorNames(header);
    const name = dice.pick(names);
    const kind = dice.int(4);
    if (kind === 0) delete header[name];
    else if (kind === 1) {
      header[dice.pick(['__proto__', 'constructor', 'layers.9.wq', 'final_norm.scale', 'tok_emb.scale', 'extra', `${name}.scale`])] = header[name];
      delete header[name];
    } else if (kind === 2) header[dice.pick(['layers.0.attn_norm.scale', 'pos_emb', 'lm_head'])] = { ...(header[name] as Entry) };
    else header[name] = dice.pick([5, 'x', null, [], { dtype: 'F32' }, { dtype: 'F32', shape: [1], data_offsets: [0, 4], extra: 1 }]);
    return assemble(header, data);
  },
  manyFaults(file, dice) {
    // two or three faults from different checks, the keys in a random order: the first check in the documented
    // order must win on every reader, whatever order its JSON objects iterate in
    let out = file;
    for (const m of dice.shuffle(['dtype', 'offsets', 'absurdConfig', 'vocab', 'tensorNames', 'metadata', 'negativeScale', 'nanInf']).slice(0, 2 + dice.int(2))) {
      try {
        out = Mutations[m](out, dice);
      } catch {
        // an earlier fault took away what this one edits (the metadata, a vocabulary...): one fault fewer
      }
    }
    return shuffleKeys(out, dice);
  },
  shuffledKeys(file, dice) {
    return shuffleKeys(file, dice);
  },
  headerSize(file, dice) {
    // padded (spaces) to just under, at and over the limit; and a large vocabulary near it
    const { header, data } = split(file);
    const text = encoder.encode(JSON.stringify(header));
    const target = dice.pick([16384, 16384 - 8, 16384 + 8, 8192]);
    if (dice.chance(0.5)) return assemble(concat(text, new Uint8Array(Math.max(0, target - text.length)).fill(0x20)), data);
    const c = config(header);
    const big = Math.floor((target - text.length) / 9) + 16;
    const v = [...vocab(header)];
    for (let cp = 0x4e00; v.length < big; cp++) v.push(String.fromCodePoint(cp));
    c.vocab_size = v.length;
    return assemble(withVocab(withConfig(header, c), v), data);
  },
};

function nonUtf8Vocab(header: Header, data: Uint8Array, dice: Dice): Uint8Array {
  // raw bytes that are not UTF-8 inside the vocabulary's text: the header is then not UTF-8 either
  const marker = 'Q';
  const v = vocab(header).map((w) => (w === 'x' || w === 'q' ? marker : w));
  const text = encoder.encode(JSON.stringify(withVocab(header, v)));
  const bad = dice.pick([[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe0, 0x80, 0xaf], [0x80], [0xc3], [0xf5, 0x80, 0x80, 0x80]]);
  const at = text.lastIndexOf(marker.charCodeAt(0));
  return assemble(concat(concat(text.subarray(0, at), new Uint8Array(bad)), text.subarray(at + 1)), data);
}

function shuffleKeys(file: Uint8Array, dice: Dice): Uint8Array {
  let parts: Parts;
  try {
    parts = split(file);
  } catch {
    return file;
  }
  if (typeof parts.header !== 'object' || parts.header === null || Array.isArray(parts.header)) return file;
  const keys = dice.shuffle(Object.keys(parts.header));
  // JSON.stringify puts integer-like keys first whatever the order: build the text by hand to keep the order
  const text = `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(parts.header[k])}`).join(',')}}`;
  return assemble(text, parts.data);
}

/** `count` files from `seed`: the mutations in turn, each from one of the base files. */
export function* corpus(seed: number, count: number): Generator<CorpusFile> {
  const dice = new Dice(seed);
  const files = bases();
  const names = Object.keys(Mutations);
  for (let i = 0; i < count; i++) {
    const mutation = names[i % names.length];
    const bytes = Mutations[mutation](files[dice.int(files.length)], dice);
    yield { name: `${String(i).padStart(4, '0')}-${mutation}.safetensors`, mutation, bytes };
  }
}

/** The valid files the corpus mutates (for tests that want a known-good one). */
export function baseFiles(): Uint8Array[] {
  return bases();
}
