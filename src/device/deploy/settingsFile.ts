// /picoformer.json on the board: which model the runtime loads at start. Deliberately trivial JSON:
//   {"model": "/models/story-8k.safetensors"}
// Keys Picoformer does not know are kept when it rewrites the file, so the runtime can add its own.

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

/** The file bytes with `model` set to the given model file name (or removed for null). */
export function renderBoardSettings(existing: BoardSettings, modelFileName: string | null): Uint8Array {
  const settings: BoardSettings = { ...existing };
  if (modelFileName === null) delete settings.model;
  else settings.model = boardModelPath(modelFileName);
  return new TextEncoder().encode(`${JSON.stringify(settings, null, 2)}\n`);
}
