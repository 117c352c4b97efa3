// The trainer's messages: what the host asks for (TrainJob, cancel) and the events it gets back. A UI plots
// `progress` events (step on x; trainLoss every event, valLoss when not null) and shows `prepared` before the first.
import type { BoardId } from '../memory/boards';
import type { LoadMode } from '../memory/boardParts';
import type { Zone } from '../memory/zones';
import type { ModelConfig } from '../model/config';
import type { LogitError } from '../model/quantize';
import type { Dtype } from '../model/tensor';
import type { DataRequest } from './data';
import type { TrainSettings } from './settings';
import type { ArchOptions } from './sizing';

/** How big the model is: explicit dims, a parameter count, or the largest that runs on the job's board. */
export type SizeSpec =
  | { kind: 'dims'; dim: number; hidden_dim: number; n_layers: number; n_heads: number; context_length: number }
  | { kind: 'params'; target: number }
  | { kind: 'board'; mode: LoadMode };

export interface TrainJob {
  /** A text file or a folder of .txt/.md files. */
  corpus: string;
  /** The model file to write (dtype `outputDtype`, int8 by default). */
  output: string;
  outputDtype: Dtype;
  /** Also write the float32 model here. */
  floatOutput?: string;
  /** Where checkpoints go (written at every validation and at the end). */
  checkpoint: string;
  /** Resume from this checkpoint: model, vocabulary and settings come from it; `settings.steps` may extend the run. */
  resume?: string;
  /** Required unless resuming. */
  size?: SizeSpec;
  arch: ArchOptions;
  /** The tokenizer may be "auto": run.ts settles it for the model's size (src/train/vocabChoice.ts). */
  data: DataRequest;
  /** Overrides of defaultSettings(steps). `steps` is required for a new run; resuming, it defaults to the
   *  checkpoint's (and may only extend it). */
  settings: Partial<TrainSettings>;
  /** Threads for the gradient: 1, 2, or auto (2 when there are two cores: it pays even for a 1K model). */
  threads: 1 | 2 | 'auto';
  /** The board for `size.kind === 'board'` and for the zone in the summary. */
  board: BoardId;
  customHeapKB?: number;
  /** A progress event every this many steps (default: about 200 per run). */
  logEvery?: number;
}

export interface PreparedInfo {
  name: string;
  parameterCount: number;
  config: ModelConfig;
  vocab: string[];
  /** Share of corpus characters with a token (1 = full coverage), unknown tokens, characters left out. */
  coverage: number;
  unknownTokens: number;
  missingChars: string[];
  /** Why the vocabulary is smaller than asked (a model file's header limit), when it is. */
  vocabNote?: string;
  documents: number;
  trainTokens: number;
  valTokens: number;
  /** The corpus' characters per token: 1 with characters, about 2-3.5 with subword pieces. */
  charsPerToken: number;
  settings: TrainSettings;
  threads: number;
  /** When resuming: the checkpoint and the step it had reached. */
  resumed?: { path: string; step: number };
  /** For a board-sized model: the estimate that chose it. */
  fit?: { board: string; mode: LoadMode; zone: Zone; requiredBytes: number };
}

export interface ProgressPoint {
  /** Updates done. */
  step: number;
  totalSteps: number;
  /** Mean training loss (nats per token) over the steps since the previous point. */
  trainLoss: number;
  /** Validation loss at this step, when one was measured. */
  valLoss: number | null;
  lr: number;
  /** Training tokens per second over the steps since the previous point (validation time excluded). */
  tokensPerSecond: number;
  elapsedMs: number;
  /** Global gradient norm of the last step, before clipping. */
  gradNorm: number;
}

export interface TrainSummary {
  reason: 'completed' | 'cancelled';
  steps: number;
  totalSteps: number;
  bestStep: number;
  bestValLoss: number | null;
  elapsedMs: number;
  tokensPerSecond: number;
  name: string;
  parameterCount: number;
  output: { path: string; dtype: Dtype; bytes: number };
  floatOutput?: string;
  checkpoint: string;
  /** The written model's logits against the float32 weights' on validation windows (compareLogits). */
  quantError: LogitError;
  fit: { board: string; mode: LoadMode | null; zone: Zone; requiredBytes: number };
}

export type TrainEvent =
  | { type: 'prepared'; info: PreparedInfo }
  | { type: 'progress'; point: ProgressPoint }
  | { type: 'checkpoint'; path: string; step: number; best: boolean }
  | { type: 'done'; summary: TrainSummary }
  | { type: 'error'; message: string };

/** Host to worker. */
export type TrainCommand = { type: 'cancel' };
