// Everything that decides a training run, besides the data and the model size: kept in checkpoints so a resumed
// run continues exactly as the original would have.
import { DefaultAdamW } from './optimizer';

export interface TrainSettings {
  steps: number;
  /** Windows per step. */
  batch: number;
  /** Peak learning rate. */
  lr: number;
  /** Warm-up steps (linear from 0 to lr), then cosine decay to lr * minLrRatio at `steps`. */
  warmup: number;
  minLrRatio: number;
  weightDecay: number;
  beta1: number;
  beta2: number;
  /** Global gradient norm limit (0: none). */
  clip: number;
  seed: number;
  /** Validation every this many steps (and at the end). */
  evalEvery: number;
  /** Windows in the fixed validation set. */
  valWindows: number;
}

export function defaultSettings(steps: number, seed = 1): TrainSettings {
  return {
    steps,
    batch: 16,
    lr: 3e-3,
    warmup: Math.max(1, Math.min(200, Math.round(steps * 0.05))),
    minLrRatio: 0.1,
    weightDecay: DefaultAdamW.weightDecay,
    beta1: DefaultAdamW.beta1,
    beta2: DefaultAdamW.beta2,
    clip: 1,
    seed,
    evalEvery: Math.max(1, Math.round(steps / 20)),
    valWindows: 64,
  };
}

/** A clear message for the first setting out of range, or null. */
export function settingsProblem(s: TrainSettings): string | null {
  const int = (v: number, min: number): boolean => Number.isInteger(v) && v >= min;
  if (!int(s.steps, 1)) return `steps must be a whole number >= 1, got ${s.steps}`;
  if (!int(s.batch, 1)) return `batch must be a whole number >= 1, got ${s.batch}`;
  if (!(s.lr > 0 && s.lr < 1)) return `learning rate must be in (0, 1), got ${s.lr}`;
  if (!int(s.warmup, 0)) return `warm-up must be a whole number >= 0, got ${s.warmup}`;
  if (!(s.minLrRatio >= 0 && s.minLrRatio <= 1)) return `minimum learning-rate ratio must be in [0, 1], got ${s.minLrRatio}`;
  if (!(s.weightDecay >= 0 && s.weightDecay < 1)) return `weight decay must be in [0, 1), got ${s.weightDecay}`;
  if (!(s.beta1 >= 0 && s.beta1 < 1) || !(s.beta2 >= 0 && s.beta2 < 1)) return 'Adam betas must be in [0, 1)';
  if (!(s.clip >= 0)) return `gradient clip must be >= 0, got ${s.clip}`;
  if (!Number.isInteger(s.seed)) return `seed must be a whole number, got ${s.seed}`;
  if (!int(s.evalEvery, 1)) return `evaluation interval must be a whole number >= 1, got ${s.evalEvery}`;
  if (!int(s.valWindows, 1)) return `validation windows must be a whole number >= 1, got ${s.valWindows}`;
  return null;
}
