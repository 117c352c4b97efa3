// A Clock (src/device/serial/clock.ts) that counts the emulated board's simulated milliseconds. The emulated Pico
// moves it forward as the worker reports its time; timers that came due fire in a macrotask of their own, after
// the console output that arrived with the same report has been handled (as a host-time timer would).

import type { Clock, ClockTimer } from '../device/serial/clock';

interface SimTimer extends ClockTimer {
  at: number;
  callback: () => void;
  live: boolean;
}

export class SimClock implements Clock {
  private ms = 0;
  private timers: SimTimer[] = [];
  private firing = false;

  now(): number {
    return this.ms;
  }

  setTimeout(callback: () => void, ms: number): ClockTimer {
    const timer: SimTimer = { at: this.ms + Math.max(0, ms), callback, live: true, unref: () => undefined };
    this.timers.push(timer);
    return timer;
  }

  clearTimeout(timer: ClockTimer | undefined): void {
    if (!timer) return;
    (timer as SimTimer).live = false;
    this.timers = this.timers.filter((t) => t !== timer);
  }

  /** Timers waiting (tests). */
  get pending(): number {
    return this.timers.length;
  }

  /** Moves the clock to `ms` (never back) and schedules the timers that came due. */
  advanceTo(ms: number): void {
    if (ms <= this.ms) return;
    this.ms = ms;
    if (!this.firing && this.timers.some((t) => t.at <= ms)) {
      this.firing = true;
      setImmediate(() => this.fireDue());
    }
  }

  private fireDue(): void {
    this.firing = false;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= this.ms).sort((a, b) => a.at - b.at)[0];
      if (!due) return;
      this.clearTimeout(due);
      try {
        due.callback();
      } catch (error) {
        console.error('[picoformer] emulated-time timer failed:', error);
      }
    }
  }
}
