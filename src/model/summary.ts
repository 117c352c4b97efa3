// A model at a glance, from its header alone: what `picoformer info`, the models view and the estimator show.
import type { ModelConfig } from './config';
import type { ModelHeader } from './modelFile';
import { modelName } from './params';
import type { Dtype } from './tensor';

export interface ModelSummary {
  /** `<family>-<size>` from the parameter count (docs/format.md "Names from parameter counts"). */
  name: string;
  parameterCount: number;
  /** The dtype of the matrices, or `mixed`. */
  weights: Dtype | 'mixed';
  /** Parameters per dtype (norm weights included). */
  parametersByDtype: Partial<Record<Dtype, number>>;
  fileBytes: number;
  headerBytes: number;
  weightBytes: number;
  scaleBytes: number;
  config: ModelConfig;
}

export function summarize(header: ModelHeader): ModelSummary {
  const byDtype: Partial<Record<Dtype, number>> = {};
  const matrixDtypes = new Set<Dtype>();
  let weightBytes = 0;
  let scaleBytes = 0;
  for (const t of header.tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    byDtype[t.dtype] = (byDtype[t.dtype] ?? 0) + count;
    if (t.shape.length === 2) matrixDtypes.add(t.dtype);
    weightBytes += t.bytes;
    scaleBytes += t.scaleBytes;
  }
  return {
    name: modelName(header.parameterCount, header.config.family),
    parameterCount: header.parameterCount,
    weights: matrixDtypes.size === 1 ? [...matrixDtypes][0] : 'mixed',
    parametersByDtype: byDtype,
    fileBytes: header.fileSize,
    headerBytes: 8 + header.container.headerLength,
    weightBytes,
    scaleBytes,
    config: header.config,
  };
}
