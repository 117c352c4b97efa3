// The board generation runs go to (the virtual Pico or a board on a serial port), with its session: opened on the
// first run (or right after a deploy, wake(), or by the serial console, link()), its runtime checked with a hello
// before every run (a board at the REPL is soft-reloaded), closed when another target is chosen or on dispose. The
// serial console shares that one session (SharedSession; docs/devices.md, "The serial console"): typing there says
// bye, and the next run's hello takes the runtime back. Before connecting, a run checks the board's drive for the
// runtime and the model. The Studio asks `backend()`; undefined means "no board chosen": it then uses the TypeScript
// reference.
import * as vscode from 'vscode';
import type { BoardBytecode } from '../device/deploy/precompiled';
import { readDeployedState } from '../device/deploy/deployedState';
import { runtimeMismatch } from '../device/runtimeVersion';
import { awaitRuntime } from '../device/serial/awaitRuntime';
import { Session } from '../device/serial/session';
import { SerialTransport } from '../device/serial/serialTransport';
import { SharedSession } from '../device/serial/sharedSession';
import type { LoadMode, ReadyEvent } from '../device/protocol/events';
import type { BoardDevice } from '../device/types';
import { BoardBackend, type BoardConnection } from './boardBackend';
import { boardFileFor } from './boardFile';
import { connectProblem, noRuntimeOnDrive } from './boardProblems';
import { Commands } from '../ids';
import type { VirtualPicoService } from './virtualPicoService';

export interface BoardHeap {
  free: number;
  peak: number;
  heapLimit: number;
  /** The model file the runtime had loaded when it measured, when known. */
  file?: string;
  /** The workspace model that file was deployed from (in this window), when known. */
  modelPath?: string;
}

/** How long wake() waits for the runtime to restart with a just-deployed model (auto-reload comes 750 ms after the
 *  last write; then the runtime starts and loads its default model). */
const RestartWaitMs = 6000;

/** A board to generate on; `drivePath` (its CIRCUITPY drive, when known) lets a run check what is deployed first. */
export type TargetSpec = { kind: 'virtual' } | { kind: 'serial'; port: string; label: string; drivePath?: string };

interface Reached {
  session: Session;
  /** The board was at the REPL and had to be soft-reloaded. */
  reloaded: boolean;
}

/** none: no board chosen. idle: chosen, not connected yet (connects on first use). */
export type ConnectionState = 'none' | 'idle' | 'connecting' | 'connected' | 'disconnected';

interface ActiveTarget {
  spec: TargetSpec;
  backend: BoardBackend;
  /** The one session on the board's console, shared with the serial console. */
  shared: SharedSession;
  state: ConnectionState;
  /** The runtime's last `ready` (what it says it is). */
  ready?: ReadyEvent;
  /** The attempt to reach the runtime in progress, shared by every caller. */
  reaching?: { promise: Promise<Reached>; waiting: number; abort: AbortController };
}

/** Hello attempts while a board boots (and its runtime loads the default model). */
const HelloAttempts = 8;
const HelloTimeoutMs = 3000;

export class BoardTargets implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private active: ActiveTarget | undefined;
  private heap: BoardHeap | undefined;
  private staleRuntime: string | undefined;
  /** What each board's runtime said about the bytecode it imports (by serial port, or "virtual"), this session. */
  private readonly bytecode = new Map<string, BoardBytecode>();
  /** Board file name -> the workspace model deployed as it (wake() is told), so heap reports can name the model. */
  private readonly deployedFrom = new Map<string, string>();
  /** Sessions whose runtime was logged and checked for staleness (once each). */
  private readonly greeted = new WeakSet<Session>();
  private readonly sessionEmitter = new vscode.EventEmitter<{ spec: TargetSpec; session: Session }>();
  /** A session was opened on the chosen board (the serial console attaches to it). */
  readonly onDidOpenSession = this.sessionEmitter.event;

  constructor(
    private readonly virtualPico: VirtualPicoService,
    private readonly loadMode: (file: string) => LoadMode | undefined,
    private readonly log: vscode.LogOutputChannel,
    /** The runtime version this extension ships (board/), to warn about a board running another; read on the
     *  first connection, not at activation. */
    private readonly bundledRuntime: () => string | undefined = () => undefined,
  ) {}

  /** The backend of the chosen board, if one is chosen. */
  backend(): BoardBackend | undefined {
    return this.active?.backend;
  }

  get spec(): TargetSpec | undefined {
    return this.active?.spec;
  }

  /** The chosen board's drive, when known (the virtual Pico's folder, a real board's CIRCUITPY). */
  get drivePath(): string | undefined {
    return this.active ? this.driveOf(this.active.spec) : undefined;
  }

  private driveOf(spec: TargetSpec): string | undefined {
    return spec.kind === 'virtual' ? this.virtualPico.ensureDrive() : spec.drivePath;
  }

  /** The chosen board's last heap report (its runtime sends one after each load, generation and `mem`). */
  get liveHeap(): BoardHeap | undefined {
    return this.heap;
  }

  /** What was said when the chosen board's runtime is not the bundled one (its version differs); else undefined. */
  get runtimeWarning(): string | undefined {
    return this.staleRuntime;
  }

  /**
   * The bytecode a board imports, as its runtime last reported it (`ready`), when a session with it was opened in
   * this editor session; undefined otherwise (a deploy then sends .py).
   */
  bytecodeFor(board: { virtual: boolean; port?: string }): BoardBytecode | undefined {
    return this.bytecode.get(board.virtual ? 'virtual' : (board.port ?? ''));
  }

  /** What the chosen board's runtime last said about itself (its `ready`), while connected. */
  get runtime(): ReadyEvent | undefined {
    return this.active?.state === 'connected' ? this.active.ready : undefined;
  }

  /** How the chosen board's connection stands (for the status bar's connection item). */
  get connectionState(): ConnectionState {
    return this.active?.state ?? 'none';
  }

  /** Makes `spec` the target (closing the previous session unless it is the same board). */
  use(spec: TargetSpec): BoardBackend {
    return this.entry(spec).backend;
  }

  /** The chosen board's session as it is, for the serial console: makes `spec` the target and opens its session if
   *  needed; nothing is said to the runtime. */
  link(spec: TargetSpec): Promise<Session> {
    return this.entry(spec).shared.link();
  }

  /** The chosen board's session with its runtime answering in host mode (a hello first): makes `spec` the target. */
  async hostSession(spec: TargetSpec): Promise<Session> {
    return (await this.reach(this.entry(spec))).session;
  }

  private entry(spec: TargetSpec): ActiveTarget {
    if (this.active && sameTarget(this.active.spec, spec)) return this.active;
    void this.clear(`Another board was chosen: ${whereOf(spec)}.`);
    const shared = new SharedSession({ open: () => this.open(entry) });
    shared.onSession((session) => this.sessionEmitter.fire({ spec, session }));
    const entry: ActiveTarget = { spec, backend: undefined as unknown as BoardBackend, shared, state: 'idle' };
    const where = whereOf(spec);
    const connection: BoardConnection = {
      target: spec.kind === 'virtual' ? { kind: 'virtual', label: 'Virtual Pico (simulated)' } : { kind: 'board', label: spec.label },
      preflight: async (model) => {
        const drive = this.driveOf(spec);
        const state = drive ? readDeployedState(drive) : undefined;
        if (!state) return; // no drive to look at: the runtime's own answers decide
        if (!state.runtime) throw noRuntimeOnDrive(where);
        await boardFileFor(model, state.models, where);
      },
      session: async (signal) => (await this.reach(entry, signal)).session,
      boardFile: (model, onBoard) => boardFileFor(model, onBoard, where, this.driveOf(spec)),
      loadMode: (file) => this.loadMode(file),
    };
    entry.backend = new BoardBackend(connection);
    this.active = entry;
    this.changed.fire();
    return entry;
  }

  private setState(entry: ActiveTarget, state: ConnectionState): void {
    if (this.active !== entry || entry.state === state) return;
    entry.state = state;
    this.changed.fire();
  }

  /**
   * Makes `spec` the target and connects to it in the background (after a deploy): a board left at the REPL is
   * soft-reloaded so the runtime starts now, the runtime's heap report reaches the gauge, and the next run finds the
   * session open. Resolves with the session, or undefined (logged) when the board cannot be reached now.
   */
  async wake(spec: TargetSpec, deployed?: { file: string; modelPath: string }): Promise<Reached | undefined> {
    this.use(spec);
    if (deployed) this.deployedFrom.set(deployed.file, deployed.modelPath);
    const entry = this.active;
    try {
      if (!entry) return undefined;
      const reached = await this.reach(entry);
      const { session } = reached;
      // The deploy's writes restart the runtime (auto-reload) a moment later: wait until it runs with the model.
      for (let attempt = 0; attempt < 3; attempt++) {
        const info = await session.info().catch(() => undefined);
        if (info && (!deployed || info.model?.file === deployed.file)) break;
        await restartOf(session, RestartWaitMs);
      }
      await session.mem(); // the heap with the model the runtime loaded at start: the gauge shows it
      return reached;
    } catch (error) {
      this.log.info(`After the deploy, ${whereOf(spec)} could not be reached yet: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /** Forgets the target (back to the reference) and closes its session; a run still going on it fails with
   *  `reason`. */
  async clear(reason = 'Picoformer stopped talking to this board.'): Promise<void> {
    const previous = this.active;
    this.active = undefined;
    this.heap = undefined;
    this.staleRuntime = undefined;
    if (previous) this.changed.fire();
    await previous?.shared.close(reason);
  }

  /**
   * The target's session with the runtime running: opened when there is none (or it was lost), and checked with a
   * hello every time (an open port says nothing about code.py: it may have ended, or the board sits at the REPL, which
   * awaitRuntime then soft-reloads). `reloaded` says whether that was needed.
   */
  private reach(entry: ActiveTarget, signal?: AbortSignal): Promise<Reached> {
    // One attempt at a time (a run and the wake after a deploy must not both soft-reload the board); it is cancelled
    // when every caller waiting for it has cancelled.
    if (!entry.reaching) {
      const abort = new AbortController();
      const attempt = { promise: this.reachOnce(entry, abort.signal), waiting: 0, abort };
      entry.reaching = attempt;
      void attempt.promise.catch(() => undefined).finally(() => {
        if (entry.reaching === attempt) entry.reaching = undefined;
      });
    }
    const attempt = entry.reaching;
    if (!signal) {
      attempt.waiting = Number.POSITIVE_INFINITY; // an uncancellable caller keeps the attempt going
      return attempt.promise;
    }
    attempt.waiting++;
    return new Promise<Reached>((resolve, reject) => {
      const cancel = () => {
        if (--attempt.waiting <= 0) attempt.abort.abort();
        reject(Object.assign(new Error('Cancelled while connecting.'), { name: 'AbortError' }));
      };
      if (signal.aborted) return cancel();
      signal.addEventListener('abort', cancel, { once: true });
      attempt.promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', cancel));
    });
  }

  private async reachOnce(entry: ActiveTarget, signal: AbortSignal): Promise<Reached> {
    const { spec } = entry;
    const where = whereOf(spec);
    let session: Session;
    try {
      // The open session (shared with the serial console), or a new one when the board went away.
      session = await entry.shared.link();
    } catch (error) {
      throw connectProblem(error, where, spec.kind === 'virtual');
    }
    let reloaded = false;
    this.setState(entry, 'connecting');
    try {
      const ready = await awaitRuntime(session, {
        attempts: HelloAttempts,
        timeoutMs: HelloTimeoutMs,
        signal,
        log: (m) => this.log.info(`${session.transport.id}: ${m}`),
        onSoftReload: () => (reloaded = true),
      });
      if (!this.greeted.has(session)) {
        this.greeted.add(session);
        this.log.info(`Connected to ${ready.runtime} ${ready.version} on ${session.transport.id} (${ready.impl} ${ready.impl_version}, ${ready.mem_free} bytes free).`);
        this.warnIfStale(ready.version, spec.kind === 'virtual' ? 'The virtual Pico' : `The board on ${session.transport.id}`);
      }
      return { session, reloaded };
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      await entry.shared.drop(); // the next run starts from a fresh session
      const problem = connectProblem(error, where, spec.kind === 'virtual');
      this.log.warn(`${where}: ${error instanceof Error ? error.message : String(error)}`);
      throw problem;
    } finally {
      this.setState(entry, session.state === 'connected' ? 'connected' : session.state === 'disconnected' ? 'disconnected' : 'idle');
    }
  }

  /** Opens a session on the target's console (starting the virtual Pico if needed); port errors are thrown as is. */
  private async open(entry: ActiveTarget): Promise<Session> {
    const { spec } = entry;
    this.setState(entry, 'connecting');
    const transport = spec.kind === 'virtual' ? (await this.virtualPico.start()).transport() : new SerialTransport({ path: spec.port });
    const session = new Session(transport, { log: (m) => this.log.debug(`session ${transport.id}: ${m}`) });
    session.onStateChange(({ state }) => this.setState(entry, state === 'connected' ? 'connected' : state === 'disconnected' ? 'disconnected' : 'idle'));
    let loaded: string | undefined; // the model file the runtime holds, as its events tell
    session.onEvent((event) => {
      // every ready (a hello's answer, a restart) says which bytecode the board imports: a deploy sends .mpy then
      if (event.ev === 'ready' && event.impl) this.bytecode.set(spec.kind === 'virtual' ? 'virtual' : spec.port, { impl: event.impl, mpy: event.mpy });
      if (event.ev === 'ready' && this.active === entry) {
        entry.ready = event;
        this.changed.fire();
      }
      if (event.ev === 'loaded') loaded = event.file;
      else if (event.ev === 'unloaded' || (event.ev === 'ready' && event.req === undefined)) loaded = undefined;
      else if (event.ev === 'info') loaded = event.model?.file;
      else if (event.ev === 'models') loaded = event.models.find((m) => m.loaded)?.file;
      if (event.ev !== 'memory' || this.active?.spec !== spec) return;
      const modelPath = loaded === undefined ? undefined : this.deployedFrom.get(loaded);
      this.heap = { free: event.free, peak: event.peak, heapLimit: event.heap_limit ?? event.free + event.alloc, ...(loaded ? { file: loaded } : {}), ...(modelPath ? { modelPath } : {}) };
      this.changed.fire();
    });
    try {
      await session.open();
    } catch (error) {
      await session.close().catch(() => undefined);
      this.setState(entry, 'idle');
      throw error;
    }
    this.setState(entry, 'connected');
    return session;
  }

  private warnIfStale(version: string, where: string): void {
    const problem = runtimeMismatch(version, this.bundledRuntime(), where);
    this.staleRuntime = problem;
    if (problem === undefined) return;
    this.log.warn(problem);
    const deploy = 'Deploy Runtime to Pico';
    void vscode.window.showWarningMessage(`Picoformer: ${problem}`, deploy).then((choice) => {
      if (choice === deploy) void vscode.commands.executeCommand(Commands.deployRuntime);
    });
  }

  dispose(): void {
    void this.clear('Picoformer was closed.');
    this.changed.dispose();
    this.sessionEmitter.dispose();
  }
}

/** Resolves when the runtime restarts (its unsolicited `ready`) or after `ms`. */
function restartOf(session: Session, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    const subscription = session.onEvent((event) => {
      if (event.ev === 'ready' && event.req === undefined) done();
    });
    function done(): void {
      clearTimeout(timer);
      subscription.dispose();
      resolve();
    }
  });
}

/** How messages name the board: "the virtual Pico", "Raspberry Pi Pico on /dev/ttyACM0". */
export function whereOf(spec: TargetSpec): string {
  return spec.kind === 'virtual' ? 'the virtual Pico' : spec.label;
}

/** "Virtual Pico", "Raspberry Pi Pico on /dev/ttyACM0". */
export function boardLabel(spec: TargetSpec): string {
  return spec.kind === 'virtual' ? 'Virtual Pico' : spec.label;
}

/** The target spec of a detected board, when it has a console to talk to (its drive too, when it has one). */
export function specOfDevice(device: BoardDevice): TargetSpec | undefined {
  if (device.virtual) return { kind: 'virtual' };
  if (!device.console || device.bootloader) return undefined;
  return { kind: 'serial', port: device.console.path, label: `${device.board ?? 'Pico'} on ${device.console.path}`, ...(device.drive ? { drivePath: device.drive.path } : {}) };
}

export function sameTarget(a: TargetSpec, b: TargetSpec): boolean {
  return a.kind === 'virtual' ? b.kind === 'virtual' : b.kind === 'serial' && a.port === b.port;
}
