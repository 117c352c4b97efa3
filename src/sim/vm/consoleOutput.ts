// The worker's console output: collects the interpreter's bytes, turns a bare LF into CRLF as CircuitPython's
// console does, and hands them over in batches (per line, or when a batch grows or gets old).

const MAX_BATCH = 512;
const MAX_AGE_MS = 25;
const LF = 0x0a;
const CR = 0x0d;

export class ConsoleOutput {
  private batch: number[] = [];
  private batchStarted = 0;
  private lastByte = -1;

  constructor(private readonly send: (bytes: Uint8Array) => void) {}

  /** One byte from the interpreter (or the supervisor). */
  byte(value: number): void {
    if (value === LF && this.lastByte !== CR) this.push(CR);
    this.push(value);
    if (value === LF || this.batch.length >= MAX_BATCH) this.flush();
  }

  bytes(values: Uint8Array): void {
    for (const value of values) this.byte(value);
  }

  /** Supervisor text (already uses \r\n or bare \n; both come out as CRLF). */
  text(value: string): void {
    this.bytes(new TextEncoder().encode(value));
    this.flush();
  }

  /** Sends what is waiting if it has waited long enough (called from the interpreter hooks). */
  flushIfOld(now: number): void {
    if (this.batch.length && now - this.batchStarted >= MAX_AGE_MS) this.flush();
  }

  flush(): void {
    if (!this.batch.length) return;
    const bytes = Uint8Array.from(this.batch);
    this.batch = [];
    this.send(bytes);
  }

  /** True when something was written since the last call (used to tell a busy program from an idle one). */
  private wrote = false;
  takeWroteFlag(): boolean {
    const wrote = this.wrote;
    this.wrote = false;
    return wrote;
  }

  private push(value: number): void {
    if (!this.batch.length) this.batchStarted = Date.now();
    this.batch.push(value);
    this.lastByte = value;
    this.wrote = true;
  }
}
