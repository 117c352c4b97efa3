// A Pico's decode speed predicted from a model's shape (ulab path, int8, resident): cycles per token =
// fixed + per multiply-add of the matrix products and attention + per vocabulary entry (the logits' pure-Python
// passes: sampling and argmax) + per layer. Fitted on the official CircuitPython 9.2.8 firmware on the emulated
// RP2040 (bench/README.md, "Tokenizers": the fit and its measurements). A prediction, not a measurement.
import type { ModelConfig } from '../src/model/config';

export const ClockHz = 125e6;

/** Cycles per token on the emulated firmware (bench/README.md, "Tokenizers"). */
export const DecodeCycles = { fixed: 1_630_000, perMac: 325, perVocabEntry: 0, perLayer: 0 };

/** Multiply-adds of one forward pass at position `pos` (matrix-vector products and attention). */
export function macsPerToken(c: ModelConfig, pos: number): number {
  const d = c.dim;
  return c.n_layers * (4 * d * d + 2 * d * c.hidden_dim + 2 * (pos + 1) * d) + c.vocab_size * d;
}

/** Predicted decode tokens per second at position `pos` (default: the middle of the context). */
export function decodeTokensPerSecond(c: ModelConfig, pos = Math.floor(c.context_length / 2)): number {
  const k = DecodeCycles;
  return ClockHz / (k.fixed + k.perMac * macsPerToken(c, pos) + k.perVocabEntry * c.vocab_size + k.perLayer * c.n_layers);
}
