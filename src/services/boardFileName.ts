// The name a model gets under /models on a board: its own file name when deployed as it is, with the weight type
// appended when deploying converts it ("story-8k-int8.safetensors"), its model name for a legacy trio. Pure.
import { basename } from 'node:path';
import type { Dtype } from '../model/tensor';
import type { ReadableModelEntry } from './modelEntry';

const Suffix: Record<Dtype, string> = { I8: 'int8', F16: 'f16', F32: 'f32' };

export function boardFileName(entry: Pick<ReadableModelEntry, 'path' | 'legacy' | 'summary'>, dtype: Dtype): string {
  const stem = entry.legacy ? entry.summary.name : basename(entry.path).replace(/\.safetensors$/i, '');
  if (!entry.legacy && dtype === entry.summary.weights) return `${stem}.safetensors`;
  return `${stem.replace(/-(int8|f16|f32)$/i, '')}-${Suffix[dtype]}.safetensors`;
}
