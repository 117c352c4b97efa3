// A conversation with a board over a Transport: the console parsed into items, runtime commands answered through
// their "req", generations as streams, and the raw REPL for one-off queries. Survives the board going away: what was
// in flight ends with a clear state, and when the transport reconnects the session says hello again.

import { TextDecoder } from 'node:util';
import { AnsiStripper } from '../protocol/ansi';
import { type GenerateArgs, type RuntimeCommand, type SettingsArgs, encodeCommand } from '../protocol/commands';
import { type ConsoleItem, ConsoleParser } from '../protocol/consoleParser';
import type {
  EventName,
  HelpEvent,
  InfoEvent,
  LoadMode,
  LoadProgressEvent,
  LoadedEvent,
  MemoryEvent,
  ModelsEvent,
  ReadyEvent,
  Req,
  RuntimeEvent,
  SettingsEvent,
  UnloadedEvent,
} from '../protocol/events';
import type { CloseInfo, Disposable, Transport } from '../transport';
import { type Clock, type ClockTimer, hostClock, sleepOn } from './clock';
import { Emitter } from './emitter';
import { ExpectBuffer } from './expect';
import { Generation } from './generation';
import { CTRL_C, CTRL_D } from './rawRepl';
import { type ExecResult, LIST_MODELS_SNIPPET, type RawCapture, ReplSteps } from './replSteps';
import { RuntimeCommandError, SessionError } from './sessionErrors';

export type { ExecResult } from './replSteps';
export { RuntimeCommandError, SessionError } from './sessionErrors';

export type SessionState = 'closed' | 'connected' | 'disconnected';

export interface ExecOptions {
  timeoutMs?: number;
  /** Soft-reboot afterwards so code.py (the runtime) runs again, as the board was found (default true). */
  restart?: boolean;
}

export interface SessionOptions {
  /** How long a runtime command may take to be answered (default 5 s; load waits longer). */
  commandTimeoutMs?: number;
  /** Generation: fail after this long without an event (default 120 s). */
  generationIdleMs?: number;
  log?: (message: string) => void;
  /** What every wait is measured in (default: the transport's clock, else host time). */
  clock?: Clock;
}

interface PendingRequest {
  command: string;
  answers: EventName[];
  resolve: (event: RuntimeEvent) => void;
  reject: (err: Error) => void;
  timer: ClockTimer;
  timeoutMs: number;
  progress?: (event: RuntimeEvent) => void;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 5000;
const LOAD_TIMEOUT_MS = 60_000;
/** How long release() waits for a stopped generation's done before saying bye anyway. */
const RELEASE_STOP_WAIT_MS = 2000;

export class Session {
  private stateValue: SessionState = 'closed';
  private readonly parser = new ConsoleParser();
  private readonly decoder = new TextDecoder();
  private readonly stripper = new AnsiStripper();
  private readonly clock: Clock;
  private readonly expect: ExpectBuffer;
  private readonly repl: ReplSteps;
  private rawResponse: RawCapture | undefined;
  private rawBusy = false;
  private readonly pending = new Map<Req, PendingRequest>();
  private generation: Generation | undefined;
  /** The current generation's start has arrived (tokens without a req are only taken after it). */
  private generationStarted = false;
  private nextReq = 1;
  /** The session wants host mode (it said hello, and not bye since). */
  private hostMode = false;
  /** The runtime answered hello, and has not restarted or stopped since. */
  private hostReady = false;
  private lastReady: ReadyEvent | undefined;
  private subscriptions: Disposable[] = [];
  private readonly commandTimeoutMs: number;
  private readonly log: (message: string) => void;
  private readonly itemEmitter = new Emitter<ConsoleItem>();
  private readonly eventEmitter = new Emitter<RuntimeEvent>();
  private readonly stateEmitter = new Emitter<{ state: SessionState; message: string }>();
  private readonly commandEmitter = new Emitter<string>();

  /** Every console item (events, text, supervisor messages, tracebacks), for logs and terminals. */
  readonly onItem = this.itemEmitter.event;
  /** Every runtime event, answered or not. */
  readonly onEvent = this.eventEmitter.event;
  readonly onStateChange = this.stateEmitter.event;
  /** Every runtime command line the session writes (`@pf {...}`, without the line end), for a console to show. */
  readonly onCommand = this.commandEmitter.event;

  constructor(
    readonly transport: Transport,
    private readonly options: SessionOptions = {},
  ) {
    this.clock = options.clock ?? transport.clock ?? hostClock;
    this.expect = new ExpectBuffer(this.clock);
    this.commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.log = options.log ?? (() => undefined);
    this.repl = new ReplSteps({
      transport,
      expect: this.expect,
      clock: this.clock,
      capture: (capture) => (this.rawResponse = capture),
      log: (message) => this.log(message),
    });
  }

  get state(): SessionState {
    return this.stateValue;
  }

  /** The last `ready` event: what runtime runs, and its heap. */
  get runtime(): ReadyEvent | undefined {
    return this.lastReady;
  }

  /** The runtime is in host mode for this session: it answered hello and has not restarted, stopped or been
   *  handed back (bye) since. Otherwise the next user of the runtime says hello first. */
  get hostModeActive(): boolean {
    return this.hostMode && this.hostReady && this.stateValue === 'connected';
  }

  /** The session is using the raw REPL (a query, a soft reload): keystrokes from elsewhere would break it. */
  get busyWithRepl(): boolean {
    return this.rawBusy;
  }

  /** The generation in progress, if any. */
  get activeGeneration(): Generation | undefined {
    return this.generation;
  }

  /** Opens the transport (if it is not open) and starts listening. */
  async open(): Promise<void> {
    if (this.subscriptions.length) return;
    this.subscriptions = [
      this.transport.onData((bytes) => this.receive(bytes)),
      this.transport.onClose((info) => this.transportClosed(info)),
      this.transport.onOpen((info) => {
        this.setState('connected', info.reconnected ? 'The board is back.' : 'Connected.');
        if (info.reconnected) void this.reHello();
      }),
    ];
    if (this.transport.state !== 'open') await this.transport.open();
    this.setState('connected', 'Connected.');
  }

  /** Stops listening and closes the transport. `reason` is what a request or a run still in progress fails with:
   *  the caller knows why (the virtual Pico was stopped, another board was chosen). */
  async close(reason = 'The session was closed.'): Promise<void> {
    this.failEverything('closed', reason, 'error');
    for (const s of this.subscriptions) s.dispose();
    this.subscriptions = [];
    await this.transport.close();
    this.setState('closed', 'Closed.');
  }

  // ----- control characters

  /** Ctrl-C: stops a generation; while the runtime is idle, ends code.py (the board then offers the REPL). */
  async interrupt(): Promise<void> {
    await this.transport.write(CTRL_C);
  }

  /** Reaches the REPL and presses Ctrl-D: a soft reboot, after which code.py runs again. */
  async softReload(timeoutMs = 5000): Promise<void> {
    await this.exclusive(async () => {
      await this.repl.toFriendlyRepl(timeoutMs);
      await this.repl.softReboot(timeoutMs);
    });
  }

  // ----- raw REPL

  /** Runs a Python snippet in the raw REPL and returns its output (stdout, and the traceback if it raised). */
  async exec(code: string, options: ExecOptions = {}): Promise<ExecResult> {
    if (code.includes(CTRL_D)) throw new SessionError('raw-repl', 'Code for the raw REPL cannot contain the byte 0x04.');
    const timeoutMs = options.timeoutMs ?? 10_000;
    return this.exclusive(async () => {
      try {
        await this.repl.toFriendlyRepl(5000);
        await this.repl.enterRawRepl();
        return await this.repl.runRaw(code, timeoutMs);
      } finally {
        if (this.stateValue === 'connected') await this.repl.leaveRawRepl(options.restart ?? true);
      }
    });
  }

  /** Like exec, but a traceback becomes an error. */
  async evaluate(code: string, options: ExecOptions = {}): Promise<string> {
    const result = await this.exec(code, options);
    if (result.stderr.trim()) {
      const last = result.stderr.trim().split(/\r?\n/).pop() ?? '';
      throw new SessionError('raw-repl', `The board raised ${last}`);
    }
    return result.stdout;
  }

  /** gc.mem_free() after a collection, asked through the raw REPL (code.py is stopped meanwhile). */
  async memFree(options: ExecOptions = {}): Promise<number> {
    const out = await this.evaluate('import gc\ngc.collect()\nprint(gc.mem_free())', options);
    const value = Number.parseInt(out.trim().split(/\s+/).pop() ?? '', 10);
    if (!Number.isFinite(value)) throw new SessionError('raw-repl', `Unexpected answer to gc.mem_free(): ${JSON.stringify(out)}`);
    return value;
  }

  /** The model files in /models (name and size), read through the raw REPL. */
  async listModels(options: ExecOptions = {}): Promise<{ file: string; size: number }[]> {
    const out = await this.evaluate(LIST_MODELS_SNIPPET, options);
    const line = out.split(/\r?\n/).find((l) => l.startsWith('['));
    try {
      const entries = JSON.parse(line ?? '') as [string, number][];
      return entries.map(([file, size]) => ({ file, size }));
    } catch {
      throw new SessionError('raw-repl', `Unexpected answer when listing /models: ${JSON.stringify(out.slice(0, 200))}`);
    }
  }

  // ----- runtime commands

  /** Switches the runtime to host mode and returns what it is. */
  async hello(timeoutMs?: number): Promise<ReadyEvent> {
    this.hostMode = true;
    const ready = (await this.request({ cmd: 'hello' }, ['ready'], timeoutMs)) as ReadyEvent;
    this.hostReady = this.hostMode; // a release() while the hello was on its way wins
    return ready;
  }

  /**
   * Hands the runtime back to a person (the serial console, docs/devices.md "The serial console"): stops this
   * session's generation, fails the requests still waiting (code "released"), and says bye, so the runtime prints
   * text and echoes again. The session does not say hello by itself after that; its next user does. Resolves false
   * when the session was not in host mode (nothing to hand back).
   */
  async release(reason = 'The serial console took the board over.'): Promise<boolean> {
    if (!this.hostMode) return false;
    this.hostMode = false;
    this.hostReady = false;
    const generation = this.generation;
    if (generation && !generation.ended) {
      await generation.stop().catch(() => undefined);
      await Promise.race([generation.result, sleepOn(this.clock, RELEASE_STOP_WAIT_MS)]);
    }
    this.failEverything('released', reason, 'error');
    if (this.transport.state === 'open' && !this.rawBusy) await this.writeConsole(encodeCommand({ cmd: 'bye' }));
    return true;
  }

  async list(): Promise<ModelsEvent> {
    return (await this.request({ cmd: 'list' }, ['models'])) as ModelsEvent;
  }

  /** Loads a model; `progress` sees the load (and unloaded) events on the way. */
  async load(name: string, mode?: LoadMode, progress?: (event: LoadProgressEvent | UnloadedEvent) => void): Promise<LoadedEvent> {
    const command: RuntimeCommand = mode ? { cmd: 'load', name, mode } : { cmd: 'load', name };
    return (await this.request(command, ['loaded'], LOAD_TIMEOUT_MS, (event) => {
      if (event.ev === 'load' || event.ev === 'unloaded') progress?.(event);
    })) as LoadedEvent;
  }

  async unload(): Promise<UnloadedEvent> {
    return (await this.request({ cmd: 'unload' }, ['unloaded'])) as UnloadedEvent;
  }

  async info(): Promise<InfoEvent> {
    return (await this.request({ cmd: 'info' }, ['info'])) as InfoEvent;
  }

  async mem(): Promise<MemoryEvent> {
    return (await this.request({ cmd: 'mem' }, ['memory'])) as MemoryEvent;
  }

  async set(settings: Omit<SettingsArgs, 'prompt'>): Promise<SettingsEvent> {
    return (await this.request({ cmd: 'set', ...settings }, ['settings'])) as SettingsEvent;
  }

  async help(): Promise<HelpEvent> {
    return (await this.request({ cmd: 'help' }, ['help'])) as HelpEvent;
  }

  /** Stops the running generation (it then ends with done, reason "stopped"); no answer when idle. */
  async stop(): Promise<void> {
    await this.send({ cmd: 'stop' });
  }

  /** Starts a generation; its stream ends with done, error or disconnected. */
  async generate(args: GenerateArgs): Promise<Generation> {
    if (this.generation && !this.generation.ended) throw new SessionError('busy', 'A generation is already running on this board.');
    const req = this.nextReq++;
    const line = encodeCommand({ cmd: 'generate', ...args }, req); // throws CommandError before anything changes
    this.checkWritable();
    const generation = new Generation(req, () => this.stop(), this.options.generationIdleMs, this.clock);
    this.generation = generation;
    this.generationStarted = false;
    void generation.result.then(() => {
      if (this.generation === generation) this.generation = undefined;
    });
    try {
      await this.writeConsole(line);
    } catch (err) {
      generation.abort('error', 'write', (err as Error).message);
    }
    return generation;
  }

  /** Sends a command and waits for its answer (one of `answers`, with the same req) or its error event. */
  async request(command: RuntimeCommand, answers: EventName[], timeoutMs = this.commandTimeoutMs, progress?: (event: RuntimeEvent) => void): Promise<RuntimeEvent> {
    const req = this.nextReq++;
    const line = encodeCommand(command, req);
    const answer = new Promise<RuntimeEvent>((resolve, reject) => {
      const pending: PendingRequest = { command: command.cmd, answers, resolve, reject, timeoutMs, progress, timer: undefined as never };
      pending.timer = this.requestTimer(req, pending);
      this.pending.set(req, pending);
    });
    // It may fail while the line is still being written, before the caller holds the promise: not unhandled.
    answer.catch(() => undefined);
    try {
      await this.writeConsole(line);
    } catch (err) {
      this.settle(req, undefined, err as Error);
    }
    return answer;
  }

  /** Sends a command without waiting for anything. */
  async send(command: RuntimeCommand): Promise<void> {
    await this.writeConsole(encodeCommand(command));
  }

  // ----- incoming bytes

  private receive(bytes: Uint8Array): void {
    const plain = this.stripper.push(this.decoder.decode(bytes, { stream: true }));
    if (this.rawResponse) {
      this.rawResponse.response.feed(plain);
      if (this.rawResponse.response.complete) this.rawResponse.done();
    } else {
      this.expect.append(plain);
    }
    for (const item of this.parser.pushText(plain)) this.handleItem(item);
  }

  private handleItem(item: ConsoleItem): void {
    this.itemEmitter.fire(item);
    if (item.kind === 'event') this.handleEvent(item.event);
    else if (item.kind === 'garbage') this.log(`ignored a malformed event line (${item.reason}): ${item.line.slice(0, 200)}`);
    else if (item.kind === 'board' && !this.rawBusy) this.boardMessage(item.message.kind);
  }

  private handleEvent(event: RuntimeEvent): void {
    this.eventEmitter.fire(event);
    const generation = this.generation;
    if (event.ev === 'token') {
      // A token carries its generate's req (docs/protocol.md): one with another req is a late token of a stopped or
      // older generation. An older runtime sent tokens without req; the runtime emits a generation's events in
      // order, so such a token belongs to the current generation only once its start has arrived.
      const ours = event.req === undefined ? this.generationStarted : event.req === generation?.req;
      if (generation && ours) generation.handleToken(event);
      return;
    }
    if (generation && event.req === generation.req) {
      if (event.ev === 'start') {
        this.generationStarted = true;
        generation.handleStart(event);
      }
      else if (event.ev === 'error') generation.handleError(event);
      else if (event.ev === 'done') generation.handleDone(event);
      return;
    }
    if (event.ev === 'ready') {
      this.lastReady = event;
      if (event.req === undefined) this.runtimeRestarted(event);
    }
    if (event.req === undefined) return;
    const pending = this.pending.get(event.req);
    if (!pending) return;
    if (event.ev === 'error') {
      this.settle(event.req, undefined, new RuntimeCommandError(event.code, event.message, pending.command));
    } else if (pending.answers.includes(event.ev)) {
      this.settle(event.req, event);
    } else {
      pending.progress?.(event);
      this.clock.clearTimeout(pending.timer);
      pending.timer = this.requestTimer(event.req, pending); // progress: the board is alive, wait again
    }
  }

  /** A ready event nobody asked for: the runtime (re)started, in human mode. */
  private runtimeRestarted(event: ReadyEvent): void {
    this.hostReady = false;
    const reason = 'The runtime on the board restarted (a file changed, or it was reloaded).';
    this.failEverything('restarted', reason, 'error');
    if (this.hostMode && !event.host) void this.reHello();
  }

  /** The supervisor says code.py ended or the board rebooted: nothing in flight will be answered. */
  private boardMessage(kind: string): void {
    if (kind === 'code-done' || kind === 'soft-reboot' || kind === 'auto-reload-stopped') {
      this.hostReady = false;
      this.failEverything('restarted', `The runtime stopped (${kind.replace(/-/g, ' ')}).`, 'error');
    }
  }

  private transportClosed(info: CloseInfo): void {
    this.hostReady = false;
    this.expect.abort(info.message);
    if (this.rawResponse) this.rawResponse.done();
    this.failEverything(info.reason === 'requested' ? 'closed' : 'disconnected', info.message, 'disconnected');
    this.parser.reset();
    this.stripper.reset();
    this.setState(info.reason === 'requested' && !info.willReconnect ? 'closed' : 'disconnected', info.message);
  }

  /** After a reconnect or a restart: say hello again, retrying while the board boots. */
  private async reHello(): Promise<void> {
    if (!this.hostMode) return;
    for (let attempt = 0; attempt < 5 && this.stateValue === 'connected'; attempt++) {
      try {
        await this.hello(2000);
        return;
      } catch (err) {
        this.log(`hello after reconnect: ${(err as Error).message}`);
      }
    }
  }

  private failEverything(code: SessionError['code'], message: string, generationState: 'error' | 'disconnected'): void {
    this.generation?.abort(generationState, code, message);
    for (const req of [...this.pending.keys()]) this.settle(req, undefined, new SessionError(code, message));
  }

  private requestTimer(req: Req, pending: PendingRequest): ClockTimer {
    const timer = this.clock.setTimeout(() => {
      this.settle(req, undefined, new SessionError('timeout', `The board did not answer "${pending.command}" within ${Math.round(pending.timeoutMs / 1000)} s. Is the Picoformer runtime running on it?`));
    }, pending.timeoutMs);
    timer.unref?.();
    return timer;
  }

  private settle(req: Req, event: RuntimeEvent | undefined, error?: Error): void {
    const pending = this.pending.get(req);
    if (!pending) return;
    this.pending.delete(req);
    this.clock.clearTimeout(pending.timer);
    if (error) pending.reject(error);
    else if (event) pending.resolve(event);
  }

  private async writeConsole(data: string): Promise<void> {
    this.checkWritable();
    await this.transport.write(data);
    this.commandEmitter.fire(data.replace(/\r?\n$/, ''));
  }

  private checkWritable(): void {
    if (this.rawBusy) throw new SessionError('busy', 'The console is busy with a raw REPL command.');
    if (this.transport.state !== 'open') throw new SessionError('disconnected', `The board is not connected (${this.transport.state}).`);
  }

  // ----- the console to itself

  /** Runs `body` with the console to itself (no runtime commands meanwhile). */
  private async exclusive<T>(body: () => Promise<T>): Promise<T> {
    if (this.rawBusy) throw new SessionError('busy', 'The console is busy with another raw REPL command.');
    if (this.transport.state !== 'open') throw new SessionError('disconnected', `The board is not connected (${this.transport.state}).`);
    if (this.generation && !this.generation.ended) throw new SessionError('busy', 'A generation is running: stop it before using the REPL.');
    this.rawBusy = true;
    this.failEverything('restarted', 'The runtime was stopped to use the REPL.', 'error');
    try {
      return await body();
    } finally {
      this.rawBusy = false;
      this.rawResponse = undefined;
    }
  }

  private setState(state: SessionState, message: string): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.stateEmitter.fire({ state, message });
  }
}
