// The memory verdict shown BEFORE anything is written to a board: go ahead, warn with the numbers (danger), or
// refuse with the reason (impossible), offering what would help (int8, the streamed load mode). Pure (no vscode).
import type { MemoryEstimate, ModeEstimate } from '../../memory/estimate';
import { calibrationNote } from '../../memory/boards';
import { speedShort } from '../../memory/speedText';
import { type Zone, ZoneMeaning, ZoneOrder } from '../../memory/zones';
import { formatKB, formatSize } from '../../views/viewModels/format';
import { headroomText } from '../../views/viewModels/memoryView';

export type DeployOffer = 'int8' | 'streamed';

export interface DeployVerdict {
  kind: 'go' | 'warn' | 'refuse';
  zone: Zone;
  /** One or two sentences with the numbers. */
  message: string;
  /** What would make it fit or safer, best first. */
  offers: DeployOffer[];
}

export interface VerdictInput {
  modelName: string;
  /** The model as it would be deployed (its dtype), auto mode. */
  estimate: MemoryEstimate;
  /** The same model converted to int8, when it is not int8 already. */
  int8?: MemoryEstimate;
}

const better = (a: Zone, b: Zone): boolean => ZoneOrder.indexOf(a) < ZoneOrder.indexOf(b);

function needs(m: ModeEstimate, heap: number): string {
  return `${m.mode} it needs ${formatKB(m.required)} of the ${formatKB(heap)} heap budget`;
}

export function deployVerdict(input: VerdictInput): DeployVerdict {
  const { estimate: e, modelName } = input;
  const heap = e.board.heapBytes;
  const offers: DeployOffer[] = [];
  if (input.int8 && better(input.int8.zone, e.zone)) offers.push('int8');
  // The streamed mode is worth offering when auto picked resident but streamed would be in a better zone.
  if (e.mode === 'resident' && better(e.streamed.zone, e.resident.zone)) offers.push('streamed');
  const on = `on ${e.board.label}${calibrationNote(e.board)}`;
  const speed = speedShort(e);
  const speedText = speed ? ` It should run at ${speed}.` : '';
  const int8Text = offers.includes('int8') && input.int8 ? ` As int8 it would need ${formatKB(input.int8.chosen.required)} (${input.int8.zone}).` : '';
  const streamedText = offers.includes('streamed') ? ` Streamed it would need ${formatKB(e.streamed.required)} (${e.streamed.zone}), and run slower.` : '';

  if (e.zone === 'impossible') {
    const reason = !e.chosen.fitsDrive
      ? `the file (${formatSize(e.fileBytes)}) does not fit on the board's ${formatSize(e.board.driveBytes)} drive beside the runtime`
      : `resident it needs ${formatKB(e.resident.required)} and streamed ${formatKB(e.streamed.required)}, more than the ${formatKB(Math.max(heap, e.board.maxHeapBytes))} any such board has free`;
    return { kind: 'refuse', zone: e.zone, message: `${modelName} does not fit ${on}: ${reason}.${int8Text}`, offers };
  }
  if (e.zone === 'danger') {
    return {
      kind: 'warn',
      zone: e.zone,
      message: `${modelName} is in the danger zone ${on}: ${needs(e.chosen, heap)} (${headroomText(e.chosen.headroom)}). It ${ZoneMeaning.danger}.${speedText}${streamedText}${int8Text}`,
      offers,
    };
  }
  const note = e.zone === 'test' ? ` Zone test: it ${ZoneMeaning.test}.` : '';
  return { kind: 'go', zone: e.zone, message: `${modelName} fits ${on}: ${needs(e.chosen, heap)} (${headroomText(e.chosen.headroom)}).${note}${speedText}`, offers };
}
