// Vocabulary rules (docs/format.md "Vocabulary"): exactly vocab_size unique, non-empty, well-formed strings.
import type { ModelConfig } from './config';
import { fail } from './errors';
import { MaxHeaderLength } from './safetensors';

const LoneSurrogate = /\p{Cs}/u;

/** Checks a parsed vocab value against the config and returns it typed. */
export function validateVocab(value: unknown, config: ModelConfig): string[] {
  if (!Array.isArray(value)) fail('vocab_invalid', 'vocab must be a JSON array of strings');
  if (value.length !== config.vocab_size) {
    fail('vocab_mismatch', `vocab has ${value.length} entries but config.vocab_size is ${config.vocab_size}`);
  }
  const specials = new Set(config.special_ids);
  const seen = new Map<string, number>();
  value.forEach((entry: unknown, id) => {
    if (typeof entry !== 'string') fail('vocab_invalid', `vocab[${id}] must be a string, found ${JSON.stringify(entry)}`);
    if (entry.length === 0) fail('vocab_invalid', `vocab[${id}] is empty (unused slots must be named, e.g. "<unused_${id}>")`);
    if (LoneSurrogate.test(entry)) fail('vocab_invalid', `vocab[${id}] contains a lone UTF-16 surrogate`);
    const first = seen.get(entry);
    if (first !== undefined) fail('vocab_invalid', `vocab[${id}] ${JSON.stringify(entry)} repeats vocab[${first}]`);
    seen.set(entry, id);
    if (config.tokenizer === 'char' && !specials.has(id) && [...entry].length !== 1) {
      fail('vocab_invalid', `vocab[${id}] ${JSON.stringify(entry)} is not one character, as the char tokenizer needs`);
    }
  });
  return value as string[];
}

/** What a header holds beside its vocabulary (config, tensor table of a few layers): the rest is the vocabulary's. */
const HeaderBesideVocab = 6144;

/**
 * Throws when `vocab` would not leave a model file's header within the format's limit (docs/format.md), with what
 * to do about it; builders call it before training starts rather than fail when the model is written.
 */
export function checkVocabFitsHeader(vocab: readonly string[]): void {
  // inside the header the vocabulary is a JSON string holding JSON: quotes and backslashes escaped twice
  const bytes = new TextEncoder().encode(JSON.stringify(JSON.stringify(vocab))).length;
  const room = MaxHeaderLength - HeaderBesideVocab;
  if (bytes > room) {
    throw new Error(
      `a vocabulary of ${vocab.length} entries takes ${bytes} bytes of the model file's header, more than the ${room} it may have (the board reads the header whole, in ${MaxHeaderLength} bytes at most): use fewer merged pieces`,
    );
  }
}
