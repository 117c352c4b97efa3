// The memory estimate as a Markdown page (Estimate Memory opens it in the preview): the verdict first, then the
// chosen mode's parts, both modes side by side, and the old runtime. Pure (no vscode).
import type { MemoryEstimate, ModeEstimate } from '../../memory/estimate';
import { ZoneMeaning } from '../../memory/zones';
import { modelTitle } from '../../model/displayName';
import type { ModelSummary } from '../../model/summary';
import { formatCount, formatKB, formatPercent, formatSize } from '../../views/viewModels/format';
import { escapeMarkdown } from '../../views/viewModels/markdown';
import { headroomText, legacyText, memorySegments } from '../../views/viewModels/memoryView';
import { zoneStyle } from '../../views/viewModels/zoneStyle';
import { dtypeName } from '../pickItems';

export interface EstimatePage {
  summary: ModelSummary;
  /** The model's file name (model/displayName.ts): the page is titled by it, the model's own name second. */
  fileName: string;
  /** Where the model is, as shown (workspace-relative). */
  location: string;
  legacy: boolean;
  estimate: MemoryEstimate;
  /** The matrix type estimated (the deployed one). */
  dtype: string;
}

const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

export function estimateMarkdown(page: EstimatePage): string {
  const { summary: s, estimate: e } = page;
  const style = zoneStyle(e.zone);
  const mode = e.mode ?? `no mode fits (closest: ${e.chosen.mode})`;
  const converted = page.dtype !== s.weights ? ` (as deployed: converted to ${dtypeName(page.dtype)})` : '';
  const lines = [
    `# Memory estimate: ${escapeMarkdown(modelTitle(page.fileName, s.name))}`,
    '',
    `${escapeMarkdown(page.location)}${page.legacy ? ' (legacy trio, converted on the fly)' : ''} · ${formatCount(s.parameterCount)} parameters · ${s.weights} weights${escapeMarkdown(converted)} · ${formatSize(e.fileBytes)} file`,
    '',
    e.zone === 'impossible' ? `**${style.label}** on ${escapeMarkdown(e.board.label)}.` : `**${style.label}** on ${escapeMarkdown(e.board.label)}: ${escapeMarkdown(ZoneMeaning[e.zone])}.`,
    '',
    `Needs **${formatKB(e.chosen.required)}** of the ${formatKB(e.board.heapBytes)} heap budget (${formatPercent(e.chosen.required, e.board.heapBytes)}), ${headroomText(e.chosen.headroom)}; load mode: ${escapeMarkdown(mode)}; context ${e.contextLength}.`,
    '',
    '## Where the heap goes',
    '',
    row(['Part', 'Heap', 'What it is']),
    row(['---', '---:', '---']),
    ...memorySegments(e).map((seg) => row([seg.label, seg.text, escapeMarkdown(seg.description)])),
    row(['**Total**', `**${formatKB(e.chosen.required)}**`, 'peak plus reserve: what must fit']),
    '',
    '## Resident and streamed',
    '',
    row(['', 'resident', 'streamed']),
    row(['---', '---:', '---:']),
    ...modeRows(e.resident, e.streamed),
    '',
    '## The old runtime',
    '',
    escapeMarkdown(legacyText(e)),
    '',
    '## Where the heap figure comes from',
    '',
    escapeMarkdown(e.board.heapSource),
    '',
  ];
  return lines.join('\n');
}

function modeRows(r: ModeEstimate, s: ModeEstimate): string[] {
  const both = (label: string, f: (m: ModeEstimate) => string) => row([label, f(r), f(s)]);
  return [
    both('live after load', (m) => formatKB(m.liveAfterLoad)),
    both('peak', (m) => formatKB(m.peak)),
    both('required (peak + reserve)', (m) => formatKB(m.required)),
    both('headroom', (m) => headroomText(m.headroom)),
    both('largest single block', (m) => formatKB(m.largestAllocation)),
    both('zone', (m) => (m.fitsDrive ? zoneStyle(m.zone).label : 'file does not fit the drive')),
  ];
}
