// The zone a memory estimate falls in, from the headroom it leaves and the largest block it needs.
// Thresholds live in constants.json (host section); docs/memory.md explains them.
import type { BoardProfile } from './boards';
import { HostC } from './constants';

export type Zone = 'safe' | 'test' | 'danger' | 'impossible';

export const ZoneOrder: readonly Zone[] = ['safe', 'test', 'danger', 'impossible'];

export const ZoneMeaning: Readonly<Record<Zone, string>> = {
  safe: 'fits with room to spare',
  test: 'fits, but test it on the board: other code or another CircuitPython build may tip it over',
  danger: 'may load on a freshly booted board, or may not: fragmentation or a different build can make it fail',
  impossible: 'needs more heap than the board has, in every load mode',
};

/** The worse of two zones. */
export function worseZone(a: Zone, b: Zone): Zone {
  return ZoneOrder.indexOf(a) >= ZoneOrder.indexOf(b) ? a : b;
}

/**
 * `required`: peak heap plus the fragmentation reserve; `largest`: the biggest single allocation.
 * Within the board's budget: headroom under 10% of the budget is danger, under 25% test, else safe
 * (constants.json). Over the budget but within the most heap ever seen free on that board: danger. Beyond: impossible.
 * A single block over half the budget is at least danger, over a quarter at least test: it needs one contiguous
 * run of free heap, and CircuitPython 9's split heap and earlier allocations break the heap into pieces.
 */
export function classifyZone(required: number, largest: number, board: Pick<BoardProfile, 'heapBytes' | 'maxHeapBytes'>): Zone {
  const budget = board.heapBytes;
  if (!(budget > 0)) throw new RangeError(`heap budget must be positive, got ${budget}`);
  if (required > Math.max(budget, board.maxHeapBytes) || largest > budget) return 'impossible';
  const headroom = (budget - required) / budget;
  let zone: Zone = headroom < HostC.zoneDangerHeadroom ? 'danger' : headroom < HostC.zoneTestHeadroom ? 'test' : 'safe';
  if (largest > HostC.zoneDangerLargestBlock * budget) zone = worseZone(zone, 'danger');
  else if (largest > HostC.zoneTestLargestBlock * budget) zone = worseZone(zone, 'test');
  return zone;
}
