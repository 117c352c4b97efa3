// Models and boards that land in each memory zone, for the view-model tests.
import { type BoardProfile, boardProfile } from '../../../src/memory/boards';
import { type MemoryEstimate, estimate } from '../../../src/memory/estimate';
import { estimateModelFromConfig } from '../../../src/memory/input';
import type { Zone } from '../../../src/memory/zones';
import { makeConfig } from '../../../src/model/config';
import { type ModelHeader, readModelHeader, writeModel } from '../../../src/model/modelFile';
import { randomModel, syntheticVocab } from '../../../src/model/random';

export const smallConfig = makeConfig({ vocab_size: 48, dim: 16, hidden_dim: 48, n_layers: 2, n_heads: 2, context_length: 64, family: 'story' });

export function smallEstimate(board: BoardProfile = boardProfile('pico-cp9')): MemoryEstimate {
  return estimate(estimateModelFromConfig(smallConfig, syntheticVocab(48, 'char'), 'I8'), board);
}

/** A custom board whose heap puts the small model in `zone` (headroom 50%, 15%, 5%, -10%). */
export function boardFor(zone: Zone): BoardProfile {
  const required = smallEstimate().chosen.required;
  const fraction = { safe: 0.5, test: 0.8, danger: 0.95, impossible: 1.1 }[zone]; // test: 75-85% of the budget
  return boardProfile('custom', required / fraction / 1024);
}

export function smallHeader(): ModelHeader {
  return readModelHeader(writeModel(randomModel(smallConfig, 3)));
}
