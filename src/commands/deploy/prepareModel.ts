// The model as it goes to the board: converted to the chosen weight type when that differs from the file (legacy
// trios always, since the board reads only .safetensors), and the file name it gets under /models.
import { basename } from 'node:path';
import type { DeployModel } from '../../device/deploy/prepareDeploy';
import { writeModel } from '../../model/modelFile';
import { loadAnyModel } from '../../model/modelIo';
import { convertModel } from '../../model/quantize';
import type { Dtype } from '../../model/tensor';
import type { ReadableModelEntry } from '../../services/modelEntry';

const Suffix: Record<Dtype, string> = { I8: 'int8', F16: 'f16', F32: 'f32' };

/** "story-8k.safetensors" stays; converted: "story-8k-int8.safetensors"; a legacy trio: its model name. */
export function boardFileName(entry: ReadableModelEntry, dtype: Dtype): string {
  const stem = entry.legacy ? entry.summary.name : basename(entry.path).replace(/\.safetensors$/i, '');
  if (!entry.legacy && dtype === entry.summary.weights) return `${stem}.safetensors`;
  return `${stem.replace(/-(int8|f16|f32)$/i, '')}-${Suffix[dtype]}.safetensors`;
}

export async function modelForBoard(entry: ReadableModelEntry, dtype: Dtype): Promise<DeployModel> {
  const fileName = boardFileName(entry, dtype);
  if (!entry.legacy && dtype === entry.summary.weights) return { path: entry.path, fileName };
  const { model } = await loadAnyModel(entry.path);
  return { bytes: writeModel(convertModel(model, dtype)), fileName, path: entry.path };
}
