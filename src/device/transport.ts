// The byte pipe to a board's console, shared by a real serial port (SerialTransport), the virtual Pico
// (VirtualPicoTransport) and test fakes. Everything above it (the session, the protocol parser) sees only this.

import type { Clock } from './serial/clock';
import type { Disposable, Listener } from './serial/emitter';

export type { Disposable } from './serial/emitter';

/**
 * closed: never opened, or closed by the caller. opening: open() in progress. open: bytes flow.
 * reconnecting: the device went away (unplug, reset) and the transport is waiting for it to come back.
 */
export type TransportState = 'closed' | 'opening' | 'open' | 'reconnecting';

/** Why a transport stopped carrying bytes. */
export interface CloseInfo {
  /** requested: close() was called. disconnected: the device vanished (unplug, reset, VM stopped). error: I/O failed. */
  reason: 'requested' | 'disconnected' | 'error';
  /** A sentence for the user. */
  message: string;
  /** True when the transport is trying to reopen by itself; an onOpen with reconnected=true follows on success. */
  willReconnect: boolean;
  error?: Error;
}

export interface OpenInfo {
  /** False for the first open, true when the device came back after a disconnect. */
  reconnected: boolean;
}

export interface TransportSignals {
  /** Data Terminal Ready. CircuitPython treats the console as disconnected (and drops output) without it. */
  dtr?: boolean;
  rts?: boolean;
}

export interface Transport {
  /** A stable name: the port path ("/dev/ttyACM0", "COM5") or "virtual:<folder>". */
  readonly id: string;
  /** emulated: the official firmware on an emulated RP2040 (src/emu; tests and benchmarks only, never shown to users). */
  readonly kind: 'serial' | 'virtual' | 'emulated' | 'fake';
  readonly state: TransportState;
  /** The board's time, when it is not the host's (the emulated Pico's simulated time): the session's waits use it. */
  readonly clock?: Clock;
  /** Opens the pipe; rejects with a clear error (see SerialOpenError) when it cannot. */
  open(): Promise<void>;
  /** Closes the pipe and stops any reconnecting; resolves once closed. Safe to call twice. */
  close(): Promise<void>;
  /** Sends bytes (a string is sent as UTF-8). Rejects when the transport is not open. */
  write(data: Uint8Array | string): Promise<void>;
  /** Sets modem lines. Failures that do not matter (a pty has no modem lines) are not errors. */
  setSignals(signals: TransportSignals): Promise<void>;
  onData(listener: Listener<Uint8Array>): Disposable;
  onOpen(listener: Listener<OpenInfo>): Disposable;
  onClose(listener: Listener<CloseInfo>): Disposable;
}

/** Encodes a string the way write() sends it. */
export function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? new TextEncoder().encode(data) : data;
}
