// The virtual Pico's boot_out.txt, in the folder that plays its CIRCUITPY drive. Drive detection reads it like a real
// board's; the board name says "Virtual" so nothing mistakes it for hardware, and the banner says what really runs:
// MicroPython in WebAssembly (it reproduces CircuitPython 9's supervisor messages, drive and auto-reload).

import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The MicroPython release the virtual Pico runs (@micropython/micropython-webassembly-pyscript; a test keeps it so). */
export const VIRTUAL_MICROPYTHON_VERSION = '1.27.0';
/** The CircuitPython release whose supervisor messages and terminal titles it reproduces. */
export const EMULATED_CIRCUITPYTHON_VERSION = '9.2.8';
export const VIRTUAL_BUILD_DATE = '2026-11-28';
export const VIRTUAL_BOARD_NAME = 'Picoformer Virtual Pico';
export const VIRTUAL_CHIP = 'WebAssembly';
export const VIRTUAL_BOARD_ID = 'picoformer_virtual_pico';

/** First line of boot_out.txt and of the REPL banner, as MicroPython writes its banner. */
export const VIRTUAL_BANNER = `MicroPython v${VIRTUAL_MICROPYTHON_VERSION} on ${VIRTUAL_BUILD_DATE}; ${VIRTUAL_BOARD_NAME} with ${VIRTUAL_CHIP}`;

/** A stable 16-hex-digit UID per drive folder (a real board's UID is its flash chip's unique id). */
export function virtualUid(driveDir: string): string {
  return createHash('sha256').update(resolve(driveDir)).digest('hex').slice(0, 16).toUpperCase();
}

export function bootOutText(driveDir: string): string {
  return `${VIRTUAL_BANNER}\r\nBoard ID:${VIRTUAL_BOARD_ID}\r\nUID:${virtualUid(driveDir)}\r\n`;
}

/** Writes boot_out.txt unless it already says the same (CircuitPython also avoids rewriting it). */
export function writeBootOut(driveDir: string): void {
  const path = join(driveDir, 'boot_out.txt');
  const text = bootOutText(driveDir);
  try {
    if (readFileSync(path, 'utf8') === text) return;
  } catch {
    // absent
  }
  writeFileSync(path, text);
}
