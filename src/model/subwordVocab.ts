// Learns a subword vocabulary for the `longest_match` tokenizer (docs/training.md "Subword vocabulary"): byte-pair
// merges over the corpus' words, then pruned for the encoder that will use it. BPE proposes pieces by joining the
// most frequent adjacent pair inside a word; longest-match encoding never uses some of them (" litt" once " little"
// exists), so every round drops the pieces that greedy encoding of the corpus never produces and merges again
// into the freed slots, until every piece is used. Words are the pre-tokens below, so a piece never spans two
// words and greedy encoding of a whole text equals greedy encoding of its words one by one.

export interface SubwordOptions {
  /** Entries besides the specials: characters first (the most frequent), then pieces. */
  size: number;
  /** Pruning rounds at most (each drops unused pieces and refills). */
  rounds?: number;
}

export interface SubwordResult {
  /** Characters (most frequent first, ties by code point), then pieces in the order they were learned. */
  entries: string[];
  /** Characters of the text left out for want of room (they become unk). */
  missingChars: string[];
  /** Each kept piece as the pair BPE joined, in learning order (to compare with BPE's own encoding). */
  merges: [string, string][];
}

/** Letters, digits and the apostrophe form words; everything else is a word of its own. */
function isWordChar(ch: string): boolean {
  return ch === "'" || /[\p{L}\p{N}]/u.test(ch);
}

/** The text's words with their counts: a word is a run of word characters, with the one space before it if any;
 *  any other character is a word of its own. */
export function countWords(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  const chars = [...text];
  for (let i = 0; i < chars.length; ) {
    let j = i;
    if (chars[j] === ' ' && j + 1 < chars.length && isWordChar(chars[j + 1])) j++;
    if (isWordChar(chars[j])) {
      while (j < chars.length && isWordChar(chars[j])) j++;
    } else j = i + 1;
    const word = chars.slice(i, j).join('');
    counts.set(word, (counts.get(word) ?? 0) + 1);
    i = j;
  }
  return counts;
}

interface Word {
  text: string;
  count: number;
  /** The word as symbol ids. */
  symbols: number[];
}

/** Vocabulary state: symbol id <-> text, and pair counts over the words. */
class Merger {
  readonly texts: string[] = [];
  private readonly ids = new Map<string, number>();
  /** Pair key (a * 2^21 + b) -> weighted count, and the words that had the pair when it was counted. */
  private readonly pairs = new Map<number, number>();
  private readonly where = new Map<number, Set<number>>();

  constructor(readonly words: Word[]) {}

  idOf(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.length;
      this.texts.push(text);
      this.ids.set(text, id);
    }
    return id;
  }

  countAll(): void {
    this.pairs.clear();
    this.where.clear();
    this.words.forEach((_, w) => this.count(w, 1));
  }

  /** The most frequent pair (count >= 2) whose text is not `excluded`; ties by text, so the result is deterministic. */
  best(excluded: (text: string) => boolean): { a: number; b: number; text: string } | null {
    let found: { a: number; b: number; text: string; n: number } | null = null;
    for (const [key, n] of this.pairs) {
      if (n < 2 || (found !== null && n < found.n)) continue;
      const a = Math.floor(key / 2 ** 21);
      const b = key % 2 ** 21;
      const text = this.texts[a] + this.texts[b];
      if (excluded(text)) continue;
      if (found === null || n > found.n || text < found.text) found = { a, b, text, n };
    }
    return found;
  }

  /** Joins every (a, b) in the words into `ab`, keeping the pair counts current. */
  merge(a: number, b: number, ab: number): void {
    const key = a * 2 ** 21 + b;
    for (const w of this.where.get(key) ?? []) {
      const s = this.words[w].symbols;
      if (!s.some((x, i) => x === a && s[i + 1] === b)) continue;
      this.count(w, -1);
      const out: number[] = [];
      for (let i = 0; i < s.length; i++) {
        if (s[i] === a && s[i + 1] === b) {
          out.push(ab);
          i++;
        } else out.push(s[i]);
      }
      this.words[w].symbols = out;
      this.count(w, 1);
    }
    this.where.delete(key);
  }

  private count(w: number, sign: 1 | -1): void {
    const { symbols: s, count } = this.words[w];
    for (let i = 0; i + 1 < s.length; i++) {
      const key = s[i] * 2 ** 21 + s[i + 1];
      const n = (this.pairs.get(key) ?? 0) + sign * count;
      if (n === 0) this.pairs.delete(key);
      else this.pairs.set(key, n);
      if (sign > 0) {
        let set = this.where.get(key);
        if (set === undefined) this.where.set(key, (set = new Set()));
        set.add(w);
      }
    }
  }
}

/** Longest-match segmentation of one word over `pieces` (characters always match). */
function greedy(word: string, pieces: ReadonlySet<string>, longest: number): string[] {
  const out: string[] = [];
  const chars = [...word];
  for (let i = 0; i < chars.length; ) {
    let len = Math.min(longest, chars.length - i);
    while (len > 1 && !pieces.has(chars.slice(i, i + len).join(''))) len--;
    out.push(chars.slice(i, i + len).join(''));
    i += len;
  }
  return out;
}

export function learnSubwords(text: string, options: SubwordOptions): SubwordResult {
  const counts = countWords(text);
  const charCounts = new Map<string, number>();
  for (const [word, n] of counts) for (const ch of word) charCounts.set(ch, (charCounts.get(ch) ?? 0) + n);
  const chars = [...charCounts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0].codePointAt(0) ?? 0) - (b[0].codePointAt(0) ?? 0))
    .map(([ch]) => ch);
  const keptChars = chars.slice(0, Math.max(0, options.size));
  const known = new Set(keptChars);
  // Words with a character left out are split there: a piece never holds an unknown character.
  const words: Word[] = [];
  for (const [word, count] of counts) {
    let part = '';
    for (const ch of word) {
      if (known.has(ch)) part += ch;
      else if (part) {
        words.push({ text: part, count, symbols: [] });
        part = '';
      }
    }
    if (part) words.push({ text: part, count, symbols: [] });
  }
  const m = new Merger(words);
  keptChars.forEach((ch) => m.idOf(ch));
  for (const w of words) w.symbols = [...w.text].map((ch) => m.idOf(ch));
  m.countAll();

  const pieces: string[] = [];
  const pairOf = new Map<string, [string, string]>();
  const inVocab = new Set(keptChars);
  const dropped = new Set<string>();
  const fill = (): void => {
    while (keptChars.length + pieces.length < options.size) {
      const pair = m.best((t) => inVocab.has(t) || dropped.has(t));
      if (pair === null) return;
      pieces.push(pair.text);
      pairOf.set(pair.text, [m.texts[pair.a], m.texts[pair.b]]);
      inVocab.add(pair.text);
      m.merge(pair.a, pair.b, m.idOf(pair.text));
    }
  };
  fill();
  for (let round = 0; round < (options.rounds ?? 8); round++) {
    const longest = Math.max(1, ...pieces.map((p) => [...p].length));
    const used = new Set<string>();
    for (const w of words) for (const p of greedy(w.text, inVocab, longest)) used.add(p);
    const unused = pieces.filter((p) => !used.has(p));
    if (unused.length === 0) break;
    for (const p of unused) {
      inVocab.delete(p);
      dropped.add(p);
    }
    pieces.splice(0, pieces.length, ...pieces.filter((p) => used.has(p)));
    // Merging resumes from the words as the encoder now splits them.
    for (const w of words) w.symbols = greedy(w.text, inVocab, longest).map((p) => m.idOf(p));
    m.countAll();
    fill();
  }
  return { entries: [...keptChars, ...pieces], missingChars: chars.slice(keptChars.length), merges: pieces.map((p) => pairOf.get(p) as [string, string]) };
}
