// What the status bar memory gauge shows: the selected model against the selected board (text, colour, tooltip),
// with live heap figures when a backend reports them.
import type { MemoryEstimate } from '../../memory/estimate';
import type { Zone } from '../../memory/zones';
import { modelFileStem, modelTitle } from '../../model/displayName';
import { breakdownMarkdown } from './breakdownMarkdown';
import { formatKB, formatPercent } from './format';
import { escapeIcons, escapeMarkdown } from './markdown';
import { zoneStyle } from './zoneStyle';

/** Heap figures a board (or the virtual Pico) reported while running. */
export interface LiveHeap {
  free: number;
  peak: number;
  heapLimit: number;
  /** Who reported them: "Virtual Pico", "Raspberry Pi Pico on /dev/ttyACM0". */
  source: string;
}

export interface GaugeInput {
  /** The selected model (its file name, and the name it gives itself), or null when none is selected. */
  model: { fileName: string; ownName?: string } | null;
  /** Its estimate on the selected board; null when it could not be made (see problem). */
  estimate: MemoryEstimate | null;
  /** Why there is no estimate: the model file is unreadable, ... */
  problem?: string;
  /** Live figures, only from a real or virtual board (never estimates). */
  live?: LiveHeap | null;
  /** The command a click runs. */
  command: string;
}

export interface GaugeView {
  text: string;
  tooltipMarkdown: string;
  ariaLabel: string;
  zone: Zone | null;
  /** Theme colour id for the item's background (warning/error), or undefined. */
  backgroundColorId: string | undefined;
  command: string;
}

const ClickHint = 'Click to open the Picoformer Studio.';

export function gaugeView(input: GaugeInput): GaugeView {
  const { model, estimate, live, command } = input;
  if (model === null) {
    return {
      text: '$(circuit-board) No model',
      tooltipMarkdown: `**Picoformer memory gauge**\n\nNo model is selected: choose one in the Models view or in the Studio.\n\n${ClickHint}`,
      ariaLabel: 'Picoformer: no model selected',
      zone: null,
      backgroundColorId: undefined,
      command,
    };
  }
  // The file's name in the bar (without ".safetensors", a long one shortened: the bar is shared with every other
  // extension's items); the whole name and the model's own name in the tooltip and the accessible label.
  const name = escapeIcons(shortStem(modelFileStem(model.fileName)));
  const title = model.ownName ? modelTitle(model.fileName, model.ownName) : model.fileName;
  const titleMarkdown = `**${escapeMarkdown(model.fileName)}**${title === model.fileName ? '' : ` (model ${escapeMarkdown(model.ownName ?? '')})`}`;
  if (estimate === null) {
    const problem = input.problem ?? 'no estimate is available';
    return {
      text: `$(error) ${name}: unreadable`,
      tooltipMarkdown: `${titleMarkdown}\n\nNo memory estimate: ${escapeMarkdown(problem)}\n\n${ClickHint}`,
      ariaLabel: `Picoformer: ${title}: no memory estimate: ${problem}`,
      zone: null,
      backgroundColorId: zoneStyle('impossible').statusBarBackgroundId,
      command,
    };
  }
  const style = zoneStyle(estimate.zone);
  const { required, headroom } = estimate.chosen;
  const heap = estimate.board.heapBytes;
  const percent = formatPercent(required, heap);
  const room = headroom >= 0 ? `${formatKB(headroom)} left` : `${formatKB(-headroom)} over`;
  let text = `$(${style.icon}) ${name} ${percent} · ${room}`;
  let aria = `Picoformer memory: ${title} on ${estimate.board.label}: ${percent} of the heap, ${room}, ${style.label}`;
  const sections = [`${titleMarkdown} on ${escapeMarkdown(estimate.board.label)}`, breakdownMarkdown(estimate)];
  if (live) {
    text += ` · live ${formatKB(live.free)} free`;
    aria += `; live: ${formatKB(live.free)} free, peak ${formatKB(live.peak)}`;
    sections.push(
      `**Live** (${escapeMarkdown(live.source)}): ${formatKB(live.free)} free, peak ${formatKB(live.peak)} in use of ${formatKB(live.heapLimit)}`,
    );
  }
  sections.push(ClickHint);
  return {
    text,
    tooltipMarkdown: sections.join('\n\n'),
    ariaLabel: aria,
    zone: estimate.zone,
    backgroundColorId: style.statusBarBackgroundId,
    command,
  };
}

/** Past 27 characters: the first 16 and the last 10 (a family name and a version, usually), "…" between. */
function shortStem(stem: string): string {
  const chars = [...stem];
  return chars.length <= 27 ? stem : `${chars.slice(0, 16).join('')}…${chars.slice(-10).join('')}`;
}
