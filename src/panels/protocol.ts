// Every message between the Studio panel's host (StudioPanel/StudioSession) and its webview (src/webview/studio.ts),
// with its payload type. Imported by both sides. Self-contained on purpose (its one import, generation/params.ts,
// imports nothing): the webview bundle and its tsconfig (lib dom) see nothing else of the host's modules. Host-to-webview notifications are named did…; the webview's
// requests are verbs. The host validates every webview message with parseWebviewMessage() before acting on it.
import { type GenerationParams, checkGenerationParams } from '../generation/params';

// ---- Plain data shown by the panel (built by src/views/viewModels on the host) --------------------------------

export type ZoneId = 'safe' | 'test' | 'danger' | 'impossible';
export const ZoneIds: readonly ZoneId[] = ['safe', 'test', 'danger', 'impossible'];

/** Matrices as in the file, or converted as deploying would (int8 is the default deployment). */
export type WhatIfDtype = 'stored' | 'I8' | 'F16' | 'F32';
export const WhatIfDtypes: readonly WhatIfDtype[] = ['stored', 'I8', 'F16', 'F32'];
export type WhatIfMode = 'auto' | 'resident' | 'streamed';
export const WhatIfModes: readonly WhatIfMode[] = ['auto', 'resident', 'streamed'];
/** The attention's KV cache (docs/format.md): the model's own by default. */
export type WhatIfKvCache = 'int8' | 'float32';
export const WhatIfKvCaches: readonly WhatIfKvCache[] = ['int8', 'float32'];

/** The memory section's what-if controls. */
export interface WhatIf {
  boardId: string;
  /** Used when boardId is "custom". */
  customHeapKB: number;
  /** 1..the model's context length. */
  contextLength: number;
  dtype: WhatIfDtype;
  mode: WhatIfMode;
  kvCache: WhatIfKvCache;
}

export interface BoardOption {
  id: string;
  label: string;
}

export interface ModelView {
  /** The file's name ("mytiny-8k.safetensors"; a legacy trio: its folder): how the model is named everywhere. */
  name: string;
  /** The name the model gives itself ("story-8k"), shown second. */
  ownName: string;
  /** Workspace-relative when possible. */
  location: string;
  legacy: boolean;
  parameters: number;
  /** "model story-8k · 8,192 parameters · I8 · 9.6 KB file" */
  detail: string;
  contextLength: number;
  /** For counting the prompt's tokens as it is typed (src/panels/promptCount.ts). */
  tokenizer: PromptTokenizerView;
}

/** The model's vocabulary and tokenizer settings (docs/format.md "Tokenizer"), as plain data. */
export interface PromptTokenizerView {
  vocab: string[];
  kind: 'char' | 'longest_match';
  lowercase: boolean;
  unkId: number;
  specialIds: number[];
  decodeOnlyIds: number[];
  bos: boolean;
}

/** Parts of the heap, in the order they are drawn. */
export type SegmentKey =
  | 'runtimeImport'
  | 'weights'
  | 'scales'
  | 'kvCache'
  | 'activations'
  | 'streamBuffer'
  | 'vocabulary'
  | 'runtimeObjects'
  | 'loadTransient'
  | 'loadPeak'
  | 'reserve';

export interface MemorySegment {
  key: SegmentKey;
  label: string;
  bytes: number;
  /** "12.5 KB" */
  text: string;
  /** One sentence: what this part is. */
  description: string;
}

export interface MemoryView {
  boardLabel: string;
  heapBytes: number;
  heapText: string;
  /** Sum to requiredBytes. */
  segments: MemorySegment[];
  requiredBytes: number;
  requiredText: string;
  /** heap - required; negative when it does not fit. */
  headroomBytes: number;
  /** "52.1 KB headroom" or "12.0 KB over the heap" */
  headroomText: string;
  zone: ZoneId;
  zoneLabel: string;
  zoneMeaning: string;
  /** "resident (chosen automatically)", "streamed", "no mode fits" */
  modeText: string;
  /** The old list-of-floats runtime on the same model, e.g. "The old list-of-floats runtime would need 210 KB (impossible)." */
  legacyText: string;
  legacyBytes: number;
  legacyZone: ZoneId;
  /** "About 27 tok/s on a Pico (…): a prediction …", or null when the model does not fit. */
  speedText: string | null;
  /** Extra warnings: the file does not fit on the drive, a very large single allocation, ... */
  notes: string[];
}

export interface GenerationDefaults {
  maxTokens: number;
  temperature: number;
  topK: number;
  /** 0 = a new seed each run. */
  seed: number;
}

export type TargetKindId = 'reference' | 'virtual' | 'board';

export interface TargetView {
  kind: TargetKindId;
  label: string;
}

/** What a failed run's button does: deploy the model (and the runtime) to its board, restart the virtual Pico, pick
 *  another board, open the Picoformer settings, or choose another model (one that does not fit cannot be deployed).
 *  After the first two the run is tried again. */
export type ErrorActionId = 'deployModel' | 'restartVirtualPico' | 'selectBoard' | 'openSettings' | 'chooseModel';
export const ErrorActionIds: readonly ErrorActionId[] = ['deployModel', 'restartVirtualPico', 'selectBoard', 'openSettings', 'chooseModel'];

export interface ErrorAction {
  id: ErrorActionId;
  label: string;
}

/** Prompt, max tokens, temperature, top-k, seed: the same type as the backends take. */
export type RunParams = GenerationParams;

/** What a run reports, as the generation backend's events (src/generation/backend.ts), minus token ids. */
export type RunEvent =
  | { type: 'start'; promptTokens: number; truncated: number; unknown: number; seed: number }
  | { type: 'token'; text: string; index: number; elapsedMs: number }
  | { type: 'memory'; free: number; alloc: number; peak: number; heapLimit: number; estimated: boolean; elapsedMs: number }
  | { type: 'done'; reason: string; tokens: number; promptTokens: number; ms: number; /** decode, prompt excluded */ tokensPerSecond: number; refills?: number }
  | { type: 'error'; code: string; message: string };

export type RunStatus = 'running' | 'done' | 'stopped' | 'error';

/** A point of the tokens/s chart: the decode rate so far (generation/decodeRate.ts). */
export interface RatePoint {
  elapsedMs: number;
  tokensPerSecond: number;
}

/** A point of the free-heap chart. */
export interface HeapPoint {
  elapsedMs: number;
  free: number;
  peak: number;
  heapLimit: number;
  estimated: boolean;
}

export interface RunView {
  id: number;
  modelName: string;
  target: TargetView;
  /** As sent, with the seed actually used. */
  params: RunParams;
  status: RunStatus;
  text: string;
  tokens: number;
  /** Decode tokens per second, the prompt excluded (generation/decodeRate.ts): so far while running, then the
   *  backend's own figure. Null before the second token. The status line and the chart's header both show it. */
  decodeTokensPerSecond: number | null;
  /** When the first new token arrived (ms since the start): the decode rate is counted from it. */
  firstTokenMs: number | null;
  /** What the model would do on a real Pico, from a firmware speed model; null (shown as nothing) until one exists. */
  predictedPicoTokensPerSecond: number | null;
  promptTokens: number | null;
  truncated: number;
  unknown: number;
  rate: RatePoint[];
  heap: HeapPoint[];
  /** "max tokens reached · 64 tokens in 1.2 s · 53.3 tokens/s" once finished. */
  summary: string | null;
  error: { code: string; message: string } | null;
}

// ---- Training (Picoformer: Train Tiny Model…) ---------------------------------------------------------------------

/** One point of the loss curve: the mean training loss since the previous point, and validation when measured. */
export interface LossPoint {
  step: number;
  train: number;
  val: number | null;
}

export type TrainingStatus = 'preparing' | 'running' | 'completed' | 'cancelled' | 'error';

export interface TrainingView {
  id: number;
  status: TrainingStatus;
  /** Workspace-relative corpus and output. */
  corpus: string;
  output: string;
  /** Known once the data is prepared: "story-8k", and "7,984 parameters · dim 16 · 2 layers · …". */
  name: string | null;
  plan: string | null;
  /** Data, vocabulary and recipe: "vocabulary 38 tokens (full coverage) · 4,512 documents · … · 16 windows per step,
   *  peak learning rate 0.005, seed 1, 2 threads". */
  data: string | null;
  step: number;
  totalSteps: number;
  /** Thinned to at most a few hundred points on long runs (the first and last are always kept). */
  points: LossPoint[];
  tokensPerSecond: number;
  elapsedMs: number;
  /** Estimated time left, null until a few steps have run. */
  remainingMs: number | null;
  bestValLoss: number | null;
  /** Once finished: "val loss 0.771 (best, step 8,000) · int8 logit error 0.31 · 445 s". */
  summary: string | null;
  /** Once finished: what the written model generates from an empty prompt (the TS reference, a fixed seed). */
  sample: string | null;
  /** Once finished: where the model fits. */
  zone: ZoneId | null;
  zoneText: string | null;
  error: string | null;
}

/** Everything the panel shows; replayed in full when the webview is (re)loaded. */
export interface StudioState {
  model: ModelView | null;
  /** Why the last file chosen could not be used ("x.safetensors cannot be used: … y is still the Studio's model."). */
  modelError: string | null;
  boards: BoardOption[];
  whatIf: WhatIf | null;
  memory: MemoryView | null;
  /** Why the what-if estimate could not be made (bad context length...). */
  memoryError: string | null;
  target: TargetView;
  defaults: GenerationDefaults;
  run: RunView | null;
  /** The current or last training run of this window. */
  training: TrainingView | null;
}

// ---- Host -> webview --------------------------------------------------------------------------------------------

export interface DidChangeStateMessage {
  type: 'didChangeState';
  state: StudioState;
}

/** Events of the current run since the last message, in order (batched to keep message traffic low). */
export interface DidGenerateMessage {
  type: 'didGenerate';
  runId: number;
  events: RunEvent[];
}

/** A short confirmation or a problem with a request ("Transcript copied.", "Nothing to save yet."). */
export interface DidNotifyMessage {
  type: 'didNotify';
  level: 'info' | 'error';
  text: string;
}

/** The training run changed (sent at most a few times a second while it runs). */
export interface DidTrainMessage {
  type: 'didTrain';
  training: TrainingView;
}

export type HostMessage = DidChangeStateMessage | DidGenerateMessage | DidNotifyMessage | DidTrainMessage;

// ---- Webview -> host --------------------------------------------------------------------------------------------

/** Sent last, once the page has built its DOM: the host replays its state. */
export interface ReadyMessage {
  type: 'ready';
}

export interface ChangeWhatIfMessage {
  type: 'changeWhatIf';
  whatIf: WhatIf;
}

export interface GenerateMessage {
  type: 'generate';
  params: RunParams;
}

export interface StopMessage {
  type: 'stop';
}

export interface CopyTranscriptMessage {
  type: 'copyTranscript';
}

export interface SaveTranscriptMessage {
  type: 'saveTranscript';
}

/** Asks the host to let the user choose a workspace model. */
export interface PickModelMessage {
  type: 'pickModel';
}

/** Asks the host to deploy the selected model (Picoformer: Deploy Model to Pico). */
export interface DeployModelMessage {
  type: 'deployModel';
}

/** The user pressed one of the failed run's buttons (panels/runErrorActions.ts). */
export interface RunErrorActionMessage {
  type: 'runErrorAction';
  action: ErrorActionId;
}

/** Asks the host to stop the training run after its current step (the best weights so far are kept). */
export interface CancelTrainingMessage {
  type: 'cancelTraining';
}

/** Asks the host to start Picoformer: Train Tiny Model…. */
export interface TrainModelMessage {
  type: 'trainModel';
}

export type WebviewMessage =
  | RunErrorActionMessage
  | CancelTrainingMessage
  | TrainModelMessage
  | ReadyMessage
  | ChangeWhatIfMessage
  | GenerateMessage
  | StopMessage
  | CopyTranscriptMessage
  | SaveTranscriptMessage
  | PickModelMessage
  | DeployModelMessage;

export type WebviewMessageType = WebviewMessage['type'];

// ---- Validation of webview messages (the host never trusts the webview) -----------------------------------------

export type ParsedMessage = { ok: true; message: WebviewMessage } | { ok: false; reason: string };

const Limits = {
  contextLength: 4096,
  customHeapKB: { min: 16, max: 8192 },
  boardIdChars: 64,
} as const;

/** Checks a message from the webview; anything unknown or malformed is refused with a reason (for the log). */
export function parseWebviewMessage(raw: unknown): ParsedMessage {
  if (!isRecord(raw)) return refuse('not an object');
  const type = raw.type;
  switch (type) {
    case 'ready':
    case 'stop':
    case 'copyTranscript':
    case 'saveTranscript':
    case 'pickModel':
    case 'deployModel':
    case 'cancelTraining':
    case 'trainModel':
      return { ok: true, message: { type } };
    case 'changeWhatIf': {
      const problem = whatIfProblem(raw.whatIf);
      if (problem !== undefined) return refuse(`changeWhatIf: ${problem}`);
      const w = raw.whatIf as WhatIf;
      return {
        ok: true,
        message: { type, whatIf: { boardId: w.boardId, customHeapKB: w.customHeapKB, contextLength: w.contextLength, dtype: w.dtype, mode: w.mode, kvCache: w.kvCache } },
      };
    }
    case 'runErrorAction':
      if (!(ErrorActionIds as readonly unknown[]).includes(raw.action)) return refuse(`runErrorAction: action must be one of ${ErrorActionIds.join(', ')}`);
      return { ok: true, message: { type, action: raw.action as ErrorActionId } };
    case 'generate': {
      const problem = checkGenerationParams(raw.params);
      if (problem !== undefined) return refuse(`generate: ${problem}`);
      const p = raw.params as RunParams;
      return { ok: true, message: { type, params: { prompt: p.prompt, maxTokens: p.maxTokens, temperature: p.temperature, topK: p.topK, seed: p.seed } } };
    }
    default:
      return refuse(typeof type === 'string' ? `unknown message type "${type.slice(0, 40)}"` : 'no message type');
  }
}

/** What is wrong with what-if choices from the webview, or undefined (the board id is checked by the host). */
export function whatIfProblem(value: unknown): string | undefined {
  if (!isRecord(value)) return 'what-if must be an object';
  if (typeof value.boardId !== 'string' || value.boardId.length === 0 || value.boardId.length > Limits.boardIdChars) return 'bad board id';
  if (!isNumberIn(value.customHeapKB, Limits.customHeapKB.min, Limits.customHeapKB.max)) {
    return `custom heap must be ${Limits.customHeapKB.min}..${Limits.customHeapKB.max} KB`;
  }
  if (!isIntegerIn(value.contextLength, 1, Limits.contextLength)) return `context length must be a whole number in 1..${Limits.contextLength}`;
  if (!(WhatIfDtypes as readonly unknown[]).includes(value.dtype)) return `dtype must be one of ${WhatIfDtypes.join(', ')}`;
  if (!(WhatIfModes as readonly unknown[]).includes(value.mode)) return `mode must be one of ${WhatIfModes.join(', ')}`;
  if (!(WhatIfKvCaches as readonly unknown[]).includes(value.kvCache)) return `KV cache must be one of ${WhatIfKvCaches.join(', ')}`;
  return undefined;
}

function refuse(reason: string): ParsedMessage {
  return { ok: false, reason };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIntegerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function isNumberIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}
