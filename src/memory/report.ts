// A memory estimate as text (CLI, logs) and as plain JSON (CLI --json, the webview): one place for both.
import type { Breakdown, MemoryEstimate, ModeEstimate } from './estimate';
import { calibrationNote } from './boards';
import { speedText } from './speedText';
import { ZoneMeaning } from './zones';

const Rows: [keyof Breakdown, string][] = [
  ['runtimeImport', 'runtime (import)'],
  ['weights', 'weights'],
  ['scales', 'int8 scales'],
  ['kvCache', 'KV cache'],
  ['activations', 'activations'],
  ['runtimeObjects', 'runtime objects'],
  ['vocabulary', 'vocabulary'],
  ['streamBuffer', 'stream buffer'],
  ['loadTransient', 'load transient'],
  ['headerParse', 'header parse'],
  ['fragmentationReserve', 'reserve'],
];

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function cell(text: string, width = 12): string {
  return text.padStart(width);
}

/** A table of both modes side by side, the verdict first. */
export function formatEstimate(e: MemoryEstimate, title: string): string {
  const lines: string[] = [];
  const verdict = e.mode === null ? 'does not fit in either mode' : `loads ${e.mode}`;
  lines.push(`${title} on ${e.board.label}: heap budget ${kb(e.board.heapBytes)}${calibrationNote(e.board)}, context ${e.contextLength}, ${e.kvCache} KV cache`);
  lines.push(`  ${verdict}; zone ${e.zone.toUpperCase()}: ${ZoneMeaning[e.zone]}`);
  const speed = speedText(e);
  if (speed) lines.push(`  ${speed}`);
  lines.push('');
  lines.push(`  ${''.padEnd(20)}${cell('resident')}${cell('streamed')}`);
  for (const [key, label] of Rows) {
    lines.push(`  ${label.padEnd(20)}${cell(kb(e.resident.breakdown[key]))}${cell(kb(e.streamed.breakdown[key]))}`);
  }
  const row = (label: string, f: (m: ModeEstimate) => string): void => {
    lines.push(`  ${label.padEnd(20)}${cell(f(e.resident))}${cell(f(e.streamed))}`);
  };
  lines.push('');
  row('live after load', (m) => kb(m.liveAfterLoad));
  row('peak', (m) => kb(m.peak));
  row('required (+reserve)', (m) => kb(m.required));
  row('headroom', (m) => kb(m.headroom));
  row('largest block', (m) => kb(m.largestAllocation));
  row('zone', (m) => (m.fitsDrive ? m.zone : 'no drive room'));
  lines.push('');
  lines.push(`  model file ${kb(e.fileBytes)} of a ${kb(e.board.driveBytes)} drive`);
  lines.push(
    `  the old list-of-floats runtime would need ${kb(e.legacy.peak)} (${kb(e.legacy.liveAfterLoad)} once loaded): ${e.legacy.zone}`,
  );
  lines.push(`  heap figure: ${e.board.heapSource}`);
  return `${lines.join('\n')}\n`;
}

/** The estimate as plain JSON (snake_case keys, bytes as integers). */
export function estimateJson(e: MemoryEstimate): Record<string, unknown> {
  const mode = (m: ModeEstimate): Record<string, unknown> => ({
    breakdown: m.breakdown,
    live_after_load: m.liveAfterLoad,
    peak: m.peak,
    required: m.required,
    headroom: m.headroom,
    largest_allocation: m.largestAllocation,
    fits_drive: m.fitsDrive,
    zone: m.zone,
  });
  return {
    board: { id: e.board.id, label: e.board.label, heap_bytes: e.board.heapBytes, drive_bytes: e.board.driveBytes, heap_source: e.board.heapSource, calibration: e.board.calibration },
    context_length: e.contextLength,
    kv_cache: e.kvCache,
    file_bytes: e.fileBytes,
    mode: e.mode,
    zone: e.zone,
    resident: mode(e.resident),
    streamed: mode(e.streamed),
    legacy: e.legacy,
    // A prediction (src/memory/speed.ts): decode tokens per second in the chosen mode, or null.
    speed: e.speed && {
      tokens_per_second: Number(e.speed.tokensPerSecond.toPrecision(3)),
      ms_per_token: Number(e.speed.msPerToken.toPrecision(4)),
      prefill_ms_per_token: Number(e.speed.prefillMsPerToken.toPrecision(4)),
      mode: e.speed.mode,
      path: e.speed.path,
      sampling: e.speed.sampling,
      position: e.speed.position,
      predicted: true,
    },
  };
}
