// Picoformer: Train Tiny Model…: trains the board's architecture on a corpus in a worker thread, with progress and
// cancellation in a notification and the live loss curve in the Studio; the finished model (int8) is selected, so
// the Models view, the Studio and the gauge show it with its zone. Cancelling keeps the best weights so far.
// Arguments (optional, for tests and other extensions): TrainOptions, which skip the matching questions.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import * as vscode from 'vscode';
import type { CorpusKind } from '../../corpus/generate';
import { Commands } from '../../ids';
import { boardLabel } from '../../memory/boards';
import type { Studio } from '../../panels/registerStudio';
import { startTraining } from '../../train/host';
import type { BoardProfile } from '../../memory/boards';
import { parameterCount } from '../../model/params';
import { type CheckpointMeta, readCheckpointMeta } from '../../train/checkpoint';
import type { ProgressPoint, TrainEvent, TrainJob, TrainSummary } from '../../train/protocol';
import { type QuickTrainChoices, quickTrainJob } from '../../train/quickJob';
import { parseParamCount } from '../../train/sizing';
import { selectedBoard } from '../../services/settings';
import { formatCount } from '../../views/viewModels/format';
import { zoneStyle } from '../../views/viewModels/zoneStyle';
import type { Command, CommandContext } from '../command';
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

export interface TrainResult {
  summary: TrainSummary;
  output: string;
}

export function trainModelCommand(ctx: CommandContext, studio: Studio): Command {
  // From the last question until the Studio tracks the run (session.isTraining), so two runs never overlap.
  let starting = false;
  const busy = (): boolean => starting || studio.session.isTraining;
  // The message is not awaited: the command ends at once (a notification's promise waits until it is dismissed).
  const refuseSecondRun = (): undefined => {
    const message = 'Picoformer: a model is being trained; cancel it (in the Studio or its notification) before starting another.';
    void vscode.window.showInformationMessage(message, 'Show Studio').then((show) => show && studio.open());
    return undefined;
  };
  return {
    id: Commands.trainModel,
    execute: async (arg?: unknown): Promise<TrainResult | undefined> => {
      const options: TrainOptions = typeof arg === 'object' && arg !== null && !(arg instanceof vscode.Uri) ? (arg as TrainOptions) : {};
      if (busy()) return refuseSecondRun();
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const board = selectedBoard(ctx.services.settings.current());
      const source = await resolveSource(options, folder, ctx.extension.globalStorageUri.fsPath);
      if (!source) return undefined;
      const planned = 'resume' in source ? await continuedRun(source.resume, options, board) : await newRun(source.corpus, options, folder, board);
      if (!planned) return undefined;
      // The questions take time: another run may have started meanwhile.
      if (busy()) return refuseSecondRun();
      starting = true;
      try {
        await mkdir(dirname(planned.job.output), { recursive: true });
      } catch (error) {
        starting = false;
        throw error;
      }
      return train(ctx, studio, planned, options.showStudio !== false, () => (starting = false));
    },
  };
}

interface PlannedRun {
  job: TrainJob;
  /** A continued run's curve so far. */
  history: ProgressPoint[];
}

async function newRun(corpus: string, options: TrainOptions, folder: vscode.Uri | undefined, board: BoardProfile): Promise<PlannedRun | undefined> {
  const choice = options.size !== undefined ? { size: sizeOption(options.size), board } : await askSize(board);
  if (!choice) return undefined;
  const { size } = choice;
  const steps = options.steps ?? (await askSteps(choice));
  if (steps === undefined) return undefined;
  if (!Number.isInteger(steps) || steps < 1) throw new UserError(`Steps must be a whole number of 1 or more, got ${steps}.`);
  const output = options.output ?? (await askOutput(folder, corpus, size));
  if (!output) return undefined;
  if (options.output !== undefined && existsSync(output) && !options.overwrite) {
    throw new UserError(`${output} already exists; pass { overwrite: true } to replace it.`);
  }
  const seed = options.seed !== undefined ? { seed: options.seed } : {};
  return { job: quickTrainJob({ corpus, output, size, steps, ...boardOf(choice.board), ...seed }), history: [] };
}

/** A run continued from its checkpoint: same corpus, model and settings; the model file beside it is rewritten. */
async function continuedRun(checkpoint: string, options: TrainOptions, board: BoardProfile): Promise<PlannedRun | undefined> {
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

async function train(ctx: CommandContext, studio: Studio, { job, history }: PlannedRun, showStudio: boolean, tracked: () => void): Promise<TrainResult> {
  const relative = (path: string): string => vscode.workspace.asRelativePath(path, false);
  let run: ReturnType<typeof startTraining> | undefined;
  const feed = studio.session.trackTraining(relative(job.corpus), relative(job.output), () => run?.cancel(), history);
  tracked();
  if (showStudio) studio.open();
  ctx.log.info(`Training on ${job.corpus} -> ${job.output} (${job.settings.steps} steps)`);
  const summary = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Training', cancellable: true },
    async (progress, token) => {
      let name = 'the model';
      let reported = 0;
      const onEvent = (e: TrainEvent): void => {
        feed.event(e);
        if (e.type === 'prepared') {
          name = e.info.name;
          ctx.log.info(`Training ${name}: ${formatCount(e.info.parameterCount)} parameters, vocabulary ${e.info.config.vocab_size}, ${formatCount(e.info.trainTokens)} training tokens`);
          progress.report({ message: `${name} (${formatCount(e.info.parameterCount)} parameters): starting…` });
        } else if (e.type === 'progress') {
          const p = e.point;
          const done = (100 * p.step) / p.totalSteps;
          const val = p.valLoss === null ? '' : ` · val ${p.valLoss.toFixed(3)}`;
          progress.report({ increment: done - reported, message: `${name}: step ${formatCount(p.step)}/${formatCount(p.totalSteps)} · loss ${p.trainLoss.toFixed(3)}${val} · ${formatCount(p.tokensPerSecond)} tokens/s` });
          reported = done;
        } else if (e.type === 'error') {
          ctx.log.error(`Training failed: ${e.message}`);
        }
      };
      try {
        run = startTraining(job, onEvent);
      } catch (error) {
        feed.fail((error as Error).message);
        throw error;
      }
      token.onCancellationRequested(() => run?.cancel());
      try {
        return await run.done;
      } catch (error) {
        // The error event has reached the Studio; this covers a run that ended without one.
        feed.fail((error as Error).message);
        throw new UserError(`Training failed: ${(error as Error).message}`);
      }
    },
  );
  ctx.services.catalog.refresh();
  ctx.services.selection.select(summary.output.path);
  report(ctx, summary);
  return { summary, output: summary.output.path };
}

function report(ctx: CommandContext, s: TrainSummary): void {
  const fit = s.fit;
  const where = `${zoneStyle(fit.zone).label} on ${boardLabel(fit.board)}${fit.mode === null ? '' : ` (${fit.mode})`}`;
  const loss = s.bestValLoss === null ? '' : `, validation loss ${s.bestValLoss.toFixed(3)}`;
  const verb = s.reason === 'cancelled' ? `Stopped after ${formatCount(s.steps)} of ${formatCount(s.totalSteps)} steps and saved the best weights:` : 'Trained';
  const message = `${verb} ${s.name} (${formatCount(s.parameterCount)} parameters${loss}) to ${vscode.workspace.asRelativePath(s.output.path, false)}: ${where}.`;
  ctx.log.info(`${message} int8 logit error ${s.quantError.maxAbs.toPrecision(3)}; checkpoint ${s.checkpoint}`);
  void vscode.window.showInformationMessage(`Picoformer: ${message}`, 'Deploy to Pico').then((choice) => {
    if (choice) void vscode.commands.executeCommand(Commands.deployModel, vscode.Uri.file(s.output.path));
  });
}

async function resolveSource(options: TrainOptions, folder: vscode.Uri | undefined, storage: string): Promise<TrainSource | undefined> {
  if (options.resume !== undefined) return { resume: options.resume };
  const option = options.corpus;
  if (option === undefined) return askSource(folder, storage);
  if (typeof option === 'object') return { corpus: await sampleCorpus(option.sample, folder?.fsPath ?? storage) };
  const path = isAbsolute(option) || !folder ? option : join(folder.fsPath, option);
  if (!existsSync(path)) throw new UserError(`The corpus ${path} does not exist.`);
  return { corpus: path };
}

function sizeOption(size: NonNullable<TrainOptions['size']>): TrainSize {
  if (size === 'resident' || size === 'streamed') return { kind: 'board', mode: size };
  try {
    return { kind: 'params', target: typeof size === 'number' ? parseParamCount(String(size)) : parseParamCount(size) };
  } catch (error) {
    throw new UserError((error as Error).message);
  }
}
