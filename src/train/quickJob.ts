// A training job from the few choices the editor asks for (corpus, size, steps, board) and the user's training
// preferences (the picoformer.training.* settings): by default the architecture and data options the sample models
// use (rmsnorm, SiLU, learned positions, tied embeddings, character vocabulary), and a peak learning rate that suits
// the size (the samples' own: small models take larger steps).
import { basename, extname, join } from 'node:path';
import { type BoardId, type BoardProfile, boardProfile } from '../memory/boards';
import type { LoadMode } from '../memory/boardParts';
import type { KvCacheKind, ModelConfig, TokenizerKind } from '../model/config';
import { DefaultDataOptions } from './data';
import type { SizeSpec, TrainJob } from './protocol';
import { type ArchOptions, sizeModel } from './sizing';

/** The architecture and optimiser choices the editor takes from settings; 0 means "chosen for the size". */
export interface TrainingPreferences {
  /** Tokens of context; 0: 64, or 32 under 4,000 parameters. */
  contextLength: number;
  /** 0: the sizing's own choice. */
  layers: number;
  /** 0: the sizing's own choice. */
  heads: number;
  norm: ModelConfig['norm'];
  activation: ModelConfig['activation'];
  positions: ModelConfig['positional'];
  tiedEmbeddings: boolean;
  tokenizer: TokenizerKind;
  /** longest_match: multi-character pieces to add. */
  merges: number;
  lowercase: boolean;
  /** Peak learning rate; 0: suggestedLearningRate for the size. */
  learningRate: number;
  /** Windows per step. */
  batch: number;
  /** Initial weights and data order. */
  seed: number;
  /** How the model's KV cache is stored on the board (docs/format.md "KV cache"). */
  kvCache: KvCacheKind;
}

/** The sample models' choices (models/README.md). */
export const DefaultTrainingPreferences: Readonly<TrainingPreferences> = {
  contextLength: 0,
  layers: 0,
  heads: 0,
  norm: 'rmsnorm',
  activation: 'silu',
  positions: 'learned',
  tiedEmbeddings: true,
  tokenizer: 'char',
  merges: 64,
  lowercase: false,
  learningRate: 0,
  batch: 16,
  seed: 1,
  kvCache: 'int8',
};

/** The preferences that differ from the defaults, as a short phrase ("context 128 · layernorm · batch 32"), or ''. */
export function describePreferences(p: TrainingPreferences): string {
  const d = DefaultTrainingPreferences;
  const parts: string[] = [];
  if (p.contextLength !== d.contextLength) parts.push(`context ${p.contextLength}`);
  if (p.layers !== d.layers) parts.push(`${p.layers} layer${p.layers === 1 ? '' : 's'}`);
  if (p.heads !== d.heads) parts.push(`${p.heads} head${p.heads === 1 ? '' : 's'}`);
  if (p.norm !== d.norm) parts.push(p.norm);
  if (p.activation !== d.activation) parts.push(p.activation);
  if (p.positions !== d.positions) parts.push('no position table');
  if (p.tiedEmbeddings !== d.tiedEmbeddings) parts.push('untied embeddings');
  if (p.tokenizer !== d.tokenizer) parts.push(`${p.tokenizer} (${p.merges} pieces)`);
  if (p.lowercase !== d.lowercase) parts.push('lowercase');
  if (p.learningRate !== d.learningRate) parts.push(`learning rate ${p.learningRate}`);
  if (p.batch !== d.batch) parts.push(`batch ${p.batch}`);
  if (p.seed !== d.seed) parts.push(`seed ${p.seed}`);
  if (p.kvCache !== d.kvCache) parts.push(`${p.kvCache} KV cache`);
  return parts.join(' · ');
}

/** The sizing's architecture options for these preferences. */
export function archFor(p: TrainingPreferences, family: string): ArchOptions {
  return {
    norm: p.norm,
    activation: p.activation,
    positional: p.positions,
    tied_embeddings: p.tiedEmbeddings,
    tokenizer: p.tokenizer,
    lowercase: p.lowercase,
    family,
    kv_cache: p.kvCache,
    ...(p.contextLength > 0 ? { context_length: p.contextLength } : {}),
    ...(p.layers > 0 ? { n_layers: p.layers } : {}),
    ...(p.heads > 0 ? { n_heads: p.heads } : {}),
  };
}

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
  /** Default: DefaultTrainingPreferences. `seed` above wins over the preferences' seed. */
  preferences?: TrainingPreferences;
}

/** Peak learning rate by parameter count: the values the sample models were trained with (models/README.md). */
export function suggestedLearningRate(parameters: number): number {
  if (parameters <= 2_000) return 1e-2;
  if (parameters <= 15_000) return 5e-3;
  if (parameters <= 60_000) return 4e-3;
  return 3e-3;
}

/** What a size choice will be, roughly, before the vocabulary is known. */
export function roughParameters(size: QuickTrainChoices['size'], board: BoardProfile, preferences: TrainingPreferences = DefaultTrainingPreferences): number {
  if (size.kind === 'params') return size.target;
  return largestOnBoard(board, size.mode, preferences) ?? 30_000;
}

/** "stories.txt" -> "story", "chat-log" -> "chat", otherwise the file name's letters (a valid name half). */
export function familyFromCorpus(corpus: string): string {
  const stem = basename(corpus, extname(corpus)).toLowerCase();
  if (/stor(y|ies)/.test(stem)) return 'story';
  if (/chat|dialog|conversation/.test(stem)) return 'chat';
  return slugOf(stem);
}

/** A file or folder name as a model name half: lower case, dashes for anything else, "model" when nothing is left. */
function slugOf(name: string): string {
  const cleaned = name.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '').slice(0, 40);
  return cleaned.length > 0 ? cleaned : 'model';
}

/**
 * Where Train Tiny Model… suggests saving: <models>/<text file's name>-<size>.safetensors ("stories-8k", from
 * corpus/stories.txt), so the name says what it learned; "-2", "-3"... when that file or its checkpoint is taken (the
 * sample workspace has story-8k and chat-8k already).
 */
export function suggestedModelPath(modelsDir: string, corpus: string, sizeLabel: string, exists: (path: string) => boolean): string {
  const slug = slugOf(basename(corpus, extname(corpus)));
  for (let n = 1; ; n++) {
    const path = join(modelsDir, `${slug}-${sizeLabel}${n === 1 ? '' : `-${n}`}.safetensors`);
    if (!exists(path) && !exists(checkpointPathFor(path))) return path;
  }
}

export function quickTrainJob(c: QuickTrainChoices): TrainJob {
  const p = c.preferences ?? DefaultTrainingPreferences;
  const lr = p.learningRate > 0 ? p.learningRate : suggestedLearningRate(roughParameters(c.size, boardProfile(c.board, c.customHeapKB), p));
  return {
    corpus: c.corpus,
    output: c.output,
    outputDtype: 'I8',
    checkpoint: checkpointPathFor(c.output),
    size: c.size,
    arch: archFor(p, c.family ?? familyFromCorpus(c.corpus)),
    data: { ...DefaultDataOptions, tokenizer: p.tokenizer, lowercase: p.lowercase, merges: p.tokenizer === 'longest_match' ? p.merges : 0 },
    settings: { steps: c.steps, lr, batch: p.batch, seed: c.seed ?? p.seed },
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
export function largestOnBoard(board: BoardProfile, mode: LoadMode, preferences: TrainingPreferences = DefaultTrainingPreferences): number | undefined {
  const vocab = ['<pad>', '<s>', '</s>', '<unk>', ...' abcdefghijklmnopqrstuvwxyz.,!?\'"\n-:;'.split('')].slice(0, 40);
  try {
    return sizeModel({ kind: 'board', board, mode }, vocab, archFor(preferences, 'model')).parameterCount;
  } catch {
    return undefined;
  }
}
