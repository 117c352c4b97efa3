// The Studio's host-side state and logic, without VS Code: the selected model and board, the what-if estimate,
// the current generation run, and the webview's requests (validated first: the webview is never trusted).
// StudioPanel connects it to a webview; the status bar gauge listens to it. One per extension activation, so
// the state outlives the panel: a reopened or reloaded webview gets it replayed on `ready`.
import { basename } from 'node:path';
import { missingAndUndeployable, undeployableReason } from '../commands/deploy/undeployable';
import type { GenerationBackend, GenerationEvent, MemoryEvent } from '../generation/backend';
import { resolveSeed } from '../generation/params';
import { type BoardId, type BoardProfile, BoardIds, boardProfile, isBoardId } from '../memory/boards';
import { type MemoryEstimate, estimate } from '../memory/estimate';
import { type EstimateModel, estimateModelFromHeader } from '../memory/input';
import { kvCacheOf } from '../model/config';
import type { Dtype } from '../model/tensor';
import type { ProgressPoint, TrainEvent } from '../train/protocol';
import { memoryView } from '../views/viewModels/memoryView';
import { studioModelView } from '../views/viewModels/studioModelView';
import type {
  BoardOption,
  ErrorActionId,
  GenerationDefaults,
  HostMessage,
  RunEvent,
  RunParams,
  StudioState,
  TargetView,
  TrainingView,
  WebviewMessage,
  WhatIf,
} from './protocol';
import { parseWebviewMessage } from './protocol';
import { isMissingFromBoard, runErrorActions } from './runErrorActions';
import { applyRunEvent, newRun } from './runState';
import type { SelectedModel } from './selectedModel';
import { applyTrainEvent, failTraining, isTrainingActive, newTraining } from './trainingState';
import { transcriptFileName, transcriptText } from './transcript';

export interface SessionLog {
  info(message: string): void;
  warn(message: string): void;
}

/** The buttons the host carries out with its commands (Choose another model is the session's own model pick). */
export type HostFix = Exclude<ErrorActionId, 'chooseModel'>;

/** What the session needs from its surroundings (VS Code in the extension, fakes in tests). */
export interface StudioSessionDeps {
  log: SessionLog;
  /** The backend runs go to (the reference until a board or the virtual Pico is connected). */
  backend(): GenerationBackend;
  writeClipboard(text: string): Promise<void>;
  /** Asks where to save and writes; resolves with where it went, or undefined when cancelled. */
  saveText(suggestedName: string, text: string): Promise<string | undefined>;
  /** Lets the user choose a model; the host then calls setModel. */
  pickModel(): Promise<void>;
  /** Deploys the model at this path to a board (the Deploy Model to Pico command). */
  deployModel(path: string): Promise<void>;
  /** Starts Picoformer: Train Tiny Model… (it asks for the corpus, size and steps). */
  trainModel(): Promise<void>;
  /** Carries out a failed run's button (deploy the model to the run's board, restart the virtual Pico, ...);
   *  resolves true when the run should be tried again (the fix is done). */
  fixRun(action: HostFix, modelPath: string): Promise<boolean>;
  /** Decode tokens/s the model would reach on a real Pico (the firmware speed model, when there is one); undefined:
   *  no prediction, and the Studio shows none. */
  predictPicoSpeed?: PicoSpeedPredictor;
  random?: () => number;
  /** Token events are sent to the webview in batches at most this often (ms). Default 30. */
  batchMs?: number;
  /** Training progress is sent to the webview at most this often (ms). Default 250. */
  trainingBatchMs?: number;
}

/** What the Train command reports a run through (trackTraining). */
export interface TrainingFeed {
  event(e: TrainEvent): void;
  /** The run ended without a `done` or `error` event. */
  fail(message: string): void;
  /** What the finished model generates, shown under the result. */
  sample(text: string): void;
}

/** The board and weight type the gauge and the what-if defaults use (from settings). */
export interface BoardChoice {
  boardId: BoardId;
  customHeapKB: number;
  /** The deployed matrix type (picoformer.defaultQuantization), or undefined for "as stored". */
  deployDtype: Dtype | undefined;
}

/** Predicts decode tokens/s (generation/decodeRate.ts) for a model on a board profile, or undefined. */
export type PicoSpeedPredictor = (model: EstimateModel, board: BoardProfile) => number | undefined;

export type LiveMemoryListener = (event: MemoryEvent, source: TargetView) => void;

/** The what-if dropdown's boards, by their short names ("Raspberry Pi Pico 2"): the estimate's line gives the rest. */
export const BoardOptions: readonly BoardOption[] = BoardIds.map((id) => ({
  id,
  label: id === 'custom' ? 'Custom heap size' : boardProfile(id).label.replace(/ \(.*$/, ''),
}));

export class StudioSession {
  private model: SelectedModel | null = null;
  private modelInput: EstimateModel | null = null;
  private modelError: string | null = null;
  private board: BoardChoice = { boardId: 'pico-cp9', customHeapKB: 140, deployDtype: 'I8' };
  private whatIf: WhatIf | null = null;
  private defaults: GenerationDefaults = { maxTokens: 64, temperature: 0.8, topK: 0, seed: 0 };
  private state: StudioState;
  private post: ((message: HostMessage) => void) | undefined;
  private running: { stop(): void } | undefined;
  private runCount = 0;
  /** The last run's parameters as asked for (seed 0 = a new one each run), for trying it again. */
  private lastRequest: RunParams | undefined;
  private pending: RunEvent[] = [];
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly liveListeners = new Set<LiveMemoryListener>();
  private readonly changeListeners = new Set<() => void>();
  private tokenTimes: number[] = [];
  private training: TrainingView | null = null;
  private trainingCount = 0;
  private cancelTraining: (() => void) | undefined;
  private trainingTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;

  constructor(private readonly deps: StudioSessionDeps) {
    this.state = this.buildState(null);
  }

  // ---- What the host tells the session ---------------------------------------------------------------------------

  /** The model to show (null: none); any note about a refused file goes. */
  setModel(model: SelectedModel | null): void {
    this.model = model;
    this.modelInput = model ? estimateModelFromHeader(model.header) : null;
    this.modelError = null;
    this.whatIf = model ? this.defaultWhatIf(model) : null;
    this.changed();
  }

  /** A file chosen for the Studio that cannot be used: the current model stays, and the panel says why. */
  refuseModel(location: string, reason: string): void {
    const kept = this.model ? ` ${this.model.ref.name} is still the Studio's model.` : '';
    this.modelError = `${basename(location)} cannot be used: ${reason.replace(/\.$/, '')}.${kept}`;
    this.changed();
  }

  get selectedModel(): SelectedModel | null {
    return this.model;
  }

  setBoard(choice: BoardChoice): void {
    this.board = { ...choice };
    if (this.model) this.whatIf = this.defaultWhatIf(this.model);
    this.changed();
  }

  setDefaults(defaults: GenerationDefaults): void {
    this.defaults = { ...defaults };
    this.changed();
  }

  /** Call when the backend (and so the target) changes. */
  refreshTarget(): void {
    this.changed();
  }

  /** Shows a new training run (replacing the last one); `cancel` is what the panel's Cancel button calls, `history`
   *  the curve so far of a run continued from its checkpoint. */
  trackTraining(corpus: string, output: string, cancel: () => void, history: readonly ProgressPoint[] = []): TrainingFeed {
    const view = newTraining(++this.trainingCount, corpus, output, history);
    this.training = view;
    this.cancelTraining = cancel;
    this.state = { ...this.state, training: view };
    this.sendTraining(true);
    const mine = (): boolean => this.training === view && !this.disposed;
    return {
      event: (e) => {
        if (!mine()) return;
        const before = view.status;
        applyTrainEvent(view, e);
        this.sendTraining(view.status !== before);
      },
      fail: (message) => {
        if (!mine()) return;
        failTraining(view, message);
        this.sendTraining(true);
      },
      sample: (text) => {
        if (!mine()) return;
        view.sample = text;
        this.sendTraining(true);
      },
    };
  }

  /** Whether a training run is preparing or running. */
  get isTraining(): boolean {
    return isTrainingActive(this.training);
  }

  /** Connects a webview (the host replays the state when it says `ready`); undefined disconnects. */
  attach(post: ((message: HostMessage) => void) | undefined): void {
    this.post = post;
  }

  // ---- What others read ------------------------------------------------------------------------------------------

  get currentState(): StudioState {
    return this.state;
  }

  /** The selected model on the selected board as deployed (what the gauge shows); null without a model. */
  gaugeEstimate(): { estimate: MemoryEstimate | null; problem?: string } | null {
    if (!this.model || !this.modelInput) return null;
    try {
      const profile = boardProfile(this.board.boardId, this.board.customHeapKB);
      return { estimate: estimate(this.modelInput, profile, { dtype: this.board.deployDtype }) };
    } catch (error) {
      return { estimate: null, problem: messageOf(error) };
    }
  }

  /** Memory events from real or virtual boards (never estimates). */
  onLiveMemory(listener: LiveMemoryListener): { dispose(): void } {
    this.liveListeners.add(listener);
    return { dispose: () => this.liveListeners.delete(listener) };
  }

  /** Fires when the model, board or what-if estimate changes. */
  onDidChange(listener: () => void): { dispose(): void } {
    this.changeListeners.add(listener);
    return { dispose: () => this.changeListeners.delete(listener) };
  }

  /** The what-if estimate's heap figures, for a backend that can only estimate them (the reference). */
  estimatedHeap(): { free: number; alloc: number; peak: number; heapLimit: number } | undefined {
    if (!this.modelInput || !this.whatIf) return undefined;
    try {
      const e = this.whatIfEstimate(this.whatIf);
      return { free: e.board.heapBytes - e.chosen.liveAfterLoad, alloc: e.chosen.liveAfterLoad, peak: e.chosen.peak, heapLimit: e.board.heapBytes };
    } catch {
      return undefined;
    }
  }

  // ---- Messages from the webview ---------------------------------------------------------------------------------

  /** Validates and handles one message from the webview; anything malformed is logged and ignored. */
  async handle(raw: unknown): Promise<void> {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.deps.log.warn(`Studio: ignored a message from the webview: ${parsed.reason}`);
      return;
    }
    await this.dispatch(parsed.message);
  }

  private async dispatch(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.sendState();
        return;
      case 'changeWhatIf':
        if (!isBoardId(message.whatIf.boardId)) {
          this.deps.log.warn(`Studio: ignored what-if for unknown board "${message.whatIf.boardId}"`);
          return;
        }
        if (!this.model) return;
        this.whatIf = message.whatIf;
        this.changed();
        return;
      case 'generate':
        this.generate(message.params);
        return;
      case 'stop':
        this.running?.stop();
        return;
      case 'copyTranscript':
        return this.copyTranscript();
      case 'saveTranscript':
        return this.saveTranscript();
      case 'pickModel':
        return this.deps.pickModel();
      case 'deployModel':
        if (!this.model) return this.notify('error', 'Choose a model first.');
        return this.deps.deployModel(this.model.ref.path);
      case 'trainModel':
        if (this.isTraining) return this.notify('error', 'A training run is going on: cancel it first, or wait for it to finish.');
        return this.deps.trainModel();
      case 'runErrorAction':
        return this.runErrorAction(message.action);
      case 'cancelTraining':
        if (!this.isTraining) return;
        this.deps.log.info('Studio: training cancelled from the panel');
        this.cancelTraining?.();
        return;
    }
  }

  // ---- Training --------------------------------------------------------------------------------------------------

  /** Sends the training view now (`now`: a status change) or at the next tick of the progress batching. */
  private sendTraining(now: boolean): void {
    if (now) {
      if (this.trainingTimer !== undefined) clearTimeout(this.trainingTimer);
      this.trainingTimer = undefined;
      if (this.training) this.post?.({ type: 'didTrain', training: this.training });
      return;
    }
    if (this.trainingTimer !== undefined) return;
    this.trainingTimer = setTimeout(() => this.sendTraining(true), this.deps.trainingBatchMs ?? 250);
  }

  // ---- Generation ------------------------------------------------------------------------------------------------

  /** A failed run's button: only one the run offered is carried out; the run is tried again once it is fixed. */
  private async runErrorAction(action: ErrorActionId): Promise<void> {
    const run = this.state.run;
    if (!run?.error || !this.model || !runErrorActions(run.error.code, run.target.kind).some((a) => a.id === action)) {
      this.deps.log.warn(`Studio: ignored "${action}": the current run does not offer it`);
      return;
    }
    if (action === 'chooseModel') return this.deps.pickModel();
    const retry = await this.deps.fixRun(action, this.model.ref.path);
    if (retry && !this.running && this.state.run === run) this.generate(this.lastRequest ?? run.params);
  }

  private generate(params: RunParams): void {
    if (!this.model) return this.notify('error', 'Choose a model first.');
    if (this.running) return this.notify('error', 'A generation is already running: stop it first.');
    this.lastRequest = { ...params };
    const backend = this.deps.backend();
    const resolved = { ...params, seed: resolveSeed(params.seed, this.deps.random) };
    const target: TargetView = { kind: backend.target.kind, label: backend.target.label };
    const predicted = this.modelInput ? this.deps.predictPicoSpeed?.(this.modelInput, boardProfile(this.board.boardId, this.board.customHeapKB)) : undefined;
    const run = newRun(++this.runCount, this.model.ref.name, target, resolved, predicted ?? null);
    this.tokenTimes = [];
    this.pending = [];
    this.state = { ...this.state, run };
    this.sendState();
    this.deps.log.info(`Studio: generating with ${run.modelName} on ${target.label} (seed ${resolved.seed})`);
    const handle = backend.start(this.model.ref, resolved);
    this.running = handle;
    void this.pump(handle, run.id, target);
  }

  private async pump(events: AsyncIterable<GenerationEvent>, runId: number, target: TargetView): Promise<void> {
    try {
      for await (const event of events) {
        if (this.disposed) return;
        const run = this.state.run;
        if (!run || run.id !== runId) return;
        if (event.type === 'memory' && !event.estimated) for (const l of this.liveListeners) l(event, target);
        const forView = toRunEvent(event.type === 'error' ? this.explainMissing(event, target) : event);
        applyRunEvent(run, forView, this.tokenTimes);
        this.pending.push(forView);
        if (event.type === 'done' || event.type === 'error') {
          if (event.type === 'error') this.deps.log.warn(`Studio: generation failed (${event.code}): ${event.message}`);
          break;
        }
        this.scheduleFlush();
      }
    } catch (error) {
      // A backend that breaks its promise (throws instead of sending `error`): end the run visibly.
      const run = this.state.run;
      if (run && run.id === runId) applyRunEvent(run, { type: 'error', code: 'internal', message: messageOf(error) });
      this.deps.log.warn(`Studio: the generation backend failed: ${messageOf(error)}`);
    } finally {
      if (this.state.run?.id === runId) {
        this.running = undefined;
        const run = this.state.run;
        if (run.status === 'running') applyRunEvent(run, { type: 'error', code: 'ended', message: 'the backend ended the run without saying why' });
        this.flush();
        this.sendState();
      }
    }
  }

  /**
   * A model or runtime missing from the board is fixed by Deploy now, unless the model does not fit that board: the
   * deploy would be refused, and Deploy now would lead back here. Then the error says so, with the numbers, and offers
   * another model instead (int8 or the streamed mode, when either would fit, is offered by the deploy: it keeps Deploy
   * now).
   */
  private explainMissing(event: Extract<GenerationEvent, { type: 'error' }>, target: TargetView): Extract<GenerationEvent, { type: 'error' }> {
    if (target.kind === 'reference' || !isMissingFromBoard(event.code) || !this.model || !this.modelInput) return event;
    const board = boardProfile(this.board.boardId, this.board.customHeapKB);
    const reason = undeployableReason({ modelName: this.model.ref.name, model: this.modelInput, board, dtype: this.board.deployDtype });
    if (!reason) return event;
    const where = target.kind === 'virtual' ? 'the virtual Pico' : 'the board';
    return { type: 'error', code: 'does_not_fit', message: missingAndUndeployable(this.model.ref.name, where, reason) };
  }

  private scheduleFlush(): void {
    if (this.flushTimer !== undefined) return;
    this.flushTimer = setTimeout(() => this.flush(), this.deps.batchMs ?? 30);
  }

  private flush(): void {
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const run = this.state.run;
    if (!run || this.pending.length === 0) return;
    const events = this.pending;
    this.pending = [];
    this.post?.({ type: 'didGenerate', runId: run.id, events });
  }

  // ---- Transcript ------------------------------------------------------------------------------------------------

  private async copyTranscript(): Promise<void> {
    const run = this.state.run;
    if (!run) return this.notify('error', 'Nothing to copy yet: generate first.');
    try {
      await this.deps.writeClipboard(transcriptText(run, this.state.model));
      this.notify('info', 'Transcript copied to the clipboard.');
    } catch (error) {
      this.notify('error', `Could not copy the transcript: ${messageOf(error)}`);
    }
  }

  private async saveTranscript(): Promise<void> {
    const run = this.state.run;
    if (!run) return this.notify('error', 'Nothing to save yet: generate first.');
    try {
      const where = await this.deps.saveText(transcriptFileName(run), transcriptText(run, this.state.model));
      if (where !== undefined) this.notify('info', `Transcript saved to ${where}.`);
    } catch (error) {
      this.notify('error', `Could not save the transcript: ${messageOf(error)}`);
    }
  }

  // ---- State -----------------------------------------------------------------------------------------------------

  dispose(): void {
    this.disposed = true;
    this.running?.stop();
    this.running = undefined;
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    if (this.trainingTimer !== undefined) clearTimeout(this.trainingTimer);
    this.post = undefined;
    this.liveListeners.clear();
    this.changeListeners.clear();
  }

  private changed(): void {
    this.state = this.buildState(this.state.run);
    this.sendState();
    for (const l of this.changeListeners) l();
  }

  private sendState(): void {
    // Pending token events are part of the state now: send the state alone, so nothing is applied twice.
    this.pending = [];
    if (this.flushTimer !== undefined) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    this.post?.({ type: 'didChangeState', state: this.state });
  }

  private notify(level: 'info' | 'error', text: string): void {
    if (level === 'error') this.deps.log.info(`Studio: ${text}`);
    this.post?.({ type: 'didNotify', level, text });
  }

  private buildState(run: StudioState['run']): StudioState {
    const backend = this.deps.backend();
    let memory: StudioState['memory'] = null;
    let memoryError: string | null = null;
    if (this.model && this.whatIf) {
      try {
        memory = memoryView(this.whatIfEstimate(this.whatIf), this.whatIf.mode);
      } catch (error) {
        memoryError = messageOf(error);
      }
    }
    return {
      model: this.model ? studioModelView(this.model.header, this.model.location, this.model.legacy) : null,
      modelError: this.modelError,
      boards: [...BoardOptions],
      whatIf: this.whatIf,
      memory,
      memoryError,
      target: { kind: backend.target.kind, label: backend.target.label },
      defaults: this.defaults,
      run,
      training: this.training,
    };
  }

  private whatIfEstimate(w: WhatIf): MemoryEstimate {
    if (!this.modelInput) throw new Error('no model');
    const profile: BoardProfile = boardProfile(w.boardId as BoardId, w.customHeapKB);
    return estimate(this.modelInput, profile, { contextLength: w.contextLength, dtype: w.dtype === 'stored' ? undefined : w.dtype, mode: w.mode, kvCache: w.kvCache });
  }

  private defaultWhatIf(model: SelectedModel): WhatIf {
    return {
      boardId: this.board.boardId,
      customHeapKB: this.board.customHeapKB,
      contextLength: model.header.config.context_length,
      dtype: this.board.deployDtype ?? 'stored',
      mode: 'auto',
      kvCache: kvCacheOf(model.header.config),
    };
  }
}

/** The backend's event as the panel needs it (token ids stay on the host). */
function toRunEvent(event: GenerationEvent): RunEvent {
  if (event.type === 'token') return { type: 'token', text: event.text, index: event.index, elapsedMs: event.elapsedMs };
  return event;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
