// Notices changes in the virtual Pico's drive folder and reports them once writing has settled, as CircuitPython
// reloads 750 ms after the last write. Polls file sizes and times: cheap for a drive-sized folder, and reliable on
// every OS (recursive fs.watch is not).

import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const AUTO_RELOAD_DELAY_MS = 750;
const MAX_ENTRIES = 5000;

export interface DriveWatcherOptions {
  pollMs?: number;
  settleMs?: number;
  /** Names (relative, with /) whose changes do not count; boot_out.txt is written by the machine itself. */
  ignore?: (relativePath: string) => boolean;
}

export class DriveWatcher {
  private timer: ReturnType<typeof setInterval> | undefined;
  private synced: string;
  private seen: string;
  private lastChange = 0;
  private readonly pollMs: number;
  private readonly settleMs: number;
  private readonly ignore: (relativePath: string) => boolean;

  constructor(
    private readonly dir: string,
    private readonly onSettledChange: () => void,
    options: DriveWatcherOptions = {},
  ) {
    this.pollMs = options.pollMs ?? 200;
    this.settleMs = options.settleMs ?? AUTO_RELOAD_DELAY_MS;
    this.ignore = options.ignore ?? ((p) => p === 'boot_out.txt');
    this.synced = this.seen = this.signature();
  }

  start(): void {
    if (this.timer) return;
    this.synced = this.seen = this.signature();
    this.timer = setInterval(() => this.poll(), this.pollMs);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Treat the folder as it is now as already loaded (after a reboot that read it anyway). */
  markSynced(): void {
    this.synced = this.seen = this.signature();
  }

  private poll(): void {
    const now = Date.now();
    const signature = this.signature();
    if (signature !== this.seen) {
      this.seen = signature;
      this.lastChange = now;
      return;
    }
    if (signature !== this.synced && now - this.lastChange >= this.settleMs) {
      this.synced = signature;
      this.onSettledChange();
    }
  }

  /** Every file's path, size and modification time, in one string. */
  private signature(): string {
    const parts: string[] = [];
    const walk = (dir: string, relative: string): void => {
      let names: string[];
      try {
        names = readdirSync(dir).sort();
      } catch {
        return;
      }
      for (const name of names) {
        if (name.startsWith('.') || parts.length >= MAX_ENTRIES) continue;
        const rel = relative ? `${relative}/${name}` : name;
        if (this.ignore(rel)) continue;
        try {
          const stat = statSync(join(dir, name));
          if (stat.isDirectory()) {
            parts.push(`${rel}/`);
            walk(join(dir, name), rel);
          } else parts.push(`${rel}:${stat.size}:${stat.mtimeMs}`);
        } catch {
          // vanished between readdir and stat
        }
      }
    };
    walk(this.dir, '');
    return parts.join('\n');
  }
}
