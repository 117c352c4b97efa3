import assert from 'node:assert/strict';
import { readSafetensorsHeader, tensorBytes, writeSafetensors } from '../../../src/model/safetensors';
import { assemble, assertFormatError, editHeader, entry, headerOf, tinyFile } from './helpers';

describe('safetensors container', () => {
  const twoTensors = (): Uint8Array =>
    writeSafetensors(
      [
        { name: 'a', dtype: 'F32', shape: [2], bytes: new Uint8Array(8).fill(1) },
        { name: 'b', dtype: 'I8', shape: [3], bytes: new Uint8Array([1, 2, 3]) },
      ],
      { note: 'x' },
    );

  it('writes a space-padded header of a multiple of 8 bytes and reads it back', () => {
    const file = twoTensors();
    const n = Number(new DataView(file.buffer).getBigUint64(0, true));
    assert.equal(n % 8, 0);
    assert.equal(file[8 + n - 1], 0x20);
    const h = readSafetensorsHeader(file);
    assert.deepEqual(h.metadata, { note: 'x' });
    assert.deepEqual(h.tensors.map((t) => [t.name, t.dtype, t.shape, t.begin, t.end]), [['a', 'F32', [2], 0, 8], ['b', 'I8', [3], 8, 11]]);
    assert.deepEqual([...tensorBytes(file, h, h.tensors[1])], [1, 2, 3]);
  });

  it('accepts an unpadded header and tensors in any order', () => {
    const file = assemble({ b: { dtype: 'I8', shape: [1], data_offsets: [2, 3] }, a: { dtype: 'F16', shape: [1], data_offsets: [0, 2] } }, new Uint8Array(3));
    assert.equal(readSafetensorsHeader(file).tensors.length, 2);
  });

  it('refuses a file shorter than 8 bytes as truncated', () => {
    assertFormatError(() => readSafetensorsHeader(new Uint8Array(5)), 'truncated', /5 bytes/);
  });

  it('refuses absurd header lengths', () => {
    const file = new Uint8Array(64);
    new DataView(file.buffer).setUint32(0, 1, true);
    assertFormatError(() => readSafetensorsHeader(file), 'header_length', /1 is absurd/);
    new DataView(file.buffer).setUint32(0, (1 << 20) + 1, true);
    assertFormatError(() => readSafetensorsHeader(file), 'header_length');
    new DataView(file.buffer).setUint32(4, 1, true);
    assertFormatError(() => readSafetensorsHeader(file), 'header_length', /over 4 GB/);
  });

  it('refuses a header longer than the file as truncated', () => {
    const file = tinyFile();
    const n = Number(new DataView(file.buffer).getBigUint64(0, true));
    assertFormatError(() => readSafetensorsHeader(file.subarray(0, 8 + n - 1)), 'truncated', /header alone needs/);
  });

  it('refuses a header that is not UTF-8, not JSON, or not an object', () => {
    assertFormatError(() => readSafetensorsHeader(assemble('{"a":"\xff"}', new Uint8Array(0)).map((b, i) => (i === 14 ? 0xff : b))), 'header_json', /UTF-8/);
    assertFormatError(() => readSafetensorsHeader(assemble('{"a": ', new Uint8Array(0))), 'header_json', /not valid JSON/);
    assertFormatError(() => readSafetensorsHeader(assemble('[1, 2]', new Uint8Array(0))), 'header_json', /object/);
    assertFormatError(() => readSafetensorsHeader(assemble('null', new Uint8Array(0))), 'header_json');
  });

  it('refuses malformed tensor entries', () => {
    const bad = (e: unknown): Uint8Array => assemble({ t: e }, new Uint8Array(4));
    assertFormatError(() => readSafetensorsHeader(bad(5)), 'tensor_entry', /"t"/);
    assertFormatError(() => readSafetensorsHeader(bad({ dtype: 3, shape: [1], data_offsets: [0, 4] })), 'tensor_entry', /dtype/);
    assertFormatError(() => readSafetensorsHeader(bad({ dtype: 'F32', shape: [-1], data_offsets: [0, 4] })), 'tensor_entry', /shape/);
    assertFormatError(() => readSafetensorsHeader(bad({ dtype: 'F32', shape: [2 ** 53], data_offsets: [0, 4] })), 'tensor_entry', /shape/);
    assertFormatError(() => readSafetensorsHeader(bad({ dtype: 'F32', shape: [1], data_offsets: [0] })), 'tensor_entry', /data_offsets/);
    assertFormatError(() => readSafetensorsHeader(bad({ dtype: 'F32', shape: [1] })), 'tensor_entry', /data_offsets/);
    assertFormatError(() => readSafetensorsHeader(bad({ dtype: 'Q4', shape: [1], data_offsets: [0, 4] })), 'dtype_invalid', /Q4/);
    assertFormatError(() => readSafetensorsHeader(bad({ dtype: 'constructor', shape: [1], data_offsets: [0, 4] })), 'dtype_invalid');
  });

  it('refuses offsets that end before they begin, or past the data', () => {
    const file = editHeader(tinyFile(), (j) => {
      entry(j, 'tok_emb').data_offsets = [10, 2];
    });
    assertFormatError(() => readSafetensorsHeader(file), 'offsets_out_of_range', /tok_emb/);
    const past = assemble({ a: { dtype: 'I8', shape: [4], data_offsets: [8, 12] }, b: { dtype: 'I8', shape: [8], data_offsets: [0, 8] } }, new Uint8Array(10));
    // Contiguous but longer than the data: that is a cut-off file.
    assertFormatError(() => readSafetensorsHeader(past), 'truncated', /12 bytes of tensor data but only 10/);
    const hole = assemble({ a: { dtype: 'I8', shape: [4], data_offsets: [20, 24] }, b: { dtype: 'I8', shape: [8], data_offsets: [0, 8] } }, new Uint8Array(10));
    assertFormatError(() => readSafetensorsHeader(hole), 'offsets_out_of_range', /"a".*past the 10 bytes/);
  });

  it('refuses a byte length that disagrees with the shape', () => {
    const file = editHeader(tinyFile(), (j) => {
      entry(j, 'final_norm').shape = [5];
    });
    assertFormatError(() => readSafetensorsHeader(file), 'offsets_size', /final_norm.*needs 20 bytes but data_offsets give 16/);
  });

  it('refuses overlapping tensors', () => {
    const file = assemble({ a: { dtype: 'I8', shape: [4], data_offsets: [0, 4] }, b: { dtype: 'I8', shape: [4], data_offsets: [2, 6] } }, new Uint8Array(6));
    assertFormatError(() => readSafetensorsHeader(file), 'offsets_overlap', /"a" and "b" overlap/);
  });

  it('refuses holes and trailing bytes', () => {
    const hole = assemble({ a: { dtype: 'I8', shape: [2], data_offsets: [0, 2] }, b: { dtype: 'I8', shape: [2], data_offsets: [4, 6] } }, new Uint8Array(6));
    assertFormatError(() => readSafetensorsHeader(hole), 'offsets_gap', /2\.\.4/);
    const { json, data } = headerOf(tinyFile());
    const longer = new Uint8Array(data.length + 3);
    longer.set(data);
    assertFormatError(() => readSafetensorsHeader(assemble(json, longer)), 'offsets_gap', /3 bytes of data after the last tensor/);
  });

  it('refuses data cut short as truncated', () => {
    const file = tinyFile();
    assertFormatError(() => readSafetensorsHeader(file.subarray(0, file.length - 1)), 'truncated', /only/);
  });

  it('refuses metadata that is not an object of strings', () => {
    assertFormatError(() => readSafetensorsHeader(assemble({ __metadata__: { a: 1 } }, new Uint8Array(0))), 'metadata_invalid', /__metadata__\.a/);
    assertFormatError(() => readSafetensorsHeader(assemble({ __metadata__: 'x' }, new Uint8Array(0))), 'metadata_invalid');
  });
});
