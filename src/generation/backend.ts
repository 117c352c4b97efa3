// The one interface every generation target implements: the TypeScript reference (ReferenceBackend), the virtual
// Pico and a real board (the device layer's session). Transport-agnostic: a run is a stream of plain events that
// mirror the board protocol's "start", "token", "memory", "done" and "error" lines (board/lib/picoformer/protocol.py).
import type { StopReason } from '../model/generate';
import type { GenerationParams } from './params';

/** Where tokens come from. `virtual` must always be labelled as such in the UI. */
export type TargetKind = 'reference' | 'virtual' | 'board';

export interface GenerationTarget {
  kind: TargetKind;
  /** For people: "TypeScript reference (this computer)", "Virtual Pico", "Raspberry Pi Pico on /dev/ttyACM0". */
  label: string;
}

/** The model to run, by name and host file (a board backend deploys or loads it by name). */
export interface GenerationModelRef {
  name: string;
  /** A picoformer/1 file, or a legacy trio's folder or config_<N>p.json. */
  path: string;
}

export type { GenerationParams } from './params';

/** `stopped`: the run was stopped on request. */
export type GenerationStopReason = StopReason | 'stopped';

export interface StartEvent {
  type: 'start';
  promptTokens: number;
  /** Prompt tokens dropped from the left to fit the context. */
  truncated: number;
  /** Prompt characters that became unk_id. */
  unknown: number;
  seed: number;
}

export interface TokenEvent {
  type: 'token';
  id: number;
  text: string;
  /** 0 for the first new token. */
  index: number;
  /** Since the start event (host clock). */
  elapsedMs: number;
}

/** Heap figures in bytes, as the board's "memory" event gives them. */
export interface MemoryFigures {
  free: number;
  alloc: number;
  /** The most the heap held since the model was loaded. */
  peak: number;
  heapLimit: number;
}

export interface MemoryEvent extends MemoryFigures {
  type: 'memory';
  /** True when the figures are an estimate (the reference runs on this computer, not on a board). */
  estimated: boolean;
  elapsedMs: number;
}

export interface DoneEvent {
  type: 'done';
  reason: GenerationStopReason;
  tokens: number;
  promptTokens: number;
  ms: number;
  /** Decode tokens per second, the prompt excluded (decodeRate.ts), measured by the backend (a board: its clock). */
  tokensPerSecond: number;
  /** Times the full context was refilled to go on past it (0 when the text fit; absent from boards whose runtime
   *  predates refills). */
  refills?: number;
}

export interface ErrorEvent {
  type: 'error';
  /** Stable, for programs: a ModelFormatError code, "bad_params", "empty_prompt", "out_of_memory", ... */
  code: string;
  message: string;
}

export type GenerationEvent = StartEvent | TokenEvent | MemoryEvent | DoneEvent | ErrorEvent;

/**
 * One run: iterate it for its events. Every run ends with exactly one `done` or `error` event, after which the
 * iteration completes. A run can be iterated once.
 */
export interface GenerationRun extends AsyncIterable<GenerationEvent> {
  /** Asks the run to stop; it then ends with `done` (reason `stopped`) unless it had already ended. Idempotent. */
  stop(): void;
}

export interface GenerationBackend {
  readonly target: GenerationTarget;
  /** Never throws: bad input or a failed start arrives as the run's `error` event. */
  start(model: GenerationModelRef, params: GenerationParams): GenerationRun;
}
