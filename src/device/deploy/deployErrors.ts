// Deploy failures, each with a code the UI can act on and a message a person can: what happened, whether the
// board's previous files are intact (they are, unless `replaced` lists some), and what to do.

import { errorCode, errorMessage } from '../types';

export type DeployErrorCode =
  | 'read-only' // EROFS / EACCES / EPERM: nothing can be written
  | 'drive-full' // ENOSPC, or the plan's space check
  | 'drive-vanished' // ENOENT / EIO / ENODEV ... mid-copy: unplugged or reset
  | 'cancelled'
  | 'verify-failed' // read-back size or SHA-256 differs
  | 'bad-source' // a model or runtime file on this computer is missing or invalid
  | 'bad-target' // an unsafe or invalid file name on the board, or a file where a folder is needed
  | 'not-a-drive' // the drive path names a file, not a folder
  | 'busy' // another deploy is writing to this drive (driveLock.ts)
  | 'io';

export class DeployError extends Error {
  override readonly name = 'DeployError';
  constructor(
    readonly code: DeployErrorCode,
    message: string,
    /** Board files already replaced by new versions when the deploy stopped (empty: the board is as before). */
    readonly replaced: readonly string[] = [],
    /** Temporary files that could not be removed (the drive was gone); the next deploy removes them. */
    readonly leftovers: readonly string[] = [],
    readonly causeCode?: string,
  ) {
    super(message);
  }
}

const ReadOnlyCodes = new Set(['EROFS', 'EACCES', 'EPERM']);
const FullCodes = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);
const VanishedCodes = new Set(['ENOENT', 'EIO', 'ENODEV', 'ENXIO', 'ENOTCONN', 'ESHUTDOWN', 'EBADF', 'UNKNOWN']);
const NotFolderCodes = new Set(['ENOTDIR', 'EEXIST']);

export function isAbortError(error: unknown): boolean {
  return error instanceof DeployError ? error.code === 'cancelled' : (error as { name?: string } | null)?.name === 'AbortError';
}

/** Turns an fs error met while writing `target` to `drive` into a DeployError with a clear message. */
export function classifyWriteError(error: unknown, drive: string, target: string): DeployError {
  if (error instanceof DeployError) return error;
  const code = errorCode(error);
  const detail = code ? ` (${code})` : '';
  if (isAbortError(error)) return new DeployError('cancelled', 'Deploy cancelled; the previous files on the board were left in place.');
  if (code && ReadOnlyCodes.has(code)) {
    return new DeployError(
      'read-only',
      `Cannot write ${target} to ${drive}: the drive is read-only${detail}. Nothing was changed. If the board's boot.py remounts its storage for the board itself, the computer cannot write to it; otherwise eject and replug the board (a damaged FAT drive is mounted read-only).`,
      [],
      [],
      code,
    );
  }
  if (code && FullCodes.has(code)) {
    return new DeployError('drive-full', `${drive} ran out of space while writing ${target}${detail}. Nothing was changed; remove models from the board to make room.`, [], [], code);
  }
  if (code && NotFolderCodes.has(code)) {
    const folder = target.includes('/') ? target.slice(0, target.lastIndexOf('/')) : target;
    return new DeployError(
      'bad-target',
      `Cannot write ${target} to ${drive}: ${folder} (or a folder above it) is a file on ${drive}, where a folder is needed${detail}. Nothing was changed; rename or remove that file.`,
      [],
      [],
      code,
    );
  }
  if (code && VanishedCodes.has(code)) {
    return new DeployError(
      'drive-vanished',
      `${drive} disappeared while writing ${target}${detail}: was the board unplugged or reset? The previous files were left in place; deploy again once the drive is back.`,
      [],
      [],
      code,
    );
  }
  return new DeployError('io', `Writing ${target} to ${drive} failed: ${errorMessage(error)}`, [], [], code);
}
