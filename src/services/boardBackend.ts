// Generation on a board (real or virtual) as a GenerationBackend, so the Studio streams from a board exactly as it
// does from the reference: load the model by its file name on the board (unless it is loaded already), generate,
// and turn the session's stream into start/token/memory/done/error events. Pure (no vscode).
import type { Session } from '../device/serial/session';
import type { LoadMode, MemoryEvent as BoardMemoryEvent } from '../device/protocol/events';
import type { GenerationBackend, GenerationEvent, GenerationModelRef, GenerationRun, GenerationTarget } from '../generation/backend';
import { decodeRate } from '../generation/decodeRate';
import { EventChannel, channelRun } from '../generation/eventChannel';
import type { GenerationParams } from '../generation/params';

export interface BoardConnection {
  readonly target: GenerationTarget;
  /** What can be checked before connecting (the runtime and the model on the board's drive, when it is known):
   *  rejects with a coded error (`no_runtime`, `not_deployed`) at once instead of a wait for an answer. */
  preflight?(model: GenerationModelRef): Promise<void>;
  /** An open session, the runtime in host mode. Rejects with a clear message when the board cannot be reached, and
   *  with an AbortError when `signal` aborts (Stop while connecting). */
  session(signal?: AbortSignal): Promise<Session>;
  /** The model's file name among those under /models on the board; rejects when it is not there (deploy it first). */
  boardFile(model: GenerationModelRef, onBoard: readonly string[]): Promise<string>;
  /** The load mode chosen when the model was deployed (default auto). */
  loadMode?(file: string): LoadMode | undefined;
}

/** How long to wait for the `memory` event the runtime sends after `done`. */
const MemoryAfterDoneMs = 1500;
const RestartRetries = 3;
const RestartWaitMs = 2000;

export interface BoardBackendTiming {
  /** How long to wait for the heap figures after `done` (default 1.5 s). */
  memoryAfterDoneMs?: number;
  /** Pause before trying again after the runtime restarted (default 2 s). */
  restartWaitMs?: number;
}

export class BoardBackend implements GenerationBackend {
  private readonly memoryAfterDoneMs: number;
  private readonly restartWaitMs: number;

  constructor(
    private readonly connection: BoardConnection,
    timing: BoardBackendTiming = {},
  ) {
    this.memoryAfterDoneMs = timing.memoryAfterDoneMs ?? MemoryAfterDoneMs;
    this.restartWaitMs = timing.restartWaitMs ?? RestartWaitMs;
  }

  get target(): GenerationTarget {
    return this.connection.target;
  }

  start(model: GenerationModelRef, params: GenerationParams): GenerationRun {
    const channel = new EventChannel<GenerationEvent>();
    // Until the generation starts, Stop cancels the connection attempt (or the load) at once.
    const connecting = new AbortController();
    const control = { stopped: false, stop: (): void => connecting.abort() };
    void this.run(model, params, channel, control, connecting.signal).finally(() => channel.close());
    return channelRun(channel, () => {
      control.stopped = true;
      control.stop();
    });
  }

  /**
   * Loads the model unless it is loaded already. Writing to a board's drive restarts its runtime 750 ms later (a
   * deploy just before a run): a request cut off by that restart is tried again once the runtime is back.
   */
  private async loadModel(session: Session, model: GenerationModelRef): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const listed = await session.list();
        const file = await this.connection.boardFile(model, listed.models.map((m) => m.file));
        if (!listed.models.some((m) => m.file === file && m.loaded)) await session.load(file, this.connection.loadMode?.(file));
        return;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (attempt >= RestartRetries || (code !== 'restarted' && code !== 'timeout')) throw error;
        await new Promise((resolve) => setTimeout(resolve, this.restartWaitMs));
      }
    }
  }

  private async run(model: GenerationModelRef, params: GenerationParams, channel: EventChannel<GenerationEvent>, control: { stopped: boolean; stop: () => void }, signal: AbortSignal): Promise<void> {
    const began = Date.now();
    const fail = (code: string, message: string) => channel.push({ type: 'error', code, message });
    const stopped = () => channel.push({ type: 'done', reason: 'stopped', tokens: 0, promptTokens: 0, ms: Date.now() - began, tokensPerSecond: 0 });
    // Stop ends the run at once, whatever it was waiting for; what it waited for is cancelled or ignored.
    const cancelled = new Promise<'cancelled'>((resolve) => signal.addEventListener('abort', () => resolve('cancelled'), { once: true }));
    const orStop = async <T>(step: Promise<T>): Promise<T | 'cancelled'> => {
      step.catch(() => undefined);
      return Promise.race([step, cancelled]);
    };
    try {
      await this.connection.preflight?.(model);
      const session = await orStop(this.connection.session(signal));
      if (session === 'cancelled' || (await orStop(this.loadModel(session, model))) === 'cancelled' || control.stopped) return stopped();
      const generation = await session.generate({
        prompt: params.prompt, max_tokens: params.maxTokens, temperature: params.temperature, top_k: params.topK, seed: params.seed,
        stop_at_context: params.stopAtContext === true,
      });
      control.stop = () => void generation.stop();
      // The runtime follows `done` with its heap figures: pass them on before `done` (the run ends there).
      let memory: BoardMemoryEvent | undefined;
      let memoryArrived: (() => void) | undefined;
      const subscription = session.onEvent((event) => {
        if (event.ev !== 'memory') return;
        memory = event;
        memoryArrived?.();
      });
      try {
        let startedAt = Date.now();
        let firstTokenMs = 0;
        let lastTokenMs = 0;
        for await (const update of generation) {
          if (update.type === 'start') {
            startedAt = Date.now();
            memory = undefined;
            const e = update.event;
            channel.push({ type: 'start', promptTokens: e.prompt_tokens, truncated: e.truncated, unknown: e.unknown, seed: e.seed });
          } else if (update.type === 'token') {
            lastTokenMs = Date.now() - startedAt;
            if (update.event.index === 0) firstTokenMs = lastTokenMs;
            channel.push({ type: 'token', id: update.event.id, text: update.event.text, index: update.event.index, elapsedMs: lastTokenMs });
          } else if (update.result.state === 'done' && update.result.done && update.result.done.reason !== 'error') {
            if (!memory) await new Promise<void>((resolve) => ((memoryArrived = resolve), setTimeout(resolve, this.memoryAfterDoneMs)));
            const m = memory as BoardMemoryEvent | undefined;
            if (m) channel.push({ type: 'memory', free: m.free, alloc: m.alloc, peak: m.peak, heapLimit: m.heap_limit ?? m.free + m.alloc, estimated: false, elapsedMs: Date.now() - startedAt });
            const d = update.result.done;
            // The board's own decode rate; an older runtime gives none: measure it here, the same way.
            const rate = d.decode_ms !== undefined ? decodeRate(0, d.decode_ms, d.tokens) : decodeRate(firstTokenMs, lastTokenMs, d.tokens);
            channel.push({
              type: 'done', reason: d.reason as Exclude<typeof d.reason, 'error'>, tokens: d.tokens, promptTokens: d.prompt_tokens, ms: d.ms, tokensPerSecond: rate,
              ...(d.refills !== undefined ? { refills: d.refills } : {}),
            });
          } else {
            const { error, state } = update.result;
            fail(error?.code ?? state, error?.message ?? `The generation ended: ${state}.`);
          }
        }
      } finally {
        subscription.dispose();
      }
    } catch (error) {
      if (signal.aborted) return stopped();
      const code = (error as { code?: unknown }).code;
      fail(typeof code === 'string' ? code : 'board', error instanceof Error ? error.message : String(error));
    }
  }
}
