// A model named on the command line, read cheaply (header only; a legacy trio is imported) into the entry the
// extension's services use, with an error that says what is wrong with it.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type ReadableModelEntry, readModelEntry } from '../services/modelEntry';

export class ModelPathError extends Error {
  override name = 'ModelPathError';
}

/** A legacy folder is read through its config_<N>p.json. */
async function entryPath(path: string): Promise<string> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new ModelPathError(`cannot use ${path}: no such file or folder`);
  }
  if (!info.isDirectory()) return path;
  const configs = (await readdir(path)).filter((n) => /^config_\d+p\.json$/.test(n));
  if (configs.length === 1) return join(path, configs[0]);
  throw new ModelPathError(
    configs.length === 0
      ? `${path} is a folder without a legacy config_<N>p.json; name a .safetensors model file`
      : `${path} holds ${configs.length} legacy models (${configs.join(', ')}); name one config_<N>p.json`,
  );
}

export async function readModelArgument(path: string): Promise<ReadableModelEntry> {
  const entry = await readModelEntry(await entryPath(path));
  if (!entry.ok) throw new ModelPathError(`cannot read ${path}: ${entry.problem}${entry.code === 'io' ? '' : ` [${entry.code}]`}`);
  return entry;
}
