// File names on the board's drive. Targets are POSIX paths relative to the drive root ("models/x.safetensors",
// "lib/picoformer/loader.py", "code.py"); they must be safe (no "..", nothing absolute) and legal on FAT.

import * as path from 'node:path';
import { DeployError } from './deployErrors';

/** Temporary files a deploy stages under, in the target's own folder; any left over is removed by the next one. */
export const TempPrefix = '.pf-tmp-';

const FatIllegal = /[<>:"\\|?*]/;

function hasControlCharacter(name: string): boolean {
  return [...name].some((c) => c.charCodeAt(0) < 0x20);
}

/** Throws a bad-target DeployError unless `target` is a safe relative POSIX path with FAT-legal names. */
export function checkTarget(target: string): void {
  const parts = target.split('/');
  const problem =
    target === '' || target.startsWith('/')
      ? 'must be a relative path'
      : parts.some((p) => p === '' || p === '.' || p === '..')
        ? 'must not contain empty, "." or ".." parts'
        : parts.some((p) => FatIllegal.test(p) || hasControlCharacter(p))
          ? 'contains a character FAT drives do not allow (< > : " \\ | ? * or a control character)'
          : parts.some((p) => /[ .]$/.test(p))
            ? 'has a name ending in a space or dot'
            : parts.some((p) => p.length > 255)
              ? 'has a name longer than 255 characters'
              : parts.some((p) => p.startsWith(TempPrefix))
                ? `uses the reserved prefix ${TempPrefix}`
                : undefined;
  if (problem) throw new DeployError('bad-target', `Invalid file name on the board "${target}": it ${problem}.`);
}

/** The host path of a board file. */
export function onDrive(drivePath: string, target: string): string {
  return path.join(drivePath, ...target.split('/'));
}

/** The board folder of a target ("" for the root). */
export function targetDir(target: string): string {
  const at = target.lastIndexOf('/');
  return at < 0 ? '' : target.slice(0, at);
}

export function targetBase(target: string): string {
  return target.slice(target.lastIndexOf('/') + 1);
}

/** A fresh temporary name next to the target. */
export function tempTarget(target: string, random: () => string): string {
  const dir = targetDir(target);
  const name = `${TempPrefix}${random()}-${targetBase(target)}`.slice(0, 250);
  return dir ? `${dir}/${name}` : name;
}
