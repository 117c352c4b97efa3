// The building blocks of the training forward and backward passes, over row-major [rows][cols] buffers.
// Weights are float32 (float64 in the gradient check); activations and gradients are float64, so sums over a batch
// lose nothing before the optimizer sees them. Every backward function ADDS into its gradient outputs.
import type { ActivationKind, NormKind } from '../model/config';

/** Parameter storage: float32 for training, float64 for the finite-difference gradient check. */
export type Weights = Float32Array | Float64Array;

/**
 * y[t][r] (+)= sum_c x[t][c] w[r][c]: rows t of x (T x n) times w (m x n) transposed.
 * Two positions times two rows per pass over c: each loaded value is used twice (about 2x faster in V8 than one
 * dot product at a time, measured in bench/train.ts's shapes).
 */
export function linear(x: Float64Array, w: Weights, wOff: number, y: Float64Array, T: number, n: number, m: number, add: boolean): void {
  let t = 0;
  for (; t + 1 < T; t += 2) {
    const x0 = t * n;
    const x1 = x0 + n;
    const y0 = t * m;
    const y1 = y0 + m;
    let r = 0;
    for (; r + 1 < m; r += 2) {
      const w0 = wOff + r * n;
      const w1 = w0 + n;
      let a00 = 0;
      let a01 = 0;
      let a10 = 0;
      let a11 = 0;
      for (let c = 0; c < n; c++) {
        const p = x[x0 + c];
        const q = x[x1 + c];
        const u = w[w0 + c];
        const v = w[w1 + c];
        a00 += p * u;
        a01 += p * v;
        a10 += q * u;
        a11 += q * v;
      }
      if (add) {
        y[y0 + r] += a00;
        y[y0 + r + 1] += a01;
        y[y1 + r] += a10;
        y[y1 + r + 1] += a11;
      } else {
        y[y0 + r] = a00;
        y[y0 + r + 1] = a01;
        y[y1 + r] = a10;
        y[y1 + r + 1] = a11;
      }
    }
    if (r < m) {
      const wo = wOff + r * n;
      let a = 0;
      let b = 0;
      for (let c = 0; c < n; c++) {
        a += x[x0 + c] * w[wo + c];
        b += x[x1 + c] * w[wo + c];
      }
      y[y0 + r] = add ? y[y0 + r] + a : a;
      y[y1 + r] = add ? y[y1 + r] + b : b;
    }
  }
  if (t < T) {
    const xo = t * n;
    const yo = t * m;
    for (let r = 0; r < m; r++) {
      const wo = wOff + r * n;
      let a = 0;
      for (let c = 0; c < n; c++) a += x[xo + c] * w[wo + c];
      y[yo + r] = add ? y[yo + r] + a : a;
    }
  }
}

/**
 * Backward of linear: dw[r][c] += sum_t dy[t][r] x[t][c]; dx[t][c] += sum_r dy[t][r] w[r][c] (dx may be null).
 * Four positions (for dw) or four rows (for dx) per pass, so each gradient element is loaded and stored once per
 * four products.
 */
export function linearBackward(
  dy: Float64Array, x: Float64Array, w: Weights, wOff: number, dw: Float64Array, dx: Float64Array | null, T: number, n: number, m: number,
): void {
  for (let r = 0; r < m; r++) {
    const wo = wOff + r * n;
    let t = 0;
    for (; t + 3 < T; t += 4) {
      const g0 = dy[t * m + r];
      const g1 = dy[(t + 1) * m + r];
      const g2 = dy[(t + 2) * m + r];
      const g3 = dy[(t + 3) * m + r];
      const x0 = t * n;
      const x1 = x0 + n;
      const x2 = x1 + n;
      const x3 = x2 + n;
      for (let c = 0; c < n; c++) dw[wo + c] += g0 * x[x0 + c] + g1 * x[x1 + c] + g2 * x[x2 + c] + g3 * x[x3 + c];
    }
    for (; t < T; t++) {
      const g = dy[t * m + r];
      const x0 = t * n;
      for (let c = 0; c < n; c++) dw[wo + c] += g * x[x0 + c];
    }
  }
  if (dx === null) return;
  for (let t = 0; t < T; t++) {
    const xo = t * n;
    const yo = t * m;
    let r = 0;
    for (; r + 3 < m; r += 4) {
      const g0 = dy[yo + r];
      const g1 = dy[yo + r + 1];
      const g2 = dy[yo + r + 2];
      const g3 = dy[yo + r + 3];
      const w0 = wOff + r * n;
      const w1 = w0 + n;
      const w2 = w1 + n;
      const w3 = w2 + n;
      for (let c = 0; c < n; c++) dx[xo + c] += g0 * w[w0 + c] + g1 * w[w1 + c] + g2 * w[w2 + c] + g3 * w[w3 + c];
    }
    for (; r < m; r++) {
      const g = dy[yo + r];
      const w0 = wOff + r * n;
      for (let c = 0; c < n; c++) dx[xo + c] += g * w[w0 + c];
    }
  }
}

/** y = norm(x) * w per row; keeps 1/sqrt(var + eps) (and the mean for layernorm) per row for the backward pass. */
export function normForward(
  kind: NormKind, eps: number, x: Float64Array, w: Weights, wOff: number, y: Float64Array, inv: Float64Array, mean: Float64Array, T: number, n: number,
): void {
  for (let t = 0; t < T; t++) {
    const o = t * n;
    let mu = 0;
    if (kind === 'layernorm') {
      for (let i = 0; i < n; i++) mu += x[o + i];
      mu /= n;
    }
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (x[o + i] - mu) * (x[o + i] - mu);
    const r = 1 / Math.sqrt(ss / n + eps);
    inv[t] = r;
    mean[t] = mu;
    for (let i = 0; i < n; i++) y[o + i] = (x[o + i] - mu) * r * w[wOff + i];
  }
}

/** Backward of normForward: dw += dy * xhat; dx += the input gradient (xhat = (x - mean) * inv). */
export function normBackward(
  kind: NormKind, dy: Float64Array, x: Float64Array, w: Weights, wOff: number, inv: Float64Array, mean: Float64Array,
  dw: Float64Array, dx: Float64Array, T: number, n: number,
): void {
  for (let t = 0; t < T; t++) {
    const o = t * n;
    const r = inv[t];
    const mu = mean[t];
    // With g = dy * w: rmsnorm dx = r * (g - xhat * mean(g * xhat)); layernorm also subtracts mean(g).
    let gMean = 0;
    let gxMean = 0;
    for (let i = 0; i < n; i++) {
      const xhat = (x[o + i] - mu) * r;
      const g = dy[o + i] * w[wOff + i];
      dw[wOff + i] += dy[o + i] * xhat;
      gMean += g;
      gxMean += g * xhat;
    }
    gMean = kind === 'layernorm' ? gMean / n : 0;
    gxMean /= n;
    for (let i = 0; i < n; i++) {
      const xhat = (x[o + i] - mu) * r;
      dx[o + i] += r * (dy[o + i] * w[wOff + i] - gMean - xhat * gxMean);
    }
  }
}

const GeluC = Math.sqrt(2 / Math.PI);

/** out[i] = act(z[i]) (docs/format.md: silu, tanh-approximated gelu, relu). */
export function activate(kind: ActivationKind, z: Float64Array, out: Float64Array, count: number): void {
  for (let i = 0; i < count; i++) {
    const v = z[i];
    if (kind === 'silu') out[i] = v / (1 + Math.exp(-v));
    else if (kind === 'gelu') out[i] = 0.5 * v * (1 + Math.tanh(GeluC * (v + 0.044715 * v * v * v)));
    else out[i] = v > 0 ? v : 0;
  }
}

/** dz[i] = dout[i] * act'(z[i]) (overwrites dz). */
export function activateBackward(kind: ActivationKind, z: Float64Array, dout: Float64Array, dz: Float64Array, count: number): void {
  for (let i = 0; i < count; i++) {
    const v = z[i];
    let d: number;
    if (kind === 'silu') {
      const s = 1 / (1 + Math.exp(-v));
      d = s * (1 + v * (1 - s));
    } else if (kind === 'gelu') {
      const th = Math.tanh(GeluC * (v + 0.044715 * v * v * v));
      d = 0.5 * (1 + th) + 0.5 * v * (1 - th * th) * GeluC * (1 + 3 * 0.044715 * v * v);
    } else d = v > 0 ? 1 : 0;
    dz[i] = dout[i] * d;
  }
}

/**
 * Causal multi-head attention over T positions: o[t] per head = sum_{u<=t} softmax_u(q[t].k[u] / sqrt(hd)) v[u].
 * Keeps the probabilities p[(head * T + t) * T + u] for the backward pass.
 */
export function attention(q: Float64Array, k: Float64Array, v: Float64Array, p: Float64Array, o: Float64Array, T: number, dim: number, heads: number): void {
  const hd = dim / heads;
  const scale = 1 / Math.sqrt(hd);
  for (let j = 0; j < heads; j++) {
    const off = j * hd;
    for (let t = 0; t < T; t++) {
      const row = (j * T + t) * T;
      const qo = t * dim + off;
      let max = -Infinity;
      for (let u = 0; u <= t; u++) {
        const ko = u * dim + off;
        let dot = 0;
        for (let i = 0; i < hd; i++) dot += q[qo + i] * k[ko + i];
        const s = dot * scale;
        p[row + u] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let u = 0; u <= t; u++) {
        const e = Math.exp(p[row + u] - max);
        p[row + u] = e;
        sum += e;
      }
      for (let u = 0; u <= t; u++) p[row + u] /= sum;
      for (let i = 0; i < hd; i++) o[qo + i] = 0;
      for (let u = 0; u <= t; u++) {
        const a = p[row + u];
        const vo = u * dim + off;
        for (let i = 0; i < hd; i++) o[qo + i] += a * v[vo + i];
      }
    }
  }
}

/** Backward of attention: adds into dq, dk, dv. `dp` is scratch of T entries. */
export function attentionBackward(
  q: Float64Array, k: Float64Array, v: Float64Array, p: Float64Array, dout: Float64Array,
  dq: Float64Array, dk: Float64Array, dv: Float64Array, dp: Float64Array, T: number, dim: number, heads: number,
): void {
  const hd = dim / heads;
  const scale = 1 / Math.sqrt(hd);
  for (let j = 0; j < heads; j++) {
    const off = j * hd;
    for (let t = 0; t < T; t++) {
      const row = (j * T + t) * T;
      const to = t * dim + off;
      let dot = 0;
      for (let u = 0; u <= t; u++) {
        const vo = u * dim + off;
        let g = 0;
        for (let i = 0; i < hd; i++) {
          g += dout[to + i] * v[vo + i];
          dv[vo + i] += p[row + u] * dout[to + i];
        }
        dp[u] = g;
        dot += p[row + u] * g;
      }
      for (let u = 0; u <= t; u++) {
        const ds = p[row + u] * (dp[u] - dot) * scale;
        if (ds === 0) continue;
        const uo = u * dim + off;
        for (let i = 0; i < hd; i++) {
          dq[to + i] += ds * k[uo + i];
          dk[uo + i] += ds * q[to + i];
        }
      }
    }
  }
}

/** Cross-entropy of each row of logits against its target; turns logits into d(loss * scale)/d(logits) in place.
 *  Returns the sum of the rows' losses (natural log). */
export function softmaxCrossEntropy(logits: Float64Array, targets: Int32Array, tOff: number, T: number, V: number, scale: number, keepGradient: boolean): number {
  let total = 0;
  for (let t = 0; t < T; t++) {
    const o = t * V;
    let max = -Infinity;
    for (let i = 0; i < V; i++) if (logits[o + i] > max) max = logits[o + i];
    let sum = 0;
    for (let i = 0; i < V; i++) sum += Math.exp(logits[o + i] - max);
    const target = targets[tOff + t];
    total += Math.log(sum) + max - logits[o + target];
    if (!keepGradient) continue;
    for (let i = 0; i < V; i++) logits[o + i] = (Math.exp(logits[o + i] - max) / sum) * scale;
    logits[o + target] -= scale;
  }
  return total;
}
