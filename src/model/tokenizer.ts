// Text <-> token ids (docs/format.md "Tokenizer"): char or longest_match over the model's own vocabulary.
import type { ModelConfig } from './config';

export interface Encoded {
  ids: number[];
  /** Input code points no vocabulary entry covered; each became unk_id. */
  unknown: number;
}

export type TokenizerConfig = Pick<ModelConfig, 'tokenizer' | 'lowercase' | 'unk_id' | 'special_ids' | 'decode_only_ids'>;

export class Tokenizer {
  private readonly ids = new Map<string, number>();
  private readonly specials: ReadonlySet<number>;
  /** Longest non-special entry in UTF-16 units: the longest match ever tried. */
  private readonly maxUnits: number;

  constructor(
    readonly vocab: readonly string[],
    private readonly config: TokenizerConfig,
  ) {
    this.specials = new Set(config.special_ids);
    const decodeOnly = new Set(config.decode_only_ids ?? []);
    let max = 1;
    vocab.forEach((entry, id) => {
      if (this.specials.has(id) || decodeOnly.has(id) || this.ids.has(entry)) return;
      this.ids.set(entry, id);
      max = Math.max(max, entry.length);
    });
    this.maxUnits = config.tokenizer === 'char' ? 2 : max;
  }

  encode(text: string): Encoded {
    const input = this.config.lowercase ? asciiLower(text) : text;
    const ids: number[] = [];
    let unknown = 0;
    let i = 0;
    while (i < input.length) {
      let matched = 0;
      for (let len = Math.min(this.maxUnits, input.length - i); len >= 1; len--) {
        const id = this.ids.get(input.slice(i, i + len));
        if (id !== undefined) {
          ids.push(id);
          matched = len;
          break;
        }
      }
      if (matched === 0) {
        ids.push(this.config.unk_id);
        unknown++;
        matched = codePointUnits(input, i);
      }
      i += matched;
    }
    return { ids, unknown };
  }

  /** Text of one token: special tokens (and ids outside the vocabulary) decode to nothing. */
  decodeToken(id: number): string {
    if (this.specials.has(id)) return '';
    return this.vocab[id] ?? '';
  }

  decode(ids: readonly number[]): string {
    return ids.map((id) => this.decodeToken(id)).join('');
  }

  isSpecial(id: number): boolean {
    return this.specials.has(id);
  }
}

/** A-Z to a-z and nothing else, so every implementation lowercases alike. */
export function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

/** UTF-16 units of the code point at `i` (2 for a surrogate pair, else 1). */
function codePointUnits(text: string, i: number): number {
  const cp = text.codePointAt(i) ?? 0;
  return cp > 0xffff ? 2 : 1;
}
