// A training job from the few choices the editor asks for (corpus, size, steps, board): the architecture and data
// options the sample models use (rmsnorm, SiLU, learned positions, tied embeddings, character vocabulary), and a
// peak learning rate that suits the size (the samples' own: small models take larger steps).
import { basename, extname } from 'node:path';
import { type BoardId, type BoardProfile, boardProfile } from '../memory/boards';
import type { LoadMode } from '../memory/boardParts';
import { DefaultDataOptions } from './data';
import type { SizeSpec, TrainJob } from './protocol';
import { sizeModel } from './sizing';

export interface QuickTrainChoices {
  corpus: string;
  output: string;
  size: Extract<SizeSpec, { kind: 'params' } | { kind: 'board' }>;
  steps: number;
  board: BoardId;
  customHeapKB?: number;
  seed?: number;
  /** First half of the name ("story" in story-8k); default: from the corpus's file name. */
  family?: string;
}

/** Peak learning rate by parameter count: the values the sample models were trained with (models/README.md). */
export function suggestedLearningRate(parameters: number): number {
  if (parameters <= 2_000) return 1e-2;
  if (parameters <= 15_000) return 5e-3;
  if (parameters <= 60_000) return 4e-3;
  return 3e-3;
}

/** What a size choice will be, roughly, before the vocabulary is known. */
export function roughParameters(size: QuickTrainChoices['size'], board: BoardProfile): number {
  if (size.kind === 'params') return size.target;
  return largestOnBoard(board, size.mode) ?? 30_000;
}

/** "stories.txt" -> "story", "chat-log" -> "chat", otherwise the file name's letters (a valid name half). */
export function familyFromCorpus(corpus: string): string {
  const stem = basename(corpus, extname(corpus)).toLowerCase();
  if (/stor(y|ies)/.test(stem)) return 'story';
  if (/chat|dialog|conversation/.test(stem)) return 'chat';
  const cleaned = stem.replace(/[^a-z0-9_.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 40);
  return cleaned.length > 0 ? cleaned : 'model';
}

export function quickTrainJob(c: QuickTrainChoices): TrainJob {
  return {
    corpus: c.corpus,
    output: c.output,
    outputDtype: 'I8',
    checkpoint: checkpointPathFor(c.output),
    size: c.size,
    arch: {
      norm: 'rmsnorm',
      activation: 'silu',
      positional: 'learned',
      tied_embeddings: true,
      tokenizer: 'char',
      lowercase: false,
      family: c.family ?? familyFromCorpus(c.corpus),
    },
    data: { ...DefaultDataOptions },
    settings: { steps: c.steps, lr: suggestedLearningRate(roughParameters(c.size, boardProfile(c.board, c.customHeapKB))), seed: c.seed ?? 1 },
    threads: 'auto',
    board: c.board,
    ...(c.customHeapKB !== undefined ? { customHeapKB: c.customHeapKB } : {}),
  };
}

/** Where a model's training checkpoint goes (as the CLI's default): beside it, `.ckpt` for `.safetensors`. */
export function checkpointPathFor(output: string): string {
  return `${output.replace(/\.safetensors$/i, '')}.ckpt`;
}

/** A sensible first run for a size: enough steps to speak the corpus's words, not hours. */
export function defaultSteps(parameters: number): number {
  return parameters > 100_000 ? 1000 : 3000;
}

/** Rough wall time of `steps` on this kind of machine (bench/README.md: ~2 GFLOP/s, 6 flops per parameter per
 *  token, plus a per-token cost that dominates tiny models). For a prompt's "about N minutes", not a promise. */
export function estimatedTrainingSeconds(parameters: number, steps: number, contextLength = 64, batch = 16): number {
  const secondsPerToken = (6 * parameters) / 2e9 + 1e-5;
  return steps * batch * contextLength * secondsPerToken;
}

/** The parameter count of the largest model that runs on `board` in `mode`, for a typical character vocabulary
 *  (40 tokens: lowercase text); undefined when none does. The real run sizes for its corpus' own vocabulary. */
export function largestOnBoard(board: BoardProfile, mode: LoadMode): number | undefined {
  const vocab = ['<pad>', '<s>', '</s>', '<unk>', ...' abcdefghijklmnopqrstuvwxyz.,!?\'"\n-:;'.split('')].slice(0, 40);
  const arch = { norm: 'rmsnorm', activation: 'silu', positional: 'learned', tied_embeddings: true, tokenizer: 'char', lowercase: false, family: 'model' } as const;
  try {
    return sizeModel({ kind: 'board', board, mode }, vocab, arch).parameterCount;
  } catch {
    return undefined;
  }
}
