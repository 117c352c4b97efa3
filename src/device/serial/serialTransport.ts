// A Transport over a real serial port (or, in tests, any serialport binding such as @serialport/binding-mock).
// Opens at 115200 8N1 with DTR asserted (CircuitPython drops console output without DTR), drains bytes left over
// from an earlier session, classifies open errors, and after an unplug or reset waits for the same port (by path
// or USB serial number) to come back, with backoff. serialport (a native addon, tens of ms to load) is imported
// when a port is first opened, never at the extension's activation.

import { existsSync } from 'node:fs';
import type * as serialport from 'serialport';
import type { SerialPort } from 'serialport';
import type { CloseInfo, OpenInfo, Transport, TransportSignals, TransportState } from '../transport';
import { toBytes } from '../transport';
import { Backoff, type BackoffOptions } from './backoff';
import { Emitter } from './emitter';
import { SerialOpenError, classifySerialError, isHarmlessSignalError } from './serialErrors';

/** What SerialTransport needs of a serialport binding (the native one, MockBinding, or a test wrapper). */
export interface SerialBinding {
  list(): Promise<ListedPort[]>;
  open(options: never): Promise<unknown>;
}

export interface ListedPort {
  path: string;
  serialNumber?: string;
}

export const CONSOLE_BAUD_RATE = 115200;
/** Opening a CircuitPython/UF2 board at 1200 baud reboots it into its bootloader (the "1200-baud touch"). */
export const FORBIDDEN_BAUD_RATE = 1200;

export interface SerialTransportOptions {
  path: string;
  baudRate?: number;
  /** The serialport binding; defaults to the native one. Tests pass MockBinding (or a wrapper of it). */
  binding?: SerialBinding;
  /** Reopen by itself after an unplug/reset (default true). */
  reconnect?: boolean;
  backoff?: BackoffOptions;
  /** Diagnostics (non-fatal oddities, reconnect attempts). */
  log?: (message: string) => void;
  /**
   * Check every half second that the device node still exists, and treat its disappearance as an unplug
   * (default: on for the native binding with a filesystem path). Needed because serialport's Unix binding spins on
   * a hung-up tty (a pty whose other end closed) instead of reporting it.
   */
  watchPath?: boolean;
}

type Port = InstanceType<typeof SerialPort>;
type SerialportModule = typeof serialport;

let serialportModule: Promise<SerialportModule> | undefined;
/** serialport, loaded on first use (a failed load is retried next time). */
function loadSerialport(): Promise<SerialportModule> {
  serialportModule ??= import('serialport').catch((error: unknown) => {
    serialportModule = undefined;
    throw error;
  });
  return serialportModule;
}

/** After opening, input is discarded for this long (stale bytes still in flight). */
const STALE_INPUT_SETTLE_MS = 30;
const PRESENCE_POLL_MS = 500;

export class SerialTransport implements Transport {
  readonly kind = 'serial';
  readonly id: string;
  private readonly baudRate: number;
  /** The binding the caller gave; the native one is loaded with serialport on first use. */
  private binding: SerialBinding | undefined;
  private readonly reconnectEnabled: boolean;
  private readonly backoffOptions: BackoffOptions;
  private readonly log: (message: string) => void;
  private port: Port | undefined;
  private currentPath: string;
  private serialNumber: string | undefined;
  private stateValue: TransportState = 'closed';
  private closeRequested = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private presenceTimer: ReturnType<typeof setInterval> | undefined;
  private readonly watchPath: boolean;
  private readonly dataEmitter = new Emitter<Uint8Array>();
  private readonly openEmitter = new Emitter<OpenInfo>();
  private readonly closeEmitter = new Emitter<CloseInfo>();

  readonly onData = this.dataEmitter.event;
  readonly onOpen = this.openEmitter.event;
  readonly onClose = this.closeEmitter.event;

  constructor(options: SerialTransportOptions) {
    const baudRate = options.baudRate ?? CONSOLE_BAUD_RATE;
    if (baudRate === FORBIDDEN_BAUD_RATE) {
      throw new SerialOpenError(
        'bad-baud',
        options.path,
        'Refusing to open the serial port at 1200 baud: that reboots a CircuitPython board into its bootloader. The console runs at 115200.',
      );
    }
    if (!options.path) throw new SerialOpenError('not-found', '', 'No serial port path given.');
    this.id = options.path;
    this.currentPath = options.path;
    this.baudRate = baudRate;
    this.binding = options.binding;
    this.reconnectEnabled = options.reconnect ?? true;
    this.backoffOptions = options.backoff ?? {};
    this.log = options.log ?? (() => undefined);
    this.watchPath = options.watchPath ?? (!options.binding && options.path.startsWith('/'));
  }

  get state(): TransportState {
    return this.stateValue;
  }

  /** The path currently open (differs from `id` when the board came back under another name). */
  get path(): string {
    return this.currentPath;
  }

  async open(): Promise<void> {
    if (this.stateValue === 'open' || this.stateValue === 'opening') return;
    this.closeRequested = false;
    this.stateValue = 'opening';
    try {
      await this.openPort(this.currentPath);
    } catch (err) {
      this.stateValue = 'closed';
      throw err;
    }
    this.stateValue = 'open';
    this.openEmitter.fire({ reconnected: false });
  }

  async close(): Promise<void> {
    this.closeRequested = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    this.presenceTimer = undefined;
    const wasActive = this.stateValue !== 'closed';
    const port = this.port;
    this.port = undefined;
    this.stateValue = 'closed';
    if (port?.isOpen) {
      await new Promise<void>((resolve) => port.close(() => resolve()));
    }
    if (wasActive) this.closeEmitter.fire({ reason: 'requested', message: `Closed ${this.currentPath}.`, willReconnect: false });
  }

  write(data: Uint8Array | string): Promise<void> {
    const port = this.port;
    if (this.stateValue !== 'open' || !port) {
      return Promise.reject(new Error(`Cannot write to ${this.currentPath}: the port is ${this.stateValue}.`));
    }
    const bytes = Buffer.from(toBytes(data));
    return new Promise((resolve, reject) => {
      port.write(bytes, (err) => (err ? reject(new Error(`Write to ${this.currentPath} failed: ${err.message}`)) : resolve()));
    });
  }

  async setSignals(signals: TransportSignals): Promise<void> {
    const port = this.port;
    if (!port?.isOpen) throw new Error(`Cannot set modem lines on ${this.currentPath}: the port is not open.`);
    await new Promise<void>((resolve, reject) => {
      port.set(signals, (err) => {
        if (!err) resolve();
        else if (isHarmlessSignalError(err)) {
          // A pty (socat pair, virtual Pico) has no modem lines; the console works without them.
          this.log(`${this.currentPath}: cannot set modem lines (${err.message}); continuing.`);
          resolve();
        } else reject(new Error(`Cannot set modem lines on ${this.currentPath}: ${err.message}`));
      });
    });
  }

  private async openPort(path: string): Promise<void> {
    let SerialPort: SerialportModule['SerialPort'];
    try {
      ({ SerialPort } = await loadSerialport());
    } catch (err) {
      // No native build for this editor's runtime ("No native build was found"): say so, not "cannot open".
      throw new SerialOpenError('other', path, `Cannot use serial ports: serialport's native binding did not load (${(err as Error).message}).`, err as Error);
    }
    this.binding ??= SerialPort.binding as unknown as SerialBinding;
    const port = new SerialPort({
      path,
      baudRate: this.baudRate,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      rtscts: false,
      autoOpen: false,
      binding: this.binding,
    } as ConstructorParameters<typeof SerialPort>[0]);
    // Bytes left in the OS (or pty) buffers by an earlier session are not this session's output: drop whatever
    // arrives until the buffers are flushed and a moment has passed (as mpremote reads and discards on open).
    let accepting = false;
    port.on('data', (chunk: Buffer) => {
      if (accepting && this.port === port) this.dataEmitter.fire(new Uint8Array(chunk));
    });
    await new Promise<void>((resolve, reject) => {
      port.open((err) => (err ? reject(classifySerialError(err, path)) : resolve()));
    });
    await new Promise<void>((resolve) =>
      port.flush((err) => {
        if (err) this.log(`${path}: could not drain stale input (${err.message}).`);
        resolve();
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, STALE_INPUT_SETTLE_MS));
    accepting = true;
    this.port = port;
    this.currentPath = path;
    port.on('error', (err: Error) => this.log(`${path}: ${err.message}`));
    port.on('close', (err: Error | null) => this.handlePortClosed(port, err));
    try {
      await this.setSignals({ dtr: true, rts: true });
    } catch (err) {
      this.log(String((err as Error).message));
    }
    this.serialNumber = (await this.findListedPort(path))?.serialNumber ?? this.serialNumber;
    if (this.watchPath) this.watchPresence(port, path);
  }

  private watchPresence(port: Port, path: string): void {
    if (this.presenceTimer) clearInterval(this.presenceTimer);
    this.presenceTimer = setInterval(() => {
      if (this.port !== port) {
        clearInterval(this.presenceTimer);
        this.presenceTimer = undefined;
      } else if (!existsSync(path)) {
        this.log(`${path} disappeared`);
        port.close();
      }
    }, PRESENCE_POLL_MS);
    this.presenceTimer.unref?.();
  }

  private handlePortClosed(port: Port, err: Error | null): void {
    if (this.port !== port || this.closeRequested) return;
    this.port = undefined;
    const willReconnect = this.reconnectEnabled;
    this.stateValue = willReconnect ? 'reconnecting' : 'closed';
    const detail = err?.message ? ` (${err.message})` : '';
    this.closeEmitter.fire({
      reason: 'disconnected',
      message: `The board on ${this.currentPath} disconnected${detail}.${willReconnect ? ' Waiting for it to come back.' : ''}`,
      willReconnect,
      ...(err ? { error: err } : {}),
    });
    if (willReconnect) this.scheduleReconnect(new Backoff(this.backoffOptions));
  }

  private scheduleReconnect(backoff: Backoff): void {
    const delay = backoff.next();
    if (delay === undefined) {
      this.stateValue = 'closed';
      this.closeEmitter.fire({ reason: 'disconnected', message: `Gave up waiting for ${this.id} to come back.`, willReconnect: false });
      return;
    }
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.tryReconnect(backoff);
    }, delay);
  }

  private async tryReconnect(backoff: Backoff): Promise<void> {
    if (this.closeRequested) return;
    const path = (await this.findReturningPath()) ?? this.currentPath;
    try {
      await this.openPort(path);
    } catch (err) {
      if (this.closeRequested) return;
      this.log(`reconnect to ${path}: ${(err as Error).message}`);
      this.scheduleReconnect(backoff);
      return;
    }
    if (this.closeRequested) {
      const port = this.port;
      this.port = undefined;
      port?.close();
      return;
    }
    this.stateValue = 'open';
    this.openEmitter.fire({ reconnected: true });
  }

  /** A board that re-enumerates can come back under another name (ttyACM0 -> ttyACM1); its serial number stays. */
  private async findReturningPath(): Promise<string | undefined> {
    const ports = await this.listPorts();
    if (this.serialNumber) {
      const bySerial = ports.find((p) => p.serialNumber === this.serialNumber);
      if (bySerial) return bySerial.path;
    }
    return ports.find((p) => p.path === this.currentPath)?.path;
  }

  private async findListedPort(path: string): Promise<ListedPort | undefined> {
    return (await this.listPorts()).find((p) => p.path === path);
  }

  private async listPorts(): Promise<ListedPort[]> {
    try {
      this.binding ??= (await loadSerialport()).SerialPort.binding as unknown as SerialBinding;
      return await this.binding.list();
    } catch (err) {
      this.log(`listing serial ports failed: ${(err as Error).message}`);
      return [];
    }
  }
}
