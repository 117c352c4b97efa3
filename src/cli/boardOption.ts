// --board ID [--heap-kb N]: the board profile a command checks models against (the same ids as the setting).
import { type BoardProfile, BoardIds, CustomHeapKbRange, DefaultBoardId, boardProfile, parseBoardId } from '../memory/boards';
import { type Parsed, numberOption, stringOption } from './args';
import { UsageError } from './command';

/** The options to add to a command's parse table. */
export const BoardOptions = { board: { type: 'string' }, 'heap-kb': { type: 'string' } } as const;

export const BoardUsage = `  --board ID         ${BoardIds.join(', ')} (default ${DefaultBoardId})
  --heap-kb N        the heap in KB for --board custom`;

export function boardFromOptions(parsed: Parsed): BoardProfile {
  let id;
  try {
    id = parseBoardId(stringOption(parsed, 'board') ?? DefaultBoardId);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (id !== 'custom') {
    if (parsed.values['heap-kb'] !== undefined) throw new UsageError('--heap-kb goes with --board custom');
    return boardProfile(id);
  }
  return boardProfile(id, numberOption(parsed, 'heap-kb', 140, CustomHeapKbRange.min, CustomHeapKbRange.max));
}
