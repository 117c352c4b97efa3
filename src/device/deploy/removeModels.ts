// Deleting models from the board, and listing what is there. When the default model in /picoformer.json is
// deleted, the settings name another model still on the board (or none), written like any deploy file.

import type { DeployFs } from './deployFs';
import { DeployError, classifyWriteError } from './deployErrors';
import { checkTarget, onDrive } from './boardPaths';
import { withDriveLock } from './driveLock';
import { executeDeploy } from './executeDeploy';
import { planDeploy } from './planDeploy';
import { ModelsDir, SettingsTarget, defaultModelName, parseBoardSettings, renderBoardSettings } from './settingsFile';
import { removeStaleTemps } from './staleTemps';
import { errorCode } from '../types';

export interface BoardModel {
  name: string;
  size: number;
  /** Named by /picoformer.json. */
  isDefault: boolean;
}

export interface RemoveResult {
  removed: string[];
  /** Names that were not on the board. */
  missing: string[];
  /** The default model afterwards (undefined: none). */
  defaultModel?: string;
  settingsChanged: boolean;
}

/** The .safetensors files in /models, with sizes and which one is the default. */
export async function listBoardModels(fs: DeployFs, drivePath: string): Promise<BoardModel[]> {
  const settings = parseBoardSettings(await fs.readFile(onDrive(drivePath, SettingsTarget)).catch(() => undefined));
  const defaultName = defaultModelName(settings);
  let names: string[];
  try {
    names = await fs.readdir(onDrive(drivePath, ModelsDir));
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return [];
    throw classifyWriteError(error, drivePath, ModelsDir);
  }
  const models: BoardModel[] = [];
  for (const name of names.filter((n) => /\.safetensors$/i.test(n) && !n.startsWith('.')).sort()) {
    const stat = await fs.stat(onDrive(drivePath, `${ModelsDir}/${name}`)).catch(() => undefined);
    if (stat?.isFile) models.push({ name, size: stat.size, isDefault: name === defaultName });
  }
  return models;
}

/** Deletes models from the board, holding the drive's deploy lock (driveLock.ts) so no deploy runs meanwhile. */
export async function removeModels(fs: DeployFs, drivePath: string, names: readonly string[]): Promise<RemoveResult> {
  return withDriveLock(drivePath, () => remove(fs, drivePath, names));
}

async function remove(fs: DeployFs, drivePath: string, names: readonly string[]): Promise<RemoveResult> {
  for (const name of names) {
    if (name.includes('/') || name.includes('\\')) throw new DeployError('bad-target', `A model name is a file name in /models, not a path: "${name}".`);
    checkTarget(`${ModelsDir}/${name}`);
  }
  await removeStaleTemps(fs, drivePath, ['', ModelsDir]);
  const removed: string[] = [];
  const missing: string[] = [];
  for (const name of names) {
    try {
      await fs.unlink(onDrive(drivePath, `${ModelsDir}/${name}`));
      removed.push(name);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') missing.push(name);
      else throw classifyWriteError(error, drivePath, `${ModelsDir}/${name}`);
    }
  }

  const settingsBytes = await fs.readFile(onDrive(drivePath, SettingsTarget)).catch(() => undefined);
  const settings = parseBoardSettings(settingsBytes);
  const current = defaultModelName(settings);
  if (!current || !removed.includes(current)) return { removed, missing, ...(current ? { defaultModel: current } : {}), settingsChanged: false };

  const remaining = await listBoardModels(fs, drivePath);
  const next = remaining[0]?.name;
  const space = await fs.statfs(drivePath);
  const plan = planDeploy([{ target: SettingsTarget, kind: 'settings', bytes: renderBoardSettings(settings, next ?? null) }], {
    path: drivePath,
    freeBytes: space.bavail * space.bsize,
    blockSize: space.bsize,
    existing: settingsBytes ? { [SettingsTarget]: { size: settingsBytes.length } } : {},
    boardModels: [],
  });
  await executeDeploy(plan, { fs });
  return { removed, missing, ...(next ? { defaultModel: next } : {}), settingsChanged: true };
}
