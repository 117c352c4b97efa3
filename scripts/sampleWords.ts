// "Generated words are corpus words" (issue 14): of 20 seeded samples of a story model (empty prompt, temperature
// 0.8, 160 tokens at most, as the README's samples), the share of words that are words of its training corpus.
// Words are space-separated, with punctuation stripped from both ends ("tom's" and "yo-yo" stay whole).
import { generate } from '../src/model/generate';
import type { Model } from '../src/model/modelFile';

export const WordSampleSeeds = Array.from({ length: 20 }, (_, i) => i + 1);

/** The words of a text: split on whitespace, punctuation stripped from both ends, empty ones dropped. */
export function wordsOf(text: string): string[] {
  return text
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter((w) => w.length > 0);
}

export interface WordShare {
  /** Generated words that are corpus words, over all generated words. */
  share: number;
  words: number;
  known: number;
}

export function corpusWordShare(model: Model, corpusWords: ReadonlySet<string>): WordShare {
  let words = 0;
  let known = 0;
  for (const seed of WordSampleSeeds) {
    for (const w of wordsOf(generate(model, '', { maxTokens: 160, temperature: 0.8, topK: 0, seed }).text)) {
      words++;
      if (corpusWords.has(w)) known++;
    }
  }
  return { share: words === 0 ? 0 : known / words, words, known };
}
