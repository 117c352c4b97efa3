// Model entries for the services' and commands' unit tests: seeded random-init models of a chosen size and dtype.
import { readModelHeader, writeModel } from '../../../src/model/modelFile';
import { convertModel } from '../../../src/model/quantize';
import { configForTarget, randomModel } from '../../../src/model/random';
import { summarize } from '../../../src/model/summary';
import type { Dtype } from '../../../src/model/tensor';
import type { ReadableModelEntry } from '../../../src/services/modelEntry';

export function modelBytes(target: number, dtype: Dtype, family = 'story', seed = 1): Uint8Array {
  return writeModel(convertModel(randomModel(configForTarget(target, { family }), seed), dtype));
}

export function entryFor(target: number, dtype: Dtype, path = `/ws/models/story-${target}.safetensors`, legacy = false): ReadableModelEntry {
  const header = readModelHeader(modelBytes(target, dtype));
  return { ok: true, path, legacy, fileLabel: path.split('/').pop() as string, stamp: '1:1', header, summary: summarize(header) };
}
