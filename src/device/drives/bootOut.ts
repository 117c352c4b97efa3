// Parses boot_out.txt, which CircuitPython rewrites on every boot:
//   Adafruit CircuitPython 9.2.8 on 2025-05-28; Raspberry Pi Pico with rp2040
//   Board ID:raspberry_pi_pico
//   UID:E660583883724A32
//   boot.py output:
//   ...
// Older releases omit the Board ID (before 7) and UID (before 8) lines; MicroPython-style banners and the virtual
// Pico ("...; Picoformer Virtual Pico with rp2040-wasm") are accepted too. Anything else parses as unrecognised.

import type { BootInfo, Firmware } from '../types';

/** boot_out.txt is capped at 512 bytes on the board; read a little more to be tolerant. */
export const BootOutMaxBytes = 4096;

const Banner = /^(?:Adafruit\s+)?(CircuitPython|MicroPython)\s+v?(\S+)\s+on\s+([^;]+?)\s*;\s*(.+?)\s*$/i;
const BoardIdLine = /^Board ID\s*:\s*(\S+)/i;
const UidLine = /^UID\s*:\s*([0-9A-Fa-f]+)\s*$/i;

/** Splits "Raspberry Pi Pico with rp2040" at the last " with " into board name and chip. */
function splitBoardAndChip(text: string): { boardName: string; chip?: string } {
  const at = text.toLowerCase().lastIndexOf(' with ');
  if (at <= 0) return { boardName: text };
  const chip = text.slice(at + 6).trim();
  return chip ? { boardName: text.slice(0, at).trim(), chip } : { boardName: text };
}

export function parseBootOut(text: string): BootInfo {
  const raw = text.length > BootOutMaxBytes ? text.slice(0, BootOutMaxBytes) : text;
  const lines = raw
    .replace(/^\uFEFF/, '')
    .split(/\r?\n|\r/)
    .map((line) => line.trim());
  const info: BootInfo = { firmware: 'unknown', virtual: false, recognised: false, raw };

  // The banner is the first line; skip blank lines before it but not real content.
  const first = lines.find((line) => line.length > 0);
  const banner = first === undefined ? null : Banner.exec(first);
  if (banner) {
    info.recognised = true;
    info.firmware = (banner[1].toLowerCase() === 'micropython' ? 'micropython' : 'circuitpython') satisfies Firmware;
    info.version = banner[2];
    info.buildDate = banner[3];
    const { boardName, chip } = splitBoardAndChip(banner[4]);
    info.boardName = boardName;
    if (chip) info.chip = chip;
  }
  for (const line of lines) {
    const boardId = BoardIdLine.exec(line);
    if (boardId && info.boardId === undefined) info.boardId = boardId[1];
    const uid = UidLine.exec(line);
    if (uid && info.uid === undefined) info.uid = uid[1].toUpperCase();
  }
  info.virtual = /virtual/i.test(info.boardName ?? '') || /virtual/i.test(info.boardId ?? '');
  return info;
}

/** Decodes file bytes as UTF-8, replacing invalid sequences, so garbage never throws. */
export function decodeText(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes);
}
