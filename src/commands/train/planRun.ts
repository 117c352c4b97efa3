// Turning Train Tiny Model…'s arguments and answers into a run to start: a new model from a corpus (size, steps,
// where to save), or a stopped run continued from its checkpoint (same text, model and settings, to a later step).
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type * as vscode from 'vscode';
import type { CorpusKind } from '../../corpus/generate';
import type { BoardProfile } from '../../memory/boards';
import { parameterCount } from '../../model/params';
import { type CheckpointMeta, readCheckpointMeta } from '../../train/checkpoint';
import type { ProgressPoint, TrainJob } from '../../train/protocol';
import { type QuickTrainChoices, type TrainingPreferences, quickTrainJob } from '../../train/quickJob';
import { corpusProblem } from '../../train/corpusFiles';
import { parseParamCount } from '../../train/sizing';
import { UserError } from '../userError';
import { type TrainSize, type TrainSource, askOutput, askResumeSteps, askSize, askSource, askSteps, sampleCorpus } from './askTrainChoices';

export interface TrainOptions {
  /** A text file or folder, or a procedural sample corpus (written to <workspace>/corpus/<kind>.txt). */
  corpus?: string | { sample: CorpusKind };
  /** Continue the run of this checkpoint (its corpus, model and settings) instead of starting one. */
  resume?: string;
  /** "resident" / "streamed" (the largest on the selected board), or a parameter count (8000, "8k"). */
  size?: 'resident' | 'streamed' | number | string;
  steps?: number;
  output?: string;
  seed?: number;
  /** Replace an existing output file (asked by the save dialog otherwise). */
  overwrite?: boolean;
  /** false: do not open the Studio. */
  showStudio?: boolean;
}

export interface PlannedRun {
  job: TrainJob;
  /** A continued run's curve so far. */
  history: ProgressPoint[];
}

/** A new model from `corpus`, of the architecture the training preferences (settings) describe. */
export async function newRun(corpus: string, options: TrainOptions, folder: vscode.Uri | undefined, board: BoardProfile, preferences: TrainingPreferences): Promise<PlannedRun | undefined> {
  const choice = options.size !== undefined ? { size: sizeOption(options.size), board } : await askSize(board, preferences);
  if (!choice) return undefined;
  const { size } = choice;
  const steps = options.steps ?? (await askSteps(choice, preferences));
  if (steps === undefined) return undefined;
  if (!Number.isInteger(steps) || steps < 1) throw new UserError(`Steps must be a whole number of 1 or more, got ${steps}.`);
  const output = options.output ?? (await askOutput(folder, corpus, size));
  if (!output) return undefined;
  if (options.output !== undefined && existsSync(output) && !options.overwrite) {
    throw new UserError(`${output} already exists; pass { overwrite: true } to replace it.`);
  }
  const seed = options.seed !== undefined ? { seed: options.seed } : {};
  return { job: quickTrainJob({ corpus, output, size, steps, ...boardOf(choice.board), ...seed, preferences }), history: [] };
}

/** A run continued from its checkpoint: same corpus, model and settings (the checkpoint's, whatever the training
 *  preferences say now); the model file beside it is rewritten. */
export async function continuedRun(checkpoint: string, options: TrainOptions, board: BoardProfile): Promise<PlannedRun | undefined> {
  if (!existsSync(checkpoint)) throw new UserError(`Cannot continue from ${checkpoint}: there is no such checkpoint.`);
  let meta: CheckpointMeta;
  try {
    meta = await readCheckpointMeta(checkpoint);
  } catch (error) {
    throw new UserError(`Cannot continue from ${checkpoint}: ${(error as Error).message}`);
  }
  if (!existsSync(meta.corpus)) throw new UserError(`Cannot continue from ${checkpoint}: the text it was trained on, ${meta.corpus}, is not there any more.`);
  const steps = options.steps ?? (await askResumeSteps(meta));
  if (steps === undefined) return undefined;
  if (!Number.isInteger(steps) || steps <= meta.step) throw new UserError(`The run is at step ${meta.step}: continue to a later step, not ${steps}.`);
  const output = options.output ?? `${checkpoint.replace(/\.ckpt$/i, '')}.safetensors`;
  const size = { kind: 'params', target: parameterCount(meta.config) } as const;
  const job = quickTrainJob({ corpus: meta.corpus, output, size, steps, ...boardOf(board), family: meta.config.family ?? 'model' });
  return { job: { ...job, resume: checkpoint, checkpoint }, history: meta.history };
}

function boardOf(board: BoardProfile): Pick<QuickTrainChoices, 'board' | 'customHeapKB'> {
  return board.id === 'custom' ? { board: board.id, customHeapKB: board.heapBytes / 1024 } : { board: board.id };
}

export async function resolveSource(options: TrainOptions, folder: vscode.Uri | undefined, storage: string): Promise<TrainSource | undefined> {
  if (options.resume !== undefined) return { resume: options.resume };
  const option = options.corpus;
  if (option === undefined) return usable(await askSource(folder, storage));
  if (typeof option === 'object') return { corpus: await sampleCorpus(option.sample, folder?.fsPath ?? storage) };
  const path = isAbsolute(option) || !folder ? option : join(folder.fsPath, option);
  if (!existsSync(path)) throw new UserError(`The corpus ${path} does not exist.`);
  return usable({ corpus: path });
}

/** A text with nothing to learn from is refused as soon as it is chosen, before the size and steps are asked. */
async function usable(source: TrainSource | undefined): Promise<TrainSource | undefined> {
  const problem = source && 'corpus' in source ? await corpusProblem(source.corpus) : undefined;
  if (problem !== undefined) throw new UserError(problem);
  return source;
}

function sizeOption(size: NonNullable<TrainOptions['size']>): TrainSize {
  if (size === 'resident' || size === 'streamed') return { kind: 'board', mode: size };
  try {
    return { kind: 'params', target: typeof size === 'number' ? parseParamCount(String(size)) : parseParamCount(size) };
  } catch (error) {
    throw new UserError((error as Error).message);
  }
}
