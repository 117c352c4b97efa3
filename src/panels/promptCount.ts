// How a prompt tokenizes for the selected model, counted in the Studio as it is typed (the webview runs the same
// Tokenizer as the reference and the board): tokens, characters, unknown characters, and how many tokens the
// context would drop (generation keeps BOS and the newest prompt tokens, leaving room for one new token).
import { Tokenizer } from '../model/tokenizer';
import type { PromptTokenizerView } from './protocol';
import { plural } from '../views/viewModels/format';

export interface PromptCount {
  tokens: number;
  characters: number;
  unknown: number;
  /** Prompt tokens the context leaves out (the oldest). */
  dropped: number;
}

export function promptTokenizer(view: PromptTokenizerView): Tokenizer {
  return new Tokenizer(view.vocab, {
    tokenizer: view.kind, lowercase: view.lowercase, unk_id: view.unkId, special_ids: view.specialIds, decode_only_ids: view.decodeOnlyIds,
  });
}

export function countPrompt(tokenizer: Tokenizer, view: PromptTokenizerView, contextLength: number, prompt: string): PromptCount {
  const { ids, unknown } = tokenizer.encode(prompt);
  const room = Math.max(0, contextLength - 1 - (view.bos ? 1 : 0));
  return { tokens: ids.length, characters: [...prompt].length, unknown, dropped: Math.max(0, ids.length - room) };
}

/** "Prompt: 12 tokens · 31 characters, 2.6 per token · 1 unknown character (each becomes <unk>) · the oldest 4
 *  tokens are dropped to fit the 64-token context" (BOS not counted). */
export function promptCountText(c: PromptCount, contextLength: number): string {
  const parts = [`Prompt: ${plural(c.tokens, 'token')}`];
  if (c.tokens > 0) parts.push(`${plural(c.characters, 'character')}, ${(c.characters / c.tokens).toFixed(1)} per token`);
  if (c.unknown > 0) parts.push(`${plural(c.unknown, 'unknown character')} (each becomes <unk>)`);
  if (c.dropped > 0) parts.push(`the oldest ${plural(c.dropped, 'token')} ${c.dropped === 1 ? 'is' : 'are'} dropped to fit the ${contextLength}-token context`);
  return parts.join(' · ');
}

/** A finished run's prompt, for the status line: "prompt 17 tokens (3 dropped to fit the context) · 1 unknown character". */
export function runPromptText(tokens: number, truncated: number, unknown: number): string {
  const dropped = truncated ? ` (${truncated} dropped to fit the context)` : '';
  return `prompt ${plural(tokens, 'token')}${dropped}${unknown ? ` · ${plural(unknown, 'unknown character')}` : ''}`;
}
