// Board profiles: how much heap a model may use on each supported board, and where each figure comes from.
// The figures are budgets for EVERYTHING the Python heap holds after CircuitPython has booted: our runtime's
// import, the model, its buffers and the transient cost of loading it. Sources: ../shared/docs/pico-facts.md and
// ../shared/docs/origin-devlog.md; the reasoning is written out in docs/memory.md.

export type BoardId = 'pico-cp9' | 'pico-w-cp9' | 'pico2-cp9' | 'custom';

export interface BoardProfile {
  id: BoardId;
  label: string;
  /** Heap budget in bytes for the runtime plus one model: what we plan with (the estimate's peak must fit). */
  heapBytes: number;
  /** The most free heap ever seen on this board after boot: a model needing more than the budget but less than
   *  this may load on a fresh board (zone danger); beyond it, it cannot (zone impossible). */
  maxHeapBytes: number;
  /** Approximate size of the CIRCUITPY drive in bytes: a streamed model must fit on it beside the runtime. */
  driveBytes: number;
  /** Where the heap figure comes from, in one or two sentences (shown to users beside the estimate). */
  heapSource: string;
  /** Where the drive figure comes from. */
  driveSource: string;
  /** How its heap figures were checked: on the official firmware on the emulated Pico (docs/memory.md), not
   *  (boards that cannot be emulated here: their figures are marked "not calibrated on firmware"), or taken from
   *  the user's setting. */
  calibration: 'firmware' | 'not-calibrated' | 'setting';
  /** The chip a speed prediction is made for (src/memory/speed.ts: an RP2040 at 125 MHz), or null for none. */
  speedChip: 'rp2040' | null;
}

const KB = 1024;

/** The budget is about 80% of the free heap we have evidence for: CircuitPython 9 grows its heap in splits
 *  (MICROPY_GC_SPLIT_HEAP_AUTO), so gc.mem_free() overstates what one can allocate, and fragmentation, not the
 *  free total, is what fails first (origin log: chat-13k loaded on a fresh boot and failed after other loads). */
const BoardProfiles: Readonly<Record<Exclude<BoardId, 'custom'>, BoardProfile>> = {
  'pico-cp9': {
    id: 'pico-cp9',
    label: 'Raspberry Pi Pico (RP2040), CircuitPython 9',
    heapBytes: 140 * KB,
    maxHeapBytes: 176 * KB,
    driveBytes: 1024 * KB,
    heapSource:
      'gc.mem_free() after boot was 194,512 bytes on CircuitPython 8.2.6 (measured); on 9.2.8 the origin log had ' +
      '~139 KB left for models after its 35-40 KB runtime import, i.e. ~175-180 KB after boot. CircuitPython 9 ' +
      'grows its heap in splits, so mem_free() is optimistic: we budget 140 KB (about 80% of that); above 176 KB ' +
      'nothing can load.',
    driveSource: 'RP2040 Pico: 2 MB flash, of which the CIRCUITPY FAT drive is about 1 MB (pico-facts.md).',
    calibration: 'firmware',
    speedChip: 'rp2040',
  },
  'pico-w-cp9': {
    id: 'pico-w-cp9',
    label: 'Raspberry Pi Pico W (RP2040 + CYW43), CircuitPython 9',
    heapBytes: 100 * KB,
    maxHeapBytes: 123 * KB,
    driveBytes: 848 * KB,
    heapSource:
      'gc.mem_free() 126,112 bytes was reported on a Pico W with CircuitPython 9.0.0 (the wireless stack keeps ' +
      '~68 KB more than the plain Pico); with the same ~80% margin as the Pico profile we budget 100 KB; above ' +
      '123 KB nothing can load.',
    driveSource:
      'Pico W: 2 MB flash, the larger wireless firmware leaves a smaller drive; ~848 KB assumed (unverified).',
    calibration: 'not-calibrated',
    speedChip: 'rp2040',
  },
  'pico2-cp9': {
    id: 'pico2-cp9',
    label: 'Raspberry Pi Pico 2 (RP2350, 520 KB SRAM), CircuitPython 9',
    heapBytes: 360 * KB,
    maxHeapBytes: 450 * KB,
    driveBytes: 3 * 1024 * KB,
    heapSource:
      'Not measured: the RP2350 has 520 KB SRAM; the RP2040 build keeps ~70 KB of its 264 KB for itself ' +
      '(264 KB - 194,512 B free), which leaves ~450 KB; with the same ~80% margin we budget 360 KB (unverified).',
    driveSource: 'Pico 2: 4 MB flash; the CIRCUITPY drive is about 3 MB after the firmware (unverified).',
    calibration: 'not-calibrated',
    speedChip: null,
  },
};

export const BoardIds: readonly BoardId[] = ['pico-cp9', 'pico-w-cp9', 'pico2-cp9', 'custom'];
export const DefaultBoardId: BoardId = 'pico-cp9';

/** The custom profile's limits, the same as the `picoformer.customHeapKB` setting's. */
export const CustomHeapKbRange = { min: 16, max: 8192 } as const;

export function isBoardId(value: string): value is BoardId {
  return (BoardIds as readonly string[]).includes(value);
}

/** The profile for `id`. `custom` needs `customHeapKB` (the `picoformer.customHeapKB` setting); its drive is
 *  assumed to be a Pico's. */
export function boardProfile(id: BoardId, customHeapKB?: number): BoardProfile {
  if (id !== 'custom') return BoardProfiles[id];
  if (customHeapKB === undefined) throw new Error('The custom board profile needs a heap size in KB.');
  if (!Number.isFinite(customHeapKB) || customHeapKB < CustomHeapKbRange.min || customHeapKB > CustomHeapKbRange.max) {
    throw new Error(
      `Custom heap size must be between ${CustomHeapKbRange.min} and ${CustomHeapKbRange.max} KB, got ${customHeapKB}.`,
    );
  }
  return {
    id: 'custom',
    label: `Custom board (${customHeapKB} KB heap)`,
    heapBytes: Math.floor(customHeapKB * KB),
    maxHeapBytes: Math.floor(customHeapKB * KB),
    driveBytes: BoardProfiles['pico-cp9'].driveBytes,
    heapSource: 'The picoformer.customHeapKB setting (taken as both the budget and the most there is).',
    driveSource: BoardProfiles['pico-cp9'].driveSource,
    calibration: 'setting',
    speedChip: 'rp2040',
  };
}

/** " (not calibrated on firmware)" after a figure of a board whose heap could not be measured on the emulated
 *  official firmware (the Pico W's and the Pico 2's chips are not emulated here), else "". */
export function calibrationNote(board: Pick<BoardProfile, 'calibration'>): string {
  return board.calibration === 'not-calibrated' ? ' (not calibrated on firmware)' : '';
}

/** A board id as people read it ("Raspberry Pi Pico …"); the custom profile and unknown ids as "a custom board". */
export function boardLabel(id: string): string {
  return isBoardId(id) && id !== 'custom' ? BoardProfiles[id].label : 'a custom board';
}

/** Looks a profile up by a user-typed id (CLI `--board`), with a clear error listing the known ids. */
export function parseBoardId(text: string): BoardId {
  if (isBoardId(text)) return text;
  throw new Error(`Unknown board "${text}". Known boards: ${BoardIds.join(', ')}.`);
}
