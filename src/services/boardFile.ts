// Which of a board's model files a workspace model is: the file itself when it is one of the board's, else the name
// deploying gives it (as stored, or converted to int8/f16/f32). Pure (node:fs only).
import { basename, dirname } from 'node:path';
import { readDeployedState } from '../device/deploy/deployedState';
import type { GenerationModelRef } from '../generation/backend';
import type { Dtype } from '../model/tensor';
import { boardFileName } from './boardFileName';
import { notDeployed } from './boardProblems';
import { readModelEntry } from './modelEntry';

/**
 * The name among `onBoard` (what the runtime lists). When it is not there but is on the board's drive (`drivePath`),
 * it was just deployed and the runtime has not restarted yet (the virtual Pico copies its drive at boot; a board
 * reloads 750 ms after the last write): that rejects with code `restarted`, which a run waits out and tries again.
 */
export async function boardFileFor(model: GenerationModelRef, onBoard: readonly string[], where: string, drivePath?: string): Promise<string> {
  if (basename(dirname(model.path)) === 'models' && onBoard.includes(basename(model.path))) return basename(model.path);
  const entry = await readModelEntry(model.path);
  const candidates = entry.ok ? (['I8', 'F16', 'F32'] as Dtype[]).map((d) => boardFileName(entry, d)) : [basename(model.path)];
  const found = candidates.find((name) => onBoard.includes(name));
  if (found) return found;
  const onDrive = drivePath ? candidates.find((name) => readDeployedState(drivePath)?.models.includes(name)) : undefined;
  if (onDrive) throw Object.assign(new Error(`${onDrive} was just deployed to ${where}: waiting for its runtime to restart with it.`), { code: 'restarted' });
  throw notDeployed(candidates[0], where, onBoard);
}
