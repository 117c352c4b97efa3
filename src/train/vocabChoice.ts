// Which vocabulary a new model gets: characters, or subword pieces of some size. "auto" follows the measured table
// (bench/README.md, "Tokenizers"; docs/training.md "Vocabulary"): the choice with the lowest held-out bits per
// character for the model's parameter count.
import type { TokenizerKind } from '../model/config';
import { buildVocab } from '../model/vocabBuilder';
import type { DataOptions, DataRequest } from './data';
import { type ArchOptions, type SizeRequest, sizeModel } from './sizing';

export type TokenizerChoice = TokenizerKind | 'auto';

/** What a run asks for: a tokenizer (or auto) and, for subwords, a size (undefined: auto). */
export interface VocabRequest {
  tokenizer: TokenizerChoice;
  /** Entries in all, specials included. char: a cap; longest_match: the subword vocabulary's size. */
  vocabSize?: number;
}

/** What a run gets. */
export interface VocabDecision {
  tokenizer: TokenizerKind;
  vocabSize?: number;
}

/** The table's choice by parameter count: rows of [below this many parameters, the decision]. Measured at 1K, 2K,
 *  8K, 30K and 300K streamed (bench/README.md, "Tokenizers"): subword pieces give the lowest held-out bits per
 *  character and the most characters per second at every size measured; the largest vocabulary wins where the heap allows it, and with
 *  the firmware-fitted estimator a 478-token 8K model is safe (92 KB; the story-8k sample, measured on the firmware).
 *  At 2K only 64 and 128 were measured. The 1K rows were measured without a position table (the story-1k sample's
 *  shapes), which parameter-count sizing keeps; with one, every word does not fit 1K at all (478 rows and a 32-row
 *  position table at dim 2 leave nothing for the layer) and smaller vocabularies were not measured: characters. */
export const AutoVocabulary: readonly (readonly [number, VocabDecision])[] = [
  [1_500, { tokenizer: 'char' }],
  [4_000, { tokenizer: 'longest_match', vocabSize: 128 }],
  [Infinity, { tokenizer: 'longest_match', vocabSize: 512 }],
];

/** The best subword size by parameter count, for a run that asks for subwords without a size. */
export const AutoSubwordSize: readonly (readonly [number, number])[] = [
  [1_500, 64],
  [4_000, 128],
  [Infinity, 512],
];

/** The smallest and largest subword vocabulary a run may ask for (specials included). */
export const SubwordSizeRange = { min: 16, max: 4096 } as const;

function row<T>(table: readonly (readonly [number, T])[], parameters: number): T {
  return (table.find(([below]) => parameters < below) ?? table[table.length - 1])[1];
}

export function decideVocabulary(request: VocabRequest, parameters: number): VocabDecision {
  const tokenizer = request.tokenizer === 'auto' ? row(AutoVocabulary, parameters).tokenizer : request.tokenizer;
  if (tokenizer === 'char') return request.vocabSize === undefined || request.tokenizer === 'auto' ? { tokenizer } : { tokenizer, vocabSize: request.vocabSize };
  return { tokenizer, vocabSize: request.vocabSize ?? row(AutoSubwordSize, parameters) };
}

/** The data options of a new run: "auto" settled for the model's size, judged with a character vocabulary first
 *  (for a parameter target, the target itself). */
export function settleData(data: DataRequest, documents: readonly string[], size: SizeRequest, arch: ArchOptions): DataOptions {
  const { tokenizer, vocabSize } = data;
  if (tokenizer === 'char' || (tokenizer === 'longest_match' && vocabSize !== undefined)) return { ...data, tokenizer };
  let parameters: number;
  if (size.kind === 'params') parameters = size.target;
  else {
    const chars = buildVocab(documents.join(''), { tokenizer: 'char', lowercase: data.lowercase }).vocab;
    parameters = sizeModel(size, chars, arch, 'char').parameterCount;
  }
  const decided = decideVocabulary(data, parameters);
  const { vocabSize: _ignored, ...rest } = data;
  return { ...rest, ...decided };
}
