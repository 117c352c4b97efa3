// Carries out a DeployPlan so that the board always has either its previous files or the complete new set:
//   1. remove temporary files an earlier, interrupted deploy left behind;
//   2. stage: write every file to a temporary name in its own folder, fsync, read it back and check size + SHA-256;
//   3. commit: rename each staged file over its target (models, runtime, settings, code.py last), read it back
//      and check it again, and remove the other form of a runtime module just put in place (its .py for a new
//      .mpy, or back: a board imports a module's .py before its .mpy, so both must not stay); then delete runtime
//      modules the new runtime no longer has.
// One deploy at a time per drive, across processes (driveLock.ts): another one waits, so neither's clean-up of
// stale temporary files can delete what the other is staging.
// A failure or cancellation during 1-2 removes the staged files and leaves every old file untouched. The commit is
// a few renames, which are not cancellable; if the drive disappears during them, the error lists what was
// already replaced. Staging everything first also means the board's auto-reload (750 ms after the last write)
// sees one consistent set instead of a runtime and a model from different deploys.

import { randomBytes } from 'node:crypto';
import type { DeployFs } from './deployFs';
import { nodeDeployFs } from './deployFs';
import { DeployError, classifyWriteError } from './deployErrors';
import { type LockHolder, withDriveLock } from './driveLock';
import { onDrive, targetDir, tempTarget } from './boardPaths';
import { sha256 } from './hash';
import type { DeployPlan, PlannedWrite } from './planDeploy';
import { formatBytes } from './planDeploy';
import { removeStaleTemps } from './staleTemps';
import { errorCode } from '../types';

export interface DeployProgress {
  phase: 'cleanup' | 'copy' | 'commit' | 'prune' | 'done';
  /** The board file being worked on. */
  target?: string;
  filesDone: number;
  filesTotal: number;
  bytesDone: number;
  bytesTotal: number;
}

export interface ExecuteOptions {
  fs?: DeployFs;
  signal?: AbortSignal;
  onProgress?: (progress: DeployProgress) => void;
  /** Bytes per write call; progress and cancellation are checked between chunks. */
  chunkSize?: number;
  /** Random part of temporary names (tests make it predictable). */
  random?: () => string;
  /** Called once if another deploy is writing to this drive and this one waits for it. */
  onWait?: (holder: LockHolder | undefined) => void;
}

export interface DeployResult {
  written: string[];
  unchanged: string[];
  /** Obsolete runtime files deleted. */
  pruned: string[];
  /** Temporary files of an earlier deploy that were removed. */
  staleRemoved: string[];
  bytesWritten: number;
}

const DefaultChunk = 16 * 1024;

function cancelled(): DeployError {
  return new DeployError('cancelled', 'Deploy cancelled; the previous files on the board were left in place.');
}

function sameBytes(write: PlannedWrite, data: Uint8Array): boolean {
  return data.length === write.size && sha256(data) === write.sha256;
}

function verifyError(drive: string, target: string, data: Uint8Array, write: PlannedWrite, replaced: readonly string[] = []): DeployError {
  const what = data.length !== write.size ? `${data.length} bytes instead of ${write.size}` : 'different content (SHA-256 mismatch)';
  return new DeployError(
    'verify-failed',
    `Reading ${target} back from ${drive} gave ${what}. The drive may be failing or was written to by something else; the previous files were left in place.`,
    replaced,
  );
}

export async function executeDeploy(plan: DeployPlan, options: ExecuteOptions = {}): Promise<DeployResult> {
  return withDriveLock(plan.drivePath, () => execute(plan, options), { signal: options.signal, onWait: options.onWait });
}

async function execute(plan: DeployPlan, options: ExecuteOptions): Promise<DeployResult> {
  const fs = options.fs ?? nodeDeployFs();
  const drive = plan.drivePath;
  const chunkSize = Math.max(1, options.chunkSize ?? DefaultChunk);
  const random = options.random ?? (() => randomBytes(4).toString('hex'));
  const filesTotal = plan.writes.length;
  const bytesTotal = plan.bytesToWrite;
  let bytesDone = 0;
  let filesDone = 0;
  const report = (phase: DeployProgress['phase'], target?: string) =>
    options.onProgress?.({ phase, ...(target === undefined ? {} : { target }), filesDone, filesTotal, bytesDone, bytesTotal });
  const checkCancel = () => {
    if (options.signal?.aborted) throw cancelled();
  };

  if (!plan.fits) throw new DeployError('drive-full', plan.spaceProblem ?? `Not enough space on ${drive} (needs ${formatBytes(plan.requiredBytes)}, has ${formatBytes(plan.freeBytes)}).`);
  checkCancel();

  report('cleanup');
  const folders = ['', 'models', 'lib', ...plan.writes.map((w) => targetDir(w.target))];
  const staleRemoved = await removeStaleTemps(fs, drive, folders);

  // Stage. A temporary file counts as staged once it exists: only those can be left behind.
  const staged: { write: PlannedWrite; temp: string }[] = [];
  try {
    for (const write of plan.writes) {
      checkCancel();
      report('copy', write.target);
      const dir = targetDir(write.target);
      if (dir) await fs.mkdir(onDrive(drive, dir)).catch((error: unknown) => {
        throw classifyWriteError(error, drive, write.target);
      });
      const temp = tempTarget(write.target, random);
      const onCreated = () => staged.push({ write, temp });
      await writeFile(fs, onDrive(drive, temp), write, chunkSize, checkCancel, onCreated, (n) => {
        bytesDone += n;
        report('copy', write.target);
      }).catch((error: unknown) => {
        throw classifyWriteError(error, drive, write.target);
      });
      const readBack = await fs.readFile(onDrive(drive, temp)).catch((error: unknown) => {
        throw classifyWriteError(error, drive, write.target);
      });
      if (!sameBytes(write, readBack)) throw verifyError(drive, write.target, readBack, write);
      filesDone++;
    }
    checkCancel();
  } catch (error) {
    const leftovers = await removeTemps(fs, drive, staged.map((s) => s.temp));
    const failure = error instanceof DeployError ? error : classifyWriteError(error, drive, staged[staged.length - 1]?.write.target ?? '(files)');
    throw withLeftovers(failure, leftovers);
  }

  // Commit.
  const replaced: string[] = [];
  const pruned: string[] = [];
  for (const [index, { write, temp }] of staged.entries()) {
    report('commit', write.target);
    try {
      await fs.rename(onDrive(drive, temp), onDrive(drive, write.target));
    } catch (error) {
      const leftovers = await removeTemps(fs, drive, staged.slice(index).map((s) => s.temp));
      const failure = classifyWriteError(error, drive, write.target);
      const note = replaced.length ? ` Already replaced: ${replaced.join(', ')}; deploy again to finish.` : '';
      throw withLeftovers(new DeployError(failure.code, `${failure.message}${note}`, replaced, [], failure.causeCode), leftovers);
    }
    replaced.push(write.target);
    const readBack = await fs.readFile(onDrive(drive, write.target)).catch(() => new Uint8Array(0));
    if (!sameBytes(write, readBack)) {
      const leftovers = await removeTemps(fs, drive, staged.slice(index + 1).map((s) => s.temp));
      throw withLeftovers(verifyError(drive, write.target, readBack, write, replaced), leftovers);
    }
    if (write.removesOther) {
      // At every moment the module has a file the board can import: the old form until now, the new one after.
      try {
        await fs.unlink(onDrive(drive, write.removesOther));
        pruned.push(write.removesOther);
      } catch (error) {
        if (errorCode(error) !== 'ENOENT') {
          const leftovers = await removeTemps(fs, drive, staged.slice(index + 1).map((s) => s.temp));
          const failure = classifyWriteError(error, drive, write.removesOther);
          throw withLeftovers(new DeployError(failure.code, `${failure.message} Already replaced: ${replaced.join(', ')}; deploy again to finish.`, replaced, [], failure.causeCode), leftovers);
        }
      }
    }
  }
  for (const dir of new Set(plan.writes.map((w) => targetDir(w.target)))) await fs.syncDir(onDrive(drive, dir));

  // Prune runtime modules the new runtime dropped (only after it is in place).
  for (const target of plan.obsolete.filter((t) => !pruned.includes(t))) {
    report('prune', target);
    try {
      await fs.unlink(onDrive(drive, target));
      pruned.push(target);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw classifyWriteError(error, drive, target);
    }
  }

  report('done');
  return { written: replaced, unchanged: [...plan.unchanged], pruned, staleRemoved, bytesWritten: bytesDone };
}

/** Writes all of `write.bytes` to a new file, chunk by chunk, then fsyncs it. */
async function writeFile(
  fs: DeployFs,
  file: string,
  write: PlannedWrite,
  chunkSize: number,
  checkCancel: () => void,
  onCreated: () => void,
  onBytes: (n: number) => void,
): Promise<void> {
  const handle = await fs.create(file);
  onCreated();
  try {
    let position = 0;
    while (position < write.size) {
      checkCancel();
      const length = Math.min(chunkSize, write.size - position);
      const n = await handle.write(write.bytes, position, length, position);
      if (n <= 0) throw Object.assign(new Error('the drive accepted no bytes'), { code: 'EIO' });
      position += n;
      onBytes(n);
    }
    await handle.sync();
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Deletes staged files (each one was created); returns those that could not be deleted. Any failure counts, "not
 * found" too: a drive unmounted mid-copy leaves an empty mount folder, and the file is back when the drive is.
 */
async function removeTemps(fs: DeployFs, drive: string, temps: readonly string[]): Promise<string[]> {
  const leftovers: string[] = [];
  for (const temp of temps) {
    try {
      await fs.unlink(onDrive(drive, temp));
    } catch {
      leftovers.push(temp);
    }
  }
  return leftovers;
}

function withLeftovers(error: DeployError, leftovers: string[]): DeployError {
  if (leftovers.length === 0) return error;
  const what = leftovers.length === 1 ? `A partly written temporary file was left on the drive (${leftovers[0]})` : `Partly written temporary files were left on the drive (${leftovers.join(', ')})`;
  const message = `${error.message} ${what}; the next deploy removes ${leftovers.length === 1 ? 'it' : 'them'}.`;
  return new DeployError(error.code, message, error.replaced, leftovers, error.causeCode);
}
