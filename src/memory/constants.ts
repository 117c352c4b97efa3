// Typed access to constants.json, the one table of memory figures shared by this estimator and the board's
// memest.py (the "board" section is repeated there as const() lines; a unit test keeps the two equal).
import table from './constants.json';

/** Figures the board runtime uses too (names as in board/lib/picoformer/memest.py). */
export type BoardConstants = typeof table.board;
/** Figures only the host needs: the runtime's import cost and the zone thresholds. */
export type HostConstants = typeof table.host;
/** The old list-of-floats runtime's costs, for the comparison. */
export type LegacyConstants = typeof table.legacy;

export const BoardC: Readonly<BoardConstants> = table.board;
export const HostC: Readonly<HostConstants> = table.host;
export const LegacyC: Readonly<LegacyConstants> = table.legacy;

/** Rounds up to whole GC blocks: every heap allocation is a whole number of 16-byte blocks. */
export function roundToBlock(bytes: number): number {
  return Math.ceil(bytes / BoardC.GC_BLOCK) * BoardC.GC_BLOCK;
}

/** Heap bytes of one array('b'/'f'/'H'...) or bytearray holding `itemBytes` of items: the object header is a
 *  separate allocation from the items (measured in the MicroPython VM: bytearray(1000) costs 1,024 bytes). */
export function arrayCost(itemBytes: number): number {
  return itemBytes > 0 ? BoardC.ARRAY_OBJ + roundToBlock(itemBytes) : BoardC.ARRAY_OBJ;
}
