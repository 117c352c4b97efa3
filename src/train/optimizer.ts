// AdamW (Loshchilov & Hutter): Adam moments with bias correction, and weight decay applied to the weights directly
// (decoupled: w -= lr * wd * w), only where the decay mask says so (see paramLayout.ts).

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

export const DefaultAdamW: AdamWOptions = { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1 };

export interface AdamWState {
  /** First and second moment estimates, one per parameter. */
  m: Float64Array;
  v: Float64Array;
  /** Updates taken so far (the bias correction's t). */
  t: number;
}

export function adamWState(count: number): AdamWState {
  return { m: new Float64Array(count), v: new Float64Array(count), t: 0 };
}

/** One update of `params` from `grads` at learning rate `lr`. */
export function adamWStep(params: Float32Array | Float64Array, grads: Float64Array, state: AdamWState, decay: Uint8Array, lr: number, o: AdamWOptions): void {
  const { m, v } = state;
  state.t++;
  const c1 = 1 - o.beta1 ** state.t;
  const c2 = 1 - o.beta2 ** state.t;
  const shrink = 1 - lr * o.weightDecay;
  for (let i = 0; i < params.length; i++) {
    const g = grads[i];
    m[i] = o.beta1 * m[i] + (1 - o.beta1) * g;
    v[i] = o.beta2 * v[i] + (1 - o.beta2) * g * g;
    const update = (m[i] / c1) / (Math.sqrt(v[i] / c2) + o.eps);
    params[i] = (decay[i] === 1 ? params[i] * shrink : params[i]) - lr * update;
  }
}

/** Scales `grads` so their global L2 norm is at most `maxNorm` (if `maxNorm` > 0); returns the norm before. */
export function clipGradients(grads: Float64Array, maxNorm: number): number {
  let ss = 0;
  for (let i = 0; i < grads.length; i++) ss += grads[i] * grads[i];
  const norm = Math.sqrt(ss);
  if (maxNorm > 0 && norm > maxNorm) {
    const k = maxNorm / norm;
    for (let i = 0; i < grads.length; i++) grads[i] *= k;
  }
  return norm;
}
