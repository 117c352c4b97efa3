// A memory estimate as the Studio's memory section shows it: the heap split into parts that add up to what must
// fit, the zone, the headroom and the comparison with the old list-of-floats runtime.
import type { ModeOption, MemoryEstimate } from '../../memory/estimate';
import { calibrationNote } from '../../memory/boards';
import { speedText } from '../../memory/speedText';
import { ZoneMeaning } from '../../memory/zones';
import type { MemorySegment, MemoryView, SegmentKey } from '../../panels/protocol';
import { formatKB, formatSize } from './format';
import { zoneStyle } from './zoneStyle';

const SegmentText: Readonly<Record<SegmentKey, { label: string; description: string }>> = {
  runtimeImport: { label: 'Runtime import', description: "Picoformer's board runtime once imported: bytecode, functions, module dicts." },
  weights: { label: 'Weights', description: 'Resident weight matrices and norm weights.' },
  scales: { label: 'Int8 scales', description: 'One float32 scale per row of every int8 matrix.' },
  kvCache: { label: 'KV cache', description: 'Keys and values of every layer for the whole context: float32, or int8 with one scale per cached vector.' },
  activations: { label: 'Activations', description: 'Working vectors: x, q, hidden, attention scores, logits, the token sequence.' },
  streamBuffer: { label: 'Stream buffer', description: 'Streamed mode: the buffer each chunk of a weight matrix is read into.' },
  vocabulary: { label: 'Vocabulary', description: 'The packed vocabulary: one UTF-8 blob, its offsets and special flags.' },
  runtimeObjects: { label: 'Runtime objects', description: 'Python objects around the buffers: a Mat per matrix, the model, the config, views.' },
  loadTransient: { label: 'Load transient', description: 'Alive only while loading: the tensor table and the F16 conversion chunk.' },
  loadPeak: { label: 'Loading peak', description: 'Extra heap held for a moment while the runtime imports or the header is parsed.' },
  reserve: { label: 'Reserve', description: 'Free heap kept for fragmentation, the stack and printing.' },
};

/** The parts of the chosen mode, in drawing order, without empty ones; they sum to `chosen.required`. */
export function memorySegments(estimate: MemoryEstimate): MemorySegment[] {
  const b = estimate.chosen.breakdown;
  const loaded = estimate.chosen.liveAfterLoad + b.loadTransient;
  const parts: [SegmentKey, number][] = [
    ['runtimeImport', b.runtimeImport],
    ['weights', b.weights],
    ['scales', b.scales],
    ['kvCache', b.kvCache],
    ['activations', b.activations],
    ['streamBuffer', b.streamBuffer],
    ['vocabulary', b.vocabulary],
    ['runtimeObjects', b.runtimeObjects],
    ['loadTransient', b.loadTransient],
    // The peak may come from the import or the header parse rather than the loaded model: show the difference.
    ['loadPeak', Math.max(0, estimate.chosen.peak - loaded)],
    ['reserve', b.fragmentationReserve],
  ];
  return parts.filter(([, bytes]) => bytes > 0).map(([key, bytes]) => ({ key, bytes, text: formatKB(bytes), ...SegmentText[key] }));
}

export function headroomText(headroomBytes: number): string {
  return headroomBytes >= 0 ? `${formatKB(headroomBytes)} headroom` : `${formatKB(-headroomBytes)} over the heap`;
}

export function modeText(estimate: MemoryEstimate, requested: ModeOption): string {
  if (estimate.mode === null) return `none fits (closest: ${estimate.chosen.mode})`;
  return requested === 'auto' ? `${estimate.mode} (chosen automatically)` : estimate.mode;
}

export function legacyText(estimate: MemoryEstimate): string {
  const legacy = estimate.legacy;
  const ours = estimate.chosen.required;
  const ratio = ours > 0 ? legacy.peak / ours : 0;
  const verdict = zoneStyle(legacy.zone).label.toLowerCase();
  return `The old list-of-floats runtime would need ${formatKB(legacy.peak)} (${verdict}): ${ratio.toFixed(1)}× the ${formatKB(ours)} needed here.`;
}

export function memoryView(estimate: MemoryEstimate, requested: ModeOption = 'auto'): MemoryView {
  const chosen = estimate.chosen;
  const heap = estimate.board.heapBytes;
  const style = zoneStyle(estimate.zone);
  const notes: string[] = [];
  if (!chosen.fitsDrive) notes.push(`The model file (${formatSize(estimate.fileBytes)}) does not fit on the board's drive beside the runtime.`);
  if (chosen.largestAllocation > heap / 4) {
    notes.push(`Its largest single buffer is ${formatKB(chosen.largestAllocation)}: it needs one contiguous run of free heap.`);
  }
  return {
    boardLabel: `${estimate.board.label}${calibrationNote(estimate.board)}`,
    heapBytes: heap,
    heapText: formatKB(heap),
    segments: memorySegments(estimate),
    requiredBytes: chosen.required,
    requiredText: formatKB(chosen.required),
    headroomBytes: chosen.headroom,
    headroomText: headroomText(chosen.headroom),
    zone: estimate.zone,
    zoneLabel: style.label,
    zoneMeaning: ZoneMeaning[estimate.zone],
    modeText: modeText(estimate, requested),
    legacyText: legacyText(estimate),
    speedText: speedText(estimate),
    legacyBytes: estimate.legacy.peak,
    legacyZone: estimate.legacy.zone,
    notes,
  };
}
