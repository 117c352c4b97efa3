// The training forward and backward passes of the picoformer/1 architecture (docs/format.md "Forward pass"), over
// whole windows at once: every position of a window in one pass, causal attention, no KV cache. One window is run
// forward and straight back, so only one window's activations are ever held.
import type { ModelConfig } from '../model/config';
import { activate, activateBackward, attention, attentionBackward, linear, linearBackward, normBackward, normForward, softmaxCrossEntropy, type Weights } from './ops';
import { type ParamLayout, paramLayout } from './paramLayout';

interface LayerOffsets {
  attnNorm: number; wq: number; wk: number; wv: number; wo: number; ffnNorm: number; w1: number; w2: number;
}

interface LayerActivations {
  xIn: Float64Array; // (T, dim) residual stream entering the layer
  n1: Float64Array; inv1: Float64Array; mean1: Float64Array; // attention norm output, per-row stats
  q: Float64Array; k: Float64Array; v: Float64Array; // (T, dim)
  p: Float64Array; // (heads, T, T) attention probabilities
  o: Float64Array; // (T, dim) attention output, heads side by side
  xMid: Float64Array; // (T, dim) stream after the attention residual
  n2: Float64Array; inv2: Float64Array; mean2: Float64Array;
  a: Float64Array; g: Float64Array; // (T, hidden) before and after the activation
}

export class Network {
  readonly layout: ParamLayout;
  private readonly T: number; // longest window: the context length
  private readonly off: { tokEmb: number; posEmb: number; finalNorm: number; out: number; layers: LayerOffsets[] };
  private readonly acts: LayerActivations[];
  private readonly xOut: Float64Array; // (T, dim) stream after the last layer
  private readonly nf: Float64Array; private readonly invf: Float64Array; private readonly meanf: Float64Array;
  private readonly logits: Float64Array; // (T, vocab)
  // Backward scratch.
  private readonly dx: Float64Array; private readonly dn: Float64Array; private readonly dMid: Float64Array;
  private readonly dq: Float64Array; private readonly dk: Float64Array; private readonly dv: Float64Array; private readonly dO: Float64Array;
  private readonly dh: Float64Array; private readonly da: Float64Array; private readonly dp: Float64Array;

  constructor(readonly config: ModelConfig) {
    this.layout = paramLayout(config);
    const at = (name: string): number => {
      const s = this.layout.byName.get(name);
      if (s === undefined) throw new Error(`layout has no tensor "${name}"`);
      return s.offset;
    };
    const c = config;
    const T = (this.T = c.context_length);
    const layers: LayerOffsets[] = [];
    for (let l = 0; l < c.n_layers; l++) {
      const p = `layers.${l}.`;
      layers.push({ attnNorm: at(`${p}attn_norm`), wq: at(`${p}wq`), wk: at(`${p}wk`), wv: at(`${p}wv`), wo: at(`${p}wo`), ffnNorm: at(`${p}ffn_norm`), w1: at(`${p}w1`), w2: at(`${p}w2`) });
    }
    this.off = {
      tokEmb: at('tok_emb'),
      posEmb: c.positional === 'learned' ? at('pos_emb') : -1,
      finalNorm: at('final_norm'),
      out: c.tied_embeddings ? at('tok_emb') : at('lm_head'),
      layers,
    };
    const f = (n: number): Float64Array => new Float64Array(n);
    const D = c.dim;
    const H = c.hidden_dim;
    this.acts = layers.map(() => ({
      xIn: f(T * D), n1: f(T * D), inv1: f(T), mean1: f(T), q: f(T * D), k: f(T * D), v: f(T * D), p: f(c.n_heads * T * T),
      o: f(T * D), xMid: f(T * D), n2: f(T * D), inv2: f(T), mean2: f(T), a: f(T * H), g: f(T * H),
    }));
    this.xOut = f(T * D);
    this.nf = f(T * D);
    this.invf = f(T);
    this.meanf = f(T);
    this.logits = f(T * c.vocab_size);
    this.dx = f(T * D);
    this.dn = f(T * D);
    this.dMid = f(T * D);
    this.dq = f(T * D);
    this.dk = f(T * D);
    this.dv = f(T * D);
    this.dO = f(T * D);
    this.dh = f(T * H);
    this.da = f(T * H);
    this.dp = f(T);
  }

  /**
   * Sum of the cross-entropy losses of `windows` windows of `len` tokens each (inputs[w * len + t] predicts
   * targets[w * len + t]); when `grads` is given, adds d(sum of losses * scale)/d(params) into it.
   */
  run(params: Weights, inputs: Int32Array, targets: Int32Array, windows: number, len: number, grads: Float64Array | null, scale = 1): number {
    if (len < 1 || len > this.T) throw new RangeError(`window length ${len} is not in 1..${this.T}`);
    if (params.length !== this.layout.total) throw new RangeError(`expected ${this.layout.total} parameters, got ${params.length}`);
    if (inputs.length < windows * len || targets.length < windows * len) throw new RangeError('fewer tokens than windows * length');
    let total = 0;
    for (let w = 0; w < windows; w++) {
      this.forward(params, inputs, w * len, len);
      total += softmaxCrossEntropy(this.logits, targets, w * len, len, this.config.vocab_size, scale, grads !== null);
      if (grads !== null) this.backward(params, inputs, w * len, len, grads);
    }
    return total;
  }

  /** The logits of every position of one sequence (T x vocab, a copy): for tests against the reference. */
  logitsOf(params: Weights, tokens: readonly number[]): Float64Array {
    const input = Int32Array.from(tokens);
    this.forward(params, input, 0, tokens.length);
    return this.logits.slice(0, tokens.length * this.config.vocab_size);
  }

  /** Runs one window forward into this.logits. */
  private forward(params: Weights, tokens: Int32Array, tOff: number, T: number): void {
    const c = this.config;
    const D = c.dim;
    const H = c.hidden_dim;
    const V = c.vocab_size;
    const o = this.off;
    const x = this.acts[0].xIn; // n_layers >= 1 (config rule)
    for (let t = 0; t < T; t++) {
      const tok = tokens[tOff + t];
      if (!(tok >= 0 && tok < V)) throw new RangeError(`token ${tok} is not in 0..${V - 1}`);
      const e = o.tokEmb + tok * D;
      const pe = o.posEmb + t * D;
      for (let i = 0; i < D; i++) x[t * D + i] = params[e + i] + (o.posEmb >= 0 ? params[pe + i] : 0);
    }
    for (let l = 0; l < this.acts.length; l++) {
      const a = this.acts[l];
      const w = o.layers[l];
      normForward(c.norm, c.norm_eps, a.xIn, params, w.attnNorm, a.n1, a.inv1, a.mean1, T, D);
      linear(a.n1, params, w.wq, a.q, T, D, D, false);
      linear(a.n1, params, w.wk, a.k, T, D, D, false);
      linear(a.n1, params, w.wv, a.v, T, D, D, false);
      attention(a.q, a.k, a.v, a.p, a.o, T, D, c.n_heads);
      a.xMid.set(a.xIn.subarray(0, T * D));
      linear(a.o, params, w.wo, a.xMid, T, D, D, true);
      normForward(c.norm, c.norm_eps, a.xMid, params, w.ffnNorm, a.n2, a.inv2, a.mean2, T, D);
      linear(a.n2, params, w.w1, a.a, T, D, H, false);
      activate(c.activation, a.a, a.g, T * H);
      const next = l + 1 < this.acts.length ? this.acts[l + 1].xIn : this.xOut;
      next.set(a.xMid.subarray(0, T * D));
      linear(a.g, params, w.w2, next, T, H, D, true);
    }
    normForward(c.norm, c.norm_eps, this.xOut, params, o.finalNorm, this.nf, this.invf, this.meanf, T, D);
    linear(this.nf, params, o.out, this.logits, T, D, V, false);
  }

  /** Back from the logit gradients (left in this.logits by softmaxCrossEntropy) to every parameter. */
  private backward(params: Weights, tokens: Int32Array, tOff: number, T: number, grads: Float64Array): void {
    const c = this.config;
    const D = c.dim;
    const H = c.hidden_dim;
    const V = c.vocab_size;
    const o = this.off;
    const n = T * D;
    const dx = this.dx;
    const dn = this.dn;
    dn.fill(0, 0, n);
    linearBackward(this.logits, this.nf, params, o.out, grads, dn, T, D, V);
    dx.fill(0, 0, n);
    normBackward(c.norm, dn, this.xOut, params, o.finalNorm, this.invf, this.meanf, grads, dx, T, D);
    for (let l = this.acts.length - 1; l >= 0; l--) {
      const a = this.acts[l];
      const w = o.layers[l];
      // Feed-forward: xOut = xMid + w2 act(w1 norm(xMid)).
      this.dh.fill(0, 0, T * H);
      linearBackward(dx, a.g, params, w.w2, grads, this.dh, T, H, D);
      activateBackward(c.activation, a.a, this.dh, this.da, T * H);
      dn.fill(0, 0, n);
      linearBackward(this.da, a.n2, params, w.w1, grads, dn, T, D, H);
      const dMid = this.dMid;
      dMid.set(dx.subarray(0, n));
      normBackward(c.norm, dn, a.xMid, params, w.ffnNorm, a.inv2, a.mean2, grads, dMid, T, D);
      // Attention: xMid = xIn + wo attn(wq h, wk h, wv h), h = norm(xIn).
      this.dO.fill(0, 0, n);
      linearBackward(dMid, a.o, params, w.wo, grads, this.dO, T, D, D);
      this.dq.fill(0, 0, n);
      this.dk.fill(0, 0, n);
      this.dv.fill(0, 0, n);
      attentionBackward(a.q, a.k, a.v, a.p, this.dO, this.dq, this.dk, this.dv, this.dp, T, D, c.n_heads);
      dn.fill(0, 0, n);
      linearBackward(this.dq, a.n1, params, w.wq, grads, dn, T, D, D);
      linearBackward(this.dk, a.n1, params, w.wk, grads, dn, T, D, D);
      linearBackward(this.dv, a.n1, params, w.wv, grads, dn, T, D, D);
      dx.set(dMid.subarray(0, n));
      normBackward(c.norm, dn, a.xIn, params, w.attnNorm, a.inv1, a.mean1, grads, dx, T, D);
    }
    for (let t = 0; t < T; t++) {
      const e = o.tokEmb + tokens[tOff + t] * D;
      const pe = o.posEmb + t * D;
      for (let i = 0; i < D; i++) {
        grads[e + i] += dx[t * D + i];
        if (o.posEmb >= 0) grads[pe + i] += dx[t * D + i];
      }
    }
  }
}
