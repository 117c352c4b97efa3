// The time a session's waits are measured in. A real board (and the virtual Pico) runs in host time; the emulated
// Pico (src/emu) runs at 0.1-2x real time depending on the host's load, so its transport brings a clock that counts
// the board's simulated milliseconds instead: "5 s without an answer" then means 5 s of the board's time.

/** A pending timer; unref (when there is one) lets the process exit while it waits. */
export interface ClockTimer {
  unref?(): unknown;
}

export interface Clock {
  /** Milliseconds, from any origin. */
  now(): number;
  setTimeout(callback: () => void, ms: number): ClockTimer;
  clearTimeout(timer: ClockTimer | undefined): void;
}

/** Node's timers and Date.now(). */
export const hostClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout> | undefined),
};

/** Resolves after `ms` of the clock's time. */
export function sleepOn(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.setTimeout(resolve, ms));
}
