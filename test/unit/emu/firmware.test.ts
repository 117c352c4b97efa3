import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FirmwareError, loadFirmware, parseUf2, sharedDir } from '../../../src/emu/firmware';

/** One UF2 block writing `data` at flash address `address`. */
function block(address: number, data: number[], end = 0x0ab16f30): Uint8Array {
  const b = new Uint8Array(512);
  const v = new DataView(b.buffer);
  v.setUint32(0, 0x0a324655, true);
  v.setUint32(4, 0x9e5d5157, true);
  v.setUint32(12, address, true);
  v.setUint32(16, data.length, true);
  b.set(data, 32);
  v.setUint32(508, end, true);
  return b;
}

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

describe('emu/firmware', () => {
  it('reads the flash writes of UF2 blocks, skipping blocks that are not UF2', () => {
    const blocks = parseUf2(concat(block(0x1000_0000, [1, 2, 3]), new Uint8Array(512), block(0x1000_0100, [4])));
    assert.deepEqual(blocks.map((b) => [b.offset, [...b.data]]), [[0, [1, 2, 3]], [0x100, [4]]]);
  });

  it('refuses a file that is not UF2, a block without its end marker, a write outside the flash', () => {
    assert.throws(() => parseUf2(new Uint8Array(100)), (e: Error) => e instanceof FirmwareError && /not a multiple of 512/.test(e.message));
    assert.throws(() => parseUf2(new Uint8Array(1024)), /holds no UF2 blocks/);
    assert.throws(() => parseUf2(block(0x1000_0000, [1], 0)), /no end marker/);
    assert.throws(() => parseUf2(block(0x2000_0000, [1])), /outside the Pico's 2 MiB flash/);
  });

  it('finds the shared folder from PICOFORMER_SHARED, else ../shared beside the repository', () => {
    assert.equal(sharedDir({ PICOFORMER_SHARED: '/somewhere/shared' }), '/somewhere/shared');
    assert.match(sharedDir({}), /[/\\]shared$/);
  });

  it('says what is missing and how to point at it when the firmware is not there', () => {
    const empty = mkdtempSync(join(tmpdir(), 'no-shared-'));
    try {
      assert.throws(() => loadFirmware(empty), (e: Error) => e instanceof FirmwareError && /RP2040 bootrom/.test(e.message) && /PICOFORMER_SHARED/.test(e.message));
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
