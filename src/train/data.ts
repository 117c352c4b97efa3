// Training data: a vocabulary built from the corpus (full coverage unless capped), the documents as token streams
// (each document's tokens then EOS), a train/validation split, and windows of the model's context length.
// A window is BOS followed by context_length - 1 stream tokens, predicting each next token, because generation
// always starts with BOS: position 0 of every window is BOS, as it is on the board.
import type { TokenizerKind } from '../model/config';
import { Tokenizer } from '../model/tokenizer';
import { buildVocab } from '../model/vocabBuilder';
import type { TrainRng } from './rng';
import type { TokenizerChoice } from './vocabChoice';

export interface DataOptions {
  tokenizer: TokenizerKind;
  lowercase: boolean;
  /** Entries in all, specials included (src/model/vocabBuilder.ts): char, a cap (the rarest characters become unk;
   *  undefined: every character gets a token); longest_match, the subword vocabulary's size. */
  vocabSize?: number;
  /** Every `valEvery`-th document (the last of each group) is held out; one document: the last 10% of its tokens. */
  valEvery: number;
}

/** What to change when the context is too long for the text or the board: the CLI flag and the editor's setting. */
export const ShorterContextHint = 'a shorter context (--ctx, or the picoformer.training.contextLength setting)';

export const DefaultDataOptions: DataOptions = { tokenizer: 'char', lowercase: false, valEvery: 10 };

/** What a job asks for: the tokenizer may be "auto" (src/train/vocabChoice.ts), settled before the data is built. */
export type DataRequest = Omit<DataOptions, 'tokenizer'> & { tokenizer: TokenizerChoice };

/** The special tokens of every vocabulary the trainer builds (vocabBuilder's layout). */
export const Special = { pad: 0, bos: 1, eos: 2, unk: 3, ids: [0, 1, 2, 3] } as const;

export interface TokenStream {
  tokens: Int32Array;
  /** Where each document starts in `tokens`. */
  docStarts: Int32Array;
}

export interface PreparedData {
  vocab: string[];
  train: TokenStream;
  val: TokenStream;
  /** Share of the corpus's characters (with repetition) that have a token, and the characters that have none. */
  coverage: number;
  unknownTokens: number;
  missingChars: string[];
  /** Why the vocabulary is smaller than asked (the header's limit), when it is. */
  vocabNote?: string;
  documents: number;
  /** The corpus' characters over its tokens (EOS not counted): 1 for characters, more for subword pieces. */
  charsPerToken: number;
}

/** Tokenizes `documents` with a vocabulary built from them, or with `vocab` (resuming: the checkpoint's). */
export function prepareData(documents: readonly string[], options: DataOptions, vocab?: string[]): PreparedData {
  if (documents.length === 0) throw new Error('the corpus has no documents');
  const given = vocab !== undefined;
  let coverage = 1;
  let missingChars: string[] = [];
  let vocabNote: string | undefined;
  if (vocab === undefined) {
    const built = buildVocab(documents.join(''), { tokenizer: options.tokenizer, lowercase: options.lowercase, vocabSize: options.vocabSize });
    vocab = built.vocab;
    coverage = built.coverage;
    missingChars = built.missingChars;
    vocabNote = built.headerCap?.message;
  }
  const tokenizer = new Tokenizer(vocab, { tokenizer: options.tokenizer, lowercase: options.lowercase, unk_id: Special.unk, special_ids: [...Special.ids] });
  const encoded = documents.map((d) => tokenizer.encode(d));
  const unknownTokens = encoded.reduce((n, e) => n + e.unknown, 0);
  const characters = documents.reduce((n, d) => n + [...d].length, 0);
  const tokenCount = encoded.reduce((n, e) => n + e.ids.length, 0);
  if (given && unknownTokens > 0) coverage = 1 - unknownTokens / characters;
  let trainDocs: number[][];
  let valDocs: number[][];
  if (encoded.length === 1) {
    const ids = encoded[0].ids;
    const cut = Math.floor(ids.length * 0.9);
    trainDocs = [ids.slice(0, cut)];
    valDocs = [ids.slice(cut)];
  } else {
    const every = Math.max(2, options.valEvery);
    trainDocs = encoded.filter((_, i) => i % every !== every - 1).map((e) => e.ids);
    valDocs = encoded.filter((_, i) => i % every === every - 1).map((e) => e.ids);
    if (valDocs.length === 0) valDocs = [trainDocs.pop() as number[]];
  }
  return {
    vocab, train: stream(trainDocs), val: stream(valDocs), coverage, unknownTokens, missingChars, documents: documents.length,
    ...(vocabNote !== undefined ? { vocabNote } : {}),
    charsPerToken: tokenCount === 0 ? 1 : characters / tokenCount,
  };
}

function stream(docs: number[][]): TokenStream {
  const total = docs.reduce((n, d) => n + d.length + 1, 0);
  const tokens = new Int32Array(total);
  const docStarts = new Int32Array(docs.length);
  let at = 0;
  docs.forEach((d, i) => {
    docStarts[i] = at;
    tokens.set(d, at);
    at += d.length;
    tokens[at++] = Special.eos;
  });
  return { tokens, docStarts };
}

/** Stream tokens a window of `ctx` positions consumes (BOS comes from outside the stream). */
export function streamSpan(ctx: number): number {
  return ctx; // ctx - 1 inputs after BOS, plus the last target
}

/** A window starting at stream position `start`: inputs BOS s[start..start+ctx-2], targets s[start..start+ctx-1]. */
export function fillWindow(s: TokenStream, start: number, ctx: number, inputs: Int32Array, targets: Int32Array, at: number): void {
  inputs[at] = Special.bos;
  for (let t = 1; t < ctx; t++) inputs[at + t] = s.tokens[start + t - 1];
  for (let t = 0; t < ctx; t++) targets[at + t] = s.tokens[start + t];
}

/** Training windows: half start at a random document start (so a bare BOS learns how documents begin), half at a
 *  random position. */
export function sampleStart(s: TokenStream, ctx: number, rng: TrainRng): number {
  const last = s.tokens.length - streamSpan(ctx);
  const coin = rng.uniform();
  const doc = s.docStarts[rng.below(s.docStarts.length)];
  const any = rng.below(last + 1);
  return coin < 0.5 && doc <= last ? doc : any;
}

/** Fixed validation windows: alternately at evenly spread document starts and evenly spread positions. */
export function validationStarts(s: TokenStream, ctx: number, count: number): number[] {
  const last = s.tokens.length - streamSpan(ctx);
  if (last < 0) return [];
  const docs = Array.from(s.docStarts).filter((d) => d <= last);
  const half = Math.ceil(count / 2);
  const starts: number[] = [];
  for (let i = 0; i < count; i++) {
    const k = Math.floor(i / 2);
    if (i % 2 === 0 && docs.length > 0) starts.push(docs[Math.floor((k * docs.length) / half)]);
    else starts.push(Math.floor((k * last) / half));
  }
  return starts;
}

/** Why a stream cannot give windows, or null. */
export function tooShort(s: TokenStream, ctx: number, what: string): string | null {
  if (s.tokens.length >= streamSpan(ctx)) return null;
  return `the ${what} text has ${s.tokens.length} tokens, fewer than one window of ${ctx} (the context length): use more text or ${ShorterContextHint}`;
}
