// The procedural corpus: stories or chats from a seed, one document per paragraph (blank lines between), which is
// how the trainer splits documents. docs/training.md describes both.
import { chat } from './chat';
import { Picker } from './pick';
import { story } from './stories';

export type CorpusKind = 'stories' | 'chat';
export const CorpusKinds: readonly CorpusKind[] = ['stories', 'chat'];

/** Documents until the text has at least `characters` characters (at least one document). */
export function generateCorpus(kind: CorpusKind, seed: number, characters: number): string {
  if (!Number.isInteger(characters) || characters < 1) throw new RangeError(`corpus size must be a whole number of characters >= 1, got ${characters}`);
  const p = new Picker(seed);
  const make = kind === 'stories' ? story : chat;
  const docs: string[] = [];
  let total = 0;
  while (total < characters) {
    const doc = make(p);
    docs.push(doc);
    total += doc.length + 2;
  }
  return `${docs.join('\n\n')}\n`;
}
