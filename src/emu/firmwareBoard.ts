// The emulated Pico with the Picoformer runtime, ready to drive: boot from a drive folder, wait for the runtime,
// send commands and await their events, read the heap, time generations in simulated time, run Python at the raw
// REPL, and emulate a deploy. Built on the project's own Session (src/device/serial/session.ts) over the emulated
// transport, so the real firmware is driven exactly as a board on a serial port. Used by the firmware tests
// (test/firmware/), `npm run firmware` (scripts/firmware.ts) and the calibration and speed work built on them.

import type { ConsoleItem } from '../device/protocol/consoleParser';
import type { GenerateArgs } from '../device/protocol/commands';
import type { MemoryEvent, ReadyEvent, RuntimeEvent } from '../device/protocol/events';
import { awaitRuntime } from '../device/serial/awaitRuntime';
import type { GenerationResult } from '../device/serial/generation';
import { type ExecOptions, type ExecResult, Session } from '../device/serial/session';
import { type BoardTime, EmulatedPico, simMs } from './emulatedPico';
import { emulateDeploy, type EmulatedDeployRequest } from './emulateDeploy';

export interface BootOptions {
  /** The CIRCUITPY drive folder (fill it with the project's deploy code: see deployToFolder). */
  driveDir: string;
  shared?: string;
  /** Simulated ms to wait for the runtime's first `ready` (default 30 s). */
  readyTimeoutMs?: number;
  /** Say hello (host mode) once the runtime is up (default true); false leaves it in human mode. */
  hello?: boolean;
  log?: (message: string) => void;
}

/** A runtime event with the board time its line was completed at. */
export interface TimedEvent extends BoardTime {
  event: RuntimeEvent;
}

/** A console item (text, supervisor message, traceback, event) with its board time. */
export interface TimedItem extends BoardTime {
  item: ConsoleItem;
}

export interface TimedGeneration {
  result: GenerationResult;
  /** Board time of the `start` event (the prompt is encoded; its forward passes follow). */
  startTime: BoardTime | undefined;
  /** Board time of each token event, in order (prefill: tokenTimes[0] - startTime). */
  tokenTimes: BoardTime[];
  /** From the command's line being taken to the `done` event, simulated ms. */
  totalMs: number;
  /** Mean simulated ms between consecutive tokens (decode; NaN with fewer than 2 tokens). */
  msPerToken: number;
}

/** Python that prints the largest bytearray the heap can hold (bisection to 16 bytes), then frees it. */
export const LARGEST_ALLOCATION_SNIPPET = `import gc
gc.collect()
lo = 0
hi = gc.mem_free() + 16
while hi - lo > 16:
    mid = (lo + hi) // 2
    try:
        b = bytearray(mid)
        b = None
        lo = mid
    except MemoryError:
        hi = mid
    gc.collect()
print(lo)`;

export class FirmwareBoard {
  /** Everything the console sent since boot, as received (escape sequences and CRLFs included). */
  raw = '';
  readonly events: TimedEvent[] = [];
  readonly items: TimedItem[] = [];
  private readyWaiters: ((event: ReadyEvent) => void)[] = [];

  private constructor(
    readonly pico: EmulatedPico,
    readonly session: Session,
    readonly driveDir: string,
  ) {
    pico.onOutput((chunk) => (this.raw += Buffer.from(chunk.bytes).toString('utf8')));
    session.onItem((item) => this.items.push({ item, ...pico.outputTime }));
    session.onEvent((event) => {
      this.events.push({ event, ...pico.outputTime });
      if (event.ev === 'ready' && event.req === undefined) for (const resolve of this.readyWaiters.splice(0)) resolve(event);
    });
  }

  /** Builds the image from `driveDir`, resets the board, waits for the runtime's `ready` and (by default) says hello. */
  static async boot(options: BootOptions): Promise<FirmwareBoard> {
    const pico = await EmulatedPico.create({ driveDir: options.driveDir, ...(options.shared ? { shared: options.shared } : {}), ...(options.log ? { log: options.log } : {}) });
    const session = new Session(pico.transport(), { ...(options.log ? { log: options.log } : {}) });
    const board = new FirmwareBoard(pico, session, options.driveDir);
    try {
      const started = board.nextReady(options.readyTimeoutMs ?? 30_000);
      await session.open();
      await started;
      if (options.hello ?? true) await board.hello();
      return board;
    } catch (error) {
      await board.close();
      throw error;
    }
  }

  /** Simulated ms now. */
  get now(): number {
    return simMs(this.pico.time);
  }

  /** Resolves with the next `ready` the runtime prints by itself (a (re)start), within `timeoutMs` simulated ms. */
  nextReady(timeoutMs = 30_000): Promise<ReadyEvent> {
    return new Promise((resolve, reject) => {
      const timer = this.pico.clock.setTimeout(() => {
        this.readyWaiters = this.readyWaiters.filter((w) => w !== done);
        reject(new Error(`The runtime printed no ready within ${timeoutMs / 1000} s of simulated time. Console: ${JSON.stringify(this.raw.slice(-600))}`));
      }, timeoutMs);
      const done = (event: ReadyEvent) => {
        this.pico.clock.clearTimeout(timer);
        resolve(event);
      };
      this.readyWaiters.push(done);
    });
  }

  /**
   * Resolves with the console text from `from` (an offset into `raw`, default: what arrives from now on) up to and
   * including the first match of `pattern`, within `timeoutMs` simulated ms.
   */
  waitForText(pattern: string | RegExp, timeoutMs = 10_000, from = this.raw.length): Promise<string> {
    const find = (): string | undefined => {
      const text = this.raw.slice(from);
      if (typeof pattern === 'string') {
        const at = text.indexOf(pattern);
        return at < 0 ? undefined : text.slice(0, at + pattern.length);
      }
      const m = pattern.exec(text);
      return m ? text.slice(0, m.index + m[0].length) : undefined;
    };
    return new Promise((resolve, reject) => {
      const found = find();
      if (found !== undefined) return resolve(found);
      const watch = this.pico.onOutput(() => {
        // raw is appended by an earlier listener of the same chunk
        const text = find();
        if (text === undefined) return;
        watch.dispose();
        this.pico.clock.clearTimeout(timer);
        resolve(text);
      });
      const timer = this.pico.clock.setTimeout(() => {
        watch.dispose();
        reject(new Error(`No ${String(pattern)} on the console within ${timeoutMs / 1000} s of simulated time. It sent: ${JSON.stringify(this.raw.slice(from).slice(-600))}`));
      }, timeoutMs);
    });
  }

  /** Types into the console as a person or a host would (no framing). */
  type(text: string): Promise<void> {
    return this.session.transport.write(text);
  }

  /** Host mode: hello until the runtime answers. */
  hello(): Promise<ReadyEvent> {
    return awaitRuntime(this.session, { attempts: 6, timeoutMs: 5000 });
  }

  /** Sends a runtime command and waits (simulated time) for one of `answers` with its req. */
  request(command: Parameters<Session['request']>[0], answers: Parameters<Session['request']>[1], timeoutMs = 60_000): Promise<RuntimeEvent> {
    return this.session.request(command, answers, timeoutMs);
  }

  /** The runtime's `mem` (after a collection). */
  mem(): Promise<MemoryEvent> {
    return this.session.mem();
  }

  /** Runs a generation and times it by the board's clock. */
  async generate(args: GenerateArgs): Promise<TimedGeneration> {
    const tokenTimes: BoardTime[] = [];
    let startTime: BoardTime | undefined;
    const t0 = this.now;
    const generation = await this.session.generate(args);
    const watch = generation.onUpdate((update) => {
      if (update.type === 'token') tokenTimes.push(this.pico.outputTime);
      else if (update.type === 'start') startTime = this.pico.outputTime;
    });
    const result = await generation.result;
    watch.dispose();
    const gaps = tokenTimes.slice(1).map((t, i) => simMs(t) - simMs(tokenTimes[i]));
    return { result, startTime, tokenTimes, totalMs: this.now - t0, msPerToken: gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : Number.NaN };
  }

  /**
   * Runs Python in the raw REPL (code.py is stopped first). restart (default true) soft-reboots afterwards so the
   * runtime starts again; then the runtime's new `ready` is awaited and hello is said again.
   */
  async exec(code: string, options: ExecOptions = {}): Promise<ExecResult> {
    const restart = options.restart ?? true;
    const ready = restart ? this.nextReady() : undefined;
    const result = await this.session.exec(code, { timeoutMs: 60_000, ...options, restart });
    if (ready) {
      await ready;
      await this.hello();
    }
    return result;
  }

  /** The largest bytearray that can be allocated right now, at the REPL (the runtime is stopped; see exec). */
  async largestAllocation(options: ExecOptions = {}): Promise<number> {
    const { stdout, stderr } = await this.exec(LARGEST_ALLOCATION_SNIPPET, options);
    const value = Number.parseInt(stdout.trim(), 10);
    if (!Number.isFinite(value)) throw new Error(`Unexpected answer to the allocation probe: ${JSON.stringify(stdout + stderr)}`);
    return value;
  }

  /**
   * A deploy as the extension does it, then what a board's auto-reload would do: the drive folder is written with
   * the project's deploy code, the image rebuilt, the runtime stopped (Ctrl-C), the image written into flash and
   * the board soft-rebooted (Ctrl-D). Resolves with the new runtime's `ready` (hello said again unless hello=false).
   */
  async deploy(request: EmulatedDeployRequest, hello = true): Promise<ReadyEvent> {
    const ready = this.nextReady();
    await emulateDeploy(this, request);
    const event = await ready;
    if (hello) await this.hello();
    return event;
  }

  /** Stops the board and closes the session. Never throws. */
  async close(): Promise<void> {
    await this.session.close().catch(() => undefined);
    await this.pico.stop().catch(() => undefined);
  }
}
