// Waits for text to appear on the console (as pexpect and mpremote's read_until do). Text is appended as it
// arrives; a wait looks only at text that arrived after the previous match, and consumes through its own match.

import { type Clock, type ClockTimer, hostClock } from './clock';

export class ExpectTimeout extends Error {
  constructor(
    readonly waitingFor: string,
    readonly received: string,
  ) {
    super(`Timed out waiting for ${waitingFor}; the board sent ${JSON.stringify(received.slice(-200))}`);
    this.name = 'ExpectTimeout';
  }
}

export class ExpectClosed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExpectClosed';
  }
}

interface Waiter {
  patterns: string[];
  resolve: (result: ExpectMatch) => void;
  reject: (err: Error) => void;
  timer: ClockTimer;
}

export interface ExpectMatch {
  /** Which of the patterns matched. */
  index: number;
  pattern: string;
  /** Text between the previous match and this one. */
  before: string;
}

/** Text kept at most (a board printing without pause must not grow memory). */
const MAX_BUFFER = 256 * 1024;

export class ExpectBuffer {
  private buffer = '';
  private waiter: Waiter | undefined;

  constructor(private readonly clock: Clock = hostClock) {}

  append(text: string): void {
    this.buffer += text;
    if (this.buffer.length > MAX_BUFFER) this.buffer = this.buffer.slice(-MAX_BUFFER / 2);
    this.check();
  }

  /** Forgets everything received so far. */
  clear(): void {
    this.buffer = '';
  }

  /** Text received and not consumed by a match. */
  get pending(): string {
    return this.buffer;
  }

  /** Resolves at the first occurrence of any of `patterns`; rejects with ExpectTimeout after `timeoutMs`. */
  waitFor(patterns: string | string[], timeoutMs: number): Promise<ExpectMatch> {
    if (this.waiter) return Promise.reject(new Error('Only one wait at a time.'));
    const list = Array.isArray(patterns) ? patterns : [patterns];
    return new Promise((resolve, reject) => {
      const timer = this.clock.setTimeout(() => {
        this.waiter = undefined;
        reject(new ExpectTimeout(list.map((p) => JSON.stringify(p)).join(' or '), this.buffer));
      }, timeoutMs);
      this.waiter = { patterns: list, resolve, reject, timer };
      this.check();
    });
  }

  /** Fails the current wait (the connection went away). */
  abort(message: string): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.waiter = undefined;
    this.clock.clearTimeout(waiter.timer);
    waiter.reject(new ExpectClosed(message));
  }

  private check(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    let best: { index: number; at: number } | undefined;
    waiter.patterns.forEach((pattern, index) => {
      const at = this.buffer.indexOf(pattern);
      if (at >= 0 && (!best || at < best.at)) best = { index, at };
    });
    if (!best) return;
    const pattern = waiter.patterns[best.index];
    const before = this.buffer.slice(0, best.at);
    this.buffer = this.buffer.slice(best.at + pattern.length);
    this.waiter = undefined;
    this.clock.clearTimeout(waiter.timer);
    waiter.resolve({ index: best.index, pattern, before });
  }
}
