// The files on a board's drive, for the Board Files view: a folder's entries (folders first, sizes), the drive's
// free space, and deleting a file or a folder. Deleting a model in /models goes through removeModels, so
// /picoformer.json never names a model that is gone. Entries the OS and the deploy keep for themselves (names
// starting with ".", "System Volume Information") are not listed. Pure (the file system is passed in).
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { DeployError, classifyWriteError } from '../deploy/deployErrors';
import { type DeployFs, nodeDeployFs } from '../deploy/deployFs';
import { removeModels } from '../deploy/removeModels';
import { ModelsDir } from '../deploy/settingsFile';
import { errorCode } from '../types';

export interface DriveEntry {
  name: string;
  /** Relative to the drive root, "/"-separated: "lib/picoformer/app.py". */
  target: string;
  kind: 'file' | 'folder';
  /** Bytes (files; 0 for folders). */
  size: number;
}

export interface DriveSpace {
  totalBytes: number;
  freeBytes: number;
}

/** The deploy's file system plus removing a folder (deleting a model rewrites /picoformer.json like a deploy). */
export type DriveFs = DeployFs & {
  /** Removes an empty folder. */
  rmdir(path: string): Promise<void>;
};

export function nodeDriveFs(): DriveFs {
  return { ...nodeDeployFs(), rmdir: (p) => fsp.rmdir(p) };
}

const Hidden = (name: string) => name.startsWith('.') || name === 'System Volume Information';

/** A drive-relative target made safe: "/", "" and "." are the root; ".." and absolute paths are refused. */
export function normalizeTarget(target: string): string {
  const parts = target.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw new DeployError('bad-target', `"${target}" is not a path on the board.`);
  return parts.join('/');
}

function hostPath(drivePath: string, target: string): string {
  return target ? path.join(drivePath, ...target.split('/')) : drivePath;
}

/** The entries of a folder on the drive ("" = the root), folders first, then by name. */
export async function listDriveFolder(fs: DriveFs, drivePath: string, folder = ''): Promise<DriveEntry[]> {
  const dir = normalizeTarget(folder);
  let names: string[];
  try {
    names = await fs.readdir(hostPath(drivePath, dir));
  } catch (error) {
    throw classifyWriteError(error, drivePath, dir || '/');
  }
  const entries: DriveEntry[] = [];
  for (const name of names.filter((n) => !Hidden(n))) {
    const target = dir ? `${dir}/${name}` : name;
    const stat = await fs.stat(hostPath(drivePath, target)).catch(() => undefined);
    if (!stat) continue; // gone between the listing and now
    entries.push({ name, target, kind: stat.isDirectory ? 'folder' : 'file', size: stat.isDirectory ? 0 : stat.size });
  }
  return entries.sort((a, b) => Number(a.kind === 'file') - Number(b.kind === 'file') || a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' }));
}

export async function driveSpace(fs: DriveFs, drivePath: string): Promise<DriveSpace> {
  const s = await fs.statfs(drivePath);
  return { totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
}

/** The bytes the files on a drive take (the virtual Pico's folder, whose disk's free space is no board's). */
export async function driveUsage(fs: DriveFs, drivePath: string): Promise<number> {
  const { files } = await filesUnder(fs, drivePath, '');
  return files.reduce((sum, f) => sum + f.size, 0);
}

/** Every file under a target (itself when it is a file), deepest first, so folders empty before they are removed. */
export async function filesUnder(fs: DriveFs, drivePath: string, target: string): Promise<{ files: DriveEntry[]; folders: string[] }> {
  const t = normalizeTarget(target);
  const stat = await fs.stat(hostPath(drivePath, t));
  if (!stat.isDirectory) return { files: [{ name: path.posix.basename(t), target: t, kind: 'file', size: stat.size }], folders: [] };
  const files: DriveEntry[] = [];
  const folders: string[] = [];
  // Hidden entries count here: a folder is deleted whole.
  for (const name of await fs.readdir(hostPath(drivePath, t))) {
    const inner = await filesUnder(fs, drivePath, t ? `${t}/${name}` : name);
    files.push(...inner.files);
    folders.push(...inner.folders);
  }
  folders.push(t);
  return { files, folders };
}

export interface DeleteResult {
  /** Files removed (drive-relative). */
  files: string[];
  folders: string[];
  /** The default model after deleting models (undefined: none, or unchanged). */
  defaultModel?: string;
}

/** Deletes a file or a folder (with everything in it). Models in /models are removed the way removeModels does. */
export async function deleteFromDrive(fs: DriveFs, drivePath: string, target: string): Promise<DeleteResult> {
  const t = normalizeTarget(target);
  if (!t) throw new DeployError('bad-target', 'The drive itself cannot be deleted, only files and folders on it.');
  const { files, folders } = await filesUnder(fs, drivePath, t);
  const isModel = (f: DriveEntry) => path.posix.dirname(f.target) === ModelsDir && /\.safetensors$/i.test(f.name) && !f.name.startsWith('.');
  const models = files.filter(isModel);
  const result: DeleteResult = { files: [], folders: [] };
  if (models.length) {
    const removed = await removeModels(fs, drivePath, models.map((m) => m.name));
    result.files.push(...removed.removed.map((name) => `${ModelsDir}/${name}`));
    if (removed.settingsChanged) result.defaultModel = removed.defaultModel;
  }
  for (const file of files.filter((f) => !isModel(f))) {
    try {
      await fs.unlink(hostPath(drivePath, file.target));
      result.files.push(file.target);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw classifyWriteError(error, drivePath, file.target);
    }
  }
  for (const folder of folders) {
    try {
      await fs.rmdir(hostPath(drivePath, folder));
      result.folders.push(folder);
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw classifyWriteError(error, drivePath, folder);
    }
  }
  return result;
}
