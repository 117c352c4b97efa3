// Console input from the host to the virtual Pico's worker, through shared memory. The worker is often blocked inside
// a long Python call (code.py running, a generation step), where it cannot receive messages; it can still look at
// shared memory from the interpreter hooks, which is how Ctrl-C and auto-reload reach running code.
//
// Layout: a few Int32 control words, then a byte ring. Counters only grow (wrapping at 2^32 is harmless: only
// differences are used). The writer (host thread) publishes bytes before it bumps WRITE, and bumps CTRL_C (one per
// 0x03 written) after WRITE, so a reader never sees a Ctrl-C before the byte itself.

const WRITE = 0; // bytes written so far
const READ = 1; // bytes consumed so far
const CTRL_C = 2; // 0x03 bytes written so far
const RELOAD = 3; // auto-reload requests so far
const WAKE = 4; // bumped (and notified) on every write or request, for Atomics.wait
const CTRL_C_SEEN = 5; // 0x03 bytes the worker has consumed (read, flushed or acted on)
const CONTROL_WORDS = 8;
const HEADER_BYTES = CONTROL_WORDS * 4;

export const DEFAULT_RING_BYTES = 64 * 1024;
const CTRL_C_BYTE = 0x03;

export function createInputBuffer(ringBytes = DEFAULT_RING_BYTES): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + ringBytes);
}

class RingView {
  protected readonly control: Int32Array;
  protected readonly ring: Uint8Array;

  constructor(buffer: SharedArrayBuffer) {
    this.control = new Int32Array(buffer, 0, CONTROL_WORDS);
    this.ring = new Uint8Array(buffer, HEADER_BYTES);
  }

  /** Bytes written and not yet consumed. */
  available(): number {
    return (Atomics.load(this.control, WRITE) - Atomics.load(this.control, READ)) >>> 0;
  }

  protected wake(): void {
    Atomics.add(this.control, WAKE, 1);
    Atomics.notify(this.control, WAKE);
  }
}

/** The host side. */
export class InputWriter extends RingView {
  /** Copies as much of `bytes` as fits; returns how many bytes were taken. */
  write(bytes: Uint8Array): number {
    const free = this.ring.length - this.available();
    const count = Math.min(free, bytes.length);
    if (count === 0) return 0;
    let position = Atomics.load(this.control, WRITE) >>> 0;
    let ctrlC = 0;
    for (let i = 0; i < count; i++) {
      this.ring[position % this.ring.length] = bytes[i];
      position++;
      if (bytes[i] === CTRL_C_BYTE) ctrlC++;
    }
    Atomics.add(this.control, WRITE, count);
    if (ctrlC) Atomics.add(this.control, CTRL_C, ctrlC);
    this.wake();
    return count;
  }

  /** Ctrl-Cs written so far, and how many of them the worker has taken in (a stuck worker lags behind). */
  ctrlCCounts(): { written: number; seen: number } {
    return { written: Atomics.load(this.control, CTRL_C), seen: Atomics.load(this.control, CTRL_C_SEEN) };
  }

  /** Asks the worker to reload (files changed on the drive). */
  requestReload(): void {
    Atomics.add(this.control, RELOAD, 1);
    this.wake();
  }
}

/** The worker side. */
export class InputReader extends RingView {
  private ctrlCConsumed: number;
  private reloadsSeen = 0;

  constructor(buffer: SharedArrayBuffer) {
    super(buffer);
    // A worker restarted on the same ring carries on from what its predecessor took in.
    this.ctrlCConsumed = Atomics.load(this.control, CTRL_C_SEEN);
  }

  /** One byte, or -1 when none is waiting. */
  readByte(): number {
    if (this.available() === 0) return -1;
    const position = Atomics.load(this.control, READ) >>> 0;
    const byte = this.ring[position % this.ring.length];
    Atomics.add(this.control, READ, 1);
    if (byte === CTRL_C_BYTE) {
      this.ctrlCConsumed = (this.ctrlCConsumed + 1) | 0;
      Atomics.store(this.control, CTRL_C_SEEN, this.ctrlCConsumed);
    }
    return byte;
  }

  /** Everything waiting (possibly empty). */
  readAll(): Uint8Array {
    const count = this.available();
    const out = new Uint8Array(count);
    for (let i = 0; i < count; i++) out[i] = this.readByte();
    return out;
  }

  /** A Ctrl-C was written that has not been consumed as a byte. */
  ctrlCPending(): boolean {
    return ((Atomics.load(this.control, CTRL_C) - this.ctrlCConsumed) | 0) > 0;
  }

  /** Discards every waiting byte (CircuitPython flushes console input when Ctrl-C interrupts code). */
  flush(): void {
    this.readAll();
  }

  reloadPending(): boolean {
    return Atomics.load(this.control, RELOAD) !== this.reloadsSeen;
  }

  acknowledgeReload(): void {
    this.reloadsSeen = Atomics.load(this.control, RELOAD);
  }

  /** A token for waitForChange: take it before checking for input, then wait with it, so no wake-up is missed. */
  wakeToken(): number {
    return Atomics.load(this.control, WAKE);
  }

  /** Blocks the worker until input or a request arrives after `token` was taken, or `timeoutMs` passes. */
  waitForChange(token: number, timeoutMs: number): void {
    Atomics.wait(this.control, WAKE, token, timeoutMs);
  }
}
