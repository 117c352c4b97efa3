// /picoformer.json on the board: which model the runtime loads at start, and in which load mode when the user chose
// one (docs/devices.md). Deliberately trivial JSON:
//   {"model": "/models/story-8k.safetensors", "mode": "streamed"}
// Keys Picoformer does not know are kept when it rewrites the file, so the runtime can add its own.

import type { LoadMode } from '../protocol/events';
import { decodeText } from '../drives/bootOut';

export const SettingsTarget = 'picoformer.json';
export const ModelsDir = 'models';

export type BoardSettings = Record<string, unknown>;

/** The settings on the board, or {} when the file is missing, not JSON or not an object. */
export function parseBoardSettings(bytes: Uint8Array | undefined): BoardSettings {
  if (!bytes) return {};
  try {
    const parsed: unknown = JSON.parse(decodeText(bytes));
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as BoardSettings) : {};
  } catch {
    return {};
  }
}

/** The board path the runtime opens for a model file name. */
export function boardModelPath(fileName: string): string {
  return `/${ModelsDir}/${fileName}`;
}

/** The default model's file name, if the settings name one under /models. */
export function defaultModelName(settings: BoardSettings): string | undefined {
  const model = settings.model;
  const prefix = `/${ModelsDir}/`;
  return typeof model === 'string' && model.startsWith(prefix) ? model.slice(prefix.length) : undefined;
}

/** The mode the runtime loads the default model in at start, when the settings force one (else auto). */
export function defaultModelMode(settings: BoardSettings): 'resident' | 'streamed' | undefined {
  const mode = settings.mode;
  return mode === 'resident' || mode === 'streamed' ? mode : undefined;
}

/**
 * The file bytes with `model` set to the given model file name (or removed for null) and `mode` set to the load mode
 * chosen for it. Auto, the default, removes `mode`: a mode chosen for one model never carries over to another.
 */
export function renderBoardSettings(existing: BoardSettings, modelFileName: string | null, mode: LoadMode = 'auto'): Uint8Array {
  const settings: BoardSettings = { ...existing };
  delete settings.mode;
  if (modelFileName === null) delete settings.model;
  else {
    settings.model = boardModelPath(modelFileName);
    if (mode !== 'auto') settings.mode = mode;
  }
  return new TextEncoder().encode(`${JSON.stringify(settings, null, 2)}\n`);
}
