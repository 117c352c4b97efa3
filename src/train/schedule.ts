// Learning rate by step: linear warm-up from 0 to the peak, then cosine decay to minRatio * peak at the last step.

export interface Schedule {
  peak: number;
  warmupSteps: number;
  totalSteps: number;
  /** Where the cosine ends, as a fraction of the peak. */
  minRatio: number;
}

/** The learning rate of update number `step` (0-based). */
export function learningRate(s: Schedule, step: number): number {
  if (step < s.warmupSteps) return (s.peak * (step + 1)) / s.warmupSteps;
  const span = Math.max(1, s.totalSteps - s.warmupSteps);
  const progress = Math.min(1, (step - s.warmupSteps) / span);
  const min = s.peak * s.minRatio;
  return min + 0.5 * (s.peak - min) * (1 + Math.cos(Math.PI * progress));
}

