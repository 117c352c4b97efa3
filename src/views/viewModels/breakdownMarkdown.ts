// The full memory breakdown as Markdown, for the gauge's and the Models tree's tooltips.
import type { MemoryEstimate } from '../../memory/estimate';
import { formatKB, formatPercent } from './format';
import { escapeMarkdown, markdownTable } from './markdown';
import { headroomText, legacyText, memorySegments } from './memoryView';
import { zoneStyle } from './zoneStyle';
import { calibrationNote } from '../../memory/boards';
import { speedText } from '../../memory/speedText';
import { ZoneMeaning } from '../../memory/zones';

/** Zone line, totals line, the parts table and the legacy comparison. */
export function breakdownMarkdown(estimate: MemoryEstimate): string {
  const chosen = estimate.chosen;
  const style = zoneStyle(estimate.zone);
  const heap = estimate.board.heapBytes;
  const mode = estimate.mode ?? `no mode fits (closest: ${chosen.mode})`;
  const rows = memorySegments(estimate).map((s) => [s.label, s.text] as const);
  const speed = speedText(estimate);
  return [
    `$(${style.icon}) **${escapeMarkdown(style.label)}**: ${escapeMarkdown(ZoneMeaning[estimate.zone])}`,
    `Needs **${formatKB(chosen.required)}** of ${formatKB(heap)}${escapeMarkdown(calibrationNote(estimate.board))} (${formatPercent(chosen.required, heap)}) · ${headroomText(chosen.headroom)} · ${escapeMarkdown(mode)}, context ${estimate.contextLength}`,
    ...(speed ? [escapeMarkdown(speed)] : []),
    markdownTable(['Part', 'Heap'], [...rows, ['Total', formatKB(chosen.required)]]),
    escapeMarkdown(legacyText(estimate)),
  ].join('\n\n');
}
