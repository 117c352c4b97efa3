// Text longer than the context (docs/format.md "Generation and sampling"): the tokens the model sees are a window of
// at most context_length tokens. When it is full and another token must be fed, it is refilled: BOS (when the model
// has one) and the most recent tokens, the new one last, `refillLength` in all, fed again from position 0 (learned
// absolute positions need it: a cached key holds its position), and generation goes on from there.

/** The share of the context a refill keeps, as a fraction (the board computes (ctx * num) // den). 3/8 rather than
 *  the half first proposed: a refill costs one forward pass per kept token, and keeping half made 1,000 tokens about
 *  half as fast as tokens within the context; 3/8 keeps it above 60% for a loss measured as no worse
 *  (bench/README.md, "Text longer than the context"). */
export const RefillKeep = { num: 3, den: 8 } as const;

export interface KeepFraction {
  num: number;
  den: number;
}

/** Tokens in the window right after a refill: the kept share of the context, at least BOS (if any) and the new
 *  token. Larger than `ctx` only when no refill is possible (see canRefill). */
export function refillLength(ctx: number, hasBos: boolean, keep: KeepFraction = RefillKeep): number {
  return Math.max(hasBos ? 2 : 1, Math.floor((ctx * keep.num) / keep.den));
}

/** Whether a full window can be refilled at all: a 1-token context cannot hold BOS and a new token. */
export function canRefill(ctx: number, hasBos: boolean, keep: KeepFraction = RefillKeep): boolean {
  return refillLength(ctx, hasBos, keep) <= ctx;
}

/** The window after a refill: BOS (when `bos` is not null; it is window[0]), the most recent tokens of `window`,
 *  then `next`, `length` tokens in all. */
export function refilled(window: readonly number[], next: number, length: number, bos: number | null): number[] {
  const recent = length - 1 - (bos === null ? 0 : 1);
  const kept = recent > 0 ? window.slice(window.length - recent) : [];
  return bos === null ? [...kept, next] : [bos, ...kept, next];
}
