// Delays between reconnect attempts: quick at first (a soft reset re-enumerates in about a second), then capped,
// so a board left unplugged costs one cheap port listing every few seconds.

export interface BackoffOptions {
  /** First delay (default 250 ms). */
  initialMs?: number;
  /** Largest delay (default 3000 ms). */
  maxMs?: number;
  /** Stop after this much total waiting; 0 waits forever (default). */
  giveUpAfterMs?: number;
}

export class Backoff {
  private delay: number;
  private waited = 0;
  private readonly maxMs: number;
  private readonly giveUpAfterMs: number;

  constructor(options: BackoffOptions = {}) {
    this.delay = Math.max(1, options.initialMs ?? 250);
    this.maxMs = Math.max(this.delay, options.maxMs ?? 3000);
    this.giveUpAfterMs = options.giveUpAfterMs ?? 0;
  }

  /** The next delay in ms, or undefined once the give-up time has been spent. */
  next(): number | undefined {
    if (this.giveUpAfterMs > 0 && this.waited >= this.giveUpAfterMs) return undefined;
    const delay = this.delay;
    this.waited += delay;
    this.delay = Math.min(this.maxMs, this.delay * 2);
    return delay;
  }
}
