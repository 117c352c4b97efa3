// The tokenizer bench's own fit, not the product's speed model (that is src/memory/speed.ts, predictPicoSpeed, which
// the Studio multiplies by characters per token): it fills bench/tokenizers.ts's "predicted" column.
// A Pico's decode speed predicted from a model's shape (ulab path, int8, resident, sampling at a temperature):
// cycles per token = fixed + per layer + per multiply-add (matrix products, attention, the logit row of every
// vocabulary entry) + per vocabulary entry (sampling's pure-Python passes over the logits). Fitted on the official
// CircuitPython 9.2.8 firmware on the emulated RP2040: 8 shapes (dim 16-64, 1-2 layers, vocabularies of 39-478)
// x greedy and sampled decoding, within ±8% of each; trained models held out of the fit within ±2.2%
// (bench/README.md, "Tokenizers"). A prediction, not a measurement; the constant term is negative because only 1-
// and 2-layer shapes were measured: do not extrapolate far outside them.
import type { ModelConfig } from '../src/model/config';

export const ClockHz = 125e6;

/** Cycles per token on the emulated firmware. Greedy decoding costs about 1,865 cycles per vocabulary entry
 *  instead of `perVocabEntry` (one argmax pass instead of sampling's). */
export const DecodeCycles = { fixed: -614_936, perLayer: 991_950, perMac: 346.7, perVocabEntry: 7_431 };

/** Multiply-adds of one forward pass at position `pos` (matrix-vector products and attention). */
export function macsPerToken(c: ModelConfig, pos: number): number {
  const d = c.dim;
  return c.n_layers * (4 * d * d + 2 * d * c.hidden_dim + 2 * (pos + 1) * d) + c.vocab_size * d;
}

/** Predicted decode tokens per second at position `pos` (default 20: the middle of 40 tokens after BOS, as the
 *  firmware measurements were taken). */
export function decodeTokensPerSecond(c: ModelConfig, pos = 20): number {
  const k = DecodeCycles;
  return ClockHz / (k.fixed + k.perLayer * c.n_layers + k.perMac * macsPerToken(c, pos) + k.perVocabEntry * c.vocab_size);
}
