// Held-out bits per character of a model file: the text's total negative log-likelihood in bits (unknown characters
// included: their unk token is predicted like any other; each document's EOS too) over its number of characters.
// Every document is scored from BOS in windows of the model's context, as the trainer's windows are laid out
// (BOS, then the stream): the first window scores all its tokens; each next one starts half a context later and
// scores only the tokens not yet scored, so every token past the first window has at least half a context before it.
import { Transformer } from '../src/model/forward';
import type { Model } from '../src/model/modelFile';
import { Tokenizer } from '../src/model/tokenizer';

export interface HeldOutScore {
  bitsPerChar: number;
  characters: number;
  tokens: number;
  unknown: number;
  /** Characters per token over the held-out text (EOS not counted as a token). */
  charsPerToken: number;
}

/** -log2 softmax(logits)[target]. */
function bits(logits: Float32Array, target: number): number {
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  let sum = 0;
  for (const v of logits) sum += Math.exp(v - max);
  return (Math.log(sum) - (logits[target] - max)) / Math.LN2;
}

export function heldOutScore(model: Model, documents: readonly string[]): HeldOutScore {
  const { config } = model;
  if (config.bos_id === null || config.eos_id === null) throw new Error('held-out scoring needs a model with BOS and EOS');
  const tokenizer = new Tokenizer(model.vocab, config);
  const transformer = new Transformer(model);
  const span = config.context_length; // tokens a window scores at most: BOS and span - 1 of them are fed
  const stride = Math.max(1, Math.floor(span / 2));
  let total = 0;
  let characters = 0;
  let tokens = 0;
  let unknown = 0;
  for (const doc of documents) {
    const enc = tokenizer.encode(doc);
    const stream = [...enc.ids, config.eos_id];
    characters += [...doc].length;
    tokens += enc.ids.length;
    unknown += enc.unknown;
    let scored = 0;
    for (let start = 0; scored < stream.length; start += stride) {
      transformer.reset();
      let logits = transformer.step(config.bos_id);
      for (let i = start; i < Math.min(stream.length, start + span); i++) {
        if (i >= scored) {
          total += bits(logits, stream[i]);
          scored = i + 1;
        }
        if (i + 1 < Math.min(stream.length, start + span)) logits = transformer.step(stream[i]);
      }
    }
  }
  return { bitsPerChar: total / characters, characters, tokens, unknown, charsPerToken: characters / tokens };
}
