// Removes temporary files (.pf-tmp-*) that an earlier deploy left behind when it crashed or lost the drive.

import type { DeployFs } from './deployFs';
import { classifyWriteError } from './deployErrors';
import { TempPrefix, onDrive } from './boardPaths';
import { errorCode } from '../types';

/** Removes stale temporary files in the given board folders ("" is the root); returns the targets removed. */
export async function removeStaleTemps(fs: DeployFs, drivePath: string, dirs: Iterable<string>): Promise<string[]> {
  const removed: string[] = [];
  for (const dir of new Set(dirs)) {
    let names: string[];
    try {
      names = await fs.readdir(onDrive(drivePath, dir));
    } catch {
      continue; // folder not there yet
    }
    for (const name of names.filter((n) => n.startsWith(TempPrefix))) {
      const target = dir ? `${dir}/${name}` : name;
      try {
        await fs.unlink(onDrive(drivePath, target));
        removed.push(target);
      } catch (error) {
        if (errorCode(error) === 'ENOENT') continue;
        throw classifyWriteError(error, drivePath, target);
      }
    }
  }
  return removed;
}
