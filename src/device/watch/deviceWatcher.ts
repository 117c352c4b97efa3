// Hot-plug: polls for boards while someone is listening and reports what was added, removed or changed.
// Costs nothing without subscribers (no timer runs). Between full scans a cheap probe (mount table and tty names,
// see probeSignature.ts) decides whether anything can have changed; while nothing does, the interval grows from
// 1.5 s up to 6 s, and drops back as soon as something changes.

import type { BoardDevice, DeviceSnapshot } from '../types';
import { errorMessage } from '../types';

export type DeviceEvent =
  | { type: 'added'; key: string; device: BoardDevice }
  | { type: 'removed'; key: string; device: BoardDevice }
  | { type: 'changed'; key: string; device: BoardDevice; previous: BoardDevice };

export interface DeviceChange {
  events: DeviceEvent[];
  snapshot: DeviceSnapshot;
  /** The first scan after polling started: sent even when it found nothing, so a view can say so. */
  initial: boolean;
}

export type DeviceListener = (change: DeviceChange) => void;

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // Polling must never keep a CLI process alive on its own.
    if (typeof handle === 'object' && handle && 'unref' in handle) handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface WatcherOptions {
  /** A full detection pass (scanDevices bound to its options). */
  scan: () => Promise<DeviceSnapshot>;
  /** A cheap fingerprint of what could change; when it is unchanged the full scan is skipped. */
  probe?: () => Promise<string>;
  clock?: Clock;
  /** First and shortest poll interval. */
  intervalMs?: number;
  /** Longest poll interval while nothing changes. */
  maxIntervalMs?: number;
  /** Growth of the interval per quiet poll. */
  backoff?: number;
  /** A full scan at least this often even when the probe says nothing changed (free space, missed changes). */
  fullScanEveryMs?: number;
  onError?: (message: string) => void;
}

/** What makes two sightings of a device "the same": everything except free space, which changes on every write. */
export function deviceFingerprint(device: BoardDevice): string {
  return JSON.stringify(device, (key, value: unknown) => (key === 'freeBytes' ? undefined : value));
}

/** The events that turn `before` into `after`. */
export function diffDevices(before: ReadonlyMap<string, BoardDevice>, after: readonly BoardDevice[]): DeviceEvent[] {
  const events: DeviceEvent[] = [];
  const seen = new Set<string>();
  for (const device of after) {
    seen.add(device.key);
    const previous = before.get(device.key);
    if (!previous) events.push({ type: 'added', key: device.key, device });
    else if (deviceFingerprint(previous) !== deviceFingerprint(device)) events.push({ type: 'changed', key: device.key, device, previous });
  }
  for (const [key, device] of before) if (!seen.has(key)) events.push({ type: 'removed', key, device });
  return events;
}

export class DeviceWatcher {
  private readonly listeners = new Set<DeviceListener>();
  private readonly clock: Clock;
  private readonly baseInterval: number;
  private readonly maxInterval: number;
  private readonly backoff: number;
  private readonly fullScanEvery: number;
  private known = new Map<string, BoardDevice>();
  private snapshot: DeviceSnapshot | undefined;
  private interval: number;
  private timer: unknown;
  private lastSignature: string | undefined;
  private lastFullScan = -Infinity;
  private initialPending = true;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  /** Bumped when polling stops, so a scan that finishes afterwards is dropped. */
  private generation = 0;

  constructor(private readonly options: WatcherOptions) {
    this.clock = options.clock ?? systemClock;
    this.baseInterval = options.intervalMs ?? 1500;
    this.maxInterval = Math.max(this.baseInterval, options.maxIntervalMs ?? 6000);
    this.backoff = Math.max(1, options.backoff ?? 1.5);
    this.fullScanEvery = options.fullScanEveryMs ?? 30000;
    this.interval = this.baseInterval;
  }

  /** The latest snapshot, if a scan has run since polling (re)started. */
  current(): DeviceSnapshot | undefined {
    return this.snapshot;
  }

  /** The poll interval that will be used next (it grows while nothing changes). */
  currentIntervalMs(): number {
    return this.interval;
  }

  /**
   * Starts polling with the first subscriber. A later subscriber first receives the devices already known as
   * "added" events, so every listener builds the same picture.
   */
  subscribe(listener: DeviceListener): { dispose(): void } {
    if (this.disposed) throw new Error('DeviceWatcher was disposed');
    this.listeners.add(listener);
    if (this.listeners.size === 1) {
      this.interval = this.baseInterval;
      void this.enqueue(true);
    } else if (this.snapshot && this.known.size > 0) {
      const snapshot = this.snapshot;
      const events: DeviceEvent[] = [...this.known.values()].map((device) => ({ type: 'added', key: device.key, device }));
      queueMicrotask(() => {
        if (this.listeners.has(listener)) listener({ events, snapshot, initial: true });
      });
    }
    return {
      dispose: () => {
        this.listeners.delete(listener);
        if (this.listeners.size === 0) this.stop();
      },
    };
  }

  /** Scans now (the Refresh command) and resets the interval; resolves with the new snapshot. */
  async refresh(): Promise<DeviceSnapshot | undefined> {
    this.interval = this.baseInterval;
    await this.enqueue(true);
    return this.snapshot;
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
    this.stop();
  }

  private stop(): void {
    this.generation++;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    // Nobody is watching: forget the picture, so the next subscriber starts from a fresh "added" list.
    this.known = new Map();
    this.snapshot = undefined;
    this.lastSignature = undefined;
    this.lastFullScan = -Infinity;
    this.initialPending = true;
  }

  private enqueue(force: boolean): Promise<unknown> {
    const generation = this.generation;
    this.queue = this.queue.then(() => this.tick(force, generation));
    return this.queue;
  }

  private async tick(force: boolean, generation: number): Promise<void> {
    if (generation !== this.generation || this.listeners.size === 0 || this.disposed) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    let changed = false;
    try {
      const signature = this.options.probe ? await this.options.probe().catch(() => undefined) : undefined;
      const due =
        force || signature === undefined || signature !== this.lastSignature || this.clock.now() - this.lastFullScan >= this.fullScanEvery;
      if (due) {
        const snapshot = await this.options.scan();
        if (generation !== this.generation) return;
        this.lastSignature = signature;
        this.lastFullScan = this.clock.now();
        changed = this.apply(snapshot);
      }
    } catch (error) {
      this.options.onError?.(`Device scan failed: ${errorMessage(error)}`);
    }
    if (generation !== this.generation || this.listeners.size === 0) return;
    this.interval = changed ? this.baseInterval : Math.min(this.maxInterval, Math.round(this.interval * this.backoff));
    this.timer = this.clock.setTimeout(() => void this.enqueue(false), this.interval);
  }

  private apply(snapshot: DeviceSnapshot): boolean {
    const events = diffDevices(this.known, snapshot.devices);
    this.snapshot = snapshot;
    this.known = new Map(snapshot.devices.map((d) => [d.key, d]));
    const initial = this.initialPending;
    this.initialPending = false;
    if (events.length === 0 && !initial) return false;
    for (const listener of [...this.listeners]) {
      try {
        listener({ events, snapshot, initial });
      } catch (error) {
        this.options.onError?.(`A device listener failed: ${errorMessage(error)}`);
      }
    }
    return events.length > 0 || initial; // right after (re)starting, poll at the base rate first
  }
}
