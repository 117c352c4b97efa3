// Seeded choices for the corpus generators (xorshift32, as everywhere in picoformer: same seed, same text).
import { Xorshift32 } from '../model/sampling';

export class Picker {
  private readonly rng: Xorshift32;

  constructor(seed: number) {
    this.rng = new Xorshift32(seed);
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.rng.uniform();
  }

  /** One element, uniformly. */
  one<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('nothing to pick from');
    return items[Math.floor(this.rng.uniform() * items.length)];
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.rng.uniform() < p;
  }

  /** An integer in min..max. */
  int(min: number, max: number): number {
    return min + Math.floor(this.rng.uniform() * (max - min + 1));
  }

  /** One element other than `not` (when there is another). */
  other<T>(items: readonly T[], not: T): T {
    const rest = items.filter((x) => x !== not);
    return this.one(rest.length > 0 ? rest : items);
  }
}
