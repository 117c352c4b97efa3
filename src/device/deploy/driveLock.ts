// One deploy at a time per drive, across processes (two VS Code windows, the CLI beside the editor): without it,
// each deploy's clean-up of stale temporary files deleted the other's staged files (issue 12 §5). The lock is a file
// in the OS temp folder named after the drive's real path, never a file on the drive (every write to CIRCUITPY
// restarts the board's code). A lock whose process is gone (same host) or that has not been touched for a while is
// stale and taken over; a holder touches it every few seconds. Why not proper-lockfile (npm): it keeps no pid, so a
// crashed holder blocks everyone for its whole stale period, it needs the locked path to exist, and it would add
// three runtime dependencies for about a hundred lines.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp, realpathSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import * as path from 'node:path';
import { DeployError } from './deployErrors';
import { errorCode } from '../types';

export interface LockHolder {
  pid: number;
  host: string;
  /** When it took the lock (ms since the epoch). */
  since: number;
  drive: string;
}

export interface DriveLockOptions {
  signal?: AbortSignal;
  /** Called once when the drive is busy and the deploy starts waiting (to say so). */
  onWait?: (holder: LockHolder | undefined) => void;
  /** How long to wait for another deploy before giving up (default 10 minutes: a slow drive, a big model). */
  waitMs?: number;
  /** Where lock files live (default the OS temp folder). */
  dir?: string;
  /** A holder touches its lock every staleMs / 6 (default 30 s; see isStale). */
  staleMs?: number;
}

interface LockFile extends LockHolder {
  nonce: string;
}

/** Lock keys this async context holds: a deploy inside a locked operation (removeModels) does not wait for itself. */
const held = new AsyncLocalStorage<ReadonlySet<string>>();

/** The lock file for a drive: one per real path (a symlink or a trailing slash is the same drive). */
export function driveLockPath(drivePath: string, dir = tmpdir()): string {
  let real = path.resolve(drivePath);
  try {
    real = realpathSync.native(real);
  } catch {
    // the drive is not there: its path as given (the deploy then fails with that reason)
  }
  if (process.platform === 'win32' || process.platform === 'darwin') real = real.toLowerCase();
  return path.join(dir, `picoformer-deploy-${createHash('sha256').update(real).digest('hex').slice(0, 16)}.lock`);
}

/** Runs `fn` holding the drive's deploy lock, waiting (cancellably) while another process holds it. */
export async function withDriveLock<T>(drivePath: string, fn: () => Promise<T>, options: DriveLockOptions = {}): Promise<T> {
  const file = driveLockPath(drivePath, options.dir);
  const mine = held.getStore();
  if (mine?.has(file)) return fn();
  const staleMs = options.staleMs ?? 30_000;
  const me: LockFile = { pid: process.pid, host: hostname(), since: Date.now(), drive: path.resolve(drivePath), nonce: randomBytes(8).toString('hex') };
  await acquire(file, me, options, staleMs);
  const touch = setInterval(() => void fsp.utimes(file, new Date(), new Date()).catch(() => undefined), Math.max(200, staleMs / 6));
  touch.unref();
  try {
    return await held.run(new Set([...(mine ?? []), file]), fn);
  } finally {
    clearInterval(touch);
    if ((await readLock(file))?.nonce === me.nonce) await fsp.unlink(file).catch(() => undefined);
  }
}

async function acquire(file: string, me: LockFile, options: DriveLockOptions, staleMs: number): Promise<void> {
  const started = Date.now();
  const waitMs = options.waitMs ?? 600_000;
  let told = false;
  for (;;) {
    if (options.signal?.aborted) throw new DeployError('cancelled', 'Deploy cancelled while waiting for another deploy to this drive; nothing was written.');
    try {
      await fsp.writeFile(file, JSON.stringify(me), { flag: 'wx' });
      return;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    const holder = await readLock(file);
    if (holder === undefined || (await isStale(file, holder, staleMs))) {
      await breakLock(file, holder);
      continue;
    }
    if (!told) {
      told = true;
      options.onWait?.(holder);
    }
    if (Date.now() - started >= waitMs) throw busy(holder);
    await sleep(150, options.signal);
  }
}

function busy(holder: LockHolder | undefined): DeployError {
  const who = holder ? ` (process ${holder.pid}${holder.host === hostname() ? ' on this computer' : ` on ${holder.host}`}, since ${new Date(holder.since).toLocaleTimeString()})` : '';
  return new DeployError('busy', `Another deploy is writing to this drive${who}. Nothing was written; deploy again when it has finished.`);
}

async function readLock(file: string): Promise<LockFile | undefined> {
  try {
    const parsed = JSON.parse(await fsp.readFile(file, 'utf8')) as LockFile;
    return typeof parsed.pid === 'number' && typeof parsed.nonce === 'string' ? parsed : undefined;
  } catch {
    return undefined; // gone, or caught between its creation and its first write (it is then fresh: see isStale)
  }
}

/**
 * On this computer a lock is stale when its process is gone, or untouched for ten times staleMs (its pid reused by
 * another program); from another computer (a shared temp folder) when untouched for staleMs.
 */
async function isStale(file: string, holder: LockHolder, staleMs: number): Promise<boolean> {
  const here = holder.host === hostname();
  if (here && !alive(holder.pid)) return true;
  try {
    return Date.now() - (await fsp.stat(file)).mtimeMs > (here ? 10 * staleMs : staleMs);
  } catch {
    return true; // already gone: try again
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === 'EPERM'; // exists, owned by someone else
  }
}

/** Removes a stale lock; if another process replaced it meanwhile, puts theirs back (link fails if taken). */
async function breakLock(file: string, stale: LockFile | undefined): Promise<void> {
  if (stale === undefined) {
    // unreadable: a lock being written this instant, or garbage; only garbage old enough is removed
    const age = await fsp.stat(file).then((s) => Date.now() - s.mtimeMs, () => Infinity);
    if (age > 2000) await fsp.unlink(file).catch(() => undefined);
    else await sleep(50);
    return;
  }
  const aside = `${file}.${randomBytes(4).toString('hex')}.stale`;
  try {
    await fsp.rename(file, aside);
  } catch {
    return; // someone else moved it first
  }
  if ((await readLock(aside))?.nonce !== stale.nonce) await fsp.link(aside, file).catch(() => undefined);
  await fsp.unlink(aside).catch(() => undefined);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}
