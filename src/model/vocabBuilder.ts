// Builds a vocabulary from a corpus with full coverage: every code point of the (lowercased) corpus gets a token.
import { DefaultSpecialTokens, type TokenizerKind } from './config';
import type { Tokenizer} from './tokenizer';
import { asciiLower } from './tokenizer';
import { checkVocabFitsHeader } from './vocab';

export interface VocabOptions {
  tokenizer: TokenizerKind;
  lowercase: boolean;
  /** longest_match only: how many multi-character entries to add by merging frequent adjacent pairs. */
  merges?: number;
  /** Drop the rarest characters beyond this many tokens in all (coverage then falls below 1). */
  maxVocab?: number;
}

export interface BuiltVocab {
  /** Special tokens first (ids 0..3: pad, bos, eos, unk), then characters by falling frequency, then merges. */
  vocab: string[];
  specialIds: number[];
  /** Distinct code points in the corpus and how many of them have a token. */
  distinctChars: number;
  coveredChars: number;
  /** Share of the corpus's code points (counted with repetition) that encode to a non-unk token. */
  coverage: number;
  missingChars: string[];
}

export function buildVocab(corpus: string, options: VocabOptions): BuiltVocab {
  const text = options.lowercase ? asciiLower(corpus) : corpus;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const specials: string[] = [...DefaultSpecialTokens];
  // Most frequent first, ties by code point, so the result is deterministic.
  const chars = [...counts.entries()]
    .filter(([ch]) => !specials.includes(ch))
    .sort((a, b) => b[1] - a[1] || (a[0].codePointAt(0) ?? 0) - (b[0].codePointAt(0) ?? 0))
    .map(([ch]) => ch);
  const limit = options.maxVocab === undefined ? Infinity : Math.max(0, options.maxVocab - specials.length);
  const kept = chars.slice(0, limit);
  const vocab = [...specials, ...kept];
  if (options.tokenizer === 'longest_match' && (options.merges ?? 0) > 0) {
    const room = Math.min(options.merges ?? 0, Math.max(0, (options.maxVocab ?? Infinity) - vocab.length));
    vocab.push(...frequentMerges([...text], new Set(kept), room));
  }
  checkVocabFitsHeader(vocab);
  const specialIds = specials.map((_, i) => i);
  const missing = chars.slice(kept.length);
  const missingSet = new Set(missing);
  let total = 0;
  let covered = 0;
  for (const [ch, n] of counts) {
    total += n;
    if (!missingSet.has(ch)) covered += n;
  }
  return {
    vocab,
    specialIds,
    distinctChars: chars.length,
    coveredChars: kept.length,
    coverage: total === 0 ? 1 : covered / total,
    missingChars: missing,
  };
}

/** Byte-pair-style merges on characters: repeatedly join the most frequent adjacent pair of symbols. */
function frequentMerges(symbols: string[], known: Set<string>, count: number): string[] {
  const added: string[] = [];
  let seq = symbols.filter((s) => known.has(s));
  while (added.length < count) {
    const pairs = new Map<string, number>();
    for (let i = 0; i + 1 < seq.length; i++) {
      const pair = seq[i] + seq[i + 1];
      if (!known.has(pair)) pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
    }
    let best = '';
    let bestCount = 1;
    for (const [pair, n] of pairs) if (n > bestCount || (n === bestCount && best !== '' && pair < best)) [best, bestCount] = [pair, n];
    if (best === '') break;
    known.add(best);
    added.push(best);
    const next: string[] = [];
    for (let i = 0; i < seq.length; i++) {
      if (i + 1 < seq.length && seq[i] + seq[i + 1] === best) {
        next.push(best);
        i++;
      } else next.push(seq[i]);
    }
    seq = next;
  }
  return added;
}

/** How well a vocabulary covers a text: the fraction of its code points that do not become unk. */
export function measureCoverage(tokenizer: Tokenizer, text: string): { unknown: number; codePoints: number; coverage: number } {
  const { unknown } = tokenizer.encode(text);
  const codePoints = [...text].length;
  return { unknown, codePoints, coverage: codePoints === 0 ? 1 : 1 - unknown / codePoints };
}
