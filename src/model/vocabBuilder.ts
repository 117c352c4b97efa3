// Builds a vocabulary from a corpus: every code point of the (lowercased) corpus gets a token unless a size cap
// leaves the rarest out, and for longest_match the subword pieces learned from it.
import { DefaultSpecialTokens, type TokenizerKind } from './config';
import { learnSubwords } from './subwordVocab';
import type { Tokenizer } from './tokenizer';
import { asciiLower } from './tokenizer';
import { MaxHeaderLength } from './safetensors';
import { checkVocabFitsHeader, VocabHeaderRoom, vocabHeaderBytes } from './vocab';

export interface VocabOptions {
  tokenizer: TokenizerKind;
  lowercase: boolean;
  /** Entries in all, the 4 specials included. char: a cap (the rarest characters become unk; undefined: every
   *  character gets a token). longest_match: the subword vocabulary's size, characters first, then pieces learned
   *  from the corpus (src/model/subwordVocab.ts); undefined: characters only. */
  vocabSize?: number;
}

export interface BuiltVocab {
  /** Special tokens first (ids 0..3: pad, bos, eos, unk), then characters by falling frequency, then pieces. */
  vocab: string[];
  specialIds: number[];
  /** Distinct code points in the corpus and how many of them have a token. */
  distinctChars: number;
  coveredChars: number;
  /** Share of the corpus's code points (counted with repetition) that encode to a non-unk token. */
  coverage: number;
  missingChars: string[];
  /** Set when the vocabulary was cut to keep the model file's header within the format's limit: the entries asked
   *  for and kept, and why (the trainer shows it). */
  headerCap?: { asked: number; kept: number; message: string };
}

/** The most of `entries` (kept in order: the least useful last) that leave the header within its limit. */
function fitHeader(specials: readonly string[], entries: string[]): string[] {
  if (vocabHeaderBytes([...specials, ...entries]) <= VocabHeaderRoom) return entries;
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (vocabHeaderBytes([...specials, ...entries.slice(0, mid)]) <= VocabHeaderRoom) lo = mid;
    else hi = mid - 1;
  }
  return entries.slice(0, lo);
}

export function buildVocab(corpus: string, options: VocabOptions): BuiltVocab {
  const text = options.lowercase ? asciiLower(corpus) : corpus;
  const specials: string[] = [...DefaultSpecialTokens];
  const room = options.vocabSize === undefined ? Infinity : Math.max(0, options.vocabSize - specials.length);
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  // Most frequent first, ties by code point, so the result is deterministic.
  const chars = [...counts.entries()]
    .filter(([ch]) => !specials.includes(ch))
    .sort((a, b) => b[1] - a[1] || (a[0].codePointAt(0) ?? 0) - (b[0].codePointAt(0) ?? 0))
    .map(([ch]) => ch);
  let entries = chars.slice(0, room);
  if (options.tokenizer === 'longest_match' && room > chars.length) {
    entries = learnSubwords(text, { size: room }).entries;
  }
  const learned = entries.length;
  entries = fitHeader(specials, entries);
  const vocab = [...specials, ...entries];
  checkVocabFitsHeader(vocab); // the readers' rule, which the cut above keeps
  const kept = new Set(entries);
  const missing = chars.filter((ch) => !kept.has(ch));
  let total = 0;
  let covered = 0;
  for (const [ch, n] of counts) {
    total += n;
    if (kept.has(ch)) covered += n;
  }
  return {
    vocab,
    specialIds: specials.map((_, i) => i),
    distinctChars: chars.length,
    coveredChars: chars.length - missing.length,
    coverage: total === 0 ? 1 : covered / total,
    missingChars: missing,
    ...(entries.length < learned
      ? {
          headerCap: {
            asked: specials.length + learned,
            kept: specials.length + entries.length,
            message: `vocabulary cut from ${specials.length + learned} to ${specials.length + entries.length} tokens: a model file's header holds at most ${MaxHeaderLength} bytes (the board reads it whole), ${VocabHeaderRoom} of them for the vocabulary`,
          },
        }
      : {}),
  };
}

/** How well a vocabulary covers a text: the fraction of its code points that do not become unk. */
export function measureCoverage(tokenizer: Tokenizer, text: string): { unknown: number; codePoints: number; coverage: number } {
  const { unknown } = tokenizer.encode(text);
  const codePoints = [...text].length;
  return { unknown, codePoints, coverage: codePoints === 0 ? 1 : 1 - unknown / codePoints };
}
