// The board generation runs go to (the virtual Pico or a board on a serial port), with its session: opened on the
// first run (or by the serial console), said hello to when a run needs the runtime in host mode (retrying while the
// board boots), closed when another target is chosen or on dispose. The serial console shares the same session
// (SharedSession; docs/devices.md, "The serial console"). The Studio asks `backend()`; undefined means "no board
// chosen": it then uses the TypeScript reference.
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { runtimeMismatch } from '../device/runtimeVersion';
import { awaitRuntime } from '../device/serial/awaitRuntime';
import { Session } from '../device/serial/session';
import { SerialTransport } from '../device/serial/serialTransport';
import { SharedSession } from '../device/serial/sharedSession';
import type { LoadMode, ReadyEvent } from '../device/protocol/events';
import type { BoardDevice } from '../device/types';
import type { GenerationModelRef } from '../generation/backend';
import { BoardBackend, type BoardConnection } from './boardBackend';
import { boardFileName } from './boardFileName';
import { readModelEntry } from './modelEntry';
import { Commands } from '../ids';
import type { Dtype } from '../model/tensor';
import type { VirtualPicoService } from './virtualPicoService';

export interface BoardHeap {
  free: number;
  peak: number;
  heapLimit: number;
}

export type TargetSpec = { kind: 'virtual' } | { kind: 'serial'; port: string; label: string };

/** none: no board chosen. idle: chosen, not connected yet (connects on first use). */
export type ConnectionState = 'none' | 'idle' | 'connecting' | 'connected' | 'disconnected';

/** Hello attempts while a board boots (and its runtime loads the default model). */
const HelloAttempts = 8;
const HelloTimeoutMs = 3000;

export class BoardTargets implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private active: { spec: TargetSpec; backend: BoardBackend; shared: SharedSession; state: ConnectionState; ready?: ReadyEvent } | undefined;
  private heap: BoardHeap | undefined;
  private staleRuntime: string | undefined;
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

  /** The chosen board's last heap report (its runtime sends one after each load, generation and `mem`). */
  get liveHeap(): BoardHeap | undefined {
    return this.heap;
  }

  /** What was said when the chosen board's runtime is not the bundled one (its version differs); else undefined. */
  get runtimeWarning(): string | undefined {
    return this.staleRuntime;
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

  /** The chosen board's session as it is, for the serial console: makes `spec` the target and opens its session
   *  if needed; nothing is said to the runtime. */
  link(spec: TargetSpec): Promise<Session> {
    return this.entry(spec).shared.link();
  }

  /** The chosen board's session with its runtime in host mode (hello first when needed): makes `spec` the target. */
  hostSession(spec: TargetSpec): Promise<Session> {
    return this.entry(spec).shared.hostSession();
  }

  private entry(spec: TargetSpec): NonNullable<BoardTargets['active']> {
    if (this.active && sameTarget(this.active.spec, spec)) return this.active;
    void this.clear();
    const setState = (state: ConnectionState) => {
      if (this.active !== entry || entry.state === state) return;
      entry.state = state;
      this.changed.fire();
    };
    const shared = new SharedSession({
      open: async () => {
        setState('connecting');
        try {
          return await this.openSession(spec, setState);
        } catch (error) {
          setState('idle');
          throw error;
        }
      },
      reachRuntime: async (session) => {
        setState('connecting');
        try {
          return await this.reachRuntime(session, spec);
        } finally {
          setState(session.state === 'connected' ? 'connected' : 'disconnected');
        }
      },
    });
    shared.onSession((session) => this.sessionEmitter.fire({ spec, session }));
    const connection: BoardConnection = {
      target: spec.kind === 'virtual' ? { kind: 'virtual', label: 'Virtual Pico (simulated)' } : { kind: 'board', label: spec.label },
      session: () => shared.hostSession(),
      boardFile: (model, onBoard) => boardFileFor(model, onBoard, connection.target.label),
      loadMode: (file) => this.loadMode(file),
    };
    const entry: NonNullable<BoardTargets['active']> = { spec, backend: new BoardBackend(connection), shared, state: 'idle' };
    this.active = entry;
    this.changed.fire();
    return entry;
  }

  /** Forgets the target (back to the reference) and closes its session. */
  async clear(): Promise<void> {
    const previous = this.active;
    this.active = undefined;
    this.heap = undefined;
    this.staleRuntime = undefined;
    if (previous) this.changed.fire();
    await previous?.shared.close();
  }

  /** Opens a session on the board (the virtual Pico is started if it is not running); nothing is said yet. */
  private async openSession(spec: TargetSpec, setState: (state: ConnectionState) => void): Promise<Session> {
    const transport = spec.kind === 'virtual' ? (await this.virtualPico.start()).transport() : new SerialTransport({ path: spec.port });
    const session = new Session(transport, { log: (m) => this.log.debug(`session ${transport.id}: ${m}`) });
    session.onEvent((event) => {
      if (this.active?.spec !== spec) return;
      if (event.ev === 'ready') {
        this.active.ready = event;
        this.changed.fire();
      }
      if (event.ev !== 'memory') return;
      this.heap = { free: event.free, peak: event.peak, heapLimit: event.heap_limit ?? event.free + event.alloc };
      this.changed.fire();
    });
    session.onStateChange(({ state }) => setState(state === 'connected' ? 'connected' : state === 'disconnected' ? 'disconnected' : 'idle'));
    await session.open(); // port in use, permissions: reported as they are
    setState('connected');
    return session;
  }

  /** Says hello until the runtime answers; a board (or the virtual Pico) left at the REPL, e.g. asked for right after
   *  a deploy, is soft-reloaded. The session stays open either way (the serial console may be showing it). */
  private async reachRuntime(session: Session, spec: TargetSpec): Promise<ReadyEvent> {
    const where = session.transport.id;
    try {
      const ready = await awaitRuntime(session, { attempts: HelloAttempts, timeoutMs: HelloTimeoutMs, log: (m) => this.log.info(`${where}: ${m}`) });
      this.log.info(`Connected to ${ready.runtime} ${ready.version} on ${where} (${ready.impl} ${ready.impl_version}, ${ready.mem_free} bytes free).`);
      this.warnIfStale(ready.version, spec.kind === 'virtual' ? 'The virtual Pico' : `The board on ${where}`);
      return ready;
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw Object.assign(new Error(`The Picoformer runtime does not answer on ${where} (${why}). Deploy it with "Picoformer: Deploy Runtime to Pico", then try again.`), { code: 'no_runtime' });
    }
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
    void this.clear();
    this.changed.dispose();
    this.sessionEmitter.dispose();
  }
}

/** "Virtual Pico", "Raspberry Pi Pico on /dev/ttyACM0". */
export function boardLabel(spec: TargetSpec): string {
  return spec.kind === 'virtual' ? 'Virtual Pico' : spec.label;
}

/** The target spec of a detected board, when it has a console to talk to. */
export function specOfDevice(device: BoardDevice): TargetSpec | undefined {
  if (device.virtual) return { kind: 'virtual' };
  if (!device.console || device.bootloader) return undefined;
  return { kind: 'serial', port: device.console.path, label: `${device.board ?? 'Pico'} on ${device.console.path}` };
}

export function sameTarget(a: TargetSpec, b: TargetSpec): boolean {
  return a.kind === 'virtual' ? b.kind === 'virtual' : b.kind === 'serial' && a.port === b.port;
}

/**
 * The board's file for a host model: the file itself when the path is on the board's drive, else the name deploying
 * gives it (as stored, or converted to int8/f16/f32), whichever is on the board.
 */
async function boardFileFor(model: GenerationModelRef, onBoard: readonly string[], where: string): Promise<string> {
  if (basename(dirname(model.path)) === 'models' && onBoard.includes(basename(model.path))) return basename(model.path);
  const entry = await readModelEntry(model.path);
  const candidates = entry.ok ? (['I8', 'F16', 'F32'] as Dtype[]).map((d) => boardFileName(entry, d)) : [basename(model.path)];
  const found = candidates.find((name) => onBoard.includes(name));
  if (found) return found;
  throw Object.assign(new Error(`${model.name} is not on ${where}: deploy it first ("Picoformer: Deploy Model to Pico"). On the board: ${onBoard.join(', ') || 'no models'}.`), { code: 'not_deployed' });
}
