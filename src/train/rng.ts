// The trainer's random numbers: xorshift32 with its state readable and settable, so a checkpoint can hold it and a
// resumed run draws exactly the numbers an uninterrupted run would (init, data order, nothing else).

export class TrainRng {
  private s: number;

  constructor(seed: number) {
    const low = seed >>> 0;
    this.s = low === 0 ? 0x9e3779b9 : low;
  }

  get state(): number {
    return this.s;
  }

  set state(value: number) {
    if (!Number.isInteger(value) || value <= 0 || value > 0xffffffff) throw new RangeError(`RNG state must be a nonzero 32-bit integer, got ${value}`);
    this.s = value;
  }

  nextU32(): number {
    let x = this.s;
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    this.s = x;
    return x;
  }

  /** Uniform in [0, 1) with 32 bits. */
  uniform(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in 0..n-1 (n up to 2^32). */
  below(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal (Box-Muller; one draw per call, the second value discarded so the state stays simple). */
  normal(): number {
    const u1 = (this.nextU32() + 1) / 4294967297; // (0, 1]: log never sees 0
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
}
