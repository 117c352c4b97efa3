// USB VID:PID pairs that identify a Pico and what runs on it (../shared/docs/pico-facts.md). A vendor id alone
// identifies nothing: Adafruit (239A), Raspberry Pi (2E8A) and pid.codes (1209) cover many boards.

import type { Firmware, UsbIdentity } from '../types';

interface KnownId {
  vendorId: string;
  productId: string;
  board: string;
  firmware: Firmware;
}

export const KnownUsbIds: readonly KnownId[] = [
  { vendorId: '239A', productId: '80F4', board: 'Raspberry Pi Pico', firmware: 'circuitpython' },
  { vendorId: '239A', productId: '8120', board: 'Raspberry Pi Pico W', firmware: 'circuitpython' },
  { vendorId: '2E8A', productId: '000B', board: 'Raspberry Pi Pico 2', firmware: 'circuitpython' },
  { vendorId: '239A', productId: '8162', board: 'Raspberry Pi Pico 2 W', firmware: 'circuitpython' },
  { vendorId: '2E8A', productId: '0005', board: 'Raspberry Pi Pico', firmware: 'micropython' },
  { vendorId: '2E8A', productId: '0003', board: 'RP2040 board in BOOTSEL', firmware: 'bootloader' },
  { vendorId: '2E8A', productId: '000F', board: 'RP2350 board in BOOTSEL', firmware: 'bootloader' },
];

/** "0x239a", "239A", "239a" -> "239A"; anything that is not 1-4 hex digits -> undefined. */
export function normalizeHexId(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(?:0x)?([0-9a-f]{1,4})\s*$/i.exec(value);
  return m ? m[1].toUpperCase().padStart(4, '0') : undefined;
}

/** Parses `picoformer.extraUsbIds` entries ("239A:80F4", "0x239a:0x80f4"); bad entries come back as notes. */
export function parseExtraUsbIds(entries: readonly string[] | undefined): { ids: UsbIdentity[]; notes: string[] } {
  const ids: UsbIdentity[] = [];
  const notes: string[] = [];
  for (const entry of entries ?? []) {
    const [vid, pid, ...rest] = String(entry).split(':');
    const vendorId = normalizeHexId(vid);
    const productId = normalizeHexId(pid);
    if (!vendorId || !productId || rest.length > 0 || !/^\s*(0x)?[0-9a-f]{4}\s*$/i.test(vid) || !/^\s*(0x)?[0-9a-f]{4}\s*$/i.test(pid)) {
      notes.push(`Ignored "${entry}" in picoformer.extraUsbIds: expected VID:PID as two 4-digit hex numbers, like 239A:80F4.`);
      continue;
    }
    ids.push({ vendorId, productId, board: `USB device ${vendorId}:${productId}`, firmware: 'circuitpython', origin: 'user' });
  }
  return { ids, notes };
}

/** What a VID:PID is: the built-in table first, then the user's pairs. */
export function identifyUsb(vendorId: string | undefined, productId: string | undefined, extra: readonly UsbIdentity[] = []): UsbIdentity | undefined {
  const vid = normalizeHexId(vendorId);
  const pid = normalizeHexId(productId);
  if (!vid || !pid) return undefined;
  const known = KnownUsbIds.find((k) => k.vendorId === vid && k.productId === pid);
  if (known) return { ...known, origin: 'known' };
  return extra.find((e) => e.vendorId === vid && e.productId === pid);
}
