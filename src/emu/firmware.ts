// The files the emulated Pico boots: the RP2040 bootrom and the official CircuitPython UF2, read from the project's
// shared folder (test fixtures, never shipped). PICOFORMER_SHARED names the folder; else it is ../shared beside the
// repository, as in CI (scripts/test-all.mjs sets the same default).

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const FIRMWARE_VERSION = '9.2.8';
export const UF2_FILE = `adafruit-circuitpython-raspberry_pi_pico-en_US-${FIRMWARE_VERSION}.uf2`;
export const BOOTROM_FILE = 'rp2040-bootrom-b1.bin';
/** Where the RP2040's flash is mapped (XIP); UF2 blocks carry addresses from here. */
export const FLASH_BASE = 0x1000_0000;
/** Where CircuitPython's CIRCUITPY filesystem starts in the Pico's 2 MiB flash, and its size. */
export const CIRCUITPY_OFFSET = 0x10_0000;
export const CIRCUITPY_SIZE = 0x10_0000;

const UF2_MAGIC_START0 = 0x0a32_4655;
const UF2_MAGIC_START1 = 0x9e5d_5157;
const UF2_MAGIC_END = 0x0ab1_6f30;
const UF2_BLOCK = 512;
const UF2_PAYLOAD = 476;

export class FirmwareError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FirmwareError';
  }
}

/** The repository root (this file is src/emu/firmware.ts). */
export const REPO_ROOT = resolve(__dirname, '..', '..');

/** The shared folder: PICOFORMER_SHARED, else ../shared beside the repository. */
export function sharedDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.PICOFORMER_SHARED || join(REPO_ROOT, '..', 'shared'));
}

export interface FlashBlock {
  /** Offset in flash (address minus FLASH_BASE). */
  offset: number;
  data: Uint8Array;
}

export interface Firmware {
  /** The bootrom as the emulator takes it: little-endian 32-bit words. */
  bootrom: Uint32Array;
  /** The UF2's payload, block by block. */
  blocks: FlashBlock[];
  uf2Path: string;
}

/** The flash writes of a UF2 file; throws FirmwareError when it holds none or a block is malformed. */
export function parseUf2(bytes: Uint8Array, name = 'the UF2 file'): FlashBlock[] {
  if (bytes.length % UF2_BLOCK !== 0) throw new FirmwareError(`${name} is not a UF2 file: ${bytes.length} bytes is not a multiple of 512.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const blocks: FlashBlock[] = [];
  for (let at = 0; at < bytes.length; at += UF2_BLOCK) {
    if (view.getUint32(at, true) !== UF2_MAGIC_START0 || view.getUint32(at + 4, true) !== UF2_MAGIC_START1) continue;
    if (view.getUint32(at + UF2_BLOCK - 4, true) !== UF2_MAGIC_END) throw new FirmwareError(`${name}: block ${at / UF2_BLOCK} has no end marker.`);
    const address = view.getUint32(at + 12, true);
    const size = view.getUint32(at + 16, true);
    const offset = address - FLASH_BASE;
    if (size > UF2_PAYLOAD || offset < 0 || offset + size > 2 * CIRCUITPY_OFFSET) {
      throw new FirmwareError(`${name}: block ${at / UF2_BLOCK} writes ${size} bytes at 0x${address.toString(16)}, outside the Pico's 2 MiB flash.`);
    }
    blocks.push({ offset, data: bytes.subarray(at + 32, at + 32 + size) });
  }
  if (!blocks.length) throw new FirmwareError(`${name} holds no UF2 blocks.`);
  return blocks;
}

function readFixture(path: string, what: string, shared: string): Buffer {
  if (!existsSync(path)) {
    throw new FirmwareError(
      `The emulated Pico needs ${what} at ${path}, which is missing. It comes from the project's shared folder ` +
        `(${shared}); set PICOFORMER_SHARED to the folder that holds firmware/${UF2_FILE} and firmware/${BOOTROM_FILE}.`,
    );
  }
  return readFileSync(path);
}

/** Reads the bootrom and the UF2 from `<shared>/firmware/`. */
export function loadFirmware(shared = sharedDir()): Firmware {
  const dir = join(shared, 'firmware');
  const bootromBytes = readFixture(join(dir, BOOTROM_FILE), 'the RP2040 bootrom', shared);
  if (bootromBytes.length !== 16 * 1024) throw new FirmwareError(`${join(dir, BOOTROM_FILE)} has ${bootromBytes.length} bytes; the RP2040 bootrom has 16384.`);
  const uf2Path = join(dir, UF2_FILE);
  const uf2 = readFixture(uf2Path, `CircuitPython ${FIRMWARE_VERSION}`, shared);
  // A copy: the Uint32Array view needs its own aligned buffer.
  const bootrom = new Uint32Array(new Uint8Array(bootromBytes).buffer);
  return { bootrom, blocks: parseUf2(uf2, uf2Path), uf2Path };
}
