// What a board's drive says is deployed, read before talking to the board: whether code.py starts the Picoformer
// runtime (and its library is there), and which model files are in /models. Generating checks this first, so an
// empty board is reported at once instead of after a wait for a runtime that cannot answer. Pure (node:fs only).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface DeployedState {
  /** code.py imports the Picoformer runtime and lib/picoformer is on the drive. */
  runtime: boolean;
  /** The model files in /models (names ending in .safetensors). */
  models: string[];
}

/** The drive's state, or undefined when the folder is not there (an unmounted drive: nothing can be said). */
export function readDeployedState(drivePath: string): DeployedState | undefined {
  try {
    if (!statSync(drivePath).isDirectory()) return undefined;
  } catch {
    return undefined;
  }
  return { runtime: startsRuntime(drivePath), models: modelFiles(drivePath) };
}

function startsRuntime(drivePath: string): boolean {
  try {
    return /\bpicoformer\b/.test(readFileSync(join(drivePath, 'code.py'), 'utf8')) && existsSync(join(drivePath, 'lib', 'picoformer'));
  } catch {
    return false;
  }
}

function modelFiles(drivePath: string): string[] {
  try {
    return readdirSync(join(drivePath, 'models')).filter((name) => /\.safetensors$/i.test(name) && !name.startsWith('.'));
  } catch {
    return [];
  }
}
