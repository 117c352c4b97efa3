// Picoformer: Train Tiny Model…: trains the board's architecture on a corpus in a worker thread, with progress and
// cancellation in a notification and the live loss curve in the Studio; the finished model (int8) is selected, so
// the Models view, the Studio and the gauge show it with its zone. Cancelling keeps the best weights so far.
// Arguments (optional): TrainOptions, which skip the matching questions (tests, other extensions), or a text file's
// Uri (the Explorer's context menu) to train on.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { Commands } from '../../ids';
import { boardLabel } from '../../memory/boards';
import { generate } from '../../model/generate';
import { readModelFile } from '../../model/modelIo';
import type { Studio } from '../../panels/registerStudio';
import { selectedBoard } from '../../services/settings';
import { startTraining } from '../../train/host';
import type { TrainEvent, TrainSummary } from '../../train/protocol';
import { formatCount } from '../../views/viewModels/format';
import { zoneStyle } from '../../views/viewModels/zoneStyle';
import type { Command, CommandContext } from '../command';
import { UserError } from '../userError';
import { type PlannedRun, type TrainOptions, continuedRun, newRun, resolveSource } from './planRun';

export type { TrainOptions } from './planRun';

/**
 * The command's arguments: TrainOptions; or a text file's Uri (the Explorer's context menu, which adds the selected
 * Uris as a second argument), trained on, with TrainOptions as the second argument when a caller gives them.
 */
function trainOptionsFrom(arg: unknown, more: unknown): TrainOptions {
  const object = (v: unknown): v is TrainOptions => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof vscode.Uri);
  if (arg instanceof vscode.Uri) return { ...(object(more) ? more : {}), corpus: arg.fsPath };
  return object(arg) ? arg : {};
}

export interface TrainResult {
  summary: TrainSummary;
  output: string;
  /** picoformer.training.* values that could not be used (their defaults were), as told to the user. */
  ignoredSettings: string[];
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
    execute: async (arg?: unknown, more?: unknown): Promise<TrainResult | undefined> => {
      const options = trainOptionsFrom(arg, more);
      if (busy()) return refuseSecondRun();
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const settings = ctx.services.settings.current();
      const board = selectedBoard(settings);
      const source = await resolveSource(options, folder, ctx.extension.globalStorageUri.fsPath);
      if (!source) return undefined;
      // A new run follows the training settings: say at once which values could not be used (a continued run keeps
      // its checkpoint's choices, so they do not matter there).
      const ignoredSettings = 'resume' in source ? [] : settings.problems.filter((p) => p.startsWith('picoformer.training.'));
      if (ignoredSettings.length > 0) warnIgnored(ignoredSettings);
      const planned = 'resume' in source ? await continuedRun(source.resume, options, board) : await newRun(source.corpus, options, folder, board, settings.training);
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
      const result = await train(ctx, studio, planned, options.showStudio !== false, () => (starting = false));
      return { ...result, ignoredSettings };
    },
  };
}

function warnIgnored(problems: readonly string[]): void {
  const open = 'Open Training Settings';
  void vscode.window.showWarningMessage(`Picoformer: ${problems.join(' ')}`, open).then((choice) => {
    if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', 'picoformer.training');
  });
}

async function train(ctx: CommandContext, studio: Studio, { job, history }: PlannedRun, showStudio: boolean, tracked: () => void): Promise<Omit<TrainResult, 'ignoredSettings'>> {
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
  try {
    feed.sample(await sampleText(summary.output.path));
  } catch (error) {
    ctx.log.warn(`No sample from ${summary.output.path}: ${(error as Error).message}`);
  }
  return { summary, output: summary.output.path };
}

/** What the written model says from an empty prompt: 100 tokens, temperature 0.8, the sample models' first seed. */
async function sampleText(path: string): Promise<string> {
  const model = await readModelFile(path);
  return generate(model, '', { maxTokens: 100, temperature: 0.8, topK: 0, seed: 2024 }).text;
}

function report(ctx: CommandContext, s: TrainSummary): void {
  const fit = s.fit;
  const where = `${zoneStyle(fit.zone).label} on ${boardLabel(fit.board)}${fit.mode === null ? '' : ` (${fit.mode})`}`;
  const loss = s.bestValLoss === null ? '' : `, validation loss ${s.bestValLoss.toFixed(3)}`;
  const verb = s.reason === 'cancelled' ? `Stopped after ${formatCount(s.steps)} of ${formatCount(s.totalSteps)} steps and saved the best weights:` : 'Trained';
  // the file first, the model's own name second, as everywhere a model is shown (issue 11)
  const message = `${verb} ${vscode.workspace.asRelativePath(s.output.path, false)} (${s.name}, ${formatCount(s.parameterCount)} parameters${loss}): ${where}.`;
  ctx.log.info(`${message} int8 logit error ${s.quantError.maxAbs.toPrecision(3)}; checkpoint ${s.checkpoint}`);
  void vscode.window.showInformationMessage(`Picoformer: ${message}`, 'Deploy to Pico').then((choice) => {
    if (choice) void vscode.commands.executeCommand(Commands.deployModel, vscode.Uri.file(s.output.path));
  });
}
