// The virtual Pico, host side: a MicroPython (WebAssembly) worker that behaves like a Pico running CircuitPython,
// with a real folder as its CIRCUITPY drive. Talk to it through `transport()` exactly as to a serial port.
// See docs/virtual-pico.md.

import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Transport } from '../device/transport';
import { toBytes } from '../device/transport';
import { Emitter } from '../device/serial/emitter';
import { EMULATED_CIRCUITPYTHON_VERSION, VIRTUAL_BANNER, writeBootOut } from './bootOut';
import { DriveWatcher } from './driveWatcher';
import { InputWriter, createInputBuffer } from './inputRing';
import { locateMicroPython, locateWorkerScript, resolveModule } from './locate';
import type { MachineState, WorkerInit, WorkerMessage } from './messages';
import { VirtualPicoTransport } from './virtualTransport';

/** The Pico profile's usable heap; the memory engineer's board profiles (src/memory/boards.ts) supersede it. */
export const DEFAULT_HEAP_BUDGET = 140 * 1024;
/** How long a Ctrl-C may go untaken before the worker is replaced. */
const CTRL_C_WATCHDOG_MS = 1500;

export interface VirtualPicoOptions {
  /** The folder that plays the CIRCUITPY drive (must exist). */
  driveDir: string;
  /** Live heap, in bytes, the program may hold (the board profile's free heap after boot). */
  heapBudget?: number;
  /** Reload when files in the drive folder change (default true), 750 ms after the last change. */
  autoReload?: boolean;
  /** Diagnostics: drive-sync warnings, worker errors. */
  log?: (message: string) => void;
}

export type VirtualPicoState = MachineState;

export interface HeapReport {
  used: number;
  budget: number;
  peak: number;
}

export interface StopInfo {
  /** requested: stop() was called. crashed: the worker failed. */
  reason: 'requested' | 'crashed';
  message: string;
}

export class VirtualPico {
  readonly driveDir: string;
  readonly heapBudget: number;
  private worker: Worker | undefined;
  private input: SharedArrayBuffer | undefined;
  private writer: InputWriter | undefined;
  private ctrlCWatch: ReturnType<typeof setTimeout> | undefined;
  private watcher: DriveWatcher | undefined;
  private queue: { bytes: Uint8Array; done: () => void; fail: (err: Error) => void }[] = [];
  private pumpTimer: ReturnType<typeof setTimeout> | undefined;
  private stateValue: VirtualPicoState = 'stopped';
  private lastHeap: HeapReport | undefined;
  private transportInstance: VirtualPicoTransport | undefined;
  private readonly log: (message: string) => void;
  private readonly outputEmitter = new Emitter<Uint8Array>();
  private readonly stateEmitter = new Emitter<VirtualPicoState>();
  private readonly heapEmitter = new Emitter<HeapReport>();
  private readonly stopEmitter = new Emitter<StopInfo>();
  private readonly startEmitter = new Emitter<void>();

  /** Console output, as the board's serial port would deliver it. */
  readonly onOutput = this.outputEmitter.event;
  readonly onStateChange = this.stateEmitter.event;
  /** Live heap after each step of an attached runtime (at most every 250 ms). */
  readonly onHeap = this.heapEmitter.event;
  readonly onStart = this.startEmitter.event;
  readonly onStop = this.stopEmitter.event;

  constructor(private readonly options: VirtualPicoOptions) {
    this.driveDir = resolve(options.driveDir);
    this.heapBudget = options.heapBudget ?? DEFAULT_HEAP_BUDGET;
    if (!Number.isFinite(this.heapBudget) || this.heapBudget < 1024) {
      throw new Error(`The virtual Pico's heap budget must be at least 1024 bytes (got ${options.heapBudget}).`);
    }
    this.log = options.log ?? (() => undefined);
  }

  get state(): VirtualPicoState {
    return this.stateValue;
  }

  get running(): boolean {
    return this.worker !== undefined;
  }

  get heap(): HeapReport | undefined {
    return this.lastHeap;
  }

  /** The console as a Transport (one per machine; opening it starts the machine if needed). */
  transport(): Transport {
    this.transportInstance ??= new VirtualPicoTransport(this);
    return this.transportInstance;
  }

  /** Boots the machine: writes boot_out.txt, starts the worker and the drive watcher. */
  async start(): Promise<void> {
    if (this.worker) return;
    let isDir = false;
    try {
      isDir = statSync(this.driveDir).isDirectory();
    } catch {
      // reported below
    }
    if (!isDir) throw new Error(`The virtual Pico's drive folder ${this.driveDir} does not exist or is not a folder.`);
    writeBootOut(this.driveDir);
    this.input = createInputBuffer();
    this.writer = new InputWriter(this.input);
    this.spawnWorker();
    if (this.options.autoReload ?? true) {
      this.watcher = new DriveWatcher(this.driveDir, () => this.writer?.requestReload());
      this.watcher.start();
    }
    this.setState('booting');
    this.startEmitter.fire();
  }

  private spawnWorker(resume?: WorkerInit['resume']): void {
    const init: WorkerInit = {
      driveDir: this.driveDir,
      input: this.input!,
      heapBudget: this.heapBudget,
      micropythonModule: locateMicroPython(),
      bannerLine: VIRTUAL_BANNER,
      version: EMULATED_CIRCUITPYTHON_VERSION,
      ...(resume ? { resume } : {}),
    };
    const script = locateWorkerScript();
    const worker = script.typescript
      ? new Worker(`require(${JSON.stringify(resolveModule('tsx/cjs'))}); require(${JSON.stringify(script.path)});`, {
          eval: true,
          workerData: init,
        })
      : new Worker(script.path, { workerData: init });
    this.worker = worker;
    worker.on('message', (message: WorkerMessage) => {
      if (this.worker === worker) this.handleMessage(message);
    });
    worker.on('error', (err) => this.handleExit(worker, `the virtual Pico crashed: ${err.message}`));
    worker.on('exit', (code) => this.handleExit(worker, `the virtual Pico's worker exited (code ${code})`));
  }

  /**
   * A loop with no calls out of the interpreter (`while True: pass`) never reaches the hooks that deliver Ctrl-C.
   * If a Ctrl-C is not taken in within a moment, replace the worker, as a board's watchdog would reset it.
   */
  private watchCtrlC(): void {
    if (this.ctrlCWatch || !this.writer) return;
    const target = this.writer.ctrlCCounts().written;
    this.ctrlCWatch = setTimeout(() => {
      this.ctrlCWatch = undefined;
      const counts = this.writer?.ctrlCCounts();
      if (!counts || this.stateValue === 'stopped') return;
      if (((counts.seen - target) | 0) >= 0) return;
      this.log('virtual Pico: Ctrl-C could not interrupt the running code; restarting the interpreter');
      const stuck = this.worker;
      this.spawnWorker('interrupted');
      void stuck?.terminate();
    }, CTRL_C_WATCHDOG_MS);
    this.ctrlCWatch.unref?.();
  }

  /** Stops the machine (terminates the worker). Pending writes are dropped. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.teardown();
    await worker.terminate();
    this.stopEmitter.fire({ reason: 'requested', message: 'The virtual Pico was stopped.' });
  }

  /** Console input, as typed into the board's serial port. Resolves once the machine has taken every byte. */
  write(data: Uint8Array | string): Promise<void> {
    if (!this.writer) return Promise.reject(new Error('The virtual Pico is not running.'));
    const bytes = toBytes(data);
    if (!bytes.length) return Promise.resolve();
    if (bytes.includes(0x03)) queueMicrotask(() => this.watchCtrlC());
    return new Promise((done, fail) => {
      this.queue.push({ bytes, done, fail });
      this.pump();
    });
  }

  /** Feeds queued input into the ring; when it is full, tries again shortly (the board's USB applies backpressure). */
  private pump(): void {
    if (this.pumpTimer) return;
    while (this.queue.length && this.writer) {
      const head = this.queue[0];
      const taken = this.writer.write(head.bytes);
      if (taken === head.bytes.length) {
        this.queue.shift();
        head.done();
      } else {
        head.bytes = head.bytes.subarray(taken);
        this.pumpTimer = setTimeout(() => {
          this.pumpTimer = undefined;
          this.pump();
        }, 5);
        return;
      }
    }
  }

  private handleMessage(message: WorkerMessage): void {
    switch (message.type) {
      case 'output':
        this.outputEmitter.fire(message.bytes);
        break;
      case 'state':
        if (message.state === 'booting') this.watcher?.markSynced();
        this.setState(message.state);
        break;
      case 'heap':
        this.lastHeap = { used: message.used, budget: message.budget, peak: message.peak };
        this.heapEmitter.fire(this.lastHeap);
        break;
      case 'log':
        this.log(message.message);
        break;
      case 'fatal':
        this.log(`virtual Pico: ${message.message}`);
        if (this.worker) void this.crash(this.worker, `the virtual Pico failed: ${message.message.split('\n')[0]}`);
        break;
    }
  }

  private handleExit(worker: Worker, message: string): void {
    if (this.worker !== worker) return; // stopped on purpose
    void this.crash(worker, message);
  }

  private async crash(worker: Worker, message: string): Promise<void> {
    this.teardown();
    await worker.terminate().catch(() => undefined);
    this.stopEmitter.fire({ reason: 'crashed', message });
  }

  private teardown(): void {
    this.worker = undefined;
    this.writer = undefined;
    this.input = undefined;
    if (this.ctrlCWatch) clearTimeout(this.ctrlCWatch);
    this.ctrlCWatch = undefined;
    this.watcher?.stop();
    this.watcher = undefined;
    if (this.pumpTimer) clearTimeout(this.pumpTimer);
    this.pumpTimer = undefined;
    for (const pending of this.queue) pending.fail(new Error('The virtual Pico stopped before it read the input.'));
    this.queue = [];
    this.setState('stopped');
  }

  private setState(state: VirtualPicoState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.stateEmitter.fire(state);
  }
}
