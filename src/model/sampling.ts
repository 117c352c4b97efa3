// Token choice exactly as docs/format.md "Generation and sampling" says, so the board draws the same tokens.

/** An integer's low 32 bits, unsigned (two's complement for negatives, as Python's `& 0xFFFFFFFF`). */
function low32(n: number | bigint): number {
  return Number(BigInt.asUintN(32, BigInt(n)));
}

/**
 * xorshift32 and its 24-bit uniform. The constructor starts the state at `seed` itself (0 becomes 0x9E3779B9),
 * which the corpus generators and random models keep; generation starts from generationState(seed) instead.
 */
export class Xorshift32 {
  private state: number;

  /** `seed` may be any integer (negative, or beyond 32 bits): only its low 32 bits count, 0 becomes 0x9E3779B9. */
  constructor(seed: number | bigint) {
    const low = low32(seed);
    this.state = low === 0 ? 0x9e3779b9 : low;
  }

  /** The next 32-bit state. */
  nextU32(): number {
    let x = this.state;
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    this.state = x;
    return x;
  }

  /** A uniform in [0, 1) with 24 bits: (x >> 8) / 2^24. */
  uniform(): number {
    return (this.nextU32() >>> 8) / 16777216;
  }
}

/**
 * The state a generation run starts from (docs/format.md): one splitmix32 output of the seed's low 32 bits, so that
 * small or neighbouring seeds do not start xorshift32 on small or related states (seed 1 would draw 0.00006 first).
 */
export function generationState(seed: number | bigint): number {
  let z = (low32(seed) + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  z = (z ^ (z >>> 16)) >>> 0;
  return z === 0 ? 0x9e3779b9 : z;
}

/** The generator a generation run with `seed` samples from. */
export function generationRng(seed: number | bigint): Xorshift32 {
  return new Xorshift32(generationState(seed));
}

export interface SamplingOptions {
  /** <= 0: greedy. */
  temperature: number;
  /** 0 (or >= vocab size): every token. */
  topK: number;
}

/** Largest logit, lowest id on ties. */
export function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  return best;
}

/**
 * How close a choice came to going another way, for tests that compare implementations with different floats:
 * greedy, the gap between the best logit and the runner-up; sampled, the distance of r to the nearest edge of the
 * chosen token's interval, as a fraction of sum(p).
 */
export interface SampleTrace {
  margin: number;
}

/** Picks the next token; draws one uniform from `rng` unless greedy. */
export function sampleToken(logits: ArrayLike<number>, options: SamplingOptions, rng: Xorshift32, trace?: SampleTrace): number {
  const n = logits.length;
  if (!(options.temperature > 0)) {
    const best = argmax(logits);
    if (trace) trace.margin = runnerUpGap(logits, best);
    return best;
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) z[i] = logits[i] / options.temperature;
  const kept = keptIds(z, options.topK);
  let max = -Infinity;
  for (const id of kept) if (z[id] > max) max = z[id];
  const p = kept.map((id) => Math.exp(z[id] - max));
  const total = p.reduce((a, b) => a + b, 0);
  const r = rng.uniform() * total;
  let running = 0;
  for (let i = 0; i < kept.length; i++) {
    const before = running;
    running += p[i];
    if (running > r || i === kept.length - 1) {
      if (trace) trace.margin = Math.min(r - before, Math.max(0, running - r)) / total;
      return kept[i];
    }
  }
  return kept[kept.length - 1];
}

function runnerUpGap(logits: ArrayLike<number>, best: number): number {
  let second = -Infinity;
  for (let i = 0; i < logits.length; i++) if (i !== best && logits[i] > second) second = logits[i];
  return logits[best] - second;
}

/** The ids sampling may choose, in increasing id order: the top_k largest (ties to the lower id), or all. */
function keptIds(z: Float64Array, topK: number): number[] {
  const all = Array.from(z, (_, i) => i);
  if (!(topK > 0 && topK < z.length)) return all;
  const ranked = all.sort((a, b) => z[b] - z[a] || a - b);
  return ranked.slice(0, topK).sort((a, b) => a - b);
}
