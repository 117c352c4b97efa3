// The board generation runs go to (the virtual Pico or a board on a serial port), with its session: opened on the
// first run, said hello to (retrying while the board boots), closed when another target is chosen or on dispose.
// The Studio asks `backend()`; undefined means "no board chosen": it then uses the TypeScript reference.
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import type { BoardBytecode } from '../device/deploy/precompiled';
import { runtimeMismatch } from '../device/runtimeVersion';
import { awaitRuntime } from '../device/serial/awaitRuntime';
import { Session } from '../device/serial/session';
import { SerialTransport } from '../device/serial/serialTransport';
import type { LoadMode } from '../device/protocol/events';
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

/** Hello attempts while a board boots (and its runtime loads the default model). */
const HelloAttempts = 8;
const HelloTimeoutMs = 3000;

export class BoardTargets implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private active: { spec: TargetSpec; backend: BoardBackend; session?: Promise<Session> } | undefined;
  private heap: BoardHeap | undefined;
  private staleRuntime: string | undefined;
  /** What each board's runtime said about the bytecode it imports (by serial port, or "virtual"), this session. */
  private readonly bytecode = new Map<string, BoardBytecode>();

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

  /**
   * The bytecode a board imports, as its runtime last reported it (`ready`), when a session with it was opened in
   * this editor session; undefined otherwise (a deploy then sends .py).
   */
  bytecodeFor(board: { virtual: boolean; port?: string }): BoardBytecode | undefined {
    return this.bytecode.get(board.virtual ? 'virtual' : (board.port ?? ''));
  }

  /** Makes `spec` the target (closing the previous session unless it is the same board). */
  use(spec: TargetSpec): BoardBackend {
    if (this.active && sameTarget(this.active.spec, spec)) return this.active.backend;
    void this.clear();
    const entry: NonNullable<BoardTargets['active']> = { spec, backend: undefined as unknown as BoardBackend };
    const connection: BoardConnection = {
      target: spec.kind === 'virtual' ? { kind: 'virtual', label: 'Virtual Pico (simulated)' } : { kind: 'board', label: spec.label },
      session: async () => {
        const current = await entry.session?.catch(() => undefined);
        if (current?.state === 'connected') return current;
        await current?.close().catch(() => undefined); // the board went away (or the virtual Pico stopped): start afresh
        entry.session = this.connect(spec);
        return entry.session.catch((error: unknown) => {
          entry.session = undefined; // try again on the next run
          throw error;
        });
      },
      boardFile: (model, onBoard) => boardFileFor(model, onBoard, connection.target.label),
      loadMode: (file) => this.loadMode(file),
    };
    entry.backend = new BoardBackend(connection);
    this.active = entry;
    this.changed.fire();
    return entry.backend;
  }

  /** Forgets the target (back to the reference) and closes its session. */
  async clear(): Promise<void> {
    const previous = this.active;
    this.active = undefined;
    this.heap = undefined;
    this.staleRuntime = undefined;
    if (previous) this.changed.fire();
    const session = await previous?.session?.catch(() => undefined);
    await session?.close().catch(() => undefined);
  }

  private async connect(spec: TargetSpec): Promise<Session> {
    const transport = spec.kind === 'virtual' ? (await this.virtualPico.start()).transport() : new SerialTransport({ path: spec.port });
    const session = new Session(transport, { log: (m) => this.log.debug(`session ${transport.id}: ${m}`) });
    session.onEvent((event) => {
      if (event.ev !== 'memory' || this.active?.spec !== spec) return;
      this.heap = { free: event.free, peak: event.peak, heapLimit: event.heap_limit ?? event.free + event.alloc };
      this.changed.fire();
    });
    await session.open(); // port in use, permissions: reported as they are
    try {
      // A board (or the virtual Pico) left at the REPL, e.g. asked for right after a deploy, is soft-reloaded.
      const ready = await awaitRuntime(session, { attempts: HelloAttempts, timeoutMs: HelloTimeoutMs, log: (m) => this.log.info(`${transport.id}: ${m}`) });
      this.log.info(`Connected to ${ready.runtime} ${ready.version} on ${transport.id} (${ready.impl} ${ready.impl_version}, ${ready.mem_free} bytes free).`);
      if (ready.impl) this.bytecode.set(spec.kind === 'virtual' ? 'virtual' : spec.port, { impl: ready.impl, mpy: ready.mpy });
      this.warnIfStale(ready.version, spec.kind === 'virtual' ? 'The virtual Pico' : `The board on ${transport.id}`);
      return session;
    } catch (error) {
      await session.close().catch(() => undefined);
      const why = error instanceof Error ? error.message : String(error);
      throw Object.assign(new Error(`The Picoformer runtime does not answer on ${transport.id} (${why}). Deploy it with "Picoformer: Deploy Runtime to Pico", then try again.`), { code: 'no_runtime' });
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
  }
}

function sameTarget(a: TargetSpec, b: TargetSpec): boolean {
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
