import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCircuitpyImage, listImage } from '../../../src/emu/fatImage';
import { CIRCUITPY_SIZE, FirmwareError } from '../../../src/emu/firmware';

describe('emu/fatImage', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fat-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('builds a 1 MiB FAT12 CIRCUITPY image holding the folder, long names and sub-folders included', async () => {
    mkdirSync(join(dir, 'lib/picoformer'), { recursive: true });
    mkdirSync(join(dir, 'models'));
    writeFileSync(join(dir, 'code.py'), 'print(1)\n');
    writeFileSync(join(dir, 'lib/picoformer/tokenizer.py'), '# x\n');
    writeFileSync(join(dir, 'models/story-1k.safetensors'), new Uint8Array(3000));
    const image = await buildCircuitpyImage(dir);
    assert.equal(image.length, CIRCUITPY_SIZE);
    assert.equal(new TextDecoder().decode(image.subarray(0x36, 0x3e)), 'FAT12   ');
    assert.equal(new TextDecoder().decode(image.subarray(0x2b, 0x34)), 'CIRCUITPY');
    assert.deepEqual(await listImage(image), ['code.py', 'lib/', 'lib/picoformer/', 'lib/picoformer/tokenizer.py', 'models/', 'models/story-1k.safetensors']);
  });

  it('says so when the folder does not fit the drive or does not exist', async () => {
    writeFileSync(join(dir, 'big.bin'), new Uint8Array(CIRCUITPY_SIZE + 1));
    await assert.rejects(buildCircuitpyImage(dir), (e: Error) => e instanceof FirmwareError && /more than the drive holds/.test(e.message));
    await assert.rejects(buildCircuitpyImage(join(dir, 'nope')), /does not exist/);
  });
});
