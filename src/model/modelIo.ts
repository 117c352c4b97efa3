// Model files on disk: the header alone (reads only 8 + N bytes: cheap for listing and estimating) or the whole
// model; legacy trios (a folder or a config_<N>p.json) load through the importer.
import { open, readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { importLegacy } from './legacy';
import { readLegacyTrio } from './legacyFiles';
import { type Model, type ModelHeader, parseModelHeader, readModel } from './modelFile';
import { parseHeader, readHeaderLength } from './safetensors';

/** Validates and returns the header of a model file without reading its weights. */
export async function readModelHeaderFile(path: string): Promise<ModelHeader> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const prefix = new Uint8Array(8);
    await handle.read(prefix, 0, 8, 0);
    const n = readHeaderLength(prefix, size);
    const header = new Uint8Array(n);
    await handle.read(header, 0, n, 8);
    return parseModelHeader(parseHeader(header, size));
  } finally {
    await handle.close();
  }
}

/** Reads and fully validates a model file. */
export async function readModelFile(path: string): Promise<Model> {
  return readModel(new Uint8Array(await readFile(path)));
}

/** True when `path` names a legacy trio (its folder, or its config_<N>p.json) rather than a model file. */
export async function isLegacyPath(path: string): Promise<boolean> {
  if (/^config_\d+p\.json$/.test(basename(path))) return true;
  return (await stat(path)).isDirectory();
}

/** A picoformer/1 file, or a legacy trio imported on the fly. */
export async function loadAnyModel(path: string): Promise<{ model: Model; legacy: boolean }> {
  if (await isLegacyPath(path)) return { model: importLegacy(await readLegacyTrio(path)), legacy: true };
  return { model: await readModelFile(path), legacy: false };
}
