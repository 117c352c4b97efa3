// Parameter count and the model name it implies (docs/format.md "Names from parameter counts").
import type { ModelConfig } from './config';
import { tensorLayout } from './layout';

/** Scalar weights in every tensor except the `.scale` tensors. */
export function parameterCount(config: ModelConfig): number {
  return tensorLayout(config).reduce((sum, t) => sum + t.shape.reduce((a, b) => a * b, 1), 0);
}

/** `<family>-<size>`, `<size>` the shortest rounding within 5% of `count`: 640, 8k, 1.3k, 1.25k, 1.2m. */
export function modelName(count: number, family = 'model'): string {
  return `${family}-${sizeLabel(count)}`;
}

export function sizeLabel(count: number): string {
  if (!Number.isSafeInteger(count) || count < 0) throw new RangeError(`parameter count must be a whole number, got ${count}`);
  if (count < 1000) return String(count);
  // Millions once whole thousands would read 1000k or more.
  const [unit, suffix] = Math.round(count / 1000) >= 1000 ? [1e6, 'm'] : [1e3, 'k'];
  for (let decimals = 0; decimals <= 2; decimals++) {
    const steps = 10 ** decimals;
    const rounded = Math.round((count * steps) / unit);
    if (Math.abs(rounded * unit - count * steps) <= 0.05 * count * steps) return `${trimZeros(rounded, decimals)}${suffix}`;
  }
  return `${trimZeros(Math.round((count * 1000) / unit), 3)}${suffix}`;
}

function trimZeros(scaled: number, decimals: number): string {
  const text = (scaled / 10 ** decimals).toFixed(decimals);
  return decimals === 0 ? text : text.replace(/\.?0+$/, '');
}
