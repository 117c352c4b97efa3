// One model file as the extension knows it: its header (read cheaply; a legacy trio is imported and re-read), or
// the reason it cannot be read. Pure (no vscode), so the catalog's parsing is unit-tested without an editor.
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { ModelFormatError } from '../model/errors';
import { importLegacy } from '../model/legacy';
import { readLegacyTrio } from '../model/legacyFiles';
import { type ModelHeader, readModelHeader, writeModel } from '../model/modelFile';
import { readModelHeaderFile } from '../model/modelIo';
import { type ModelSummary, summarize } from '../model/summary';

export interface ModelEntryBase {
  /** The .safetensors file, or a legacy trio's config_<N>p.json. */
  path: string;
  legacy: boolean;
  /** File name for safetensors, folder name for a legacy trio. */
  fileLabel: string;
  /** Size and modification time, to know when the cached entry is stale. */
  stamp: string;
}

export interface ReadableModelEntry extends ModelEntryBase {
  ok: true;
  header: ModelHeader;
  summary: ModelSummary;
}

export interface UnreadableModelEntry extends ModelEntryBase {
  ok: false;
  /** The ModelFormatError code, or "io" for a file system error. */
  code: string;
  problem: string;
}

export type ModelEntry = ReadableModelEntry | UnreadableModelEntry;

export function isLegacyConfigPath(path: string): boolean {
  return /^config_\d+p\.json$/.test(basename(path));
}

/** Reads a model's header (never throws: an unreadable file becomes an entry that says why). */
export async function readModelEntry(path: string): Promise<ModelEntry> {
  const legacy = isLegacyConfigPath(path);
  const base: ModelEntryBase = { path, legacy, fileLabel: legacy ? basename(dirname(path)) : basename(path), stamp: '' };
  try {
    const info = await stat(path);
    base.stamp = `${info.size}:${info.mtimeMs}`;
    // A trio's header is what importing it writes: exact for the estimate, and small models import in milliseconds.
    const header = legacy ? readModelHeader(writeModel(importLegacy(await readLegacyTrio(path)))) : await readModelHeaderFile(path);
    return { ...base, ok: true, header, summary: summarize(header) };
  } catch (error) {
    if (error instanceof ModelFormatError) return { ...base, ok: false, code: error.code, problem: error.message };
    return { ...base, ok: false, code: 'io', problem: error instanceof Error ? error.message : String(error) };
  }
}

/** The entry's stamp as it would be now (cheap: one stat), to skip re-reading unchanged files. */
export async function currentStamp(path: string): Promise<string> {
  try {
    const info = await stat(path);
    return `${info.size}:${info.mtimeMs}`;
  } catch {
    return 'missing';
  }
}
