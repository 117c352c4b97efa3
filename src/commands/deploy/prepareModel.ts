// The model as it goes to the board: converted to the chosen weight type when that differs from the file (legacy
// trios always, since the board reads only .safetensors), and the file name it gets under /models.
import type { DeployModel } from '../../device/deploy/prepareDeploy';
import { writeModel } from '../../model/modelFile';
import { loadAnyModel } from '../../model/modelIo';
import { convertModel } from '../../model/quantize';
import type { Dtype } from '../../model/tensor';
import { boardFileName } from '../../services/boardFileName';
import type { ReadableModelEntry } from '../../services/modelEntry';

export { boardFileName };

export async function modelForBoard(entry: ReadableModelEntry, dtype: Dtype): Promise<DeployModel> {
  const fileName = boardFileName(entry, dtype);
  if (!entry.legacy && dtype === entry.summary.weights) return { path: entry.path, fileName };
  const { model } = await loadAnyModel(entry.path);
  return { bytes: writeModel(convertModel(model, dtype)), fileName, path: entry.path };
}
