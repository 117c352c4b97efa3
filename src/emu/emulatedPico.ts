// The emulated Pico: the official CircuitPython firmware on an instruction-level RP2040 (rp2040js) in a worker
// thread, with a CIRCUITPY image built from a folder. A test, calibration and benchmark tool: never bundled into
// the extension or the CLI, never shown as a device (docs/firmware.md). Talk to it through `transport()` exactly
// as to a serial port; every console chunk comes with the simulated time and cycle count it was sent at.

import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Emitter } from '../device/serial/emitter';
import type { Transport } from '../device/transport';
import { toBytes } from '../device/transport';
import { buildCircuitpyImage } from './fatImage';
import { CIRCUITPY_OFFSET, CIRCUITPY_SIZE, FirmwareError, loadFirmware, REPO_ROOT, sharedDir } from './firmware';
import type { BoardTime, HostMessage, OutputChunk, WorkerInit, WorkerMessage } from './messages';
import { EmulatedTransport } from './emulatedTransport';
import { SimClock } from './simClock';

export interface EmulatedPicoOptions {
  /** A folder whose files become the CIRCUITPY drive (what `deploy` writes to a drive folder). */
  driveDir?: string;
  /** Or a ready 1 MiB FAT image. */
  image?: Uint8Array;
  /** The shared folder holding firmware/ (default: PICOFORMER_SHARED, else ../shared). */
  shared?: string;
  log?: (message: string) => void;
}

export interface StopInfo {
  reason: 'requested' | 'crashed';
  message: string;
}

export type { BoardTime, OutputChunk } from './messages';

/** Simulated milliseconds of a board time. */
export const simMs = (time: BoardTime): number => time.simNs / 1e6;

export class EmulatedPico {
  readonly clock = new SimClock();
  private worker: Worker | undefined;
  private timeValue: BoardTime = { simNs: 0, cycles: 0 };
  private chunkTime: BoardTime | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private connectedAt: BoardTime | undefined;
  private transportInstance: EmulatedTransport | undefined;
  private readonly log: (message: string) => void;
  private readonly outputEmitter = new Emitter<OutputChunk>();
  private readonly bytesEmitter = new Emitter<Uint8Array>();
  private readonly connectedEmitter = new Emitter<BoardTime>();
  private readonly stopEmitter = new Emitter<StopInfo>();
  private readonly startEmitter = new Emitter<void>();

  /** Console output, one USB packet at a time, with the board time it was sent at. */
  readonly onOutput = this.outputEmitter.event;
  /** The same output as bytes only (as a serial port delivers it); `outputTime` tells when inside a listener. */
  readonly onBytes = this.bytesEmitter.event;
  /** The USB console enumerated (about 2.2 s of simulated time after reset). */
  readonly onConnected = this.connectedEmitter.event;
  readonly onStart = this.startEmitter.event;
  readonly onStop = this.stopEmitter.event;

  private constructor(
    private image: Uint8Array,
    private readonly shared: string,
    log?: (message: string) => void,
  ) {
    this.log = log ?? (() => undefined);
  }

  /** Builds the CIRCUITPY image (from `driveDir`, or takes `image`); start() boots it. */
  static async create(options: EmulatedPicoOptions): Promise<EmulatedPico> {
    const image = options.image ?? (options.driveDir ? await buildCircuitpyImage(options.driveDir) : undefined);
    if (!image) throw new FirmwareError('The emulated Pico needs a drive folder or a CIRCUITPY image.');
    if (image.length !== CIRCUITPY_SIZE) throw new FirmwareError(`A CIRCUITPY image has ${CIRCUITPY_SIZE} bytes, not ${image.length}.`);
    return new EmulatedPico(image, options.shared ?? sharedDir(), options.log);
  }

  get running(): boolean {
    return this.worker !== undefined;
  }

  /** The board's time as last reported by the worker. */
  get time(): BoardTime {
    return this.timeValue;
  }

  /**
   * The time of the console chunk being delivered right now (inside an onOutput/onData listener, and so inside the
   * session's event listeners), else the latest time.
   */
  get outputTime(): BoardTime {
    return this.chunkTime ?? this.timeValue;
  }

  /** When the USB console came up, once it has. */
  get connected(): BoardTime | undefined {
    return this.connectedAt;
  }

  /** The console as a Transport; its clock is the board's simulated time. */
  transport(): Transport {
    this.transportInstance ??= new EmulatedTransport(this);
    return this.transportInstance;
  }

  /** Resets the RP2040 and boots the firmware with the current CIRCUITPY image. */
  start(): void {
    if (this.worker) return;
    const firmware = loadFirmware(this.shared);
    const init: WorkerInit = { bootrom: firmware.bootrom, blocks: firmware.blocks, image: this.image };
    const script = join(REPO_ROOT, 'src', 'emu', 'worker.ts');
    const tsx = require.resolve('tsx/cjs');
    const worker = new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(script)});`, { eval: true, workerData: init });
    this.worker = worker;
    this.timeValue = { simNs: 0, cycles: 0 };
    this.connectedAt = undefined;
    worker.on('message', (message: WorkerMessage) => {
      if (this.worker === worker) this.handle(message);
    });
    worker.on('error', (error) => this.crashed(worker, `the emulated Pico crashed: ${error.message}`));
    worker.on('exit', (code) => this.crashed(worker, `the emulated Pico's worker exited (code ${code})`));
    this.startEmitter.fire();
  }

  /** Stops the RP2040 (terminates the worker); what was in flight is dropped. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.teardown('The emulated Pico was stopped.');
    await worker.terminate();
    this.stopEmitter.fire({ reason: 'requested', message: 'The emulated Pico was stopped.' });
  }

  /** Console input, as a host writes to the serial port. Resolves once the board's USB has taken every byte. */
  async write(data: Uint8Array | string): Promise<void> {
    const bytes = toBytes(data);
    if (!bytes.length) return;
    await this.ask({ type: 'input', id: 0, bytes: bytes.slice() });
  }

  /** Writes bytes into the flash (the board keeps running; a deploy stops the runtime first, see emulateDeploy). */
  async writeFlash(offset: number, bytes: Uint8Array): Promise<void> {
    await this.ask({ type: 'flash', id: 0, offset, bytes: bytes.slice() });
  }

  /** Replaces the CIRCUITPY image in flash (and for the next start()). */
  async writeImage(image: Uint8Array): Promise<void> {
    if (image.length !== CIRCUITPY_SIZE) throw new FirmwareError(`A CIRCUITPY image has ${CIRCUITPY_SIZE} bytes, not ${image.length}.`);
    this.image = image;
    if (this.worker) await this.writeFlash(CIRCUITPY_OFFSET, image);
  }

  /** Reads the flash back (the board's own writes to CIRCUITPY show here). */
  async readFlash(offset: number, length: number): Promise<Uint8Array> {
    return (await this.ask({ type: 'read-flash', id: 0, offset, length })) as Uint8Array;
  }

  private ask(message: HostMessage): Promise<unknown> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new Error('The emulated Pico is not running.'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ ...message, id });
    });
  }

  private answer(id: number, value: unknown): void {
    const waiter = this.waiting.get(id);
    this.waiting.delete(id);
    waiter?.resolve(value);
  }

  private handle(message: WorkerMessage): void {
    switch (message.type) {
      case 'connected':
        this.connectedAt = { simNs: message.simNs, cycles: message.cycles };
        this.connectedEmitter.fire(this.connectedAt);
        break;
      case 'output':
        for (const chunk of message.chunks) {
          this.chunkTime = { simNs: chunk.simNs, cycles: chunk.cycles };
          this.outputEmitter.fire(chunk);
          this.bytesEmitter.fire(chunk.bytes);
        }
        this.chunkTime = undefined;
        break;
      case 'taken':
      case 'flashed':
        this.answer(message.id, undefined);
        break;
      case 'flash-data':
        this.answer(message.id, message.bytes);
        return;
      case 'fatal':
        this.log(`emulated Pico: ${message.message}`);
        if (this.worker) void this.crashed(this.worker, `the emulated Pico failed: ${message.message.split('\n')[0]}`);
        return;
      case 'time':
        break;
    }
    this.timeValue = { simNs: message.simNs, cycles: message.cycles };
    this.clock.advanceTo(message.simNs / 1e6);
  }

  private crashed(worker: Worker, message: string): void {
    if (this.worker !== worker) return; // stopped on purpose
    this.teardown(message);
    void worker.terminate().catch(() => undefined);
    this.stopEmitter.fire({ reason: 'crashed', message });
  }

  private teardown(message: string): void {
    this.worker = undefined;
    for (const waiter of this.waiting.values()) waiter.reject(new Error(`${message} (before it answered)`));
    this.waiting.clear();
  }
}
