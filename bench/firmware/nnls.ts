// Non-negative least squares (Lawson and Hanson's active-set method): the coefficients x >= 0 that minimise
// |A x - b|, for fitting costs that cannot be negative (cycles per multiply-add, per layer...). Columns are scaled
// to unit norm first so features of very different sizes (1 per token, 10^5 multiply-adds) are treated alike.
// Written here rather than taken from a library: the fit has at most ~15 columns and ~100 rows, and npm's numeric
// libraries that offer NNLS pull in far more than these 80 lines.

/** Solves the square system M x = v by Gaussian elimination with partial pivoting; null when M is singular. */
function solve(m: number[][], v: number[]): number[] | null {
  const n = v.length;
  const a = m.map((row, i) => [...row, v[i]]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
    if (Math.abs(a[pivot][col]) < 1e-12) return null;
    [a[col], a[pivot]] = [a[pivot], a[col]];
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const f = a[r][col] / a[col][col];
      for (let k = col; k <= n; k++) a[r][k] -= f * a[col][k];
    }
  }
  return a.map((row, i) => row[n] / row[i]);
}

/** Least squares on the columns in `set` only (the others 0). */
function leastSquaresOn(a: number[][], b: number[], set: number[]): number[] | null {
  const ata = set.map((i) => set.map((j) => a.reduce((s, row) => s + row[i] * row[j], 0)));
  const atb = set.map((i) => a.reduce((s, row, r) => s + row[i] * b[r], 0));
  return solve(ata, atb);
}

/** x >= 0 minimising |A x - b| (A: rows x columns). */
export function nnls(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const cols = a[0]?.length ?? 0;
  const norms = Array.from({ length: cols }, (_, j) => Math.sqrt(a.reduce((s, row) => s + row[j] * row[j], 0)) || 1);
  const as = a.map((row) => row.map((v, j) => v / norms[j]));
  const bs = [...b];
  const x = new Array<number>(cols).fill(0);
  const passive = new Set<number>();
  const gradient = (): number[] => {
    const residual = bs.map((v, r) => v - as[r].reduce((s, av, j) => s + av * x[j], 0));
    return Array.from({ length: cols }, (_, j) => as.reduce((s, row, r) => s + row[j] * residual[r], 0));
  };
  for (let outer = 0; outer < 3 * cols + 10; outer++) {
    const w = gradient();
    let best = -1;
    for (let j = 0; j < cols; j++) if (!passive.has(j) && w[j] > 1e-10 && (best < 0 || w[j] > w[best])) best = j;
    if (best < 0) break;
    passive.add(best);
    for (let inner = 0; inner < 3 * cols + 10; inner++) {
      const set = [...passive].sort((p, q) => p - q);
      const z = leastSquaresOn(as, bs, set);
      if (!z) {
        passive.delete(best);
        break;
      }
      if (z.every((v) => v > 0)) {
        set.forEach((j, k) => (x[j] = z[k]));
        break;
      }
      // Step back towards the last feasible x until a coefficient reaches 0, and drop it.
      let alpha = 1;
      set.forEach((j, k) => {
        if (z[k] <= 0) alpha = Math.min(alpha, x[j] / (x[j] - z[k]));
      });
      set.forEach((j, k) => {
        x[j] += alpha * (z[k] - x[j]);
        if (x[j] <= 1e-12) {
          x[j] = 0;
          passive.delete(j);
        }
      });
    }
  }
  return x.map((v, j) => v / norms[j]);
}
