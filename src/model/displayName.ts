// How a model is named to people: by its file (a legacy trio by its folder), never only by the name its metadata
// gives. Two files of one model (story-8k.safetensors and story-8k-int8.safetensors) or a file its owner renamed
// (mytiny-8k.safetensors holding "story-8k") must be told apart; the model's own name comes second. Pure.
import { basename, dirname } from 'node:path';

/** "mytiny-8k.safetensors"; a legacy trio (its config_<N>p.json or its folder): the folder's name. */
export function modelFileName(path: string, legacy: boolean): string {
  if (!legacy) return basename(path);
  return /^config_\d+p\.json$/.test(basename(path)) ? basename(dirname(path)) : basename(path);
}

/** The file name without ".safetensors", for tight spaces (the status bar). */
export function modelFileStem(fileName: string): string {
  return fileName.replace(/\.safetensors$/i, '');
}

/** "mytiny-8k.safetensors (model story-8k)"; only the file name when the stem already says the model's name. */
export function modelTitle(fileName: string, ownName: string): string {
  return modelFileStem(fileName) === ownName ? fileName : `${fileName} (model ${ownName})`;
}
