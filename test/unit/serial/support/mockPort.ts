// A serialport binding for tests: @serialport/binding-mock underneath, plus what it lacks: a hook on every write
// (so a fake board can answer), unplug/replug (reads fail as on a real disconnect; the port vanishes from the
// listing), and OS-style open errors (EACCES, EBUSY).

import { SerialPortMock } from 'serialport';
import type { SerialBinding } from '../../../../src/device/serial/serialTransport';

// @serialport/binding-mock's types do not resolve under this project's module settings; what the tests use of it:
interface MockPortBinding {
  isOpen: boolean;
  port: { data: Buffer };
  recording: Buffer;
  openOptions: { baudRate: number; dataBits: number; parity: string; stopBits: number };
  emitData(data: Buffer): void;
  write(buffer: Buffer): Promise<void>;
  read(buffer: Buffer, offset: number, length: number): Promise<{ bytesRead: number; buffer: Buffer }>;
  set(options: Record<string, unknown>): Promise<void>;
}

interface MockBindingApi {
  reset(): void;
  createPort(path: string, options: Record<string, unknown>): void;
  list(): Promise<{ path: string; serialNumber?: string }[]>;
  open(options: unknown): Promise<MockPortBinding>;
}

const MockBinding = SerialPortMock.binding as unknown as MockBindingApi;

export interface MockPortOptions {
  vendorId?: string;
  productId?: string;
  /** serialport's mock numbers serial numbers itself; tests that move ports between paths set their own. */
  serialNumber?: string;
  /** Bytes that arrive right after open, as stale bytes left in the OS buffers do. */
  readyData?: string;
}

export class MockPortHarness {
  /** The open port's binding (recording enabled), when open. */
  port: MockPortBinding | undefined;
  private onWrite: ((bytes: Buffer) => void) | undefined;
  private unplugged = false;
  private openError: Error | undefined;
  private failReads: ((err: Error) => void)[] = [];
  private serialNumbers = new Map<string, string>();
  private removed = new Set<string>();
  readonly opened: string[] = [];
  readonly signals: Record<string, unknown>[] = [];

  constructor() {
    MockBinding.reset();
  }

  readonly binding: SerialBinding = {
    list: async () => {
      const ports = await MockBinding.list();
      return ports
        .filter((p) => !this.unplugged && !this.removed.has(p.path))
        .map((p) => ({ ...p, serialNumber: this.serialNumbers.get(p.path) ?? p.serialNumber }));
    },
    open: (async (options: { path: string }) => {
      if (this.openError) throw this.openError;
      if (this.unplugged || this.removed.has(options.path)) throw new Error(`Error: No such file or directory, cannot open ${options.path}`);
      const port = await MockBinding.open(options);
      this.wrap(port);
      this.port = port;
      this.opened.push(options.path);
      return port;
    }) as never,
  };

  createPort(path: string, options: MockPortOptions = {}): void {
    MockBinding.createPort(path, {
      echo: false,
      record: true,
      vendorId: options.vendorId,
      productId: options.productId,
      ...(options.readyData ? { readyData: Buffer.from(options.readyData) } : {}),
    });
    if (options.serialNumber) this.serialNumbers.set(path, options.serialNumber);
  }

  /** The port's device node disappears (the board re-enumerated under another name). */
  removePort(path: string): void {
    this.removed.add(path);
  }

  /** Called with every chunk the host writes. */
  onHostWrite(listener: (bytes: Buffer) => void): void {
    this.onWrite = listener;
  }

  /** Board output. */
  emit(text: string | Uint8Array): void {
    if (this.port?.isOpen) this.port.emitData(Buffer.from(text));
  }

  /** Everything the host wrote since the port was opened. */
  get recording(): string {
    return this.port?.recording.toString('latin1') ?? '';
  }

  /** The next open fails with this OS error (until cleared with undefined). */
  failOpenWith(error: Error | undefined): void {
    this.openError = error;
  }

  /** The USB cable is pulled: the pending read fails, and the port is gone until replug(). */
  unplug(): void {
    this.unplugged = true;
    for (const fail of this.failReads.splice(0)) fail(new Error('device reports readiness to read but returned no data (device disconnected or multiple access on port?)'));
  }

  replug(): void {
    this.unplugged = false;
  }

  private wrap(port: MockPortBinding): void {
    const write = port.write.bind(port);
    port.write = async (buffer: Buffer) => {
      await write(buffer);
      this.onWrite?.(Buffer.from(buffer));
    };
    const read = port.read.bind(port);
    port.read = (buffer: Buffer, offset: number, length: number) =>
      new Promise((resolve, reject) => {
        if (this.unplugged) {
          reject(new Error('device disconnected'));
          return;
        }
        const fail = (err: Error) => {
          this.failReads = this.failReads.filter((f) => f !== fail);
          reject(err);
        };
        this.failReads.push(fail);
        read(buffer, offset, length).then((result) => {
          this.failReads = this.failReads.filter((f) => f !== fail);
          resolve(result);
        }, fail);
      });
    const set = port.set.bind(port);
    port.set = async (options) => {
      this.signals.push({ ...options });
      return set(options);
    };
  }
}
