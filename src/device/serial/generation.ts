// One generation on the board, as a stream: `start`, then `token`s, then exactly one `end`. Consume it with
// `for await (const update of generation)`, with onUpdate, or just await `result`. It always ends: with done (the
// runtime's done event, any reason), error (an error event, the runtime restarted or crashed, no answer in time)
// or disconnected (the board went away).

import type { DoneEvent, DoneReason, ErrorEvent, Req, StartEvent, TokenEvent } from '../protocol/events';
import { type Clock, type ClockTimer, hostClock } from './clock';
import { Emitter } from './emitter';

export type GenerationEndState = 'done' | 'error' | 'disconnected';

export interface GenerationResult {
  state: GenerationEndState;
  /** The done event's reason, when the runtime sent one. */
  reason?: DoneReason;
  /** The generated text (token texts joined). */
  text: string;
  tokens: TokenEvent[];
  start?: StartEvent;
  done?: DoneEvent;
  /** Why it failed: the runtime's error event, or a host-side code (timeout, restarted, crashed, disconnected). */
  error?: { code: string; message: string };
}

export type GenerationUpdate =
  | { type: 'start'; event: StartEvent }
  | { type: 'token'; event: TokenEvent }
  | { type: 'end'; result: GenerationResult };

/** With no event for this long the generation is declared failed (a streamed model on a board can be slow). */
export const DEFAULT_GENERATION_IDLE_MS = 120_000;

export class Generation implements AsyncIterable<GenerationUpdate> {
  private readonly updates: GenerationUpdate[] = [];
  private readonly waiting: ((update: GenerationUpdate | undefined) => void)[] = [];
  private readonly tokens: TokenEvent[] = [];
  private startEvent: StartEvent | undefined;
  private errorEvent: ErrorEvent | undefined;
  private finalResult: GenerationResult | undefined;
  private idleTimer: ClockTimer | undefined;
  private resolveResult!: (result: GenerationResult) => void;
  private readonly updateEmitter = new Emitter<GenerationUpdate>();

  readonly onUpdate = this.updateEmitter.event;
  /** Settles (never rejects) when the generation ends. */
  readonly result: Promise<GenerationResult>;

  constructor(
    readonly req: Req,
    private readonly sendStop: () => Promise<void>,
    private readonly idleMs = DEFAULT_GENERATION_IDLE_MS,
    /** The idle timeout's time: the board's (see clock.ts). */
    private readonly clock: Clock = hostClock,
  ) {
    this.result = new Promise((resolve) => (this.resolveResult = resolve));
    this.armIdleTimer();
  }

  get ended(): boolean {
    return this.finalResult !== undefined;
  }

  /** Text so far. */
  get text(): string {
    return this.tokens.map((t) => t.text).join('');
  }

  /** Asks the runtime to stop; the stream then ends with done (reason "stopped"). */
  stop(): Promise<void> {
    return this.ended ? Promise.resolve() : this.sendStop();
  }

  /** Session side: an event that belongs to this generation. Returns true when it ended the generation. */
  handleStart(event: StartEvent): void {
    if (this.ended) return;
    this.startEvent = event;
    this.push({ type: 'start', event });
  }

  handleToken(event: TokenEvent): void {
    if (this.ended) return;
    this.tokens.push(event);
    this.push({ type: 'token', event });
  }

  handleError(event: ErrorEvent): void {
    if (this.ended) return;
    // Before start, an error is the whole answer; after it, a done (reason "error") follows.
    if (!this.startEvent) this.finish('error', { code: event.code, message: event.message });
    else {
      this.errorEvent = event;
      this.armIdleTimer();
    }
  }

  handleDone(event: DoneEvent): void {
    if (this.ended) return;
    const error = this.errorEvent ? { code: this.errorEvent.code, message: this.errorEvent.message } : undefined;
    this.finish(event.reason === 'error' ? 'error' : 'done', error ?? (event.reason === 'error' ? { code: 'error', message: 'The generation failed on the board.' } : undefined), event);
  }

  /** Session side: ends without a done event. */
  abort(state: 'error' | 'disconnected', code: string, message: string): void {
    if (!this.ended) this.finish(state, { code, message });
  }

  [Symbol.asyncIterator](): AsyncIterator<GenerationUpdate> {
    let index = 0;
    let finished = false;
    return {
      next: async () => {
        if (finished) return { value: undefined, done: true };
        let update: GenerationUpdate | undefined = this.updates[index];
        if (!update) update = await new Promise<GenerationUpdate | undefined>((resolve) => this.waiting.push(resolve));
        index++;
        if (!update) return { value: undefined, done: true };
        if (update.type === 'end') finished = true;
        return { value: update, done: false };
      },
    };
  }

  private finish(state: GenerationEndState, error?: { code: string; message: string }, done?: DoneEvent): void {
    if (this.idleTimer) this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const result: GenerationResult = {
      state,
      text: this.text,
      tokens: [...this.tokens],
      ...(done ? { done, reason: done.reason } : {}),
      ...(this.startEvent ? { start: this.startEvent } : {}),
      ...(error ? { error } : {}),
    };
    this.finalResult = result;
    this.push({ type: 'end', result });
    this.resolveResult(result);
  }

  private push(update: GenerationUpdate): void {
    this.updates.push(update);
    for (const resolve of this.waiting.splice(0)) resolve(update);
    this.updateEmitter.fire(update);
    if (update.type !== 'end') this.armIdleTimer();
  }

  private armIdleTimer(): void {
    if (this.idleTimer) this.clock.clearTimeout(this.idleTimer);
    this.idleTimer = this.clock.setTimeout(() => {
      this.abort('error', 'timeout', `No answer from the board for ${Math.round(this.idleMs / 1000)} s.`);
    }, this.idleMs);
    this.idleTimer.unref?.();
  }
}
