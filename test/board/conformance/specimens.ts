// Named files for the rules of docs/format.md "Order of checks" and "Numbers", each with the verdict the format
// gives it. The TypeScript reader is tested against `expect` (test/unit/model/contract.test.ts); the corpus starts
// with these files, so the board runners (CPython, MicroPython VM, later the emulated firmware) are held to the same
// verdicts. Among them: every disagreement issue 12 reported.
import { baseFiles } from './corpus';

export interface Specimen {
  name: string;
  bytes: Uint8Array;
  /** The header-level code and the full-read code ("ok" when accepted). */
  expect: { header: string; full: string };
}

type Header = Record<string, unknown> & { __metadata__: Record<string, string> };
type Entry = { dtype: string; shape: number[]; data_offsets: number[] };

const encoder = new TextEncoder();

function split(file: Uint8Array): { text: string; data: Uint8Array } {
  const n = Number(new DataView(file.buffer, file.byteOffset).getBigUint64(0, true));
  return { text: new TextDecoder().decode(file.subarray(8, 8 + n)).trimEnd(), data: file.subarray(8 + n) };
}

function assemble(header: string | Uint8Array, data: Uint8Array, pad = true): Uint8Array {
  let bytes = typeof header === 'string' ? encoder.encode(header) : header;
  if (pad && bytes.length % 8) {
    const padded = new Uint8Array(bytes.length + 8 - (bytes.length % 8)).fill(0x20);
    padded.set(bytes);
    bytes = padded;
  }
  const out = new Uint8Array(8 + bytes.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(bytes.length), true);
  out.set(bytes, 8);
  out.set(data, 8 + bytes.length);
  return out;
}

/** The file with its header text edited (data kept). */
function text(file: Uint8Array, edit: (t: string) => string): Uint8Array {
  const { text: t, data } = split(file);
  const edited = edit(t);
  if (edited === t) throw new Error('specimen edit changed nothing');
  return assemble(edited, data);
}

function header(file: Uint8Array, edit: (h: Header) => void): Uint8Array {
  const { text: t, data } = split(file);
  const h = JSON.parse(t) as Header;
  edit(h);
  return assemble(JSON.stringify(h), data);
}

/** The file with its config text edited. */
function configText(file: Uint8Array, edit: (t: string) => string): Uint8Array {
  return header(file, (h) => {
    const edited = edit(h.__metadata__.config);
    if (edited === h.__metadata__.config) throw new Error('specimen config edit changed nothing');
    h.__metadata__.config = edited;
  });
}

function vocabText(file: Uint8Array, edit: (t: string) => string): Uint8Array {
  return header(file, (h) => {
    h.__metadata__.vocab = edit(h.__metadata__.vocab);
  });
}

function setFloat(file: Uint8Array, h: (header: Header) => Entry, element: number, value: number): Uint8Array {
  const { text: t, data } = split(file);
  const e = h(JSON.parse(t) as Header);
  const out = data.slice();
  new DataView(out.buffer).setFloat32(e.data_offsets[0] + 4 * element, value, true);
  return assemble(t, out);
}

const ok = { header: 'ok', full: 'ok' };
const refused = (code: string) => ({ header: code, full: code });

export function specimens(): Specimen[] {
  const [i8, f32] = baseFiles();
  const list: [string, Uint8Array, { header: string; full: string }][] = [
    ['the int8 base file', i8, ok],
    ['ids and sizes written as whole-number floats (Python writers)', configText(i8, (t) => t.replace(/"bos_id":1/, '"bos_id":1.0').replace(/"dim":4/, '"dim":4.0').replace(/"special_ids":\[0,1/, '"special_ids":[0.0,1')), ok],
    ['an id of 2.0000001: 2.0 in the board\'s float', configText(i8, (t) => t.replace(/"eos_id":2/, '"eos_id":2.0000001')), ok],
    ['an id of 1.5', configText(i8, (t) => t.replace(/"eos_id":2/, '"eos_id":1.5')), refused('config_invalid')],
    ['special_ids [1.0, 1] lists 1 twice', configText(i8, (t) => t.replace(/"special_ids":\[0,1/, '"special_ids":[1.0,1')), refused('config_invalid')],
    ['norm_eps 1e308: Infinity in the board\'s float', configText(i8, (t) => t.replace(/"norm_eps":[^,]+/, '"norm_eps":1e308')), refused('config_invalid')],
    ['norm_eps 1e-39: 0 in the board\'s float', configText(i8, (t) => t.replace(/"norm_eps":[^,]+/, '"norm_eps":1e-39')), refused('config_invalid')],
    ['norm_eps 3.4e38 (within float32)', configText(i8, (t) => t.replace(/"norm_eps":[^,]+/, '"norm_eps":3.4e38')), ok],
    ['NaN in the config: not JSON', configText(i8, (t) => t.replace(/"norm_eps":[^,]+/, '"norm_eps":NaN')), refused('metadata_invalid')],
    ['a trailing comma in the config', configText(i8, (t) => t.replace(/}$/, ',}')), refused('metadata_invalid')],
    ['a config nested 8 deep (an unknown key)', configText(i8, (t) => t.replace(/}$/, `,"x":${'['.repeat(7)}${']'.repeat(7)}}`)), refused('config_invalid')],
    ['a config nested 9 deep', configText(i8, (t) => t.replace(/}$/, `,"x":${'['.repeat(8)}${']'.repeat(8)}}`)), refused('metadata_invalid')],
    ['a header nested 8 deep (an ignored key of an entry)', text(i8, (t) => t.replace(/"dtype":"F32"/, `"x":${'['.repeat(6)}${']'.repeat(6)},"dtype":"F32"`)), ok],
    ['a header nested 9 deep', text(i8, (t) => t.replace(/"dtype":"F32"/, `"x":${'['.repeat(7)}${']'.repeat(7)},"dtype":"F32"`)), refused('header_json')],
    ['3000 levels, 19.5 KB (issue 12): longer than the format allows', assemble('{"a":'.repeat(3000) + '1' + '}'.repeat(3000), new Uint8Array(0)), refused('header_length')],
    ['2000 levels in 12 KB', assemble('{"a":'.repeat(2000) + '1' + '}'.repeat(2000), new Uint8Array(0)), refused('header_json')],
    ['a 300 KB nested header (issue 12)', assemble('{"a":'.repeat(50000) + '1' + '}'.repeat(50000), new Uint8Array(0)), refused('header_length')],
    ['offsets 1e+26 (issue 12): not an integer', text(i8, (t) => t.replace(/"data_offsets":\[(\d+),(\d+)\]/, '"data_offsets":[$1,1e+26]')), refused('header_json')],
    ['a shape of 8.0 in the header', text(i8, (t) => t.replace(/"shape":\[(\d+)/, '"shape":[$1.0')), refused('header_json')],
    ['a shape past 2^53 (an exact integer on the board)', text(i8, (t) => t.replace(/"shape":\[/, '"shape":[9007199254740993,')), refused('tensor_entry')],
    ['dtype I16 (issue 12): not a format dtype', header(i8, (h) => ((h.final_norm as Entry).dtype = 'I16')), refused('dtype_invalid')],
    ['a bad dtype and a bad shape: the dtype check comes later', header(i8, (h) => {
      (h['tok_emb'] as Entry).dtype = 'Q4';
      (h['final_norm'] as Entry).shape = [-1];
    }), refused('tensor_entry')],
    ['a trailing comma in the header', text(i8, (t) => t.replace(/"shape":\[(\d+)\]/, '"shape":[$1,]')), refused('header_json')],
    ['a missing comma in the header', text(i8, (t) => t.replace(/,"shape"/, '"shape"')), refused('header_json')],
    ['a missing colon in the header', text(i8, (t) => t.replace(/"dtype":/, '"dtype" ')), refused('header_json')],
    ['a raw control character in a string', text(i8, (t) => t.replace(/"dtype"/, '"dt\u0001ype"')), refused('header_json')],
    ['a leading zero', text(i8, (t) => t.replace(/"data_offsets":\[0,/, '"data_offsets":[00,')), refused('header_json')],
    ['a byte order mark', text(i8, (t) => `\ufeff${t}`), refused('header_json')],
    ['an escaped key (\\u0064type is dtype)', text(i8, (t) => t.replace(/"dtype"/, '"\\u0064type"')), ok],
    ['overlong UTF-8 (C0 AF for "/")', assemble(overlong(split(i8).text), split(i8).data), refused('header_json')],
    ['a UTF-8 surrogate (ED A0 80)', assemble(rawBytes(split(i8).text, '"format"', [0xed, 0xa0, 0x80]), split(i8).data), refused('header_json')],
    ['a vocabulary entry as a surrogate-pair escape (one code point)', vocabText(i8, (t) => t.replace('"😀"', '"\\ud83d\\ude00"')), ok],
    ['a vocabulary entry with a lone surrogate', vocabText(i8, (t) => t.replace('"😀"', '"\\ud83d"')), refused('vocab_invalid')],
    ['a vocabulary entry given twice', vocabText(i8, (t) => t.replace('"x"', '"e"')), refused('vocab_invalid')],
    ['__metadata__.name 3 and a bad dtype: the container comes first', header(i8, (h) => {
      h.__metadata__ = { ...h.__metadata__, name: 3 as unknown as string };
      (h['tok_emb'] as Entry).dtype = 'Q4';
    }), refused('dtype_invalid')],
    // Keys added after issue 12 (its "Order" asks for their cases here): the KV cache kind, and legacy vocabularies
    // that repeat an entry (decode_only_ids).
    ['kv_cache "int8"', configText(i8, (t) => withKey(t, 'kv_cache', '"int8"')), ok],
    ['kv_cache "int4"', configText(i8, (t) => withKey(t, 'kv_cache', '"int4"')), refused('config_invalid')],
    ['an entry given twice, the other id decode-only', both(i8, (t) => withKey(t, 'decode_only_ids', `[${vocabIndex(i8, 'x')}.0]`), (v) => v.replace('"x"', '"e"')), ok],
    ['decode_only_ids naming a special id', configText(i8, (t) => withKey(t, 'decode_only_ids', '[1]')), refused('config_invalid')],
    ['decode_only_ids past the vocabulary', configText(i8, (t) => withKey(t, 'decode_only_ids', '[999]')), refused('config_invalid')],
    ['decode_only_ids listing an id twice', configText(i8, (t) => withKey(t, 'decode_only_ids', `[${vocabIndex(i8, 'x')},${vocabIndex(i8, 'x')}]`)), refused('config_invalid')],
    ['an entry given twice, decode_only_ids naming neither', both(i8, (t) => withKey(t, 'decode_only_ids', `[${vocabIndex(i8, 'e') === 0 ? 1 : vocabIndex(i8, 'e') - 1}]`), (v) => v.replace('"x"', '"e"')), refused('vocab_invalid')],
    ['a header of 16,384 bytes', assemble(padTo(split(i8).text, 16384), split(i8).data, false), ok],
    ['a header of 16,392 bytes', assemble(padTo(split(i8).text, 16392), split(i8).data, false), refused('header_length')],
    ['NaN in a weight and a negative scale: NaN wins', setFloat(setFloat(i8, (h) => h['layers.0.wq.scale'] as Entry, 0, -1), (h) => h['final_norm'] as Entry, 0, NaN), { header: 'ok', full: 'non_finite' }],
    ['a negative scale', setFloat(i8, (h) => h['layers.0.wk.scale'] as Entry, 1, -0.5), { header: 'ok', full: 'scale_invalid' }],
    ['two huge finite weights (their float32 sum overflows)', setFloat(setFloat(f32, (h) => h['tok_emb'] as Entry, 0, 3.4e38), (h) => h['tok_emb'] as Entry, 1, 3.4e38), ok],
  ];
  return list.map(([name, bytes, expect]) => ({ name, bytes, expect }));
}

/** The config text with `key` set to the JSON `value` (replaced if there, else added last). */
function withKey(config: string, key: string, value: string): string {
  const c = JSON.parse(config) as Record<string, unknown>;
  c[key] = JSON.parse(value);
  return JSON.stringify(c).replace(`"${key}":${JSON.stringify(JSON.parse(value))}`, `"${key}":${value}`);
}

/** The index of `entry` in the file's vocabulary. */
function vocabIndex(file: Uint8Array, entry: string): number {
  const h = JSON.parse(split(file).text) as Header;
  const i = (JSON.parse(h.__metadata__.vocab) as string[]).indexOf(entry);
  if (i < 0) throw new Error(`no vocabulary entry ${entry}`);
  return i;
}

/** The file with its config and its vocabulary text edited. */
function both(file: Uint8Array, config: (t: string) => string, vocab: (t: string) => string): Uint8Array {
  return header(file, (h) => {
    h.__metadata__.config = config(h.__metadata__.config);
    h.__metadata__.vocab = vocab(h.__metadata__.vocab);
  });
}

function padTo(t: string, length: number): Uint8Array {
  const bytes = encoder.encode(t);
  const out = new Uint8Array(length).fill(0x20);
  out.set(bytes);
  return out;
}

/** The header with raw bytes put just after the first occurrence of `after`. */
function rawBytes(t: string, after: string, bytes: number[]): Uint8Array {
  const at = t.indexOf(after) + after.length - 1; // inside the key's quotes
  const head = encoder.encode(t.slice(0, at));
  const tail = encoder.encode(t.slice(at));
  const out = new Uint8Array(head.length + bytes.length + tail.length);
  out.set(head);
  out.set(bytes, head.length);
  out.set(tail, head.length + bytes.length);
  return out;
}

function overlong(t: string): Uint8Array {
  // "picoformer/1" with its slash written as the overlong C0 AF
  const i = t.indexOf('picoformer/1') + 'picoformer'.length;
  const head = encoder.encode(t.slice(0, i));
  const tail = encoder.encode(t.slice(i + 1));
  const out = new Uint8Array(head.length + 2 + tail.length);
  out.set(head);
  out.set([0xc0, 0xaf], head.length);
  out.set(tail, head.length + 2);
  return out;
}
