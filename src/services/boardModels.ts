// The models on a board's drive (/models/*.safetensors), each read like a workspace model (header only), with the
// one /picoformer.json names marked. Pure (no vscode).
import { nodeDeployFs } from '../device/deploy/deployFs';
import { onDrive } from '../device/deploy/boardPaths';
import { listBoardModels } from '../device/deploy/removeModels';
import { ModelsDir } from '../device/deploy/settingsFile';
import { type ModelEntry, readModelEntry } from './modelEntry';

export interface BoardModelEntry {
  /** File name under /models. */
  name: string;
  /** Named by /picoformer.json: the runtime loads it at start. */
  isDefault: boolean;
  entry: ModelEntry;
}

export async function readBoardModels(drivePath: string): Promise<BoardModelEntry[]> {
  const models = await listBoardModels(nodeDeployFs(), drivePath);
  const result: BoardModelEntry[] = [];
  for (const m of models) {
    result.push({ name: m.name, isDefault: m.isDefault, entry: await readModelEntry(onDrive(drivePath, `${ModelsDir}/${m.name}`)) });
  }
  return result;
}
