// The speed model's fit: every timed generation of the sweep as (features of its token, board cycles per token),
// coefficients per forward-pass path by non-negative least squares on the `fit` shapes, then every sample predicted
// (held-out shapes are the check: issue 10 asks for ±15% on them, every mode).
import type { LoadMode } from '../../src/memory/boardParts';
import { estimateModelFromHeader } from '../../src/memory/input';
import { type SpeedCoefficients, type SpeedFeature, type SpeedFeatures, type SpeedPath, SpeedC, speedFeatures } from '../../src/memory/speed';
import { readModelHeader } from '../../src/model/modelFile';
import { nnls } from './nnls';
import { SweepShapes, shapeFile } from './shapes';
import { PromptTokens, type SweepRecord, TimedPosition } from './sweepJob';

/** The features each path's model uses. ulab's matrix products are C: its costs are calls and items (a product's
 *  output rows, scaled and stored), not element-wise Python work. */
export const PathFeatures: Readonly<Record<SpeedPath, readonly SpeedFeature[]>> = {
  ulab: ['token', 'layer', 'head', 'rows', 'macI8', 'macF32', 'macF32Resident', 'attention', 'attentionKv8', 'layerKv8', 'vocabSampled', 'vocabGreedy', 'units', 'streamBytes'],
  python: ['token', 'layer', 'macI8', 'macF32', 'attention', 'attentionKv8', 'layerKv8', 'attentionHead', 'rows', 'layerDim', 'layerHidden', 'vocabSampled', 'vocabGreedy', 'units', 'streamBytes'],
};

export interface SpeedSample {
  shape: string;
  dtype: string;
  path: SpeedPath;
  mode: LoadMode;
  sampled: boolean;
  heldOut: boolean;
  features: SpeedFeatures;
  prefillFeatures: SpeedFeatures;
  /** Measured board cycles: one decoded token, one prefilled token. */
  decodeCycles: number;
  prefillCycles: number;
}

const cyclesOf = (ms: number): number => (ms / 1000) * SpeedC.clockHz;

export function speedSamples(records: readonly SweepRecord[]): SpeedSample[] {
  const samples: SpeedSample[] = [];
  for (const r of records) {
    const shape = SweepShapes.find((s) => s.name === r.shape);
    if (!shape) continue;
    const model = estimateModelFromHeader(readModelHeader(shapeFile(shape)));
    const path: SpeedPath = r.path;
    for (const load of r.measurement.loads) {
      if (!load.loaded) continue;
      for (const g of load.generations) {
        // Only full runs: the gaps must be the positions the features are computed at.
        if (g.ids.length !== g.tokens || g.promptTokens !== PromptTokens + 1 || !Number.isFinite(g.decodeMs)) continue;
        const sampling = g.temperature > 0 ? 'sampled' : 'greedy';
        const options = { mode: load.mode, ulab: path === 'ulab' } as const;
        samples.push({
          shape: r.shape,
          dtype: r.dtype,
          path,
          mode: load.mode,
          sampled: g.temperature > 0,
          heldOut: shape.speed === 'held-out',
          features: speedFeatures(model, { ...options, position: TimedPosition, sampling }),
          prefillFeatures: { ...speedFeatures(model, { ...options, position: PromptTokens / 2, sampling }), vocabSampled: 0, vocabGreedy: 0 },
          decodeCycles: cyclesOf(g.decodeMs),
          prefillCycles: cyclesOf(g.prefillMsPerToken),
        });
      }
    }
  }
  return samples;
}

function fit(samples: readonly SpeedSample[], names: readonly SpeedFeature[], pick: (s: SpeedSample) => [SpeedFeatures, number]): SpeedCoefficients {
  if (samples.length === 0) return {};
  // Relative errors matter (a 1K and a 300K model alike): each row is weighted by 1 / its target.
  const rows = samples.map((s) => {
    const [f, y] = pick(s);
    return names.map((n) => f[n] / y);
  });
  const x = nnls(rows, rows.map(() => 1));
  const coefficients: SpeedCoefficients = {};
  names.forEach((n, j) => {
    if (x[j] > 0) coefficients[n] = Number(x[j].toPrecision(4));
  });
  return coefficients;
}

export interface SpeedFit {
  decode: Record<SpeedPath, SpeedCoefficients>;
  prefill: Record<SpeedPath, SpeedCoefficients>;
}

export function fitSpeed(samples: readonly SpeedSample[]): SpeedFit {
  const out: SpeedFit = { decode: { ulab: {}, python: {} }, prefill: { ulab: {}, python: {} } };
  for (const path of ['ulab', 'python'] as const) {
    const train = samples.filter((s) => s.path === path && !s.heldOut);
    out.decode[path] = fit(train, PathFeatures[path], (s) => [s.features, s.decodeCycles]);
    out.prefill[path] = fit(train.filter((s) => s.sampled), PathFeatures[path].filter((n) => !n.startsWith('vocab')), (s) => [s.prefillFeatures, s.prefillCycles]);
  }
  return out;
}

export function predictCycles(features: SpeedFeatures, coefficients: SpeedCoefficients): number {
  let sum = 0;
  for (const [name, c] of Object.entries(coefficients) as [SpeedFeature, number][]) sum += c * features[name];
  return sum;
}
